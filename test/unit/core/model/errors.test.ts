import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { classifyError, isAbortError, ModelError, redactSecrets, retryAfterFromHeaders, toTurnError } from '../../../../src/core/model/errors';

const URL = 'http://localhost:1234/v1';

describe('classifyError', () => {
  it('maps HTTP statuses to stable codes', () => {
    const h = new Headers();
    expect(classifyError(APIError.generate(401, { error: { message: 'bad key' } }, undefined, h), URL)).toMatchObject({ code: 'auth', retryable: false });
    expect(classifyError(APIError.generate(403, { error: { message: 'no' } }, undefined, h), URL)).toMatchObject({ code: 'auth' });
    expect(classifyError(APIError.generate(404, { error: { message: 'no model' } }, undefined, h), URL)).toMatchObject({ code: 'bad_request' });
    expect(classifyError(APIError.generate(429, { error: { message: 'quota', code: 'insufficient_quota' } }, undefined, h), URL)).toMatchObject({ code: 'rate_limited', retryable: false });
    expect(classifyError(APIError.generate(502, undefined, undefined, h), URL)).toMatchObject({ code: 'server', retryable: true, status: 502 });
    expect(classifyError(APIError.generate(400, { error: { message: 'too long', code: 'context_length_exceeded' } }, undefined, h), URL)).toMatchObject({ code: 'context_length' });
  });

  it('reads retry-after-ms before retry-after', () => {
    const h = new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' });
    expect(classifyError(APIError.generate(429, undefined, undefined, h), URL).retryAfterMs).toBe(1500);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
  });

  it('names the base URL for connection failures and keeps resets retryable', () => {
    const refused = new APIConnectionError({ cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }) });
    expect(classifyError(refused, URL)).toMatchObject({ code: 'connection', retryable: false, message: expect.stringContaining(URL) });
    const reset = new APIConnectionError({ cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) });
    expect(classifyError(reset, URL)).toMatchObject({ code: 'connection', retryable: true });
  });

  it('never puts the API key in a message', () => {
    const key = 'sk-proj-AbCdEfGh12345678';
    const error = APIError.generate(401, { error: { message: `Incorrect API key provided: ${key}` } }, undefined, new Headers());
    expect(classifyError(error, URL, { apiKey: key }).message).not.toContain(key);
    expect(classifyError(new Error(`boom ${key}`), URL, { apiKey: key }).message).not.toContain(key);
    expect(redactSecrets('token=abc123xyz', 'abc123xyz')).toBe('token=[redacted]');
  });

  it('recognises aborts', () => {
    expect(isAbortError(new APIUserAbortError())).toBe(true);
    expect(isAbortError(new DOMException('x', 'AbortError'))).toBe(true);
    expect(isAbortError(new Error('x'))).toBe(false);
  });
});

describe('toTurnError', () => {
  it('attaches the action a user can take', () => {
    expect(toTurnError(new ModelError('auth', 'bad key'))).toEqual({ code: 'auth', message: 'bad key', action: { label: 'Set API Key', command: 'tandem.setApiKey' } });
    expect(toTurnError(new ModelError('server', 'down', { retryable: true })).action).toEqual({ label: 'Retry', command: 'retry' });
    expect(toTurnError(new ModelError('bad_request', 'nope')).action).toBeUndefined();
    expect(toTurnError(new Error('weird'))).toMatchObject({ code: 'internal' });
  });
});
