"""Shared fixtures: a composio-local process for the whole session, the
provider stub server, and paths to the cross-language fixtures.

The suite imports the INSTALLED ``composio_rs`` wheel; run it from this
directory (scripts/test-python.sh does) so the source tree cannot shadow it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
TEXT_VERSION = "20251201_00"


def _local_bin() -> str:
    path = os.environ.get("COMPOSIO_LOCAL_BIN") or str(REPO / "target" / "debug" / "composio-local")
    if not Path(path).exists():
        pytest.exit(f"composio-local not found at {path}: run `cargo build -p composio-local`", returncode=2)
    return path


class Local:
    """A running composio-local: ``base_url``, ``api_key``."""

    def __init__(self, base_url: str, api_key: str, proc: "subprocess.Popen[str]") -> None:
        self.base_url = base_url
        self.api_key = api_key
        self.proc = proc

    def client(self, **kwargs: Any) -> Any:
        from composio_rs import Composio

        kwargs.setdefault("toolkit_versions", {"text": TEXT_VERSION})
        return Composio(api_key=self.api_key, base_url=self.base_url, **kwargs)


def start_local(data: str, port: int = 0) -> Local:
    """Starts a composio-local on ``data`` (``port`` 0 = any free port) and
    waits for it to print its URL and API key. Stop it with ``stop_local``."""
    proc = subprocess.Popen(
        [_local_bin(), "serve", "--port", str(port), "--data", data],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    found: Dict[str, str] = {}
    deadline = time.time() + 60
    assert proc.stdout is not None
    while time.time() < deadline and len(found) < 2:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                pytest.exit("composio-local exited before printing its URL", returncode=2)
            continue
        for key in ("COMPOSIO_BASE_URL", "COMPOSIO_API_KEY"):
            if line.startswith(key + "="):
                found[key] = line.strip().split("=", 1)[1]
    if len(found) < 2:
        proc.kill()
        pytest.exit("composio-local did not print COMPOSIO_BASE_URL/COMPOSIO_API_KEY", returncode=2)
    return Local(found["COMPOSIO_BASE_URL"], found["COMPOSIO_API_KEY"], proc)


def stop_local(local: Local) -> None:
    local.proc.terminate()
    try:
        local.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        local.proc.kill()
        local.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def local() -> Iterator[Local]:
    server = start_local(tempfile.mkdtemp(prefix="composio-local-py-"))
    try:
        yield server
    finally:
        stop_local(server)


@pytest.fixture()
def composio(local: Local) -> Any:
    return local.client()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Stub:
    """The provider-goldens stub server (tests/fixtures/providers/stub_server.py)."""

    def __init__(self, base_url: str, log: Path) -> None:
        self.base_url = base_url
        self.log = log

    def take_calls(self) -> list:
        if not self.log.exists():
            return []
        calls = [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line.strip()]
        self.log.unlink()
        return calls


@pytest.fixture(scope="session")
def stub() -> Iterator[Stub]:
    port = _free_port()
    log = Path(tempfile.mkdtemp(prefix="provstub-")) / "calls.jsonl"
    proc = subprocess.Popen(
        [sys.executable, str(FIXTURES / "providers" / "stub_server.py"), str(port), str(log)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.05)
    try:
        yield Stub(f"http://127.0.0.1:{port}", log)
    finally:
        proc.kill()
        proc.wait()


def load_json(rel: str) -> Any:
    return json.loads((FIXTURES / rel).read_text(encoding="utf-8"))


def dumps(v: Any) -> str:
    """Exact text form (key order matters)."""
    return json.dumps(v, ensure_ascii=False, sort_keys=False)


def offline_client(**kwargs: Any) -> Any:
    """A client whose base URL has nothing listening (proves no network)."""
    from composio_rs import Composio

    return Composio(api_key="offline-key", base_url=f"http://127.0.0.1:{_free_port()}", max_retries=0, **kwargs)
