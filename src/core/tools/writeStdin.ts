// write_stdin: the other half of exec_command. Writes characters to a background session (answers to a
// prompt, "q", Ctrl-C as \u0003) or, with no characters, just polls; then waits for output or exit like
// exec_command and returns what the process printed since the model last looked.
//
// Input is a new action by the process, so it is re-checked against the approval policy as it is NOW
// (the user may have switched modes since the command started): the command is decided again, and the
// input goes through unasked only when the current policy would let it run with at least the access it
// has; otherwise the user is asked, and read-only mode refuses. Polling (no characters) is always allowed.
import { clamp, MAX_YIELD_MS, MIN_YIELD_MS, maxOutputTokensArg, optionalNumber, parseJsonObject, processGrant, waitAndReport } from './execCommand';
import { ToolInputError, type Tool } from './types';

/** After writing input, a short wait is usually enough to catch the echo and the response. */
export const DEFAULT_WRITE_YIELD_MS = 250;
/**
 * An empty poll waits at least this long: polling in a tight loop burns a model request per poll while
 * the process makes no progress. A process that exits sooner still returns at once.
 */
export const MIN_POLL_YIELD_MS = 5_000;

export interface WriteStdinArgs {
  sessionId: number;
  chars: string;
  yieldTimeMs: number;
  maxOutputTokens: number;
}

function parseWriteStdinArgs(input: string): WriteStdinArgs {
  const obj = parseJsonObject(input, 'write_stdin', '{"session_id":1,"chars":"y\\n"}');
  const sessionId = optionalNumber(obj, 'session_id');
  if (sessionId === undefined || !Number.isInteger(sessionId)) {
    throw new ToolInputError('write_stdin needs "session_id": the integer returned by exec_command, e.g. {"session_id":1,"chars":""}.');
  }
  if (obj.chars !== undefined && obj.chars !== null && typeof obj.chars !== 'string') {
    throw new ToolInputError('"chars" must be a string (use "" to only poll).');
  }
  const chars = typeof obj.chars === 'string' ? obj.chars : '';
  const yieldTime = optionalNumber(obj, 'yield_time_ms');
  const yieldTimeMs =
    chars === ''
      ? clamp(yieldTime ?? MIN_POLL_YIELD_MS, MIN_POLL_YIELD_MS, MAX_YIELD_MS)
      : clamp(yieldTime ?? DEFAULT_WRITE_YIELD_MS, MIN_YIELD_MS, MAX_YIELD_MS);
  return { sessionId, chars, yieldTimeMs, maxOutputTokens: maxOutputTokensArg(obj) };
}

/** A short, single-line rendering of the input for the chat card title. */
function describeChars(chars: string): string {
  const shown = JSON.stringify(chars);
  return shown.length > 40 ? `${shown.slice(0, 39)}…"` : shown;
}

export const writeStdinTool: Tool<WriteStdinArgs> = {
  name: 'write_stdin',
  spec: {
    kind: 'function',
    name: 'write_stdin',
    description:
      'Writes characters to a running exec_command session and returns its new output. Empty chars just polls. Send "\\u0003" to interrupt.',
    parameters: {
      type: 'object',
      properties: {
        session_id: { type: 'number', description: 'Session id from exec_command.' },
        chars: { type: 'string', description: 'Characters to write (end lines with \\n); empty to poll.' },
        yield_time_ms: { type: 'number', description: 'How long to wait for output (default 250; polls at least 5000).' },
        max_output_tokens: { type: 'number', description: 'Output token budget (default 10000).' },
      },
      required: ['session_id'],
      additionalProperties: false,
    },
  },

  parse: parseWriteStdinArgs,

  describe(args) {
    return { title: args.chars === '' ? `Poll session ${args.sessionId}` : `Send ${describeChars(args.chars)} to session ${args.sessionId}` };
  },

  async run(args, ctx) {
    const startedAt = Date.now();
    const session = ctx.sessions.get(args.sessionId);
    if (!session) {
      const running = ctx.sessions.list().map((s) => s.id);
      const known = running.length ? ` Running sessions: ${running.join(', ')}.` : ' No sessions are running.';
      return { status: 'error', output: `No running session ${args.sessionId}; it may have exited (its exit was reported then) or been stopped.${known}` };
    }
    if (args.chars !== '' && session.watched.exitCode === undefined) {
      // Unknown provenance (not started by exec_command): treat it as unconfined, the most it could be.
      const grant = processGrant(session.watched.process) ?? { command: session.watched.command, cwd: ctx.cwd, confinement: 'unconfined' as const };
      const auth = await ctx.authorize(
        { kind: 'command', command: grant.command, cwd: grant.cwd, reason: `The agent wants to send ${describeChars(args.chars)} to this running command.` },
        { running: grant.confinement },
      );
      if (!auth.allowed) {
        return { status: 'denied', output: `The input was not sent; session ${args.sessionId} keeps running. ${auth.reason}` };
      }
      session.watched.process.write(args.chars);
    }
    return waitAndReport(session.watched, ctx, {
      yieldTimeMs: args.yieldTimeMs,
      maxOutputTokens: args.maxOutputTokens,
      startedAt,
      existingSessionId: args.sessionId,
    });
  },
};
