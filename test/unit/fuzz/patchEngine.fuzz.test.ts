// Fuzzes the apply_patch parser and engine (computeChangeSet) and the node writer
// (writeChangeSetAtomically) with generated and mutated patches (see patchFuzzKit.ts):
//   1. in memory, in a worker thread watched for hangs: every input ends in a consistent change set or
//      a PatchParseError / PatchApplyError with a readable, bounded message, within a time bound; valid
//      generated patches (many quoting the file loosely) produce exactly the files the oracle computed,
//      and whatever applies changes no line but those its '-' lines stand for (faithfulnessProblem);
//   2. on disk, in a fresh temp sandbox per input, through NodeFileReader and the real writer, with
//      injected file-system faults and concurrent edits: the writer only ever touches the sandbox, a
//      successful write changes exactly the change set's files, a failed one leaves every file and
//      directory byte-identical (no temp or backup files left behind).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidePatch } from '../../../src/core/approvals/policy';
import type { ChangeSet } from '../../../src/core/patch/types';
import { ChangeSetWriteError, writeChangeSetAtomically, type WriterFileSystem } from '../../../src/node/fsChangeSetWriter';
import { NodeFileReader } from '../../../src/node/nodeFileReader';
import { inputAt, runInput, type PatchInput, type Scenario, type Workspace } from './patchFuzzKit';
import type { WorkerJob, WorkerResult } from './patchFuzzWorker';
import { FUZZ_SEED, Random } from './random';

const MEMORY_INPUTS = Number(process.env.FUZZ_PATCH_MEMORY ?? 100_000);
const DISK_INPUTS = Number(process.env.FUZZ_PATCH_DISK ?? 3_000);
const UNMUTATED_SHARE = 0.15;
/** Bound for one input in memory (the largest mutated patches are a few megabytes). */
const MAX_MS_PER_INPUT = 2_000;
/** The worker's input index must move at least this often, or the input is hanging. */
const HANG_MS = 15_000;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCENARIOS_DIR = path.join(HERE, '../../fixtures/apply-patch/scenarios');
const REPRO_DIR = path.join(HERE, '../../../test-results/fuzz');

function loadScenarios(): Scenario[] {
  return fs
    .readdirSync(SCENARIOS_DIR)
    .filter((name) => fs.statSync(path.join(SCENARIOS_DIR, name)).isDirectory())
    .sort()
    .map((name) => {
      const files: Record<string, string> = {};
      const input = path.join(SCENARIOS_DIR, name, 'input');
      const walk = (dir: string, prefix: string) => {
        if (!fs.existsSync(dir)) return;
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
          if (entry.isDirectory()) walk(path.join(dir, entry.name), rel);
          else files[rel] = fs.readFileSync(path.join(dir, entry.name), 'utf8');
        }
      };
      walk(input, '');
      return { name, patch: fs.readFileSync(path.join(SCENARIOS_DIR, name, 'patch.txt'), 'utf8'), files };
    });
}

/** Writes a failing input where a developer can replay it; returns the file. */
function saveRepro(label: string, input: PatchInput): string {
  fs.mkdirSync(REPRO_DIR, { recursive: true });
  const file = path.join(REPRO_DIR, `${label}.json`);
  const workspace = Object.fromEntries([...input.workspace].map(([k, v]) => [k, typeof v === 'string' ? v : { bytes: [...v] }]));
  fs.writeFileSync(file, JSON.stringify({ seed: FUZZ_SEED, origin: input.origin, mutations: input.mutations, patch: input.patch, workspace }, null, 1));
  return file;
}

const summary: Record<string, unknown>[] = [];
let scenarios: Scenario[];
beforeAll(() => {
  scenarios = loadScenarios();
});
afterAll(() => {
  const total = summary.reduce((sum, row) => sum + Number(row.inputs), 0);
  console.log(`apply_patch fuzz (seed ${FUZZ_SEED}): ${total} inputs`);
  console.table(summary);
});

