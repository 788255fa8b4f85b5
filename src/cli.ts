// Headless Tandem on the same core as the extension; `exec` runs one SDK thread (src/sdk/threadFactory.ts).
//   tandem exec [--json] [--model M] [--base-url URL] [--wire-api responses|chat]
//               [--approval read-only|auto|full-access] [--sandbox workspace-write|read-only|off]
//               [--sandbox-network] [--cd DIR] [--context-window TOKENS] [--max-steps N]
//               [--resume SESSION_ID] [--mcp-config FILE] [--trust-workspace-mcp] PROMPT
//   tandem apply-patch [--allow-outside] [PATCH]   (patch from the argument or stdin; exit 0 applied, 1 not)
//   tandem review [--uncommitted | --staged | --base BRANCH | --commit SHA] [--json] [--fail-on P0..P3]  (cliReview.ts)
// Every write of both commands goes through confinedWriterFs: it lands inside the working directory
// (exec: the workspace) even while a directory is being swapped for a symlink.
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type { ApprovalPolicy } from './core/approvals/policy';
import type { SandboxMode } from './core/ports';
import { computeChangeSet } from './core/patch/apply';
import { parsePatch } from './core/patch/parser';
import { pathsLeavingDirectory } from './core/tools/patchConfinement';
import type { AgentEvent } from './shared/events';
import { rememberSecret } from './node/commandSecrets';
import { confinedWriterFs } from './node/confinedWriterFs';
import { writeChangeSetAtomically } from './node/fsChangeSetWriter';
import { NodeFileReader } from './node/nodeFileReader';
import type * as SdkThreads from './sdk/threadFactory';
import type { InternalThreadOptions } from './sdk/threadFactory';
import type * as CliMcp from './cliMcp';
import type * as CliReview from './cliReview';
import { REVIEW_USAGE, ReviewUsageError } from './cliReviewUsage';
import type * as MessageSkills from './node/skills/messageSkills';
import type * as SessionSkills from './node/skills/sessionSkills';

const USAGE = `Usage:
  tandem exec [--json] [--model M] [--base-url URL] [--wire-api responses|chat]
              [--approval read-only|auto|full-access] [--sandbox workspace-write|read-only|off]
              [--sandbox-network] [--cd DIR] [--context-window TOKENS] [--max-steps N]
              [--resume SESSION_ID] [--mcp-config FILE] [--trust-workspace-mcp] PROMPT
  tandem apply-patch [--allow-outside] [PATCH]
                                 apply a patch (argument or stdin) in the current directory, atomically;
                                 absolute and ../ paths (and links out of the directory) are refused, as
                                 git apply does, unless --allow-outside is given
${REVIEW_USAGE}

exec runs one agent turn headless. The API key comes from OPENAI_API_KEY, the base URL from --base-url,
OPENAI_BASE_URL or https://api.openai.com/v1. --approval defaults to read-only (nothing is written); there
is no one to ask, so anything that would need approval is denied. Commands run in an OS sandbox
(--sandbox, default workspace-write): a command judged read-only runs with nothing writable and no network;
one allowed to write gets the workspace and a private temp dir, no network unless --sandbox-network; full
access gets everything writable except .git, .vscode, .tandem, .agents, AGENTS.md and .mcp.json. Where no sandbox works (no bwrap,
Windows) or with --sandbox off, only a strict allow-list of read-only commands runs (plus everything under
--approval full-access); exec denies the rest. --json prints one event per line.
The conversation is compacted when it nears the model's context window (--context-window overrides the
window the model id implies; --json prints a context.compacted event). A turn pauses after --max-steps
model requests (default 400). Sessions are logged under ~/.tandem/sessions; --resume SESSION_ID continues
one (its workspace and model unless --cd / --model say otherwise).
MCP servers: --mcp-config FILE (VS Code's .vscode/mcp.json shape or .mcp.json's) starts its servers and
offers their tools. MCP servers run outside the sandbox with your permissions: the workspace's own
.vscode/mcp.json and .mcp.json start only with --trust-workspace-mcp (never because of --approval; use it
only for a repository you trust). Servers not up within 30 s are left out of the run. Each tool call
follows --approval: full-access runs it, auto runs the ones the server marks read-only, the rest need
approval and are denied.`;

