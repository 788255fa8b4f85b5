// The review of one proposed change set: per file, its hunks and their states, and when every hunk is
// decided, the outcome the agent is told (which hunks were accepted, rejected or went stale, and the
// user's note) so it can continue sensibly. Pure: the VS Code layer does the editing.
import type { FileChangeSummary } from '../../shared/events';
import type { ChangeSet, FileChange, PatchOutcome } from '../patch/types';
import { computeHunks, summarizeHunks, type HunkState, type ReviewHunk } from './hunks';
import { staleClauseForAgent } from './staleCause';

const BOM = '\uFEFF';
export const stripBom = (text: string): string => (text.startsWith(BOM) ? text.slice(1) : text);

export interface FileReview {
  /** Absolute path of the file as it is now (for adds: the file to create). */
  path: string;
  /** As shown to the user and the model (workspace-relative when inside it). */
  displayPath: string;
  kind: FileChange['kind'];
  movePath?: string;
  /**
   * Adds, deletes and moves are decided as a whole (one hunk covering the file); updates per hunk.
   * Offsets are into the text without a BOM, which is what an editor buffer holds.
   */
  wholeFile: boolean;
  oldText: string;
  newText: string;
  hunks: ReviewHunk[];
}

export interface ChangeSetReview {
  id: string;
  turnId: string;
  files: FileReview[];
  /** The user's notes per hunk id, passed on to the model. */
  notes: Map<string, string>;
}

export function createChangeSetReview(changeSet: ChangeSet, turnId: string, displayPath: (absolute: string) => string): ChangeSetReview {
  return {
    id: changeSet.id,
    turnId,
    notes: new Map(),
    files: changeSet.changes.map((change, index) => {
      const oldText = stripBom(change.oldText ?? '');
      const newText = stripBom(change.newText ?? '');
      const wholeFile = change.kind !== 'update' || change.movePath !== undefined;
      const hunks = wholeFile
        ? [{ id: `${index + 1}.1`, start: 0, end: oldText.length, oldText, newText, state: 'pending' as HunkState, line: 1 }]
        : computeHunks(oldText, newText, String(index + 1));
      return {
        path: change.path,
        displayPath: displayPath(change.path),
        kind: change.kind,
        ...(change.movePath !== undefined ? { movePath: change.movePath } : {}),
        wholeFile,
        oldText,
        newText,
        hunks,
      };
    }),
  };
}

/** Adds the per-hunk summaries to the chat's file summaries (same order as the change set). */
export function withHunkSummaries(files: FileChangeSummary[], review: ChangeSetReview): FileChangeSummary[] {
  return files.map((file, i) => {
    const fileReview = review.files[i];
    if (!fileReview) return file;
    return { ...file, hunks: summarizeHunks(fileReview.oldText, fileReview.hunks), wholeFile: fileReview.wholeFile };
  });
}

export function findHunk(review: ChangeSetReview, hunkId: string): { file: FileReview; hunk: ReviewHunk } | undefined {
  for (const file of review.files) {
    const hunk = file.hunks.find((h) => h.id === hunkId);
    if (hunk) return { file, hunk };
  }
  return undefined;
}

export const isDecided = (review: ChangeSetReview): boolean => review.files.every((f) => f.hunks.every((h) => h.state !== 'pending'));

export const pendingCount = (review: ChangeSetReview): number => review.files.reduce((n, f) => n + f.hunks.filter((h) => h.state === 'pending').length, 0);

function describeFile(file: FileReview, notes: Map<string, string>): string {
  const name = file.movePath ? `${file.displayPath} → ${file.movePath}` : file.displayPath;
  const by = (state: HunkState) => file.hunks.filter((h) => h.state === state);
  const noteOf = (h: ReviewHunk) => (notes.get(h.id) ? ` (note: "${notes.get(h.id)}")` : '');
  if (file.wholeFile) {
    const [hunk] = file.hunks;
    const what = file.kind === 'add' ? 'creating it' : file.kind === 'delete' ? 'deleting it' : 'the move and its edits';
    if (!hunk) return `${name}: nothing to do.`;
    if (hunk.state === 'accepted') return `${name}: accepted (${what}).`;
    if (hunk.state === 'stale') {
      const because = hunk.staleCause?.kind === 'other-proposal' ? ` ${staleClauseForAgent(hunk.staleCause)}` : ', the file changed while it was under review';
      return `${name}: not applied${because}.`;
    }
    return `${name}: rejected (${what})${noteOf(hunk)}.`;
  }
  const total = file.hunks.length;
  const accepted = by('accepted');
  const rejected = [...by('rejected'), ...by('undone')];
  const stale = by('stale');
  if (accepted.length === total) return `${name}: all ${total} hunk${total === 1 ? '' : 's'} accepted.`;
  const parts: string[] = [];
  if (accepted.length) parts.push(`accepted the hunk${accepted.length > 1 ? 's' : ''} at line ${accepted.map((h) => h.line).join(', ')}`);
  if (rejected.length) parts.push(`rejected the hunk${rejected.length > 1 ? 's' : ''} at line ${rejected.map((h) => `${h.line}${noteOf(h)}`).join(', ')}`);
  // One clause per cause: another chat's accepted edit asks for a redo, the user's typing does not.
  const staleByCause = new Map<string, ReviewHunk[]>();
  for (const h of stale) {
    const clause = staleClauseForAgent(h.staleCause);
    staleByCause.set(clause, [...(staleByCause.get(clause) ?? []), h]);
  }
  for (const [clause, group] of staleByCause) parts.push(`did not apply the hunk${group.length > 1 ? 's' : ''} at line ${group.map((h) => h.line).join(', ')} ${clause}`);
  return `${name}: ${parts.join('; ')}.`;
}

/** The outcome for the model once every hunk is decided. */
export function reviewOutcome(review: ChangeSetReview): PatchOutcome {
  const hunks = review.files.flatMap((f) => f.hunks);
  const accepted = hunks.filter((h) => h.state === 'accepted').length;
  const outcome: PatchOutcome['outcome'] = accepted === hunks.length ? 'applied' : accepted === 0 ? 'discarded' : 'partial';
  const lines = review.files.map((f) => describeFile(f, review.notes));
  const lead =
    outcome === 'applied'
      ? 'The user accepted the whole change.'
      : outcome === 'discarded'
        ? 'The user accepted none of the change; nothing was written.'
        : 'The user accepted part of the change; only the accepted hunks were written.';
  const tail = outcome === 'applied' ? '' : ' Read the files again before changing them further.';
  return { outcome, message: `${lead}\n${lines.join('\n')}${tail}` };
}
