// The messages a focused run starts with: "Fix This" (a small patch, verified if cheap), "Explain This"
// (an answer, no edits) and the context "Add to Chat" attaches to the next message. They are ordinary
// user messages, shown in the chat as sent, so the user sees exactly what the model was told.
import { formatDiagnostic } from './diagnostics';
import { codeBlock, lineRangeText } from './text';
import type { FixContext, LineSpan } from './types';

/** "the function `area`", "the selected code", "the block" … */
export function describeTarget(ctx: FixContext): string {
  const { target } = ctx;
  if (target.kind === 'selection') return 'the selected code';
  if (target.kind === 'symbol' && target.name) return `${target.symbolKind && target.symbolKind !== 'variable' && target.symbolKind !== 'constant' ? `${target.symbolKind} ` : ''}\`${target.name}\``;
  if (target.kind === 'block') return 'the enclosing block';
  if (target.kind === 'statement') return 'the statement';
  return 'the line';
}

/** `src/shapes.ts:5-9` (1-based, as a chip label and in messages). */
export function locationLabel(ctx: Pick<FixContext, 'path' | 'target'>): string {
  const { startLine, endLine } = ctx.target;
  return `${ctx.path}:${startLine + 1}${endLine > startLine ? `-${endLine + 1}` : ''}`;
}

function heading(ctx: FixContext): string {
  return `\`${ctx.path}\` (${ctx.languageId}), ${lineRangeText(ctx.target.startLine, ctx.target.endLine)}${ctx.target.kind === 'selection' ? '' : `: ${describeTarget(ctx)}`}`;
}

function problemsSection(ctx: FixContext, title: string): string[] {
  if (ctx.diagnostics.length === 0) return [];
  const list = ctx.diagnostics.map((d) => `- ${formatDiagnostic(d)}`);
  if (ctx.omittedDiagnostics > 0) list.push(`- … and ${ctx.omittedDiagnostics} more in these lines`);
  return [title, ...list, ''];
}

function targetSection(ctx: FixContext): string[] {
  const { target } = ctx;
  const out = [codeBlock(target.text, ctx.languageId)];
  if (target.truncated) out.push(`(Cut here: the code goes on to line ${target.endLine + 1}. Read the rest from the file.)`);
  if (target.selectedText !== undefined) out.push('', 'Exactly this part is selected:', codeBlock(target.selectedText, ctx.languageId));
  return [...out, ''];
}

/** The spans of lines `from`..`to`, with a marker for every run of lines left out. */
function spansText(spans: readonly LineSpan[], from: number, to: number): string {
  const parts: string[] = [];
  let next = from;
  for (const span of spans) {
    if (span.startLine > next) parts.push(`… (${lineRangeText(next, span.startLine - 1)} not shown) …`);
    parts.push(...span.lines);
    next = span.startLine + span.lines.length;
  }
  if (next <= to) parts.push(`… (${lineRangeText(next, to)} not shown) …`);
  return parts.join('\n');
}

function surroundingSection(ctx: FixContext): string[] {
  const { target } = ctx;
  if (ctx.before.length === 0 && ctx.after.length === 0) return [];
  const marker = `… (${lineRangeText(target.startLine, target.endLine)}: the code above) …`;
  const before = ctx.before.length ? spansText(ctx.before, 0, target.startLine - 1) : target.startLine > 0 ? `… (${lineRangeText(0, target.startLine - 1)} not shown) …` : '';
  const after = ctx.after.length
    ? spansText(ctx.after, target.endLine + 1, ctx.totalLines - 1)
    : target.endLine < ctx.totalLines - 1
      ? `… (${lineRangeText(target.endLine + 1, ctx.totalLines - 1)} not shown) …`
      : '';
  const body = [before, marker, after].filter((s) => s !== '').join('\n');
  const title = ctx.wholeFile ? 'The rest of the file, for context:' : `Around it, for context (the file has ${ctx.totalLines} lines; read more if you need it):`;
  return [title, codeBlock(body, ctx.languageId), ''];
}

function elsewhereNote(ctx: FixContext): string[] {
  if (ctx.elsewhere === 0) return [];
  return [`(The file has ${ctx.elsewhere} other error${ctx.elsewhere === 1 ? '' : 's'}/warning${ctx.elsewhere === 1 ? '' : 's'} outside these lines; leave them unless this fix causes or needs them.)`, ''];
}

export function fixPrompt(ctx: FixContext): string {
  const problems = ctx.diagnostics.length > 0;
  return [
    `Fix this code in ${heading(ctx)}.`,
    '',
    ...problemsSection(ctx, 'Problems reported there:'),
    ...targetSection(ctx),
    ...surroundingSection(ctx),
    ...elsewhereNote(ctx),
    'How to do it:',
    `- Make the smallest change that ${problems ? 'fixes the problems above' : 'fixes what is wrong with this code'}, with apply_patch on \`${ctx.path}\` (other files only if the fix needs them). Keep unrelated code, formatting and comments as they are.`,
    '- I may have edited the file since this snapshot: if the patch does not apply, read the current file and patch that.',
    '- You may run one quick check to confirm the fix (e.g. the type checker on this file or the failing test); nothing slow or unrelated.',
    `- If nothing needs to change, or the fix needs a decision from me, say so in a sentence or two instead of editing.`,
    '- Finish with one short sentence saying what you changed.',
  ].join('\n');
}

export function explainPrompt(ctx: FixContext): string {
  const problems = ctx.diagnostics.length > 0;
  return [
    `Explain this code in ${heading(ctx)}.`,
    '',
    ...problemsSection(ctx, 'Problems reported there:'),
    ...targetSection(ctx),
    ...surroundingSection(ctx),
    `Explain what it does and how${problems ? ', and why the problems above are reported and what would fix them' : ', and point out anything that looks wrong'}. Be concise. Only answer: do not edit files or run commands that change anything.`,
  ].join('\n');
}

/** What "Add to Chat" attaches: the code with its file, line range and the problems reported in it. */
export function contextAttachment(ctx: FixContext): { label: string; text: string } {
  const lines = [
    `From \`${ctx.path}\` (${ctx.languageId}), ${lineRangeText(ctx.target.startLine, ctx.target.endLine)}:`,
    ...targetSection(ctx),
    ...problemsSection(ctx, 'Problems reported there:'),
  ];
  return { label: locationLabel(ctx), text: lines.join('\n').trimEnd() };
}

/** The message the model gets for what the user typed plus the context chips sent with it. */
export function composeWithAttachments(text: string, attachments: readonly { text: string }[]): string {
  if (attachments.length === 0) return text;
  return [text.trimEnd(), ...attachments.map((a) => a.text)].join('\n\n');
}

/**
 * What the chat shows as the user's message for a focused turn (the model gets the whole prompt): the
 * command, where, and the first problem, on one line.
 */
export function focusedTurnTitle(command: 'Fix This' | 'Explain This', ctx: FixContext): string {
  const first = ctx.diagnostics[0];
  const problem = first ? ` — ${first.message.split('\n')[0]}${first.source ? ` (${first.source}${first.code ? ` ${first.code}` : ''})` : ''}` : '';
  const more = ctx.diagnostics.length > 1 ? ` and ${ctx.diagnostics.length - 1} more` : '';
  return `${command}: ${heading(ctx)}${problem}${more}`;
}
