// The review says what is true, checked on the real VS Code API: after Accept the CodeLens drop the
// hunk's Accept / Reject and the count at once (before the file is even saved), and "Open diff" on an
// accepted change shows what the change did (before vs after), not two identical files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeSet } from '../../../src/core/patch/types';
import { ProposalDocuments } from '../../../src/vscode/review/proposalDocuments';
import { ReviewCodeLensProvider } from '../../../src/vscode/review/reviewCodeLens';
import { ReviewManager } from '../../../src/vscode/review/reviewManager';
import { autoSaveOffForSuite, revertAndCloseAllEditors } from './reviewWorkbench';

const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');
const ORIGINAL = lines('one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight');
const PROPOSED = lines('ONE', 'two', 'three', 'four', 'five', 'six', 'seven', 'EIGHT');

suite('review: what the editor shows is true', () => {
  let dir: string;
  let reviews: ReviewManager;
  let log: vscode.LogOutputChannel;
  let counter = 0;
  const file = () => path.join(dir, 'a.txt');
  const changeSet = (): ChangeSet => ({ id: `truth-${++counter}`, changes: [{ path: file(), kind: 'update', oldText: ORIGINAL, newText: PROPOSED }] });
  const waitUntil = async (what: string, check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(check(), what);
  };
  const titles = (lenses: vscode.CodeLens[]) => lenses.map((l) => l.command?.title ?? '');

  // "Before the save" must mean before the review's save, not before the web workbench's auto-save.
  autoSaveOffForSuite();
  suiteSetup(() => {
    log = vscode.window.createOutputChannel('Tandem review truth test', { log: true });
  });
  suiteTeardown(() => log.dispose());
  setup(() => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.tmpdir();
    dir = fs.mkdtempSync(path.join(root, 'truth-'));
    fs.writeFileSync(file(), ORIGINAL);
    reviews = new ReviewManager(() => undefined, log);
  });
  teardown(async () => {
    reviews.dispose();
    await revertAndCloseAllEditors();
  });

  test('after Accept the CodeLens show the decision at once: no Accept for that hunk, the new count, before the save', async () => {
    const lensProvider = new ReviewCodeLensProvider(reviews);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file()));
    void reviews.propose(changeSet(), { needsReview: true, turnId: 't1', signal: new AbortController().signal });
    await waitUntil('the review is open', () => reviews.pendingTotal === 2);
    assert.deepEqual(titles(lensProvider.provideCodeLenses(document)).filter((t) => /Accept/.test(t)), ['$(check-all) Accept all Tandem edits (2)', '$(check) Accept', '$(check) Accept']);

    // Every time the editor could ask for lenses once the accepted text is in the buffer (its own change
    // event, and each change event of the provider), the answer must already reflect the decision.
    const seen: { when: string; dirty: boolean; titles: string[] }[] = [];
    const sample = (when: string) => {
      if (!document.getText().startsWith('ONE')) return;
      seen.push({ when, dirty: document.isDirty, titles: titles(lensProvider.provideCodeLenses(document)) });
    };
    const subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => e.document === document && sample('document changed')),
      lensProvider.onDidChangeCodeLenses?.(() => sample('lenses changed')),
    ];
    try {
      await reviews.decide(reviews.all[0]!.review.id, '1.1', 'accept');
    } finally {
      for (const s of subscriptions) s?.dispose();
    }
    assert.ok(seen.some((s) => s.when === 'lenses changed' && s.dirty), `the provider's change event fires before the save: ${JSON.stringify(seen)}`);
    for (const s of seen) {
      assert.equal(s.titles.filter((t) => t === '$(check) Accept').length, 1, `only the other hunk offers Accept (${s.when})`);
      assert.ok(s.titles.includes('$(check-all) Accept all Tandem edits (1)'), `the count is 1 (${s.when}): ${s.titles.join(', ')}`);
    }
  });

  test('Open diff of an accepted change compares the text before the change with the text after it', async () => {
    const docs = new ProposalDocuments(reviews);
    try {
      void reviews.propose(changeSet(), { needsReview: true, turnId: 't1', signal: new AbortController().signal });
      await waitUntil('the review is open', () => reviews.pendingTotal === 2);
      const id = reviews.all[0]!.review.id;
      const before = ProposalDocuments.uri(id, 0, 'a.txt', 'old');
      const after = ProposalDocuments.uri(id, 0, 'a.txt');
      assert.equal(await docs.provideTextDocumentContent(after), PROPOSED, 'pending: the proposal');

      await reviews.decide(id, '1.1', 'accept');
      assert.equal(await docs.provideTextDocumentContent(before), ORIGINAL, 'one accepted: before is the original');
      assert.equal(await docs.provideTextDocumentContent(after), PROPOSED, 'after: accepted + pending');

      await reviews.decide(id, '1.2', 'accept');
      await waitUntil('saved', () => fs.readFileSync(file(), 'utf8') === PROPOSED);
      const left = await docs.provideTextDocumentContent(before);
      const right = await docs.provideTextDocumentContent(after);
      assert.equal(left, ORIGINAL, 'all accepted: before is still the original');
      assert.equal(right, PROPOSED);
      assert.notEqual(left, right, 'the diff shows the change, not two identical files');

      // The user edits elsewhere: both sides hold the edit, so the diff is only Tandem's change.
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file()));
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, document.positionAt(document.getText().indexOf('four')), 'user ');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.equal(await docs.provideTextDocumentContent(before), ORIGINAL.replace('four', 'user four'));
      assert.equal(await docs.provideTextDocumentContent(after), PROPOSED.replace('four', 'user four'));
    } finally {
      docs.dispose();
    }
  });
});
