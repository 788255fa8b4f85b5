// What restoring a checkpoint would do, file by file, before anything is written: the state each file
// had before the chosen turn (the earliest record of it from that turn on), what the agent last left
// there, and what is there now. A file whose content is no longer what the agent left is a conflict
// (the user, or something else, changed it since): it is never overwritten without asking. Only files a
// recorded turn changed appear here, so a restore cannot touch anything the agent never touched. A file
// another chat changed at the same time (`sharedWith`) is an overlap: restoring it could undo that chat's
// work, so it is written only when the user says so, like a conflict.
// `applyRestore` writes a plan with node's file system (the CLI, tests); the extension writes through
// VS Code instead (src/vscode/checkpoints).
import { chmodSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { contentHash } from './blobStore';
import type { CheckpointStore } from './checkpointStore';
import { modeOf, type CurrentContent } from './turnRecorder';

export interface RestoreItem {
  path: string;
  /** Restore writes `content` (with `mode`), or removes the file (`absent`: the agent created it). */
  target: { content: Buffer; mode: number } | { absent: true };
  /** Now on disk / in the editor. */
  current: Uint8Array | undefined;
  /**
   * `restore`: will be written; `same`: already as it was (nothing to do); `conflict`: changed since
   * the agent's last change, needs the user's word; `overlap`: as the agent left it, but another chat
   * changed it at the same time (`sharedWith`), needs the user's word; `unavailable`: its content was
   * not kept (`reason`).
   */
  status: 'restore' | 'same' | 'conflict' | 'overlap' | 'unavailable';
  reason?: string;
  /** Other chat sessions that changed the file while a turn restored here ran. */
  sharedWith?: string[];
}

export interface RestorePlan {
  sessionId: string;
  turnId: string;
  items: RestoreItem[];
  /** Notes of the checkpoints involved (e.g. incomplete scans). */
  notes: string[];
}

/** Plans the restore of the state before `turnId`; undefined when there is no such checkpoint. */
export async function planRestore(store: CheckpointStore, sessionId: string, turnId: string, current: CurrentContent = readCurrentFromDisk): Promise<RestorePlan | undefined> {
  const record = store.load(sessionId);
  const start = record.checkpoints.findIndex((c) => c.turnId === turnId);
  if (start < 0) return undefined;
  const involved = record.checkpoints.slice(start);
  const before = new Map<string, (typeof involved)[number]['files'][number]['before']>();
  const lastAfter = new Map<string, { hash: string } | { absent: true } | undefined>();
  const shared = new Map<string, Set<string>>();
  for (const checkpoint of involved) {
    for (const file of checkpoint.files) {
      if (!before.has(file.path)) before.set(file.path, file.before);
      lastAfter.set(file.path, file.after);
      for (const other of Array.isArray(file.sharedWith) ? file.sharedWith : []) {
        if (typeof other !== 'string' || other === sessionId) continue;
        if (!shared.has(file.path)) shared.set(file.path, new Set());
        shared.get(file.path)!.add(other);
      }
    }
  }
  const items: RestoreItem[] = [];
  for (const [file, state] of [...before].sort(([a], [b]) => a.localeCompare(b))) {
    const now = await current(file);
    const sharedWith = shared.get(file);
    const base = { path: file, current: now, ...(sharedWith ? { sharedWith: [...sharedWith].sort() } : {}) };
    if ('skipped' in state) {
      items.push({ ...base, target: { absent: true }, status: 'unavailable', reason: `its content was not kept: ${state.skipped}` });
      continue;
    }
    let target: RestoreItem['target'];
    if ('absent' in state) {
      target = { absent: true };
    } else {
      const content = store.blobs.get(state.hash);
      if (!content) {
        items.push({ ...base, target: { absent: true }, status: 'unavailable', reason: 'its saved content is missing from the checkpoint store' });
        continue;
      }
      target = { content, mode: state.mode };
    }
    const nowHash = now === undefined ? undefined : contentHash(now);
    const targetHash = 'absent' in target ? undefined : contentHash(target.content);
    if (nowHash === targetHash && ('absent' in target || modeOf(file, target.mode) === target.mode)) {
      items.push({ ...base, target, status: 'same' });
      continue;
    }
    const expected = lastAfter.get(file);
    const expectedHash = expected === undefined ? nowHash : 'absent' in expected ? undefined : expected.hash;
    items.push({ ...base, target, status: expectedHash !== nowHash ? 'conflict' : sharedWith ? 'overlap' : 'restore' });
  }
  return { sessionId, turnId, items, notes: [...new Set(involved.flatMap((c) => c.notes ?? []))] };
}

export async function readCurrentFromDisk(file: string): Promise<Buffer | undefined> {
  try {
    if (!lstatSync(file).isFile()) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

export interface RestoreResult {
  /** Paths written or removed. */
  done: string[];
  /** Paths not restored, with the reason (nothing was written to them). */
  failed: { path: string; reason: string }[];
}

/**
 * Writes the plan's `restore` items, and the conflicts and overlaps listed in `overwrite`, with node's
 * file system.
 * Each file is replaced by a rename (never half-written; a symlink put in its place is replaced, never
 * followed). Only inside `roots`, and only through real folders: a folder on the way that a command
 * turned into a symlink (to ~/.ssh, say) stops that file, so a restore never writes outside the workspace.
 */
export function applyRestore(plan: RestorePlan, roots: readonly string[], overwrite: ReadonlySet<string> = new Set()): RestoreResult {
  const result: RestoreResult = { done: [], failed: [] };
  for (const item of plan.items) {
    if (item.status !== 'restore' && !((item.status === 'conflict' || item.status === 'overlap') && overwrite.has(item.path))) continue;
    try {
      writeItem(item, roots);
      result.done.push(item.path);
    } catch (error) {
      result.failed.push({ path: item.path, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}

function writeItem(item: RestoreItem, roots: readonly string[]): void {
  const target = realTarget(item.path, roots, !('absent' in item.target));
  if (target === undefined) return; // to be removed, and its folder is gone already
  if ('absent' in item.target) {
    const stats = lstatSync(target, { throwIfNoEntry: false });
    if (stats?.isDirectory()) throw new Error('a folder is there now; it was left alone');
    if (stats) unlinkSync(target);
    return;
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.tandem-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, item.target.content, { flag: 'wx', mode: item.target.mode });
    chmodSync(temp, item.target.mode);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * `file` with its folders resolved inside its workspace root, creating missing ones (when `create`);
 * undefined when a folder is missing and nothing needs creating. Throws when a folder on the way is a
 * symlink or a file, or the path is outside every root.
 */
function realTarget(file: string, roots: readonly string[], create: boolean): string | undefined {
  const root = roots.find((r) => file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  if (root === undefined) throw new Error('outside the workspace folders');
  let current = realpathSync(root);
  for (const part of path.relative(root, path.dirname(file)).split(path.sep).filter(Boolean)) {
    if (part === '..') throw new Error('outside the workspace folders');
    current = path.join(current, part);
    const stats = lstatSync(current, { throwIfNoEntry: false });
    if (!stats) {
      if (!create) return undefined;
      mkdirSync(current);
    } else if (!stats.isDirectory()) {
      throw new Error(`${current} is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a folder'} now; nothing was written through it`);
    }
  }
  return path.join(current, path.basename(file));
}
