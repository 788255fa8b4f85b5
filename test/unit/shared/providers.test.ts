// The first-run setup as the host receives it from the webview (untrusted): the providers table, the
// checks on base URL and model, and `saveSetup` / the new view commands in `parseWebviewMessage`.
import { describe, expect, it } from 'vitest';
import { parseWebviewMessage } from '../../../src/shared/protocol';
import { PROVIDERS, baseUrlProblem, detectProvider, isLoopbackUrl, keyRequiredFor, modelProblem, parseSetup } from '../../../src/shared/providers';

const good = { provider: 'custom', baseUrl: 'http://127.0.0.1:4010/v1', model: 'tandem-e2e-model', wireApi: 'chat' };

describe('provider presets', () => {
  it('prefills a base URL its own detection maps back to it, and only local servers skip the key', () => {
    for (const p of PROVIDERS) {
      if (p.id === 'custom' || p.id === 'azure') continue; // empty / placeholder URLs
      expect(detectProvider(p.baseUrl), p.id).toBe(p.id);
      expect(keyRequiredFor(p.baseUrl), p.id).toBe(!p.local);
    }
    expect(detectProvider('https://my-res.openai.azure.com/openai/v1')).toBe('azure');
    expect(detectProvider('http://127.0.0.1:4010/v1')).toBe('custom');
    expect(detectProvider('not a url')).toBe('custom');
  });

  it('needs a key for any server that only looks local', () => {
    expect(keyRequiredFor('http://localhost.evil.example:11434/v1')).toBe(true);
    expect(keyRequiredFor('http://127.0.0.1.nip.io:11434/v1')).toBe(true);
    expect(keyRequiredFor('http://10.0.0.5:11434/v1')).toBe(true);
    expect(keyRequiredFor('http://[::1]:1234/v1')).toBe(false);
    expect(isLoopbackUrl('http://127.1.2.3:8080/v1')).toBe(true);
    expect(isLoopbackUrl('http://127.0.0.1@evil.example/v1')).toBe(false);
  });
});

describe('base URL and model checks', () => {
  it.each([
    ['empty', ''],
    ['a placeholder left in', 'https://<resource>.openai.azure.com/openai/v1'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a key in the user info', 'https://sk-secret@api.openai.com/v1'],
    ['user and password', 'https://user:pass@api.example.com/v1'],
    ['a query', 'https://api.example.com/v1?api-key=sk'],
    ['a fragment', 'https://api.example.com/v1#x'],
    ['inner whitespace', 'https://api.example.com/v 1'],
    ['a newline', 'https://api.example.com/v1\nX-Header: 1'],
    ['no scheme', 'api.openai.com/v1'],
    ['too long', `https://a.example/${'x'.repeat(2_100)}`],
  ])('refuses a base URL with %s', (_name, url) => {
    expect(baseUrlProblem(url)).toBeTypeOf('string');
    expect(parseSetup({ ...good, baseUrl: url })).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['spaces', 'gpt 5'],
    ['a control character', 'gpt-5\u0000'],
    ['a non-ASCII look-alike', 'gpt‑5'],
    ['too long', 'm'.repeat(201)],
  ])('refuses a model id with %s', (_name, model) => {
    expect(modelProblem(model)).toBeTypeOf('string');
    expect(parseSetup({ ...good, model })).toBeUndefined();
  });

  it('keeps provider ids and wire APIs to the known ones and trims what it keeps', () => {
    expect(parseSetup({ ...good, provider: 'anthropic' })).toBeUndefined();
    expect(parseSetup({ ...good, wireApi: 'completions' })).toBeUndefined();
    expect(parseSetup({ ...good, baseUrl: 5 })).toBeUndefined();
    expect(parseSetup(null)).toBeUndefined();
    expect(parseSetup([good])).toBeUndefined();
    expect(parseSetup({ ...good, baseUrl: '  https://openrouter.ai/api/v1/ ', model: ' openai/gpt-5:free ', provider: 'openrouter', extra: 'x' })).toEqual({
      provider: 'openrouter',
      baseUrl: 'https://openrouter.ai/api/v1',
      model: 'openai/gpt-5:free',
      wireApi: 'chat',
    });
  });
});

describe('setup messages from the webview', () => {
  it('accepts a well-formed setup and keeps only known fields', () => {
    expect(parseWebviewMessage({ type: 'saveSetup', setup: { ...good, apiKey: 'sk-never-here' }, extra: 1 })).toEqual({ type: 'saveSetup', setup: good });
  });

  it('drops a setup that fails any check, or none at all', () => {
    expect(parseWebviewMessage({ type: 'saveSetup' })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'saveSetup', setup: { ...good, baseUrl: 'file:///etc' } })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'saveSetup', setup: JSON.stringify(good) })).toBeUndefined();
  });

  it('lets the view open the header pickers and the provider flow, and nothing near them', () => {
    for (const command of ['tandem.pickModel', 'tandem.pickApprovalPolicy', 'tandem.chooseProvider']) {
      expect(parseWebviewMessage({ type: 'runCommand', command })).toEqual({ type: 'runCommand', command });
    }
    for (const command of ['tandem.clearApiKey', 'tandem.pickModel ', 'Tandem.pickModel', 'workbench.action.openGlobalSettings']) {
      expect(parseWebviewMessage({ type: 'runCommand', command })).toBeUndefined();
    }
  });
});
