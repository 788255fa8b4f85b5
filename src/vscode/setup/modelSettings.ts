// The user's word on the configured model (`tandem.models["<id>"]` and `tandem.contextWindow`), read from
// the user's settings only: a repository's .vscode/settings.json could otherwise shrink the window (compact
// at every step), inflate it (never compact), or claim image input or tool calling for a model. Workspace
// values are named as ignored. No `vscode` import at run time: config.ts passes `inspect()` results in.
import { MAX_CONTEXT_WINDOW, modelFactsFromSetting, type ModelFacts } from '../../core/model/modelInfo';
import { resolveUserOnlyNumber } from '../../core/settings/safeSettings';

interface Inspected {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

function workspaceValues(name: string, inspected: Inspected): string[] {
  return (
    [
      ['workspace', inspected.workspaceValue],
      ['workspace folder', inspected.workspaceFolderValue],
    ] as const
  )
    .filter(([, v]) => v !== undefined)
    .map(([scope]) => `${name} from the ${scope} settings`);
}

/** What the user's settings say about `model` (the window setting wins over the per-model one), and what was ignored. */
export function resolveModelOverride(models: Inspected, contextWindow: Inspected, model: string): { value: ModelFacts; ignored: string[] } {
  const table = models.globalValue;
  const entry = typeof table === 'object' && table !== null && !Array.isArray(table) && Object.hasOwn(table, model) ? (table as Record<string, unknown>)[model] : undefined;
  const window = resolveUserOnlyNumber('tandem.contextWindow', contextWindow, 0, { min: 0, max: MAX_CONTEXT_WINDOW, integer: true });
  const windowFacts = modelFactsFromSetting({ contextWindow: window.value });
  return {
    value: { ...modelFactsFromSetting(entry), ...windowFacts },
    ignored: [...workspaceValues('tandem.models', models), ...window.ignored],
  };
}
