// What "Run again in a terminal" may put into a terminal. The command came from the model, and a
// terminal executes what it is sent: a newline is Enter, so a multi-line command would run its first
// lines at once, and control characters (Ctrl-C, Ctrl-U, ESC sequences such as the end of a bracketed
// paste) can clear the line and run something else. Bracketed paste is no fix: a shell without it
// (sh, older bash, PowerShell) types the markers literally and runs each line. So:
//   - one plain line is typed without Enter (the user reads it, then runs it);
//   - several lines (or tabs, which trigger completion) are not typed: they go to the clipboard, and
//     pasting them is the terminal's own paste, with its multi-line warning or bracketed paste;
//   - control characters, escape sequences and invisible formatting characters are refused.
// The working directory is set when the terminal is created, never by typing `cd`; one with control
// characters is refused too. Pure: no node imports.

export type TerminalPlan = { action: 'type'; text: string } | { action: 'clipboard'; text: string } | { action: 'refuse'; reason: string };

// Controls except tab and newline, DEL, C1 controls, zero-width and bidirectional formatting characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u;
const MAX_COMMAND_LENGTH = 100_000;

export function planTerminalText(command: string, cwd?: string): TerminalPlan {
  // Trailing line breaks would press Enter; a CRLF-ended line is still one line.
  const text = command.replace(/\r\n/g, '\n').replace(/[\n\t ]+$/, '');
  if (text.trim() === '') return { action: 'refuse', reason: 'the command is empty' };
  if (text.length > MAX_COMMAND_LENGTH) return { action: 'refuse', reason: 'the command is too long' };
  if (FORBIDDEN.test(text)) return { action: 'refuse', reason: 'the command contains control characters or terminal escape sequences' };
  if (cwd !== undefined && (FORBIDDEN.test(cwd) || /[\n\t]/.test(cwd))) return { action: 'refuse', reason: 'the working directory contains control characters' };
  return /[\n\t]/.test(text) ? { action: 'clipboard', text } : { action: 'type', text };
}
