// VS Code language model failures as Tandem's classified errors: the API's error codes (permission refused,
// blocked, model gone), a provider's own failures, context overflow, and what a provider's message may carry
// (secrets, control characters, a novel) kept out of what the user sees.
import { describe, expect, it } from 'vitest';
import { ModelError, toTurnError } from '../../../../src/core/model/errors';
import { classifyLanguageModelError } from '../../../../src/vscode/languageModels/languageModelErrors';

/** The shape of vscode.LanguageModelError (name and code, as VS Code sets them). */
class LanguageModelError extends Error {
  override name = 'LanguageModelError';
  constructor(
    message: string,
    readonly code: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

const label = "the VS Code language model 'Test Model' (test-model)";

describe('classifyLanguageModelError', () => {
  it('says that permission was not given, and how to give it, without offering an API key', () => {
    const error = classifyLanguageModelError(new LanguageModelError("Language model 'test-model' cannot be used by 'tandem.tandem'.", 'NoPermissions'), label);
    expect(error.code).toBe('bad_request');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/VS Code did not let Tandem use the VS Code language model 'Test Model'/);
    expect(error.message).toMatch(/Manage Language Model Access/);
    expect(toTurnError(error).action).toBeUndefined();
  });

  it('reports a blocked model as a limit to wait out, with Retry', () => {
    const error = classifyLanguageModelError(new LanguageModelError('quota exceeded', 'Blocked'), label);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/is blocked for Tandem right now \(quota exceeded\)/);
    expect(toTurnError(error).action?.label).toBe('Retry');
  });

  it('reports a model that went away', () => {
    const error = classifyLanguageModelError(new LanguageModelError("Language model 'test-model' is unknown.", 'NotFound'), label);
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/is no longer available in VS Code/);
  });

  it("recognises a provider's context overflow, so compaction can take over", () => {
    for (const said of ['prompt token count of 200001 exceeds the limit: context length exceeded', 'Request too large: maximum context length is 128000', 'prompt is too long']) {
      expect(classifyLanguageModelError(new LanguageModelError(said, 'Unknown'), label).code).toBe('context_length');
    }
  });

  it('reads the cause of an Unknown error, and retries rate limits and other provider failures', () => {
    const limited = classifyLanguageModelError(new LanguageModelError('Request failed', 'Unknown', new Error('429 Too Many Requests')), label);
    expect(limited.code).toBe('rate_limited');
    expect(limited.retryable).toBe(true);
    const crashed = classifyLanguageModelError(new Error('provider blew up'), label);
    expect(crashed.code).toBe('server');
    expect(crashed.retryable).toBe(true);
    expect(crashed.message).toMatch(/the VS Code language model 'Test Model' \(test-model\) failed \(provider blew up\)/);
  });

  it('treats a code on an error that is not a LanguageModelError as an ordinary failure', () => {
    const fake = Object.assign(new Error('no'), { code: 'NoPermissions' });
    expect(classifyLanguageModelError(fake, label).code).toBe('server');
  });

  it('reports a cancellation the provider made itself as a dropped stream', () => {
    const canceled = Object.assign(new Error('Canceled'), { name: 'Canceled' });
    const error = classifyLanguageModelError(canceled, label);
    expect(error.code).toBe('stream_dropped');
    expect(error.retryable).toBe(true);
  });

  it("keeps secrets, control characters and length out of a provider's message", () => {
    const said = `token sk-abcdefghijklmnop1234 leaked\u0007\u001b[31m ${'blah '.repeat(500)}`;
    const error = classifyLanguageModelError(new Error(said), label);
    expect(error.message).not.toContain('sk-abcdefghijklmnop1234');
    expect(error.message).toContain('[redacted]');
    expect(error.message.includes('\u0007') || error.message.includes('\u001b')).toBe(false);
    expect(error.message.length).toBeLessThan(500);
  });

  it('passes classified errors and odd throwables through safely', () => {
    const already = new ModelError('timeout', 'slow');
    expect(classifyLanguageModelError(already, label)).toBe(already);
    expect(classifyLanguageModelError('a string', label).message).toMatch(/failed \(a string\)/);
    expect(classifyLanguageModelError(undefined, label).code).toBe('server');
    expect(classifyLanguageModelError({ code: 'Blocked' }, label).code).toBe('server');
  });
});
