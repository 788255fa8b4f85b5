// A small, deliberately conservative bash parser for the approval policy. It does not execute or expand
// anything: it splits a command line into the simple commands that would run (across operators,
// subshells, groups, `$(…)`, backticks, `<(…)` and literal `bash -c '…'`) and reports every construct
// that hides what runs or writes. Anything it does not understand is a parse error, and callers treat a
// parse error as "not safe" — a false "unparseable" only costs a question, a false "safe" costs data.
import { unwrapCommand } from './shellCommands';
import type { CommandContext, Construct, ConstructKind, ParseResult, Redirection, RedirectOp, SimpleCommand, Word } from './shellTypes';

export type { CommandContext, Construct, ConstructKind, ParseResult, Redirection, RedirectOp, SimpleCommand, Word } from './shellTypes';

const MAX_DEPTH = 6;
/** Subshells, groups and substitutions nested deeper than this are refused, not recursed into. */
const MAX_NESTING = 64;
const METACHARS = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const DEV_SINKS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
const REDIRECT = /^(\d*)(&>>|&>|>>|>\||>&|>|<<<|<<-|<<|<>|<&|<)/;
const CONTINUATION_OPS = new Set(['&&', '||', '|', '|&']);

class ShellSyntaxError extends Error {}

/** Parses `script`; never throws. `depth` bounds recursion through `bash -c`, `eval` and backticks. */
export function parseShell(script: string, depth = 0): ParseResult {
  if (depth > MAX_DEPTH) return { ok: false, error: 'commands are nested too deeply to analyse' };
  const hazard = characterHazard(script);
  if (hazard !== undefined) return { ok: false, error: hazard };
  const parser = new Parser(script, depth);
  try {
    parser.parseList(false);
  } catch (error) {
    if (error instanceof ShellSyntaxError) return { ok: false, error: error.message };
    // Fail closed on anything unexpected (a stack overflow included): "not analysed" only costs a question.
    return { ok: false, error: 'the command could not be analysed' };
  }
  const writes = parser.commands.flatMap((c) => c.redirections.filter((r) => r.write));
  return { ok: true, commands: parser.commands, constructs: parser.constructs, writes };
}

/**
 * Characters bash reads differently from this parser, or that show differently from what runs, refuse
 * the whole script: a carriage return is a word character to bash (`ls\r` is not `ls`), NUL ends the
 * string bash sees, other control and format characters (bidi overrides, zero-width joiners, exotic
 * spaces) hide text from the person reading the card. After a non-ASCII character, a shell-special
 * ASCII byte could be swallowed as the second byte of a character in a legacy multibyte locale (GBK,
 * Big5, Shift-JIS), so that pair is refused too.
 */
