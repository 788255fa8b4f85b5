// AGENTS.md discovery: every AGENTS.md from the workspace root down to the working directory, outermost
// first, so deeper (more specific) files come last and win. Read through the FileReader port.
// An AGENTS.md (or a directory on the way) that is a symlink resolving outside the workspace is not
// read: a repository must not be able to make Tandem read, say, ~/.ssh/config into the model's prompt
// or point its instructions at a file someone else controls. Where the reader can say where the file it
// opened really is, that is what is checked, so a link swapped in after a check does not get through.
import type { FileReader } from '../ports';
import { reportsRealPath, WorkspaceScope } from '../tools/workspaceScope';

/** Cap per file and in total, so a huge AGENTS.md cannot crowd out the conversation. */
const MAX_AGENTS_MD_CHARS = 32_000;

/** Directories from `root` to `cwd` inclusive (posix paths). `cwd` outside `root` yields just `root`. */
export function directoriesFromRoot(root: string, cwd: string): string[] {
  const trimmedRoot = root.replace(/\/+$/, '') || '/';
  if (cwd !== trimmedRoot && !cwd.startsWith(trimmedRoot === '/' ? '/' : trimmedRoot + '/')) return [trimmedRoot];
  const rest = cwd.slice(trimmedRoot.length).split('/').filter(Boolean);
  const dirs = [trimmedRoot];
  let current = trimmedRoot;
  for (const part of rest) {
    current = current === '/' ? `/${part}` : `${current}/${part}`;
    dirs.push(current);
  }
  return dirs;
}

/** The text of an instruction file, or `undefined` when it is missing or resolves outside the workspace. */
export async function readInstructionFile(files: FileReader, scope: WorkspaceScope, path: string): Promise<string | undefined> {
  if ((await scope.resolveInside(path)) === undefined) return undefined;
  if (!reportsRealPath(files)) return files.readText(path);
  const { text, realPath } = await files.readTextWithRealPath(path);
  return text !== undefined && scope.holdsRealPath(realPath) ? text : undefined;
}

export async function loadAgentsMd(files: FileReader, root: string, cwd: string): Promise<string | undefined> {
  const sections: string[] = [];
  let total = 0;
  const scope = await WorkspaceScope.create([root], files);
  for (const dir of directoriesFromRoot(root, cwd)) {
    const path = dir === '/' ? '/AGENTS.md' : `${dir}/AGENTS.md`;
    let text: string | undefined;
    try {
      text = await readInstructionFile(files, scope, path);
    } catch {
      continue; // unreadable AGENTS.md: skip it rather than fail the turn
    }
    if (!text?.trim()) continue;
    const room = MAX_AGENTS_MD_CHARS - total;
    if (room <= 0) break;
    const body = text.length > room ? `${text.slice(0, room)}\n[… truncated]` : text;
    total += body.length;
    sections.push(`# AGENTS.md instructions for ${dir}\n\n<INSTRUCTIONS>\n${body.trim()}\n</INSTRUCTIONS>`);
  }
  return sections.length ? sections.join('\n\n') : undefined;
}
