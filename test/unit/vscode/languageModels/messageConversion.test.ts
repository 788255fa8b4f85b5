// The conversion of Tandem's conversation into VS Code Language Model API messages, with stand-in part
// classes (the real ones live in the `vscode` module, which only exists inside VS Code): order and roles,
// calls joined to their assistant message, results batched after them and paired by id, apply_patch in its
// fallback form, and hostile history (odd and empty ids, results without calls, bad JSON, huge outputs, images).
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../../src/core/model/errors';
import type { ConversationItem, ToolSpec } from '../../../../src/core/model/types';
import { applyPatchTool } from '../../../../src/core/tools/applyPatch';
import { instructionsText, toLanguageModelMessages, toLanguageModelTools, toolCallInput, type LanguageModelParts } from '../../../../src/vscode/languageModels/messageConversion';

class Text {
  constructor(readonly value: string) {}
}
class Call {
  constructor(
    readonly callId: string,
    readonly name: string,
    readonly input: object,
  ) {}
}
class Result {
  constructor(
    readonly callId: string,
    readonly content: Part[],
  ) {}
}
class Image {
  constructor(
    readonly data: Uint8Array,
    readonly mimeType: string,
  ) {}
}
type Part = Text | Call | Result | Image;
interface Message {
  role: 'user' | 'assistant';
  content: Part[];
}

const parts: LanguageModelParts<Message, Part> = {
  text: (value) => new Text(value),
  toolCall: (callId, name, input) => new Call(callId, name, input),
  toolResult: (callId, content) => new Result(callId, content),
  user: (content) => ({ role: 'user', content }),
  assistant: (content) => ({ role: 'assistant', content }),
};
const withImages: LanguageModelParts<Message, Part> = { ...parts, image: (data, mimeType) => new Image(data, mimeType) };
const options = { modelLabel: "the VS Code language model 'test'" };

function convert(input: ConversationItem[], using = parts): Message[] {
  return toLanguageModelMessages({ instructions: 'You are Tandem.', input }, using, options);
}

