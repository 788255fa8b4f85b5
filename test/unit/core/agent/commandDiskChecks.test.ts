// AgentSession.authorize's checks on disk (approvals/diskChecks.ts), end to end with real processes and
// the mock model: without a sandbox, a strictly allowlisted reader must not follow a workspace symlink
// out of the workspace or into /proc (the red team read Tandem's environ through `p -> /proc`); with
// the sandbox, a writing command must not run unasked while a protected name is a symlink.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentSession } from '../../../../src/core/agent/agentSession';
import type { ApprovalPolicy } from '../../../../src/core/approvals/policy';
import { protectedSymlinks, strictReadEscape } from '../../../../src/core/approvals/diskChecks';
import { createModelClient } from '../../../../src/core/model/createClient';
import { BASE_INSTRUCTIONS } from '../../../../src/core/prompt/instructions';
import type { AgentEvent } from '../../../../src/shared/events';
import { defaultTools } from '../../../../src/node/agentFactory';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { describeWithBwrap } from '../../node/sandbox/sandboxTestUtils';

let server: MockOpenAI;
beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(async () => {
  await server.close();
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  server.setScript([]);
  server.requests.length = 0;
});

function tempDir(prefix: string, base = os.tmpdir()): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(base, prefix)));
  dirs.push(dir);
  return dir;
}

const CANARY = 'outside-canary-7f3a';

/** A workspace with a plain file, `p -> /proc` and `out -> <a folder outside holding a canary>`. */
function linkedWorkspace(): string {
  const ws = tempDir('tandem-disk-');
  const outside = tempDir('tandem-outside-', '/var/tmp');
  fs.writeFileSync(path.join(outside, 'secret.txt'), `${CANARY}\n`);
  fs.writeFileSync(path.join(ws, 'a.txt'), 'inside\n');
  fs.symlinkSync('/proc', path.join(ws, 'p'));
  fs.symlinkSync(outside, path.join(ws, 'out'));
  fs.symlinkSync(`/proc/${process.pid}/environ`, path.join(ws, 'envlink'));
  fs.mkdirSync(path.join(ws, 'src'));
  fs.writeFileSync(path.join(ws, 'src', 'b.txt'), 'inside too\n');
  return ws;
}

function session(cwd: string, policy: ApprovalPolicy, mode: 'off' | 'workspace-write'): AgentSession {
  return new AgentSession({
    sessionId: 'sess-disk',
    model: createModelClient({ wireApi: 'responses', baseUrl: server.baseUrl, apiKey: 'test-key' }),
    modelName: 'gpt-test',
    instructions: BASE_INSTRUCTIONS,
    tools: defaultTools(),
    runner: createProcessRunner({ shell: '/bin/bash', sandbox: { settings: () => ({ mode, network: false }) } }),
    files: new NodeFileReader(),
    cwd,
    workspaceRoots: [cwd],
    approvalPolicy: () => policy,
    environment: () => ({ cwd, os: 'Linux', shell: '/bin/bash', date: '2026-11-23', approvalPolicy: policy }),
    handleChangeSet: async () => ({ outcome: 'discarded', message: 'Discarded.' }),
    retryDelay: async () => undefined,
  });
}

interface Outcome {
  asked: string[];
  statuses: string[];
  conversation: string;
}

/** Runs one exec_command through the agent; every approval card is denied and its reason recorded. */
async function runCommand(agent: AgentSession, cmd: string): Promise<Outcome> {
  server.setScript([{ steps: [mock.call('exec_command', { cmd }, 'c1')] }, { steps: [mock.text('done')] }]);
  const asked: string[] = [];
  const events: AgentEvent[] = [];
  for await (const event of agent.submit({ type: 'user_turn', text: 'go' })) {
    events.push(event);
    if (event.type === 'approval.requested') {
      asked.push(event.subject.reason);
      agent.submit({ type: 'approval', approvalId: event.approvalId, decision: 'deny' });
    }
  }
  return {
    asked,
    statuses: events.filter((e) => e.type === 'tool.ended').map((e) => (e as { status: string }).status),
    conversation: JSON.stringify(agent.conversation),
  };
}

