import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APPLY_PATCH_LARK_GRAMMAR } from '../../../../src/core/patch/grammar';

describe('APPLY_PATCH_LARK_GRAMMAR', () => {
  it('is byte for byte the vendored Codex grammar', () => {
    const vendored = readFileSync(new URL('../../../fixtures/apply-patch/grammar.lark', import.meta.url), 'utf8');
    expect(APPLY_PATCH_LARK_GRAMMAR).toBe(vendored);
  });
});
