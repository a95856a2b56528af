#!/usr/bin/env bash
# Builds the composio-rs wheel, installs it into a venv (not an editable
# install: the suite runs against the installed wheel), builds
# composio-local and runs the pytest suite plus a stub check.
#
#   scripts/test-python.sh [pytest args...]
#
# Env: PY_VENV (default target/py-venv), PYTHON (default python3),
#      COMPOSIO_LOCAL_BIN (default target/debug/composio-local),
#      PY_RELEASE=1 to build the wheel in release mode.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${PY_VENV:-$ROOT/target/py-venv}"
PYTHON="${PYTHON:-python3}"
WHEELS="$ROOT/target/wheels-python"

MATURIN_VERSION=1.16.0
PYTEST_VERSION=9.2.0
PYDANTIC_VERSION=2.14.3
MYPY_VERSION=2.4.1
RUFF_VERSION=0.17.5
# langchain-core 1.7+ requires certifi>=2026.10.19, newer than the reachable index has.
LANGCHAIN_CORE_VERSION=1.6.13

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating venv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
want="maturin==$MATURIN_VERSION pytest==$PYTEST_VERSION pydantic==$PYDANTIC_VERSION mypy==$MYPY_VERSION ruff==$RUFF_VERSION langchain-core==$LANGCHAIN_CORE_VERSION"
stamp="$VENV/.composio-rs-deps"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing $want"
  "$PY" -m pip install -q $want
  echo "$want" > "$stamp"
fi

status=0

# Every Python file of the repository. Each is checked with the nearest
# configuration: bindings-python/pyproject.toml, examples/python/ruff.toml,
# ruff's defaults for tests/bench and tests/compat.
RUFF_PATHS=(bindings-python/python bindings-python/tests examples/python tests/bench/*.py tests/compat/*.py)
echo "==> ruff check / ruff format --check"
if ! "$VENV/bin/ruff" check -q "${RUFF_PATHS[@]}"; then
  echo "ruff check FAILED"
  status=1
fi
if ! "$VENV/bin/ruff" format --check -q "${RUFF_PATHS[@]}"; then
  echo "ruff format --check FAILED (run: $VENV/bin/ruff format ${RUFF_PATHS[*]})"
  status=1
fi

echo "==> building the wheel (maturin build)"
profile=()
[ "${PY_RELEASE:-}" = "1" ] && profile=(--release)
rm -rf "$WHEELS"
"$VENV/bin/maturin" build -q "${profile[@]}" -m bindings-python/Cargo.toml -i "$PY" -o "$WHEELS"
wheel="$(ls "$WHEELS"/composio_rs-*.whl | head -n1)"
echo "    $(basename "$wheel")"
"$PY" -m pip install -q --force-reinstall --no-deps "$wheel"

echo "==> building composio-local"
cargo build -q -p composio-local
export COMPOSIO_LOCAL_BIN="${COMPOSIO_LOCAL_BIN:-$ROOT/target/debug/composio-local}"

# Run from a neutral directory so the source tree cannot shadow the wheel.
cd "$ROOT/bindings-python/tests"

echo "==> stub check (mypy.stubtest against the installed wheel)"
if ! "$PY" -m mypy.stubtest composio_rs._native --allowlist "$ROOT/bindings-python/stubtest-allowlist.txt"; then
  echo "stubtest FAILED"
  status=1
fi
echo "==> mypy on the public package"
if ! "$PY" -m mypy --no-error-summary --follow-imports=silent -p composio_rs; then
  echo "mypy FAILED"
  status=1
fi

echo "==> pytest"
if ! "$PY" -m pytest -q -p no:cacheprovider "$@" .; then
  status=1
fi
exit $status
