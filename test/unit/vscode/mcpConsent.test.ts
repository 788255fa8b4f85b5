// What the user allowed about MCP servers: a workspace server's consent is keyed by a hash of its whole
// definition, so any change to what would run (command, args, env, URL, headers, the file or folder it
// came from) asks again; declining is remembered per workspace; inputs are stored per file and id.
import { describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import type { McpServerConfig } from '../../../src/core/mcp/config';
import { McpConsent, serverFingerprint } from '../../../src/vscode/mcp/mcpConsent';

class MemoryMemento implements Pick<vscode.Memento, 'get' | 'update' | 'keys'> {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
}

class MemorySecrets {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

const base: McpServerConfig = { name: 'srv', source: 'workspace', origin: '/ws/.vscode/mcp.json', type: 'stdio', command: 'node', args: ['s.js'], env: { A: '1', B: '2' } };

describe('serverFingerprint', () => {
  it('changes with anything that decides what runs, not with env order', () => {
    const fp = serverFingerprint(base, '/ws');
    expect(serverFingerprint({ ...base, env: { B: '2', A: '1' } }, '/ws')).toBe(fp);
    const changed: McpServerConfig[] = [
      { ...base, command: 'nodе' },
      { ...base, args: ['s.js', '--evil'] },
      { ...base, env: { A: '1', B: '2', NODE_OPTIONS: '--require=x' } },
      { ...base, cwd: '/tmp' },
      { ...base, envFile: '.env' },
      { ...base, origin: '/ws/.mcp.json' },
      { ...base, name: 'other' },
      { name: 'srv', source: 'workspace', origin: base.origin, type: 'http', url: 'https://x', headers: {} },
    ];
    for (const server of changed) expect(serverFingerprint(server, '/ws')).not.toBe(fp);
    expect(serverFingerprint(base, '/other-ws')).not.toBe(fp);
  });
});

describe('McpConsent', () => {
  const make = () => {
    const global = new MemoryMemento();
    const workspace = new MemoryMemento();
    const secrets = new MemorySecrets();
    return { consent: new McpConsent(global as unknown as vscode.Memento, workspace as unknown as vscode.Memento, secrets as unknown as vscode.SecretStorage), secrets };
  };

  it('remembers an allowed definition; a declined one until it is allowed', async () => {
    const { consent } = make();
    const fp = serverFingerprint(base, '/ws');
    expect(consent.isAllowed(fp)).toBe(false);
    await consent.decline(fp);
    expect(consent.isDeclined(fp)).toBe(true);
    await consent.allow(fp);
    expect(consent.isAllowed(fp)).toBe(true);
    expect(consent.isDeclined(fp)).toBe(false);
    expect(consent.isAllowed(serverFingerprint({ ...base, args: ['other.js'] }, '/ws'))).toBe(false);
  });

  it('toggles "always allow tools" per key', async () => {
    const { consent } = make();
    await consent.setToolsAllowed('user:srv', true);
    expect(consent.toolsAllowed('user:srv')).toBe(true);
    expect(consent.toolsAllowed('user:other')).toBe(false);
    await consent.setToolsAllowed('user:srv', false);
    expect(consent.toolsAllowed('user:srv')).toBe(false);
  });

  it('keeps input values in SecretStorage per file and id', async () => {
    const { consent, secrets } = make();
    await consent.storeInput('/a/.vscode/mcp.json', 'token', 'secret-a');
    expect(await consent.getInput('/a/.vscode/mcp.json', 'token')).toBe('secret-a');
    expect(await consent.getInput('/b/.vscode/mcp.json', 'token')).toBeUndefined();
    expect([...secrets.values.keys()].every((k) => k.startsWith('tandem.mcp.input.') && !k.includes('token'))).toBe(true);
  });
});
