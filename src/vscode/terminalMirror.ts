// A VS Code terminal named "Tandem" that mirrors the agent's commands and their live output, so the
// user can watch the shell session in a real terminal. Created on the first command, never focused.
import * as vscode from 'vscode';
import type { AgentEvent } from '../shared/events';

export class TerminalMirror implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly write = new vscode.EventEmitter<string>();
  private readonly commandCalls = new Set<string>();
  private closeListener: vscode.Disposable;

  constructor() {
    this.closeListener = vscode.window.onDidCloseTerminal((t) => {
      if (t === this.terminal) this.terminal = undefined;
    });
  }

  onEvent(event: AgentEvent): void {
    if (event.type === 'tool.started' && event.tool === 'exec_command') {
      this.commandCalls.add(event.callId);
      this.ensureTerminal();
      this.write.fire(`\r\n\x1b[1;36m${event.cwd ?? ''} $\x1b[0m ${event.title.replace(/\n/g, '\r\n')}\r\n`);
    } else if (event.type === 'tool.output' && this.commandCalls.has(event.callId)) {
      this.write.fire(event.chunk.replace(/(?<!\r)\n/g, '\r\n'));
    } else if (event.type === 'tool.ended' && this.commandCalls.has(event.callId)) {
      this.commandCalls.delete(event.callId);
      if (event.exitCode !== undefined) this.write.fire(`\x1b[2m[exit ${event.exitCode}]\x1b[0m\r\n`);
    }
  }

  private ensureTerminal(): void {
    if (this.terminal) return;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.write.event,
      open: () => this.write.fire('\x1b[2mTandem mirrors the agent\'s commands here.\x1b[0m\r\n'),
      close: () => (this.terminal = undefined),
    };
    this.terminal = vscode.window.createTerminal({ name: 'Tandem', pty, isTransient: true });
  }

  /** Text of the terminal session so far is not kept here; the chat cards hold each command's output. */
  dispose(): void {
    this.closeListener.dispose();
    this.terminal?.dispose();
    this.write.dispose();
  }
}
