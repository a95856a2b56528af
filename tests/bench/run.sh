#!/usr/bin/env bash
# The side-by-side benchmark: composio-rs (Python and Node) against the
# official SDKs (`composio` and `@composio/core`), against one composio-local
# started with the benchmark toolkits (bench50 / bench500 / bench2000).
#
#   tests/bench/run.sh            full run (the figures in RESULTS.md)
#   tests/bench/run.sh --quick    few iterations, to check that everything works
#
# Throwaway environments live in $COMPOSIO_BENCH_HOME (default
# /tmp/composio-rs-bench) and are reused when present: the official wheel in
# a venv (pip --no-deps + its requirements with the certifi floor dropped),
# @composio/core with an override of @composio/client, our wheel (maturin,
# release) and our Node package (napi release + tsc, installed from `npm pack`).
# composio-local (release) runs on CPU $BENCH_SERVER_CPU (default 0), the
# clients on $BENCH_CLIENT_CPU (default 1). Telemetry is off and toolkit
# versions are pinned for every SDK.
#
# Env: BENCH_SDKS (default "py-ours py-official node-ours node-official"),
#      BENCH_SKIP_BUILD=1 (reuse the built wheel/addon/server as they are),
#      PYTHON (default python3).
# Output: a table on standard output, tests/bench/results.json (medians,
# ratios and raw samples) and tests/bench/RESULTS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/tests/bench"
HOME_DIR="${COMPOSIO_BENCH_HOME:-/tmp/composio-rs-bench}"
PYTHON="${PYTHON:-python3}"
SDKS="${BENCH_SDKS:-py-ours py-official node-ours node-official}"
SERVER_CPU="${BENCH_SERVER_CPU:-0}"
CLIENT_CPU="${BENCH_CLIENT_CPU:-1}"
MODE=full
for a in "$@"; do
  case "$a" in
    --quick) MODE=quick ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown argument: $a" >&2; exit 2 ;;
  esac
done
if [ "$MODE" = quick ]; then
  STARTUP_RUNS=3 GET_REPS=3 GET_RUNS=1 EXEC_CALLS=100 VERIFY_SECS=0.5 VERIFY_RUNS=1 CONC_REPS=2
else
  STARTUP_RUNS=11 GET_REPS=10 GET_RUNS=3 EXEC_CALLS=1000 VERIFY_SECS=1.5 VERIFY_RUNS=5 CONC_REPS=10
fi
CONC_CALLS=200
SIZES="50 500 2000"

for tool in taskset node npm cargo "$PYTHON"; do
  command -v "$tool" >/dev/null || { echo "run.sh needs '$tool' on PATH" >&2; exit 1; }
