// exec_command: runs one shell command line in a pseudo-terminal, Codex "unified exec" style. The call
// waits until the command exits or its yield time passes; a command still running then (a dev server, a
// prompt waiting for input) keeps running as a background session that write_stdin polls and feeds.
// Output streams live to the chat card and is budgeted (head + tail) for the model.
import type { RunningProcess } from '../ports';
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
      'Runs a shell command in a pseudo-terminal and returns its output. Returns when the command exits, or after yield_time_ms with a session_id if it is still running (poll or send input with write_stdin).',
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
    const startedAt = Date.now();
    const cwd = resolveWorkdir(ctx.cwd, args.workdir);
    if (!(await isDirectory(ctx, cwd))) {
      return { status: 'error', output: `workdir ${cwd} is not an existing directory. Pass an existing directory, absolute or relative to ${ctx.cwd}.` };
    }
    const auth = await ctx.authorize({ kind: 'command', command: args.cmd, cwd, reason: 'The agent wants to run a shell command.' });
    if (!auth.allowed) {
      return { status: 'denied', output: `The command was not run. ${auth.reason}\nDo not retry it unchanged; adjust your approach or ask the user.` };
    }
    let process: RunningProcess;
    try {
      process = ctx.runner.spawn({ command: args.cmd, cwd, login: args.login });
    } catch (error) {
      return { status: 'error', output: `The command could not be started: ${error instanceof Error ? error.message : String(error)}` };
    }
    const watched = new WatchedProcess(process, args.cmd);
    return waitAndReport(watched, ctx, { yieldTimeMs: args.yieldTimeMs, maxOutputTokens: args.maxOutputTokens, startedAt });
  },
};

async function isDirectory(ctx: ToolContext, path: string): Promise<boolean> {
  try {
    return await ctx.files.isDirectory(path);
  } catch {
    return false;
  }
}
