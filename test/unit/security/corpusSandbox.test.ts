// The adversarial corpus as real processes under the read-only, no-network sandbox profile (real
// bubblewrap): whatever the classifier would have said, nothing may change in the workspace, outside it
// or in $HOME, no connection may reach the local listener, and the marker program (named by the
// malicious repository's config and by many commands) must leave no trace. A control run without the
// sandbox shows the same fixture and commands really do write, run the marker and connect.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProcessRunner, RunningProcess, SpawnOptions } from '../../../src/core/ports';
import { createProcessRunner } from '../../../src/node/createRunner';
import { describeWithBwrap, tempDir } from '../node/sandbox/sandboxTestUtils';
import { parseShell } from '../../../src/core/approvals/shellParse';
import { isStrictlyAllowlisted } from '../../../src/core/approvals/strictAllowlist';
import { ADVERSARIAL, BENIGN, ENFORCED_ONLY, type CorpusEntry } from './adversarialCorpus';
import { buildTemplate, changes, instantiate, snapshot, TRACE, type Places } from './corpusFixture';

/** Commands that wait (a pager, `watch`, a listener) are stopped here; the checks apply all the same. */
const STOP_AFTER_MS = 3_000;
const PARALLEL = 6;

interface Outcome {
  entry: CorpusEntry;
  places: Places;
  output: string;
  problems: string[];
  stopped: boolean;
}

async function listen(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, connections: () => count };
}

/** Runs `command` to its end (or stops it), with stdin closed so readers of the terminal see EOF. */
function runOnce(runner: ProcessRunner, options: SpawnOptions): Promise<{ output: string; stopped: boolean }> {
  let proc: RunningProcess;
  try {
    proc = runner.spawn(options);
  } catch (error) {
    // e.g. a NUL byte cannot be passed to a process at all: nothing ran
    return Promise.resolve({ output: `spawn refused: ${String(error)}`, stopped: false });
  }
  let text = '';
  let stopped = false;
  proc.onOutput((chunk) => (text += chunk));
  proc.write('\u0004');
  const stop = setTimeout(() => {
    stopped = true;
    proc.kill();
  }, STOP_AFTER_MS);
  return proc.exited.then(() => {
    clearTimeout(stop);
    return { output: text, stopped };
  });
}

/** Commands that can reach a repository get the full fixture; the rest a light one (fewer files to copy). */
const needsRepository = (command: string) => /\b(git|cd|pushd)\b|GIT_/.test(command);

/**
 * Runs `entries` on PARALLEL workers. Each worker keeps one workspace per fixture kind and reuses it
 * while it stays byte-identical (checked after every command); a command that changed anything is
 * reported and its worker gets a fresh copy.
 */
