// exec_command: runs one shell command line in a pseudo-terminal, Codex "unified exec" style. The call
// waits until the command exits or its yield time passes; a command still running then (a dev server, a
// prompt waiting for input) keeps running as a background session that write_stdin polls and feeds.
// Output streams live to the chat card and is budgeted (head + tail) for the model. A command that
// fails because of the OS sandbox can run again outside it, but only through an approval card that says
// what the sandbox refused (Codex calls this escalation). The approval decides the confinement the runner
// enforces (see policy.ts); the model has no say in it.
import { escalationReason } from '../approvals/policy';
import type { CommandConfinement, RunningProcess, SandboxedProcessInfo } from '../ports';
import { DEFAULT_MAX_OUTPUT_TOKENS, formatProcessOutput, MAX_OUTPUT_TOKENS_LIMIT } from './outputFormat';
import { WatchedProcess } from './processSessions';
import { ToolInputError, type Tool, type ToolContext, type ToolResult } from './types';

export const DEFAULT_EXEC_YIELD_MS = 10_000;
export const MIN_YIELD_MS = 250;
export const MAX_YIELD_MS = 30_000;
/** After a kill, how long to wait for the tree to be gone; above the runners' SIGKILL grace period. */
const KILL_WAIT_MS = 3_000;

export interface ExecCommandArgs {
  cmd: string;
  /** As given by the model; resolved against ctx.cwd by `resolveWorkdir`. */
  workdir?: string;
  yieldTimeMs: number;
  maxOutputTokens: number;
  login: boolean;
}

// ---- argument helpers shared with write_stdin -------------------------------------------------------

