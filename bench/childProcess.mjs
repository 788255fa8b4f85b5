// The two things every process-level benchmark needs: a bundle of a TypeScript entry point (esbuild, into a
// temp folder, node-pty left external like the real build) and a node child run to its end with a
// timeout. Shared by the long-session (CLI) and parallel-chats (extension-host) benchmarks.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Bundles `entry` (a path under `root`) into a temp folder; returns the bundle's path. */
export async function bundleEntry(root, entry, tempPrefix) {
  const { build } = await import('esbuild');
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix)), path.basename(entry).replace(/\.ts$/, '.js'));
  await build({ entryPoints: [path.join(root, entry)], outfile: out, bundle: true, platform: 'node', format: 'cjs', external: ['node-pty'], logLevel: 'silent' });
  return out;
}

/** Runs `node ...args` to its end (killed after `timeoutMs`); resolves with its exit code and output. */
export function runNode(args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
