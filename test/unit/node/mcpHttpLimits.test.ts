// Hardening from the red-team review: a hostile or slow HTTP MCP server cannot hold a run or fill memory.
// Starting (connect plus every tools/list page) has one deadline in total, so a server that answers each
// page just in time and always names a next one fails at the deadline instead of after 20 pages; and a
// response body larger than the cap (per message on an event stream) ends the request with a clear reason.
// The server here is a bare HTTP endpoint speaking just enough JSON-RPC, so each misbehaviour is exact.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpServerConfig } from '../../../src/core/mcp/config';
import { boundedFetch } from '../../../src/node/mcp/boundedFetch';
import { McpManager } from '../../../src/node/mcp/mcpManager';

type ToolsList = (id: unknown, res: ServerResponse) => void;

let http: Server | undefined;
let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.dispose();
  manager = undefined;
  http?.closeAllConnections();
  http?.close();
  http = undefined;
});

async function rawServer(toolsList: ToolsList): Promise<{ url: string; pages: () => number }> {
  let pages = 0;
  http = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return void res.writeHead(405).end();
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const message = JSON.parse(body) as { id?: unknown; method: string; params?: { protocolVersion?: string } };
      if (message.id === undefined) return void res.writeHead(202).end();
      if (message.method === 'initialize') {
        const result = { protocolVersion: message.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'raw', version: '1' } };
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }));
      }
      if (message.method === 'tools/list') {
        pages++;
        return toolsList(message.id, res);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'no' } }));
    });
  });
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(http.address() as { port: number }).port}/mcp`, pages: () => pages };
}

const server = (url: string): HttpServerConfig => ({ name: 'raw', source: 'user', origin: 'test', type: 'http', url, headers: {} });
const page = (id: unknown, res: ServerResponse, tools: unknown[], nextCursor?: string) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, result: { tools, ...(nextCursor ? { nextCursor } : {}) } }));

describe('starting an HTTP MCP server', () => {
  it('has one deadline for connecting and every tools/list page together', async () => {
    // Each page comes after 40% of the deadline and names another: within the deadline per request, never done.
    const startMs = 1000;
    const { url, pages } = await rawServer((id, res) => setTimeout(() => page(id, res, [], 'more'), startMs * 0.4));
    manager = new McpManager({ timeouts: { startMs } });
    await manager.start([server(url)]);
    const [state] = manager.states();
    expect(state).toMatchObject({ status: 'failed' });
    expect(state!.reason).toMatch(/did not finish starting within 1 s/);
    expect(pages()).toBeLessThan(4);
  });

  it('a tools/list answer larger than the cap fails the start with that reason', async () => {
    const huge = [{ name: 'big', description: 'x'.repeat(9 * 1024 * 1024), inputSchema: { type: 'object' } }];
    const { url } = await rawServer((id, res) => page(id, res, huge));
    manager = new McpManager({ timeouts: { startMs: 20_000 } });
    await manager.start([server(url)]);
    const [state] = manager.states();
    expect(state).toMatchObject({ status: 'failed' });
    expect(state!.reason).toMatch(/larger than 8 MiB/);
  });
});

describe('boundedFetch', () => {
  async function serve(contentType: string, chunks: string[]): Promise<string> {
    http = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': contentType });
      for (const chunk of chunks) res.write(chunk);
      res.end();
    });
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(http.address() as { port: number }).port}/`;
  }

  it('passes a body within the cap unchanged, and errors past it', async () => {
    const url = await serve('application/json', ['{"a":', '"0123456789"}']);
    expect(await (await boundedFetch(32)(url)).text()).toBe('{"a":"0123456789"}');
    await expect((await boundedFetch(10)(url)).text()).rejects.toThrow(/larger than/);
  });

  it('on an event stream, caps each message, not the stream: many small events pass, one huge event does not', async () => {
    const small = Array.from({ length: 50 }, (_, i) => `data: {"n":${i}}\n\n`);
    const url = await serve('text/event-stream', small);
    expect((await (await boundedFetch(64)(url)).text()).split('\n\n').length).toBe(51);
    http!.close();
    const url2 = await serve('text/event-stream', ['data: ', 'y'.repeat(100), '\r\n\r\n']);
    await expect((await boundedFetch(64)(url2)).text()).rejects.toThrow(/larger than/);
  });
});
