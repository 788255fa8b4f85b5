// Worker thread of the in-memory apply_patch fuzz: runs inputs [start, start + count) against
// WorkspaceFiles and reports a tally. It publishes the index of the input it is on in a shared buffer
// before each one, so the parent can tell a hang (an index that stops moving) from slow progress and
// terminate the thread: a synchronous infinite loop cannot be interrupted from inside the thread.
// Bundled with esbuild by patchEngine.fuzz.test.ts (vitest's transform does not reach worker threads).
import { parentPort, workerData } from 'node:worker_threads';
import { inputAt, MEMORY_ROOT, runInput, WorkspaceFiles, type Scenario } from './patchFuzzKit';
import { Random } from './random';

export interface WorkerJob {
  seed: number;
  start: number;
  count: number;
  scenarios: Scenario[];
  unmutatedShare: number;
  maxMsPerInput: number;
  /** Int32Array[1]: the index of the input being run. */
  progress: SharedArrayBuffer;
}

export interface WorkerResult {
  inputs: number;
  unmutatedChecked: number;
  /** Updated files the faithfulness invariant verified (see faithfulnessProblem). */
  faithfulChecked: number;
  outcomes: Record<string, number>;
  maxMs: number;
  maxMsInput: number;
  totalMs: number;
  problems: { index: number; origin: string; mutations: string[]; problem: string }[];
}

async function run(job: WorkerJob): Promise<WorkerResult> {
  const progress = new Int32Array(job.progress);
  const rng = new Random(job.seed).fork('patch-memory');
  const result: WorkerResult = { inputs: 0, unmutatedChecked: 0, faithfulChecked: 0, outcomes: {}, maxMs: 0, maxMsInput: -1, totalMs: 0, problems: [] };
  for (let index = job.start; index < job.start + job.count; index++) {
    Atomics.store(progress, 0, index);
    const input = inputAt(rng.fork(index), job.scenarios, job.unmutatedShare);
    const files = new WorkspaceFiles(input.workspace, MEMORY_ROOT);
    const started = performance.now();
    const { outcome, problem } = await runInput(input, MEMORY_ROOT, files, input.workspace);
    const ms = performance.now() - started;
    result.inputs++;
    result.totalMs += ms;
    if (ms > result.maxMs) {
      result.maxMs = ms;
      result.maxMsInput = index;
    }
    if (input.expected) result.unmutatedChecked++;
    const failure = problem ?? (ms > job.maxMsPerInput ? `took ${ms.toFixed(0)} ms` : undefined);
    if (failure) {
      if (result.problems.length < 20) result.problems.push({ index, origin: input.origin, mutations: input.mutations, problem: failure });
      continue;
    }
    if (outcome!.kind === 'applied') result.faithfulChecked += outcome!.faithfulChecked;
    const key = outcome!.kind === 'applied' ? 'applied' : outcome!.error.name;
    result.outcomes[key] = (result.outcomes[key] ?? 0) + 1;
  }
  return result;
}

if (parentPort) {
  const port = parentPort;
  run(workerData as WorkerJob).then(
    (result) => port.postMessage(result),
    (error: unknown) => {
      throw error;
    },
  );
}
