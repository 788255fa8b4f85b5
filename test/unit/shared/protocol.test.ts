import { describe, expect, it } from 'vitest';
import { MAX_SEND_CHARS, parseWebviewMessage } from '../../../src/shared/protocol';

describe('parseWebviewMessage (untrusted input from the webview)', () => {
  it('accepts each well-formed message and keeps only known fields', () => {
    expect(parseWebviewMessage({ type: 'ready', extra: 1 })).toEqual({ type: 'ready' });
    expect(parseWebviewMessage({ type: 'send', text: 'hi', evil: true })).toEqual({ type: 'send', text: 'hi' });
    expect(parseWebviewMessage({ type: 'stop' })).toEqual({ type: 'stop' });
    expect(parseWebviewMessage({ type: 'approval', approvalId: 'a1', decision: 'approve_session', note: 'ok' })).toEqual({
      type: 'approval',
      approvalId: 'a1',
      decision: 'approve_session',
      note: 'ok',
    });
    expect(parseWebviewMessage({ type: 'hunkDecision', changeSetId: 'c1', hunkId: '1.2', decision: 'accept', x: 1 })).toEqual({ type: 'hunkDecision', changeSetId: 'c1', hunkId: '1.2', decision: 'accept' });
    expect(parseWebviewMessage({ type: 'hunkDecision', changeSetId: 'c1', decision: 'reject', note: 'no' })).toEqual({ type: 'hunkDecision', changeSetId: 'c1', decision: 'reject', note: 'no' });
    expect(parseWebviewMessage({ type: 'openDiff', changeSetId: 'c1', fileIndex: 0 })).toEqual({ type: 'openDiff', changeSetId: 'c1', fileIndex: 0 });
    expect(parseWebviewMessage({ type: 'insertCode', code: 'x = 1\n' })).toEqual({ type: 'insertCode', code: 'x = 1\n' });
    expect(parseWebviewMessage({ type: 'openLink', url: ' https://example.com ' })).toEqual({ type: 'openLink', url: 'https://example.com' });
    expect(parseWebviewMessage({ type: 'runInTerminal', command: 'npm test', cwd: '/w' })).toEqual({ type: 'runInTerminal', command: 'npm test', cwd: '/w' });
    expect(parseWebviewMessage({ type: 'runCommand', command: 'tandem.setApiKey' })).toEqual({ type: 'runCommand', command: 'tandem.setApiKey' });
  });

  it.each([
    ['null', null],
    ['array', [{ type: 'send', text: 'x' }]],
    ['string', 'send'],
    ['unknown type', { type: 'rm -rf' }],
    ['send without text', { type: 'send' }],
    ['send with blank text', { type: 'send', text: '   ' }],
    ['send with non-string text', { type: 'send', text: { toString: 'x' } }],
    ['send too long', { type: 'send', text: 'x'.repeat(MAX_SEND_CHARS + 1) }],
    ['approval with bad decision', { type: 'approval', approvalId: 'a', decision: 'yes' }],
    ['approval without id', { type: 'approval', decision: 'approve' }],
    ['approval with non-string note', { type: 'approval', approvalId: 'a', decision: 'deny', note: 5 }],
    ['the old whole-set decision', { type: 'patchDecision', changeSetId: 'c', decision: 'apply' }],
    ['hunk decision with a bad decision', { type: 'hunkDecision', changeSetId: 'c', decision: 'write' }],
    ['hunk decision with a non-string hunk id', { type: 'hunkDecision', changeSetId: 'c', hunkId: 3, decision: 'accept' }],
    ['open diff with a fractional index', { type: 'openDiff', changeSetId: 'c', fileIndex: 0.5 }],
    ['open diff with a negative index', { type: 'openDiff', changeSetId: 'c', fileIndex: -1 }],
    ['arbitrary command', { type: 'runCommand', command: 'workbench.action.terminal.sendSequence' }],
    ['a javascript: link', { type: 'openLink', url: 'javascript:alert(1)' }],
    ['a file: link', { type: 'openLink', url: 'file:///etc/passwd' }],
    ['a command: link', { type: 'openLink', url: 'command:workbench.action.terminal.sendSequence' }],
    ['empty code to insert', { type: 'insertCode', code: '' }],
    ['a blank command for the terminal', { type: 'runInTerminal', command: '  ' }],
  ])('drops %s', (_name, raw) => {
    expect(parseWebviewMessage(raw)).toBeUndefined();
  });
});

