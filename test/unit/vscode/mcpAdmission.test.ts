// Whether a workspace-defined MCP server may start: refused in an untrusted workspace (not even asked, and
// nothing is spawned), asked once in a trusted one, remembered by the definition's hash (a changed
// definition asks again), "Don't Allow" remembered, a dismissed question asked again. The admitted server
// then really starts (the fixture server through McpManager); a refused one never runs its command.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import type { McpServerConfig } from '../../../src/core/mcp/config';
import { McpManager } from '../../../src/node/mcp/mcpManager';
import { admitServer, type AdmissionContext } from '../../../src/vscode/mcp/mcpAdmission';
import { McpConsent, serverFingerprint } from '../../../src/vscode/mcp/mcpConsent';

const FIXTURE = join(__dirname, '../../fixtures/mcp/fixtureServer.ts');

class MemoryMemento {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string, fallback?: T): T {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

function consent(): McpConsent {
  return new McpConsent(new MemoryMemento() as unknown as vscode.Memento, new MemoryMemento() as unknown as vscode.Memento, {} as vscode.SecretStorage);
}

const workspaceServer: McpServerConfig = { name: 'fx', source: 'workspace', origin: '/ws/.vscode/mcp.json', type: 'stdio', command: process.execPath, args: [FIXTURE], env: {} };

function context(trusted: boolean, store: McpConsent, answers: ('allow' | 'deny' | undefined)[]): AdmissionContext & { asked: number } {
  const ctx = {
    trusted,
    consent: store,
    asked: 0,
    ask: async () => {
      ctx.asked++;
      return answers.shift();
    },
  };
  return ctx;
}

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.dispose();
  manager = undefined;
});

describe('admitServer', () => {
  it('refuses a workspace server in an untrusted workspace without asking, even one allowed before, and nothing runs', async () => {
    const store = consent();
    const dir = mkdtempSync(join(tmpdir(), 'mcp-untrusted-'));
    const marker = join(dir, 'ran');
    const evil: McpServerConfig = { ...workspaceServer, command: 'touch', args: [marker] };
    const fp = serverFingerprint(evil, '/ws');
    await store.allow(fp);
    const ctx = context(false, store, ['allow']);
    const admission = await admitServer(evil, fp, ctx);
    expect(admission).toEqual({ start: false, why: 'untrusted', canAllow: false });
    expect(ctx.asked).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('asks once in a trusted workspace, starts the allowed server, and does not ask again for the same definition', async () => {
    const store = consent();
    const fp = serverFingerprint(workspaceServer, '/ws');
    const first = context(true, store, ['allow']);
    expect(await admitServer(workspaceServer, fp, first)).toEqual({ start: true });
    expect(first.asked).toBe(1);
    manager = new McpManager();
    await manager.start([workspaceServer]);
    expect(manager.states()[0]).toMatchObject({ name: 'fx', status: 'running', source: 'workspace' });

    const again = context(true, store, []);
    expect(await admitServer(workspaceServer, fp, again)).toEqual({ start: true });
    expect(again.asked).toBe(0);

    const changed = { ...workspaceServer, args: [FIXTURE, '--extra'] };
    const afterChange = context(true, store, [undefined]);
    expect(await admitServer(changed, serverFingerprint(changed, '/ws'), afterChange)).toEqual({ start: false, why: 'unanswered', canAllow: true });
    expect(afterChange.asked).toBe(1);
  });

  it('remembers "Don\'t Allow" (not asked again), asks again after a dismissed question', async () => {
    const store = consent();
    const fp = serverFingerprint(workspaceServer, '/ws');
    const denied = context(true, store, ['deny']);
    expect(await admitServer(workspaceServer, fp, denied)).toEqual({ start: false, why: 'declined', canAllow: true });
    const later = context(true, store, ['allow']);
    expect(await admitServer(workspaceServer, fp, later)).toEqual({ start: false, why: 'declined', canAllow: true });
    expect(later.asked).toBe(0);
    // "Allow" in the view clears the refusal.
    await store.allow(fp);
    expect(await admitServer(workspaceServer, fp, later)).toEqual({ start: true });

    const other = consent();
    const dismissed = context(true, other, [undefined, 'allow']);
    expect(await admitServer(workspaceServer, fp, dismissed)).toMatchObject({ start: false, why: 'unanswered' });
    expect(await admitServer(workspaceServer, fp, dismissed)).toEqual({ start: true });
    expect(dismissed.asked).toBe(2);
  });

  it('starts the user\'s own servers without asking, trusted or not', async () => {
    const user: McpServerConfig = { ...workspaceServer, source: 'user' };
    const ctx = context(false, consent(), []);
    expect(await admitServer(user, serverFingerprint(user, ''), ctx)).toEqual({ start: true });
    expect(ctx.asked).toBe(0);
  });
});
