#!/usr/bin/env bash
# Headless-Chromium tests of composio-local's connect pages.
# Builds composio-local, installs playwright-core (driver only, no browser download), starts
# `composio-local serve --port 0` on a throwaway data folder, runs `node --test`, stops the server.
# Needs Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium); fails without it.
# Set SCREENSHOT_DIR=<dir> to save a screenshot of the consent page.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  echo "tests/browser: Chromium not found at $chromium_path." >&2
  echo "tests/browser: install Debian's package first: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "tests/browser: node and npm are required (apt-get install -y nodejs npm)" >&2
  exit 1
fi

(cd "$root" && cargo build -p composio-local --locked)
bin="$root/target/debug/composio-local"

(cd "$here" && npm install --no-audit --no-fund --loglevel=error)
# playwright-core must not fetch a browser of its own; Debian's Chromium is used.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

work="$(mktemp -d "${TMPDIR:-/tmp}/composio-browser-tests.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkfifo "$work/out"
"$bin" serve --port 0 --data "$work/data" >"$work/out" 2>"$work/server.log" &
server_pid=$!
exec 3<"$work/out"
base_url=""
api_key=""
while IFS= read -r -t 60 line <&3; do
  case "$line" in
    COMPOSIO_BASE_URL=*) base_url="${line#COMPOSIO_BASE_URL=}" ;;
    COMPOSIO_API_KEY=*) api_key="${line#COMPOSIO_API_KEY=}" ;;
  esac
  if [ -n "$base_url" ] && [ -n "$api_key" ]; then break; fi
done
if [ -z "$base_url" ] || [ -z "$api_key" ]; then
  echo "tests/browser: composio-local did not print COMPOSIO_BASE_URL/COMPOSIO_API_KEY; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
# Keep draining the server's standard output so it never blocks on a full pipe.
cat <&3 >/dev/null &
exec 3<&-

status=0
(
  cd "$here"
  COMPOSIO_BASE_URL="$base_url" COMPOSIO_API_KEY="$api_key" COMPOSIO_LOCAL_BIN="$bin" \
    CHROMIUM_PATH="$chromium_path" node --test --test-concurrency=1 ./*.test.mjs
) || status=$?
if [ "$status" -ne 0 ]; then
  echo "tests/browser: FAILED; composio-local's log:" >&2
  tail -n 50 "$work/server.log" >&2
fi
exit "$status"
