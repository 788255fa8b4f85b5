// The user's per-model overrides and window setting: read from the user's settings only (a repository's
// settings cannot shrink or inflate the window or claim capabilities), junk ignored, no prototype tricks.
import { describe, expect, it } from 'vitest';
import { resolveModelOverride } from '../../../src/vscode/setup/modelSettings';

const none = {};

describe('resolveModelOverride', () => {
  it("takes the configured model's entry from the user's tandem.models", () => {
    const models = { globalValue: { 'my-vlm': { contextWindow: 32_768, imageInput: true }, other: { contextWindow: 8_192 } } };
    expect(resolveModelOverride(models, none, 'my-vlm')).toEqual({ value: { contextWindow: 32_768, imageInput: true }, ignored: [] });
  });

  it('lets tandem.contextWindow win over the per-model window, and 0 mean "not set"', () => {
    const models = { globalValue: { m: { contextWindow: 32_768 } } };
    expect(resolveModelOverride(models, { globalValue: 16_384 }, 'm').value).toEqual({ contextWindow: 16_384 });
    expect(resolveModelOverride(models, { globalValue: 0, defaultValue: 0 }, 'm').value).toEqual({ contextWindow: 32_768 });
  });

  it('ignores workspace values and says so', () => {
    const result = resolveModelOverride(
      { workspaceValue: { m: { contextWindow: 2_000, toolCalling: true } } },
      { workspaceFolderValue: 1_000_000 },
      'm',
    );
    expect(result.value).toEqual({});
    expect(result.ignored).toEqual(['tandem.models from the workspace settings', 'tandem.contextWindow: 1000000 from the workspace folder settings']);
  });

  it.each<[string, unknown, string]>([
    ['an inherited key', {}, '__proto__'],
    ['toString', {}, 'toString'],
    ['a list instead of a table', [{ contextWindow: 9_999 }], '0'],
    ['a string entry', { m: 'big' }, 'm'],
    ['a window too small to hold a prompt', { m: { contextWindow: 10 } }, 'm'],
  ])('states nothing for %s', (_name, table, model) => {
    expect(resolveModelOverride({ globalValue: table }, none, model).value).toEqual({});
  });
});
