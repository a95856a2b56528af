#!/usr/bin/env bash
# Proof of compatibility (issue #3): the newest official SDKs from the registries —
# Python `composio` (PyPI) and TypeScript `@composio/core` (npm) — run their ordinary
# flows against a real `composio-local serve` process.
#
# One entry point:
#   1. builds composio-local (cargo build -p composio-local --locked);
#   2. creates or reuses throwaway SDK environments OUTSIDE the repository
#      (${COMPAT_DIR:-${TMPDIR:-/tmp}/composio-compat}, see setup-envs.sh);
#   3. starts one composio-local per suite (`serve --port 0 --data <tmp>`), so each
#      suite owns its project's webhook subscription;
#   4. runs the pytest suite with the venv's python and the `node --test` suite;
#   5. prints each runner's summary line; exits non-zero if either suite fails.
# COMPAT_KEEP=1 keeps the run folder (composio-local logs and data) for inspection;
# COMPOSIO_LOCAL_LOG=debug makes composio-local log every request.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

die() { echo "compat: $*" >&2; exit 2; }
for tool in cargo python3 node npm; do
  command -v "$tool" >/dev/null 2>&1 || die "\`$tool\` is required on PATH"
done

echo "==== compat: building composio-local"
cargo build -p composio-local --locked || die "cargo build -p composio-local failed"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$TARGET_DIR/debug/composio-local"
[[ -x "$BIN" ]] || die "built binary not found at $BIN"

echo "==== compat: official SDK environments"
setup_out="$("$HERE/setup-envs.sh")" || die "setting up the official SDK environments failed"
PY="$(sed -n 's/^PY=//p' <<<"$setup_out")"
JS_DIR="$(sed -n 's/^JS=//p' <<<"$setup_out")"
[[ -x "$PY" && -d "$JS_DIR/node_modules/@composio/core" ]] || die "setup-envs.sh gave PY=$PY JS=$JS_DIR"
echo "python: $("$PY" -c 'import importlib.metadata as m; print("composio", m.version("composio"), "composio-client", m.version("composio-client"))')"
echo "node:   $(node -p "'@composio/core ' + require('$JS_DIR/node_modules/@composio/core/package.json').version + ' @composio/client ' + require('$JS_DIR/node_modules/@composio/client/package.json').version") (node $(node --version))"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/composio-compat-run.XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  if [[ -n "${COMPAT_KEEP:-}" ]]; then
    echo "compat: kept $WORK (server logs, data folders)"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT INT TERM

# start_server NAME: starts composio-local with data folder $WORK/NAME and sets
# BASE_URL / API_KEY from the lines it prints.
start_server() {
  local name="$1" out="$WORK/$1.out"
  "$BIN" serve --port 0 --data "$WORK/$name-data" >"$out" 2>"$WORK/$name.err" &
  PIDS+=("$!")
  local pid=$! i
  for i in $(seq 1 300); do
    if grep -q '^COMPOSIO_API_KEY=' "$out" 2>/dev/null; then
      BASE_URL="$(sed -n 's/^COMPOSIO_BASE_URL=//p' "$out")"
      API_KEY="$(sed -n 's/^COMPOSIO_API_KEY=//p' "$out")"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/$name.err" >&2; die "composio-local ($name) exited during start"; }
    sleep 0.1
  done
  die "composio-local ($name) printed no COMPOSIO_API_KEY line within 30 s"
}

start_server python
PY_URL="$BASE_URL" PY_KEY="$API_KEY"
start_server node
JS_URL="$BASE_URL" JS_KEY="$API_KEY"

echo "==== compat: running both suites (python against $PY_URL, node against $JS_URL)"
# Python: no bytecode or pytest cache in the repository; SDK cache dir under $WORK.
(
  cd "$HERE" &&
  exec env COMPOSIO_BASE_URL="$PY_URL" COMPOSIO_API_KEY="$PY_KEY" \
    COMPOSIO_CACHE_DIR="$WORK/py-cache" PYTHONDONTWRITEBYTECODE=1 \
    "$PY" -m pytest -p no:cacheprovider -q -rfE test_official_python.py
) >"$WORK/python.log" 2>&1 &
py_pid=$!
(
  cd "$HERE" &&
  exec env COMPOSIO_BASE_URL="$JS_URL" COMPOSIO_API_KEY="$JS_KEY" COMPOSIO_COMPAT_JS_DIR="$JS_DIR" \
    TELEMETRY_DISABLED=true COMPOSIO_LOG_LEVEL=warn \
    node --test --test-reporter=spec official-ts.test.mjs
) >"$WORK/node.log" 2>&1 &
js_pid=$!
wait "$py_pid"; py_rc=$?
wait "$js_pid"; js_rc=$?

echo "==== compat: python (composio from PyPI) — exit $py_rc"
cat "$WORK/python.log"
echo "==== compat: node (@composio/core from npm) — exit $js_rc"
cat "$WORK/node.log"
if [[ $py_rc -ne 0 || $js_rc -ne 0 ]]; then
  echo "==== compat: composio-local logs"
  for n in python node; do echo "--- $n"; tail -n 40 "$WORK/$n.err"; done
fi

echo "==== compat: summary"
py_summary="$(grep -E '(passed|failed|errors?|deselected|skipped|no tests ran).* in [0-9.]+s' "$WORK/python.log" | tail -n 1 | tr -d '=' | xargs)"
js_summary="$(grep -E '^. (tests|pass|fail) [0-9]+' "$WORK/node.log" | tr -d 'ℹ#' | xargs)"
echo "python: ${py_summary:-no pytest summary line (see the log above)}"
echo "node:   ${js_summary:-no node --test summary line (see the log above)}"
if [[ $py_rc -ne 0 || $js_rc -ne 0 ]]; then
  echo "compat: FAILED (python exit $py_rc, node exit $js_rc)"
  exit 1
fi
echo "compat: both official SDKs passed"