/** Runs inputs [start, start + count) in a worker thread; fails with the input when one hangs. */
function runWorker(code: string, start: number, count: number): Promise<WorkerResult> {
  const progress = new SharedArrayBuffer(4);
  const job: WorkerJob = { seed: FUZZ_SEED, start, count, scenarios, unmutatedShare: UNMUTATED_SHARE, maxMsPerInput: MAX_MS_PER_INPUT, progress };
  const worker = new Worker(code, { eval: true, workerData: job });
  return new Promise<WorkerResult>((resolve, reject) => {
    const index = new Int32Array(progress);
    let last = -1;
    let lastMove = Date.now();
    const watchdog = setInterval(() => {
      const now = Atomics.load(index, 0);
      if (now !== last) {
        last = now;
        lastMove = Date.now();
      } else if (Date.now() - lastMove > HANG_MS) {
        clearInterval(watchdog);
        void worker.terminate();
        const input = inputAt(new Random(FUZZ_SEED).fork('patch-memory').fork(now), scenarios, UNMUTATED_SHARE);
        reject(new Error(`input #${now} (${input.origin}, ${input.mutations.join(',')}) ran for over ${HANG_MS} ms; saved to ${saveRepro(`patch-hang-${now}`, input)}`));
      }
    }, 250);
    worker.once('message', (message: WorkerResult) => {
      clearInterval(watchdog);
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', (error) => {
      clearInterval(watchdog);
      reject(error);
    });
  });
}

