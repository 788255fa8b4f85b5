// Two chats proposing edits to the same file, against the real VS Code API: each proposal is reviewed on
// its own, accepting one chat's hunk moves the other's hunks (which then apply byte-exact) or makes them
// stale naming that chat, and one chat can never decide (or replace) the other's proposal.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeSet, PatchOutcome } from '../../../src/core/patch/types';
import type { AgentEvent } from '../../../src/shared/events';
import { ReviewCodeLensProvider } from '../../../src/vscode/review/reviewCodeLens';
import { ReviewManager } from '../../../src/vscode/review/reviewManager';

const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');
const ORIGINAL = lines('one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten');
/** Chat A: line 2 becomes two lines. */
const BY_A = ORIGINAL.replace('two\n', 'TWO\nTWO-AND-A-HALF\n');
/** Chat B: line 2 (the same line as A) and line 8. */
const BY_B = ORIGINAL.replace('two\n', 'deux\n').replace('eight\n', 'huit\n');
const TITLE_A = 'Fix the parser';
const TITLE_B = 'Rename things';

suite('review: two chats, one file', () => {
  let dir: string;
  let reviews: ReviewManager;
  let events: AgentEvent[];
  let log: vscode.LogOutputChannel;

  const file = () => path.join(dir, 'shared.txt');
  const read = () => fs.readFileSync(file(), 'utf8');
  const changeSet = (id: string, newText: string): ChangeSet => ({ id, changes: [{ path: file(), kind: 'update', oldText: ORIGINAL, newText }] });
  const propose = (chat: 'A' | 'B', cs: ChangeSet): Promise<PatchOutcome> =>
    reviews.propose(cs, {
      needsReview: true,
      turnId: `chat${chat}-t1`,
      signal: new AbortController().signal,
      origin: { chatId: `chat${chat}`, title: () => (chat === 'A' ? TITLE_A : TITLE_B) },
    });
  const reviewOf = (chat: 'A' | 'B') => reviews.all.find((a) => a.origin?.chatId === `chat${chat}`)!;
  const hunkOf = (chat: 'A' | 'B', id: string) => reviewOf(chat).review.files[0]!.hunks.find((h) => h.id === id)!;
  const hunkEvents = (turnId: string) => events.filter((e): e is Extract<AgentEvent, { type: 'patch.hunk' }> => e.type === 'patch.hunk' && e.turnId === turnId);
  const waitUntil = async (what: string, check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(check(), what);
  };
  const lensTitles = async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file()));
    return new ReviewCodeLensProvider(reviews).provideCodeLenses(document).map((l) => `${l.range.start.line}:${l.command?.title ?? ''}`);
  };

  suiteSetup(() => {
    log = vscode.window.createOutputChannel('Tandem same-file review test', { log: true });
  });
  suiteTeardown(() => log.dispose());

  setup(() => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.tmpdir();
    dir = fs.mkdtempSync(path.join(root, 'same-file-'));
    fs.writeFileSync(file(), ORIGINAL);
    events = [];
    reviews = new ReviewManager((e) => events.push(e), log);
  });

  teardown(async () => {
    reviews.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test("B's proposal arriving keeps A's review whole: both counted, both in the editor, each lens naming its chat", async () => {
    void propose('A', changeSet('csA', BY_A));
    await waitUntil("A's review is open", () => reviews.pendingTotal === 1);
    const aBefore = { ...hunkOf('A', '1.1') };
    assert.deepEqual(await lensTitles(), ['0:$(check-all) Accept all Tandem edits (1)', '0:$(close-all) Reject all', '1:$(check) Accept', '1:$(close) Reject', '1:Diff']);

    void propose('B', changeSet('csB', BY_B));
    await waitUntil("B's review is open too", () => reviews.pendingTotal === 3);
    assert.deepEqual({ ...hunkOf('A', '1.1') }, aBefore, "A's hunk is untouched by B's proposal");
    const titles = await lensTitles();
    assert.equal(titles[0], '0:$(check-all) Accept all Tandem edits (3)');
    // Line 2 (index 1) carries both chats' hunks, each set of buttons under its chat's name
    assert.deepEqual(
      titles.filter((t) => t.startsWith('1:')),
      ['1:$(comment-discussion) «Fix the parser»', '1:$(check) Accept', '1:$(close) Reject', '1:Diff', '1:$(comment-discussion) «Rename things»', '1:$(check) Accept', '1:$(close) Reject', '1:Diff'],
    );
    assert.ok(titles.includes('7:$(comment-discussion) «Rename things»'), "B's hunk on line 8 is named too");
    assert.equal(read(), ORIGINAL, 'nothing is written while both are pending');
  });

  test("accepting A's hunk makes B's hunk on the same lines stale naming chat A; B's other hunk applies at its moved place, byte-exact", async () => {
    const outcomeA = propose('A', changeSet('csA', BY_A));
    const outcomeB = propose('B', changeSet('csB', BY_B));
    await waitUntil('both reviews are open', () => reviews.pendingTotal === 3);

    await reviews.decideInChat('chatA', 'csA', '1.1', 'accept');
    assert.equal((await outcomeA).outcome, 'applied');
    await waitUntil("A's edit is saved", () => read() === BY_A);

    assert.equal(hunkOf('B', '1.1').state, 'stale');
    const stale = hunkEvents('chatB-t1').find((e) => e.hunkId === '1.1');
    assert.equal(stale?.state, 'stale');
    assert.equal(stale?.changeSetId, 'csB', "the event names B's change set, for B's card");
    assert.equal(stale?.reason, 'Another chat («Fix the parser») changed these lines (accepted edit).');
    assert.equal(hunkOf('B', '1.2').state, 'pending');
    assert.equal(reviews.pendingTotal, 1, 'the status bar counts only what is still pending');

    await reviews.decideInChat('chatB', 'csB', undefined, 'accept'); // "accept all" of B: the stale hunk is never applied
    const resultB = await outcomeB;
    assert.equal(resultB.outcome, 'partial');
    assert.match(resultB.message, /accepted the hunk at line 8/);
    assert.match(resultB.message, /did not apply the hunk at line 2 because the user accepted an edit from another chat \(«Fix the parser»\) that changed those lines while yours was under review; read the file again and redo this part/);
    const expected = lines('one', 'TWO', 'TWO-AND-A-HALF', 'three', 'four', 'five', 'six', 'seven', 'huit', 'nine', 'ten');
    await waitUntil("B's edit is saved", () => read() === expected);
    assert.equal(fs.readFileSync(file()).equals(Buffer.from(expected, 'utf8')), true, 'byte-exact on disk');
  });

  test("accepting B's lower hunk first leaves A's pending where it was; A's accept then lands above it", async () => {
    const outcomeA = propose('A', changeSet('csA', BY_A));
    void propose('B', changeSet('csB', BY_B));
    await waitUntil('both reviews are open', () => reviews.pendingTotal === 3);
    await reviews.decideInChat('chatB', 'csB', '1.2', 'accept');
    await waitUntil("B's line 8 is saved", () => read() === ORIGINAL.replace('eight', 'huit'));
    assert.equal(hunkOf('A', '1.1').state, 'pending');
    assert.equal(hunkOf('B', '1.1').state, 'pending', "B's own other hunk is not touched by B's accept");
    await reviews.decideInChat('chatA', 'csA', '1.1', 'accept');
    assert.equal((await outcomeA).outcome, 'applied');
    await waitUntil('both on disk', () => read() === BY_A.replace('eight', 'huit'));
    assert.equal(hunkOf('B', '1.1').state, 'stale');
  });

  test("a chat view cannot decide another chat's proposal, and a repeated change set id never replaces a live review", async () => {
    // A server numbering its tool calls `call_0` in every chat gives both proposals the same id.
    const outcomeA = propose('A', changeSet('patch-call_0', BY_A));
    const outcomeB = propose('B', changeSet('patch-call_0', BY_B.replace('deux', 'two')));
    await waitUntil('both reviews are open', () => reviews.pendingTotal === 2);
    assert.equal(reviews.all.length, 2);
    assert.notEqual(reviewOf('A').review.id, reviewOf('B').review.id, 'distinct keys for the editor commands');

    await reviews.decideInChat('chatB', 'patch-call_0', undefined, 'reject');
    assert.equal((await outcomeB).outcome, 'discarded');
    assert.equal(hunkOf('A', '1.1').state, 'pending', "B's reject does not touch A's proposal of the same id");
    assert.deepEqual(
      hunkEvents('chatB-t1').map((e) => [e.changeSetId, e.state]),
      [['patch-call_0', 'rejected']],
    );
    assert.equal(hunkEvents('chatA-t1').length, 0);

    // A chat that never proposed this change set: nothing happens to it
    await reviews.decideInChat('chatC', 'patch-call_0', undefined, 'accept');
    assert.equal(hunkOf('A', '1.1').state, 'pending');
    assert.equal(read(), ORIGINAL);

    await reviews.decideInChat('chatA', 'patch-call_0', undefined, 'accept');
    assert.equal((await outcomeA).outcome, 'applied');
    await waitUntil("A's edit is saved", () => read() === BY_A);
  });

  test("two chats creating the same new file: B's create after A's accepted one is stale, never overwriting A's file", async () => {
    const created = path.join(dir, 'created.txt');
    const add = (id: string, text: string): ChangeSet => ({ id, changes: [{ path: created, kind: 'add', oldText: undefined, newText: text }] });
    const outcomeA = propose('A', add('csA', 'from A\n'));
    const outcomeB = propose('B', add('csB', 'from B\n'));
    await waitUntil('both reviews are open', () => reviews.pendingTotal === 2);
    await reviews.decideInChat('chatA', 'csA', undefined, 'accept');
    assert.equal((await outcomeA).outcome, 'applied');
    await waitUntil("A's file is on disk", () => fs.existsSync(created) && fs.readFileSync(created, 'utf8') === 'from A\n');
    await reviews.decideInChat('chatB', 'csB', undefined, 'accept');
    const resultB = await outcomeB;
    assert.equal(resultB.outcome, 'discarded');
    assert.match(resultB.message, /created\.txt: not applied because the user accepted an edit from another chat \(«Fix the parser»\)/);
    assert.equal(hunkEvents('chatB-t1')[0]?.reason, 'Another chat («Fix the parser») changed this file (accepted edit).');
    assert.equal(fs.readFileSync(created, 'utf8'), 'from A\n', "A's file is not overwritten");
  });

  test("a message in chat B does not take the Undo of chat A's accepted edit away", async () => {
    void propose('A', changeSet('csA', BY_A));
    void propose('B', changeSet('csB', BY_B));
    await waitUntil('both reviews are open', () => reviews.pendingTotal === 3);
    await reviews.decideInChat('chatA', 'csA', undefined, 'accept');
    await reviews.decideInChat('chatB', 'csB', undefined, 'reject');
    reviews.finishDecided('chatB');
    assert.ok(reviews.get('csA'), "A's decided review stays (its hunk can be undone)");
    assert.equal(reviews.get('csB'), undefined, "B's own decided review is history");
    await reviews.decide('csA', '1.1', 'undo');
    await waitUntil('A undone on disk', () => read() === ORIGINAL);
  });

  test("the user's own typing over B's hunk keeps the user wording", async () => {
    void propose('A', changeSet('csA', BY_A));
    void propose('B', changeSet('csB', BY_B));
    await waitUntil('both reviews are open', () => reviews.pendingTotal === 3);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file()));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((b) => b.insert(new vscode.Position(7, 2), 'X')); // inside "eight": B's hunk 1.2
    assert.equal(hunkOf('B', '1.2').state, 'stale');
    assert.equal(hunkEvents('chatB-t1').find((e) => e.hunkId === '1.2')?.reason, 'You edited these lines while it was under review.');
    assert.equal(hunkOf('A', '1.1').state, 'pending');
  });
});
