// `$name` expansion for a message about to be sent, shared by hosts: skills are looked up afresh only when
// the typed text names one (a plain message costs no disk access), and a failure to look them up leaves the
// message as it was (sending must never fail because of a skill).
import type { FileReader } from '../../core/ports';
import { expandSkillInvocations, invokedSkillNames, type SkillExpansion } from '../../core/skills/invocation';
import type { SessionSkills } from './sessionSkills';

/** `message` with the skills `typed` invokes attached; `load` finds the skills as a new session would. */
export async function withInvokedSkills(typed: string, message: string, files: FileReader, load: () => Promise<SessionSkills>): Promise<SkillExpansion> {
  if (invokedSkillNames(typed).length === 0) return { text: message, invoked: [], problems: [] };
  try {
    const skills = await load();
    return await expandSkillInvocations(typed, message, skills.discovery.skills, files, skills.where);
  } catch (error) {
    return { text: message, invoked: [], problems: [`skills could not be looked up: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
