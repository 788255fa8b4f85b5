// Read-only documents showing a file as a checkpoint kept it, for the restore preview's diff editor
// (checkpoint on the left, the file as it is now on the right). The URI names only the blob's hash; the
// content comes from the content-addressed store, so a URI from anywhere else shows nothing it was not
// already allowed to see (the store holds only files the agent changed in this user's sessions).
import * as vscode from 'vscode';
import type { BlobStore } from '../../node/checkpoints/blobStore';

export const CHECKPOINT_SCHEME = 'tandem-checkpoint';

export class CheckpointDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly blobs: BlobStore) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const hash = new URLSearchParams(uri.query).get('blob');
    if (!hash) return ''; // the file did not exist at the checkpoint
    const bytes = /^[0-9a-f]{64}$/.test(hash) ? this.blobs.get(hash) : undefined;
    if (!bytes) return vscode.l10n.t('(This content is no longer in the checkpoint store.)');
    return bytes.includes(0) ? vscode.l10n.t('(Binary file, {0} bytes)', bytes.length) : bytes.toString('utf8');
  }
}

/** A document URI for `filePath` as the checkpoint has it (`hash` undefined: it did not exist). */
export function checkpointUri(filePath: string, hash: string | undefined): vscode.Uri {
  return vscode.Uri.file(filePath).with({ scheme: CHECKPOINT_SCHEME, query: hash ? `blob=${hash}` : 'absent=1' });
}
