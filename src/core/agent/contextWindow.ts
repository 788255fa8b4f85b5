// How many tokens a model's context holds, for the chat's context meter and compaction, from the model id
// alone (model/modelInfo.ts: the known-models table, else a conservative default rather than a number
// that would make the meter look emptier than it is). Callers that know more (the provider's /models, the
// user's `tandem.contextWindow` or `tandem.models`) pass the window explicitly (compaction.contextWindow).
import { DEFAULT_MODEL_INFO, resolveModelInfo } from '../model/modelInfo';

export const DEFAULT_CONTEXT_WINDOW = DEFAULT_MODEL_INFO.contextWindow;

export function contextWindowFor(model: string): number {
  return resolveModelInfo(model).contextWindow;
}
