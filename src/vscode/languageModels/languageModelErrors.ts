// What a VS Code language model request throws (vscode.LanguageModelError with its `code`, a provider
// extension's own error, a cancellation the provider started) as Tandem's classified ModelErrors, with
// messages that say what to do. Pure (errors are told apart by name and code, as VS Code's docs advise), so
// it is tested without VS Code. The provider is another extension: its message is trimmed and scrubbed.
import { ModelError, redactSecrets } from '../../core/model/errors';

const MAX_DETAIL_CHARS = 300;

/** The API's error codes (vscode.LanguageModelError.<code>.name). */
export const LANGUAGE_MODEL_ERROR_CODES = ['NoPermissions', 'Blocked', 'NotFound'] as const;

function detail(error: unknown): string {
  const own = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  const cause = error instanceof Error && error.cause instanceof Error && error.cause.message !== own ? ` (${error.cause.message})` : '';
  // eslint-disable-next-line no-control-regex -- control characters from another extension are not shown
  const clean = redactSecrets(`${own}${cause}`).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').trim();
  return clean.length > MAX_DETAIL_CHARS ? `${clean.slice(0, MAX_DETAIL_CHARS)}…` : clean;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function isLanguageModelError(error: unknown): boolean {
  return error instanceof Error && error.name === 'LanguageModelError';
}

export function classifyLanguageModelError(error: unknown, modelLabel: string): ModelError {
  if (error instanceof ModelError) return error;
  const said = detail(error);
  const saying = said ? ` (${said})` : '';
  const code = isLanguageModelError(error) ? errorCode(error) : undefined;
  const options = { cause: error };
  switch (code) {
    case 'NoPermissions':
      return new ModelError(
        'bad_request',
        `VS Code did not let Tandem use ${modelLabel}${saying}. If you declined VS Code's permission prompt, allow Tandem to use the model (Accounts menu → Manage Language Model Access) and send again.`,
        options,
      );
    case 'Blocked':
      return new ModelError('rate_limited', `${modelLabel} is blocked for Tandem right now${saying}: a quota or rate limit of its provider. Try again later, or choose another model.`, options);
    case 'NotFound':
      return new ModelError('bad_request', `${modelLabel} is no longer available in VS Code${saying}. The extension that provides it may be disabled, uninstalled or signed out; choose another model.`, options);
  }
  if (/context (length|window)|too many tokens|token limit|prompt is too long|maximum context/i.test(said)) {
    return new ModelError('context_length', `The conversation is too long for ${modelLabel}${saying}. Start a new chat (or remove large attachments) and try again.`, options);
  }
  if (/\b429\b|rate.?limit/i.test(said)) {
    return new ModelError('rate_limited', `${modelLabel} is rate limited${saying}.`, { ...options, retryable: true });
  }
  // VS Code's CancellationError: the provider gave up on its own (our Stop never reaches this: see streamFailure).
  if (error instanceof Error && error.name === 'Canceled') {
    return new ModelError('stream_dropped', `${modelLabel} cancelled the response before it finished. Try again.`, { ...options, retryable: true });
  }
  return new ModelError('server', `${modelLabel} failed${saying}. Try again; if it keeps failing, check the extension that provides the model.`, { ...options, retryable: true });
}
