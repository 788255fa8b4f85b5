// The agent loop's last line of defence for secrets: a key Tandem knows never reaches the model in a
// tool's output or in the user's own message (an attached .env), whichever tool or path produced it.
// Real mock server, real SDK, real PTY runner.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownSecrets } from '../../../../src/core/secrets/knownSecrets';
import { testAgentSession } from '../../../fixtures/agentSessionFixture';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';

const SECRET = 'sk-test-REDACTME-5f2b9c7e1d';
let server: MockOpenAI;
beforeAll(async () => {
  server = await startMockOpenAI();
  knownSecrets.add(SECRET);
});
afterAll(async () => {
  await server.close();
});

describe.each(['responses', 'chat'] as const)('secrets over %s', (wireApi) => {
  it('neither a command that prints the key nor a message that quotes it sends the key to the model', async () => {
    const cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-secret-')));
    fs.writeFileSync(path.join(cwd, '.env'), `OPENAI_API_KEY=${SECRET}\n`);
    server.requests.length = 0;
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'cat .env; printf %s "$OPENAI_API_KEY"' }, 'c1')] }, { steps: [mock.text('done')] }]);
    const agent = testAgentSession({ baseUrl: server.baseUrl, cwd, wireApi, sessionId: 'sess-secret' });
    const previous = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = SECRET;
    try {
      for await (const event of agent.submit({ type: 'user_turn', text: `my .env says OPENAI_API_KEY=${SECRET}` })) void event;
    } finally {
      if (previous === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = previous;
      fs.rmSync(cwd, { recursive: true, force: true });
    }
    expect(server.requests.length).toBe(2);
    const sent = JSON.stringify(server.requests.map((r) => r.body));
    expect(sent).not.toContain(SECRET);
    // The output did reach the model, with the key replaced (so the check above is not vacuous).
    expect(sent).toContain('OPENAI_API_KEY=');
    expect(JSON.stringify(agent.conversation)).not.toContain(SECRET);
  });
});