done
mkdir -p "$HOME_DIR"
step() { printf '\n==== %s\n' "$*" >&2; }
want() { case " $SDKS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# ---------------------------------------------------------------------------
# Environments

PY_OFF="$HOME_DIR/py-official"
if want py-official; then
  step "official Python SDK ($PY_OFF)"
  if ! "$PY_OFF/bin/python" -c "import composio" 2>/dev/null; then
    rm -rf "$PY_OFF"
    "$PYTHON" -m venv "$PY_OFF"
    "$PY_OFF/bin/pip" install -q --upgrade pip >/dev/null
    # The newest wheel pins certifi newer than the index has: install it
    # without dependencies, then its requirements with the certifi floor dropped.
    "$PY_OFF/bin/pip" install -q --no-deps composio
    mapfile -t reqs < <("$PY_OFF/bin/python" - <<'EOF'
import importlib.metadata as md
import re
for r in md.requires("composio") or []:
    if "extra ==" in r:
        continue
    name = re.split(r"[ ;<>=!~\[]", r, maxsplit=1)[0]
    print("certifi" if name.lower() == "certifi" else r)
EOF
)
    "$PY_OFF/bin/pip" install -q "${reqs[@]}"
  fi
  "$PY_OFF/bin/python" -c "import importlib.metadata as m; print('composio', m.version('composio'))" >&2
fi

PY_OURS="$HOME_DIR/py-ours"
if want py-ours; then
  step "our Python wheel (maturin, release) in $PY_OURS"
  [ -x "$PY_OURS/bin/python" ] || "$PYTHON" -m venv "$PY_OURS"
  "$PY_OURS/bin/python" -c "import maturin" 2>/dev/null || "$PY_OURS/bin/pip" install -q maturin==1.16.0
  if [ "${BENCH_SKIP_BUILD:-}" != 1 ] || ! "$PY_OURS/bin/python" -c "import composio_rs" 2>/dev/null; then
    rm -rf "$HOME_DIR/wheels"
    (cd "$ROOT" && "$PY_OURS/bin/maturin" build -q --release -m bindings-python/Cargo.toml -i "$PY_OURS/bin/python" -o "$HOME_DIR/wheels")
    "$PY_OURS/bin/pip" install -q --force-reinstall --no-deps "$HOME_DIR"/wheels/composio_rs-*.whl
  fi
fi

NODE_OFF="$HOME_DIR/node-official"
if want node-official; then
  step "official Node SDK ($NODE_OFF)"
  if [ ! -f "$NODE_OFF/node_modules/@composio/core/package.json" ]; then
    rm -rf "$NODE_OFF" && mkdir -p "$NODE_OFF"
    # @composio/core needs an @composio/client release candidate the registry
    # lacks; the override pins the newest one it has.
    cat > "$NODE_OFF/package.json" <<'EOF'
{"name":"bench-official","private":true,"type":"module",
 "dependencies":{"@composio/core":"latest"},
 "overrides":{"@composio/client":"2.0.0-rc.6"}}
EOF
    (cd "$NODE_OFF" && npm install --no-audit --no-fund --loglevel=error >&2)
  fi
  node -e "console.error('@composio/core', require('$NODE_OFF/node_modules/@composio/core/package.json').version)"
fi

NODE_OURS="$HOME_DIR/node-ours"
if want node-ours; then
  step "our Node package (napi release + tsc) in $NODE_OURS"
  if [ "${BENCH_SKIP_BUILD:-}" != 1 ] || [ ! -d "$NODE_OURS/node_modules/composio-rs" ]; then
    (
      cd "$ROOT/bindings-node"
      if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        npm install --no-audit --no-fund --loglevel=error >&2
      fi
      npm run --silent build:native:release >&2
      npm run --silent build:ts >&2
      rm -rf "$HOME_DIR/pack" && mkdir -p "$HOME_DIR/pack"
      npm pack --silent --pack-destination "$HOME_DIR/pack" >/dev/null
    )
    rm -rf "$NODE_OURS" && mkdir -p "$NODE_OURS"
    printf '{"name":"bench-ours","private":true,"type":"module"}\n' > "$NODE_OURS/package.json"
    (cd "$NODE_OURS" && npm install --no-audit --no-fund --loglevel=error "$HOME_DIR"/pack/composio-rs-*.tgz zod@4.6.7 zod-to-json-schema@3.25.2 >&2)
  fi
fi
for d in "$NODE_OFF" "$NODE_OURS"; do
  [ -d "$d" ] && cp "$HERE/bench_node.mjs" "$d/bench_node.mjs"
done

# ---------------------------------------------------------------------------
# Server

step "composio-local (release) with the benchmark toolkits, on CPU $SERVER_CPU"
if [ "${BENCH_SKIP_BUILD:-}" != 1 ] || [ ! -x "$ROOT/target/release/composio-local" ]; then
  (cd "$ROOT" && cargo build -q --release -p composio-local)
fi
DATA="$(mktemp -d "$HOME_DIR/data.XXXXXX")"
OUT="$(mktemp -d "$HOME_DIR/run.XXXXXX")"
COMPOSIO_LOCAL_LOG=warn taskset -c "$SERVER_CPU" "$ROOT/target/release/composio-local" serve --port 0 \
  --data "$DATA" --bench-toolkits > "$OUT/server.out" 2> "$OUT/server.err" &
SERVER_PID=$!
cleanup() { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 200); do
  grep -q '^COMPOSIO_API_KEY=' "$OUT/server.out" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.err" >&2; exit 1; }
  sleep 0.05
done
COMPOSIO_BENCH_URL="$(sed -n 's/^COMPOSIO_BASE_URL=//p' "$OUT/server.out")"
COMPOSIO_BENCH_KEY="$(sed -n 's/^COMPOSIO_API_KEY=//p' "$OUT/server.out")"
[ -n "$COMPOSIO_BENCH_KEY" ] || { echo "composio-local did not start" >&2; cat "$OUT/server.err" >&2; exit 1; }
export COMPOSIO_BENCH_URL COMPOSIO_BENCH_KEY
# Keep the official SDKs off the network and quiet.
export TELEMETRY_DISABLED=true COMPOSIO_DISABLE_TELEMETRY=true
unset COMPOSIO_API_KEY COMPOSIO_BASE_URL
echo "server: $COMPOSIO_BENCH_URL (pid $SERVER_PID)" >&2

# ---------------------------------------------------------------------------
# Measures

SAMPLES="$OUT/samples.jsonl"
: > "$SAMPLES"
# run_one <sdk-id> <measure> <args...>: one client process on the client CPU;
# appends {"sdk", "measure", "args", "result" | "error"} to the samples.
run_one() {
  local id="$1" measure="$2"; shift 2
  local lang="${id%%-*}" which="${id#*-}" out err rc=0
  err="$OUT/err.txt"
  case "$lang" in
    py)
      local py="$PY_OURS/bin/python"; [ "$which" = official ] && py="$PY_OFF/bin/python"
      out="$(cd "$OUT" && taskset -c "$CLIENT_CPU" "$py" "$HERE/bench_py.py" "$which" "$measure" "$@" 2>"$err")" || rc=$?
      ;;
    node)
      local dir="$NODE_OURS"; [ "$which" = official ] && dir="$NODE_OFF"
      out="$(cd "$dir" && taskset -c "$CLIENT_CPU" node bench_node.mjs "$which" "$measure" "$@" 2>"$err")" || rc=$?
      ;;
  esac
  "$PYTHON" - "$SAMPLES" "$id" "$measure" "$rc" "$out" "$err" "$@" <<'EOF'
