// spawn_agent {"worktree": true} against the mock over real HTTP, in real git repositories: the option is
// offered only where git can make a worktree (and refused with a reason where it cannot); the child starts
// from what the user sees (uncommitted changes included), works and writes in its worktree only, and the
// main workspace stays untouched until the parent's change-set handler applies the ONE change set that
// comes back; then the worktree is gone. With bubblewrap, the child's commands cannot write the main
// workspace at all. Children answer by what their request holds; every wait is on an event.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../../src/core/agent/agentSession';
import type { ApprovalPolicy } from '../../../src/core/approvals/policy';
import type { ProcessRunner } from '../../../src/core/ports';
import type { ChangeSet } from '../../../src/core/patch/types';
import { createAgentSession } from '../../../src/node/agentFactory';
import { createProcessRunner } from '../../../src/node/createRunner';
import { writeChangeSetAtomically } from '../../../src/node/fsChangeSetWriter';
import { NodeFileReader } from '../../../src/node/nodeFileReader';
import { WorktreeManager } from '../../../src/node/worktrees/worktreeManager';
import type { AgentEvent, ApprovalSubject } from '../../../src/shared/events';
import { mock, startMockOpenAI, type MockOpenAI, type MockResponse } from '../../fixtures/mockOpenAI';
import { describeWithBwrap, tempDir } from './sandbox/sandboxTestUtils';
import { cleanupFolders, makeRepo, read, tempFolder, userGit, write } from './worktrees/gitFixture';

let server: MockOpenAI;
let answer: (body: string) => MockResponse = () => ({ steps: [mock.text('unscripted')] });
beforeAll(async () => {
  server = await startMockOpenAI({ respond: (body) => answer(JSON.stringify(body)) });
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  cleanupFolders();
  server.requests.length = 0;
});

const answered = (body: string) => body.includes('function_call_output');
const isParent = (body: string) => body.includes('PARENT TASK');

interface ParentRun {
  events: AgentEvent[];
  asked: ApprovalSubject[];
}

async function parentSession(cwd: string, policy: ApprovalPolicy, onChangeSet: (changeSet: ChangeSet) => Promise<void>, runner: ProcessRunner = createProcessRunner()): Promise<AgentSession> {
  return createAgentSession({
    sessionId: 'parent',
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    wireApi: 'responses',
    model: 'gpt-test',
    cwd,
    workspaceRoots: [cwd],
    approvalPolicy: () => policy,
    runner,
    files: new NodeFileReader(),
    loadProjectInstructions: false,
    userHome: cwd,
    // One manager per test: no background cleanup of another test's repository.
    subagents: { worktrees: new WorktreeManager() },
    handleChangeSet: async (changeSet) => {
      await onChangeSet(changeSet);
      await writeChangeSetAtomically(changeSet);
      return { outcome: 'applied', message: 'The user accepted the whole change.' };
    },
  });
}

/** Runs one parent turn; `approve` answers every approval card (a child's arrive as the parent's). */
async function runParent(session: AgentSession, approve: boolean | ((subject: ApprovalSubject) => boolean) = false): Promise<ParentRun> {
  const asked: ApprovalSubject[] = [];
  const reading = (async () => {
    for await (const { event } of session.events()) {
      if (event.type !== 'approval.requested') continue;
      asked.push(event.subject);
      const yes = typeof approve === 'function' ? approve(event.subject) : approve;
      session.submit({ type: 'approval', approvalId: event.approvalId, decision: yes ? 'approve' : 'deny' });
    }
  })();
  const events: AgentEvent[] = [];
  for await (const event of session.submit({ type: 'user_turn', text: 'PARENT TASK: delegate' })) events.push(event);
  session.dispose();
  await reading;
  return { events, asked };
}

type ToolSpecBody = { tools?: { name?: string; parameters?: { properties?: Record<string, unknown> } }[] };
const spawnSpec = (body: unknown) => (body as ToolSpecBody).tools?.find((t) => t.name === 'spawn_agent');
const outputOf = (callId: string) => {
  const body = JSON.stringify(server.requests.at(-1)!.body);
  const at = body.indexOf(`"call_id":"${callId}","output":`);
  return at < 0 ? '' : body.slice(at, at + 4000);
};

