// SKILL.md front matter as skill authors write it (plain, quoted, folded, with extra fields), and the
// broken files a workspace may hold: each is refused with a reason, never thrown.
import { describe, expect, it } from 'vitest';
import { parseSkillFile, skillNameProblem } from '../../../../src/core/skills/frontMatter';

const skill = (front: string, body = 'Do the thing.') => `---\n${front}\n---\n${body}\n`;

describe('SKILL.md front matter', () => {
  it('reads name, description and the body after the block', () => {
    const parsed = parseSkillFile(skill('name: pdf-tools\ndescription: Fill and merge PDF forms.', '# PDF\n\nUse scripts/fill.py.'));
    expect(parsed).toEqual({ ok: true, name: 'pdf-tools', description: 'Fill and merge PDF forms.', body: '# PDF\n\nUse scripts/fill.py.' });
  });

  it('accepts quoted values, folded and literal blocks, continuation lines, comments, CRLF, a BOM and extra fields', () => {
    expect(parseSkillFile(skill('name: "a1"\ndescription: \'It\'\'s "quoted"\''))).toMatchObject({ name: 'a1', description: `It's "quoted"` });
    expect(parseSkillFile(skill('name: b\ndescription: >-\n  Folded over\n  two lines.'))).toMatchObject({ description: 'Folded over two lines.' });
    expect(parseSkillFile(skill('name: c\ndescription: |\n  Line one\n  line two'))).toMatchObject({ description: 'Line one line two' });
    expect(parseSkillFile(skill('name: d\ndescription: Plain start\n  and its continuation'))).toMatchObject({ description: 'Plain start and its continuation' });
    expect(parseSkillFile(skill('# a comment\nname: e # trailing comment\ndescription: Uses: colons fine'))).toMatchObject({ name: 'e', description: 'Uses: colons fine' });
    expect(parseSkillFile('\uFEFF---\r\nname: f\r\ndescription: Windows file\r\n---\r\nBody\r\n')).toMatchObject({ ok: true, name: 'f', description: 'Windows file', body: 'Body' });
    const extra = parseSkillFile(skill('name: g\nlicense: MIT\nallowed-tools:\n  - Bash\nmetadata:\n  author: someone\n  version: "1"\ndescription: With extras'));
    expect(extra).toMatchObject({ ok: true, name: 'g', description: 'With extras' });
  });

  it.each([
    ['no front matter', '# Just markdown\nname: x', /does not start with a front matter/],
    ['an unclosed block', '---\nname: x\ndescription: y\n', /not closed/],
    ['no name', skill('description: y'), /no name/],
    ['no description', skill('name: x'), /no description/],
    ['an empty description', skill('name: x\ndescription: ""'), /description is empty/],
    ['a description that is a map', skill('name: x\ndescription:\n  a: 1'), /description is not a plain text value/],
    ['a name that is a list', skill('name: [a, b]\ndescription: y'), /name is not a plain text value/],
    ['a duplicated key', skill('name: x\nname: y\ndescription: z'), /appears twice/],
    ['a line that is not key: value', skill('name: x\ndescription: y\njust words'), /not "key: value"/],
    ['an unterminated quote', skill('name: "x\ndescription: y'), /name is not a plain text value/],
    ['uppercase in the name', skill('name: PDF\ndescription: y'), /lowercase letters, digits and single hyphens/],
    ['a leading hyphen', skill('name: -x\ndescription: y'), /lowercase/],
    ['a double hyphen', skill('name: a--b\ndescription: y'), /lowercase/],
    ['a path in the name', skill('name: ../x\ndescription: y'), /lowercase/],
    ['a 65-character name', skill(`name: ${'a'.repeat(65)}\ndescription: y`), /longer than 64/],
    ['a 1025-character description', skill(`name: x\ndescription: ${'d'.repeat(1025)}`), /longer than 1024/],
  ])('refuses %s with a reason', (_, text, reason) => {
    const parsed = parseSkillFile(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toMatch(reason);
  });

  it('validates names by the Agent Skills rule', () => {
    expect(skillNameProblem('a')).toBeUndefined();
    expect(skillNameProblem('code-review-2')).toBeUndefined();
    expect(skillNameProblem('a'.repeat(64))).toBeUndefined();
    for (const bad of ['', 'a_b', 'a b', 'a-', 'é', 'a.b', 'A']) expect(skillNameProblem(bad), bad).toBeDefined();
    expect(skillNameProblem('bad\u0007name')).toContain('bad?name');
  });

  it('collapses a description to one line (no line breaks reach the prompt)', () => {
    const parsed = parseSkillFile(skill('name: x\ndescription: "one\\ntwo\\tthree"'));
    expect(parsed).toMatchObject({ ok: true, description: 'one two three' });
  });
});
