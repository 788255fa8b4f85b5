// What a bring-back left in the workspace, per path, as the worktree's next baseline: for each file of the
// change set, the text it was proposed against with exactly the hunks the user accepted applied (an add,
// delete or move is one hunk: accepted, the path holds the new file or nothing). Computed from the change
// set itself, not read back from the workspace: the user's own unsaved or later edits there are not what
// came back, and must keep showing as changes of theirs (stale) rather than be taken for the agent's.
import { relative } from 'node:path';
import { protectedPart } from '../../core/approvals/paths';
import { createChangeSetReview, stripBom } from '../../core/review/changeSetReview';
import { applyHunks } from '../../core/review/hunks';
import type { ChangeSet } from '../../core/patch/types';
import type { RebaselineEntry } from './worktreeRecords';

const BOM = '\uFEFF';

/**
 * A path component as the file systems the workspace may sit on would resolve it: NTFS drops trailing dots
 * and spaces and reads `name:stream` as `name`; HFS+ ignores zero-width and direction marks; both ignore
 * case, and macOS Unicode normalization. So `.git./hooks`, `.vsco\u200Cde` and `AGENTS.md::$DATA` are the
 * protected names they spell there.
 */
function asResolved(component: string): string {
  const name = component.replace(/\p{Default_Ignorable_Code_Point}/gu, '').normalize('NFC').toLowerCase().split(':', 1)[0]!;
  return name.replace(/[. ]+$/, '') || name;
}

/** An NTFS short (8.3) name such as `GIT~1` or `VSCODE~1`: it may stand for any long name in that folder. */
const SHORT_NAME = /~\d/;

/**
 * Why a repository-relative path must not come back without the user saying so: core's protected names
 * (protectedNames.ts: .git, .vscode, .tandem, .agents, AGENTS.md, .mcp.json, at any depth, any case) and
 * any `.git*` name (.gitattributes, .gitmodules, .github workflows: git and CI act on them), also in the
 * spellings that reach them on Windows or macOS (asResolved), and any short name (`GIT~1`).
 */
export function protectedName(repoRelative: string): string | undefined {
  const components = repoRelative.split('/');
  const part = protectedPart(components.map(asResolved).join('/'));
  if (part !== undefined) return part;
  return components.find((name) => asResolved(name).startsWith('.git') || SHORT_NAME.test(name));
}

/** Control and text-direction characters: in a name they could forge or reorder the words of a question. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_IN_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A file name as it is put into a message or the protected-name question: plain when it holds only
 * printable characters, otherwise quoted with each control or direction character spelled as `\uXXXX`
 * (a name `x\n\nNothing protected here.` must not write its own lines into a modal).
 */
export function shownPath(name: string): string {
  const escaped = name.replace(UNSAFE_IN_TEXT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped === name ? name : `"${escaped}"`;
}

/**
 * The new baseline of every path where the user accepted something. `accepted`: the accepted hunk ids of
 * the change set's review (`<file index>.<hunk index>`, as createChangeSetReview numbers them).
 */
export function broughtBackEntries(changeSet: ChangeSet, accepted: ReadonlySet<string>, toplevel: string): RebaselineEntry[] {
  // A fresh review of the same set: the hunks' offsets into the proposed-against text, before any typing moved them.
  const review = createChangeSetReview(changeSet, 'rebaseline', (path) => path);
  const entries: RebaselineEntry[] = [];
  const rel = (path: string) => relative(toplevel, path).split('\\').join('/');
  review.files.forEach((file, index) => {
    const change = changeSet.changes[index]!;
    const taken = file.hunks.filter((hunk) => accepted.has(hunk.id));
    if (taken.length === 0) return;
    if (change.kind === 'delete') {
      entries.push({ path: rel(change.path), content: undefined });
      return;
    }
    if (change.kind === 'add' || change.movePath !== undefined) {
      if (change.movePath !== undefined) entries.push({ path: rel(change.path), content: undefined });
      entries.push({ path: rel(change.movePath ?? change.path), content: Buffer.from(change.newText ?? '', 'utf8') });
      return;
    }
    const old = change.oldText ?? '';
    const text = applyHunks(stripBom(old), taken);
    entries.push({ path: rel(change.path), content: Buffer.from(old.startsWith(BOM) ? BOM + text : text, 'utf8') });
  });
  return entries;
}
