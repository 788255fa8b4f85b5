// The fixed prompt (our instructions + every tool schema as sent) stays within 3k tokens, so the model's
// context goes to the user's work. No tokenizer ships here, so tokens are estimated conservatively at
// 3.5 characters each (English prose and JSON run at ~4 with OpenAI's o200k tokenizer).
import { describe, expect, it } from 'vitest';
import { BASE_INSTRUCTIONS } from '../../../../src/core/prompt/instructions';
import { defaultTools } from '../../../../src/node/agentFactory';

const CHARS_PER_TOKEN = 3.5;
const BUDGET_TOKENS = 3_000;

describe('prompt budget', () => {
  it('instructions + tool schemas fit in 3k tokens', () => {
    const tools = JSON.stringify(defaultTools().map((t) => t.spec));
    const estimate = Math.ceil((BASE_INSTRUCTIONS.length + tools.length) / CHARS_PER_TOKEN);
    console.log(`fixed prompt: ${BASE_INSTRUCTIONS.length} + ${tools.length} chars ≈ ${estimate} tokens (budget ${BUDGET_TOKENS})`);
    expect(estimate).toBeLessThanOrEqual(BUDGET_TOKENS);
  });
});
