// apply_patch authorizes where a patch really goes before reading, and never quotes a file outside the
// workspace to the model: a canary file outside (like /etc/passwd) is attacked with wrong context, the
// "changes nothing" oracle, relative paths, symlinked files and directories, a move into the workspace,
// and a directory swapped for a symlink between the check and the read. Not one canary line may appear.
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalSubject } from '../../../../src/shared/events';
import { applyPatchTool } from '../../../../src/core/tools/applyPatch';
import type { Authorization } from '../../../../src/core/tools/types';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import { makeContext } from './toolContext';

const CANARY = Array.from({ length: 12 }, (_, i) => `canary${i}:x:${1000 + i}:secret-line-${i}`);

let root: string;
let ws: string;
let out: string;
let canaryPath: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-confine-')));
  ws = join(root, 'ws');
  out = join(root, 'out');
  mkdirSync(ws);
  mkdirSync(out);
  canaryPath = join(out, 'passwd');
  writeFileSync(canaryPath, CANARY.join('\n') + '\n');
  writeFileSync(join(ws, 'inside.txt'), 'alpha\nbeta\ngamma\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

class RecordingReader extends NodeFileReader {
  reads: string[] = [];
  override readText(path: string) {
    this.reads.push(path);
    return super.readText(path);
  }
  override readTextWithRealPath(path: string) {
    this.reads.push(path);
    return super.readTextWithRealPath(path);
  }
}

async function applyPatch(patch: string, answer: (s: ApprovalSubject) => Authorization = () => ({ allowed: true }), files = new RecordingReader()) {
  const subjects: ApprovalSubject[] = [];
  const ctx = makeContext({ cwd: ws, authorize: async (s) => (subjects.push(s as ApprovalSubject), answer(s as ApprovalSubject)) });
  ctx.files = files;
  const result = await applyPatchTool.run(applyPatchTool.parse(patch), ctx);
  return { result, subjects, reads: files.reads };
}

const wrongContextUpdate = (path: string) => `*** Begin Patch\n*** Update File: ${path}\n@@\n-root:x:0:0:root:/root:/bin/bash\n+owned\n*** End Patch`;

function expectNoCanary(text: string): void {
  for (const line of CANARY) expect(text).not.toContain(line);
  expect(text).not.toMatch(/canary\d/);
}

describe('apply_patch outside the workspace', () => {
  const targets = () => [
    ['absolute path', () => canaryPath],
    ['relative ../ path', () => '../out/passwd'],
    ['symlinked file in the workspace', () => (symlinkSync(canaryPath, join(ws, 'link.txt')), 'link.txt')],
    ['file under a symlinked directory', () => (symlinkSync(out, join(ws, 'linkdir')), 'linkdir/passwd')],
    ['dot-dot through a real directory', () => (mkdirSync(join(ws, 'a')), 'a/../../out/passwd')],
  ] as const;

  for (const [name, target] of targets()) {
    it(`wrong context against a ${name} quotes no line of the file`, async () => {
      const { result, subjects } = await applyPatch(wrongContextUpdate(target()));
      expect(result.status).toBe('error');
      expect(result.output).toMatch(/outside the workspace/);
      expectNoCanary(result.output);
      // Authorized (as a change outside the workspace) before anything was read.
      expect(subjects[0]?.kind).toBe('patch');
      expect(subjects[0]?.reason).toMatch(/outside the workspace/);
    });

    it(`a refusal (read-only mode) for a ${name} means nothing is read`, async () => {
      const { result, reads } = await applyPatch(wrongContextUpdate(target()), () => ({ allowed: false, reason: 'Read-only mode: files cannot be changed.' }));
      expect(result.status).toBe('denied');
      expect(result.output).toMatch(/nothing was read or written/);
      expect(reads).toEqual([]);
    });
  }

  it('the "changes nothing" answer is not an oracle for guessed content', async () => {
    const patch = `*** Begin Patch\n*** Update File: ${canaryPath}\n@@\n ${CANARY[0]}\n-${CANARY[1]}\n+${CANARY[1]}\n*** End Patch`;
    const guessedWrong = `*** Begin Patch\n*** Update File: ${canaryPath}\n@@\n ${CANARY[0]}\n-nope\n+nope\n*** End Patch`;
    const right = await applyPatch(patch);
    const wrong = await applyPatch(guessedWrong);
    expect(right.result.output).toBe(wrong.result.output);
    expect(right.result.output).not.toMatch(/changes nothing/);
  });

  it('a file moved in from outside and then patched with wrong context is not quoted either', async () => {
    const patch = `*** Begin Patch\n*** Update File: ${canaryPath}\n*** Move to: moved.txt\n@@\n ${CANARY[0]}\n-${CANARY[1]}\n+changed\n*** Update File: moved.txt\n@@\n-not there\n+x\n*** End Patch`;
    const { result } = await applyPatch(patch);
    expect(result.status).toBe('error');
    expectNoCanary(result.output);
  });

  it('deleting a file outside goes through the early authorization too', async () => {
    const { result, reads } = await applyPatch(`*** Begin Patch\n*** Delete File: ${canaryPath}\n*** End Patch`, () => ({ allowed: false, reason: 'no' }));
    expect(result.status).toBe('denied');
    expect(reads).toEqual([]);
  });

  it('inside the workspace, a failure still quotes the closest lines (the agent may read those)', async () => {
    const { result, subjects } = await applyPatch(`*** Begin Patch\n*** Update File: inside.txt\n@@\n alpha\n-BETA\n+b\n*** End Patch`);
    expect(result.status).toBe('error');
    expect(result.output).toContain('beta');
    expect(subjects).toEqual([]); // no early authorization for workspace files
  });

  it('a directory swapped for a symlink out of the workspace after the check is caught by the opened file, and not quoted', async () => {
    mkdirSync(join(ws, 'sub'));
    writeFileSync(join(ws, 'sub', 'passwd'), 'harmless\n');
    class SwappingReader extends RecordingReader {
      override readTextWithRealPath(path: string) {
        if (path.endsWith('sub/passwd')) {
          renameSync(join(ws, 'sub'), join(ws, 'sub.old'));
          symlinkSync(out, join(ws, 'sub'));
        }
        return super.readTextWithRealPath(path);
      }
    }
    const { result, subjects } = await applyPatch(wrongContextUpdate('sub/passwd'), undefined, new SwappingReader());
    expect(subjects).toEqual([]); // it was inside when checked
    expect(result.status).toBe('error');
    expect(result.output).toMatch(/outside the workspace/);
    expectNoCanary(result.output);
  });
});

describe('apply_patch and known secrets', () => {
  it('a failure quoting a workspace .env shows [REDACTED] instead of a key Tandem uses', async () => {
    const { knownSecrets } = await import('../../../../src/core/secrets/knownSecrets');
    const key = `sk-dotenv-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    knownSecrets.add(key);
    writeFileSync(join(ws, '.env'), `OPENAI_API_KEY=${key}\nDEBUG=1\n`);
    const { result } = await applyPatch(`*** Begin Patch\n*** Update File: .env\n@@\n-OPENAI_API_KEY=sk-wrong\n DEBUG=1\n+x\n*** End Patch`);
    expect(result.status).toBe('error');
    expect(result.output).toContain('DEBUG=1');
    expect(result.output).toContain('OPENAI_API_KEY=[REDACTED]');
    expect(result.output).not.toContain(key);
  });
});
