// The skills of this window, found as the agent finds them (node/skills/sessionSkills.ts): project skills
// from the first workspace folder only when the workspace is trusted (Restricted Mode loads none, like
// AGENTS.md), the user's own always.
import * as vscode from 'vscode';
import type { FileReader } from '../../core/ports';
import { loadSessionSkills, type SessionSkills } from '../../node/skills/sessionSkills';

export function loadWorkspaceSkills(files: FileReader): Promise<SessionSkills> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const folder = root?.scheme === 'file' ? root.fsPath : undefined;
  return loadSessionSkills(files, {
    // Without a local folder there is no project to take skills from: only the user's are found.
    workspaceRoot: folder ?? '/',
    cwd: folder ?? '/',
    includeProject: folder !== undefined && vscode.workspace.isTrusted,
  });
}