/** Parses the JSON arguments of a function tool into an object, or explains what is wrong. */
export function parseJsonObject(input: string, tool: string, example: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(input.trim() === '' ? '{}' : input);
  } catch {
    throw new ToolInputError(`${tool} arguments must be a JSON object, e.g. ${example}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ToolInputError(`${tool} arguments must be a JSON object, e.g. ${example}.`);
  }
  return value as Record<string, unknown>;
}

/** An optional number (numeric strings accepted, models send them), or `undefined` when absent. */
export function optionalNumber(obj: Record<string, unknown>, key: string): number | undefined {
  const raw = obj[key];
  if (raw === undefined || raw === null) return undefined;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ToolInputError(`"${key}" must be a number.`);
  return value;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}

export function maxOutputTokensArg(obj: Record<string, unknown>): number {
  const value = optionalNumber(obj, 'max_output_tokens');
  return value === undefined ? DEFAULT_MAX_OUTPUT_TOKENS : clamp(value, 1, MAX_OUTPUT_TOKENS_LIMIT);
}

/** Resolves `workdir` against `base` with POSIX semantics (`.`/`..` folded); the core has no `path`. */
export function resolveWorkdir(base: string, workdir: string | undefined): string {
  if (workdir === undefined || workdir.trim() === '') return base;
  const joined = workdir.startsWith('/') ? workdir : `${base}/${workdir}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function parseExecArgs(input: string): ExecCommandArgs {
  const obj = parseJsonObject(input, 'exec_command', '{"cmd":"ls -la"}');
  const cmd = obj.cmd;
  if (typeof cmd !== 'string' || cmd.trim() === '') {
    throw new ToolInputError('exec_command needs "cmd": the shell command line as a string, e.g. {"cmd":"npm test"}.');
  }
  if (obj.workdir !== undefined && obj.workdir !== null && typeof obj.workdir !== 'string') {
    throw new ToolInputError('"workdir" must be a directory path string.');
  }
  if (obj.login !== undefined && obj.login !== null && typeof obj.login !== 'boolean') {
    throw new ToolInputError('"login" must be true or false.');
  }
  const yieldTime = optionalNumber(obj, 'yield_time_ms');
  return {
    cmd,
    ...(typeof obj.workdir === 'string' && obj.workdir !== '' ? { workdir: obj.workdir } : {}),
    yieldTimeMs: clamp(yieldTime ?? DEFAULT_EXEC_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS),
    maxOutputTokens: maxOutputTokensArg(obj),
    login: obj.login === true,
  };
}

// ---- waiting on a process (shared with write_stdin) -------------------------------------------------

/**
 * Waits on `watched` for up to `yieldTimeMs` with its output streamed to the current call's card, then
 * turns what happened into the tool result: exited (ok / error by exit code), still running (registered
 * or kept as a session, status 'running') or aborted (tree killed, status 'cancelled').
 */
export async function waitAndReport(
  watched: WatchedProcess,
  ctx: ToolContext,
  options: { yieldTimeMs: number; maxOutputTokens: number; startedAt: number; existingSessionId?: number },
): Promise<ToolResult> {
  watched.setLiveListener((chunk) => ctx.emit({ type: 'tool.output', turnId: ctx.turnId, callId: ctx.callId, chunk }));
  let outcome = await watched.wait(options.yieldTimeMs, ctx.signal);
  watched.setLiveListener(undefined);
  if (outcome === 'aborted') {
    watched.kill();
    // Wait (bounded) for the tree to go, so "stopped" means stopped when the turn ends.
    outcome = await watched.wait(KILL_WAIT_MS, new AbortController().signal);
  }
  const wallTimeMs = Date.now() - options.startedAt;
  const { output, omittedChars } = watched.take();
  const format = (state: Parameters<typeof formatProcessOutput>[0]['state']) =>
    formatProcessOutput({ wallTimeMs, state, output, omittedChars, maxTokens: options.maxOutputTokens });

  if (ctx.signal.aborted) {
    forget(watched, ctx, options.existingSessionId);
    return { status: 'cancelled', output: format({ cancelled: true }), ...(watched.exitCode !== undefined ? { exitCode: watched.exitCode } : {}) };
  }
  const exitCode = watched.exitCode;
  if (exitCode !== undefined) {
    forget(watched, ctx, options.existingSessionId);
    return { status: exitCode === 0 ? 'ok' : 'error', exitCode, output: format({ exitCode }) };
  }
  const sessionId = options.existingSessionId ?? ctx.sessions.add(watched, ctx.callId);
  return { status: 'running', sessionId, output: format({ sessionId }) };
}

// ---- what each background process was granted (write_stdin re-checks input against the current policy) ----

export interface ProcessGrant {
  command: string;
  cwd: string;
  confinement: CommandConfinement;
}

const grants = new WeakMap<RunningProcess, ProcessGrant>();

/** The command, directory and confinement a process started by exec_command runs with. */
export function processGrant(process: RunningProcess): ProcessGrant | undefined {
  return grants.get(process);
}

function forget(watched: WatchedProcess, ctx: ToolContext, sessionId: number | undefined): void {
  if (sessionId !== undefined) ctx.sessions.remove(sessionId);
  else watched.dispose();
}

// ---- the tool ------------------------------------------------------------------------------------------

export const execCommandTool: Tool<ExecCommandArgs> = {
  name: 'exec_command',
  spec: {
    kind: 'function',
    name: 'exec_command',
    description:
      'Runs a shell command in a pseudo-terminal and returns its output. Returns when the command exits, or after yield_time_ms with a session_id if it is still running (poll or send input with write_stdin). Commands may run in a sandbox; if it blocks one, the user is asked to re-run it outside.',
    parameters: {
      type: 'object',
      properties: {
        cmd: { type: 'string', description: 'Shell command line.' },
        workdir: { type: 'string', description: 'Working directory (default: workspace root).' },
        yield_time_ms: { type: 'number', description: 'How long to wait before returning (default 10000, max 30000).' },
        max_output_tokens: { type: 'number', description: 'Output token budget (default 10000); the middle is cut.' },
        login: { type: 'boolean', description: 'Run as a login shell (default false).' },
      },
      required: ['cmd'],
      additionalProperties: false,
    },
  },

  parse: parseExecArgs,

  describe(args, ctx) {
    return { title: args.cmd, cwd: resolveWorkdir(ctx.cwd, args.workdir) };
  },

  async run(args, ctx) {
    const cwd = resolveWorkdir(ctx.cwd, args.workdir);
    if (!(await isDirectory(ctx, cwd))) {
      return { status: 'error', output: `workdir ${cwd} is not an existing directory. Pass an existing directory, absolute or relative to ${ctx.cwd}.` };
    }
    const auth = await ctx.authorize({ kind: 'command', command: args.cmd, cwd, reason: 'The agent wants to run a shell command.' });
    if (!auth.allowed) {
      return { status: 'denied', output: `The command was not run. ${auth.reason}\nDo not retry it unchanged; adjust your approach or ask the user.` };
    }
    // Wall time is the command's own: waiting for the user's approval is not part of it.
    const first = await runOnce(args, ctx, cwd, auth.confinement ?? 'workspace-write');
    if (first.denial === undefined || ctx.signal.aborted) return first.result;
    const escalation = await ctx.authorize({ kind: 'command', command: args.cmd, cwd, reason: escalationReason(first.denial) });
    if (!escalation.allowed || (escalation.confinement ?? 'unconfined') !== 'unconfined') {
      const why = escalation.allowed ? '' : ` ${escalation.reason}`;
      return { ...first.result, output: `${first.result.output}\nFailed inside the sandbox: ${first.denial}. Running it outside the sandbox was not approved.${why}` };
    }
    ctx.emit({ type: 'tool.output', turnId: ctx.turnId, callId: ctx.callId, chunk: '\r\n[Tandem: running it again outside the sandbox, as approved]\r\n' });
    const second = await runOnce(args, ctx, cwd, 'unconfined');
    return { ...second.result, output: `Ran again outside the sandbox after the user approved it (inside it failed: ${first.denial}).\n${second.result.output}` };
  },
};

/** Starts the command and waits on it; `denial` says why it failed when the sandbox was the cause. */
async function runOnce(args: ExecCommandArgs, ctx: ToolContext, cwd: string, confinement: CommandConfinement): Promise<{ result: ToolResult; denial?: string }> {
  let process: RunningProcess;
  const startedAt = Date.now();
  try {
    process = ctx.runner.spawn({ command: args.cmd, cwd, login: args.login, workspaceRoots: ctx.workspaceRoots, confinement });
  } catch (error) {
    return { result: { status: 'error', output: `The command could not be started: ${error instanceof Error ? error.message : String(error)}` } };
  }
  grants.set(process, { command: args.cmd, cwd, confinement });
  const watched = new WatchedProcess(process, args.cmd);
  const result = await waitAndReport(watched, ctx, { yieldTimeMs: args.yieldTimeMs, maxOutputTokens: args.maxOutputTokens, startedAt });
  const denial = result.status === 'error' && process.sandbox ? sandboxDenial(result.output, process.sandbox) : undefined;
  return denial === undefined ? { result } : { result, denial };
}

// ---- recognising the sandbox's refusals ---------------------------------------------------------------
// Heuristics on the output of a command that exited nonzero inside the sandbox. A false positive costs
// one approval card the user can deny; a miss leaves the model to explain the error. The evidence line is
// quoted on the card so the user sees what was refused. The output is the framed tool output, already
// cleaned of terminal escapes.

const READ_ONLY = /read-only file system|\bEROFS\b/i;
const ACCESS_DENIED = /permission denied|operation not permitted|\bEACCES\b|\bEPERM\b/i;
const MISSING = /no such file or directory|\bENOENT\b|not a directory/i;
const NETWORK = /network is unreachable|\bENETUNREACH\b|could not resolve|temporary failure in name resolution|name or service not known|nodename nor servname|getaddrinfo|\bEAI_AGAIN\b|\bENOTFOUND\b|connection refused|\bECONNREFUSED\b/i;
const PROCESS_LIMIT = /cannot fork|fork: (retry|resource temporarily unavailable)|spawn\b.*\bEAGAIN\b/i;
const SANDBOX_START = /^(bwrap|sandbox-exec): /;
/** Absolute paths in a message, delimited by spaces, quotes (GNU tools use ‘…’) and `:`. */
const PATHS = /(?:^|[\s'"`‘’“(=:])(\/[^\s'"`‘’”:,;)]*)/g;

function isUnder(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** Why the sandbox made this output's command fail, or `undefined` when nothing points at it. */
export function sandboxDenial(output: string, sandbox: SandboxedProcessInfo): string | undefined {
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const evidence = `("${line.length > 160 ? `${line.slice(0, 159)}…` : line}")`;
    const paths = [...line.matchAll(PATHS)].map((m) => m[1]!);
    if (SANDBOX_START.test(line)) return `the sandbox could not start ${evidence}`;
    if (READ_ONLY.test(line)) return `the sandbox keeps that location read-only ${evidence}`;
    const hidden = paths.find((p) => sandbox.hiddenPaths.some((h) => isUnder(h, p)));
    if (hidden && (MISSING.test(line) || ACCESS_DENIED.test(line))) return `the sandbox hides ${hidden} ${evidence}`;
    const outside = paths.some((p) => !sandbox.writableRoots.some((r) => isUnder(r, p)) || sandbox.protectedPaths.some((r) => isUnder(r, p)));
    if (outside && ACCESS_DENIED.test(line)) return `the sandbox refused access outside the writable folders ${evidence}`;
    if (!sandbox.network && NETWORK.test(line)) return `the sandbox has no network access ${evidence}`;
    if (PROCESS_LIMIT.test(line)) return `the sandbox's process limit was reached ${evidence}`;
  }
  return undefined;
}

async function isDirectory(ctx: ToolContext, path: string): Promise<boolean> {
  try {
    return await ctx.files.isDirectory(path);
  } catch {
    return false;
  }
}
