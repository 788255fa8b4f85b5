// What skill discovery finds: the skills the agent may use, and the folders it passed over with the reason
// (shown by "Tandem: Show Skills", so a broken or shadowed skill is explained rather than silently absent).

/** `project`: from the workspace (trusted workspaces only); `user`: from the home folder. */
export type SkillScope = 'project' | 'user';

export interface Skill {
  name: string;
  /** One line (whitespace collapsed), at most 1024 characters. */
  description: string;
  scope: SkillScope;
  /** The skill's folder (absolute, as found, not resolved). */
  dir: string;
  /** Its SKILL.md (absolute). */
  file: string;
  /** The skills folder it was found in, e.g. `/ws/.agents/skills`. */
  root: string;
}

export interface SkippedSkill {
  /** The skill folder (or skills folder) passed over. */
  path: string;
  scope: SkillScope;
  reason: string;
}

export interface SkillDiscovery {
  /** Usable skills in precedence order: project before user, nearer folders first, then by name. */
  skills: Skill[];
  skipped: SkippedSkill[];
}

/** Where to look. */
export interface SkillSearch {
  /** The workspace root: project skills are looked for from here down to `cwd`, never above it. */
  workspaceRoot: string;
  cwd: string;
  /** The user's home folder; absent: no user skills. */
  home?: string;
  /** Project skills load only in a trusted workspace. */
  includeProject: boolean;
}