const SANDBOX_MODES: SandboxMode[] = ['workspace-write', 'read-only', 'off'];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function applyPatchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'allow-outside': { type: 'boolean', default: false } } });
  const patch = positionals[0] ?? (await readStdin());
  const cwd = process.cwd();
  const allowOutside = values['allow-outside'] === true;
  try {
    if (!allowOutside) {
      const leaving = pathsLeavingDirectory(parsePatch(patch));
      if (leaving.length > 0) {
        process.stderr.write(`refusing to touch ${leaving.map((p) => JSON.stringify(p)).join(', ')}: outside the current directory (pass --allow-outside to allow it)\n`);
        return 1;
      }
    }
    const changeSet = await computeChangeSet(patch, cwd, new NodeFileReader());
    await writeChangeSetAtomically(changeSet, allowOutside ? undefined : confinedWriterFs([cwd]));
    for (const change of changeSet.changes) {
      const letter = change.kind === 'add' ? 'A' : change.kind === 'delete' ? 'D' : 'M';
      process.stdout.write(`${letter} ${path.relative(cwd, change.movePath ?? change.path)}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function printHuman(event: AgentEvent): void {
  switch (event.type) {
    case 'message.delta':
      process.stdout.write(event.delta);
      break;
    case 'message.completed':
      process.stdout.write('\n');
      break;
    case 'tool.started':
      process.stderr.write(`\n$ ${event.title}\n`);
      break;
    case 'tool.output':
      process.stderr.write(event.chunk);
      break;
    case 'tool.ended':
      process.stderr.write(`\n[${event.status}${event.exitCode !== undefined ? `, exit ${event.exitCode}` : ''}, ${event.durationMs} ms]\n`);
      break;
    case 'plan.updated':
      process.stderr.write(event.plan.map((s) => `  [${s.status === 'completed' ? 'x' : s.status === 'in_progress' ? '>' : ' '}] ${s.step}`).join('\n') + '\n');
      break;
    case 'patch.resolved':
      process.stderr.write(`patch ${event.outcome}${event.message ? `: ${event.message}` : ''}\n`);
      break;
    case 'retrying':
      process.stderr.write(`${event.reason} Retrying in ${Math.round(event.delayMs / 1000)}s…\n`);
      break;
    case 'context.compacted':
      process.stderr.write(`[context compacted (#${event.count}): ${event.tokensBefore} → ${event.tokensAfter} tokens]\n`);
      break;
    case 'turn.failed':
      process.stderr.write(`error: ${event.error.message}\n`);
      break;
    default:
      break;
  }
}

async function execCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      model: { type: 'string' },
      'base-url': { type: 'string' },
      'wire-api': { type: 'string', default: 'responses' },
      approval: { type: 'string', default: 'read-only' },
      sandbox: { type: 'string', default: 'workspace-write' },
      'sandbox-network': { type: 'boolean', default: false },
      cd: { type: 'string' },
      'context-window': { type: 'string' },
      'max-steps': { type: 'string' },
      resume: { type: 'string' },
      'mcp-config': { type: 'string' },
      'trust-workspace-mcp': { type: 'boolean', default: false },
    },
  });
  const prompt = positionals.join(' ').trim() || (process.stdin.isTTY ? '' : (await readStdin()).trim());
  if (!prompt) throw new UsageError('exec needs a PROMPT.');
  const approval = values.approval as ApprovalPolicy;
  if (!['read-only', 'auto', 'full-access'].includes(approval)) throw new UsageError(`--approval must be read-only, auto or full-access (got ${approval}).`);
  const sandboxMode = values.sandbox as SandboxMode;
  if (!SANDBOX_MODES.includes(sandboxMode)) throw new UsageError(`--sandbox must be workspace-write, read-only or off (got ${sandboxMode}).`);
  const wireApi = values['wire-api'];
  if (wireApi !== 'responses' && wireApi !== 'chat') throw new UsageError(`--wire-api must be responses or chat (got ${wireApi}).`);
  const apiKey = process.env.OPENAI_API_KEY?.trim();
  rememberSecret(apiKey);
  if (!apiKey) {
    process.stderr.write('error: OPENAI_API_KEY is not set.\n');
    return 1;
  }
  const contextWindow = positiveInteger(values['context-window'], '--context-window');
  const maxSteps = positiveInteger(values['max-steps'], '--max-steps');
  // The run is an SDK thread (src/sdk): the same wiring, log folder and event stream as `tandem/sdk`.
  const { ThreadFactory } = loadSdkThreads();
  const threads = new ThreadFactory({ apiKey, baseUrl: values['base-url'] ?? process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1', wireApi, sessionsDir: path.join(os.homedir(), '.tandem', 'sessions') });
  let mcp: Awaited<ReturnType<typeof CliMcp.startCliMcp>>;
  const cwd = values.cd !== undefined ? path.resolve(values.cd) : undefined;
  const threadOptions: InternalThreadOptions = {
    ...(cwd !== undefined ? { workingDirectory: cwd } : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
    approval,
    sandbox: sandboxMode,
    sandboxNetwork: values['sandbox-network'] === true,
    ...(maxSteps !== undefined ? { maxSteps } : {}),
    ...(contextWindow !== undefined ? { contextWindow } : {}),
    onNotice: (notice) => process.stderr.write(`note: ${cliNotice(notice)}\n`),
    onApproval: async () => ({ decision: 'deny', note: `tandem exec cannot ask for approval (--approval ${approval}).` }),
    unreviewableChange: 'This change needs approval and tandem exec cannot ask; nothing was written.',
    // The servers start once the workspace is known (a resumed session's own, unless --cd says otherwise).
    extraTools: async (thread) => {
      mcp = await loadCliMcp().startCliMcp({ ...(values['mcp-config'] !== undefined ? { configFile: values['mcp-config'] } : {}), cwd: thread.cwd, approval, trustWorkspaceMcp: values['trust-workspace-mcp'] === true, note: (line) => process.stderr.write(`note: ${line}\n`) });
      return mcp?.tools ?? [];
    },
  };
  let thread;
  try {
    thread = values.resume !== undefined ? await threads.resumeThread(values.resume, threadOptions) : threads.startThread(threadOptions);
  } catch (error) {
    if (values.resume !== undefined) {
      const message = error instanceof Error ? error.message : String(error);
      throw new UsageError(`--resume: ${message.charAt(0).toLowerCase()}${message.slice(1)}`);
    }
    throw error;
  }
  // The servers are child processes: stopped whatever happens to the run.
  try {
    const controller = new AbortController();
    process.once('SIGINT', () => controller.abort(new Error('interrupted')));
    let exitCode = 0;
    const { events } = await thread.runStreamed(await withSkills(prompt, thread.workingDirectory), { signal: controller.signal });
    for await (const event of events) {
      if (event.type === 'turn.failed') exitCode = 1;
      if (event.type === 'turn.completed' && event.stopped) exitCode = 130;
      if (values.json) process.stdout.write(JSON.stringify(event) + '\n');
      else printHuman(event);
    }
    await thread.close();
    return exitCode;
  } finally {
    await mcp?.dispose();
  }
}

/** `$name` in the prompt attaches that skill's instructions, as in the chat's composer. */
async function withSkills(prompt: string, cwd: string): Promise<string> {
  const files = new NodeFileReader();
  const expanded = await loadMessageSkills().withInvokedSkills(prompt, prompt, files, () => loadSessionSkills().loadSessionSkills(files, { workspaceRoot: cwd, cwd, includeProject: true }));
  for (const problem of expanded.problems) process.stderr.write(`note: ${problem}\n`);
  return expanded.text;
}

/** The SDK's notices, with what they mean for a run that cannot ask anyone. */
function cliNotice(notice: string): string {
  if (notice.startsWith('no pseudo-terminal')) return `${notice}.`;
  if (notice.startsWith('no OS sandbox')) return `${notice}. Commands not known to be read-only need approval, which exec cannot give: they are denied (only a strict allow-list of read-only commands runs).`;
  return notice;
}

class UsageError extends Error {}

// The agent (and with it the openai SDK, ~200 ms to load) and the review code are required only when a
// command needs them, so `tandem --help` and `tandem apply-patch` start about as fast as plain Node.
// esbuild keeps these in the one bundle and turns each into a lazily evaluated module.
// (Each require names its module literally: esbuild bundles only those.)
/* eslint-disable @typescript-eslint/no-require-imports -- deliberate: deferred module evaluation */
const loadSdkThreads = (): typeof SdkThreads => require('./sdk/threadFactory') as typeof SdkThreads;
const loadCliReview = (): typeof CliReview => require('./cliReview') as typeof CliReview;
const loadCliMcp = (): typeof CliMcp => require('./cliMcp') as typeof CliMcp;
const loadMessageSkills = (): typeof MessageSkills => require('./node/skills/messageSkills') as typeof MessageSkills;
const loadSessionSkills = (): typeof SessionSkills => require('./node/skills/sessionSkills') as typeof SessionSkills;
/* eslint-enable @typescript-eslint/no-require-imports */

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) throw new UsageError(`${flag} must be a positive whole number (got ${value}).`);
  return Number(value);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'exec') return await execCommand(rest);
    if (command === 'apply-patch') return await applyPatchCommand(rest);
    if (command === 'review') return await loadCliReview().reviewCommand(rest);
    process.stdout.write(USAGE + '\n');
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ReviewUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
