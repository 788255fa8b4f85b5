// MCP tools as the model sees them (names within the API's charset and length, unique, schemas checked)
// and the policy's verdict on a call in every approval mode.
import { describe, expect, it } from 'vitest';
import { decideMcpCall, type ApprovalPolicy } from '../../../../src/core/approvals/policy';
import { SessionApprovals } from '../../../../src/core/approvals/sessionApprovals';
import { mcpSessionKey, resultText, shownArguments, MAX_SHOWN_ARGUMENTS } from '../../../../src/core/mcp/mcpTool';
import { assignToolNames, buildToolEntries, exposedToolName, MAX_TOOL_SCHEMA_BYTES, MAX_TOOLS_PER_SERVER } from '../../../../src/core/mcp/toolNames';

const API_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

describe('MCP tool names', () => {
  it('are mcp__<server>__<tool> when that fits', () => {
    expect(exposedToolName('github', 'create_issue')).toBe('mcp__github__create_issue');
  });

  it('replace characters the APIs refuse and stay within 64 characters', () => {
    const hostile = ['my server', 'ünïcode', 'a/b', 'x'.repeat(300), '../../etc', '\u0000', 'emoji😀', ''];
    for (const server of hostile) for (const tool of hostile) expect(exposedToolName(server, tool)).toMatch(API_NAME);
    expect(exposedToolName('a.b', 'c d')).toBe('mcp__a_b__c_d');
  });

  it('tell apart names that collide after sanitising or truncation', () => {
    const long = 'x'.repeat(100);
    const names = assignToolNames([
      { server: 'a.b', tool: 't' },
      { server: 'a_b', tool: 't' },
      { server: 'a b', tool: 't' },
      { server: 's', tool: `${long}1` },
      { server: 's', tool: `${long}2` },
    ]);
    expect(new Set(names).size).toBe(5);
    for (const name of names) expect(name).toMatch(API_NAME);
    expect(names.slice(0, 3)).toEqual(['mcp__a_b__t', 'mcp__a_b__t_2', 'mcp__a_b__t_3']);
  });

  it('are stable for the same servers and tools (the request prefix stays the same)', () => {
    const input = [{ server: 'x'.repeat(80), tool: 'y' }, { server: 'q', tool: 'r' }];
    expect(assignToolNames(input)).toEqual(assignToolNames(input));
  });
});

describe('buildToolEntries', () => {
  it('passes schemas through and reads the read-only hint', () => {
    const schema = { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] };
    const { entries, skipped } = buildToolEntries([{ server: 'fx', tools: [{ name: 'echo', description: 'Echoes', inputSchema: schema, annotations: { readOnlyHint: true } }] }]);
    expect(skipped).toEqual([]);
    expect(entries).toEqual([{ exposedName: 'mcp__fx__echo', server: 'fx', tool: 'echo', readOnlyHint: true, spec: { kind: 'function', name: 'mcp__fx__echo', description: 'Echoes', parameters: schema } }]);
  });

  it('leaves out tools with hostile schemas or names, saying why', () => {
    const tools = [
      { name: 'arr', inputSchema: [] },
      { name: 'str', inputSchema: 'object' },
      { name: 'notobject', inputSchema: { type: 'string' } },
      { name: 'huge', inputSchema: { type: 'object', description: 'x'.repeat(MAX_TOOL_SCHEMA_BYTES) } },
      { name: '' },
      { name: 42 },
      null,
      { name: 'ok' },
      { name: 'ok' },
      { name: 'hint-not-boolean', annotations: { readOnlyHint: 'true' } },
      { name: 'evil\u202egnp.exe' },
      { name: 'line\nbreak' },
    ];
    const { entries, skipped } = buildToolEntries([{ server: 's', tools }]);
    expect(entries.map((e) => [e.tool, e.readOnlyHint])).toEqual([['ok', false], ['hint-not-boolean', false]]);
    expect(entries[0]!.spec.parameters).toEqual({ type: 'object', properties: {} });
    expect(skipped).toHaveLength(10);
    expect(skipped.join('\n')).toMatch(/is \d+ KiB/);
  });

  it('offers at most MAX_TOOLS_PER_SERVER tools of one server', () => {
    const tools = Array.from({ length: MAX_TOOLS_PER_SERVER + 3 }, (_, i) => ({ name: `t${i}` }));
    const { entries, skipped } = buildToolEntries([{ server: 's', tools }]);
    expect(entries).toHaveLength(MAX_TOOLS_PER_SERVER);
    expect(skipped[0]).toContain(`only the first ${MAX_TOOLS_PER_SERVER}`);
  });

  it('caps a long description', () => {
    const { entries } = buildToolEntries([{ server: 's', tools: [{ name: 't', description: 'd'.repeat(10_000) }] }]);
    expect(entries[0]!.spec.description.length).toBeLessThan(2100);
  });
});

