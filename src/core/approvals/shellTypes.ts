// The shapes the shell parser produces (see shellParse.ts): words, redirections, simple commands and the
// constructs that hide or change what runs.

/** One shell word after quote removal. */
export interface Word {
  text: string;
  /** False when the word contains an expansion (`$X`, `${…}`, `$(…)`, backticks, `$'…'`): its value is unknown. */
  literal: boolean;
  /** True when the word has an unquoted glob or brace character (`* ? [ {`): it may expand to other words. */
  glob: boolean;
  /**
   * True when a `${…}` expansion is more than a plain `${NAME}`: operators (`${X:=v}` assigns) and
   * subscripts (`${a[i]}` is evaluated as arithmetic, which can run code held in a variable).
   */
  complex?: boolean;
}

export type RedirectOp = '<' | '>' | '>>' | '>|' | '&>' | '&>>' | '<>' | '<<' | '<<-' | '<<<' | '>&' | '<&';

export interface Redirection {
  op: RedirectOp;
  fd?: number;
  target: Word;
  /** The redirection writes a file (output to anything but a /dev sink or an fd duplicate). */
  write: boolean;
}

export type ConstructKind =
  | 'command-substitution'
  | 'process-substitution'
  | 'heredoc'
  | 'dynamic-command'
  | 'eval'
  | 'exec'
  | 'shell-c'
  | 'xargs'
  | 'find-exec'
  | 'env'
  | 'wrapper'
  | 'assignment'
  | 'function'
  | 'control-flow';

export interface Construct {
  kind: ConstructKind;
  detail: string;
  /** The analysis cannot see what this runs (e.g. `$CMD args`, `bash -c "$X"`); nothing about it is known. */
  opaque: boolean;
}

/** Where a simple command was found; nested ones still run. */
export type CommandContext = 'top' | 'subshell' | 'substitution' | 'shell-c' | 'eval' | 'xargs' | 'find-exec';

export interface SimpleCommand {
  /** Program and arguments after quote removal; empty for a bare redirection (`> file`). */
  argv: string[];
  words: Word[];
  /** Leading `NAME=value` assignments (including those given to `env`). */
  assignments: string[];
  redirections: Redirection[];
  context: CommandContext;
  /** Run by xargs or find -exec: more arguments are appended at run time. */
  extraArgs?: boolean;
}

export type ParseResult =
  | { ok: true; commands: SimpleCommand[]; constructs: Construct[]; writes: Redirection[] }
  | { ok: false; error: string };