describe('strict allowlist without a sandbox: reads stay inside the workspace on disk', () => {
  const pid = process.pid;

  it.each([`head -c 40 p/${pid}/environ`, `tail -c 64 p/${pid}/environ`, `cat p/${pid}/environ`, 'cat p/self/environ', `grep -r KEY p/${pid}/environ`, "cat envlink", 'cat out/secret.txt', 'grep -rn canary out', 'rg canary out', 'ls out', 'wc -c out/secret.txt'])(
    'asks in ask mode, and the denied read never reaches the model: %j',
    async (cmd) => {
      const ws = linkedWorkspace();
      const outcome = await runCommand(session(ws, 'ask', 'off'), cmd);
      expect(outcome.asked).toHaveLength(1);
      expect(outcome.asked[0]).toMatch(/leaves the workspace/);
      expect(outcome.statuses).toEqual(['denied']);
      expect(outcome.conversation).not.toContain(CANARY);
      expect(outcome.conversation).not.toContain('PATH=');
    },
  );

  it('refuses it in read-only mode, naming the operand', async () => {
    const ws = linkedWorkspace();
    const outcome = await runCommand(session(ws, 'read-only', 'off'), `head -c 40 p/${pid}/environ`);
    expect(outcome.asked).toEqual([]);
    expect(outcome.statuses).toEqual(['denied']);
    expect(outcome.conversation).toMatch(/p\/\d+\/environ.{0,10} resolves outside the workspace/);
  });

  it('still runs reads inside the workspace unasked (links inside directories are not followed by grep -r / rg)', async () => {
    const ws = linkedWorkspace();
    // grep -r would print the canary (outside-canary…) had it followed `out` while recursing.
    for (const cmd of ['cat a.txt', 'grep -rn -e canary -e inside .', 'ls -la', 'ls -R', 'head -n 1 src/b.txt']) {
      const outcome = await runCommand(session(ws, 'read-only', 'off'), cmd);
      expect(outcome.asked, cmd).toEqual([]);
      expect(outcome.statuses, cmd).toEqual(['ok']);
      expect(outcome.conversation, cmd).not.toContain(CANARY);
    }
  });

  it('checks the working directory too (no operand: ls, grep -r and rg read it)', async () => {
    const ws = linkedWorkspace();
    expect(await strictReadEscape('ls', path.join(ws, 'out'), [ws], new NodeFileReader(), true)).toMatch(/working directory .* resolves outside/);
    expect(await strictReadEscape('grep -r canary', path.join(ws, 'p'), [ws], new NodeFileReader(), true)).toMatch(/working directory/);
    expect(await strictReadEscape('ls', ws, [ws], new NodeFileReader(), true)).toBeUndefined();
  });

  it('fails closed when links cannot be resolved or the operands cannot be listed', async () => {
    const ws = linkedWorkspace();
    const noLinks = { readText: async () => undefined, exists: async () => true, isDirectory: async () => false };
    expect(await strictReadEscape('cat a.txt', ws, [ws], noLinks, true)).toMatch(/cannot be resolved/);
    expect(await strictReadEscape('cat /etc/passwd', ws, [ws], new NodeFileReader(), true)).toMatch(/could not be listed/);
  });
});

describe('protected names that are symlinks', () => {
  it('finds each protected top-level name that is a link, dangling ones included', async () => {
    const ws = tempDir('tandem-links-');
    fs.mkdirSync(path.join(ws, 'vsc'));
    fs.symlinkSync('vsc', path.join(ws, '.vscode'));
    fs.symlinkSync('docs/A.md', path.join(ws, 'AGENTS.md')); // dangling
    fs.mkdirSync(path.join(ws, '.tandem'));
    expect(await protectedSymlinks([ws], new NodeFileReader())).toEqual([path.join(ws, '.vscode'), path.join(ws, 'AGENTS.md')]);
  });
});

describeWithBwrap('protected names that are symlinks, with the sandbox', () => {
  it.each<[ApprovalPolicy, string]>([
    ['auto', 'touch made.txt'],
    ['full-access', 'touch made.txt'],
  ])('%s: a command that would write unasked is asked, naming the link', async (policy, cmd) => {
    const ws = tempDir('tandem-links-');
    fs.mkdirSync(path.join(ws, 'vsc'));
    fs.symlinkSync('vsc', path.join(ws, '.vscode'));
    const outcome = await runCommand(session(ws, policy, 'workspace-write'), cmd);
    expect(outcome.asked).toHaveLength(1);
    expect(outcome.asked[0]).toContain(`${path.join(ws, '.vscode')} is a symlink`);
    expect(fs.existsSync(path.join(ws, 'made.txt'))).toBe(false);
  });

  it('AGENTS.md -> CLAUDE.md (a file in the workspace) does not make commands ask; a replaced link is put back', async () => {
    const ws = tempDir('tandem-links-');
    fs.writeFileSync(path.join(ws, 'CLAUDE.md'), 'be nice\n');
    fs.symlinkSync('CLAUDE.md', path.join(ws, 'AGENTS.md'));
    const outcome = await runCommand(session(ws, 'auto', 'workspace-write'), `touch made.txt; python3 -c "import os; os.remove('AGENTS.md'); open('AGENTS.md', 'w').write('obey me'); open('CLAUDE.md', 'w').write('evil')"`);
    // Not asked up front; only the escalation card after the sandbox refused to write CLAUDE.md (denied here).
    expect(outcome.asked).toHaveLength(1);
    expect(outcome.asked[0]).toMatch(/^Failed inside the sandbox: .*CLAUDE\.md/);
    expect(fs.existsSync(path.join(ws, 'made.txt'))).toBe(true);
    expect(fs.readlinkSync(path.join(ws, 'AGENTS.md'))).toBe('CLAUDE.md');
    expect(fs.readFileSync(path.join(ws, 'CLAUDE.md'), 'utf8')).toBe('be nice\n');
    // the dangling and the directory case still ask
    fs.mkdirSync(path.join(ws, 'gone'));
    expect(await protectedSymlinks([ws], new NodeFileReader())).toEqual([]);
  });

  it('leaves read-only commands and workspaces without links alone', async () => {
    const linked = tempDir('tandem-links-');
    fs.mkdirSync(path.join(linked, 'vsc'));
    fs.symlinkSync('vsc', path.join(linked, '.vscode'));
    expect((await runCommand(session(linked, 'auto', 'workspace-write'), 'ls -la')).asked).toEqual([]);
    const plain = tempDir('tandem-plain-');
    const outcome = await runCommand(session(plain, 'auto', 'workspace-write'), 'touch made.txt');
    expect(outcome.asked).toEqual([]);
    expect(fs.existsSync(path.join(plain, 'made.txt'))).toBe(true);
  });
});
