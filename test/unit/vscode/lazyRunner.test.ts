// Activation does not build the process runner (node-pty load, sandbox probe): the first use does, once.
import { describe, expect, it } from 'vitest';
import type { ProcessRunner, RunningProcess } from '../../../src/core/ports';
import { lazyProcessRunner } from '../../../src/vscode/lazyRunner';

describe('lazyProcessRunner', () => {
  it('creates the real runner on first use only, and once', () => {
    let created = 0;
    const spawned: string[] = [];
    const real: ProcessRunner = {
      shell: '/bin/sh',
      spawn: (options) => (spawned.push(options.command), {} as RunningProcess),
      sandboxStatus: () => ({ state: 'unavailable', reason: 'no bwrap' }),
    };
    const runner = lazyProcessRunner(() => (created++, real));
    expect(created).toBe(0);
    expect(runner.created).toBe(false);
    expect(runner.sandboxStatus()).toEqual({ state: 'unavailable', reason: 'no bwrap' });
    expect(runner.shell).toBe('/bin/sh');
    runner.spawn({ command: 'ls', cwd: '/' } as Parameters<ProcessRunner['spawn']>[0]);
    expect(spawned).toEqual(['ls']);
    expect(created).toBe(1);
  });

  it('reports "off" for a runner without a sandbox', () => {
    const runner = lazyProcessRunner(() => ({ shell: '/bin/sh', spawn: () => ({}) as RunningProcess }));
    expect(runner.sandboxStatus().state).toBe('off');
  });
});
