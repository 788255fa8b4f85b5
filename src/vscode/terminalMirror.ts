// A VS Code terminal named "Tandem" that mirrors the agent's commands and their live output, so the
// user can watch the shell session in a real terminal. Created on the first command, never focused.
import * as vscode from 'vscode';
import type { AgentEvent } from '../shared/events';
import { MirrorBacklog } from './mirrorBacklog';

/**
 * Output kept until VS Code opens the terminal (see MirrorBacklog); past this, the start goes and the
 * terminal says how much.
 */
const MAX_PENDING_CHARS = 256 * 1024;
/** The tail of the newest command's output kept for `@terminal`. */
const MAX_LAST_OUTPUT_CHARS = 64 * 1024;

export class TerminalMirror implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly write = new vscode.EventEmitter<string>();
  private readonly commandCalls = new Set<string>();
  private readonly closeListener: vscode.Disposable;
  private opened = false;
  private readonly pending = new MirrorBacklog(MAX_PENDING_CHARS);
  private last: { command: string; output: string } | undefined;

  constructor() {
    this.closeListener = vscode.window.onDidCloseTerminal((t) => {
      if (t === this.terminal) this.forgetTerminal();
    });
  }

  onEvent(event: AgentEvent): void {
    if (event.type === 'tool.started' && event.tool === 'exec_command') {
      this.commandCalls.add(event.callId);
      this.last = { command: event.title, output: '' };
      this.ensureTerminal();
      this.print(`\r\n\x1b[1;36m${event.cwd ?? ''} $\x1b[0m ${event.title.replace(/\n/g, '\r\n')}\r\n`);
    } else if (event.type === 'tool.output' && this.commandCalls.has(event.callId)) {
      if (this.last) {
        this.last.output += event.chunk;
        if (this.last.output.length > MAX_LAST_OUTPUT_CHARS) this.last.output = this.last.output.slice(this.last.output.length - MAX_LAST_OUTPUT_CHARS);
      }
      this.print(event.chunk.replace(/(?<!\r)\n/g, '\r\n'));
    } else if (event.type === 'tool.ended' && this.commandCalls.has(event.callId)) {
      this.commandCalls.delete(event.callId);
      if (event.exitCode !== undefined) this.print(`\x1b[2m[exit ${event.exitCode}]\x1b[0m\r\n`);
    }
  }

  /** The newest command the terminal mirrored and the end of its output (escape sequences removed), for `@terminal`. */
  lastOutput(): { command: string; output: string } | undefined {
    if (!this.last) return undefined;
    // eslint-disable-next-line no-control-regex
    const plain = this.last.output.replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\r(?=\n)/g, '');
    return { command: this.last.command, output: plain };
  }

  private print(text: string): void {
    if (this.opened) {
      this.write.fire(text);
      return;
    }
    this.pending.add(text);
  }

  private ensureTerminal(): void {
    if (this.terminal) return;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: this.write.event,
      open: () => {
        this.opened = true;
        this.write.fire(`\x1b[2mTandem mirrors the agent's commands here.\x1b[0m\r\n${this.pending.take()}`);
      },
      close: () => this.forgetTerminal(),
    };
    this.terminal = vscode.window.createTerminal({ name: 'Tandem', pty, isTransient: true });
  }

  private forgetTerminal(): void {
    this.terminal = undefined;
    this.opened = false;
    this.pending.clear();
  }

  dispose(): void {
    this.closeListener.dispose();
    this.terminal?.dispose();
    this.write.dispose();
  }
}
