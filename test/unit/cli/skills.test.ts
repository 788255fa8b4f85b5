// `tandem exec` finds skills like the extension: the bundled CLI in a child process against the mock
// server, with HOME pointing at a temp folder. Project skills load in the default read-only mode too (as
// AGENTS.md does: running exec in a folder is trusting it); the user's come from $HOME; a skill linking
// out of its folder is not listed.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, startMockOpenAI, type MockOpenAI } from '../../fixtures/mockOpenAI';

let cli: string;
let api: MockOpenAI;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'tandem-cli-skills-build-'));
  cli = join(out, 'cli.js');
  await esbuild.build({ entryPoints: ['src/cli.ts'], outfile: cli, bundle: true, platform: 'node', format: 'cjs', external: ['node-pty'], logLevel: 'silent' });
  api = await startMockOpenAI();
});
afterAll(async () => api.close());

function writeSkill(skillsDir: string, name: string, description: string): void {
  mkdirSync(join(skillsDir, name), { recursive: true });
  writeFileSync(join(skillsDir, name, 'SKILL.md'), `---\nname: ${name}\ndescription: ${description}\n---\nBody.\n`);
}

function tandem(args: string[], home: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmpdir(), env: { ...process.env, OPENAI_API_KEY: 'test-key', HOME: home } });
    child.stdin.end('');
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
}

describe('tandem exec and skills', () => {
  it('lists the project and user skills in the instructions (default read-only approval), not one that links outside', async () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-cli-skills-')));
    const ws = join(base, 'ws');
    const home = join(base, 'home');
    writeSkill(join(ws, '.agents/skills'), 'run-tests', 'How this repo runs its tests.');
    writeSkill(join(home, '.agents/skills'), 'commit-style', 'How I write commit messages.');
    writeSkill(join(base, 'elsewhere'), 'smuggled', 'CANARY outside the skills folder.');
    symlinkSync(join(base, 'elsewhere/smuggled'), join(ws, '.agents/skills/smuggled'));
    api.requests.length = 0;
    api.setScript([{ steps: [mock.text('ok')] }]);
    const code = await tandem(['exec', '--base-url', api.baseUrl, '--model', 'm', '--cd', ws, 'hello'], home);
    expect(code).toBe(0);
    const instructions = (api.requests[0]?.body as { instructions?: string }).instructions ?? '';
    expect(instructions).toContain('- run-tests: How this repo runs its tests. (.agents/skills/run-tests/SKILL.md)');
    expect(instructions).toContain('- commit-style: How I write commit messages. (~/.agents/skills/commit-style/SKILL.md)');
    expect(instructions).not.toContain('CANARY');
    expect(instructions).not.toContain('smuggled');
  });

  it('attaches a skill named with $name in the prompt, as the composer does', async () => {
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-cli-skills-')));
    const ws = join(base, 'ws');
    mkdirSync(join(ws, '.agents/skills/run-tests'), { recursive: true });
    writeFileSync(join(ws, '.agents/skills/run-tests/SKILL.md'), '---\nname: run-tests\ndescription: How to test.\n---\nRun SKILL-BODY-MARKER first.\n');
    api.requests.length = 0;
    api.setScript([{ steps: [mock.text('ok')] }]);
    const code = await tandem(['exec', '--base-url', api.baseUrl, '--model', 'm', '--cd', ws, 'use $run-tests please'], join(base, 'home'));
    expect(code).toBe(0);
    expect(JSON.stringify(api.requests[0]?.body)).toContain('SKILL-BODY-MARKER');
  });
});