describe('spawn_agent with a worktree', () => {
  it('the child works in its worktree from what the user sees; the main workspace changes only when the parent applies the one change set', async () => {
    const { base, repo } = makeRepo({ 'app.txt': 'line one\nline two\n' });
    write(repo, 'app.txt', 'line one\nline two\nuncommitted user line\n');
    write(repo, 'notes.txt', 'untracked user notes\n');
    const patch = [
      '*** Begin Patch',
      '*** Update File: app.txt',
      '@@',
      ' line two',
      ' uncommitted user line',
      '+line added by the child',
      '*** Add File: child.txt',
      '+made by the child',
      '*** End Patch',
      '',
    ].join('\n');
    answer = (body) => {
      if (isParent(body)) return answered(body) ? { steps: [mock.text('Delegated and reviewed.')] } : { steps: [mock.call('spawn_agent', { task: 'child task: extend app.txt', worktree: true }, 'spawn-1')] };
      if (body.includes('line added by the child')) return { steps: [mock.text('child finished')] };
      if (answered(body)) return { steps: [mock.custom('apply_patch', patch, 'patch-1')] };
      return { steps: [mock.call('exec_command', { cmd: 'pwd' }, 'pwd-1')] };
    };
    const container = path.join(base, '.tandem-worktrees', 'repo');
    const atHandler: Record<string, unknown> = {};
    const session = await parentSession(repo, 'auto', async (changeSet) => {
      const [worktree] = fs.readdirSync(container).filter((n) => !n.startsWith('.'));
      atHandler.worktree = worktree;
      atHandler.childInWorktree = read(path.join(container, worktree!), 'child.txt');
      atHandler.mainApp = read(repo, 'app.txt');
      atHandler.mainHasChild = fs.existsSync(path.join(repo, 'child.txt'));
      atHandler.changes = changeSet.changes.map((c) => [path.relative(repo, c.path), c.kind]);
    });
    // The worktree option is in the schema: this is a git repository with a commit.
    const { events } = await runParent(session);
    expect(Object.keys(spawnSpec(server.requests[0]!.body)!.parameters!.properties!)).toEqual(['task', 'worktree']);

    // The child's cwd was its worktree, not the workspace.
    const childPwd = JSON.stringify(server.requests.find((r) => JSON.stringify(r.body).includes('"call_id":"pwd-1","output"'))!.body);
    expect(childPwd).toMatch(new RegExp(`${container.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/agent-1-[0-9a-f]{8}`));
    // When the parent's handler got the change set, the child's work was in the worktree only.
    expect(atHandler).toEqual({
      worktree: expect.stringMatching(/^agent-1-[0-9a-f]{8}$/),
      childInWorktree: 'made by the child\n',
      mainApp: 'line one\nline two\nuncommitted user line\n',
      mainHasChild: false,
      // One change set, only what the child did: the copied-in notes.txt and the user's line are baseline.
      changes: [
        ['app.txt', 'update'],
        ['child.txt', 'add'],
      ],
    });
    // Applied by the parent's handler, on top of the user's uncommitted work.
    expect(read(repo, 'app.txt')).toBe('line one\nline two\nuncommitted user line\nline added by the child\n');
    expect(read(repo, 'child.txt')).toBe('made by the child\n');
    expect(read(repo, 'notes.txt')).toBe('untracked user notes\n');
    // Reviewed as the parent's, on the sub-agent card; the parent model hears the outcome.
    expect(events.filter((e) => e.type === 'patch.proposed')).toEqual([expect.objectContaining({ callId: 'spawn-1', files: [expect.objectContaining({ path: 'app.txt', kind: 'update' }), expect.objectContaining({ path: 'child.txt', kind: 'add' })] })]);
    expect(events.find((e) => e.type === 'patch.resolved')).toMatchObject({ outcome: 'applied' });
    expect(outputOf('spawn-1')).toContain('child finished\\n\\n[Worktree] Its changes to 2 files were proposed as one change set. The user accepted the whole change.');
    // The worktree is gone, and git forgot it.
    expect(fs.readdirSync(container)).toEqual([]);
    expect(userGit(repo, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });

  it('two children in worktrees at once: each works in its own, each result comes back as its own change set', async () => {
    const { base, repo } = makeRepo({ 'shared.txt': 'shared\n' });
    answer = (body) => {
      if (isParent(body)) {
        return answered(body)
          ? { steps: [mock.text('both done')] }
          : { steps: [mock.call('spawn_agent', { task: 'child task alpha', worktree: true }, 'spawn-a'), mock.call('spawn_agent', { task: 'child task beta', worktree: true }, 'spawn-b')] };
      }
      const name = body.includes('child task alpha') ? 'alpha' : 'beta';
      if (body.includes('custom_tool_call_output')) return { steps: [mock.text(`${name} finished`)] };
      return { steps: [mock.custom('apply_patch', `*** Begin Patch\n*** Add File: ${name}.txt\n+${name}\n*** End Patch\n`, `patch-${name}`)] };
    };
    const worktreesAtHandler: string[][] = [];
    const container = path.join(base, '.tandem-worktrees', 'repo');
    const changeSets: ChangeSet[] = [];
    await runParent(
      await parentSession(repo, 'auto', async (changeSet) => {
        changeSets.push(changeSet);
        worktreesAtHandler.push(fs.readdirSync(container).filter((n) => !n.startsWith('.')));
      }),
    );
    expect(outputOf('spawn-a')).toContain('alpha finished');
    expect(changeSets.map((c) => c.changes.map((f) => path.relative(repo, f.path))).sort()).toEqual([['alpha.txt'], ['beta.txt']]);
    // Each child had its own worktree (the first result arrives while both exist, or after one is gone).
    expect(new Set(worktreesAtHandler.flat()).size).toBe(2);
    expect(read(repo, 'alpha.txt')).toBe('alpha\n');
    expect(read(repo, 'beta.txt')).toBe('beta\n');
    expect(fs.readdirSync(container)).toEqual([]);
  });

  it('without git the option is not offered, and asking for it anyway is refused with the reason, no child started', async () => {
    const cwd = tempFolder();
    answer = (body) => {
      if (isParent(body)) return answered(body) ? { steps: [mock.text('ok')] } : { steps: [mock.call('spawn_agent', { task: 'child task', worktree: true }, 'spawn-1')] };
      return { steps: [mock.text('a child ran')] };
    };
    const changeSets: ChangeSet[] = [];
    const { events } = await runParent(await parentSession(cwd, 'auto', async (c) => void changeSets.push(c)));
    expect(Object.keys(spawnSpec(server.requests[0]!.body)!.parameters!.properties!)).toEqual(['task']);
    expect(outputOf('spawn-1')).toContain('\\"worktree\\" is not available here: the workspace is not a git repository (worktrees need git).');
    expect(server.requests.filter((r) => !isParent(JSON.stringify(r.body)))).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(changeSets).toEqual([]);
  });

  it('a child that fails leaves nothing: no change set, the worktree removed', async () => {
    const { base, repo } = makeRepo({ 'a.txt': 'a\n' });
    answer = (body) => {
      if (isParent(body)) return answered(body) ? { steps: [mock.text('ok')] } : { steps: [mock.call('spawn_agent', { task: 'child task', worktree: true }, 'spawn-1')] };
      if (answered(body)) return mock.error(401, { code: 'invalid_api_key', message: 'Incorrect API key provided.' });
      return { steps: [mock.custom('apply_patch', '*** Begin Patch\n*** Add File: half.txt\n+half done\n*** End Patch\n', 'patch-1')] };
    };
    const changeSets: ChangeSet[] = [];
    await runParent(await parentSession(repo, 'auto', async (c) => void changeSets.push(c)));
    expect(changeSets).toEqual([]);
    expect(fs.existsSync(path.join(repo, 'half.txt'))).toBe(false);
    expect(fs.readdirSync(path.join(base, '.tandem-worktrees', 'repo'))).toEqual([]);
    expect(outputOf('spawn-1')).toContain('nothing it changed in its worktree was kept');
  });
});

describeWithBwrap('spawn_agent with a worktree, sandboxed', () => {
  it("confines the child's commands to its worktree: a write to the main workspace fails, one in the worktree comes back for review", async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const escape = path.join(repo, 'escape.txt');
    answer = (body) => {
      if (isParent(body)) return answered(body) ? { steps: [mock.text('ok')] } : { steps: [mock.call('spawn_agent', { task: 'child task', worktree: true }, 'spawn-1')] };
      if (answered(body)) return { steps: [mock.text('child done')] };
      return { steps: [mock.call('exec_command', { cmd: `echo inside > inside.txt; echo escaped > ${escape}` }, 'cmd-1')] };
    };
    const changeSets: ChangeSet[] = [];
    const runner = createProcessRunner({ sandbox: { settings: () => ({ mode: 'workspace-write', network: false }) } });
    // The command writes outside the child's workspace (its worktree), so it is asked; even approved, it
    // runs with the worktree as the only writable root. Its failed write is then offered to run outside the
    // sandbox, which the user declines.
    const runOutside = (subject: ApprovalSubject) => subject.kind === 'command' && /Failed inside the sandbox/.test(subject.reason ?? '');
    const { events, asked } = await runParent(await parentSession(repo, 'auto', async (c) => void changeSets.push(c), runner), (subject) => !runOutside(subject));
    expect(asked[0]).toMatchObject({ kind: 'command', command: `echo inside > inside.txt; echo escaped > ${escape}` });
    expect(asked.slice(1).every(runOutside)).toBe(true);
    expect(fs.existsSync(escape)).toBe(false);
    const childSaw = JSON.stringify(server.requests.find((r) => JSON.stringify(r.body).includes('"call_id":"cmd-1","output"'))!.body);
    // Outside its writable roots the main workspace is read-only.
    expect(childSaw).toMatch(/Process exited with code 1\\nOutput:\\n[^"]*escape\.txt: (Read-only file system|No such file or directory)/);
    expect(changeSets.map((c) => c.changes.map((f) => [f.path, f.kind, f.newText]))).toEqual([[[path.join(repo, 'inside.txt'), 'add', 'inside\n']]]);
    expect(read(repo, 'inside.txt')).toBe('inside\n');
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
  });

  it('in full access, the child cannot write the repository its worktree came from: no hook, no config, no file (red-team P10)', async () => {
    // Under /var/tmp: full access keeps the real /tmp, but the fixture should stand for a real checkout.
    const { repo } = makeRepo({ 'a.txt': 'a\n' }, tempDir('tandem-subagent-p10-', true));
    const hook = path.join(repo, '.git', 'hooks', 'post-checkout');
    const config = read(repo, '.git/config');
    const cmd = `echo touch /var/tmp/pwned > ${hook}; echo "[alias] st = !touch /var/tmp/pwned" >> ${path.join(repo, '.git', 'config')}; echo changed > ${path.join(repo, 'a.txt')}; echo inside > inside.txt`;
    answer = (body) => {
      if (isParent(body)) return answered(body) ? { steps: [mock.text('ok')] } : { steps: [mock.call('spawn_agent', { task: 'child task', worktree: true }, 'spawn-1')] };
      if (answered(body)) return { steps: [mock.text('child done')] };
      return { steps: [mock.call('exec_command', { cmd }, 'cmd-1')] };
    };
    const changeSets: ChangeSet[] = [];
    const runner = createProcessRunner({ sandbox: { settings: () => ({ mode: 'workspace-write', network: false }) } });
    const { events } = await runParent(await parentSession(repo, 'full-access', async (c) => void changeSets.push(c), runner), true);
    expect(fs.existsSync(hook)).toBe(false);
    expect(read(repo, '.git/config')).toBe(config);
    expect(changeSets.map((c) => c.changes.map((f) => [path.relative(repo, f.path), f.kind]))).toEqual([[['inside.txt', 'add']]]);
    expect(read(repo, 'a.txt')).toBe('a\n');
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
  });
});
