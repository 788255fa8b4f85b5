// The first-run setup as the host receives it from the webview (untrusted): the providers table, the
// checks on base URL and model, and `saveSetup` / the new view commands in `parseWebviewMessage`.
import { describe, expect, it } from 'vitest';
import { parseWebviewMessage } from '../../../src/shared/protocol';
import { PROVIDERS, authStyleFor, baseUrlProblem, detectProvider, environmentKeyApplies, environmentKeyFor, isLoopbackUrl, keyRequiredFor, keySlot, modelProblem, parseSetup, providerNeedsKey, resolveProvider } from '../../../src/shared/providers';

const good = { provider: 'custom', baseUrl: 'http://127.0.0.1:4010/v1', model: 'tandem-e2e-model', wireApi: 'chat' };

describe('provider presets', () => {
  it('prefills a base URL its own detection maps back to it, and only local servers skip the key', () => {
    for (const p of PROVIDERS) {
      if (p.id === 'custom' || p.id === 'azure' || p.id === 'vscode-lm') continue; // empty / placeholder URLs
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

describe('provider detection, the explicit setting, auth styles and key slots', () => {
  it('finds vLLM and llama.cpp on their default loopback ports, and nothing on another host', () => {
    expect(detectProvider('http://localhost:8000/v1')).toBe('vllm');
    expect(detectProvider('http://127.0.0.1:8080/v1')).toBe('llamacpp');
    expect(detectProvider('http://[::1]:8000/v1')).toBe('vllm');
    expect(detectProvider('http://gpu-box:8000/v1')).toBe('custom');
    expect(detectProvider('http://localhost.evil.example:8080/v1')).toBe('custom');
  });

  it('uses tandem.provider when it names a preset, else what the base URL says (settings from before it existed)', () => {
    expect(resolveProvider(undefined, 'https://openrouter.ai/api/v1')).toBe('openrouter');
    expect(resolveProvider('', 'https://api.openai.com/v1')).toBe('openai');
    expect(resolveProvider('vllm', 'http://gpu-box:8000/v1')).toBe('vllm');
    expect(resolveProvider('vscode-lm', 'https://api.openai.com/v1')).toBe('vscode-lm');
    expect(resolveProvider('evil', 'http://localhost:11434/v1')).toBe('ollama');
    expect(resolveProvider(42, 'x')).toBe('custom');
    expect(resolveProvider('__proto__', 'x')).toBe('custom');
  });

  it('sends Azure keys as api-key, local servers none, everyone else a bearer token', () => {
    expect(Object.fromEntries(PROVIDERS.map((p) => [p.id, authStyleFor(p.id)]))).toEqual({
      openai: 'bearer',
      azure: 'api-key',
      openrouter: 'bearer',
      ollama: 'none',
      lmstudio: 'none',
      vllm: 'none',
      llamacpp: 'none',
      'vscode-lm': 'none',
      custom: 'bearer',
    });
    expect(PROVIDERS.filter((p) => providerNeedsKey(p.id)).map((p) => p.id)).toEqual(['openai', 'azure', 'openrouter', 'custom']);
  });

  it('keeps one key per provider, and per server where the user picks the server', () => {
    expect(keySlot('openai', 'https://api.openai.com/v1')).toBe('openai');
    expect(keySlot('openrouter', 'https://openrouter.ai/api/v1')).toBe('openrouter');
    expect(keySlot('azure', 'https://Res-A.openai.azure.com/openai/v1')).toBe('azure@https://res-a.openai.azure.com');
    expect(keySlot('azure', 'https://res-b.openai.azure.com/openai/v1')).not.toBe(keySlot('azure', 'https://res-a.openai.azure.com/openai/v1'));
    expect(keySlot('custom', 'https://a.example/v1')).not.toBe(keySlot('custom', 'https://b.example/v1'));
    // Same host, another port or scheme: another server.
    expect(keySlot('custom', 'https://a.example:8443/v1')).not.toBe(keySlot('custom', 'https://a.example/v1'));
    expect(keySlot('custom', 'http://a.example/v1')).not.toBe(keySlot('custom', 'https://a.example/v1'));
    expect(keySlot('vllm', 'http://localhost:8000/v1')).toBe('vllm@http://localhost:8000');
    expect(keySlot('vscode-lm', '')).toBeUndefined();
  });

  it("never hands the shared OpenAI / OpenRouter key to another server, nor the environment's key to anything but OpenAI", () => {
    // tandem.provider says openai, but the base URL moved: that server gets its own slot (and is asked for a key).
    for (const url of ['https://evil.example/v1', 'http://api.openai.com/v1', 'https://api.openai.com.evil.example/v1', 'https://user:pw@api.openai.com/v1', 'http://127.0.0.1:4000/v1']) {
      expect(keySlot('openai', url), url).not.toBe('openai');
      expect(keySlot('openrouter', url), url).not.toBe('openrouter');
      expect(environmentKeyApplies(url), url).toBe(false);
    }
    expect(keySlot('openai', 'https://API.openai.com/v1')).toBe('openai');
    expect(environmentKeyApplies('https://api.openai.com/v1')).toBe(true);
    expect(environmentKeyApplies('https://openrouter.ai/api/v1')).toBe(false);
    expect(environmentKeyApplies('http://localhost:11434/v1')).toBe(false);
    // TANDEM_API_KEY is the user's key for Tandem: it goes to the configured server (a workspace cannot change it).
    expect(environmentKeyFor('http://127.0.0.1:4000/v1', { OPENAI_API_KEY: 'sk-openai' })).toBeUndefined();
    expect(environmentKeyFor('http://127.0.0.1:4000/v1', { OPENAI_API_KEY: 'sk-openai', TANDEM_API_KEY: ' for-tandem ' })).toBe('for-tandem');
    expect(environmentKeyFor('https://api.openai.com/v1', { OPENAI_API_KEY: 'sk-openai' })).toBe('sk-openai');
    expect(environmentKeyFor('https://api.openai.com/v1', {})).toBeUndefined();
  });

  it('accepts a VS Code language model setup without a base URL, key or wire API', () => {
    expect(parseSetup({ provider: 'vscode-lm', baseUrl: 'ignored', model: '', wireApi: 'nonsense' })).toEqual({ provider: 'vscode-lm', baseUrl: '', model: '', wireApi: 'chat' });
    expect(parseSetup({ provider: 'vscode-lm', model: 'copilot/gpt-5' })).toMatchObject({ model: 'copilot/gpt-5' });
    expect(parseSetup({ provider: 'vscode-lm', model: 'has space' })).toBeUndefined();
    expect(parseSetup({ provider: 'vscode-lm', model: 5 })).toBeUndefined();
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