describe('toLanguageModelMessages', () => {
  it('sends the instructions as the first user message, then the conversation in order', () => {
    const messages = convert([
      { type: 'user', text: 'hello' },
      { type: 'assistant', text: 'hi there' },
      { type: 'user', text: 'bye' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: [new Text('You are Tandem.')] },
      { role: 'user', content: [new Text('hello')] },
      { role: 'assistant', content: [new Text('hi there')] },
      { role: 'user', content: [new Text('bye')] },
    ]);
  });

  it("joins a response's calls to its text and sends their results together in the next user message, paired by id", () => {
    const messages = convert([
      { type: 'user', text: 'build it' },
      { type: 'assistant', text: 'Running two commands.' },
      { type: 'function_call', callId: 'call_a', name: 'exec_command', arguments: '{"cmd":"ls"}' },
      { type: 'function_call', callId: 'call_b', name: 'exec_command', arguments: '{"cmd":"pwd"}' },
      { type: 'tool_output', callId: 'call_a', output: 'a.txt' },
      { type: 'tool_output', callId: 'call_b', output: '/work' },
      { type: 'assistant', text: 'Done.' },
    ]);
    expect(messages.slice(2)).toEqual([
      { role: 'assistant', content: [new Text('Running two commands.'), new Call('call_a', 'exec_command', { cmd: 'ls' }), new Call('call_b', 'exec_command', { cmd: 'pwd' })] },
      { role: 'user', content: [new Result('call_a', [new Text('a.txt')]), new Result('call_b', [new Text('/work')])] },
      { role: 'assistant', content: [new Text('Done.')] },
    ]);
  });

  it('starts an assistant message for calls that have no text, and a new result message after other items', () => {
    const messages = convert([
      { type: 'user', text: 'go' },
      { type: 'function_call', callId: 'c1', name: 'exec_command', arguments: '{}' },
      { type: 'tool_output', callId: 'c1', output: 'one' },
      { type: 'function_call', callId: 'c2', name: 'exec_command', arguments: '{}' },
      { type: 'tool_output', callId: 'c2', output: 'two' },
    ]);
    expect(messages.slice(2).map((m) => [m.role, m.content.map((p) => p.constructor.name)])).toEqual([
      ['assistant', ['Call']],
      ['user', ['Result']],
      ['assistant', ['Call']],
      ['user', ['Result']],
    ]);
  });

  it('sends a freeform apply_patch call (Responses API history) as its fallback function input', () => {
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch\n';
    const [, , call] = convert([
      { type: 'user', text: 'add a file' },
      { type: 'custom_tool_call', callId: 'p1', name: 'apply_patch', input: patch },
      { type: 'tool_output', callId: 'p1', output: 'ok', custom: true },
    ]);
    expect(call).toEqual({ role: 'assistant', content: [new Call('p1', 'apply_patch', { input: patch })] });
  });

  it('sends a compaction as the project instructions and the kept context, two user messages', () => {
    const state = { summary: 's', ledger: [], userMessages: [] } as unknown as Extract<ConversationItem, { type: 'compaction' }>['state'];
    expect(convert([{ type: 'compaction', projectInstructions: 'AGENTS.md says hi', text: 'summary so far', state }]).slice(1)).toEqual([
      { role: 'user', content: [new Text('AGENTS.md says hi')] },
      { role: 'user', content: [new Text('summary so far')] },
    ]);
    expect(convert([{ type: 'compaction', text: 'summary only', state }]).slice(1)).toEqual([{ role: 'user', content: [new Text('summary only')] }]);
  });

  it('sends a result whose call is not in the conversation as text, naming the id', () => {
    const messages = convert([
      { type: 'user', text: 'hi' },
      { type: 'tool_output', callId: 'gone_by_compaction', output: 'old output' },
    ]);
    expect(messages[2]).toEqual({ role: 'user', content: [new Text('Output of an earlier tool call (gone_by_compaction):\nold output')] });
    expect(messages.flatMap((m) => m.content).some((p) => p instanceof Result)).toBe(false);
  });

  it('keeps odd call ids exactly and pairs them', () => {
    const odd = ['call "quoted" \\ back', 'ünïcødé-🙂', 'x'.repeat(10_000), '<script>alert(1)</script>', '  spaced  '];
    const input: ConversationItem[] = [{ type: 'user', text: 'go' }];
    for (const id of odd) input.push({ type: 'function_call', callId: id, name: 'exec_command', arguments: '{}' });
    for (const id of [...odd].reverse()) input.push({ type: 'tool_output', callId: id, output: `out of ${id.slice(0, 20)}` });
    const messages = convert(input);
    const calls = messages[2]!.content as Call[];
    const results = messages[3]!.content as Result[];
    expect(calls.map((c) => c.callId)).toEqual(odd);
    expect(results.map((r) => r.callId)).toEqual([...odd].reverse());
  });

  it('gives empty call ids distinct stand-ins, and their results the oldest unanswered one', () => {
    const messages = convert([
      { type: 'user', text: 'go' },
      { type: 'function_call', callId: '', name: 'exec_command', arguments: '{"cmd":"a"}' },
      { type: 'function_call', callId: '', name: 'exec_command', arguments: '{"cmd":"b"}' },
      { type: 'tool_output', callId: '', output: 'A' },
      { type: 'tool_output', callId: '', output: 'B' },
      { type: 'tool_output', callId: '', output: 'C (no call left)' },
    ]);
    const [first, second] = messages[2]!.content as Call[];
    expect(first!.callId).not.toBe('');
    expect(second!.callId).not.toBe(first!.callId);
    expect(messages[3]!.content).toEqual([new Result(first!.callId, [new Text('A')]), new Result(second!.callId, [new Text('B')])]);
    expect(messages[4]).toEqual({ role: 'user', content: [new Text('Output of an earlier tool call (no id):\nC (no call left)')] });
  });

  it('does not let a call id that looks like a stand-in pair with an empty-id result', () => {
    const messages = convert([
      { type: 'user', text: 'go' },
      { type: 'function_call', callId: 'tandem_unnamed_call_0', name: 'exec_command', arguments: '{}' },
      { type: 'tool_output', callId: '', output: 'whose?' },
    ]);
    expect(messages[3]).toEqual({ role: 'user', content: [new Text('Output of an earlier tool call (no id):\nwhose?')] });
  });

  it('passes a huge tool output through whole, once', () => {
    const huge = 'line of output\n'.repeat(400_000); // 6 MB
    const messages = convert([
      { type: 'user', text: 'cat the log' },
      { type: 'function_call', callId: 'big', name: 'exec_command', arguments: '{"cmd":"cat log"}' },
      { type: 'tool_output', callId: 'big', output: huge },
    ]);
    const result = messages[3]!.content[0] as Result;
    expect((result.content[0] as Text).value).toBe(huge);
    expect(messages).toHaveLength(4);
  });

  it('sends images as data parts when the model takes them', () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const [, user] = convert([{ type: 'user', text: 'what is this?', images: [{ mediaType: 'image/png', dataBase64: bytes.toString('base64') }] }], withImages);
    expect(user!.content[0]).toEqual(new Text('what is this?'));
    const image = user!.content[1] as Image;
    expect(image.mimeType).toBe('image/png');
    expect([...image.data]).toEqual([...bytes]);
  });

  it("fails the request, saying why, when the newest message has an image the model cannot take; older images become a note", () => {
    const image = { mediaType: 'image/png', dataBase64: 'iVBORw0KGgo=' };
    const noImages = { modelLabel: "the VS Code language model 'test'", noImagesReason: 'the model does not accept images' };
    const newest = () => toLanguageModelMessages({ instructions: 'i', input: [{ type: 'user', text: 'look', images: [image] }] }, parts, noImages);
    expect(newest).toThrow(ModelError);
    expect(newest).toThrow(/Images are not supported by the VS Code language model 'test': the model does not accept images/);
    try {
      newest();
    } catch (error) {
      expect((error as ModelError).code).toBe('bad_request');
    }
    const older = toLanguageModelMessages(
      { instructions: 'i', input: [{ type: 'user', text: 'look', images: [image, image] }, { type: 'assistant', text: 'failed' }, { type: 'user', text: 'without it then' }] },
      parts,
      noImages,
    );
    expect(older[1]).toEqual({ role: 'user', content: [new Text('look'), new Text('[2 images were attached here; not shown: the model does not accept images.]')] });
  });

  it('asks for JSON matching the schema in the instructions when the request wants structured output', () => {
    const text = instructionsText({ instructions: 'Review.', outputSchema: { name: 'findings', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } } });
    expect(text.startsWith('Review.\n\n')).toBe(true);
    expect(text).toContain('{"type":"object","properties":{"ok":{"type":"boolean"}}}');
    expect(instructionsText({ instructions: 'Plain.' })).toBe('Plain.');
  });
});

