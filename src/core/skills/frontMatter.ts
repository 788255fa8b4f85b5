// Reads a SKILL.md (Agent Skills format): YAML front matter between `---` lines with `name` and
// `description`, then the instructions. Only the small part of YAML that skill files use is understood
// (top-level `key: value`, quoted values, `|` / `>` blocks and indented continuation lines; nested maps
// such as `metadata:` are skipped), and anything else is refused with a reason, never thrown: the file
// comes from a workspace or a download and a broken one must not break the session.

/** The Agent Skills limits: a name is 1–64 of a-z, 0-9 and single inner hyphens; a description ≤ 1024 characters. */
export const MAX_SKILL_NAME = 64;
export const MAX_SKILL_DESCRIPTION = 1024;

export type ParsedSkill = { ok: true; name: string; description: string; body: string } | { ok: false; reason: string };

/** Why `name` is not a valid skill name, or `undefined` when it is one. */
export function skillNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_SKILL_NAME) return `the name is longer than ${MAX_SKILL_NAME} characters`;
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name)) return `the name "${printable(name)}" may use only lowercase letters, digits and single hyphens between them`;
  return undefined;
}

export function parseSkillFile(text: string): ParsedSkill {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') return { ok: false, reason: 'SKILL.md does not start with a front matter block (---)' };
  const end = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (end < 0) return { ok: false, reason: 'the front matter is not closed by a --- line' };
  const fields = parseFields(lines.slice(1, end));
  if ('reason' in fields) return { ok: false, reason: fields.reason };
  const name = fields.values.get('name');
  const description = fields.values.get('description');
  if (name === undefined) return { ok: false, reason: 'the front matter has no name' };
  if (description === undefined) return { ok: false, reason: 'the front matter has no description' };
  const nameProblem = skillNameProblem(name);
  if (nameProblem) return { ok: false, reason: nameProblem };
  const oneLine = description.replace(/\s+/g, ' ').trim();
  if (!oneLine) return { ok: false, reason: 'the description is empty' };
  if (oneLine.length > MAX_SKILL_DESCRIPTION) return { ok: false, reason: `the description is longer than ${MAX_SKILL_DESCRIPTION} characters` };
  return { ok: true, name, description: oneLine, body: lines.slice(end + 1).join('\n').trim() };
}

/** The top-level scalar fields. A key given twice, or `name` / `description` that is not a scalar, is refused. */
function parseFields(lines: readonly string[]): { values: Map<string, string> } | { reason: string } {
  const values = new Map<string, string>();
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    if (/^\s/.test(line)) return { reason: `front matter line ${i + 2} is indented where a key was expected` };
    const match = /^([A-Za-z0-9_-]+)\s*:(?:\s+(.*))?$/.exec(line.trimEnd());
    if (!match) return { reason: `front matter line ${i + 2} is not "key: value"` };
    const key = match[1]!;
    if (seen.has(key)) return { reason: `"${key}" appears twice in the front matter` };
    seen.add(key);
    const raw = (match[2] ?? '').trim();
    // Indented lines after the key belong to it: a block scalar, a continued plain value, or a nested map.
    const block: string[] = [];
    while (i + 1 < lines.length && (/^\s/.test(lines[i + 1]!) || lines[i + 1]!.trim() === '')) block.push(lines[++i]!);
    while (block.length && !block.at(-1)!.trim()) block.pop();
    const value = scalar(raw, block);
    if (value === undefined) {
      if (key === 'name' || key === 'description') return { reason: `the ${key} is not a plain text value` };
      continue; // metadata, allowed-tools lists and the like: not needed here
    }
    values.set(key, value);
  }
  return { values };
}

/** A scalar value from its first line and its indented lines, or `undefined` for maps, lists and odd syntax. */
function scalar(raw: string, block: readonly string[]): string | undefined {
  const inner = block.map((l) => l.trim());
  if (/^[|>][+-]?$/.test(raw)) return raw.startsWith('|') ? inner.join('\n') : inner.join(' ');
  if (raw === '') return block.length && !inner.some((l) => /^[A-Za-z0-9_-]+\s*:(\s|$)|^- /.test(l)) ? inner.join(' ') : undefined;
  if (raw.startsWith('"')) return block.length ? undefined : doubleQuoted(raw);
  if (raw.startsWith("'")) return block.length ? undefined : singleQuoted(raw);
  if (/^[[{&*!%@`]/.test(raw)) return undefined;
  return [stripComment(raw), ...inner].join(' ').trim();
}

function doubleQuoted(raw: string): string | undefined {
  const match = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(raw);
  if (!match) return undefined;
  return match[1]!.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
}

function singleQuoted(raw: string): string | undefined {
  const match = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(raw);
  return match ? match[1]!.replace(/''/g, "'") : undefined;
}

function stripComment(raw: string): string {
  const at = raw.search(/\s#/);
  return at < 0 ? raw : raw.slice(0, at);
}

/** For messages: a name as text without control characters, cut short. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}
