// Runs Codex's apply_patch scenarios (test/fixtures/apply-patch/scenarios) end to end: computeChangeSet over
// the real disk, then the atomic writer, and compares the whole resulting tree with expected/ byte for byte.
// One deliberate difference: Codex applies operations one by one, so a late failure leaves earlier changes
// (scenario 015); Tandem is all-or-nothing, so there the tree must stay exactly as input/.
// Then our own cases in the same format (test/fixtures/apply-patch-tandem/scenarios), where Codex and we
// differ on purpose: a patch matched only loosely (trailing whitespace, indentation, typographic
// punctuation) changes its '-' lines and nothing else, context lines keep the file's bytes. Each of those
// cases also names the match tier its chunks must need, so a fixture that stops exercising its tier fails.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { computeChangeSet } from '../../../src/core/patch/apply';
import { parsePatch } from '../../../src/core/patch/parser';
import { seekLines, type MatchTier } from '../../../src/core/patch/seek';
import { writeChangeSetAtomically } from '../../../src/node/fsChangeSetWriter';
import { NodeFileReader } from '../../../src/node/nodeFileReader';

const SCENARIOS = fileURLToPath(new URL('../../fixtures/apply-patch/scenarios', import.meta.url));
const TANDEM_SCENARIOS = fileURLToPath(new URL('../../fixtures/apply-patch-tandem/scenarios', import.meta.url));

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

const listScenarios = (root: string) => readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory()).sort();
const scenarios = listScenarios(SCENARIOS);
const tandemScenarios = listScenarios(TANDEM_SCENARIOS);

/**
 * The loosest tier each chunk of each update in our cases needs, in patch order. `seekLines` finds a
 * chunk's lines at the first tier that matches anywhere after the previous chunk, as the engine does.
 */
const TANDEM_TIERS: Record<string, MatchTier[]> = {
  '101_exact_tier_keeps_every_other_byte': ['exact'],
  '102_rstrip_tier_context_keeps_trailing_whitespace': ['trailing-whitespace'],
  '103_trimmed_tier_tabs_file_spaces_patch': ['trimmed'],
  '104_trimmed_tier_shallow_patch_offset': ['trimmed'],
  '105_trimmed_tier_deep_patch_offset': ['trimmed'],
  '106_trimmed_tier_spaces_file_tabs_patch': ['trimmed'],
  '107_trimmed_tier_inconsistent_indent_adds_as_written': ['trimmed'],
  '108_punctuation_tier_context_keeps_typography': ['punctuation'],
  '109_punctuation_tier_added_lines_keep_patch_text': ['punctuation'],
  '110_minus_lines_matched_loosely_are_replaced': ['punctuation'],
  '111_end_of_file_anchor_tolerant': ['trailing-whitespace'],
  '112_multiple_chunks_each_tier': ['exact', 'trailing-whitespace', 'trimmed', 'punctuation'],
  '113_crlf_file_tolerant': ['punctuation'],
  '114_mixed_endings_inner_context_keeps_its_break': ['exact'],
  '115_bom_file_tolerant_first_line': ['punctuation'],
  '116_no_final_newline_context_then_added': ['exact'],
  '117_makefile_recipe_tab_through_anchor': ['trimmed'],
  '118_blank_added_lines_not_reindented': ['trimmed'],
  '119_added_line_already_in_file_style': ['trimmed'],
  '120_move_with_tolerant_context': ['punctuation', 'exact'],
};

/** The tier every chunk of `patch` is found at in the files under `input`, in patch order. */
function tiersOf(patch: string, input: string): MatchTier[] {
  const tiers: MatchTier[] = [];
  for (const operation of parsePatch(patch)) {
    if (operation.kind !== 'update') continue;
    const lines = readFileSync(join(input, operation.path), 'utf8').replace(/^\uFEFF/, '').replace(/\r?\n$/, '').split(/\r?\n/);
    let cursor = 0;
    for (const chunk of operation.chunks) {
      for (const scope of chunk.scopes) cursor = (seekLines(lines, [scope], cursor)?.index ?? lines.length) + 1;
      const match = seekLines(lines, chunk.oldLines, cursor, chunk.endOfFile);
      tiers.push(match?.tier ?? ('not found' as MatchTier));
      cursor = (match?.index ?? 0) + chunk.oldLines.length;
    }
  }
  return tiers;
}

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
    const { before, after, failure } = await run(scenario, temps);
    const rejection = REJECTIONS[name];
    if (rejection) {
      expect(failure?.message).toMatch(rejection);
    } else {
      expect(failure).toBeUndefined();
    }
    const expected = ATOMIC_INSTEAD_OF_PARTIAL.has(name) ? before : snapshot(join(scenario, 'expected'));
    expect(after).toEqual(expected);
  });
});

/** Applies `scenario`/patch.txt to a temp copy of its input/ on disk and snapshots the tree before and after. */
async function run(scenario: string, temps: string[]): Promise<{ before: Record<string, string>; after: Record<string, string>; failure?: Error }> {
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
  return { before, after: snapshot(work), ...(failure ? { failure } : {}) };
}

describe('apply_patch conformance (Tandem cases: loose matches change only their - lines)', () => {
  const temps: string[] = [];
  afterEach(() => {
    for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('has a tier expectation for every case and a case for every tier', () => {
    expect(tandemScenarios).toEqual(Object.keys(TANDEM_TIERS).sort());
    expect(new Set(Object.values(TANDEM_TIERS).flat())).toEqual(new Set<MatchTier>(['exact', 'trailing-whitespace', 'trimmed', 'punctuation']));
  });

  it.each(tandemScenarios)('%s', async (name) => {
    const scenario = join(TANDEM_SCENARIOS, name);
    expect(tiersOf(readFileSync(join(scenario, 'patch.txt'), 'utf8'), join(scenario, 'input'))).toEqual(TANDEM_TIERS[name]);
    const { after, failure } = await run(scenario, temps);
    expect(failure).toBeUndefined();
    expect(after).toEqual(snapshot(join(scenario, 'expected')));
  });
});
