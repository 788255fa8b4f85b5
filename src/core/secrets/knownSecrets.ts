// The secrets this Tandem process holds (the API key in use, values of environment variables that carry
// keys), shared by everything that must not show them: command output on its way to the model and the
// chat card, and the session log. One registry per process because the secrets are per process: a key
// set in one window's SecretStorage is the same key in every session. Secrets are only ever added: a
// key that was cleared or replaced must still be redacted if some output prints it later.
import { redactForms, StreamRedactor } from './redact';
import { MIN_SECRET_LENGTH, secretForms } from './secretForms';

export class SecretRegistry {
  private readonly values = new Set<string>();
  private forms: string[] = [];

  /** Remembers `value` (trimmed) as a secret; ignored when shorter than MIN_SECRET_LENGTH. */
  add(value: string | undefined): void {
    const secret = value?.trim();
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.values.has(secret)) return;
    this.values.add(secret);
    this.forms = [...new Set([...this.forms, ...secretForms(secret)])].sort((a, b) => b.length - a.length);
  }

  /** The raw secret values (for dropping variables that carry them from a command's environment). */
  list(): string[] {
    return [...this.values];
  }

  /** Every redacted spelling, longest first. */
  allForms(): readonly string[] {
    return this.forms;
  }

  redact(text: string): string {
    return this.forms.length === 0 ? text : redactForms(text, this.forms);
  }

  /** A streaming redactor that follows this registry (secrets added later apply from the next chunk). */
  streamRedactor(): StreamRedactor {
    return new StreamRedactor(() => this.forms);
  }

  /** Redacts every string inside a JSON-like value (a session log record), returning a copy when changed. */
  redactDeep<T>(value: T): T {
    if (this.forms.length === 0) return value;
    return redactValue(value, this) as T;
  }
}

function redactValue(value: unknown, registry: SecretRegistry): unknown {
  if (typeof value === 'string') return registry.redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, registry));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = redactValue(v, registry);
    return out;
  }
  return value;
}

/** The process-wide registry: the key stores and the CLI add to it, output paths redact with it. */
export const knownSecrets = new SecretRegistry();
