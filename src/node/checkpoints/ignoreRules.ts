// A small reader of a workspace root's `.gitignore`, so the command snapshot (workspaceScan.ts) does not
// walk build output and caches. Pure node, no git: the user's repository may not exist, and running git
// would read a workspace-controlled configuration. Supported: comments, blank lines, `!` negation,
// trailing `/` (directories only), a leading or inner `/` (anchored at the root), `*`, `?`, `**` and
// `[...]` classes. Only the root file is read; nested `.gitignore` files are not. Being wrong here only
// means a file is scanned that git would ignore, or an ignored file changed by a command is not
// checkpointed (the scan is a convenience bound, never a safety boundary: restore only ever writes files
// it recorded).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface Rule {
  tokens: Token[];
  /** The same glob as a regular expression when it cannot backtrack badly (at most two wildcards). */
  regex?: RegExp;
  /** Tested against the path's last name (the pattern had no slash). */
  basename: boolean;
  negate: boolean;
  directoryOnly: boolean;
}

/**
 * A compiled glob. Matched by a table walk over the path (tokens × characters), never a backtracking
 * regular expression: a workspace's .gitignore is untrusted, and a dozen `**` folders in a row, or
 * `*a*a*a*a*b`, stall a regex engine for minutes on a long path, on every command.
 */
type Token =
  | { kind: 'char'; char: string }
  | { kind: 'one' } // ?
  | { kind: 'class'; test: (char: string) => boolean } // [...]
  | { kind: 'star' } // * : any run without a slash
  | { kind: 'dirs' } // **/ : nothing, or whole folders
  | { kind: 'rest' }; // trailing ** : anything

/** Longest pattern and most rules read; beyond them a .gitignore only narrows the scan less. */
const MAX_PATTERN_CHARS = 1_000;
const MAX_RULES = 5_000;
/** Paths whose answer is remembered (a scan's file budget and then some). */
const MAX_MEMO = 200_000;

/** Longest .gitignore read; a larger one is ignored as a whole (nothing excluded). */
const MAX_IGNORE_FILE_BYTES = 256 * 1024;

export class IgnoreRules {
  private readonly memo = new Map<string, boolean>();

  private constructor(private readonly rules: Rule[]) {}

  /** No rules: the scan skips the per-path check. */
  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  static none(): IgnoreRules {
    return new IgnoreRules([]);
  }

  /** The rules of `<root>/.gitignore`, or none when it is missing, unreadable or too large. */
  static forRoot(root: string): IgnoreRules {
    try {
      const text = readFileSync(path.join(root, '.gitignore'));
      if (text.length > MAX_IGNORE_FILE_BYTES) return IgnoreRules.none();
      return IgnoreRules.parse(text.toString('utf8'));
    } catch {
      return IgnoreRules.none();
    }
  }

