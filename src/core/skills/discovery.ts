// Skill discovery: the skill folders (each with a SKILL.md) in `.tandem/skills` and `.agents/skills` of the
// working directory and each folder above it up to the workspace root, then in the same two folders of the
// user's home. On a name clash the first one found wins: project over user, nearer over farther, and
// `.tandem` over `.agents` in the same folder. Read through the FileReader port; pure otherwise.
//
// Everything here is untrusted input. Project skills are read only when the caller says the workspace is
// trusted. A skills folder of the project that resolves outside the workspace, and a skill whose folder or
// SKILL.md resolves outside its skills folder (a symlink to ~/.ssh, a linked folder, a file swapped for a
// link between check and read), are not loaded: the same rule as AGENTS.md (prompt/agentsMd.ts). A folder
// that is not a valid skill is reported with its reason, never thrown, so one bad skill breaks nothing.
import { directoriesFromRoot, readInstructionFile } from '../prompt/agentsMd';
import { normalizePath } from '../patch/posixPath';
import type { FileReader } from '../ports';
import { WorkspaceScope } from '../tools/workspaceScope';
import { parseSkillFile } from './frontMatter';
import type { Skill, SkillDiscovery, SkillScope, SkillSearch, SkippedSkill } from './types';

/** Inside one folder, in precedence order. */
export const SKILL_FOLDERS = ['.tandem/skills', '.agents/skills'] as const;
/** Folders looked at per skills folder, so a repository with 100,000 of them cannot stall the session. */
export const MAX_SKILLS_PER_FOLDER = 200;
/** Longest SKILL.md body attached when a skill is invoked (`$name`); the model reads the rest itself. */
export const MAX_SKILL_BODY_CHARS = 32_000;

export interface SkillRoot {
  path: string;
  scope: SkillScope;
}

/** The skills folders to search, in precedence order (a path met twice counts once, first as found). */
export function skillRoots(search: SkillSearch): SkillRoot[] {
  const roots: SkillRoot[] = [];
  if (search.includeProject) {
    for (const dir of directoriesFromRoot(normalizePath(search.workspaceRoot), normalizePath(search.cwd)).reverse()) {
      for (const folder of SKILL_FOLDERS) roots.push({ path: joinPath(dir, folder), scope: 'project' });
    }
  }
  if (search.home) for (const folder of SKILL_FOLDERS) roots.push({ path: joinPath(normalizePath(search.home), folder), scope: 'user' });
  const seen = new Set<string>();
  return roots.filter((r) => !seen.has(r.path) && seen.add(r.path));
}

export async function discoverSkills(files: FileReader, search: SkillSearch): Promise<SkillDiscovery> {
  const result: SkillDiscovery = { skills: [], skipped: [] };
  if (!files.listDirectory) return result;
  const workspace = search.includeProject ? await WorkspaceScope.create([search.workspaceRoot], files) : undefined;
  const byName = new Map<string, Skill>();
  for (const root of skillRoots(search)) {
    for (const skill of await skillsIn(files, root, workspace, result.skipped)) {
      const winner = byName.get(skill.name);
      if (winner) {
        result.skipped.push({ path: skill.dir, scope: skill.scope, reason: `overridden by the ${winner.scope} skill of the same name at ${winner.dir}` });
        continue;
      }
      byName.set(skill.name, skill);
      result.skills.push(skill);
    }
  }
  return result;
}

/** The SKILL.md instructions (front matter removed) of a discovered skill, read again under the same checks. */
export async function readSkillBody(files: FileReader, skill: Skill): Promise<{ body: string } | { error: string }> {
  try {
    const scope = await WorkspaceScope.create([skill.root], files);
    const text = await readInstructionFile(files, scope, skill.file);
    if (text === undefined) return { error: `${skill.file} is gone or now resolves outside ${skill.root}` };
    const parsed = parseSkillFile(text);
    if (!parsed.ok) return { error: `${skill.file}: ${parsed.reason}` };
    if (parsed.name !== skill.name) return { error: `${skill.file} now names the skill "${parsed.name}"` };
    const body = parsed.body.length > MAX_SKILL_BODY_CHARS ? `${parsed.body.slice(0, MAX_SKILL_BODY_CHARS)}\n[… truncated: read the rest from the file]` : parsed.body;
    return { body };
  } catch (error) {
    return { error: `${skill.file} could not be read: ${errorText(error)}` };
  }
}

async function skillsIn(files: FileReader, root: SkillRoot, workspace: WorkspaceScope | undefined, skipped: SkippedSkill[]): Promise<Skill[]> {
  const skip = (path: string, reason: string) => skipped.push({ path, scope: root.scope, reason });
  let names: string[];
  try {
    if (!(await files.isDirectory(root.path))) return [];
    if (workspace && root.scope === 'project' && (await workspace.resolveInside(root.path)) === undefined) {
      skip(root.path, 'this skills folder resolves outside the workspace (a symbolic link), so none of its skills load');
      return [];
    }
    names = (await files.listDirectory!(root.path)).filter((n) => !n.startsWith('.')).sort(byCodeUnits);
  } catch (error) {
    skip(root.path, `this skills folder could not be read: ${errorText(error)}`);
    return [];
  }
  if (names.length > MAX_SKILLS_PER_FOLDER) {
    skip(root.path, `only the first ${MAX_SKILLS_PER_FOLDER} of its ${names.length} folders were looked at (by name)`);
    names = names.slice(0, MAX_SKILLS_PER_FOLDER);
  }
  const scope = await WorkspaceScope.create([root.path], files);
  const skills: Skill[] = [];
  for (const folderName of names) {
    const dir = joinPath(root.path, folderName);
    const file = joinPath(dir, 'SKILL.md');
    try {
      if (!(await files.isDirectory(dir))) continue; // a loose file (a README) is not a skill
      if ((await scope.resolveInside(dir)) === undefined) {
        skip(dir, 'the skill folder resolves outside its skills folder (a symbolic link), so it is not loaded');
        continue;
      }
      if (!(await files.exists(file))) {
        skip(dir, 'no SKILL.md in this folder');
        continue;
      }
      const text = await readInstructionFile(files, scope, file);
      if (text === undefined) {
        skip(dir, 'SKILL.md resolves outside its skills folder (a symbolic link), so it is not loaded');
        continue;
      }
      const parsed = parseSkillFile(text);
      if (!parsed.ok) {
        skip(dir, `malformed SKILL.md: ${parsed.reason}`);
        continue;
      }
      if (parsed.name !== folderName) {
        skip(dir, `malformed SKILL.md: the name "${parsed.name}" differs from its folder's name`);
        continue;
      }
      skills.push({ name: parsed.name, description: parsed.description, scope: root.scope, dir, file, root: root.path });
    } catch (error) {
      skip(dir, `SKILL.md could not be read: ${errorText(error)}`);
    }
  }
  return skills;
}

function joinPath(dir: string, rest: string): string {
  return dir === '/' ? `/${rest}` : `${dir}/${rest}`;
}

/** Locale-independent order, so every machine lists skills (and builds the prompt) the same way. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
