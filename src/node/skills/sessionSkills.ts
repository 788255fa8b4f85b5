// The skills a session gets, found the same way by the extension and `tandem exec`: project skills (only
// when the caller trusts the workspace) and the user's own in the home folder, and the prompt section that
// lists them. Kept apart from the agent factory so the chat's `$name` expansion and "Tandem: Show Skills"
// load it without the model SDK.
import { homedir } from 'node:os';
import type { FileReader } from '../../core/ports';
import { discoverSkills } from '../../core/skills/discovery';
import { skillsPromptSection, type SkillsPromptSection } from '../../core/skills/promptSection';
import type { SkillDiscovery } from '../../core/skills/types';

export interface SessionSkills {
  discovery: SkillDiscovery;
  /** The system prompt's skills section and which skills it lists or leaves out. */
  section: SkillsPromptSection;
  /** Where paths in the prompt are relative to (`~` for home). */
  where: { cwd: string; home: string };
}

export interface SessionSkillsOptions {
  workspaceRoot: string;
  cwd: string;
  /** Project skills load only when true (a trusted workspace, or `tandem exec` as documented). */
  includeProject: boolean;
  /** Default: the OS user's home. */
  home?: string;
}

export async function loadSessionSkills(files: FileReader, options: SessionSkillsOptions): Promise<SessionSkills> {
  const home = options.home ?? homedir();
  const where = { cwd: options.cwd, home };
  let discovery: SkillDiscovery;
  try {
    discovery = await discoverSkills(files, { workspaceRoot: options.workspaceRoot, cwd: options.cwd, home, includeProject: options.includeProject });
  } catch (error) {
    // Skills are an extra: a failure to look for them must not stop the session.
    discovery = { skills: [], skipped: [{ path: options.cwd, scope: 'project', reason: `skills could not be looked for: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return { discovery, section: skillsPromptSection(discovery.skills, where), where };
}

/** The instructions with the skills section appended (unchanged when there are no skills). */
export function instructionsWithSkills(instructions: string, skills: SessionSkills): string {
  return skills.section.text ? `${instructions}\n\n${skills.section.text}` : instructions;
}
