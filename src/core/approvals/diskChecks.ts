// The policy's verdict comes from the command's words; two questions need the disk, so AgentSession
// asks them here, through the FileReader port, right before a command runs:
//
// 1. Without an OS sandbox, the strict allowlist runs `cat`, `head`, `grep -r`… unasked. Its word checks
//    keep operands relative and out of `proc/`, but a workspace symlink `p -> /proc` makes
//    `head -c 40 p/<pid>/environ` read Tandem's own environment (the API key, rebuilt piece by piece
//    past redaction). So each operand, and the working directory, must resolve inside a workspace root
//    and not under /proc, /sys or /dev; otherwise the command is asked (refused in read-only mode).
// 2. With the sandbox, protected names are mounted read-only, but for a protected top-level name that
//    is a symlink (`.vscode -> vsc`, `AGENTS.md -> docs/A.md`, dangling ones too) only the target can
//    be mounted: the link itself sits in a writable folder and can be removed or replaced. A command that
//    would write unasked in such a workspace is asked instead, naming the link. (The runner also puts the
//    link back after each command: sandboxedRunner.ts, protectedLinks.ts.) One exception: an AGENTS.md
//    linking to a regular file inside the workspace (isInWorkspaceFileLink below).
import { WorkspaceScope } from '../tools/workspaceScope';
import { normalizePath, relativePathInside } from '../patch/posixPath';
import type { FileReader } from '../ports';
import { parseShell } from './shellParse';
import { strictFileOperands } from './strictAllowlist';
import { PROTECTED_NAMES } from './protectedNames';

/** Top-level names that stay read-only in every sandboxed profile (the one list: protectedNames.ts). */
export const PROTECTED_TOP_LEVEL = PROTECTED_NAMES;

const KERNEL_TREES = ['/proc', '/sys', '/dev'];

function absolute(cwd: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${cwd.replace(/\/+$/, '')}/${path}`);
}

/**
 * Why a strictly allowlisted command would read outside the workspace (naming the operand), or
 * `undefined` when every file it reads resolves inside a root. Fails closed: a command whose operands
 * cannot be listed, or a reader that cannot resolve links, counts as leaving.
 */
export async function strictReadEscape(
  command: string,
  cwd: string,
  roots: readonly string[],
  files: FileReader,
  gitEnvironmentApplied: boolean,
): Promise<string | undefined> {
  const operands = strictFileOperands(parseShell(command), { gitEnvironmentApplied });
  if (operands === undefined) return 'its file operands could not be listed';
  if (!files.realPath) return 'symlinks cannot be resolved here';
  const scope = await WorkspaceScope.create(roots, files);
  for (const operand of ['.', ...operands]) {
    const written = absolute(cwd, operand);
    const real = await scope.resolveInside(written);
    const shown = operand === '.' ? `the working directory ${cwd}` : `\`${operand}\``;
    if (real === undefined) return `${shown} resolves outside the workspace (through a symlink)`;
    if (KERNEL_TREES.some((tree) => relativePathInside(tree, real) !== undefined)) return `${shown} resolves into ${real}`;
  }
  return undefined;
}

/**
 * The protected top-level names in the workspace roots that are symlinks (dangling ones included), as
 * absolute paths. One that cannot be checked (unreadable) counts as a link; readers that cannot tell
 * (no `isSymbolicLink`: in-memory ones) have no links and report nothing.
 */
export async function protectedSymlinks(roots: readonly string[], files: FileReader): Promise<string[]> {
  const isLink = files.isSymbolicLink?.bind(files);
  if (!isLink) return [];
  const candidates = roots.flatMap((root) => PROTECTED_TOP_LEVEL.map((name) => `${root.replace(/\/+$/, '')}/${name}`));
  const links = await Promise.all(
    candidates.map(async (p) => ((await isLink(p).catch(() => true)) && !(await isInWorkspaceFileLink(p, roots, files)) ? p : undefined)),
  );
  return links.filter((p): p is string => p !== undefined);
}

/**
 * `AGENTS.md -> CLAUDE.md` is how many projects share one instruction file between agents: a link to an
 * existing regular file inside the same workspace. The sandbox mounts that file read-only, and the runner
 * puts the link back if a command replaces it (protectedLinks.ts), so such a link does not make every
 * writing command ask. Directory links (`.vscode -> vsc`, whose contents VS Code reads live), dangling
 * links and links out of the workspace still do.
 */
async function isInWorkspaceFileLink(link: string, roots: readonly string[], files: FileReader): Promise<boolean> {
  if (!link.endsWith('/AGENTS.md') || !files.realPath) return false;
  try {
    const scope = await WorkspaceScope.create(roots, files);
    const target = await scope.resolveInside(link);
    return target !== undefined && (await files.exists(target)) && !(await files.isDirectory(target));
  } catch {
    return false;
  }
}
