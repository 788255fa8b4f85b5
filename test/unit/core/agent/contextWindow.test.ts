import { describe, expect, it } from 'vitest';
import { contextWindowFor, DEFAULT_CONTEXT_WINDOW } from '../../../../src/core/agent/contextWindow';

describe('contextWindowFor', () => {
  it.each([
    ['gpt-5.5', 400_000],
    ['GPT-4.1-mini', 1_047_576],
    ['openai/gpt-4o', 128_000],
    ['o3-pro', 200_000],
    ['my-local-model', DEFAULT_CONTEXT_WINDOW],
  ])('%s → %i tokens', (model, tokens) => {
    expect(contextWindowFor(model)).toBe(tokens);
  });
});
