// Why a "Fix This" cannot run here, said plainly where the user is, before anything is sent: an untitled
// buffer, a file outside the workspace or not on disk, a read-only document, no model to ask, a policy
// that forbids edits. Explain This needs only a model. Each runs in a chat of its own, so a busy chat is no
// reason to refuse.
import { apiKeyForTurn } from '../chats/chatAgent';
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey';
import { readConfig } from '../config';

export interface Refusal {
  message: string;
  /** Buttons: label → command (with arguments). */
  actions: { label: string; command: string; args?: unknown[] }[];
  severity: 'info' | 'warning';
}

const OPEN_SETTINGS = (query: string) => ({ label: 'Open Settings', command: 'workbench.action.openSettings', args: [query] });
const SET_API_KEY = { label: 'Set API Key', command: 'tandem.setApiKey' };

export async function whyNotFix(document: vscode.TextDocument, apiKeys: ApiKeyStore): Promise<Refusal | undefined> {
  const uri = document.uri;
  if (uri.scheme === 'untitled' || document.isUntitled) {
    return { severity: 'info', message: 'Tandem: save this file in your workspace first. Fix This edits files on disk, and an untitled buffer is not one yet.', actions: [{ label: 'Save As…', command: 'workbench.action.files.saveAs' }] };
  }
  if (uri.scheme !== 'file') {
    return { severity: 'info', message: `Tandem: Fix This works on files in your workspace; this document (${uri.scheme}:) is not a file on disk.`, actions: [] };
  }
  if (!vscode.workspace.getWorkspaceFolder(uri)) {
    return {
      severity: 'info',
      message: `Tandem: ${vscode.workspace.asRelativePath(uri)} is outside the open workspace, and Tandem only edits files inside it. Open its folder (or add it to the workspace) to fix it here.`,
      actions: [{ label: 'Add Folder to Workspace…', command: 'workbench.action.addRootFolder' }],
    };
  }
  if (await isReadOnly(document)) {
    return { severity: 'info', message: `Tandem: ${vscode.workspace.asRelativePath(uri)} is read-only, so there is nothing Tandem could change. Make it writable to fix it.`, actions: [] };
  }
  const common = await whyNotAsk(apiKeys);
  if (common) return common;
  const policy = readConfig().approvalPolicy;
  if (policy === 'read-only') {
    return vscode.workspace.isTrusted
      ? { severity: 'info', message: 'Tandem: the approval policy is read-only, so Tandem may not propose edits. Set tandem.approvalPolicy to "ask" to fix code (every fix still waits for your Accept).', actions: [OPEN_SETTINGS('tandem.approvalPolicy')] }
      : { severity: 'info', message: 'Tandem: this workspace is not trusted, so Tandem only reads here. Trust the workspace to fix code.', actions: [{ label: 'Manage Workspace Trust', command: 'workbench.trust.manage' }] };
  }
  return undefined;
}

/** What Explain This (and any run) needs: a model to ask. */
export async function whyNotAsk(apiKeys: ApiKeyStore): Promise<Refusal | undefined> {
  // Local servers and VS Code's language models need no key (chats/chatAgent.ts asks the same way).
  if (!(await apiKeyForTurn(apiKeys))) {
    return { severity: 'warning', message: 'Tandem has no model to ask: no API key is set. Set one (and the model and base URL in the settings), then try again.', actions: [SET_API_KEY, OPEN_SETTINGS('tandem')] };
  }
  return undefined;
}

/**
 * A document the user cannot (or may not) change: a read-only file system, a file its file system reports
 * read-only, or `files.readonlyInclude`. Asked through `vscode.workspace.fs`, never node:fs, so it holds in
 * remote workspaces (SSH, containers, WSL, code-server) whatever file system the workspace lives on. A file
 * the file system calls writable but the OS then refuses fails at Accept, which says so.
 */
async function isReadOnly(document: vscode.TextDocument): Promise<boolean> {
  const uri = document.uri;
  if (vscode.workspace.fs.isWritableFileSystem(uri.scheme) === false) return true;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.permissions !== undefined && (stat.permissions & vscode.FilePermission.Readonly) !== 0) return true;
  } catch {
    return false; // deleted meanwhile: the patch will say so
  }
  const files = vscode.workspace.getConfiguration('files', uri);
  const matches = (globs: Record<string, boolean> | undefined) =>
    Object.entries(globs ?? {}).some(([pattern, on]) => on && vscode.languages.match({ pattern }, document) > 0);
  return matches(files.get<Record<string, boolean>>('readonlyInclude')) && !matches(files.get<Record<string, boolean>>('readonlyExclude'));
}

/** Shows a refusal with its buttons. */
export async function showRefusal(refusal: Refusal): Promise<void> {
  const labels = refusal.actions.map((a) => a.label);
  const picked = refusal.severity === 'warning' ? await vscode.window.showWarningMessage(refusal.message, ...labels) : await vscode.window.showInformationMessage(refusal.message, ...labels);
  const action = refusal.actions.find((a) => a.label === picked);
  if (action) await vscode.commands.executeCommand(action.command, ...(action.args ?? []));
}
