// "Approve for this session" memory. A command approval is remembered as a prefix of each simple
// command the user saw (`npm test`, `git commit`), never as "anything goes": a later command line is
// covered only if every simple command in it matches a remembered prefix or is known read-only, so
// approving `npm test` covers `npm test -- --watch` but neither `npm publish` nor `npm test && rm -rf x`.
import { simpleCommandSafety } from './knownSafe';
import { programName } from './shellCommands';
import { parseShell, type SimpleCommand } from './shellParse';

interface CommandRule {
  /** `NAME=value` words that must precede the command exactly as they did when approved. */
  assignments: string[];
  prefix: string[];
  /** Only the identical argv matches (programs where a prefix would approve too much). */
  exact: boolean;
}

/** Programs whose first operand says little about what they do: only the exact command is remembered. */
const EXACT_ONLY = new Set([
  'rm', 'rmdir', 'mv', 'cp', 'dd', 'chmod', 'chown', 'ln', 'sudo', 'doas', 'su', 'sh', 'bash', 'zsh', 'dash', 'ksh', 'fish',
  'env', 'xargs', 'eval', 'exec', 'curl', 'wget', 'kill', 'pkill', 'killall', 'python', 'python3', 'node', 'perl', 'ruby',
  'find', 'sed', 'awk', 'source', '.',
]);
/** Package runners whose subcommand names a script: `npm run build` must not approve `npm run deploy`. */
const SCRIPT_RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
const RUN_SUBCOMMANDS = new Set(['run', 'run-script', 'exec', 'x', 'dlx']);

export class SessionApprovals {
  private readonly rules = new Map<string, CommandRule>();
  private patchesApproved = false;
  /** MCP servers whose tools the user approved for the session, by the server's key (never mixed with shell commands). */
  private readonly mcpServers = new Set<string>();

  rememberMcpServer(serverKey: string): void {
    this.mcpServers.add(serverKey);
  }

  isMcpServerApproved(serverKey: string): boolean {
    return this.mcpServers.has(serverKey);
  }

  /** Remembers the prefixes of the simple commands in `command` that are not already known read-only. */
  rememberCommand(command: string): void {
    const parsed = parseShell(command);
    if (!parsed.ok || parsed.constructs.some((c) => c.opaque)) return;
    for (const simple of parsed.commands) {
      if (simple.argv.length === 0 || simple.extraArgs || simpleCommandSafety(simple).safe) continue;
      if (!simple.words.every((w) => w.literal)) continue;
      const rule = ruleFor(simple);
      this.rules.set(JSON.stringify(rule), rule);
    }
  }

  /** True when every simple command of `command` is covered by a remembered prefix or is known read-only. */
  isCommandApproved(command: string): boolean {
    if (this.rules.size === 0) return false;
    const parsed = parseShell(command);
    if (!parsed.ok || parsed.constructs.some((c) => c.opaque)) return false;
    let matched = false;
    for (const simple of parsed.commands) {
      if (simple.argv.length === 0 || simpleCommandSafety(simple).safe) continue;
      if (simple.extraArgs || ![...this.rules.values()].some((rule) => matches(rule, simple))) return false;
      matched = true;
    }
    return matched;
  }

  /** Remembers that the user approved workspace patches for the session (paths outside it still ask). */
  rememberPatches(): void {
    this.patchesApproved = true;
  }

  arePatchesApproved(): boolean {
    return this.patchesApproved;
  }

  /** The remembered command prefixes, for display ("npm test", "git commit"). */
  describeRules(): string[] {
    return [...this.rules.values()].map((r) => [...r.assignments, ...r.prefix].join(' ') + (r.exact ? '' : ' …'));
  }
}

function ruleFor(command: SimpleCommand): CommandRule {
  const argv = command.argv;
  const assignments = [...command.assignments].sort();
  const [program = '', first, second] = argv;
  if (EXACT_ONLY.has(programName(program)) || first === undefined || first.startsWith('-')) {
    return { assignments, prefix: [...argv], exact: true };
  }
  if (SCRIPT_RUNNERS.has(programName(program)) && RUN_SUBCOMMANDS.has(first)) {
    return second === undefined || second.startsWith('-') ? { assignments, prefix: [...argv], exact: true } : { assignments, prefix: [program, first, second], exact: false };
  }
  return { assignments, prefix: [program, first], exact: false };
}

function matches(rule: CommandRule, command: SimpleCommand): boolean {
  if (JSON.stringify([...command.assignments].sort()) !== JSON.stringify(rule.assignments)) return false;
  const argv = command.argv;
  if (rule.exact && argv.length !== rule.prefix.length) return false;
  if (argv.length < rule.prefix.length) return false;
  // The matched prefix must be literal text: `npm $X` never matches `npm test`.
  return rule.prefix.every((token, i) => argv[i] === token && command.words[i]?.literal === true);
}
