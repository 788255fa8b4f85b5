// The skills section of the system prompt: name, description and path per skill, the whole section within
// its budget, the skills left out named, and the same text for the same skills (a stable request prefix).
import { describe, expect, it } from 'vitest';
import { SKILLS_PROMPT_BUDGET, skillPathForPrompt, skillsPromptSection } from '../../../../src/core/skills/promptSection';
import type { Skill } from '../../../../src/core/skills/types';

const where = { cwd: '/ws', home: '/home/u' };

function skill(name: string, description = `Does ${name} things.`, scope: Skill['scope'] = 'project'): Skill {
  const root = scope === 'project' ? '/ws/.agents/skills' : '/home/u/.tandem/skills';
  return { name, description, scope, root, dir: `${root}/${name}`, file: `${root}/${name}/SKILL.md` };
}

describe('skills prompt section', () => {
  it('is absent without skills', () => {
    expect(skillsPromptSection([], where)).toEqual({ text: undefined, listed: [], omitted: [] });
  });

  it('lists each skill with its description and SKILL.md path (relative to cwd, ~ for home), in the given order', () => {
    const section = skillsPromptSection([skill('pdf'), skill('deploy', 'Ship it.', 'user')], where);
    expect(section.text).toContain('# Skills');
    expect(section.text).toContain('read its SKILL.md first');
    expect(section.text).toContain('\n- pdf: Does pdf things. (.agents/skills/pdf/SKILL.md)\n- deploy: Ship it. (~/.tandem/skills/deploy/SKILL.md)');
    expect(section).toMatchObject({ listed: ['pdf', 'deploy'], omitted: [] });
    expect(skillsPromptSection([skill('pdf'), skill('deploy', 'Ship it.', 'user')], where).text).toBe(section.text);
  });

  it('writes a path outside cwd and home as it is', () => {
    expect(skillPathForPrompt('/elsewhere/s/SKILL.md', where)).toBe('/elsewhere/s/SKILL.md');
    expect(skillPathForPrompt('/home/u/.agents/skills/x/SKILL.md', { cwd: '/ws' })).toBe('/home/u/.agents/skills/x/SKILL.md');
    expect(skillPathForPrompt('/home/u/.agents/skills/x/SKILL.md', { cwd: '/', home: '/home/u' })).toBe('~/.agents/skills/x/SKILL.md');
  });

  it(`stays within ${SKILLS_PROMPT_BUDGET} characters with many skills and names those left out`, () => {
    const many = Array.from({ length: 40 }, (_, i) => skill(`skill-${String(i).padStart(2, '0')}`, `Helps with task number ${i}, described at some length so that it takes room.`));
    const section = skillsPromptSection(many, where);
    expect(section.text!.length).toBeLessThanOrEqual(SKILLS_PROMPT_BUDGET);
    expect(section.listed.length).toBeGreaterThan(3);
    expect(section.listed.length + section.omitted.length).toBe(40);
    expect(section.listed).toEqual(many.slice(0, section.listed.length).map((s) => s.name));
    expect(section.text).toMatch(/Not listed for room \(the user can still invoke them as \$name\): skill-\d\d, .* and \d+ more\./);
    expect(section.text).toContain(section.omitted[0]);
    for (const name of section.listed) expect(section.text).toContain(`- ${name}: `);
  });

  it('cuts a long description, and keeps control characters out of the prompt', () => {
    const long = skillsPromptSection([skill('big', 'x'.repeat(1000))], where);
    expect(long.text).toContain(`- big: ${'x'.repeat(199)}… (`);
    const odd = skillsPromptSection([skill('odd', 'a\u0007b\u2028c')], where);
    expect(odd.text).toContain('- odd: a b c (');
  });

  it('lists nothing but still says what was left out when even one entry does not fit', () => {
    const section = skillsPromptSection([skill('a', 'y'.repeat(190)), skill('b')], where, 400);
    expect(section.text!.length).toBeLessThanOrEqual(400);
    expect(section).toMatchObject({ listed: [], omitted: ['a', 'b'] });
    expect(section.text).toContain('Not listed for room (the user can still invoke them as $name): a, b.');
    expect(skillsPromptSection([skill('a')], where, 50).text).toBeUndefined();
  });
});