describe('toolCallInput', () => {
  it('parses JSON object arguments and keeps anything else verbatim', () => {
    const call = (args: string) => toolCallInput({ type: 'function_call', callId: 'c', name: 'exec_command', arguments: args });
    expect(call('{"cmd":"ls","n":1}')).toEqual({ cmd: 'ls', n: 1 });
    expect(call('{"cmd": "ls"')).toEqual({ invalid_arguments: '{"cmd": "ls"' });
    expect(call('[1,2]')).toEqual({ invalid_arguments: '[1,2]' });
    expect(call('null')).toEqual({ invalid_arguments: 'null' });
    expect(call('"a string"')).toEqual({ invalid_arguments: '"a string"' });
    expect(call('')).toEqual({ invalid_arguments: '' });
    expect(call('{"__proto__":{"polluted":true}}')).not.toHaveProperty('polluted');
  });
});

describe('toLanguageModelTools', () => {
  it('sends function tools as they are and apply_patch as its fallback function', () => {
    const exec: ToolSpec = { kind: 'function', name: 'exec_command', description: 'Run a command.', parameters: { type: 'object', properties: { cmd: { type: 'string' } } } };
    const tools = toLanguageModelTools([exec, applyPatchTool.spec]);
    expect(tools[0]).toEqual({ name: 'exec_command', description: 'Run a command.', inputSchema: exec.parameters });
    const fallback = (applyPatchTool.spec as Extract<ToolSpec, { kind: 'custom' }>).fallback;
    expect(tools[1]).toEqual({ name: 'apply_patch', description: fallback.description, inputSchema: fallback.parameters });
    expect(JSON.stringify(tools[1])).not.toContain('lark');
  });
});

describe('empty call ids next to real ones', () => {
  it('never gives an empty id the stand-in a real call already has', () => {
    const messages = toLanguageModelMessages(
      {
        instructions: 'i',
        input: [
          { type: 'user', text: 'go' },
          { type: 'function_call', callId: '', name: 'exec_command', arguments: '{}' },
          { type: 'function_call', callId: 'tandem_unnamed_call_0', name: 'exec_command', arguments: '{}' },
          { type: 'tool_output', callId: 'tandem_unnamed_call_0', output: 'real' },
          { type: 'tool_output', callId: '', output: 'empty' },
        ],
      },
      parts,
      options,
    );
    const ids = (messages[2]!.content as Call[]).map((c) => c.callId);
    expect(new Set(ids).size).toBe(2);
    expect(messages[3]!.content).toEqual([new Result('tandem_unnamed_call_0', [new Text('real')]), new Result(ids[0]!, [new Text('empty')])]);
  });
});
