// Secrets Tandem itself holds must never reach a command the agent runs: a prompt-injected model could
// print them (`env`, `printenv`) and send them on. This module names the environment variables that
// carry Tandem's own keys, and drops them (and any variable whose value is a known secret) from the
// environment every runner builds for a command.

/** Variables that carry keys Tandem uses to talk to model providers. */
export const TANDEM_SECRET_ENV_NAMES: readonly string[] = ['OPENAI_API_KEY', 'TANDEM_API_KEY', 'AZURE_OPENAI_API_KEY', 'OPENROUTER_API_KEY'];

/** Removes Tandem's key variables, and every variable whose value is one of `secretValues`, in place. */
export function dropSecretsFromEnv(env: Record<string, string>, secretValues: readonly string[] = []): Record<string, string> {
  for (const name of TANDEM_SECRET_ENV_NAMES) delete env[name];
  const secrets = new Set(secretValues.filter((v) => v.length >= 8));
  if (secrets.size > 0) for (const [key, value] of Object.entries(env)) if (secrets.has(value)) delete env[key];
  return env;
}
