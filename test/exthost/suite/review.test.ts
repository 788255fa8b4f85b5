// The review against the real VS Code API: WorkspaceEdit, documents, undo, change events.
// A ReviewManager of its own (the extension's is private to it), fed change sets as the agent would.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeSet, PatchOutcome } from '../../../src/core/patch/types';
import type { AgentEvent } from '../../../src/shared/events';
import { buildAcceptEdit, changedSinceBuilt } from '../../../src/vscode/review/reviewEdits';
import { ReviewManager } from '../../../src/vscode/review/reviewManager';
import { autoSaveOffForSuite, revertAndCloseAllEditors } from './reviewWorkbench';

const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');
const ORIGINAL_A = lines('one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight');
const PROPOSED_A = lines('ONE', 'two', 'three', 'four', 'five', 'six', 'seven', 'EIGHT');
const ORIGINAL_B = lines('alpha', 'beta');
const PROPOSED_B = lines('alpha', 'BETA');

suite('review (real WorkspaceEdit)', () => {
  let dir: string;
  let reviews: ReviewManager;
  let events: AgentEvent[];
  let log: vscode.LogOutputChannel;
  let counter = 0;

  const file = (name: string) => path.join(dir, name);
  const read = (name: string) => fs.readFileSync(file(name), 'utf8');
  const changeSet = (): ChangeSet => ({
    id: `cs-${++counter}`,
    changes: [
      { path: file('a.txt'), kind: 'update', oldText: ORIGINAL_A, newText: PROPOSED_A },
      { path: file('b.txt'), kind: 'update', oldText: ORIGINAL_B, newText: PROPOSED_B },
    ],
  });
  const propose = (cs: ChangeSet, needsReview = true): Promise<PatchOutcome> =>
    reviews.propose(cs, { needsReview, turnId: 't1', signal: new AbortController().signal });
  const waitUntil = async (what: string, check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(check(), what);
  };

  // Whether the user's typing is saved must be the review's doing alone, not the web workbench's auto-save.
  autoSaveOffForSuite();
  suiteSetup(() => {
    log = vscode.window.createOutputChannel('Tandem review test', { log: true });
  });
  suiteTeardown(() => log.dispose());

  setup(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.tmpdir();
    dir = fs.mkdtempSync(path.join(root, 'review-'));
    fs.writeFileSync(file('a.txt'), ORIGINAL_A);
    fs.writeFileSync(file('b.txt'), ORIGINAL_B);
    events = [];
    reviews = new ReviewManager((e) => events.push(e), log);
  });

  teardown(async () => {
    reviews.dispose();
    await revertAndCloseAllEditors();
  });

  test('Accept all applies every hunk of every file in one atomic edit and tells the agent', async () => {
    const outcome = propose(changeSet());
    await waitUntil('the review is open', () => reviews.pendingTotal === 3);
    assert.equal(read('a.txt'), ORIGINAL_A, 'nothing is written while pending');
    await reviews.decide(reviews.all[0]!.review.id, undefined, 'accept');
    const result = await outcome;
    assert.equal(result.outcome, 'applied');
    await waitUntil('both files saved', () => read('a.txt') === PROPOSED_A && read('b.txt') === PROPOSED_B);
    assert.deepEqual(events.filter((e) => e.type === 'patch.hunk').map((e) => e.type === 'patch.hunk' && e.state), ['accepted', 'accepted', 'accepted']);
  });

  test('accepting one hunk and rejecting the rest writes exactly that hunk', async () => {
    const outcome = propose(changeSet());
    await waitUntil('the review is open', () => reviews.pendingTotal === 3);
    const id = reviews.all[0]!.review.id;
    await reviews.decide(id, '1.2', 'accept');
    await reviews.decide(id, '1.1', 'reject', 'keep it lowercase');
    await reviews.decide(id, '2.1', 'reject');
    const result = await outcome;
    assert.equal(result.outcome, 'partial');
    assert.match(result.message, /accepted the hunk at line 8; rejected the hunk at line 1 \(note: "keep it lowercase"\)/);
    await waitUntil('a.txt saved', () => read('a.txt') === ORIGINAL_A.replace('eight', 'EIGHT'));
    assert.equal(read('b.txt'), ORIGINAL_B, 'the rejected file is byte-identical');
  });

  test("the user's typing above a hunk moves it; typing inside one makes it stale", async () => {
    const outcome = propose(changeSet());
    await waitUntil('the review is open', () => reviews.pendingTotal === 3);
    const id = reviews.all[0]!.review.id;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file('a.txt')));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'zero\n')); // above hunk 1.1
    await editor.edit((b) => b.insert(new vscode.Position(8, 2), 'X')); // inside "eight": hunk 1.2
    assert.equal(reviews.get(id)!.review.files[0]!.hunks[1]!.state, 'stale');
    await reviews.decide(id, undefined, 'accept');
    const result = await outcome;
    assert.equal(result.outcome, 'partial');
    assert.equal(document.getText(), lines('zero', 'ONE', 'two', 'three', 'four', 'five', 'six', 'seven', 'eiXght'));
    assert.equal(document.isDirty, true, "the user's unsaved typing is not saved for them");
    assert.equal(read('a.txt'), ORIGINAL_A, 'the disk still has what the user last saved');
    const stale = events.find((e) => e.type === 'patch.hunk' && e.state === 'stale');
    assert.ok(stale && stale.type === 'patch.hunk' && /edited these lines/.test(stale.reason ?? ''), 'the card says why');
  });

  test('typing that lands while an accept is applied is not saved with it, though the file was clean before', async () => {
    void propose(changeSet());
    await waitUntil('the review is open', () => reviews.pendingTotal === 3);
    const id = reviews.all[0]!.review.id;
    // The review opens its first file by itself; opening b.txt while it does would cancel one of the two.
    await waitUntil('the review shows a.txt', () => vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === file('a.txt')));
    const b = await vscode.workspace.openTextDocument(vscode.Uri.file(file('b.txt')));
    const editor = await vscode.window.showTextDocument(b);
    // The keystroke is sent the moment the accepted text shows in b.txt, before the workbench answers the
    // accept's applyEdit: it lands after the review decided b.txt was clean and before b.txt's save (a.txt,
    // opened first, is saved first, and that round trip brings the keystroke's change event back).
    let typed: Thenable<boolean> | undefined;
    const listener = vscode.workspace.onDidChangeTextDocument((e) => {
      if (typed || e.document !== b || !b.getText().includes('BETA')) return;
      typed = editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'typed '));
    });
    try {
      await reviews.decide(id, undefined, 'accept');
    } finally {
      listener.dispose();
    }
    assert.ok(typed, "the accepted text showed in b.txt, and the user's keystroke was sent then");
    assert.equal(await typed, true, 'the keystroke was applied');
    assert.equal(b.getText(), lines('typed alpha', 'BETA'));
    assert.equal(b.isDirty, true, "the user's unsaved typing is not saved for them");
    assert.equal(read('b.txt'), ORIGINAL_B, 'the disk still has what the user last saved');
    assert.equal(read('a.txt'), PROPOSED_A, 'the file nobody typed into is saved with the accepted change');
  });

  test('a CRLF file is saved after an accept like any other (the editor writes the hunk with the file\'s line ending)', async () => {
    const crlf = (...l: string[]) => l.map((x) => `${x}\r\n`).join('');
    fs.writeFileSync(file('crlf.txt'), crlf('one', 'two', 'three'));
    const cs: ChangeSet = { id: `cs-${++counter}`, changes: [{ path: file('crlf.txt'), kind: 'update', oldText: crlf('one', 'two', 'three'), newText: crlf('ONE', 'two', 'THREE') }] };
    const outcome = propose(cs);
    await waitUntil('the review is open', () => reviews.pendingTotal === 2);
    await reviews.decide(reviews.all[0]!.review.id, undefined, 'accept');
    assert.equal((await outcome).outcome, 'applied');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file('crlf.txt')));
    assert.equal(document.eol, vscode.EndOfLine.CRLF);
    assert.equal(document.isDirty, false, 'saved by the review');
    assert.equal(read('crlf.txt'), crlf('ONE', 'two', 'THREE'));
  });

  test('an accept edit built before the user typed is known to be out of date (the workbench would still take it, at the old place)', async () => {
    void propose(changeSet());
    await waitUntil('the review is open', () => reviews.pendingTotal === 3);
    await waitUntil('the review shows a.txt', () => vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === file('a.txt')));
    const a = reviews.all[0]!.review.files[0]!;
    const built = await buildAcceptEdit([{ file: a, hunk: a.hunks[1]! }]); // "eight" -> "EIGHT", on line 8
    assert.equal(changedSinceBuilt(built), false, 'nothing changed yet');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file('a.txt')));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'zero\n')); // typed while the edit was being built
    assert.equal(changedSinceBuilt(built), true, 'the accept builds its edit again instead of applying this one');
    // Why: the workbench checks an edit against the version the extension host knows when it is applied,
    // so this stale edit is taken, and writes EIGHT over "seven".
    assert.equal(await vscode.workspace.applyEdit(built.edit), true);
    assert.equal(document.getText(), lines('zero', 'one', 'two', 'three', 'four', 'five', 'six', 'EIGHT', 'eight'));
  });

  test("Undo of an applied hunk leaves the user's unsaved typing unsaved", async () => {
    assert.equal((await propose(changeSet(), false)).outcome, 'applied');
    await waitUntil('applied on disk', () => read('a.txt') === PROPOSED_A);
    const id = reviews.all[0]!.review.id;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file('a.txt')));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((b) => b.insert(new vscode.Position(4, 0), 'typed\n')); // between the two hunks
    await reviews.decide(id, '1.1', 'undo');
    assert.equal(document.getText(), lines('one', 'two', 'three', 'four', 'typed', 'five', 'six', 'seven', 'EIGHT'));
    assert.equal(document.isDirty, true, "the user's unsaved typing is not saved for them");
    assert.equal(read('a.txt'), PROPOSED_A, 'the disk still has what was last saved');
  });

  test('one undo in the editor reverts one accept', async () => {
    void propose(changeSet());
    await waitUntil('the review is open', () => reviews.pendingTotal === 3);
    const id = reviews.all[0]!.review.id;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file('a.txt')));
    await vscode.window.showTextDocument(document);
    await reviews.decide(id, '1.1', 'accept');
    await reviews.decide(id, '1.2', 'accept');
    assert.equal(document.getText(), PROPOSED_A);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), ORIGINAL_A.replace('one', 'ONE'), 'only the last accept is undone');
  });

  test('auto mode applies at once and each hunk stays undoable until the user moves on', async () => {
    const result = await propose(changeSet(), false);
    assert.equal(result.outcome, 'applied');
    await waitUntil('applied on disk', () => read('a.txt') === PROPOSED_A);
    const id = reviews.all[0]!.review.id;
    await reviews.decide(id, '1.1', 'undo');
    await waitUntil('hunk 1.1 undone on disk', () => read('a.txt') === PROPOSED_A.replace('ONE', 'one'));
    reviews.finishDecided();
    assert.equal(reviews.get(id), undefined, 'after the next message the change is history');
  });

  test('a review decided after its turn stopped is reported once, not again on later typing or undo', async () => {
    const stop = new AbortController();
    const told = reviews.propose(changeSet(), { needsReview: true, turnId: 't1', signal: stop.signal });
    await waitUntil('the review is open', () => reviews.pendingTotal === 3);
    stop.abort();
    assert.equal((await told).outcome, 'discarded', 'the stopped turn hears that nothing more was written');
    const id = reviews.all[0]!.review.id;
    await reviews.decide(id, '1.1', 'accept');
    await reviews.decide(id, undefined, 'reject');
    const resolved = () => events.filter((e) => e.type === 'patch.resolved');
    assert.equal(resolved().length, 1);
    assert.equal(resolved()[0]?.type === 'patch.resolved' && resolved()[0]?.outcome, 'partial');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file('a.txt')));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((b) => b.insert(new vscode.Position(5, 0), 'typed\n'));
    await reviews.decide(id, '1.1', 'undo');
    assert.equal(resolved().length, 1, 'decided once, reported once');
  });

  test('a file changed on disk since the proposal is stale, never misapplied', async () => {
    fs.writeFileSync(file('b.txt'), lines('alpha', 'gamma'));
    const outcome = propose(changeSet());
    await waitUntil('the review is open', () => reviews.pendingTotal === 2);
    await reviews.decide(reviews.all[0]!.review.id, undefined, 'accept');
    const result = await outcome;
    assert.equal(result.outcome, 'partial');
    assert.equal(read('b.txt'), lines('alpha', 'gamma'));
  });

  test('a change whose every file changed since the proposal settles at once (the turn does not wait forever)', async () => {
    fs.writeFileSync(file('a.txt'), 'rewritten\n');
    fs.writeFileSync(file('b.txt'), 'rewritten\n');
    const result = await propose(changeSet());
    assert.equal(result.outcome, 'discarded');
    assert.match(result.message, /changed while it was under review/);
  });
});
