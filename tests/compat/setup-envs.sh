#!/usr/bin/env bash
# Creates (or reuses) throwaway environments holding the official Composio SDKs,
# OUTSIDE the repository: ${COMPAT_DIR:-${TMPDIR:-/tmp}/composio-compat}.
#   py-<version>/   a venv with `composio==<version>` (PyPI) and pytest
#   js-<version>/   a package.json + node_modules with `@composio/core@<version>` (npm)
# An environment is reused when its marker file says it holds the wanted version.
# Prints PY=<python path> and JS=<node project dir> on its last two lines.
set -euo pipefail

PY_SDK_VERSION="${COMPOSIO_PY_VERSION:-0.30.0}"
JS_SDK_VERSION="${COMPOSIO_JS_VERSION:-0.21.0}"
# @composio/core 0.21 asks for @composio/client 2.0.0-rc.8, which the reachable
# registry lacks; rc.6 serves the ordinary flows (see official-sdks-here.md).
JS_CLIENT_OVERRIDE="${COMPOSIO_JS_CLIENT_OVERRIDE:-2.0.0-rc.6}"
COMPAT_DIR="${COMPAT_DIR:-${TMPDIR:-/tmp}/composio-compat}"
mkdir -p "$COMPAT_DIR"
# One setup at a time (two runs starting together would both build the same env).
exec 9>"$COMPAT_DIR/.setup.lock"
flock 9

PYENV="$COMPAT_DIR/py-$PY_SDK_VERSION"
PYMARK="$PYENV/.composio-compat-ready"
if [[ ! -f "$PYMARK" ]]; then
  echo "setup: creating $PYENV (composio==$PY_SDK_VERSION)" >&2
  rm -rf "$PYENV"
  python3 -m venv "$PYENV"
  "$PYENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-deps "composio==$PY_SDK_VERSION"
  # composio 0.30 requires certifi>=2026.10.19, newer than any certifi on the
  # reachable index; install its other requirements as declared, certifi unpinned.
  # (pip then prints a "dependency conflicts" notice about certifi: expected.)
  mapfile -t reqs < <("$PYENV/bin/python" - <<'PYEOF'
import importlib.metadata as md
for r in md.requires("composio") or []:
    if ";" in r and "extra" in r.split(";", 1)[1]:
        continue
    name = r.split(";", 1)[0].strip()
    if name.lower().startswith("certifi"):
        name = "certifi"
    print(name)
PYEOF
)
  "$PYENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "${reqs[@]}" "pytest>=8,<9"
  "$PYENV/bin/python" -c "import importlib.metadata as m; assert m.version('composio') == '$PY_SDK_VERSION'"
  echo "$PY_SDK_VERSION" > "$PYMARK"
fi

JSENV="$COMPAT_DIR/js-$JS_SDK_VERSION"
JSMARK="$JSENV/.composio-compat-ready"
if [[ ! -f "$JSMARK" ]]; then
  echo "setup: creating $JSENV (@composio/core@$JS_SDK_VERSION)" >&2
  rm -rf "$JSENV"
  mkdir -p "$JSENV"
  cat > "$JSENV/package.json" <<JSONEOF
{
  "name": "composio-compat-throwaway",
  "private": true,
  "type": "module",
  "dependencies": { "@composio/core": "$JS_SDK_VERSION" },
  "overrides": { "@composio/client": "$JS_CLIENT_OVERRIDE" }
}
JSONEOF
  (cd "$JSENV" && npm install --no-audit --no-fund --loglevel=error >&2)
  node -e "const v=require('$JSENV/node_modules/@composio/core/package.json').version; if (v !== '$JS_SDK_VERSION') { console.error('got', v); process.exit(1) }"
  echo "$JS_SDK_VERSION" > "$JSMARK"
fi

echo "PY=$PYENV/bin/python"
echo "JS=$JSENV"
