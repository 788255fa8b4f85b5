// `$name` in a message: which spellings invoke a skill and which stay literal text, and what the message
// carries when one does (the SKILL.md body attached like a mention, read again under discovery's checks).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverSkills } from '../../../../src/core/skills/discovery';
import { expandSkillInvocations, invokedSkillNames, MAX_INVOKED_SKILLS } from '../../../../src/core/skills/invocation';
import type { Skill } from '../../../../src/core/skills/types';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';

describe('$name spellings', () => {
  it.each([
    ['$pdf', ['pdf']],
    ['use $pdf then $deploy-prod.', ['pdf', 'deploy-prod']],
    ['($pdf), $pdf again', ['pdf']],
    ['start:\n$lint-2 at a line start', ['lint-2']],
  ])('%j invokes %j', (text, names) => expect(invokedSkillNames(text)).toEqual(names));

  it.each([
    ['a price: US$5', 'after a word character'],
    ['echo $$pdf', 'after another $'],
    ['escaped \\$pdf', 'escaped'],
    ['$PDF or $Pdf', 'not lowercase'],
    ['$pdf_file', 'followed by an underscore'],
    ['$pdf-', 'ending in a hyphen'],
    ['run `echo $pdf` please', 'inside inline code'],
    ['```sh\necho $pdf\n```', 'inside a fenced block'],
    ['~~~\n$pdf\n~~~\nafter', 'inside a tilde fence'],
    [`$${'a'.repeat(65)}`, 'longer than a skill name may be'],
  ])('%j does not invoke (%s)', (text) => expect(invokedSkillNames(text)).toEqual([]));

  it('text after a closed fence counts again', () => {
    expect(invokedSkillNames('```\n$one\n```\nnow $two')).toEqual(['two']);
  });
});

describe('expanding $name into the message', () => {
  let base: string;
  let ws: string;
  let skills: Skill[];
  const files = new NodeFileReader();
  const where = () => ({ cwd: ws, home: join(base, 'home') });

  function writeSkill(name: string, body: string): void {
    mkdirSync(join(ws, '.agents/skills', name), { recursive: true });
    writeFileSync(join(ws, '.agents/skills', name, 'SKILL.md'), `---\nname: ${name}\ndescription: The ${name} skill\n---\n${body}\n`);
  }

  beforeEach(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-invoke-')));
    ws = join(base, 'ws');
    mkdirSync(ws);
    writeSkill('pdf', '# PDF\nRun scripts/fill.py on the form.');
    writeSkill('deploy', 'Deploy with `make ship`.');
    skills = (await discoverSkills(files, { workspaceRoot: ws, cwd: ws, includeProject: true })).skills;
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('attaches the SKILL.md body of each known skill once, after the message and its other attachments, and keeps the typed text', async () => {
    const typed = 'fill the form with $pdf, then $deploy and $pdf again';
    const composed = `${typed}\n\nThe file \`form.txt\`:\n\`\`\`\nname: $deploy\n\`\`\``;
    const expanded = await expandSkillInvocations(typed, composed, skills, files, where());
    expect(expanded.invoked).toEqual(['pdf', 'deploy']);
    expect(expanded.problems).toEqual([]);
    expect(expanded.text.startsWith(composed)).toBe(true);
    const rest = expanded.text.slice(composed.length);
    expect(rest).toContain('The user invoked the skill `pdf` (.agents/skills/pdf/SKILL.md).');
    expect(rest).toContain('# PDF\nRun scripts/fill.py on the form.');
    expect(rest).not.toContain('description: The pdf skill');
    expect(rest.indexOf('skill `pdf`')).toBeLessThan(rest.indexOf('skill `deploy`'));
    expect(rest.match(/The user invoked the skill/g)).toHaveLength(2);
  });

  it('leaves the message as it is for unknown names, and for a $name that only appears in an attachment', async () => {
    const unknown = await expandSkillInvocations('try $nope and $HOME', 'try $nope and $HOME', skills, files, where());
    expect(unknown).toEqual({ text: 'try $nope and $HOME', invoked: [], problems: [] });
    const onlyAttached = await expandSkillInvocations('look at this', 'look at this\n\n$pdf', skills, files, where());
    expect(onlyAttached).toEqual({ text: 'look at this\n\n$pdf', invoked: [], problems: [] });
  });

  it('does not attach a skill whose SKILL.md was swapped for a link out since discovery, and says why', async () => {
    mkdirSync(join(base, 'out'));
    writeFileSync(join(base, 'out', 'secret.md'), '---\nname: pdf\ndescription: x\n---\nCANARY\n');
    unlinkSync(join(ws, '.agents/skills/pdf/SKILL.md'));
    symlinkSync(join(base, 'out', 'secret.md'), join(ws, '.agents/skills/pdf/SKILL.md'));
    const expanded = await expandSkillInvocations('$pdf', '$pdf', skills, files, where());
    expect(expanded.text).toBe('$pdf');
    expect(expanded.invoked).toEqual([]);
    expect(expanded.problems).toEqual([expect.stringMatching(/^\$pdf: .*resolves outside/)]);
  });

  it(`attaches at most ${MAX_INVOKED_SKILLS} skills to one message`, async () => {
    const names = Array.from({ length: MAX_INVOKED_SKILLS + 2 }, (_, i) => `s${i}`);
    for (const name of names) writeSkill(name, `body ${name}`);
    skills = (await discoverSkills(files, { workspaceRoot: ws, cwd: ws, includeProject: true })).skills;
    const typed = names.map((n) => `$${n}`).join(' ');
    const expanded = await expandSkillInvocations(typed, typed, skills, files, where());
    expect(expanded.invoked).toEqual(names.slice(0, MAX_INVOKED_SKILLS));
    expect(expanded.problems).toHaveLength(2);
    expect(expanded.text).not.toContain('body s6');
  });
});
