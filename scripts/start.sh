#!/usr/bin/env bash
# `npm start`: build and package Tandem, then run it.
#   - with a `code` CLI on PATH: install dist/tandem.vsix into your VS Code and open this folder;
#   - otherwise (or with TANDEM_START_CODE_SERVER=1): install code-server (cached, scripts/install-code-server.sh)
#     and serve VS Code in the browser at http://127.0.0.1:${PORT:-8080} (--auth none, bound to localhost only),
#     with Tandem installed and this folder open. Ctrl+C stops it.
#
# code-server's state (user data, settings, installed extensions) lives in a per-user folder OUTSIDE this
# repository: $TANDEM_START_STATE, default ${XDG_STATE_HOME:-~/.local/state}/tandem/code-server. VS Code
# disables every extension installed inside an untrusted workspace folder, whatever its
# `untrustedWorkspaces` support says, so an extensions dir under the opened folder (our .vscode-test/, before)
# meant Restricted Mode, no Tandem icon and "Enable (Workspace)". scripts/start-smoke.ts checks this stays so.
#
# Env: PORT (default 8080), TANDEM_START_STATE, TANDEM_START_CODE_SERVER=1 (use code-server even when `code`
# exists), TANDEM_API_KEY (optional: the key for the configured server when none was set with "Tandem: Set API Key";
# OPENAI_API_KEY counts only for api.openai.com).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TANDEM_ROOT"
tandem_ensure_deps
npm run --silent package

if [ "${TANDEM_START_CODE_SERVER:-}" != 1 ] && command -v code >/dev/null 2>&1 && code --version >/dev/null 2>&1; then
  code --install-extension dist/tandem.vsix --force
  exec code .
fi

CS="$(bash scripts/install-code-server.sh | tail -1)"
port="${PORT:-8080}"
state="${TANDEM_START_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/tandem/code-server}"
mkdir -p "$state"
state="$(cd "$state" && pwd -P)"
case "$state/" in
  "$(pwd -P)/"*)
    echo "tandem: TANDEM_START_STATE ($state) is inside the folder being opened; VS Code would disable Tandem there." >&2
    echo "tandem: choose a folder outside $TANDEM_ROOT." >&2
    exit 2 ;;
esac
mkdir -p "$state/user-data/User" "$state/extensions" "$state/xdg-config" "$state/xdg-data"

# Seed the settings a first run needs, keeping whatever the user changed since: no welcome page, no empty
# secondary side bar, VS Code's own AI chat out of the way (Tandem is the chat here).
node - "$state/user-data/User/settings.json" <<'NODE'
const fs = require('node:fs');
const file = process.argv[2];
const seeded = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
};
let current = {};
try {
  current = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (error) {
  // A settings file with comments or edits of the user's: leave it alone rather than rewrite it.
  if (error.code !== 'ENOENT') process.exit(0);
}
fs.writeFileSync(file, `${JSON.stringify({ ...seeded, ...current }, null, 2)}\n`);
NODE

export XDG_CONFIG_HOME="$state/xdg-config" XDG_DATA_HOME="$state/xdg-data"
"$CS" --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" --install-extension dist/tandem.vsix --force

echo
echo "Tandem in VS Code (code-server): http://127.0.0.1:$port/?folder=$TANDEM_ROOT"
echo "(state: $state; Ctrl+C to stop)"
echo
exec "$CS" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" "$TANDEM_ROOT"