describe('apply_patch fuzz: parser and engine in memory', () => {
  it(`${MEMORY_INPUTS} generated and mutated patches: clean errors or consistent change sets, bounded time`, async () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(23);
    const bundle = await build({ entryPoints: [path.join(HERE, 'patchFuzzWorker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node22', write: false, logLevel: 'silent' });
    const started = performance.now();
    // Two threads (the suite's budget is two cores), each on its own half of the input indices.
    const half = Math.ceil(MEMORY_INPUTS / 2);
    const parts = await Promise.all([0, 1].map((part) => runWorker(bundle.outputFiles[0]!.text, part * half, Math.min(half, MEMORY_INPUTS - part * half))));
    const result: WorkerResult = {
      inputs: parts.reduce((n, p) => n + p.inputs, 0),
      unmutatedChecked: parts.reduce((n, p) => n + p.unmutatedChecked, 0),
      faithfulChecked: parts.reduce((n, p) => n + p.faithfulChecked, 0),
      outcomes: {},
      maxMs: Math.max(...parts.map((p) => p.maxMs)),
      maxMsInput: parts.reduce((best, p) => (p.maxMs >= best.maxMs ? p : best)).maxMsInput,
      totalMs: parts.reduce((n, p) => n + p.totalMs, 0),
      problems: parts.flatMap((p) => p.problems),
    };
    for (const part of parts) for (const [key, n] of Object.entries(part.outcomes)) result.outcomes[key] = (result.outcomes[key] ?? 0) + n;
    const seconds = (performance.now() - started) / 1000;
    summary.push({
      suite: 'memory (computeChangeSet)',
      inputs: result.inputs,
      'oracle-checked': result.unmutatedChecked,
      'faithful files': result.faithfulChecked,
      seconds: seconds.toFixed(1),
      'max ms': `${result.maxMs.toFixed(1)} (#${result.maxMsInput})`,
      outcomes: Object.entries(result.outcomes)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    });
    for (const p of result.problems.slice(0, 3)) {
      saveRepro(`patch-memory-${p.index}`, inputAt(new Random(FUZZ_SEED).fork('patch-memory').fork(p.index), scenarios, UNMUTATED_SHARE));
    }
    expect(result.problems.map((p) => `#${p.index} ${p.origin} [${p.mutations.join(',')}]: ${p.problem}`)).toEqual([]);
    expect(result.inputs).toBe(MEMORY_INPUTS);
    // Every kind of outcome is reached, or the mutations are not exercising the engine.
    expect(result.outcomes.applied).toBeGreaterThan(MEMORY_INPUTS * 0.1);
    expect(result.outcomes.PatchParseError).toBeGreaterThan(MEMORY_INPUTS * 0.1);
    expect(result.outcomes.PatchApplyError).toBeGreaterThan(MEMORY_INPUTS * 0.05);
    expect(result.unmutatedChecked).toBeGreaterThan(MEMORY_INPUTS * UNMUTATED_SHARE * 0.5);
    expect(result.faithfulChecked).toBeGreaterThan((result.outcomes.applied ?? 0) * 0.5);
  }, 240_000);
});

// ---- on disk ---------------------------------------------------------------------------------------------

type Snapshot = Map<string, string>;

/** Every entry under `root`: directories as 'dir', symlinks as their target, files as a hash of their bytes. */
function snapshot(root: string): Snapshot {
  const out: Snapshot = new Map();
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) out.set(rel, `link:${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) {
        out.set(rel, 'dir');
        walk(full, rel);
      } else out.set(rel, hash(fs.readFileSync(full)));
    }
  };
  walk(root, '');
  return out;
}

const hash = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

function diffSnapshots(actual: Snapshot, expected: Snapshot): string | undefined {
  const problems: string[] = [];
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    if (actual.get(key) !== expected.get(key)) problems.push(`${key}: ${actual.get(key)?.slice(0, 12) ?? 'missing'} (expected ${expected.get(key)?.slice(0, 12) ?? 'missing'})`);
  }
  return problems.length ? problems.slice(0, 5).join('; ') : undefined;
}

/** Is `target` inside `root`, both lexically and after resolving the symlinks of its existing ancestors? */
function inside(root: string, target: string): boolean {
  const resolved = path.resolve(target);
  if (resolved !== root && !resolved.startsWith(`${root}/`)) return false;
  let existing = resolved;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  const real = fs.realpathSync(existing);
  return real === root || real.startsWith(`${root}/`);
}

interface FaultPlan {
  /** The n-th mutating call fails (1-based); 0: none. */
  failAt: number;
  calls: number;
  injected?: string;
  violations: string[];
}

/**
 * The writer's file system: the real one, confined to `root` (a mutating call elsewhere is refused and
 * recorded, so a writer bug cannot damage the machine running the fuzz), failing once on schedule.
 */
function jailedFs(root: string, plan: FaultPlan): WriterFileSystem {
  const guard = (op: string, ...paths: unknown[]) => {
    for (const p of paths) {
      if (typeof p !== 'string' || !inside(root, p)) {
        plan.violations.push(`${op} ${String(p)}`);
        throw Object.assign(new Error(`fuzz jail: ${op} outside the sandbox: ${String(p)}`), { code: 'EPERM' });
      }
    }
    plan.calls++;
    if (plan.calls === plan.failAt) {
      plan.injected = `${op} ${paths.map((p) => path.basename(String(p))).join(' ')}`;
      throw Object.assign(new Error(`EIO: injected i/o error, ${op}`), { code: 'EIO' });
    }
  };
  const wrap =
    <A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>, pathArgs: number) =>
    async (...args: A): Promise<R> => {
      guard(op, ...args.slice(0, pathArgs));
      return fn(...args);
    };
  return {
    readFile: nodeFs.readFile,
    lstat: nodeFs.lstat,
    stat: nodeFs.stat,
    writeFile: wrap('writeFile', nodeFs.writeFile, 1),
    rename: wrap('rename', nodeFs.rename, 2),
    link: wrap('link', nodeFs.link, 2),
    copyFile: wrap('copyFile', nodeFs.copyFile, 2),
    unlink: wrap('unlink', nodeFs.unlink, 1),
    mkdir: wrap('mkdir', nodeFs.mkdir, 1),
    rmdir: wrap('rmdir', nodeFs.rmdir, 1),
    chmod: wrap('chmod', nodeFs.chmod, 1),
  } as WriterFileSystem;
}

function writeWorkspace(dir: string, workspace: Workspace): void {
  for (const [rel, content] of workspace) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
}

/** The sandbox snapshot a successful write must produce. */
function expectedAfter(before: Snapshot, changeSet: ChangeSet, sandbox: string): Snapshot {
  const out = new Map(before);
  const rel = (p: string) => path.relative(sandbox, p).split(path.sep).join('/');
  const addParents = (p: string) => {
    for (let dir = path.posix.dirname(p); dir !== '.' && dir !== ''; dir = path.posix.dirname(dir)) if (!out.has(dir)) out.set(dir, 'dir');
  };
  for (const change of changeSet.changes) {
    const from = rel(change.path);
    if (change.kind === 'delete') out.delete(from);
    else if (change.movePath !== undefined && change.movePath !== change.path) {
      out.delete(from);
      out.set(rel(change.movePath), hash(Buffer.from(change.newText ?? '', 'utf8')));
      addParents(rel(change.movePath));
    } else {
      out.set(from, hash(Buffer.from(change.newText ?? '', 'utf8')));
      addParents(from);
    }
  }
  return out;
}

describe('apply_patch fuzz: engine and atomic writer on disk', () => {
  let root: string;
  beforeAll(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-patch-fuzz-')));
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`${DISK_INPUTS} patches through NodeFileReader and writeChangeSetAtomically, with injected faults`, async () => {
    const rng = new Random(FUZZ_SEED).fork('patch-disk');
    const reader = new NodeFileReader();
    const tally: Record<string, number> = {};
    const count = (key: string) => (tally[key] = (tally[key] ?? 0) + 1);
    const problems: string[] = [];
    const started = performance.now();
    let maxMs = 0;
    for (let index = 0; index < DISK_INPUTS && problems.length < 10; index++) {
      const caseRng = rng.fork(index);
      const input = inputAt(caseRng, scenarios, UNMUTATED_SHARE);
      const sandbox = fs.mkdtempSync(path.join(root, 'case-'));
      const ws = path.join(sandbox, 'ws');
      fs.mkdirSync(ws);
      fs.mkdirSync(path.join(sandbox, 'outside'));
      fs.writeFileSync(path.join(sandbox, 'outside', 'canary.txt'), 'must never change\n');
      writeWorkspace(ws, input.workspace);
      const fail = (problem: string) => problems.push(`#${index} ${input.origin} [${input.mutations.join(',')}]: ${problem} (saved to ${saveRepro(`patch-disk-${index}`, input)})`);
      const inputStarted = performance.now();
      try {
        const { outcome, problem } = await runInput(input, ws, reader, input.workspace);
        if (problem) {
          fail(problem);
          continue;
        }
        if (outcome!.kind === 'rejected') {
          count(`rejected: ${outcome!.error.name}`);
          continue;
        }
        const changeSet = outcome!.changeSet;
        const targets = changeSet.changes.flatMap((c) => (c.movePath !== undefined ? [c.path, c.movePath] : [c.path]));
        // The policy must see every target outside the workspace, or auto mode would write there unasked.
        const outsideWorkspace = targets.filter((t) => !inside(ws, t));
        if (outsideWorkspace.length > 0 && decidePatch('auto', targets, { workspaceRoots: [ws] }).verdict === 'allow') {
          fail(`auto mode allows writing outside the workspace: ${outsideWorkspace.join(', ')}`);
          continue;
        }
        if (!targets.every((t) => inside(sandbox, t))) {
          // e.g. /etc/passwd: a real write would leave the temp dir; the policy asks the user first.
          count('applied, targets outside the temp dir (not written)');
          continue;
        }
        const concurrent = caseRng.chance(0.1);
        if (concurrent) {
          const victim = changeSet.changes[0]!;
          fs.mkdirSync(path.dirname(victim.path), { recursive: true });
          fs.writeFileSync(victim.path, 'edited by someone else meanwhile\n');
        }
        const plan: FaultPlan = { failAt: !concurrent && caseRng.chance(0.4) ? caseRng.int(1, 10) : 0, calls: 0, violations: [] };
        const before = snapshot(sandbox);
        let writeError: unknown;
        try {
          await writeChangeSetAtomically(changeSet, jailedFs(sandbox, plan));
        } catch (error) {
          writeError = error;
        }
        const after = snapshot(sandbox);
        if (plan.violations.length) {
          fail(`the writer tried to touch files outside the temp dir: ${plan.violations.join('; ')}`);
          continue;
        }
        if (writeError === undefined) {
          if (concurrent) {
            fail('the writer overwrote a file that changed on disk after the patch was computed');
            continue;
          }
          let expected = expectedAfter(before, changeSet, sandbox);
          if (plan.injected?.startsWith('unlink .') && plan.injected.endsWith('.bak')) {
            // Removing a backup after a successful commit is best effort; a failure leaves it behind.
            expected = new Map([...expected, ...[...after].filter(([k]) => k.endsWith('.bak'))]);
          }
          const diff = diffSnapshots(after, expected);
          if (diff) {
            fail(`a successful write left the files in the wrong state: ${diff}`);
            continue;
          }
          if (input.expected && plan.failAt === 0) {
            const wantedWs = new Map<string, string>();
            writeWorkspaceSnapshot(wantedWs, input.expected);
            // Files only: the writer leaves a directory emptied by a delete or move in place.
            const actualWs = new Map([...after].filter(([k, v]) => k.startsWith('ws/') && v !== 'dir').map(([k, v]) => [k.slice(3), v]));
            const oracle = diffSnapshots(actualWs, wantedWs);
            if (oracle) {
              fail(`the files on disk differ from the oracle: ${oracle}`);
              continue;
            }
            count('written, matches the oracle');
          } else count(plan.injected ? 'written (fault after commit)' : 'written');
          continue;
        }
        if (!(writeError instanceof ChangeSetWriteError) || !writeError.message) {
          fail(`the writer threw ${writeError instanceof Error ? `${writeError.constructor.name}: ${writeError.message}` : String(writeError)}`);
          continue;
        }
        const diff = diffSnapshots(after, before);
        if (diff) {
          fail(`a failed write (${writeError.message.slice(0, 200)}) changed files: ${diff}`);
          continue;
        }
        count(concurrent ? 'write refused (concurrent edit), files identical' : plan.injected ? 'write failed (injected fault), rolled back' : 'write refused, files identical');
      } finally {
        maxMs = Math.max(maxMs, performance.now() - inputStarted);
        fs.rmSync(sandbox, { recursive: true, force: true });
      }
    }
    summary.push({
      suite: 'disk (reader + writer)',
      inputs: Object.values(tally).reduce((a, b) => a + b, 0) + problems.length,
      seconds: ((performance.now() - started) / 1000).toFixed(1),
      'max ms': maxMs.toFixed(1),
      outcomes: Object.entries(tally)
        .map(([k, v]) => `${k}=${v}`)
        .join(' | '),
    });
    expect(problems).toEqual([]);
    expect(tally['written, matches the oracle']).toBeGreaterThan(0);
    expect(tally['write failed (injected fault), rolled back']).toBeGreaterThan(0);
    expect(tally['write refused (concurrent edit), files identical']).toBeGreaterThan(0);
    expect(tally['applied, targets outside the temp dir (not written)']).toBeGreaterThan(0);
  }, 240_000);
});

/** The snapshot form (relative path → hash of the bytes) of a workspace map's files. */
function writeWorkspaceSnapshot(out: Map<string, string>, workspace: Workspace): void {
  for (const [rel, content] of workspace) {
    out.set(rel, hash(typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content)));
  }
}
