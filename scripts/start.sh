#!/usr/bin/env bash
# `npm start`: build and package Tandem, then run it.
#   - with a `code` CLI on PATH: install dist/tandem.vsix into your VS Code and open this folder;
#   - otherwise: install code-server (cached, scripts/install-code-server.sh) and serve VS Code in the browser at
#     http://127.0.0.1:${PORT:-8080} (--auth none, bound to localhost only), with a persistent user-data dir
#     under .vscode-test/, Tandem installed, this folder open. Ctrl+C stops it.
# Env: PORT (default 8080), OPENAI_API_KEY (optional: used when no key was set with "Tandem: Set API Key").
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$TANDEM_ROOT"
tandem_ensure_deps
npm run --silent package

if command -v code >/dev/null 2>&1 && code --version >/dev/null 2>&1; then
  code --install-extension dist/tandem.vsix --force
  exec code .
fi

CS="$(bash scripts/install-code-server.sh | tail -1)"
port="${PORT:-8080}"
state="$TANDEM_CACHE/code-server-user"
mkdir -p "$state/user-data/User" "$state/extensions" "$state/xdg-config" "$state/xdg-data"
settings="$state/user-data/User/settings.json"
[ -f "$settings" ] || printf '{\n  "workbench.startupEditor": "none",\n  "chat.disableAIFeatures": true\n}\n' > "$settings"
export XDG_CONFIG_HOME="$state/xdg-config" XDG_DATA_HOME="$state/xdg-data"
"$CS" --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" --install-extension dist/tandem.vsix --force

echo
echo "Tandem in VS Code (code-server): http://127.0.0.1:$port/?folder=$TANDEM_ROOT"
echo "(user data: $state; Ctrl+C to stop)"
echo
exec "$CS" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
  --user-data-dir "$state/user-data" --extensions-dir "$state/extensions" "$TANDEM_ROOT"
