// What makes a command worth a human look in `auto` mode: running outside the workspace, writing or
// deleting outside it or in protected places, clearly destructive commands, and downloading code to run
// it. Everything else a model does inside its workspace is allowed in `auto`. The lists are heuristics that
// err towards asking; `read-only` and `ask` modes do not depend on them to stay safe.
import { simpleCommandSafety } from './knownSafe';
import { containsWorkspaceRoot, protectedPart, resolveShellPath, workspaceRelative } from './paths';
import { programName, SHELLS } from './shellCommands';
import type { ParseResult, SimpleCommand, Word } from './shellTypes';

export interface RiskContext {
  cwd: string;
  workspaceRoots: readonly string[];
  /** The user's home directory, to resolve `~`; without it `~` paths count as outside the workspace. */
  homeDir?: string;
}

const PRIVILEGED = new Set(['sudo', 'su', 'doas', 'pkexec']);
const POWER = new Set(['shutdown', 'reboot', 'halt', 'poweroff']);
const FETCHERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https']);
const INTERPRETERS = new Set([...SHELLS, 'source', '.', 'python', 'python3', 'node', 'perl', 'ruby', 'php', 'deno', 'bun']);
/** Programs whose operands are paths they create, change or delete. */
const MUTATORS = new Set(['rm', 'rmdir', 'mv', 'cp', 'touch', 'mkdir', 'ln', 'tee', 'truncate', 'install', 'chmod', 'chown', 'chgrp', 'shred', 'unlink']);
/** Of these, the ones that remove their operands. */
const REMOVERS = new Set(['rm', 'rmdir', 'mv', 'shred', 'unlink']);

/** One reason to look; `protectedPath` when it writes to a protected name (protectedNames.ts). */
interface Risk {
  text: string;
  protectedPath?: boolean;
}

/** Why `parsed` needs a look in `auto` mode; empty when it does not. Assumes `parsed.ok`. */
export function assessCommandRisks(parsed: ParseResult, context: RiskContext): string[] {
  return [...new Set(collectRisks(parsed, context).map((r) => r.text))];
}

/** Writes to protected paths inside the workspace: these are asked in every mode, full access included. */
export function protectedPathWrites(parsed: ParseResult, context: RiskContext): string[] {
  return [...new Set(collectRisks(parsed, context).filter((r) => r.protectedPath).map((r) => r.text))];
}

function collectRisks(parsed: ParseResult, context: RiskContext): Risk[] {
  if (!parsed.ok) return [{ text: `the command could not be analysed (${parsed.error})` }];
  const risks: Risk[] = [];
  const add = (text: string) => risks.push({ text });
  for (const construct of parsed.constructs) {
    if (construct.opaque) add(`it uses ${construct.detail}, which cannot be checked before it runs`);
  }
  const programs = parsed.commands.map((c) => programName(c.argv[0] ?? ''));
  if (programs.some((p) => FETCHERS.has(p)) && programs.some((p) => INTERPRETERS.has(p))) {
    add('it downloads something and runs an interpreter: the downloaded code could run');
  }
  // `cd` moves the rest of the line; the scan follows it in order (and stays conservative across subshells).
  let cwd: string | undefined = context.cwd;
  for (const command of parsed.commands) {
    const program = programName(command.argv[0] ?? '');
    if (program === 'cd' && command.words[0]?.literal) {
      cwd = changeDirectory(cwd, command.words[1], context.homeDir);
      continue;
    }
    const readOnly = simpleCommandSafety(command).safe;
    if (!readOnly && (cwd === undefined || workspaceRelative(context.workspaceRoots, cwd) === undefined)) {
      add(`\`${command.argv.join(' ') || 'the redirection'}\` runs outside the workspace (in ${cwd ?? 'an unknown directory'})`);
    }
    for (const redirection of command.redirections.filter((r) => r.write)) {
      const risk = targetRisk(redirection.target, cwd, context, 'writes to', false);
      if (risk) risks.push(risk);
    }
    risks.push(...commandRisks(command, cwd, context));
  }
  return risks;
}

function changeDirectory(cwd: string | undefined, target: Word | undefined, home: string | undefined): string | undefined {
  if (target === undefined) return home;
  if (!target.literal || target.text === '-' || cwd === undefined) return undefined;
  return resolveShellPath(cwd, target.text, home);
}

