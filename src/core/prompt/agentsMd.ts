// AGENTS.md discovery: every AGENTS.md from the workspace root down to the working directory, outermost
// first, so deeper (more specific) files come last and win. Read through the FileReader port.
import type { FileReader } from '../ports';

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

export async function loadAgentsMd(files: FileReader, root: string, cwd: string): Promise<string | undefined> {
  const sections: string[] = [];
  let total = 0;
  for (const dir of directoriesFromRoot(root, cwd)) {
    const path = dir === '/' ? '/AGENTS.md' : `${dir}/AGENTS.md`;
    let text: string | undefined;
    try {
      text = await files.readText(path);
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
