// The model picker's list from a real HTTP server (`GET /models`): well-formed lists of both shapes, the
// key sent only as the bearer token, and every odd answer (error status, not JSON, junk ids, a redirect
// that could carry the key elsewhere, no answer in time) ending as "type the id" rather than a crash.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MODELS, listModels, modelIdsFrom } from '../../../src/vscode/setup/modelList';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let server: http.Server | undefined;

async function serve(handler: Handler): Promise<string> {
  server = http.createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}
const json = (body: unknown, status = 200): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('listModels', () => {
  it('lists the ids of an OpenAI-shaped answer, sorted, with the key as bearer token', async () => {
    let seen: { path?: string; auth?: string } = {};
    const url = await serve((req, res) => {
      seen = { path: req.url ?? '', auth: req.headers.authorization ?? '' };
      json({ object: 'list', data: [{ id: 'gpt-5.5' }, { id: 'gpt-4.1-mini' }, { id: 'gpt-5.5' }] })(req, res);
    });
    expect(await listModels(`${url}/`, 'sk-test-123')).toMatchObject({ ok: true, models: ['gpt-4.1-mini', 'gpt-5.5'] });
    expect(seen).toEqual({ path: '/v1/models', auth: 'Bearer sk-test-123' });
  });

  it('sends no authorization header without a key (local servers)', async () => {
    let auth: string | undefined = 'unset';
    const url = await serve((req, res) => {
      auth = req.headers.authorization;
      json({ models: [{ name: 'llama3.2:latest' }] })(req, res);
    });
    expect(await listModels(url, undefined)).toMatchObject({ ok: true, models: ['llama3.2:latest'] });
    expect(auth).toBeUndefined();
  });

  it.each<[string, Handler, RegExp]>([
    ['a 401', json({ error: { message: 'bad key' } }, 401), /401/],
    ['HTML', (_q, res) => res.end('<html>login</html>'), /not JSON/],
    ['an empty list', json({ data: [] }), /no models/],
    ['a redirect', (_q, res) => (res.writeHead(302, { location: 'http://example.invalid/steal' }), res.end()), /./],
  ])('says why for %s', async (_name, handler, reason) => {
    const result = await listModels(await serve(handler), 'sk-test-123');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('gives up when cancelled (the picker was closed) without throwing', async () => {
    const url = await serve(() => undefined); // never answers
    const cancel = new AbortController();
    const pending = listModels(url, undefined, cancel.signal);
    cancel.abort();
    expect((await pending).ok).toBe(false);
  });

  it('refuses a connection that is closed', async () => {
    const url = await serve((req) => req.socket.destroy());
    expect((await listModels(url, undefined)).ok).toBe(false);
  });
});

describe('modelIdsFrom (untrusted body)', () => {
  it('keeps only one-token printable ids and at most MAX_MODELS', () => {
    expect(modelIdsFrom({ data: [{ id: 'ok-1' }, { id: 'has space' }, { id: 'ctl\u001b[31m' }, { id: 5 }, null, 'x', { id: '' }, { name: 'alt' }] })).toEqual(['alt', 'ok-1']);
    expect(modelIdsFrom({ data: Array.from({ length: MAX_MODELS + 50 }, (_, i) => ({ id: `m${i}` })) })).toHaveLength(MAX_MODELS);
    expect(modelIdsFrom({ data: 'nope' })).toBeUndefined();
    expect(modelIdsFrom(null)).toBeUndefined();
  });
});
