// The one list of names Tandem keeps out of a command's and the model's reach without a human looking.
// Each is something that runs code or steers the agent later, outside any sandbox, so writing it is how
// a prompt-injected command would plant code or instructions for the next run:
//   .git      hooks, `core.fsmonitor` and filter drivers run when the user (or VS Code) runs git there;
//             protected at any depth (nested repositories, submodules, worktrees).
//   .vscode   tasks, launch configurations and settings that VS Code or an extension acts on.
//   .tandem   Tandem's own project configuration and skills (`.tandem/skills`).
//   .agents   skills (`.agents/skills/*/SKILL.md`), loaded into the system prompt like instructions.
//   AGENTS.md the project's instructions, loaded into every session.
//   .mcp.json MCP servers other agents (and Tandem, in a trusted workspace or with exec's
//             --trust-workspace-mcp) start outside any sandbox; `.vscode/mcp.json` is covered by `.vscode`.
// Everyone who protects these names reads them from here: the patch policy and command classifier
// (paths.ts, risk.ts), the pre-command link check (diskChecks.ts), the bwrap scan, placeholders and
// link repair (node/sandbox/protectedScan.ts, protectedLinks.ts) and the Seatbelt profile. Add a name
// here and every one of them protects it; change SECURITY.md and the README's Safety section with it.

/** Directories kept read-only (`.git` at any depth; all of them at any depth in patches and on macOS). */
export const PROTECTED_DIR_NAMES = ['.git', '.vscode', '.tandem', '.agents'] as const;
/** Files kept read-only (at the workspace root in the Linux sandbox; any depth in patches and on macOS). */
export const PROTECTED_FILE_NAMES = ['AGENTS.md', '.mcp.json'] as const;
/** Every protected name, directories first. */
export const PROTECTED_NAMES = [...PROTECTED_DIR_NAMES, ...PROTECTED_FILE_NAMES] as const;

/** "`.git` (at any depth), `.vscode`, …, AGENTS.md and .mcp.json", for messages that name the protected paths. */
export function protectedNamesText(): string {
  const names = PROTECTED_NAMES.map((name) => (name === '.git' ? '.git (at any depth)' : name));
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