describe('composer context messages: @ mentions and pasted images', () => {
  it('accepts well-formed queries, picks and images, keeping only known fields', () => {
    expect(parseWebviewMessage({ type: 'mentionQuery', query: 'hel', requestId: 3, extra: 1 })).toEqual({ type: 'mentionQuery', query: 'hel', requestId: 3 });
    expect(parseWebviewMessage({ type: 'mentionQuery', query: '', requestId: 0 })).toEqual({ type: 'mentionQuery', query: '', requestId: 0 });
    expect(parseWebviewMessage({ type: 'mentionPick', id: 'file:file:///w/hello.ts' })).toEqual({ type: 'mentionPick', id: 'file:file:///w/hello.ts' });
    expect(parseWebviewMessage({ type: 'attachImage', mediaType: 'image/png', dataBase64: 'iVBORw0KGgo=', name: 'shot.png', text: 'injected' })).toEqual({
      type: 'attachImage',
      mediaType: 'image/png',
      dataBase64: 'iVBORw0KGgo=',
      name: 'shot.png',
    });
  });

  it.each([
    ['a query that is too long', { type: 'mentionQuery', query: 'x'.repeat(201), requestId: 1 }],
    ['a query without a request id', { type: 'mentionQuery', query: 'a' }],
    ['a fractional request id', { type: 'mentionQuery', query: 'a', requestId: 1.5 }],
    ['a negative request id', { type: 'mentionQuery', query: 'a', requestId: -1 }],
    ['an empty pick', { type: 'mentionPick', id: '' }],
    ['a huge pick id', { type: 'mentionPick', id: 'x'.repeat(1001) }],
    ['an SVG image', { type: 'attachImage', mediaType: 'image/svg+xml', dataBase64: 'PHN2Zy8+', name: 'x.svg' }],
    ['an image with no data', { type: 'attachImage', mediaType: 'image/png', dataBase64: '', name: 'x.png' }],
    ['an image over 5 MB', { type: 'attachImage', mediaType: 'image/png', dataBase64: 'A'.repeat(7_000_000), name: 'x.png' }],
    ['an image without a name', { type: 'attachImage', mediaType: 'image/png', dataBase64: 'AAAA' }],
  ])('drops %s', (_name, raw) => {
    expect(parseWebviewMessage(raw)).toBeUndefined();
  });
});

describe('parallel chats: choosing a chat and withdrawing a queued message', () => {
  it('accepts ids only, keeping only known fields', () => {
    expect(parseWebviewMessage({ type: 'selectChat', chatId: '20261207T012000-abc123', stop: true })).toEqual({ type: 'selectChat', chatId: '20261207T012000-abc123' });
    expect(parseWebviewMessage({ type: 'withdrawInput', submissionId: 's1-op3', text: 'x' })).toEqual({ type: 'withdrawInput', submissionId: 's1-op3' });
    expect(parseWebviewMessage({ type: 'closeChat', chatId: 'c1', force: true })).toEqual({ type: 'closeChat', chatId: 'c1' });
    expect(parseWebviewMessage({ type: 'runCommand', command: 'tandem.openChatInEditor' })).toEqual({ type: 'runCommand', command: 'tandem.openChatInEditor' });
    expect(parseWebviewMessage({ type: 'runCommand', command: 'tandem.moveChatToSidebar' })).toEqual({ type: 'runCommand', command: 'tandem.moveChatToSidebar' });
  });

  it.each([
    ['selectChat without an id', { type: 'selectChat' }],
    ['selectChat with an empty id', { type: 'selectChat', chatId: '' }],
    ['selectChat with a non-string id', { type: 'selectChat', chatId: { id: 'c1' } }],
    ['selectChat with a huge id', { type: 'selectChat', chatId: 'x'.repeat(301) }],
    ['closeChat without an id', { type: 'closeChat' }],
    ['closeChat with an array', { type: 'closeChat', chatId: ['c1'] }],
    ['withdrawInput without an id', { type: 'withdrawInput' }],
    ['withdrawInput with a number', { type: 'withdrawInput', submissionId: 3 }],
    ['withdrawInput with a huge id', { type: 'withdrawInput', submissionId: 'x'.repeat(401) }],
  ])('rejects %s', (_name, raw) => {
    expect(parseWebviewMessage(raw)).toBeUndefined();
  });
});
