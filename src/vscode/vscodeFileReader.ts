// The patch engine reads what the user sees: an open editor's buffer (possibly unsaved) wins over disk.
// Like the disk reader it reports where a file really is (see patchConfinement.ts); for an unsaved
// buffer that is the real path of the document's file.
import * as vscode from 'vscode';
import type { FileReader } from '../core/ports';
import type { RealPathReporting } from '../core/tools/patchConfinement';
import { NodeFileReader } from '../node/nodeFileReader';

export class VscodeFileReader implements FileReader, RealPathReporting {
  private readonly disk = new NodeFileReader();

  async readText(path: string): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
    if (open?.isDirty) return open.getText();
    return this.disk.readText(path);
  }

  async readTextWithRealPath(path: string): Promise<{ text: string | undefined; realPath: string }> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
    if (open?.isDirty) return { text: open.getText(), realPath: await this.disk.realPath(path) };
    return this.disk.readTextWithRealPath(path);
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

  isSymbolicLink(path: string): Promise<boolean> {
    return this.disk.isSymbolicLink(path);
  }

  listDirectory(path: string): Promise<string[]> {
    return this.disk.listDirectory(path);
  }
}