describe('decideMcpCall', () => {
  const subject = (readOnlyHint: boolean, serverAllowed?: boolean) => ({ server: 'fx', readOnlyHint, command: mcpSessionKey('fx'), ...(serverAllowed !== undefined ? { serverAllowed } : {}) });
  const verdict = (policy: ApprovalPolicy, readOnlyHint: boolean, approvals?: SessionApprovals, serverAllowed?: boolean) =>
    decideMcpCall(policy, subject(readOnlyHint, serverAllowed), approvals ? { sessionApprovals: approvals } : {}).verdict;

  it('asks in read-only and ask mode, read-only hint or not', () => {
    for (const policy of ['read-only', 'ask'] as const) for (const hint of [true, false]) expect(verdict(policy, hint)).toBe('ask');
  });

  it('runs read-only-hinted calls unasked in auto, asks the rest', () => {
    expect(verdict('auto', true)).toBe('allow');
    expect(verdict('auto', false)).toBe('ask');
  });

  it('runs everything in full access', () => {
    expect(verdict('full-access', false)).toBe('allow');
  });

  it('allows a server the user approved for the session (by its key) or always, in every mode', () => {
    const approvals = new SessionApprovals();
    approvals.rememberMcpServer(mcpSessionKey('fx'));
    for (const policy of ['read-only', 'ask', 'auto'] as const) {
      expect(verdict(policy, false, approvals)).toBe('allow');
      expect(verdict(policy, false, undefined, true)).toBe('allow');
    }
  });

  it('keeps session approvals per server: approving one never approves a look-alike', () => {
    const approvals = new SessionApprovals();
    approvals.rememberMcpServer(mcpSessionKey('a.b'));
    expect(approvals.isMcpServerApproved(mcpSessionKey('a_b'))).toBe(false);
    expect(decideMcpCall('ask', { server: 'a_b', readOnlyHint: false, command: mcpSessionKey('a_b') }, { sessionApprovals: approvals }).verdict).toBe('ask');
  });
});

describe('MCP session approvals are not shell-command approvals', () => {
  it('approving a server never approves a command line spelled like its key, and the reverse', () => {
    const server = new SessionApprovals();
    server.rememberMcpServer(mcpSessionKey('fx'));
    expect(server.isCommandApproved(mcpSessionKey('fx'))).toBe(false);
    expect(server.isCommandApproved(`${mcpSessionKey('fx')} --delete-everything`)).toBe(false);
    const command = new SessionApprovals();
    command.rememberCommand(mcpSessionKey('fx'));
    expect(decideMcpCall('ask', { server: 'fx', readOnlyHint: false, command: mcpSessionKey('fx') }, { sessionApprovals: command }).verdict).toBe('ask');
  });
});

describe('MCP results and arguments as text', () => {
  it('joins text, names what it cannot show', () => {
    const text = resultText({ content: [{ type: 'text', text: 'one' }, { type: 'image', mimeType: 'image/png', data: 'AAAA' }, { type: 'resource', resource: { uri: 'f://x', text: 'two' } }, { type: 'resource_link', uri: 'f://y' }, { type: 'weird' }, null, 'str'] });
    expect(text).toBe('one\n[image image/png omitted]\ntwo\n[resource f://y]\n[weird content omitted]');
    expect(resultText({ content: 'not an array', structuredContent: { a: 1 } })).toBe('{"a":1}');
  });

  it('caps the arguments shown on the approval card', () => {
    const shown = shownArguments({ big: 'x'.repeat(10_000) });
    expect(shown.length).toBeLessThan(MAX_SHOWN_ARGUMENTS + 100);
    expect(shown).toContain('more characters');
  });
});
