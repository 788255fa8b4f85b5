// How the tool calls of one model response are run: one after another in the model's order (predictable
// for the user watching, and approvals never interleave), except runs of consecutive calls to a tool that
// declares itself parallel (spawn_agent), which run at the same time, at most `limit` at once. Outputs are
// always returned in the calls' order, so the history stays the same whatever finished first.
import type { Tool } from '../tools/types';
import type { PendingToolCall } from './modelStep';

/** Splits the calls into batches: a single ordinary call, or a run of consecutive parallel ones. */
export function toolBatches(calls: readonly PendingToolCall[], tools: ReadonlyMap<string, Tool>): PendingToolCall[][] {
  const batches: PendingToolCall[][] = [];
  for (const call of calls) {
    const parallel = tools.get(call.name)?.parallel === true;
    const last = batches.at(-1);
    if (parallel && last && tools.get(last[0]!.name)?.parallel === true) last.push(call);
    else batches.push([call]);
  }
  return batches;
}

/**
 * Runs `jobs` with at most `limit` at once and waits for every one to settle (a failure does not leave the
 * others running unobserved). Results come back in the jobs' order; the first failure is thrown after all settled.
 */
export async function runLimited<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: PromiseSettledResult<T>[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await jobs[index]!() };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
