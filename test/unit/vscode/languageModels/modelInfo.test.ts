// The model list and facts read from other extensions' providers: one entry per id, junk dropped, text made
// safe to show, unknown context windows as 0, a bounded list.
import { describe, expect, it } from 'vitest';
import { MAX_LANGUAGE_MODELS, modelLabelFor, toLanguageModelInfos, windowTokens } from '../../../../src/vscode/languageModels/modelInfo';

describe('toLanguageModelInfos', () => {
  it('lists id, name, vendor, family and window, sorted by vendor then name', () => {
    const infos = toLanguageModelInfos([
      { id: 'gpt-4.1', name: 'GPT-4.1', vendor: 'copilot', family: 'gpt-4.1', version: '1', maxInputTokens: 128_000 },
      { id: 'claude', name: 'Claude', vendor: 'copilot', family: 'claude', maxInputTokens: 200_000 },
      { id: 'test-model', name: 'Tandem Test Model', vendor: 'tandem-test', family: 'test', maxInputTokens: 32_000 },
    ]);
    expect(infos).toEqual([
      { id: 'claude', name: 'Claude', vendor: 'copilot', family: 'claude', maxInputTokens: 200_000 },
      { id: 'gpt-4.1', name: 'GPT-4.1', vendor: 'copilot', family: 'gpt-4.1', maxInputTokens: 128_000 },
      { id: 'test-model', name: 'Tandem Test Model', vendor: 'tandem-test', family: 'test', maxInputTokens: 32_000 },
    ]);
  });

  it('drops junk and repeated ids, cleans names, and says 0 for a window it cannot trust', () => {
    const infos = toLanguageModelInfos([
      null,
      'gpt',
      { id: 42 },
      { id: '   ' },
      { id: 'x'.repeat(201) },
      { id: 'ok', name: `evil\u001b[2J\nname ${'n'.repeat(300)}`, vendor: 5, maxInputTokens: -1 },
      { id: 'ok', name: 'second with the same id' },
      { id: 'nan', maxInputTokens: Number.NaN },
      { id: 'inf', maxInputTokens: Number.POSITIVE_INFINITY },
      { id: 'frac', maxInputTokens: 1000.7 },
    ]);
    expect(infos.map((i) => i.id).sort()).toEqual(['frac', 'inf', 'nan', 'ok']);
    const ok = infos.find((i) => i.id === 'ok')!;
    expect([...ok.name].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
    expect(ok.name.length).toBeLessThanOrEqual(201);
    expect(ok.vendor).toBe('');
    expect(ok.maxInputTokens).toBe(0);
    expect(infos.find((i) => i.id === 'nan')!.name).toBe('nan'); // no name: the id
    expect(infos.find((i) => i.id === 'inf')!.maxInputTokens).toBe(0);
    expect(infos.find((i) => i.id === 'frac')!.maxInputTokens).toBe(1000);
  });

  it('lists at most MAX_LANGUAGE_MODELS', () => {
    const many = Array.from({ length: MAX_LANGUAGE_MODELS + 50 }, (_, i) => ({ id: `m${i}`, name: `M ${i}`, vendor: 'v' }));
    expect(toLanguageModelInfos(many)).toHaveLength(MAX_LANGUAGE_MODELS);
  });
});

describe('windowTokens / modelLabelFor', () => {
  it('reads windows and labels models for messages', () => {
    expect(windowTokens(8192)).toBe(8192);
    expect(windowTokens('8192')).toBe(0);
    expect(modelLabelFor({ id: 'test-model', name: 'Test Model', vendor: 'tandem-test' })).toBe("the VS Code language model 'Test Model' (test-model) from tandem-test");
    expect(modelLabelFor({ id: 'gpt', name: 'gpt', vendor: '' })).toBe("the VS Code language model 'gpt'");
  });
});
