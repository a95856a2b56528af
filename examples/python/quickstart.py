"""composio-rs quickstart (Python).

A session and its tools in OpenAI format, a model's tool call executed, a
direct execution, then a connection through the connect page, a trigger on
it, the event received over the realtime channel, and the signed webhook it
fires, received and verified.

Runs against a composio-local it starts (``composio-local serve --port 0``;
found through ``COMPOSIO_LOCAL_BIN``, ``PATH`` or this repository's
``target/debug``) unless ``COMPOSIO_API_KEY`` is set, in which case it uses
the hosted API (``COMPOSIO_BASE_URL`` optional) and runs the parts that need
no human in the loop.

    python examples/python/quickstart.py
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from composio_rs import Composio

USER_ID = "demo_user"
# Pin the toolkit version so direct executions are reproducible.
TOOLKIT_VERSIONS = {"text": "20251201_00"}


# ---------------------------------------------------------------------------
# Backend: composio-local by default, the hosted API with COMPOSIO_API_KEY


def _local_binary() -> str:
    candidates = [
        os.environ.get("COMPOSIO_LOCAL_BIN"),
        shutil.which("composio-local"),
        str(Path(__file__).resolve().parents[2] / "target" / "debug" / "composio-local"),
    ]
    for c in candidates:
        if c and Path(c).is_file():
            return c
    raise SystemExit("composio-local not found: set COMPOSIO_LOCAL_BIN or run `cargo build -p composio-local`")


def start_local() -> Tuple["subprocess.Popen[str]", Dict[str, str]]:
    """Starts composio-local on a free port and reads the lines it prints."""
    data = tempfile.mkdtemp(prefix="composio-quickstart-")
    proc = subprocess.Popen(
        [_local_binary(), "serve", "--port", "0", "--data", data],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    found: Dict[str, str] = {}
    deadline = time.time() + 60
    while len(found) < 2 and time.time() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            raise SystemExit("composio-local exited early")
        key, _, value = line.strip().partition("=")
        if key in ("COMPOSIO_BASE_URL", "COMPOSIO_API_KEY"):
            found[key] = value
    if len(found) < 2:
        proc.kill()
        raise SystemExit("composio-local did not print its URL and API key")
    return proc, found


# ---------------------------------------------------------------------------
# Part 1: session, tools for the model, tool calls, direct execution


def tools_and_tool_calls(composio: Composio, toolkit: str) -> None:
    session = composio.create(user_id=USER_ID, toolkits=[toolkit])
    print(f"session {session.session_id} (MCP at {session.mcp.url})")

    tools = session.tools()  # OpenAI chat-completions format (the default provider)
    print(f"{len(tools)} tools for the model:")
    for tool in tools:
        print(f"  - {tool['function']['name']}")

    if toolkit != "text":
        return
    # A model that decided to call TEXT_WORD_COUNT; the provider executes it.
    completion = {
        "choices": [
            {
                "message": {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {
                                "name": "TEXT_WORD_COUNT",
                                "arguments": json.dumps({"text": "Composio gives agents tools."}),
                            },
                        }
                    ],
                }
            }
        ]
    }
    results = composio.provider.handle_tool_calls(user_id=USER_ID, response=completion)
    print(f"tool call result: {results[0]['data']}")

    openai_tools = composio.tools.get(USER_ID, tools=["TEXT_TRANSFORM_CASE"])
    print(f"tools.get -> {openai_tools[0]['function']['name']} ({openai_tools[0]['type']})")
    result = composio.tools.execute(
        "TEXT_TRANSFORM_CASE", {"text": "Hello from composio-rs", "case": "snake"}, user_id=USER_ID
    )
    print(f"TEXT_TRANSFORM_CASE -> {result['data']}")


# ---------------------------------------------------------------------------
# Part 2: connection, trigger, realtime event, verified webhook


class _Webhooks:
    """A local endpoint that receives webhook deliveries."""

    def __init__(self) -> None:
        self.received: "queue.Queue[Tuple[Dict[str, str], bytes]]" = queue.Queue()
        inbox = self.received

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                inbox.put(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def connection_trigger_and_webhook(composio: Composio) -> None:
    # 1. The app asks for a connection; the user opens the link...
    session = composio.create(user_id=USER_ID, toolkits=["notes"])
    request = session.authorize("notes")
    print(f"connect link: {request.redirect_url}")
    # ...and types their API key on the page (done here by posting the form).
    form = urllib.parse.urlencode({"api_key": "demo-notes-key"}).encode()
    assert request.redirect_url is not None
    urllib.request.urlopen(urllib.request.Request(request.redirect_url, data=form, method="POST"), timeout=30).read()
    account = request.wait_for_connection(timeout=30)
    print(f"connected account {account.id} is {account.status}")

    # 2. A local endpoint receives webhooks; Composio signs each delivery.
    hooks = _Webhooks()
    try:
        subscription = composio.webhooks.subscriptions.create(
            webhook_url=hooks.url, enabled_events=["composio.trigger.message"], version="V3"
        )
        secret = subscription.secret

        # 3. A trigger on the account, and a realtime subscription to it.
        trigger = composio.triggers.create("NOTES_NOTE_CREATED", user_id=USER_ID)
        print(f"trigger {trigger.trigger_id} listening")
        live = composio.triggers.subscribe()
        events: "queue.Queue[Any]" = queue.Queue()

        @live.handle(trigger_id=trigger.trigger_id)
        def on_note(event: Any) -> None:
            events.put(event)

        # 4. Creating a note fires the trigger.
        session.execute("NOTES_CREATE_NOTE", {"title": "Launch", "content": "Ship composio-rs"})
        event = events.get(timeout=30)
        print(f"realtime event: {event['trigger_slug']} for {event['user_id']}")
        live.stop()

        # 5. The webhook delivery arrives and is verified with the secret.
        headers, body = hooks.received.get(timeout=30)
        verified = composio.triggers.verify_webhook(
            id=headers["webhook-id"],
            payload=body.decode("utf-8"),
            signature=headers["webhook-signature"],
            timestamp=headers["webhook-timestamp"],
            secret=secret,
        )
        payload = verified["payload"]
        print(
            f"verified {verified['version'].value} webhook: {payload['trigger_slug']} "
            f"for {payload['user_id']} -> {json.dumps(payload['payload'], sort_keys=True)}"
        )
        composio.webhooks.subscriptions.delete(subscription.id)
    finally:
        hooks.close()


def main() -> int:
    proc: Optional["subprocess.Popen[str]"] = None
    if os.environ.get("COMPOSIO_API_KEY"):
        composio = Composio(toolkit_versions=TOOLKIT_VERSIONS)
        print(f"using {composio.base_url}")
        tools_and_tool_calls(composio, os.environ.get("QUICKSTART_TOOLKIT", "github"))
        request = composio.create(user_id=USER_ID, toolkits=["github"]).authorize("github")
        print(f"connect link (open it to connect GitHub): {request.redirect_url}")
        return 0
    proc, env = start_local()
    try:
        print(f"composio-local running at {env['COMPOSIO_BASE_URL']}")
        composio = Composio(
            api_key=env["COMPOSIO_API_KEY"], base_url=env["COMPOSIO_BASE_URL"], toolkit_versions=TOOLKIT_VERSIONS
        )
        tools_and_tool_calls(composio, "text")
        connection_trigger_and_webhook(composio)
        print("quickstart finished")
        return 0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    sys.exit(main())
