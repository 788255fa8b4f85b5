// The shared webview workload (make-transcript.mjs) in Tandem's own shapes: the host's `snapshot` of
// ChatEntry[] for the history (its newest page, cut as the host cuts it), the older pages the view may ask
// for (`loadOlder`), then the events of one more turn as the host forwards them. Typed against
// src/shared (checked by `npm run typecheck` through test/tsconfig.json), so a protocol change shows up here.
// Erasable TypeScript only: Node runs this file directly.
import { emptyChatState, type ChatEntry } from '../src/shared/chatState.ts';
import { newestPage, pageBefore } from '../src/shared/chatHistoryPages.ts';
import type { AgentEvent } from '../src/shared/events.ts';
import type { HostToWebview, ViewConfig } from '../src/shared/protocol.ts';

export interface Transcript {
  messages: { role: 'user' | 'assistant'; text: string; tool?: { command: string; output: string; exitCode: number } }[];
  stream: { deltas: string[] };
}

export interface HostScript {
  /** Delta period of the stream, ms. */
  intervalMs: number;
  /** Heading of the last history message: the open is done when it is on screen. */
  lastHeading: string;
  /** The text of the user message that starts the streamed turn. */
  prompt: string;
  entries: number;
  snapshot: HostToWebview;
  /** The answer to `loadOlder` for each id the view can ask with (the first entry of each page). */
  older: Record<string, HostToWebview>;
  /** turn.started of the streamed turn. */
  start: HostToWebview[];
  deltas: HostToWebview[];
  /** What the host sends when the turn completes. */
  end: HostToWebview[];
}

const SESSION = 'bench-session';
const CONFIG: ViewConfig = {
  model: 'gpt-5.5',
  wireApi: 'responses',
  baseUrl: 'https://api.openai.com/v1',
  provider: 'openai',
  keyRequired: true,
  approvalPolicy: 'ask',
  hasApiKey: true,
  trusted: true,
  sandbox: { state: 'enforced', detail: 'Commands run in bubblewrap.' },
  contextWindow: 400_000,
};
const PROMPT = 'Please summarise the whole session.';
const STREAM_ID = 'msg-stream';
const STREAM_TURN = 'turn-stream';

export function hostScript(transcript: Transcript, intervalMs = 8): HostScript {
  const entries: ChatEntry[] = [];
  const at0 = Date.UTC(2026, 10, 1, 9, 0, 0);
  let turn = 0;
  let turnId = 'turn-0';
  transcript.messages.forEach((m, i) => {
    if (m.role === 'user') {
      turnId = `turn-${++turn}`;
      entries.push({ kind: 'user', id: `user-${turnId}`, turnId, text: m.text, at: at0 + i * 60_000 });
      return;
    }
    // The command ran before the answer that reports on it.
    if (m.tool) {
      entries.push({
        kind: 'tool',
        id: `call-${i}`,
        turnId,
        tool: 'exec_command',
        title: m.tool.command,
        cwd: '/home/user/project',
        output: m.tool.output,
        status: m.tool.exitCode === 0 ? 'ok' : 'error',
        exitCode: m.tool.exitCode,
        durationMs: 1840,
      });
    }
    entries.push({ kind: 'assistant', id: `msg-${i}`, turnId, text: m.text, streaming: false });
  });
  const event = (e: AgentEvent): HostToWebview => ({ type: 'event', sessionId: SESSION, event: e });
  const deltas = transcript.stream.deltas;
  const last = [...transcript.messages].reverse().find((m) => m.role === 'assistant');
  const lastHeading = last ? /^## (.*)$/m.exec(last.text)?.[1] : undefined;
  if (!lastHeading) throw new Error('The transcript\'s last answer has no "## " heading to wait for.');
  const at = at0 + transcript.messages.length * 60_000;
  const state = emptyChatState();
  state.entries = entries;
  entries.forEach((e, i) => state.index.set(e.id, i));
  const first = newestPage(state);
  const older: Record<string, HostToWebview> = {};
  for (let page = first; page.olderCount > 0; ) {
    const beforeId = page.entries[0]!.id;
    const next = pageBefore(state, beforeId)!;
    older[beforeId] = { type: 'olderEntries', sessionId: SESSION, beforeId, ...next };
    page = next;
  }
  return {
    intervalMs,
    lastHeading,
    prompt: PROMPT,
    entries: entries.length,
    older,
    snapshot: {
      type: 'snapshot',
      sessionId: SESSION,
      entries: first.entries,
      olderCount: first.olderCount,
      activeTurnId: undefined,
      usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, lastInputTokens: 0, lastCachedInputTokens: 0 },
      config: CONFIG,
    },
    start: [event({ type: 'turn.started', turnId: STREAM_TURN, text: PROMPT, at })],
    deltas: deltas.map((delta) => event({ type: 'message.delta', turnId: STREAM_TURN, itemId: STREAM_ID, delta })),
    end: [
      event({ type: 'message.completed', turnId: STREAM_TURN, itemId: STREAM_ID, text: deltas.join('') }),
      event({ type: 'usage', turnId: STREAM_TURN, usage: { inputTokens: 312_000, cachedInputTokens: 308_000, outputTokens: 14_500 } }),
      event({ type: 'turn.completed', turnId: STREAM_TURN, stopped: false, at: at + 120_000 }),
    ],
  };
}
