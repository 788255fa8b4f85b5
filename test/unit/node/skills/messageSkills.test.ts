// `$name` as the chat sends it: the composed message (with its chips) gets the invoked skill attached,
// found the way a new session finds skills (trust included); a message without `$name` never touches the
// disk; a lookup that fails leaves the message as typed.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import { withInvokedSkills } from '../../../../src/node/skills/messageSkills';
import { loadSessionSkills } from '../../../../src/node/skills/sessionSkills';

let base: string;
let ws: string;
let home: string;
const files = new NodeFileReader();

function writeSkill(skillsDir: string, name: string, body: string): void {
  mkdirSync(join(skillsDir, name), { recursive: true });
  writeFileSync(join(skillsDir, name, 'SKILL.md'), `---\nname: ${name}\ndescription: The ${name} skill\n---\n${body}\n`);
}

const load = (trusted: boolean) => () => loadSessionSkills(files, { workspaceRoot: ws, cwd: ws, includeProject: trusted, home });

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-msg-skills-')));
  ws = join(base, 'ws');
  home = join(base, 'home');
  writeSkill(join(ws, '.agents/skills'), 'migrate-db', 'PROJECT-BODY: run the migration script.');
  writeSkill(join(home, '.agents/skills'), 'my-style', 'USER-BODY: short sentences.');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('$name when a message is sent', () => {
  it('attaches a project skill and a user skill after the composed message', async () => {
    const composed = 'do $migrate-db in $my-style\n\nThe file `a.sql`:\n```sql\nselect 1;\n```';
    const expanded = await withInvokedSkills('do $migrate-db in $my-style', composed, files, load(true));
    expect(expanded.invoked).toEqual(['migrate-db', 'my-style']);
    expect(expanded.text.startsWith(composed)).toBe(true);
    expect(expanded.text).toContain('The user invoked the skill `migrate-db` (.agents/skills/migrate-db/SKILL.md)');
    expect(expanded.text).toContain('PROJECT-BODY: run the migration script.');
    expect(expanded.text).toContain('The user invoked the skill `my-style` (~/.agents/skills/my-style/SKILL.md)');
    expect(expanded.text).toContain('USER-BODY: short sentences.');
  });

  it('in an untrusted workspace a project $name stays literal text; the user skill still works', async () => {
    const expanded = await withInvokedSkills('$migrate-db $my-style', '$migrate-db $my-style', files, load(false));
    expect(expanded.invoked).toEqual(['my-style']);
    expect(expanded.text).not.toContain('PROJECT-BODY');
    expect(expanded.text.startsWith('$migrate-db $my-style\n\n')).toBe(true);
  });

  it('does not look for skills when nothing is invoked, and sends the message as typed when the lookup fails', async () => {
    let loads = 0;
    const counting = async () => {
      loads++;
      return load(true)();
    };
    expect(await withInvokedSkills('cost is US$5, see `$migrate-db` and $HOME', 'm', files, counting)).toEqual({ text: 'm', invoked: [], problems: [] });
    expect(loads).toBe(0);
    const failed = await withInvokedSkills('$migrate-db', 'the message', files, () => Promise.reject(new Error('disk gone')));
    expect(failed).toEqual({ text: 'the message', invoked: [], problems: ['skills could not be looked up: disk gone'] });
  });
});