  static parse(text: string): IgnoreRules {
    const rules: Rule[] = [];
    for (const rawLine of text.split(/\r?\n/)) {
      let line = trimTrailingSpace(rawLine);
      if (line === '' || line.startsWith('#')) continue;
      let negate = false;
      if (line.startsWith('!')) {
        negate = true;
        line = line.slice(1);
      } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
        line = line.slice(1);
      }
      let directoryOnly = false;
      if (line.endsWith('/')) {
        directoryOnly = true;
        line = line.slice(0, -1);
      }
      if (line === '') continue;
      // A slash anywhere but at the end anchors the pattern at the root; otherwise it matches at any depth.
      const anchored = line.includes('/');
      if (line.startsWith('/')) line = line.slice(1);
      if (line.length > MAX_PATTERN_CHARS || rules.length >= MAX_RULES) continue;
      // A pattern without a slash matches a name at any depth: it is tested against the last name only.
      const tokens = tokenize(line);
      const wildcards = tokens.filter((t) => t.kind === 'star' || t.kind === 'dirs' || t.kind === 'rest').length;
      const regex = wildcards <= 2 ? toRegex(tokens) : undefined;
      rules.push({ tokens, negate, directoryOnly, basename: !anchored, ...(regex ? { regex } : {}) });
    }
    return new IgnoreRules(rules);
  }

  /**
   * Whether `relativePath` (forward slashes, relative to the root) is ignored. The walk asks for each
   * directory before descending, so a file under an ignored directory is never asked about (as in git,
   * a negation cannot re-include a file inside an excluded directory).
   */
  ignores(relativePath: string, isDirectory: boolean): boolean {
    const key = `${isDirectory ? 'd' : 'f'}${relativePath}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      const subject = rule.basename ? name : relativePath;
      if (rule.regex ? rule.regex.test(subject) : globMatches(rule.tokens, subject)) ignored = !rule.negate;
    }
    // Every scan asks about the same paths again: remember (bounded) until the rules are read again.
    if (this.memo.size < MAX_MEMO) this.memo.set(key, ignored);
    return ignored;
  }
}

function trimTrailingSpace(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t') && line[end - 2] !== '\\') end--;
  return line.slice(0, end);
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          i += 2; // "**" and the slash after it
          const token: Token = i >= glob.length ? { kind: 'rest' } : { kind: 'dirs' };
          if (tokens.at(-1)?.kind !== token.kind) tokens.push(token); // "**/**/" is one "**/"
          continue;
        }
      }
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'one' });
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        tokens.push({ kind: 'char', char: '[' });
        continue;
      }
      tokens.push({ kind: 'class', test: characterClass(glob.slice(i + 1, close)) });
      i = close;
    } else if (c === '\\' && i + 1 < glob.length) {
      tokens.push({ kind: 'char', char: glob[++i]! });
    } else {
      tokens.push({ kind: 'char', char: c });
    }
  }
  return tokens;
}

/** A regular expression for tokens with few wildcards (fast for the common .gitignore line). */
function toRegex(tokens: readonly Token[]): RegExp | undefined {
  let body = '';
  for (const token of tokens) {
    if (token.kind === 'class') return undefined; // kept to the table walk: no regex class syntax to get wrong
    body += token.kind === 'char' ? token.char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : token.kind === 'one' ? '[^/]' : token.kind === 'star' ? '[^/]*' : token.kind === 'dirs' ? '(?:.*/)?' : '.*';
  }
  return new RegExp(`^${body}$`);
}

/** `[abc]`, `[a-z]`, `[!x]` (also `[^x]`). */
function characterClass(body: string): (char: string) => boolean {
  const negated = body.startsWith('!') || body.startsWith('^');
  const chars = negated ? body.slice(1) : body;
  const ranges: [string, string][] = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      ranges.push([chars[i]!, chars[i + 2]!]);
      i += 2;
    } else {
      ranges.push([chars[i]!, chars[i]!]);
    }
  }
  return (char) => ranges.some(([from, to]) => char >= from && char <= to) !== negated;
}

/** Whether `tokens` match all of `text`: the set of reachable positions, advanced token by token. */
function globMatches(tokens: readonly Token[], text: string): boolean {
  const n = text.length;
  let reach = new Uint8Array(n + 1);
  reach[0] = 1;
  for (const token of tokens) {
    const next = new Uint8Array(n + 1);
    let any = false;
    switch (token.kind) {
      case 'char':
      case 'one':
      case 'class':
        for (let j = 0; j < n; j++) {
          if (!reach[j]) continue;
          const c = text[j]!;
          if (token.kind === 'char' ? c === token.char : c !== '/' && (token.kind === 'one' || token.test(c))) next[j + 1] = 1;
        }
        break;
      case 'star': {
        let active = false; // a reachable start with no slash since
        for (let j = 0; j <= n; j++) {
          if (reach[j]) active = true;
          if (active) next[j] = 1;
          if (text[j] === '/') active = false;
        }
        break;
      }
      case 'dirs': {
        let reached = false; // some earlier position was reachable: every later folder boundary is too
        for (let j = 0; j <= n; j++) {
          if (reach[j]) {
            next[j] = 1;
            reached = true;
          } else if (reached && text[j - 1] === '/') {
            next[j] = 1;
          }
        }
        break;
      }
      case 'rest': {
        const first = reach.indexOf(1);
        if (first >= 0) next.fill(1, first);
        break;
      }
    }
    for (let j = 0; j <= n && !any; j++) if (next[j]) any = true;
    if (!any) return false;
    reach = next;
  }
  return reach[n] === 1;
}
