// What a server the workspace defines may not do, whatever the user answers: the consent question shows
// a command line, and these would make something else run or send the user's secrets somewhere.
//   - Environment variables that change which code a program loads, or where a package manager fetches
//     it from (NODE_OPTIONS=--require …, LD_PRELOAD, PYTHONPATH, PATH, npm_config_registry, …): with them
//     a harmless-looking `npx -y <well-known package>` runs the repository's script. Refused in `env` and
//     in what `envFile` holds (whose contents can change after the user allowed the server).
//   - Variables other than `${input:…}` in an HTTP server's URL or headers: `${env:GITHUB_TOKEN}` would
//     send the user's token to an address the repository chose. An `${input:…}` is typed by the user, who
//     sees which server asks for it.
// The user's own servers (settings, --mcp-config) are not limited. Pure: no node imports.
import type { McpServerConfig } from './config';

/** Exact names (upper case) that load code or redirect where it comes from. */
const LOADER_NAMES = new Set([
  'PATH',
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_REPL_EXTERNAL_MODULE',
  'BASH_ENV',
  'ENV',
  'ZDOTDIR',
  'SHELLOPTS',
  'PS4',
  'RUBYOPT',
  'RUBYLIB',
  'PERL5OPT',
  'PERL5LIB',
  'PERLLIB',
  'PERL5DB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'CLASSPATH',
  'LUA_PATH',
  'LUA_CPATH',
  'PHPRC',
  'PHP_INI_SCAN_DIR',
  'SSH_ASKPASS',
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_FIND_LINKS',
  'UV_INDEX',
  'UV_INDEX_URL',
  'UV_DEFAULT_INDEX',
  'UV_EXTRA_INDEX_URL',
  'UV_FIND_LINKS',
  'PIP_CONFIG_FILE',
  'UV_CONFIG_FILE',
  'BUN_CONFIG_REGISTRY',
  'ELECTRON_RUN_AS_NODE',
  'GEM_HOME',
  'GEM_PATH',
  'BUNDLE_GEMFILE',
  'CARGO_HOME',
  'GOFLAGS',
  'GOPROXY',
  'GOTOOLCHAIN',
  // Where tools read their configuration (a home-level .npmrc naming another registry, …).
  'HOME',
  'USERPROFILE',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
]);
/** Prefixes (upper case): the dynamic loader, Python, git, npm/yarn configuration. */
const LOADER_PREFIXES = ['LD_', 'DYLD_', 'PYTHON', 'GIT_', 'NPM_CONFIG_', 'YARN_'];
/** Python variables that only change buffering, encoding or hashing (common in MCP configurations). */
const HARMLESS_PYTHON = new Set(['PYTHONUNBUFFERED', 'PYTHONIOENCODING', 'PYTHONDONTWRITEBYTECODE', 'PYTHONUTF8', 'PYTHONHASHSEED', 'PYTHONNOUSERSITE', 'PYTHONSAFEPATH', 'PYTHONFAULTHANDLER']);

/** True for a variable that changes what a program loads (any letter case: Windows ignores it). */
export function isLoaderEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  if (HARMLESS_PYTHON.has(upper)) return false;
  return LOADER_NAMES.has(upper) || LOADER_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

/** The names among `env` a workspace server may not set. */
export function loaderEnvNames(env: Record<string, string>): string[] {
  return Object.keys(env).filter(isLoaderEnvName);
}

const VARIABLE = /\$\{([^{}]{1,200})\}/g;

/** Why a workspace-defined server may not start at all (checked before the user is asked), or undefined. */
export function workspaceServerRefusal(server: McpServerConfig): string | undefined {
  if (server.source !== 'workspace') return undefined;
  if (server.type === 'stdio') {
    const loaders = loaderEnvNames(server.env);
    if (loaders.length > 0) return `a server the workspace defines may not set ${loaders.slice(0, 5).join(', ')} (it changes what the program loads); define the server in your own settings if you need it`;
    return undefined;
  }
  const fields: [string, string][] = [['url', server.url], ...Object.entries(server.headers).map(([k, v]): [string, string] => [`headers.${k}`, v])];
  for (const [field, value] of fields) {
    for (const match of value.matchAll(VARIABLE)) {
      if (!match[1]!.startsWith('input:')) {
        return `a server the workspace defines may not use \${${match[1]!.slice(0, 60)}} in its ${field} (it would send your value to an address the workspace chose); use \${input:…}, or define the server in your own settings`;
      }
    }
  }
  return undefined;
}
