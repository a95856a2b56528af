#!/usr/bin/env bash
# Builds the Node package (napi addon + TypeScript), packs it, installs the
# tarball into a fresh folder and runs the node --test suite against the
# INSTALLED package and a composio-local process the suite starts.
# Usage: scripts/test-node.sh            (debug addon)
#        RELEASE=1 scripts/test-node.sh  (release addon)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PKG="$ROOT/bindings-node"
cd "$PKG"

step() { printf '\n==== %s\n' "$*"; }

step "npm dependencies (lockfile)"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` rejects this lockfile (npm bug with optional per-platform deps of
  # @napi-rs/cli); `npm install` still installs the versions the lockfile pins.
  npm install --no-audit --no-fund
else
  echo "node_modules up to date"
fi

step "composio-local"
cargo build -p composio-local --quiet

step "native addon (napi build)"
if [ "${RELEASE:-}" = 1 ]; then npm run --silent build:native:release; else npm run --silent build:native; fi

step "TypeScript layer (tsc --strict against the generated native.d.ts)"
npm run --silent build:ts

step "npm pack"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/composio-rs-node-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
TARBALL="$(npm pack --silent --pack-destination "$WORK" | tail -n1)"
echo "$WORK/$TARBALL"

step "install the tarball into a fresh folder"
mkdir -p "$WORK/app/test"
cd "$WORK/app"
printf '{"name":"composio-rs-installed-test","private":true,"type":"module"}\n' > package.json
npm install --no-audit --no-fund --prefer-offline --loglevel=error \
  "$WORK/$TARBALL" zod@4.6.7 zod-to-json-schema@3.25.2 ai@6.0.322 \
  typescript@5.9.3 @types/node@22.20.5
cp "$PKG"/test/*.mjs test/
node -e "const p=require.resolve('composio-rs');if(!p.startsWith(process.cwd()+'/node_modules/'))throw new Error('not the installed package: '+p);console.log('using',p)"

step "node --test"
export COMPOSIO_RS_REPO="$ROOT"
export COMPOSIO_LOCAL_BIN="$ROOT/target/debug/composio-local"
unset COMPOSIO_API_KEY COMPOSIO_BASE_URL
export RUST_BACKTRACE=0
node --test --test-reporter=spec --test-timeout=120000 test/*.test.mjs
