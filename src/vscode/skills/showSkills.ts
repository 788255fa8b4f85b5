// "Tandem: Show Skills": which skills the agent gets in this window, where each comes from (project or
// user, and its path), which are listed in the prompt and which were left out for room; then the folders
// that were passed over and why (malformed SKILL.md, a link out of its folder, a name already taken).
// Picking a skill opens its SKILL.md. Found the way a new chat finds them (workspaceSkills.ts).
import * as vscode from 'vscode';
import type { FileReader } from '../../core/ports';
import type { SkillScope } from '../../core/skills/types';
import { skillPathForPrompt } from '../../core/skills/promptSection';
import { VscodeFileReader } from '../vscodeFileReader';
import { loadWorkspaceSkills } from './workspaceSkills';

interface SkillItem extends vscode.QuickPickItem {
  /** The SKILL.md to open when picked; none for folders whose SKILL.md leads outside (a link). */
  open?: string;
}

function scopeLabel(scope: SkillScope): string {
  return scope === 'project' ? vscode.l10n.t('project') : vscode.l10n.t('user');
}

export async function skillItems(files: FileReader): Promise<{ items: SkillItem[]; empty: boolean }> {
  const { discovery, section, where } = await loadWorkspaceSkills(files);
  const omitted = new Set(section.omitted);
  const items: SkillItem[] = discovery.skills.map((skill) => ({
    label: skill.name,
    description: `${scopeLabel(skill.scope)} · ${skillPathForPrompt(skill.file, where)}${omitted.has(skill.name) ? ` · ${vscode.l10n.t('not listed in the prompt (no room); $name still works')}` : ''}`,
    detail: skill.description,
    open: skill.file,
  }));
  if (discovery.skipped.length) {
    items.push({ label: vscode.l10n.t('Not loaded'), kind: vscode.QuickPickItemKind.Separator });
    for (const skipped of discovery.skipped) {
      // Only a file known to be inside its skills folder is opened: a link out is never followed from here.
      const inside = skipped.reason.startsWith('malformed SKILL.md') || skipped.reason.startsWith('overridden by');
      items.push({
        label: `$(warning) ${skipped.path.split('/').pop() ?? skipped.path}`,
        description: `${scopeLabel(skipped.scope)} · ${skillPathForPrompt(skipped.path, where)}`,
        detail: skipped.reason,
        ...(inside ? { open: `${skipped.path}/SKILL.md` } : {}),
      });
    }
  }
  return { items, empty: discovery.skills.length === 0 };
}

export function registerShowSkills(log: vscode.LogOutputChannel, files: FileReader = new VscodeFileReader()): vscode.Disposable {
  return vscode.commands.registerCommand('tandem.showSkills', async () => {
    const pick = vscode.window.createQuickPick<SkillItem>();
    pick.title = vscode.workspace.isTrusted
      ? vscode.l10n.t('Tandem skills (type $name in the chat to use one)')
      : vscode.l10n.t('Tandem skills: your own only (project skills are not loaded in Restricted Mode)');
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.busy = true;
    pick.onDidAccept(async () => {
      const [chosen] = pick.selectedItems;
      pick.hide();
      if (chosen?.open) await vscode.window.showTextDocument(vscode.Uri.file(chosen.open));
    });
    pick.onDidHide(() => pick.dispose());
    pick.show();
    try {
      const { items, empty } = await skillItems(files);
      pick.items = items;
      pick.placeholder = empty
        ? vscode.l10n.t('No skills found. Add a folder with a SKILL.md to .agents/skills in the workspace or ~/.agents/skills.')
        : vscode.l10n.t('Open a skill (its SKILL.md)');
    } catch (error) {
      log.error('Skills could not be listed:', error);
      pick.placeholder = vscode.l10n.t('Skills could not be listed (see Tandem: Show Log).');
    } finally {
      pick.busy = false;
    }
  });
}