/** Risk of touching `word` as a path from `cwd`; `undefined` when it is an ordinary workspace file. */
function targetRisk(word: Word, cwd: string | undefined, context: RiskContext, verb: string, removes: boolean): Risk | undefined {
  if (!word.literal) return { text: `it ${verb} a path computed at run time (\`${word.text}\`)` };
  const path = cwd === undefined ? undefined : resolveShellPath(cwd, word.text, context.homeDir);
  if (path === undefined) return { text: `it ${verb} \`${word.text}\`, which may be outside the workspace` };
  const relative = workspaceRelative(context.workspaceRoots, path);
  if (relative === undefined || (removes && containsWorkspaceRoot(context.workspaceRoots, path))) {
    return { text: `it ${verb} \`${word.text}\` outside the workspace (${path})` };
  }
  const guarded = protectedPart(relative);
  return guarded ? { text: `it ${verb} \`${word.text}\` in the protected path ${guarded}`, protectedPath: true } : undefined;
}

function commandRisks(command: SimpleCommand, cwd: string | undefined, context: RiskContext): Risk[] {
  const program = programName(command.argv[0] ?? '');
  const args = command.argv.slice(1);
  const risks: Risk[] = [];
  const plain = (text: string) => risks.push({ text });
  if (PRIVILEGED.has(program)) plain(`\`${program}\` runs a command with elevated privileges`);
  if (POWER.has(program)) plain(`\`${program}\` stops or restarts the machine`);
  if (program.startsWith('mkfs')) plain(`\`${program}\` formats a file system`);
  if (program === 'dd' && args.some((a) => a.startsWith('of='))) plain('`dd of=` overwrites a file or device');
  if (['chmod', 'chown', 'chgrp'].includes(program) && args.some((a) => a === '--recursive' || /^-[A-Za-z]*R/.test(a))) {
    plain(`\`${program} -R\` changes a whole tree`);
  }
  if (program === 'git') for (const text of gitRisks(args)) plain(text);
  if (program === 'find' && args.includes('-delete')) {
    // The starting points are what `-delete` can reach: everything before the first expression.
    const firstExpression = command.words.findIndex((w, i) => i > 0 && /^[-(!]/.test(w.text));
    const starts = command.words.slice(1, firstExpression === -1 ? undefined : firstExpression);
    for (const start of starts.length > 0 ? starts : [{ text: '.', literal: true, glob: false }]) {
      const risk = targetRisk(start, cwd, context, 'deletes files under', true);
      if (risk) risks.push(risk);
    }
  }
  if (MUTATORS.has(program)) {
    const verb = REMOVERS.has(program) ? 'deletes or moves' : 'changes';
    if (command.extraArgs) plain(`\`${program}\` is applied to paths chosen at run time`);
    for (const target of mutatedOperands(program, command.words.slice(1))) {
      const risk = targetRisk(target, cwd, context, verb, REMOVERS.has(program));
      if (risk) risks.push(risk);
    }
  }
  return risks;
}

/** The operands `program` writes: all of them, the last (copy-like) or all but the first (mode/owner). */
function mutatedOperands(program: string, words: Word[]): Word[] {
  const end = words.findIndex((w) => w.text === '--');
  const operands = words.filter((w, i) => (end !== -1 && i > end) || (!w.text.startsWith('-') && i !== end) || !w.literal);
  if (['cp', 'ln', 'install'].includes(program)) {
    const targetDir = words.findIndex((w) => w.text === '-t' || w.text === '--target-directory');
    const direct = words.find((w) => w.text.startsWith('--target-directory='));
    if (direct) return [{ ...direct, text: direct.text.slice('--target-directory='.length) }];
    const dir = targetDir === -1 ? undefined : words[targetDir + 1];
    if (dir) return [dir];
    return operands.slice(-1);
  }
  if (['chmod', 'chown', 'chgrp'].includes(program)) return operands.slice(1);
  return operands;
}

function gitRisks(args: string[]): string[] {
  let i = 0;
  while (args[i]?.startsWith('-')) i += args[i] === '-C' || args[i] === '-c' ? 2 : 1;
  const sub = args[i];
  const rest = args.slice(i + 1);
  const risks: string[] = [];
  const forced = rest.some((a) => a === '--force' || a.startsWith('--force-with-lease') || /^-[a-zA-Z]*f/.test(a) || (a.startsWith('+') && a.length > 1));
  if (sub === 'push' && (forced || rest.includes('--mirror') || rest.includes('--delete') || rest.includes('-d'))) {
    risks.push('`git push` with force/delete rewrites the remote');
  }
  if (sub === 'reset' && rest.includes('--hard')) risks.push('`git reset --hard` discards uncommitted work');
  if (sub === 'clean' && rest.some((a) => a === '--force' || /^-[a-zA-Z]*f/.test(a))) risks.push('`git clean -f` deletes untracked files');
  if (sub === 'checkout' && rest.includes('--') && rest.includes('.')) risks.push('`git checkout -- .` discards uncommitted work');
  return risks;
}
