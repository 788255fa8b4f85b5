// The skills list as the model receives it: createAgentSession (the extension's and the CLI's factory)
// against the mock server over both wire APIs. The system prompt lists the workspace's and the user's
// skills with their paths, the same bytes in every request of the session; the model reads a SKILL.md
// with its normal commands; an untrusted workspace's skills are not listed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { createAgentSession } from '../../../../src/node/agentFactory';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import type { SessionSkills } from '../../../../src/node/skills/sessionSkills';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';

let server: MockOpenAI;
let base: string;
let ws: string;
let home: string;

beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(async () => server.close());

function writeSkill(skillsDir: string, name: string, description: string, body: string): void {
  fs.mkdirSync(path.join(skillsDir, name), { recursive: true });
  fs.writeFileSync(path.join(skillsDir, name, 'SKILL.md'), `---\nname: ${name}\ndescription: ${description}\n---\n${body}\n`);
}

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-skills-prompt-')));
  ws = path.join(base, 'ws');
  home = path.join(base, 'home');
  writeSkill(path.join(ws, '.agents/skills'), 'pdf-forms', 'Fill PDF forms with the bundled script.', 'Run `python scripts/fill.py FORM`. SKILL-BODY-MARKER');
  writeSkill(path.join(home, '.tandem/skills'), 'release-notes', 'Write release notes in the house style.', 'Group by feature.');
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

async function runSession(wireApi: 'responses' | 'chat', trusted: boolean, onSkills?: (s: SessionSkills) => void) {
  server.requests.length = 0;
  server.setScript([{ steps: [mock.call('exec_command', { cmd: 'cat .agents/skills/pdf-forms/SKILL.md' }, 'c1')] }, { steps: [mock.text('Read it.')] }]);
  const agent = await createAgentSession({
    sessionId: `skills-${wireApi}`,
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    wireApi,
    model: 'gpt-test',
    cwd: ws,
    workspaceRoots: [ws],
    approvalPolicy: () => 'full-access',
    runner: createProcessRunner(),
    files: new NodeFileReader(),
    handleChangeSet: async () => ({ outcome: 'discarded', message: 'no' }),
    loadProjectInstructions: trusted,
    userHome: home,
    ...(onSkills ? { onSkills } : {}),
  });
  const events = [];
  for await (const event of agent.submit({ type: 'user_turn', text: 'fill the tax form' })) events.push(event);
  agent.dispose();
  return events;
}

/** The system prompt of a recorded request, whichever API it went to. */
function systemPrompt(body: unknown): string {
  const b = body as { instructions?: string; messages?: { role: string; content: string }[] };
  return b.instructions ?? b.messages!.find((m) => m.role === 'system' || m.role === 'developer')!.content;
}

describe.each(['responses', 'chat'] as const)('skills in the prompt over %s', (wireApi) => {
  it('lists project and user skills by name, description and path, identically in every request', async () => {
    let reported: SessionSkills | undefined;
    const events = await runSession(wireApi, true, (s) => (reported = s));
    expect(events.at(-1)?.type).toBe('turn.completed');
    expect(server.requests).toHaveLength(2);
    const prompts = server.requests.map((r) => systemPrompt(r.body));
    expect(prompts[0]).toContain('# Skills');
    expect(prompts[0]).toContain('- pdf-forms: Fill PDF forms with the bundled script. (.agents/skills/pdf-forms/SKILL.md)');
    expect(prompts[0]).toContain('- release-notes: Write release notes in the house style. (~/.tandem/skills/release-notes/SKILL.md)');
    expect(prompts[0]).not.toContain('SKILL-BODY-MARKER'); // listed, not inlined: the model reads it when needed
    expect(prompts[1]).toBe(prompts[0]);
    // The model read the skill with its normal command, and the second request carries what it read.
    expect(JSON.stringify(server.requests[1]!.body)).toContain('SKILL-BODY-MARKER');
    expect(reported?.section).toEqual({ text: expect.any(String), listed: ['pdf-forms', 'release-notes'], omitted: [] });
    expect(reported?.discovery.skipped).toEqual([]);
  });

  it('does not list project skills when project instructions are off (untrusted), still the user skills', async () => {
    await runSession(wireApi, false);
    const prompt = systemPrompt(server.requests[0]!.body);
    expect(prompt).not.toContain('pdf-forms');
    expect(prompt).toContain('- release-notes: ');
  });
});
