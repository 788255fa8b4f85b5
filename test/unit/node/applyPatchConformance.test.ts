// Runs Codex's apply_patch scenarios (test/fixtures/apply-patch/scenarios) end to end: computeChangeSet over
// the real disk, then the atomic writer, and compares the whole resulting tree with expected/ byte for byte.
// One deliberate difference: Codex applies operations one by one, so a late failure leaves earlier changes
// (scenario 015); Tandem is all-or-nothing, so there the tree must stay exactly as input/.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { computeChangeSet } from '../../../src/core/patch/apply';
import { writeChangeSetAtomically } from '../../../src/node/fsChangeSetWriter';
import { NodeFileReader } from '../../../src/node/nodeFileReader';

const SCENARIOS = fileURLToPath(new URL('../../fixtures/apply-patch/scenarios', import.meta.url));

/** Scenarios the patch must be refused in, with what the error has to say. */
const REJECTIONS: Record<string, RegExp> = {
  '005_rejects_empty_patch': /contains no file operations/,
  '006_rejects_missing_context': /Could not find these lines in modify\.txt[\s\S]*\n {4}missing\n/,
  '007_rejects_missing_file_delete': /Cannot delete missing\.txt: the file does not exist/,
  '008_rejects_empty_update_hunk': /'\*\*\* Update File: foo\.txt' has no changes/,
  '009_requires_existing_file_for_update': /Cannot update missing\.txt: the file does not exist/,
  '012_delete_directory_fails': /Cannot delete dir: it is a directory/,
  '013_rejects_invalid_hunk_header': /line 2: '\*\*\* Frobnicate File: foo' is not a valid file operation/,
  '015_failure_after_partial_success_leaves_changes': /Cannot update missing\.txt: the file does not exist/,
};
/** Where Tandem's all-or-nothing semantics replace Codex's expected tree: nothing may change. */
const ATOMIC_INSTEAD_OF_PARTIAL = new Set(['015_failure_after_partial_success_leaves_changes']);

const scenarios = readdirSync(SCENARIOS).filter((name) => statSync(join(SCENARIOS, name)).isDirectory()).sort();

/** Every entry under `root` by relative path: directories as 'dir', files as their bytes in hex. */
function snapshot(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  if (!existsSync(root)) return entries;
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const relative = prefix ? `${prefix}/${name}` : name;
      if (statSync(full).isDirectory()) {
        entries[relative] = 'dir';
        walk(full, relative);
      } else {
        entries[relative] = readFileSync(full).toString('hex');
      }
    }
  };
  walk(root, '');
  return entries;
}

describe('apply_patch conformance (Codex scenarios)', () => {
  const temps: string[] = [];
  afterEach(() => {
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('has all 23 scenarios and an expectation for every rejection', () => {
    expect(scenarios).toHaveLength(23);
    for (const name of Object.keys(REJECTIONS)) expect(scenarios).toContain(name);
  });

  it.each(scenarios)('%s', async (name) => {
    const scenario = join(SCENARIOS, name);
    const work = mkdtempSync(join(tmpdir(), 'tandem-conformance-'));
    temps.push(work);
    if (existsSync(join(scenario, 'input'))) cpSync(join(scenario, 'input'), work, { recursive: true });
    const before = snapshot(work);
    const patch = readFileSync(join(scenario, 'patch.txt'), 'utf8');

    let failure: Error | undefined;
    try {
      const changeSet = await computeChangeSet(patch, work, new NodeFileReader());
      await writeChangeSetAtomically(changeSet);
    } catch (error) {
      failure = error as Error;
    }

    const rejection = REJECTIONS[name];
    if (rejection) {
      expect(failure?.message).toMatch(rejection);
    } else {
      expect(failure).toBeUndefined();
    }
    const expected = ATOMIC_INSTEAD_OF_PARTIAL.has(name) ? before : snapshot(join(scenario, 'expected'));
    expect(snapshot(work)).toEqual(expected);
  });
});
