// Owns every change set under review. Proposals never enter a document: the buffer holds only the user's
// text plus accepted hunks, so saving, auto-save or a crash can never put unaccepted lines on disk.
// Accepting goes through `workspace.applyEdit` (one undo step per accept; one atomic edit for "accept
// all"), rejecting does nothing to the file at all. While the user types, hunks move with the text or go
// stale (see core/review/transform.ts). State changes are reported as `patch.hunk` / `patch.resolved`
// events through `report`, which the chat controller logs and forwards to the view.
// Several chats may have proposals on one file at once: each is reviewed on its own, an accepted edit of
// one moves the others' hunks or makes them stale naming that chat (core/review/sharedDocument.ts), and a
// chat view can decide only its own chat's proposals (`decideInChat`).
import * as vscode from 'vscode';
import type { ChangeSet, PatchOutcome } from '../../core/patch/types';
import {
  createChangeSetReview,
  isDecided,
  pendingCount,
  reviewOutcome,
  type ChangeSetReview,
  type FileReview,
} from '../../core/review/changeSetReview';
import type { HunkState, ReviewHunk } from '../../core/review/hunks';
import { transformReviews } from '../../core/review/sharedDocument';
import { staleReason, type StaleCause } from '../../core/review/staleCause';
import { isUndoable } from '../../core/review/transform';
import type { AgentEvent } from '../../shared/events';
import { DisposableStore } from '../disposables';
import { buildAcceptEdit, buildUndoEdit, changedSinceBuilt, cleanResults, saveUntouched, wholeFileResults } from './reviewEdits';
import { belongsTo, causeAtAccept, changeSourceOf, staleElsewhereMessage, type Applying } from './reviewOrigins';

/** The chat a change set came from: who may decide it from a chat view, and whose title other chats' stale hunks give. */
export interface ReviewOrigin {
  chatId: string;
  title(): string;
}

export interface ActiveReview {
  /** `review.id` is this manager's key (unique among live reviews); events name the chat's `changeSetId`. */
  review: ChangeSetReview;
  changeSetId: string;
  origin?: ReviewOrigin;
  /** Set while a turn waits for the user's decisions. */
  resolve?: (outcome: PatchOutcome) => void;
  /** Applied without asking (auto / full-access): hunks stay undoable until the user moves on. */
  autoApplied: boolean;
  /** The outcome was given (to the waiting turn, or as `patch.resolved`): once per change set. */
  settled?: boolean;
}

export type ReviewDecision = 'accept' | 'reject' | 'undo';

