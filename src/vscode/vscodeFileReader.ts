// The patch engine reads what the user sees: an open editor's buffer (possibly unsaved) wins over disk.
import * as vscode from 'vscode';
import type { FileReader } from '../core/ports';
import { NodeFileReader } from '../node/nodeFileReader';

export class VscodeFileReader implements FileReader {
  private readonly disk = new NodeFileReader();

  async readText(path: string): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
    if (open?.isDirty) return open.getText();
    return this.disk.readText(path);
  }

  exists(path: string): Promise<boolean> {
    return this.disk.exists(path);
  }

  isDirectory(path: string): Promise<boolean> {
    return this.disk.isDirectory(path);
  }

  realPath(path: string): Promise<string> {
    return this.disk.realPath(path);
  }
}
