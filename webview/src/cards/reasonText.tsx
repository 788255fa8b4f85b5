// Why a command or a change waits for approval, as the policy wrote it, made readable: `code` spans
// become <code> (never raw backticks; never markup either: only text nodes are made), and a reason that
// says the same thing twice ("Not a known read-only command: `npm` is not a known read-only command")
// keeps only its specific half.
import type { ReactNode } from 'react';

/** "Label: detail" where the detail already says the label: just the detail, capitalised. */
export function withoutRepetition(reason: string): string {
  const colon = reason.indexOf(': ');
  if (colon <= 0) return reason;
  const label = reason.slice(0, colon).trim().toLowerCase();
  const detail = reason.slice(colon + 2).trim();
  if (label === '' || !detail.replace(/`/g, '').toLowerCase().includes(label)) return reason;
  return detail.charAt(0).toUpperCase() + detail.slice(1);
}

/** Text with `inline code` as <code> elements; an unpaired backtick stays a backtick. */
export function inlineCode(text: string): ReactNode[] {
  const parts = text.split('`');
  // An odd number of parts means the backticks pair up; otherwise the last one is unpaired.
  const paired = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  const nodes: ReactNode[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i >= paired) nodes.push(`\`${part}`);
    else if (i % 2 === 1) nodes.push(<code key={i}>{part}</code>);
    else if (part !== '') nodes.push(part);
  }
  return nodes;
}

export function ReasonText({ reason }: { reason: string }) {
  return <p className="approval-reason">{inlineCode(withoutRepetition(reason))}</p>;
}
