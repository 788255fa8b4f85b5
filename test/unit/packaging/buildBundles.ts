// Production bundles for the packaging tests, from the real esbuild.mjs (so the packages hold what a release
// holds), run in a folder that links to everything in the repository but has a dist/ of its own: the tests
// never touch the dist/ other stages and `npm start` use.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');

/** Builds into `<work>/repo/dist` and returns that folder. */
export function buildBundles(work: string): string {
  const shadow = join(work, 'repo');
  mkdirSync(shadow);
  for (const name of readdirSync(ROOT)) if (name !== 'dist') symlinkSync(join(ROOT, name), join(shadow, name));
  const r = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs'), '--production'], { cwd: shadow, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`esbuild.mjs failed:\n${r.stdout}${r.stderr}`);
  return join(shadow, 'dist');
}
