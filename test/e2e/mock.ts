// Client for the mock OpenAI server (test/fixtures/mockOpenAIServer.ts), run as its own process so the
// extension host reaches it over real HTTP. Protocol: it prints `LISTENING <baseUrl>`; POST /__script sets
// the scripted responses; GET /__requests returns the request log.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, log, spawnGroup, tail, waitFor } from './harness.ts';
import type { GroupProcess } from './harness.ts';
import type { MockResponse, RecordedRequest } from '../fixtures/mockOpenAI.ts';

export type { MockResponse, RecordedRequest };

export const MOCK_ENTRY = path.join(REPO_ROOT, 'test', 'fixtures', 'mockOpenAIServer.ts');

export class MockOpenAI {
  readonly baseUrl: string;
  readonly logFile: string;
  private readonly proc: GroupProcess;

  private constructor(baseUrl: string, logFile: string, proc: GroupProcess) {
    this.baseUrl = baseUrl;
    this.logFile = logFile;
    this.proc = proc;
  }

  static async start(root: string): Promise<MockOpenAI> {
    if (!fs.existsSync(MOCK_ENTRY)) throw new Error(`mock server entry ${MOCK_ENTRY} does not exist`);
    const logFile = path.join(root, 'mock-openai.log');
    const proc = spawnGroup(process.execPath, ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', MOCK_ENTRY], { cwd: REPO_ROOT, env: process.env, logFile });
    let exited: number | string | undefined;
    void proc.exited.then((code) => (exited = code));
    try {
      const baseUrl = await waitFor('the mock to print LISTENING <baseUrl>', () => {
        if (exited !== undefined) throw new Error(`mock exited (${exited})`);
        return /LISTENING (\S+)/.exec(fs.readFileSync(logFile, 'utf8'))?.[1];
      }, 30_000);
      log(`mock OpenAI listening at ${baseUrl}`);
      return new MockOpenAI(baseUrl.replace(/\/$/, ''), logFile, proc);
    } catch (err) {
      await proc.stop();
      throw new Error(`${(err as Error).message}\n--- ${logFile} ---\n${tail(logFile)}`);
    }
  }

  /** The server's origin (the control endpoints live at its root, whatever path baseUrl has). */
  private get origin(): string {
    return new URL(this.baseUrl).origin;
  }

  /** Replaces the scripted responses (consumed one per model request, in order). */
  async script(responses: MockResponse[]): Promise<void> {
    const res = await fetch(`${this.origin}/__script`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ responses }),
    });
    if (!res.ok) throw new Error(`POST /__script: ${res.status} ${await res.text()}`);
  }

  async requests(): Promise<RecordedRequest[]> {
    const res = await fetch(`${this.origin}/__requests`);
    if (!res.ok) throw new Error(`GET /__requests: ${res.status}`);
    return (await res.json()) as RecordedRequest[];
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }
}
