// What the user decided about MCP servers, remembered across windows: a workspace-defined server starts
// only once the user allowed it, and the answer is keyed by a hash of everything that decides what runs
// (folder, file, type, command, args, env, cwd, URL, headers), so a changed definition asks again. "Always
// allow this server's tools" skips the approval card for its calls (keyed by the same hash for workspace
// servers, by name for the user's own). `${input:…}` values live in SecretStorage, per file and id.
import { createHash } from 'node:crypto';
import type * as vscode from 'vscode';
import type { McpServerConfig } from '../../core/mcp/config';

const ALLOWED = 'tandem.mcp.allowedServers';
const DECLINED = 'tandem.mcp.declinedServers';
const TOOLS_ALLOWED = 'tandem.mcp.toolsAllowed';

/** A stable hash of what a server definition would run, and where it came from. */
export function serverFingerprint(server: McpServerConfig, folder: string): string {
  const what =
    server.type === 'stdio'
      ? [server.type, server.command, server.args, sorted(server.env), server.envFile ?? null, server.cwd ?? null]
      : [server.type, server.url, sorted(server.headers)];
  return createHash('sha256').update(JSON.stringify([folder, server.origin, server.name, ...what])).digest('hex');
}

function sorted(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export class McpConsent {
  constructor(
    private readonly globalState: vscode.Memento,
    private readonly workspaceState: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  isAllowed(fingerprint: string): boolean {
    return this.globalState.get<string[]>(ALLOWED, []).includes(fingerprint);
  }

  /** Declined in this workspace: not asked again until the user allows it from the servers view. */
  isDeclined(fingerprint: string): boolean {
    return this.workspaceState.get<string[]>(DECLINED, []).includes(fingerprint);
  }

  async allow(fingerprint: string): Promise<void> {
    await this.globalState.update(ALLOWED, [...new Set([...this.globalState.get<string[]>(ALLOWED, []), fingerprint])].slice(-500));
    await this.workspaceState.update(DECLINED, this.workspaceState.get<string[]>(DECLINED, []).filter((f) => f !== fingerprint));
  }

  async decline(fingerprint: string): Promise<void> {
    await this.workspaceState.update(DECLINED, [...new Set([...this.workspaceState.get<string[]>(DECLINED, []), fingerprint])].slice(-500));
  }

  toolsAllowed(key: string): boolean {
    return this.globalState.get<string[]>(TOOLS_ALLOWED, []).includes(key);
  }

  async setToolsAllowed(key: string, allowed: boolean): Promise<void> {
    const rest = this.globalState.get<string[]>(TOOLS_ALLOWED, []).filter((k) => k !== key);
    await this.globalState.update(TOOLS_ALLOWED, allowed ? [...rest, key].slice(-500) : rest);
  }

  inputKey(origin: string, id: string): string {
    return `tandem.mcp.input.${createHash('sha256').update(JSON.stringify([origin, id])).digest('hex').slice(0, 32)}`;
  }

  getInput(origin: string, id: string): Thenable<string | undefined> {
    return this.secrets.get(this.inputKey(origin, id));
  }

  storeInput(origin: string, id: string, value: string): Thenable<void> {
    return this.secrets.store(this.inputKey(origin, id), value);
  }

  forgetInput(origin: string, id: string): Thenable<void> {
    return this.secrets.delete(this.inputKey(origin, id));
  }
}
