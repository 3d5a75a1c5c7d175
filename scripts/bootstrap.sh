#!/usr/bin/env bash
# Brings what the suite needs on a machine that has only Node.js (>=20) and npm:
# Node 24 into .toolchain/ when the system Node is older than 22.12, pnpm at the pinned
# version, the dependencies and the build. Sourced by ./cryptoutil and ./test; idempotent.
set -euo pipefail
CRYPTOUTIL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE_VERSION=24.21.0
PNPM_VERSION=$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$CRYPTOUTIL_ROOT/package.json")
tc="$CRYPTOUTIL_ROOT/.toolchain"
log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

export PATH="$tc/bin:$PATH"
if ! node_ok; then
  log "system Node.js is older than 22.12; installing node@$NODE_VERSION into .toolchain/"
  npm install --global --prefix "$tc" --no-audit --no-fund "node@$NODE_VERSION" >&2
  hash -r
  # The npm `node` package fetches its binary in a preinstall script; an npm that skips
  # install scripts leaves a stub, so check the result instead of failing later.
  if ! node_ok; then
    log "node@$NODE_VERSION did not install a working binary into .toolchain/ (were its install scripts blocked?)"
    log "install Node.js 22.12 or later yourself, or allow scripts for the 'node' package, and retry"
    exit 1
  fi
fi
# Native addons (better-sqlite3) must build against the headers of the Node that runs them.
# The npm `node` package keeps them in its node-<os>-<arch> dependency.
nodedir=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
if [ ! -f "$nodedir/include/node/node_api.h" ]; then
  hdr=$(find "$nodedir" -path '*/include/node/node_api.h' -print -quit 2>/dev/null || true)
  [ -n "$hdr" ] && nodedir=$(dirname "$(dirname "$(dirname "$hdr")")")
fi
if [ -f "$nodedir/include/node/node_api.h" ]; then export npm_config_nodedir="$nodedir"; fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  log "installing pnpm@$PNPM_VERSION into .toolchain/"
  npm install --global --prefix "$tc" --no-audit --no-fund "pnpm@$PNPM_VERSION" >&2
  hash -r
fi

cd "$CRYPTOUTIL_ROOT"
stamp="node_modules/.cryptoutil-install-stamp"
want="$(node --version) $({ sha256sum pnpm-lock.yaml 2>/dev/null || echo none; } | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing dependencies"
  if [ -f pnpm-lock.yaml ]; then pnpm install --frozen-lockfile >&2; else pnpm install >&2; fi
  echo "$want" >"$stamp"
fi
pnpm run --silent build >&2
cd - >/dev/null
