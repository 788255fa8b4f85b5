// Secrets Tandem itself holds must never reach a command the agent runs: a prompt-injected model could
// print them (`env`, `printenv`, `cat /proc/self/environ`) and send them on. This module names the
// environment variables that carry Tandem's own keys and drops them, and any variable whose value holds
// a known secret (the SecretStorage key in use, too), from the environment every runner builds for a
// command. It also feeds the process-wide secret registry that redacts command output and the session
// log: what a command can still read elsewhere (`/proc/$PPID/environ` of the unsandboxed extension host)
// is caught on the way out by value.
import { knownSecrets } from '../core/secrets/knownSecrets';

/** Variables that carry keys Tandem uses to talk to model providers: never passed to a command. */
export const TANDEM_SECRET_ENV_NAMES: readonly string[] = ['OPENAI_API_KEY', 'TANDEM_API_KEY', 'AZURE_OPENAI_API_KEY', 'OPENROUTER_API_KEY'];

/**
 * Other variables whose names say they hold a credential. Commands keep these (the user's `gh` or `aws`
 * needs them) but their values are redacted from what the model, the chat and the log see.
 */
const SECRET_LOOKING_NAME = /(?:^|_)(?:API_?KEY|TOKEN|SECRET|PASSWORD|PASSWD|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)(?:_|$)/i;

/** Keys Tandem itself uses: no variable carrying one of them reaches a command. */
const tandemKeys = new Set<string>();

/** Registers the values of Tandem's key variables and of credential-looking variables in `env`. */
export function rememberEnvironmentSecrets(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (TANDEM_SECRET_ENV_NAMES.includes(name)) rememberSecret(value);
    else if (SECRET_LOOKING_NAME.test(name)) knownSecrets.add(value);
  }
}

/** Registers a key Tandem is using (from SecretStorage, a flag, a file): kept out of commands and output. */
export function rememberSecret(value: string | undefined): void {
  const key = value?.trim();
  if (!key || key.length < 8) return;
  tandemKeys.add(key);
  knownSecrets.add(key);
}

/**
 * Removes Tandem's key variables, and every variable whose value contains one of `secretValues`
 * (default: every key Tandem uses, as registered with rememberSecret), in place.
 */
export function dropSecretsFromEnv(env: Record<string, string>, secretValues: readonly string[] = [...tandemKeys]): Record<string, string> {
  for (const name of TANDEM_SECRET_ENV_NAMES) delete env[name];
  const secrets = secretValues.map((v) => v.trim()).filter((v) => v.length >= 8);
  if (secrets.length > 0) for (const [key, value] of Object.entries(env)) if (secrets.some((s) => value.includes(s))) delete env[key];
  return env;
}

// Whoever builds a command environment imports this module, so the process's own key variables are
// known as secrets before the first command can print them, even if no caller registered them.
rememberEnvironmentSecrets();
