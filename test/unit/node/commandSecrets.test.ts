// Tandem's keys never reach a command, and known secrets never reach the model, the chat card or the
// session log, through real commands in a real pseudo-terminal: env, printenv, /proc/self/environ, the
// parent's /proc/$PPID/environ (the unsandboxed extension host's environment), and the cheap tricks a
// command would use to get a value past redaction (split with a pause, base64, colour codes between
// the characters).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownSecrets } from '../../../src/core/secrets/knownSecrets';
import { REDACTED } from '../../../src/core/secrets/redact';
import { execCommandTool } from '../../../src/core/tools/execCommand';
import { dropSecretsFromEnv, rememberEnvironmentSecrets, rememberSecret, TANDEM_SECRET_ENV_NAMES } from '../../../src/node/commandSecrets';
import { commandEnv } from '../../../src/node/ptyRunner';
import { SessionWriter } from '../../../src/node/sessionStore';
import { makeContext } from '../core/tools/toolContext';

// Random per run, so a match can only come from the value leaking, never from fixed text.
const rand = () => Math.random().toString(36).slice(2, 14);
const ENV_KEY = `sk-env-${rand()}${rand()}`;
const STORED_KEY = `sk-stored-${rand()}${rand()}`;
const GH_TOKEN = `ghp_${rand()}${rand()}`;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-secrets-'));
  process.env.OPENAI_API_KEY = ENV_KEY;
  process.env.GITHUB_TOKEN = GH_TOKEN;
  // A variable that happens to carry the SecretStorage key (e.g. the user exported it under another name).
  process.env.MY_BACKUP_OF_THE_KEY = `Bearer ${STORED_KEY}`;
  rememberEnvironmentSecrets();
  rememberSecret(STORED_KEY); // what ApiKeyStore does with the SecretStorage value
});

afterAll(() => {
  delete process.env.OPENAI_API_KEY;
  delete process.env.GITHUB_TOKEN;
  delete process.env.MY_BACKUP_OF_THE_KEY;
  rmSync(dir, { recursive: true, force: true });
});

async function run(cmd: string) {
  const ctx = makeContext({ cwd: dir });
  const writer = new SessionWriter(join(dir, `log-${rand()}.jsonl`));
  ctx.emit = (event) => {
    ctx.events.push(event);
    writer.event(event);
  };
  const result = await execCommandTool.run(execCommandTool.parse(JSON.stringify({ cmd, yield_time_ms: 20_000 })), ctx);
  writer.event({ type: 'tool.ended', turnId: ctx.turnId, callId: ctx.callId, status: result.status, durationMs: 0 });
  await writer.flush();
  return { model: result.output, card: ctx.outputOf(), log: readFileSync(writer.file, 'utf8') };
}

function expectNoSecret(seen: { model: string; card: string; log: string }): void {
  for (const [where, text] of Object.entries(seen)) {
    for (const secret of [ENV_KEY, STORED_KEY, GH_TOKEN]) expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
  }
}

describe('command environment', () => {
  it("drops Tandem's key variables and any variable carrying a known secret, keeps the rest", () => {
    const env = commandEnv(undefined, 'xterm');
    for (const name of TANDEM_SECRET_ENV_NAMES) expect(env[name]).toBeUndefined();
    expect(env.MY_BACKUP_OF_THE_KEY).toBeUndefined();
    expect(env.GITHUB_TOKEN).toBe(GH_TOKEN); // the user's tools keep their own credentials
    expect(env.PATH).toBe(process.env.PATH);
    expect(dropSecretsFromEnv({ A: 'x', B: `pre${STORED_KEY}post`, TANDEM_API_KEY: 'whatever' })).toEqual({ A: 'x' });
  });
});

describe('secrets in command output', () => {
  it('printenv finds no key variable', async () => {
    const seen = await run('printenv OPENAI_API_KEY; printenv MY_BACKUP_OF_THE_KEY; echo "[$OPENAI_API_KEY]"');
    expect(seen.model).toContain('[]');
    expectNoSecret(seen);
  });

  it('env and /proc/self/environ show no key; the GitHub token the command keeps is redacted', async () => {
    const seen = await run("env; tr '\\0' '\\n' < /proc/self/environ");
    expect(seen.model).toContain(`GITHUB_TOKEN=${REDACTED}`);
    expect(seen.card).toContain(`GITHUB_TOKEN=${REDACTED}`);
    expectNoSecret(seen);
  });

  it("another process's environment (like the extension host's /proc/$PPID/environ) is redacted by value", async () => {
    // /proc/<pid>/environ is the environment a process started with; this test process started without
    // the keys, so a stand-in for the extension host is started with them.
    const host = spawn('sleep', ['30'], { env: { ...process.env }, stdio: 'ignore' });
    try {
      expect(await run(`test -r /proc/$PPID/environ && echo readable`).then((s) => s.model)).toContain('readable');
      const seen = await run(`tr '\\0' '\\n' < /proc/${host.pid}/environ | grep -a -e OPENAI_API_KEY -e MY_BACKUP`);
      expect(seen.model).toContain(`OPENAI_API_KEY=${REDACTED}`);
      expect(seen.model).toContain(`MY_BACKUP_OF_THE_KEY=Bearer ${REDACTED}`);
      expect(seen.card).toContain(`OPENAI_API_KEY=${REDACTED}`);
      expectNoSecret(seen);
    } finally {
      host.kill();
    }
  });

  it('a key printed in two halves with a pause between is still redacted', async () => {
    const half = Math.floor(STORED_KEY.length / 2);
    const seen = await run(`printf '%s' '${STORED_KEY.slice(0, half)}'; sleep 0.3; printf '%s\\n' '${STORED_KEY.slice(half)}'`);
    expect(seen.model).toContain(REDACTED);
    expectNoSecret(seen);
  });

  it('base64, hex and colour codes between the characters do not get the key past', async () => {
    const ansi = [...STORED_KEY].map((c) => `${c}\\033[0m`).join('');
    const seen = await run(
      `printf 'xy%s' '${STORED_KEY}' | base64 -w0; echo; printf '%s' '${STORED_KEY}' | od -An -tx1 | tr -d ' \\n'; echo; printf '${ansi}\\n'`,
    );
    expect(seen.model.split(REDACTED).length - 1).toBeGreaterThanOrEqual(3);
    expect(seen.model).not.toContain(STORED_KEY);
    expect(seen.model).not.toContain(Buffer.from(STORED_KEY).toString('hex'));
  });

  it('the registry knows the keys (so every output path can redact them)', () => {
    expect(knownSecrets.list()).toEqual(expect.arrayContaining([ENV_KEY, STORED_KEY, GH_TOKEN]));
  });
});
