// An in-memory vscode.Memento for the unit tests of what the extension keeps in workspaceState (open chats,
// each chat's model): it counts writes, and a test can put any junk into it as a damaged store would hold.
import type * as vscode from 'vscode';

export class MemoryMemento implements Pick<vscode.Memento, 'get' | 'update' | 'keys'> {
  readonly values = new Map<string, unknown>();
  updates = 0;
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.updates++;
    // Stored as JSON, as VS Code does: what is read back is a copy.
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
  get memento(): vscode.Memento {
    return this as unknown as vscode.Memento;
  }
}
