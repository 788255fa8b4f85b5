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
  regex: RegExp;
  negate: boolean;
  directoryOnly: boolean;
}

/** Longest .gitignore read; a larger one is ignored as a whole (nothing excluded). */
const MAX_IGNORE_FILE_BYTES = 256 * 1024;

export class IgnoreRules {
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
      let line = rawLine.replace(/(?<!\\)\s+$/, '');
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
      const body = globToRegex(line);
      rules.push({ regex: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}$`), negate, directoryOnly });
    }
    return new IgnoreRules(rules);
  }

  /**
   * Whether `relativePath` (forward slashes, relative to the root) is ignored. The walk asks for each
   * directory before descending, so a file under an ignored directory is never asked about (as in git,
   * a negation cannot re-include a file inside an excluded directory).
   */
  ignores(relativePath: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.regex.test(relativePath)) ignored = !rule.negate;
    }
    return ignored;
  }
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          i += 2; // skip "**" and the slash after it
          out += i >= glob.length ? '.*' : '(?:.*/)?';
          continue;
        }
      }
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let cls = glob.slice(i + 1, close);
      if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      out += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegex(glob[++i]!);
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
