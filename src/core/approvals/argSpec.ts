// Reads a command's arguments the way GNU getopt_long (and git's parse-options) would, against an
// allow-list of the options we know to be harmless. Fails closed on every spelling a tool could read as
// something else: a long option counts only when spelled out exactly as listed (getopt_long also accepts
// unique prefixes, so `--out` may mean `--output`), every letter of a short cluster must be listed
// (`-uo FILE` is `-u -o FILE`), a valued short option takes the rest of its cluster (`-o/tmp/x`), and
// options are recognised after operands too (GNU permutes them) until a `--`.

export interface ArgSpec {
  /** Short options without a value, as one string of letters (`'alh'`). */
  flags?: string;
  /** Short options that take a value, glued (`-n5`) or in the next word (`-n 5`). */
  valued?: string;
  /** Short options whose value may only be glued (`git status -uno`, `git diff -M50%`). */
  gluedOptional?: string;
  /** Long options without a value (names without `--`). */
  long?: readonly string[];
  /** Long options that take a value: `--name=value` or `--name value`. */
  longValued?: readonly string[];
  /** Long options with an optional value, which is then only ever glued: `--name` or `--name=value`. */
  longOptional?: readonly string[];
  /** `-5` means a count (head, tail, git log). */
  numeric?: boolean;
  /** At most this many operands (more would be outputs, e.g. `uniq in out`). */
  maxOperands?: number;
}

export interface ParsedOption {
  /** `-x` or `--name`. */
  name: string;
  value?: string;
}

export type ParsedArgs = { ok: true; options: ParsedOption[]; operands: string[] } | { ok: false; reason: string };

export function parseArgs(args: readonly string[], spec: ArgSpec): ParsedArgs {
  const options: ParsedOption[] = [];
  const operands: string[] = [];
  const fail = (reason: string): ParsedArgs => ({ ok: false, reason });
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const glued = eq === -1 ? undefined : arg.slice(eq + 1);
      if (spec.longValued?.includes(name)) {
        if (glued !== undefined) options.push({ name: `--${name}`, value: glued });
        else if (i + 1 < args.length) options.push({ name: `--${name}`, value: args[++i] as string });
        else return fail(`\`--${name}\` is missing its value`);
      } else if (spec.longOptional?.includes(name)) {
        options.push({ name: `--${name}`, ...(glued !== undefined ? { value: glued } : {}) });
      } else if (spec.long?.includes(name) && glued === undefined) {
        options.push({ name: `--${name}` });
      } else {
        return fail(`the option \`${arg}\` is not one we know to be harmless`);
      }
      continue;
    }
    if (spec.numeric && /^-\d+$/.test(arg)) {
      options.push({ name: '-n', value: arg.slice(1) });
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string;
      const rest = arg.slice(j + 1);
      if (spec.valued?.includes(letter)) {
        if (rest !== '') options.push({ name: `-${letter}`, value: rest });
        else if (i + 1 < args.length) options.push({ name: `-${letter}`, value: args[++i] as string });
        else return fail(`\`-${letter}\` is missing its value`);
        break;
      }
      if (spec.gluedOptional?.includes(letter)) {
        options.push({ name: `-${letter}`, ...(rest !== '' ? { value: rest } : {}) });
        break;
      }
      if (!spec.flags?.includes(letter)) return fail(`the option \`-${letter}\` (in \`${arg}\`) is not one we know to be harmless`);
      options.push({ name: `-${letter}` });
    }
  }
  if (spec.maxOperands !== undefined && operands.length > spec.maxOperands) {
    return fail(`more than ${spec.maxOperands} operand${spec.maxOperands === 1 ? '' : 's'} (a later one could be an output)`);
  }
  return { ok: true, options, operands };
}

/** `letters` → `-a -b …` check helper: whether any parsed option is one of `names`. */
export function hasOption(parsed: Extract<ParsedArgs, { ok: true }>, ...names: string[]): boolean {
  return parsed.options.some((o) => names.includes(o.name));
}
