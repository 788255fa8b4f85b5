// The ledger: what the agent read, changed and failed at, built deterministically from the tool calls and
// their results (never from the model's prose, so a summary cannot lose or invent it). It survives every
// compaction next to the summary, so the model does not re-read files it already knows or retry a command
// that already failed for a known reason. Everything here comes from untrusted text (the model's calls,
// command output): it is only parsed and quoted, shortened, never executed or trusted as paths.
import type { PlanStep } from '../../shared/events';
import type { ConversationItem } from '../model/types';
import { parsePatch } from '../patch/parser';
import { emptyLedger, type Ledger, type LedgerFailure, type LedgerFile } from './types';

/** Programs whose file operands are files they read (the usual ways a model looks at a file). */
const READERS = new Set(['cat', 'head', 'tail', 'nl', 'less', 'more', 'sed', 'wc', 'bat']);
const MAX_COMMAND_CHARS = 160;
const MAX_TAIL_CHARS = 300;
const MAX_PATH_CHARS = 300;

type Call = { name: string; input: string };

/** Adds the effects of `items` (in order) to a copy of `previous`. */
export function updateLedger(previous: Ledger | undefined, items: readonly ConversationItem[]): Ledger {
  const ledger: Ledger = previous ? structuredClone(previous) : emptyLedger();
  const files = new Map(ledger.files.map((f) => [f.path, f]));
  const calls = new Map<string, Call>();
  for (const item of items) {
    if (item.type === 'function_call') calls.set(item.callId, { name: item.name, input: item.arguments });
    else if (item.type === 'custom_tool_call') calls.set(item.callId, { name: item.name, input: item.input });
    else if (item.type === 'tool_output') {
      const call = calls.get(item.callId);
      if (call) record(ledger, files, call, item.output);
    }
  }
  ledger.files = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return ledger;
}

function record(ledger: Ledger, files: Map<string, LedgerFile>, call: Call, output: string): void {
  const seq = ++ledger.seq;
  if (call.name === 'exec_command') {
    const cmd = jsonField(call.input, 'cmd');
    if (cmd === undefined) return;
    const exit = /^Process exited with code (-?\d+)$/m.exec(output);
    const command = shorten(cmd.trim(), MAX_COMMAND_CHARS);
    ledger.failures = ledger.failures.filter((f) => f.command !== command);
    if (exit && exit[1] !== '0') {
      ledger.failures.push({ command, exitCode: Number(exit[1]), tail: outputTail(output), touched: seq });
      return;
    }
    if (!exit) return; // still running or killed: says nothing about what it read
    for (const path of filesReadBy(cmd)) {
      const file = fileEntry(files, path, seq);
      file.reads++;
      file.lastRead = command;
      file.changedSinceRead = false;
    }
  } else if (call.name === 'apply_patch') {
    const patch = call.input.trimStart().startsWith('{') ? (jsonField(call.input, 'input') ?? '') : call.input;
    let operations;
    try {
      operations = parsePatch(patch);
    } catch {
      return; // the tool answered with the parse error; nothing changed
    }
    const result = shorten(output.split('\n', 1)[0]!.trim(), MAX_COMMAND_CHARS);
    for (const op of operations) {
      const file = fileEntry(files, op.path, seq);
      file.changes++;
      file.lastChange = op.kind === 'add' ? 'added' : op.kind === 'delete' ? 'deleted' : op.movePath ? 'moved' : 'updated';
      if (op.kind === 'update' && op.movePath) file.movedTo = shorten(op.movePath, MAX_PATH_CHARS);
      else delete file.movedTo;
      file.lastChangeResult = result;
      file.changedSinceRead = file.reads > 0;
    }
  } else if (call.name === 'update_plan') {
    const plan = parsePlan(call.input);
    if (plan) ledger.plan = plan;
  }
}

function fileEntry(files: Map<string, LedgerFile>, rawPath: string, seq: number): LedgerFile {
  const path = shorten(rawPath, MAX_PATH_CHARS);
  let file = files.get(path);
  if (!file) {
    file = { path, reads: 0, changes: 0, changedSinceRead: false, touched: seq };
    files.set(path, file);
  }
  file.touched = seq;
  return file;
}

/**
 * Files a simple read command names: `cat a b`, `sed -n '1,80p' f`, `head -n 40 f`, `nl -ba f`. Only the
 * first command of a pipeline or list, only plain words (no expansions, redirections or substitutions):
 * a guess that is wrong would make the model skip a file it needs, so anything unusual counts as nothing.
 */
