// What the composer attaches to the next message besides its text: "Add to Chat" chips, `@` mentions
// (files, folders, problems, selection, terminal) and pasted images. The webview only ever holds ids and
// labels; the content is read and validated here, on the host, and goes with the next message.
import * as vscode from 'vscode';
import { checkImage } from '../core/mentions/attachments';
import type { ContextChip, HostToWebview, WebviewToHost } from '../shared/protocol';
import { PendingContext, type AttachedImage } from './fix/pendingContext';
import { MentionProvider } from './mentions/mentionProvider';
import type { TerminalMirror } from './terminalMirror';

type AttachmentMessage = Extract<WebviewToHost, { type: 'removeContext' | 'mentionQuery' | 'mentionPick' | 'attachImage' }>;

export class ComposerAttachments {
  /** Chips waiting for the next message. */
  private readonly chips = new PendingContext();
  /** The composer's `@` picker. */
  private readonly mentions: MentionProvider;

  constructor(
    terminal: TerminalMirror,
    private readonly post: (message: HostToWebview) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.mentions = new MentionProvider(terminal);
  }

  /** The chips not sent yet (shown again when the view reloads). */
  get pending(): readonly ContextChip[] {
    return this.chips.pending;
  }

  /** The message's text with the chips it names attached, and their images; the chips are used up. */
  take(text: string, contextIds: readonly string[] | undefined): { text: string; images: AttachedImage[] } {
    return this.chips.take(text, contextIds);
  }

  /** "Add to Chat": a chip in the composer; its text goes with the next message. */
  add(label: string, text: string, kind?: ContextChip['kind']): void {
    this.post({ type: 'addContext', context: this.chips.add(label, text, kind) });
  }

  handle(message: AttachmentMessage): void {
    switch (message.type) {
      case 'removeContext':
        this.chips.remove(message.id);
        break;
      case 'mentionQuery':
        void this.mentions.query(message.query).then(
          (items) => this.post({ type: 'mentionResults', requestId: message.requestId, items }),
          (error: unknown) => this.log.error('@ mention query failed:', error),
        );
        break;
      case 'mentionPick':
        void this.mentions.resolve(message.id).then(
          (found) => ('error' in found ? void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: {0}', found.error)) : this.add(found.label, found.text, found.kind)),
          (error: unknown) => this.log.error('@ mention could not be attached:', error),
        );
        break;
      case 'attachImage': {
        const check = checkImage(message.mediaType, message.dataBase64);
        if (!check.ok) {
          void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: {0} was not attached. {1}', message.name, check.reason));
          break;
        }
        const chip = this.chips.addImage(message.name, { mediaType: message.mediaType, dataBase64: message.dataBase64 }, `${message.mediaType}, ${Math.max(1, Math.round(check.bytes / 1024))} KB`);
        this.post({ type: 'addContext', context: chip });
        break;
      }
    }
  }
}