export class ReviewManager implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly reviews = new Map<string, ActiveReview>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires whenever a hunk's state or position changes (CodeLens, decorations, status bar listen). */
  readonly onDidChange = this.changed.event;
  /** The hunk whose own edit is being applied right now: its change event is not the user's typing. */
  private applying: Applying | undefined;
  /** The status-bar note that another chat's hunks went stale (one at a time). */
  private staleNote: vscode.Disposable | undefined;

  constructor(
    private readonly report: (event: AgentEvent) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.add(this.changed);
    this.disposables.add(vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChanged(e)));
    this.disposables.add(vscode.workspace.onDidDeleteFiles((e) => this.onFilesGone(e.files)));
    this.disposables.add(vscode.workspace.onDidRenameFiles((e) => this.onFilesGone(e.files.map((f) => f.oldUri))));
  }

  /**
   * Starts reviewing a change set. With `needsReview` the returned promise settles once every hunk is
   * decided (or the turn is aborted); without it, everything is applied at once and stays undoable.
   */
  async propose(changeSet: ChangeSet, options: { needsReview: boolean; turnId: string; signal: AbortSignal; origin?: ReviewOrigin }): Promise<PatchOutcome> {
    // Change set ids come from the model's tool-call ids, which another chat (or a server that numbers its
    // calls `call_0`, `call_1`, …) can repeat: a second proposal never replaces a live one.
    let key = changeSet.id;
    for (let n = 2; this.reviews.has(key); n++) key = `${changeSet.id}#${n}`;
    const review = createChangeSetReview({ ...changeSet, id: key }, options.turnId, (path) => vscode.workspace.asRelativePath(vscode.Uri.file(path)));
    const active: ActiveReview = { review, changeSetId: changeSet.id, autoApplied: !options.needsReview, ...(options.origin ? { origin: options.origin } : {}) };
    this.reviews.set(review.id, active);
    if (!options.needsReview) {
      await this.markChangedSinceProposal(active);
      const outcome = await this.acceptAll(review.id);
      this.changed.fire();
      return outcome ?? { outcome: 'failed', message: 'Nothing could be applied.' };
    }
    // The waiter is in place before the first await: the review may be decided (every file changed since
    // the patch was made) or the turn stopped while the files are read.
    const decided = new Promise<PatchOutcome>((resolve) => (active.resolve = resolve));
    const onAbort = () => {
      const resolve = active.resolve;
      if (!resolve) return;
      active.resolve = undefined;
      // The hunks stay reviewable in the editor and the chat; what the user decides later shows on the card.
      resolve({ outcome: 'discarded', message: 'The user stopped the turn while this change was under review; nothing more was written.' });
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    await this.markChangedSinceProposal(active);
    if (!active.settled) void this.showFirstFile(review);
    this.changed.fire();
    return decided;
  }

  /**
   * Whether the hunk's own edit is being applied right now: the document already changes (and the editor
   * asks for CodeLens again) a moment before the hunk is marked accepted, so views treat it as decided.
   */
  isBeingApplied(changeSetId: string, hunkId: string): boolean {
    return this.applying?.reviewId === changeSetId && this.applying.hunkIds.has(hunkId);
  }

  get all(): readonly ActiveReview[] {
    return [...this.reviews.values()];
  }

  get(changeSetId: string): ActiveReview | undefined {
    return this.reviews.get(changeSetId);
  }

  /** Pending hunks across every review, in review then document order. */
  pendingHunks(): { review: ActiveReview; file: FileReview; hunk: ReviewHunk }[] {
    return this.all.flatMap((review) => review.review.files.flatMap((file) => file.hunks.filter((h) => h.state === 'pending').map((hunk) => ({ review, file, hunk }))));
  }

  /** Files (absolute paths) with pending or undoable hunks. */
  filesUnderReview(): string[] {
    const paths = new Set<string>();
    for (const { review } of this.all) for (const file of review.files) if (file.hunks.some((h) => h.state === 'pending' || isUndoable(h))) paths.add(file.path);
    return [...paths];
  }

  /**
   * The key of `chatId`'s live review of `changeSetId` (the newest if the chat repeated an id), or undefined
   * when that chat has none: a chat view names change sets by the chat's ids and may touch only its own.
   */
  keyInChat(chatId: string, changeSetId: string): string | undefined {
    return this.all.filter((a) => a.changeSetId === changeSetId && belongsTo(a, chatId)).pop()?.review.id;
  }

  /** A decision from a chat view: applied only to that chat's own change set. */
  async decideInChat(chatId: string, changeSetId: string, hunkId: string | undefined, decision: ReviewDecision, note?: string): Promise<void> {
    const key = this.keyInChat(chatId, changeSetId);
    if (key === undefined && this.reviews.has(changeSetId)) this.log.warn(`A chat view tried to decide change set ${changeSetId} of another chat; ignored.`);
    await this.decide(key ?? '', hunkId, decision, note);
  }

  /** Applies a user decision on one hunk, or on every hunk of the change set when `hunkId` is absent. */
  async decide(changeSetId: string, hunkId: string | undefined, decision: ReviewDecision, note?: string): Promise<void> {
    const active = this.reviews.get(changeSetId);
    if (!active) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: this change is no longer under review (it was decided, or the window reloaded).'));
      return;
    }
    if (note) for (const file of active.review.files) for (const h of file.hunks) if (!hunkId || h.id === hunkId) active.review.notes.set(h.id, note);
    if (decision === 'accept') {
      if (hunkId) await this.acceptHunks(active, [hunkId]);
      else await this.acceptAll(changeSetId);
    } else if (decision === 'reject') {
      for (const file of active.review.files) for (const h of file.hunks) if ((!hunkId || h.id === hunkId) && h.state === 'pending') this.setState(active, h, 'rejected');
    } else {
      await this.undo(active, hunkId);
    }
    this.settleIfDecided(active);
    this.changed.fire();
  }

  /** Accepts every pending hunk of the change set in one atomic WorkspaceEdit. */
  private async acceptAll(changeSetId: string): Promise<PatchOutcome | undefined> {
    const active = this.reviews.get(changeSetId);
    if (!active) return undefined;
    const ids = active.review.files.flatMap((f) => f.hunks.filter((h) => h.state === 'pending').map((h) => h.id));
    await this.acceptHunks(active, ids);
    this.settleIfDecided(active);
    return isDecided(active.review) ? reviewOutcome(active.review) : undefined;
  }

  private async acceptHunks(active: ActiveReview, hunkIds: readonly string[]): Promise<void> {
    const wanted = new Set(hunkIds);
    // Two tries: the user may type while the edit is built (then it is built again), and the workbench
    // refuses an edit made against a version the user has typed past.
    for (let attempt = 0; attempt < 2; attempt++) {
      const targets = active.review.files.flatMap((file) => file.hunks.filter((h) => wanted.has(h.id) && h.state === 'pending').map((hunk) => ({ file, hunk })));
      if (targets.length === 0) return;
      const built = await buildAcceptEdit(targets);
      for (const stale of built.stale) this.markStale(active, stale.hunk, causeAtAccept(this.all, active, stale.file));
      if (built.targets.length === 0) return;
      if (changedSinceBuilt(built)) {
        this.log.info(`Review ${active.review.id}: a file changed while the edit was built; building it again.`);
        continue;
      }
      // From here to applyEdit nothing awaits: which documents are clean, and their text, are what the edit applies to.
      const uris = new Set(built.targets.filter((t) => !t.file.wholeFile).map((t) => vscode.Uri.file(t.file.path).toString()));
      const results = new Map([...cleanResults(built.edit, uris), ...wholeFileResults(built.targets)]);
      this.applying = { reviewId: active.review.id, hunkIds: new Set(built.targets.map((t) => t.hunk.id)), action: active.autoApplied ? 'applied' : 'accepted' };
      let ok: boolean;
      try {
        ok = await vscode.workspace.applyEdit(built.edit);
      } finally {
        this.applying = undefined;
      }
      if (!ok) {
        this.log.warn(`Review ${active.review.id}: the workbench refused the edit (attempt ${attempt + 1}).`);
        continue;
      }
      for (const { hunk } of built.targets) {
        hunk.end = hunk.start + hunk.newText.length;
        this.setState(active, hunk, 'accepted');
      }
      // The CodeLens, decorations and counter show the decision now, not after the save below.
      this.changed.fire();
      await saveUntouched(results);
      return;
    }
    void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: VS Code refused the edit twice (the file kept changing); the hunk is still pending.'));
  }

  private async undo(active: ActiveReview, hunkId: string | undefined): Promise<void> {
    const targets = active.review.files.flatMap((file) => file.hunks.filter((h) => (!hunkId || h.id === hunkId) && isUndoable(h)).map((hunk) => ({ file, hunk })));
    if (targets.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: nothing to undo here (the lines were edited since, or the change was not applied). Use Undo in the editor instead.'));
      return;
    }
    const built = await buildUndoEdit(targets);
    if (built.targets.length === 0) return;
    if (changedSinceBuilt(built)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: the file changed while the undo was prepared; nothing was undone. Try again.'));
      return;
    }
    // As for an accept: only documents without unsaved changes are saved after the undo, and only while
    // they hold exactly what the undo made (the user's unsaved typing is never saved for them).
    const uris = new Set(built.targets.map((t) => vscode.Uri.file(t.file.path).toString()));
    const results = cleanResults(built.edit, uris);
    this.applying = { reviewId: active.review.id, hunkIds: new Set(built.targets.map((t) => t.hunk.id)), action: 'undone' };
    try {
      if (!(await vscode.workspace.applyEdit(built.edit))) return;
    } finally {
      this.applying = undefined;
    }
    for (const { hunk } of built.targets) {
      hunk.end = hunk.start + hunk.oldText.length;
      this.setState(active, hunk, 'undone');
    }
    this.changed.fire();
    await saveUntouched(results);
  }

  /**
   * The user moved on (a new message): auto-applied changes are final, decided reviews are forgotten. With
   * `chatId`, only that chat's: a message in one chat does not take the Undo of another chat's edits away.
   */
  finishDecided(chatId?: string): void {
    for (const [id, active] of this.reviews) {
      if (isDecided(active.review) && (chatId === undefined || belongsTo(active, chatId))) this.reviews.delete(id);
    }
    this.changed.fire();
  }

  private setState(active: ActiveReview, hunk: ReviewHunk, state: Exclude<HunkState, 'stale'>): void {
    if (hunk.state === state) return;
    hunk.state = state;
    this.reportState(active, hunk);
  }

  private markStale(active: ActiveReview, hunk: ReviewHunk, cause: StaleCause): void {
    if (hunk.state === 'stale') return;
    hunk.state = 'stale';
    hunk.staleCause = cause;
    this.reportState(active, hunk);
  }

  /** Tells the chat (and the session log) the hunk's current state, and for a stale hunk why. */
  private reportState(active: ActiveReview, hunk: ReviewHunk): void {
    const note = active.review.notes.get(hunk.id);
    const reason = hunk.state === 'stale' && hunk.staleCause ? staleReason(hunk.staleCause) : undefined;
    this.report({ type: 'patch.hunk', turnId: active.review.turnId, changeSetId: active.changeSetId, hunkId: hunk.id, state: hunk.state, ...(note ? { note } : {}), ...(reason ? { reason } : {}) });
  }

  /**
   * Once every hunk is decided, gives the outcome once: to the turn waiting for it (the apply_patch tool
   * then reports `patch.resolved`), or, when the turn has ended meanwhile, as `patch.resolved` here.
   * Auto-applied sets are reported by the tool from `propose`'s result. Later undo or typing never
   * reports it again.
   */
  private settleIfDecided(active: ActiveReview): void {
    if (active.settled || !isDecided(active.review)) return;
    active.settled = true;
    const outcome = reviewOutcome(active.review);
    if (active.resolve) {
      const resolve = active.resolve;
      active.resolve = undefined;
      resolve(outcome);
    } else if (!active.autoApplied) {
      this.report({ type: 'patch.resolved', turnId: active.review.turnId, changeSetId: active.changeSetId, outcome: outcome.outcome, message: outcome.message });
    }
  }

  private onDocumentChanged(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0 || e.document.uri.scheme !== 'file') return;
    const path = e.document.uri.fsPath;
    const changes = e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text }));
    const onDocument = this.all.filter((a) => a.review.files.some((f) => f.path === path));
    if (onDocument.length === 0) return;
    const stale = transformReviews(
      onDocument.map((a) => ({ review: a.review, ...(a.origin ? { chatId: a.origin.chatId } : {}) })),
      path,
      changes,
      changeSourceOf(this.applying, this.applying && this.reviews.get(this.applying.reviewId)),
    );
    for (const { review, hunk } of stale) {
      const active = this.reviews.get(review.id);
      if (active) this.reportState(active, hunk);
    }
    const note = staleElsewhereMessage(stale.map((s) => s.hunk));
    if (note) {
      this.staleNote?.dispose();
      this.staleNote = vscode.window.setStatusBarMessage(note, 8000);
    }
    for (const active of onDocument) this.settleIfDecided(active);
    this.changed.fire();
  }

  private onFilesGone(uris: readonly vscode.Uri[]): void {
    const gone = new Set(uris.map((u) => u.fsPath));
    for (const active of this.reviews.values()) {
      for (const file of active.review.files) {
        if (!gone.has(file.path) || file.kind === 'add') continue;
        for (const hunk of file.hunks) if (hunk.state === 'pending') this.markStale(active, hunk, { kind: 'file-moved' });
      }
      this.settleIfDecided(active);
    }
    this.changed.fire();
  }

  /** A file that no longer holds what the patch was made against: its hunks cannot apply. */
  private async markChangedSinceProposal(active: ActiveReview): Promise<void> {
    for (const file of active.review.files) {
      if (file.kind === 'add') continue;
      let current: string | undefined;
      try {
        current = (await vscode.workspace.openTextDocument(vscode.Uri.file(file.path))).getText();
      } catch {
        current = undefined;
      }
      if (current !== file.oldText) {
        this.log.warn(`Review ${active.review.id}: ${file.displayPath} changed since the patch was made.`);
        for (const hunk of file.hunks) this.markStale(active, hunk, { kind: current === undefined ? 'file-gone' : 'file-changed' });
      }
    }
    this.settleIfDecided(active);
  }

  private async showFirstFile(review: ChangeSetReview): Promise<void> {
    const first = review.files.find((f) => f.kind === 'update' && !f.wholeFile && f.hunks.some((h) => h.state === 'pending'));
    if (!first) return;
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(first.path));
      const hunk = first.hunks.find((h) => h.state === 'pending');
      const at = hunk ? document.positionAt(hunk.start) : new vscode.Position(0, 0);
      await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true, selection: new vscode.Range(at, at) });
    } catch (error) {
      this.log.warn(`Could not open ${first.displayPath} for review:`, error);
    }
  }

  /** Counts for the status bar. */
  get pendingTotal(): number {
    return this.all.reduce((n, a) => n + pendingCount(a.review), 0);
  }

  dispose(): void {
    for (const active of this.reviews.values()) active.resolve?.({ outcome: 'discarded', message: 'Tandem shut down before the change was reviewed; nothing more was written.' });
    this.reviews.clear();
    this.staleNote?.dispose();
    this.disposables.dispose();
  }
}