import json, sys
path, sdk, measure, rc, out, err, *args = sys.argv[1:]
rec = {"sdk": sdk, "measure": measure, "args": args}
try:
    if rc != "0":
        raise ValueError(open(err).read().strip().splitlines()[-1:] or ["exit " + rc])
    rec["result"] = json.loads(out.strip().splitlines()[-1])
except Exception as e:  # a failed measure is recorded, not fatal
    rec["error"] = str(e)[:500]
    print(f"  {sdk} {measure} {' '.join(args)}: FAILED {rec['error']}", file=sys.stderr)
with open(path, "a") as f:
    f.write(json.dumps(rec) + "\n")
EOF
}

for id in $SDKS; do
  step "$id"
  echo "  startup x$STARTUP_RUNS" >&2
  for _ in $(seq 1 "$STARTUP_RUNS"); do run_one "$id" startup; done
  for n in $SIZES; do
    # The RSS a call adds is one reading per process: the largest list is
    # measured in GET_RUNS processes and the report takes the median.
    runs=1; [ "$n" = 2000 ] && runs=$GET_RUNS
    echo "  tools.get $n x$GET_REPS, $runs process(es)" >&2
    for _ in $(seq 1 "$runs"); do run_one "$id" tools_get "$n" "$GET_REPS"; done
  done
  echo "  execute x$EXEC_CALLS" >&2
  run_one "$id" execute "$EXEC_CALLS"
  # Verification rates swing with the host's load: VERIFY_RUNS processes
  # each, the report takes the median; then the same over 1,000 bodies of
  # one shape with different values.
  echo "  verify ${VERIFY_SECS}s x$VERIFY_RUNS, then 1,000 distinct bodies x$VERIFY_RUNS" >&2
  for _ in $(seq 1 "$VERIFY_RUNS"); do run_one "$id" verify "$VERIFY_SECS"; done
  for _ in $(seq 1 "$VERIFY_RUNS"); do run_one "$id" verify "$VERIFY_SECS" 1000; done
  echo "  $CONC_CALLS concurrent x$CONC_REPS" >&2
  run_one "$id" concurrent "$CONC_CALLS" "$CONC_REPS"
done

CMD="tests/bench/run.sh${1:+ $*}"
"$PYTHON" "$HERE/report.py" "$SAMPLES" --mode "$MODE" --command "$CMD" \
  --json "$HERE/results.json" --markdown "$HERE/RESULTS.md"