export function filesReadBy(command: string): string[] {
  const first = command.split(/\s*(?:\|\||&&|[|;])\s*/, 1)[0]!.trim();
  if (/[`$<>(){}*?\\]/.test(first)) return [];
  const words = first.match(/'[^']*'|"[^"]*"|\S+/g)?.map((w) => w.replace(/^(['"])(.*)\1$/, '$2')) ?? [];
  const program = words.shift();
  if (!program || !READERS.has(program)) return [];
  const operands: string[] = [];
  let scriptSeen = program !== 'sed';
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('-') && word.length > 1) {
      // Options with a separate value: head/tail -n N, -c N; sed -e SCRIPT.
      if ((word === '-n' || word === '-c') && (program === 'head' || program === 'tail')) i++;
      if (word === '-e' && program === 'sed') {
        i++;
        scriptSeen = true;
      }
      continue;
    }
    if (!scriptSeen) {
      scriptSeen = true;
      continue;
    }
    if (word !== '') operands.push(word);
  }
  return operands;
}

function parsePlan(input: string): Ledger['plan'] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(input);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { plan?: unknown }).plan)) return undefined;
  const raw = value as { plan: unknown[]; explanation?: unknown };
  const steps: PlanStep[] = [];
  for (const entry of raw.plan) {
    const e = entry as { step?: unknown; status?: unknown } | null;
    if (typeof e?.step !== 'string' || !['pending', 'in_progress', 'completed'].includes(String(e.status))) return undefined;
    steps.push({ step: shorten(e.step, MAX_COMMAND_CHARS), status: e.status as PlanStep['status'] });
  }
  return { ...(typeof raw.explanation === 'string' && raw.explanation ? { explanation: shorten(raw.explanation, MAX_COMMAND_CHARS) } : {}), steps };
}

function jsonField(input: string, field: string): string | undefined {
  try {
    const value = (JSON.parse(input) as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The last non-empty lines of a command's output (after the framing header), where errors usually are. */
function outputTail(output: string): string {
  const body = output.includes('\nOutput:\n') ? output.slice(output.indexOf('\nOutput:\n') + 9) : output;
  const lines = body.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  return shorten(lines.slice(-3).join('\n'), MAX_TAIL_CHARS, true);
}

function shorten(text: string, max: number, keepEnd = false): string {
  if (text.length <= max) return text;
  return keepEnd ? `…${text.slice(text.length - max + 1)}` : `${text.slice(0, max - 1)}…`;
}

/**
 * The ledger as the model reads it, within `budgetChars`: the plan first, then failed commands and files,
 * newest first when the budget runs out (what was dropped is counted, never silently lost).
 */
export function renderLedger(ledger: Ledger, budgetChars: number): string {
  const sections: string[] = [];
  if (ledger.plan) {
    const marks = { completed: 'x', in_progress: '>', pending: ' ' } as const;
    sections.push(['Plan:', ...(ledger.plan.explanation ? [`  (${ledger.plan.explanation})`] : []), ...ledger.plan.steps.map((s) => `  [${marks[s.status]}] ${s.step}`)].join('\n'));
  }
  const FAILURES = 'Commands that failed (last run; do not retry unchanged):';
  const FILES = "Files (what you already know; re-read only what changed since):";
  const OMITTED_LINE = 40; // room for the "(n older entries not shown)" line
  const room = () => budgetChars - sections.join('\n\n').length - 2;
  const failures = fitNewest(ledger.failures, (f) => `  $ ${f.command}  → exit ${f.exitCode}${f.tail ? `: ${f.tail.replace(/\n/g, ' ⏎ ')}` : ''}`, Math.floor(room() / 2) - FAILURES.length - OMITTED_LINE);
  if (failures.lines.length) sections.push([FAILURES, ...failures.lines, ...omitted(failures.dropped)].join('\n'));
  const files = fitNewest(ledger.files, describeFile, room() - FILES.length - OMITTED_LINE);
  if (files.lines.length) sections.push([FILES, ...files.lines, ...omitted(files.dropped)].join('\n'));
  return sections.length ? sections.join('\n\n') : '(no files read or changed, no failed commands yet)';
}

function describeFile(file: LedgerFile): string {
  const parts: string[] = [];
  if (file.reads) parts.push(`read ${file.reads}× (last: ${file.lastRead})`);
  if (file.changes) {
    const what = file.lastChange === 'moved' ? `moved to ${file.movedTo}` : file.lastChange;
    parts.push(`changed ${file.changes}× by patch, last ${what}: ${file.lastChangeResult}`);
  }
  if (file.changedSinceRead) parts.push('changed after your last read');
  return `  ${file.path}: ${parts.join('; ')}`;
}

function omitted(n: number): string[] {
  return n ? [`  (${n} older entr${n === 1 ? 'y' : 'ies'} not shown)`] : [];
}

/** Renders entries newest first until the budget is spent, then restores a stable order. */
function fitNewest<T extends { touched: number }>(entries: readonly T[], line: (e: T) => string, budget: number): { lines: string[]; dropped: number } {
  const byRecency = [...entries].sort((a, b) => b.touched - a.touched);
  const kept: { at: number; text: string }[] = [];
  let used = 0;
  for (const entry of byRecency) {
    const text = line(entry);
    if (used + text.length + 1 > budget) break;
    used += text.length + 1;
    kept.push({ at: entries.indexOf(entry), text });
  }
  kept.sort((a, b) => a.at - b.at);
  return { lines: kept.map((k) => k.text), dropped: entries.length - kept.length };
}

export type { LedgerFailure };