export function characterHazard(script: string): string | undefined {
  const control = /[\p{C}\p{Z}]/u.exec(script.replace(/[ \t\n]/g, ''));
  if (control) {
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `it contains the control or invisible character U+${code}, which the shell may read differently`;
  }
  if (/[\u0080-\u{10FFFF}][\\`[\]{}|~]/u.test(script)) return 'a non-ASCII character is followed by a shell-special character (read differently in some locales)';
  return undefined;
}

class Parser {
  pos = 0;
  private nesting = 0;
  readonly commands: SimpleCommand[] = [];
  readonly constructs: Construct[] = [];
  private context: CommandContext = 'top';
  private pendingHeredocs: { delimiter: string; stripTabs: boolean; expands: boolean }[] = [];

  constructor(
    private readonly src: string,
    private readonly depth: number,
  ) {}

  /** A list of pipelines up to EOF, or up to the `)` that closes a subshell / substitution. */
  parseList(closedByParen: boolean): void {
    let last: 'none' | 'command' | string = 'none';
    for (;;) {
      this.skipBlanks();
      const c = this.src[this.pos];
      if (c === undefined || c === ')') {
        if (CONTINUATION_OPS.has(last)) throw new ShellSyntaxError(`the command ends after \`${last}\``);
        if (c === undefined && closedByParen) throw new ShellSyntaxError('unbalanced `(`: missing `)`');
        if (c === ')' && !closedByParen) throw new ShellSyntaxError('unexpected `)`');
        if (c === ')') this.pos++;
        return;
      }
      if (c === '\n') {
        this.pos++;
        this.readHeredocBodies();
        if (last === 'command') last = ';';
        continue;
      }
      const op = this.readOperator();
      if (op !== undefined) {
        if (op === ';;') throw new ShellSyntaxError('`;;` outside a case statement');
        if (last !== 'command') throw new ShellSyntaxError(`unexpected \`${op}\``);
        last = op;
        continue;
      }
      this.parseCommand();
      last = 'command';
    }
  }

  private readOperator(): string | undefined {
    const two = this.src.slice(this.pos, this.pos + 2);
    if (two === '&>') return undefined; // a redirection, not the background operator
    for (const op of ['&&', '||', '|&', ';;']) {
      if (two === op) {
        this.pos += 2;
        return op;
      }
    }
    const c = this.src[this.pos];
    if (c === '|' || c === ';' || c === '&') {
      this.pos++;
      return c;
    }
    return undefined;
  }

  private parseCommand(): void {
    if (this.src[this.pos] === '(') {
      this.pos++;
      this.nested('subshell', () => this.parseList(true));
      const redirections: Redirection[] = [];
      for (;;) {
        this.skipBlanks();
        const r = this.tryRedirection();
        if (!r) break;
        redirections.push(r);
      }
      if (redirections.length > 0) this.push({ argv: [], words: [], assignments: [], redirections, context: this.context });
      return;
    }
    const words: Word[] = [];
    const assignments: string[] = [];
    const redirections: Redirection[] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.src[this.pos];
      if (c === undefined || c === '\n' || c === ';' || c === '|' || c === ')') break;
      if (c === '&' && this.src[this.pos + 1] !== '>') break;
      if (c === '(') {
        if (words.length === 1 && /^\s*\(\s*\)/.test(this.src.slice(this.pos))) {
          // `name() { …; }` can redefine any command, even `ls`, for the rest of the script.
          this.pos = this.src.indexOf(')', this.pos) + 1;
          this.construct('function', `function definition \`${words[0]?.text}()\``, true);
          return;
        }
        throw new ShellSyntaxError('unexpected `(`');
      }
      if ((c === '<' || c === '>') && this.src[this.pos + 1] === '(') {
        words.push(this.processSubstitution());
        continue;
      }
      const redirection = this.tryRedirection();
      if (redirection) {
        redirections.push(redirection);
        continue;
      }
      const start = this.pos;
      const word = this.readWord();
      // Assignments are recognised on the raw text: `"X"=1` is a command, `X="a b"` an assignment.
      if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(this.src.slice(start))) {
        assignments.push(word.text);
        continue;
      }
      words.push(word);
    }
    this.push({ argv: words.map((w) => w.text), words, assignments, redirections, context: this.context });
  }

  private push(command: SimpleCommand): void {
    if (command.assignments.length > 0) this.construct('assignment', `variable assignment \`${command.assignments.join(' ')}\``, false);
    const expanded = unwrapCommand(command, {
      construct: (kind, detail, opaque) => this.construct(kind, detail, opaque),
      parseNested: (script, context) => this.parseNested(script, context),
    });
    this.commands.push(...expanded);
  }

  private construct(kind: ConstructKind, detail: string, opaque: boolean): void {
    this.constructs.push({ kind, detail, opaque });
  }

  /** Parses a separate script (backticks, `bash -c`, `eval`) and returns its commands. */
  private parseNested(script: string, context: CommandContext): SimpleCommand[] {
    const result = parseShell(script, this.depth + 1);
    if (!result.ok) throw new ShellSyntaxError(result.error);
    this.constructs.push(...result.constructs);
    return result.commands.map((c) => ({ ...c, context: c.context === 'top' ? context : c.context }));
  }

  private nested(context: CommandContext, body: () => void): void {
    if (++this.nesting > MAX_NESTING) throw new ShellSyntaxError(`more than ${MAX_NESTING} nested subshells or substitutions`);
    const saved = this.context;
    this.context = context;
    try {
      body();
    } finally {
      this.context = saved;
      this.nesting--;
    }
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && this.src[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else return;
    }
  }

  private tryRedirection(): Redirection | undefined {
    const match = REDIRECT.exec(this.src.slice(this.pos));
    if (!match) return undefined;
    const [all, fdText = '', op] = match as unknown as [string, string, RedirectOp];
    this.pos += all.length;
    this.skipBlanks();
    const next = this.src[this.pos];
    if (next === undefined || (METACHARS.has(next) && next !== '<' && next !== '>') || next === '<' || next === '>') {
      throw new ShellSyntaxError(`missing target after \`${op}\``);
    }
    const targetStart = this.pos;
    const target = this.readWord();
    const fd = fdText === '' ? undefined : Number(fdText);
    if (op === '<<' || op === '<<-') {
      // A quoted delimiter (`<<'EOF'`) means the body is taken literally, without expansions.
      const quoted = /['"\\]/.test(this.src.slice(targetStart, this.pos));
      this.pendingHeredocs.push({ delimiter: target.text, stripTabs: op === '<<-', expands: !quoted });
      this.construct('heredoc', `here-document \`${op}${target.text}\``, false);
    }
    return { op, ...(fd !== undefined ? { fd } : {}), target, write: isWrite(op, target) };
  }

  /** Skips the bodies of the here-documents announced on the line that just ended. */
  private readHeredocBodies(): void {
    for (const doc of this.pendingHeredocs.splice(0)) {
      for (;;) {
        if (this.pos >= this.src.length) return; // bash accepts an unterminated body at EOF (with a warning)
        const end = this.src.indexOf('\n', this.pos);
        const line = this.src.slice(this.pos, end === -1 ? undefined : end);
        this.pos = end === -1 ? this.src.length : end + 1;
        if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) break;
        if (doc.expands && (line.includes('$(') || line.includes('`'))) {
          this.construct('command-substitution', 'command substitution inside a here-document', true);
        }
      }
    }
  }

  private readWord(): Word {
    const word: Word = { text: '', literal: true, glob: false };
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || METACHARS.has(c)) break;
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '\n') this.pos += 2;
        else if (next === undefined) throw new ShellSyntaxError('trailing backslash');
        else {
          word.text += next;
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end === -1) throw new ShellSyntaxError('unbalanced single quote');
        word.text += this.src.slice(this.pos + 1, end);
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        this.readDoubleQuoted(word);
      } else if (c === '$') {
        this.readDollar(word);
      } else if (c === '`') {
        this.readBackticks(word);
      } else {
        if ('*?[{'.includes(c)) word.glob = true;
        word.text += c;
        this.pos++;
      }
    }
    return word;
  }

  private readDoubleQuoted(word: Word): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) throw new ShellSyntaxError('unbalanced double quote');
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\' && '$`"\\\n'.includes(this.src[this.pos + 1] ?? 'x')) {
        if (this.src[this.pos + 1] !== '\n') word.text += this.src[this.pos + 1];
        this.pos += 2;
      } else if (c === '$') this.readDollar(word);
      else if (c === '`') this.readBackticks(word);
      else {
        word.text += c;
        this.pos++;
      }
    }
  }

  private readDollar(word: Word): void {
    const next = this.src[this.pos + 1] ?? '';
    if (next === '(') {
      // `$(…)` and `$((…))` both parse as nested lists here; arithmetic is rare enough to ask about.
      this.pos += 2;
      this.construct('command-substitution', 'command substitution `$(…)`', false);
      this.nested('substitution', () => this.parseList(true));
      word.literal = false;
      word.text += '$(…)';
    } else if (next === '{') {
      const end = this.matchBrace(this.pos + 1);
      const body = this.src.slice(this.pos + 2, end);
      if (body.includes('$(') || body.includes('`')) {
        this.construct('command-substitution', 'command substitution inside `${…}`', true);
      }
      word.literal = false;
      if (!/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])$/.test(body)) word.complex = true;
      word.text += this.src.slice(this.pos, end + 1);
      this.pos = end + 1;
    } else if (next === "'") {
      // ANSI-C quoting: escapes are not decoded, so the value counts as unknown.
      let end = this.pos + 2;
      while (end < this.src.length && this.src[end] !== "'") end += this.src[end] === '\\' ? 2 : 1;
      if (end >= this.src.length) throw new ShellSyntaxError("unbalanced `$'` quote");
      word.literal = false;
      word.text += this.src.slice(this.pos + 2, end);
      this.pos = end + 1;
    } else if (next === '"') {
      throw new ShellSyntaxError('a locale-translated string `$"…"` is not analysed');
    } else if (next === '[') {
      throw new ShellSyntaxError('the old arithmetic expansion `$[…]` is not analysed');
    } else if (/^[A-Za-z_0-9@*#?$!-]$/.test(next)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos + 1))?.[0] ?? next;
      word.literal = false;
      word.text += `$${name}`;
      this.pos += 1 + name.length;
    } else {
      word.text += '$';
      this.pos++;
    }
  }

  private matchBrace(open: number): number {
    let depth = 0;
    for (let i = open; i < this.src.length; i++) {
      if (this.src[i] === '\\') i++;
      else if (this.src[i] === '{') depth++;
      else if (this.src[i] === '}' && --depth === 0) return i;
    }
    throw new ShellSyntaxError('unbalanced `${`');
  }

  private readBackticks(word: Word): void {
    let inner = '';
    let i = this.pos + 1;
    for (; i < this.src.length && this.src[i] !== '`'; i++) {
      if (this.src[i] === '\\' && '`$\\'.includes(this.src[i + 1] ?? 'x')) i++;
      inner += this.src[i];
    }
    if (i >= this.src.length) throw new ShellSyntaxError('unbalanced backtick');
    this.pos = i + 1;
    this.construct('command-substitution', 'command substitution with backticks', false);
    this.commands.push(...this.parseNested(inner, 'substitution'));
    word.literal = false;
    word.text += '`…`';
  }

  private processSubstitution(): Word {
    const direction = this.src[this.pos];
    this.pos += 2;
    this.construct('process-substitution', `process substitution \`${direction}(…)\``, false);
    this.nested('substitution', () => this.parseList(true));
    return { text: `${direction}(…)`, literal: false, glob: false };
  }
}

function isWrite(op: RedirectOp, target: Word): boolean {
  if (op === '<' || op === '<<' || op === '<<-' || op === '<<<' || op === '<&') return false;
  if (op === '>&' && /^(\d+|-)$/.test(target.text)) return false;
  return !(target.literal && DEV_SINKS.has(target.text));
}
