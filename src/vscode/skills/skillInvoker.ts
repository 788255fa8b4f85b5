// The host's side of `$name` in the composer: before a message goes to the agent, the skills it invokes
// are attached to it (each SKILL.md's instructions, like an `@` mention's file). Skills are looked up
// afresh for every message that names one, so a skill added mid-chat can be invoked at once; unknown
// names stay literal text. Never fails a send: a problem is logged and the message goes as typed.
import type * as vscode from 'vscode';
import type { FileReader } from '../../core/ports';
import { expandSkillInvocations, invokedSkillNames } from '../../core/skills/invocation';
import { loadWorkspaceSkills } from './workspaceSkills';

export class SkillInvoker {
  constructor(
    private readonly files: FileReader,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** `message` (the composed message) with the skills `typed` (what the user wrote) invokes attached. */
  async expand(typed: string, message: string): Promise<string> {
    if (invokedSkillNames(typed).length === 0) return message; // no `$name`: nothing to look up
    try {
      const skills = await loadWorkspaceSkills(this.files);
      const expanded = await expandSkillInvocations(typed, message, skills.discovery.skills, this.files, skills.where);
      if (expanded.invoked.length) this.log.info(`Skills attached to the message: ${expanded.invoked.join(', ')}`);
      for (const problem of expanded.problems) this.log.warn(`Skill not attached: ${problem}`);
      return expanded.text;
    } catch (error) {
      this.log.error('Skills could not be attached:', error);
      return message;
    }
  }
}
