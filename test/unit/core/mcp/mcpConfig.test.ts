// MCP configuration as the three sources write it, and the hostile corpus: a workspace file is untrusted,
// so every guard has the input that would get around it (wrong types, huge values, control characters,
// header injection, unknown transports, a name that shadows the user's server).
import { describe, expect, it } from 'vitest';
import { mergeServers, parseMcpConfigText, parseMcpConfigValue, MCP_LIMITS } from '../../../../src/core/mcp/config';
import { MAX_CONFIG_BYTES, parseJsonc } from '../../../../src/core/mcp/jsonc';
import { inputsUsed, resolveServerVariables } from '../../../../src/core/mcp/variables';

const vscodeFile = `{
  // VS Code's own format, comments and trailing commas included
  "inputs": [
    { "type": "promptString", "id": "token", "description": "GitHub token", "password": true },
    { "type": "pickString", "id": "region", "options": ["eu", "us"], "default": "eu" },
  ],
  "servers": {
    "files": { "type": "stdio", "command": "node", "args": ["\${workspaceFolder}/srv.js", "--x=//not-a-comment"], "env": { "TOKEN": "\${input:token}", "N": 3 } },
    "remote": { "type": "http", "url": "https://example.com/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
    /* block comment */
  },
}`;

describe('parseMcpConfigText', () => {
  it('reads VS Code\'s .vscode/mcp.json: servers, inputs, comments, trailing commas', () => {
    const config = parseMcpConfigText(vscodeFile, 'vscode', 'workspace', '.vscode/mcp.json');
    expect(config.problems).toEqual([]);
    expect(config.servers).toEqual([
      { name: 'files', source: 'workspace', origin: '.vscode/mcp.json', type: 'stdio', command: 'node', args: ['${workspaceFolder}/srv.js', '--x=//not-a-comment'], env: { TOKEN: '${input:token}', N: '3' } },
      { name: 'remote', source: 'workspace', origin: '.vscode/mcp.json', type: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer ${input:token}' } },
    ]);
    expect(config.inputs).toEqual([
      { id: 'token', type: 'promptString', description: 'GitHub token', password: true },
      { id: 'region', type: 'pickString', description: 'region', password: false, default: 'eu', options: ['eu', 'us'] },
    ]);
  });

  it('reads .mcp.json (mcpServers, type inferred from command / url)', () => {
    const config = parseMcpConfigText('{"mcpServers":{"a":{"command":"npx","args":["-y","pkg"]},"b":{"url":"http://127.0.0.1:3000/mcp"}}}', 'mcp-json', 'workspace', '.mcp.json');
    expect(config.servers.map((s) => [s.name, s.type])).toEqual([['a', 'stdio'], ['b', 'http']]);
    expect(config.problems).toEqual([]);
  });

  it('reads the tandem.mcp.servers setting (the servers object itself)', () => {
    const config = parseMcpConfigValue({ mine: { type: 'stdio', command: 'my-server' } }, 'settings', 'user', 'tandem.mcp.servers');
    expect(config.servers).toMatchObject([{ name: 'mine', source: 'user', command: 'my-server', args: [], env: {} }]);
  });

  it('says which key is wrong when a .mcp.json shape is put in .vscode/mcp.json', () => {
    const config = parseMcpConfigText('{"mcpServers":{}}', 'vscode', 'workspace', '.vscode/mcp.json');
    expect(config.problems[0]).toContain('"mcpServers" is the .mcp.json key');
  });

  const hostile: [string, unknown, RegExp][] = [
    ['unknown type', { type: 'websocket', url: 'ws://x' }, /unknown type "websocket"/],
    ['deprecated sse', { type: 'sse', url: 'https://x' }, /sse.*not supported/],
    ['type as object', { type: { toString: 1 }, command: 'x' }, /unknown type/],
    ['no command or url', { args: ['x'] }, /no "type", "command" or "url"/],
    ['command not a string', { type: 'stdio', command: ['sh', '-c'] }, /needs "command"/],
    ['empty command', { type: 'stdio', command: '  ' }, /needs "command"/],
    ['control character in command', { command: 'node\nrm -rf /' }, /printable/],
    ['huge command', { command: 'x'.repeat(MCP_LIMITS.commandLength + 1) }, /at most/],
    ['args not an array', { command: 'x', args: '--evil' }, /"args" must be an array/],
    ['too many args', { command: 'x', args: Array(MCP_LIMITS.args + 1).fill('a') }, /"args" must be an array of at most/],
    ['arg not a string', { command: 'x', args: [{}] }, /every entry of "args"/],
    ['NUL in an arg', { command: 'x', args: ['a\0b'] }, /every entry of "args"/],
    ['env as array', { command: 'x', env: ['A=1'] }, /"env" must be an object/],
    ['env name with =', { command: 'x', env: { 'A=B': '1' } }, /invalid name/],
    ['env name with space', { command: 'x', env: { 'LD PRELOAD': '1' } }, /invalid name/],
    ['env value object', { command: 'x', env: { A: { b: 1 } } }, /"env.A" must be a string/],
    ['huge env value', { command: 'x', env: { A: 'v'.repeat(MCP_LIMITS.envValueLength + 1) } }, /"env.A"/],
    ['cwd not a string', { command: 'x', cwd: 42 }, /"cwd" must be a path/],
    ['url javascript:', { type: 'http', url: 'javascript:alert(1)' }, /must start with http/],
    ['url file:', { type: 'http', url: 'file:///etc/passwd' }, /must start with http/],
    ['url with newline', { type: 'http', url: 'https://x/\r\nHost: evil' }, /needs "url"/],
    ['header injection in value', { type: 'http', url: 'https://x', headers: { A: 'v\r\nX-Evil: 1' } }, /"headers.A"/],
    ['header name with colon', { type: 'http', url: 'https://x', headers: { 'A: b': 'v' } }, /invalid name/],
    ['too many headers', { type: 'http', url: 'https://x', headers: Object.fromEntries(Array.from({ length: MCP_LIMITS.headers + 1 }, (_, i) => [`H${i}`, 'v'])) }, /entries/],
    ['server is a string', 'node server.js', /must be an object/],
    ['server is null', null, /must be an object/],
  ];
  for (const [label, server, reason] of hostile) {
    it(`rejects a server with ${label}, saying why`, () => {
      const config = parseMcpConfigValue({ servers: { evil: server } }, 'vscode', 'workspace', 'mcp.json');
      expect(config.servers).toEqual([]);
      expect(config.problems).toHaveLength(1);
      expect(config.problems[0]).toMatch(reason);
      expect(config.problems[0]).toContain('server "evil" ignored');
    });
  }

  it('rejects names that are empty, too long or carry control characters or direction overrides, and shows them safely', () => {
    const config = parseMcpConfigValue({ servers: { '': { command: 'x' }, ['n'.repeat(200)]: { command: 'x' }, 'a\u001b[31mred': { command: 'x' }, 'safe\u202etxt.exe': { command: 'x' } } }, 'vscode', 'workspace', 'f');
    expect(config.servers).toEqual([]);
    expect(config.problems).toHaveLength(4);
    expect(config.problems.join('\n')).not.toContain('\u001b');
  });

  it('keeps a prototype-looking key as data, never as the object\'s prototype', () => {
    const config = parseMcpConfigText('{"servers":{"__proto__":{"command":"x","env":{"__proto__":"1"}}}}', 'vscode', 'workspace', 'f');
    expect(config.servers).toHaveLength(1);
    expect(config.servers[0]!.name).toBe('__proto__');
    expect(({} as Record<string, unknown>).command).toBeUndefined();
  });

  it('reads at most MCP_LIMITS.servers servers and says so', () => {
    const servers = Object.fromEntries(Array.from({ length: MCP_LIMITS.servers + 5 }, (_, i) => [`s${i}`, { command: 'x' }]));
    const config = parseMcpConfigValue({ servers }, 'vscode', 'workspace', 'f');
    expect(config.servers).toHaveLength(MCP_LIMITS.servers);
    expect(config.problems[0]).toContain(`only the first ${MCP_LIMITS.servers}`);
  });

  it('refuses files over the size cap unread, and invalid JSON with the parser\'s reason', () => {
    expect(parseMcpConfigText(' '.repeat(MAX_CONFIG_BYTES + 1), 'vscode', 'workspace', 'f').problems[0]).toMatch(/larger than/);
    expect(parseMcpConfigText('{"servers": {', 'vscode', 'workspace', 'f').problems[0]).toMatch(/not valid JSON/);
    expect(parseMcpConfigText('{/* open', 'vscode', 'workspace', 'f').problems[0]).toMatch(/unterminated/);
    expect(parseMcpConfigText('[1,2]', 'vscode', 'workspace', 'f').problems[0]).toMatch(/expected a JSON object/);
  });

  it('reads an empty file (the sandbox\'s placeholder for a missing .mcp.json) as no servers and no problem', () => {
    for (const text of ['', '\n', '  ']) expect(parseMcpConfigText(text, 'mcp-json', 'workspace', 'f')).toEqual({ servers: [], inputs: [], problems: [] });
  });

  it('notes unknown fields without rejecting the server; inputs of unknown types are dropped', () => {
    const config = parseMcpConfigValue({ servers: { a: { command: 'x', evilField: 1, dev: {} } }, inputs: [{ id: 'x', type: 'command' }, { id: 'bad id!' }, 'nope'] }, 'vscode', 'workspace', 'f');
    expect(config.servers).toHaveLength(1);
    expect(config.problems.join('\n')).toContain('"evilField"');
    expect(config.problems.join('\n')).not.toContain('"dev"');
    expect(config.inputs).toEqual([]);
    expect(config.problems.filter((p) => p.includes('input'))).toHaveLength(3);
  });
});

describe('parseJsonc', () => {
  it('keeps comment-like text and escaped quotes inside strings', () => {
    expect(parseJsonc('{"a":"// x /* y */","b":"q\\"//",}')).toEqual({ a: '// x /* y */', b: 'q"//' });
  });
  it('drops a trailing comma followed by a comment', () => {
    expect(parseJsonc('{"a":[1,2, // last\n], }')).toEqual({ a: [1, 2] });
  });
});

describe('mergeServers', () => {
  it('keeps the first source\'s server for a name: a workspace cannot replace a user\'s server', () => {
    const user = parseMcpConfigValue({ github: { command: 'trusted' } }, 'settings', 'user', 'settings');
    const workspace = parseMcpConfigValue({ servers: { github: { command: 'evil' }, other: { command: 'y' } } }, 'vscode', 'workspace', '.vscode/mcp.json');
    const merged = mergeServers([user, workspace]);
    expect(merged.servers.map((s) => [s.name, s.source, s.type === 'stdio' ? s.command : ''])).toEqual([
      ['github', 'user', 'trusted'],
      ['other', 'workspace', 'y'],
    ]);
    expect(merged.problems[0]).toContain('already defines a server by that name');
  });
});

describe('resolveServerVariables', () => {
  const [files, remote] = parseMcpConfigText(vscodeFile, 'vscode', 'workspace', 'f').servers;
  const context = (inputs: Record<string, string>) => ({
    workspaceFolder: '/ws',
    userHome: '/home/u',
    env: (name: string) => {
      if (name === 'OPENAI_API_KEY') throw new Error('${env:OPENAI_API_KEY} is Tandem\'s key');
      return name === 'HOLDS_VAR' ? '${input:token}' : undefined;
    },
    input: async (id: string) => inputs[id],
  });

  it('lists the inputs a server uses and resolves them with the workspace folder', async () => {
    expect(inputsUsed(files!)).toEqual(['token']);
    const resolved = await resolveServerVariables(files!, context({ token: 's3cret' }));
    expect(resolved).toMatchObject({ ok: true, value: { args: ['/ws/srv.js', '--x=//not-a-comment'], env: { TOKEN: 's3cret', N: '3' } } });
    expect(await resolveServerVariables(remote!, context({ token: 't' }))).toMatchObject({ ok: true, value: { headers: { Authorization: 'Bearer t' } } });
  });

  it('never expands a resolved value again (an env var holding ${input:…} stays literal)', async () => {
    const server = parseMcpConfigValue({ s: { command: 'x', args: ['${env:HOLDS_VAR}', '${env:UNSET}'] } }, 'settings', 'user', 's').servers[0]!;
    const resolved = await resolveServerVariables(server, context({ token: 'secret-value' }));
    expect(resolved).toMatchObject({ ok: true, value: { args: ['${input:token}', ''] } });
  });

  it('does not start a server without its input, with a refused env var, or with an unknown variable', async () => {
    expect(await resolveServerVariables(files!, context({}))).toEqual({ ok: false, reason: 'no value was given for input "token"' });
    const key = parseMcpConfigValue({ s: { type: 'http', url: 'https://x', headers: { A: '${env:OPENAI_API_KEY}' } } }, 'settings', 'user', 's').servers[0]!;
    expect(await resolveServerVariables(key, context({}))).toMatchObject({ ok: false, reason: expect.stringContaining('Tandem') });
    const command = parseMcpConfigValue({ s: { command: '${command:evil}' } }, 'settings', 'user', 's').servers[0]!;
    expect(await resolveServerVariables(command, context({}))).toMatchObject({ ok: false, reason: expect.stringContaining('cannot be resolved') });
  });

  it('refuses a URL that only becomes non-http after resolution', async () => {
    const server = parseMcpConfigValue({ s: { type: 'http', url: '${input:u}' } }, 'settings', 'user', 's').servers[0]!;
    expect(await resolveServerVariables(server, context({ u: 'file:///etc/passwd' }))).toMatchObject({ ok: false });
    expect(await resolveServerVariables(server, context({ u: 'http://127.0.0.1:1/mcp' }))).toMatchObject({ ok: true });
  });
});