async function runCorpus(runner: ProcessRunner, entries: CorpusEntry[], templates: { full: string; light: string }, port: number, home: string, confined: boolean): Promise<Outcome[]> {
  const parent = tempDir('tandem-corpus-runs-', true);
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async () => {
    const ready = new Map<string, { places: Places; baseline: { ws: Map<string, string>; out: Map<string, string> } }>();
    const workspaceFor = (template: string) => {
      const existing = ready.get(template);
      if (existing) return existing;
      const root = mkdtempSync(join(parent, 'run-'));
      const places: Places = { ws: join(root, 'ws'), out: join(root, 'out'), home, port };
      instantiate(template, places);
      const fresh = { places, baseline: { ws: snapshot(places.ws), out: snapshot(places.out) } };
      ready.set(template, fresh);
      return fresh;
    };
    while (next < entries.length) {
      const entry = entries[next++] as CorpusEntry;
      const template = needsRepository(entry.command) ? templates.full : templates.light;
      const { places, baseline } = workspaceFor(template);
      const command = entry.command.replaceAll('@OUT@', places.out).replaceAll('@PORT@', String(port));
      const options = { command, cwd: places.ws, workspaceRoots: [places.ws], env: { HOME: home }, ...(confined ? { confinement: 'read-only' } : {}) } as SpawnOptions;
      const { output, stopped } = await runOnce(runner, options);
      const problems = [...changes(baseline.ws, snapshot(places.ws)).map((c) => `workspace: ${c}`), ...changes(baseline.out, snapshot(places.out)).map((c) => `outside: ${c}`)];
      if (existsSync(join(home, TRACE))) problems.push('home: marker trace');
      const canaries = [readFileSync(join(places.ws, 'canary.txt'), 'utf8'), readFileSync(join(places.out, 'canary.txt'), 'utf8')];
      if (canaries.join('') !== 'CANARY\nOUTSIDE CANARY\n') problems.push('a canary changed');
      outcomes.push({ entry, places, output, problems, stopped });
      if (problems.length > 0) {
        rmSync(join(places.ws, '..'), { recursive: true, force: true });
        ready.delete(template);
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return outcomes;
}

describeWithBwrap('adversarial corpus under the read-only sandbox profile', () => {
  const templates = { full: tempDir('tandem-corpus-full-', true), light: tempDir('tandem-corpus-light-', true) };
  const home = tempDir('tandem-corpus-home-', true);
  let listener: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    buildTemplate(templates.full, true);
    buildTemplate(templates.light, false);
    listener = await listen();
  });
  afterAll(() => listener.server.close());

  const sandboxed = createProcessRunner({
    shell: '/bin/bash',
    sandbox: { settings: () => ({ mode: 'read-only', network: false }), approvalPolicy: () => 'read-only', homeDir: home },
  });

  it('control: without the sandbox the same fixture is really hostile (writes, marker, connection)', async () => {
    const plainHome = tempDir('tandem-corpus-plain-home-', true);
    const plain = createProcessRunner({ shell: '/bin/bash' });
    const control = await listen();
    try {
      const entries: CorpusEntry[] = [
        { cls: 'output-and-helpers', tries: 'write', command: 'sort -o pwned canary.txt' },
        { cls: 'misc', tries: 'run', command: './evil.sh' },
        { cls: 'git-config', tries: 'run', command: 'git status' },
        { cls: 'git-config', tries: 'run', command: 'git -C vendor/bare.git log -1' },
        { cls: 'git-config', tries: 'run', command: 'git diff' },
      ];
      const outcomes = await runCorpus(plain, entries, templates, control.port, plainHome, false);
      for (const outcome of outcomes) {
        expect(outcome.problems.length, `${outcome.entry.command} should have changed something unsandboxed`).toBeGreaterThan(0);
      }
      expect(outcomes.find((o) => o.entry.command === 'git status')?.problems).toContain(`workspace: created ${TRACE}`);
      expect(control.connections()).toBeGreaterThan(0);
    } finally {
      control.server.close();
    }
  });

  it(`runs ${ADVERSARIAL.length + ENFORCED_ONLY.length} commands: nothing written, no connection, no marker trace`, async () => {
    expect(sandboxed.sandboxStatus?.()).toMatchObject({ state: 'enforced', mode: 'read-only', network: false });
    const outcomes = await runCorpus(sandboxed, [...ADVERSARIAL, ...ENFORCED_ONLY], templates, listener.port, home, true);
    expect(outcomes).toHaveLength(ADVERSARIAL.length + ENFORCED_ONLY.length);
    const failures = outcomes.filter((o) => o.problems.length > 0).map((o) => `[${o.entry.cls}] ${JSON.stringify(o.entry.command)}: ${o.problems.join(', ')}`);
    expect(failures).toEqual([]);
    expect(listener.connections()).toBe(0);
    expect(existsSync(join(home, TRACE))).toBe(false);
    const stopped = outcomes.filter((o) => o.stopped).map((o) => o.entry.command);
    console.info(`[corpus] ran ${outcomes.length} under read-only/no-network; ${stopped.length} were still waiting and stopped: ${JSON.stringify(stopped)}`);
  }, 300_000);
});

// Without any sandbox (Windows, no bwrap, `sandbox.mode: off`) the strict allowlist runs unasked and
// unconfined, with only the git overrides. The red team's `git status` ran the malicious repository's
// filter driver there. Every strictly allowlisted command of the corpora, run for real in the malicious
// repository, must leave no trace; the control shows `git status` does leave one under the same overrides.
describeWithBwrap('strict allowlist without a sandbox, in the malicious repository', () => {
  const templates = { full: tempDir('tandem-strict-full-', true), light: tempDir('tandem-strict-light-', true) };
  const home = tempDir('tandem-strict-home-', true);
  let listener: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    buildTemplate(templates.full, true);
    buildTemplate(templates.light, false);
    listener = await listen();
  });
  afterAll(() => listener.server.close());
  const off = createProcessRunner({ shell: '/bin/bash', sandbox: { settings: () => ({ mode: 'off', network: false }), homeDir: home } });
  const strict = [...ENFORCED_ONLY, ...ADVERSARIAL, ...BENIGN.map((command): CorpusEntry => ({ cls: 'misc', tries: 'run', command }))].filter((entry) =>
    isStrictlyAllowlisted(parseShell(entry.command.replaceAll('@OUT@', '/x').replaceAll('@PORT@', '1')), { gitEnvironmentApplied: true }),
  );

  it('control: git status under the same git overrides runs the filter driver (why it left the list)', async () => {
    const controlHome = tempDir('tandem-strict-control-home-', true); // the marker writes into $HOME too
    const controlRunner = createProcessRunner({ shell: '/bin/bash', sandbox: { settings: () => ({ mode: 'off', network: false }), homeDir: controlHome } });
    const control = await listen(); // and connects to its port
    try {
      const [outcome] = await runCorpus(controlRunner, [{ cls: 'git-config', tries: 'run', command: 'git status' }], templates, control.port, controlHome, true);
      expect(outcome?.problems).toContain(`workspace: created ${TRACE}`);
    } finally {
      control.server.close();
    }
  });

  it('runs every strictly allowlisted command unconfined: nothing written, no connection, no marker trace', async () => {
    expect(off.sandboxStatus?.()).toMatchObject({ state: 'off' });
    expect(strict.length).toBeGreaterThanOrEqual(30);
    const outcomes = await runCorpus(off, strict, templates, listener.port, home, true);
    const failures = outcomes.filter((o) => o.problems.length > 0).map((o) => `${JSON.stringify(o.entry.command)}: ${o.problems.join(', ')}`);
    expect(failures).toEqual([]);
    expect(listener.connections()).toBe(0);
    console.info(`[corpus] strict allowlist, unconfined: ${outcomes.length} commands, no trace`);
  }, 120_000);
});
