// The host's side of `$name` in the composer: before a message goes to the agent, the skills it invokes
// are attached to it (each SKILL.md's instructions, like an `@` mention's file). Skills are looked up
// afresh for every message that names one, so a skill added mid-chat can be invoked at once; unknown
// names stay literal text. Never fails a send: a problem is logged and the message goes as typed.
import type * as vscode from 'vscode';
import type { FileReader } from '../../core/ports';
import { withInvokedSkills } from '../../node/skills/messageSkills';
import { loadWorkspaceSkills } from './workspaceSkills';

export class SkillInvoker {
  constructor(
    private readonly files: FileReader,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** `message` (the composed message) with the skills `typed` (what the user wrote) invokes attached. */
  async expand(typed: string, message: string): Promise<string> {
    const expanded = await withInvokedSkills(typed, message, this.files, () => loadWorkspaceSkills(this.files));
    if (expanded.invoked.length) this.log.info(`Skills attached to the message: ${expanded.invoked.join(', ')}`);
    for (const problem of expanded.problems) this.log.warn(`Skill not attached: ${problem}`);
    return expanded.text;
  }
}
