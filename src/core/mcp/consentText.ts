// The whole of a workspace-defined MCP server, as the user reads it before allowing it: what runs and
// where, every environment variable (name and value), the env file, the URL and every header, and each
// `${env:…}` it takes from the user's environment and `${input:…}` it will ask for. A command line alone
// hides what decides what really runs (NODE_OPTIONS, a cwd, an env file) and where secrets go (headers).
// Values are quoted (JSON) so spaces and empty strings show, with control and direction characters
// replaced; a value or a definition too long to show is cut and `truncated` says so (the host then tells
// the user to read the file). The consent hash (vscode/mcp/mcpConsent.ts) covers all of it. Pure.
import { printable, type McpServerConfig } from './config';

export interface ConsentText {
  /** One line each; indented lines belong to the line above. */
  lines: string[];
  /** Something was too long to show in full. */
  truncated: boolean;
}

const MAX_VALUE = 400;
const MAX_TOTAL = 6000;
const VARIABLE = /\$\{([^{}]{1,200})\}/g;

export function consentText(server: McpServerConfig): ConsentText {
  let truncated = false;
  const show = (value: string): string => {
    const quoted = printable(JSON.stringify(value));
    if (quoted.length <= MAX_VALUE) return quoted;
    truncated = true;
    return `${quoted.slice(0, MAX_VALUE)}… (${quoted.length - MAX_VALUE} more characters)`;
  };
  const lines = [`Defined in: ${printable(server.origin)}`];
  if (server.type === 'stdio') {
    lines.push(`Runs: ${show(server.command)}`);
    lines.push(server.args.length === 0 ? 'Arguments: none' : `Arguments: ${server.args.map(show).join(' ')}`);
    lines.push(`Working directory: ${server.cwd === undefined ? 'the workspace folder' : `${show(server.cwd)} (from the workspace folder)`}`);
    const env = Object.entries(server.env);
    lines.push(env.length === 0 ? 'Environment: only the basic variables (HOME, PATH, …)' : 'Environment (besides HOME, PATH, …):');
    for (const [name, value] of env) lines.push(`  ${printable(name)}=${show(value)}`);
    if (server.envFile !== undefined) lines.push(`Environment file: ${show(server.envFile)} (read each time the server starts; what it holds is not shown here)`);
  } else {
    lines.push(`Connects to: ${show(server.url)}`);
    const headers = Object.entries(server.headers);
    lines.push(headers.length === 0 ? 'Headers: none' : 'Headers:');
    for (const [name, value] of headers) lines.push(`  ${printable(name)}: ${show(value)}`);
  }
  const { fromEnv, inputs } = variablesUsed(server);
  if (fromEnv.length > 0) lines.push(`Takes from your environment: ${fromEnv.map((n) => printable(n)).join(', ')}`);
  if (inputs.length > 0) lines.push(`Will ask you for: ${inputs.map((n) => printable(n)).join(', ')}`);
  let total = 0;
  const kept: string[] = [];
  for (const line of lines) {
    total += line.length + 1;
    if (total > MAX_TOTAL) {
      truncated = true;
      kept.push(`… (${lines.length - kept.length} more lines)`);
      break;
    }
    kept.push(line);
  }
  return { lines: kept, truncated };
}

/** The `${env:NAME}` names and `${input:id}` ids a server uses, each once, in order of first use. */
export function variablesUsed(server: McpServerConfig): { fromEnv: string[]; inputs: string[] } {
  const texts = server.type === 'stdio' ? [server.command, ...server.args, ...Object.values(server.env), server.cwd ?? '', server.envFile ?? ''] : [server.url, ...Object.values(server.headers)];
  const fromEnv = new Set<string>();
  const inputs = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(VARIABLE)) {
      const name = match[1]!;
      if (name.startsWith('env:')) fromEnv.add(name.slice(4));
      else if (name.startsWith('input:')) inputs.add(name.slice(6));
    }
  }
  return { fromEnv: [...fromEnv], inputs: [...inputs] };
}
