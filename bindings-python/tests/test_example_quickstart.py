"""Runs examples/python/quickstart.py as a subprocess (it starts its own
composio-local) and checks what it printed."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO


def test_quickstart_example_runs_against_composio_local() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COMPOSIO_API_KEY", "COMPOSIO_BASE_URL")}
    env.setdefault("COMPOSIO_LOCAL_BIN", str(REPO / "target" / "debug" / "composio-local"))
    proc = subprocess.run(
        [sys.executable, str(REPO / "examples" / "python" / "quickstart.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "composio-local running at http://127.0.0.1:" in out
    assert "COMPOSIO_SEARCH_TOOLS" in out
    assert "tool call result: {" in out and "'words': 4" in out
    assert "TEXT_TRANSFORM_CASE -> {" in out and "hello_from_composio_rs" in out
    assert "is ACTIVE" in out
    assert "realtime event: NOTES_NOTE_CREATED for demo_user" in out
    assert "verified V3 webhook: NOTES_NOTE_CREATED for demo_user" in out and "Ship composio-rs" in out
    assert out.rstrip().endswith("quickstart finished")
