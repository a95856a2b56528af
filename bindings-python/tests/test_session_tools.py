"""Session custom tools and toolkits (``composio.experimental.tool`` /
``Toolkit``): announced in the create body, listed by
``session.custom_tools()`` / ``custom_toolkits()``, executed in-process by
``session.execute`` and the multi-execute meta tool, with ``ctx``.

Requests go through a small forwarding proxy in front of composio-local that
records the ``experimental`` custom tool definitions of each session create
body and forwards every request unchanged; composio-local checks the
definitions and answers with their final slugs, as the hosted API does."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List

import pytest
from pydantic import BaseModel

from composio_rs import Composio, exceptions


class _Proxy:
    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.experimental: List[Dict[str, Any]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else None
                if body and self.command == "POST" and self.path.rstrip("/").endswith("tool_router/session"):
                    exp = json.loads(body).get("experimental") or {}
                    taken = {k: exp[k] for k in ("custom_tools", "custom_toolkits") if k in exp}
                    proxy.experimental.append(taken)
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection")
                }
                req = urllib.request.Request(proxy.target + self.path, data=body, method=self.command, headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        status, out, ctype = r.status, r.read(), r.headers.get("content-type", "")
                except urllib.error.HTTPError as e:
                    status, out, ctype = e.code, e.read(), e.headers.get("content-type", "")
                self.send_response(status)
                self.send_header("content-type", ctype or "application/json")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture()
def proxied(local: Any) -> Iterator[Any]:
    proxy = _Proxy(local.base_url)
    try:
        yield proxy, Composio(api_key=local.api_key, base_url=proxy.url)
    finally:
        proxy.server.shutdown()


class AddInput(BaseModel):
    a: int
    b: int = 0


class Sum(BaseModel):
    sum: int


def _tools(composio: Any) -> Any:
    @composio.experimental.tool
    def add(input: AddInput) -> Any:
        """Adds two numbers."""
        return Sum(sum=input.a + input.b)

    @composio.experimental.tool(slug="shout", name="Shout it", extends_toolkit="notes", output_params=Sum)
    def loud(input: dict, ctx: Any) -> Any:
        """Upper-cases text."""
        return {"text": str(input.get("text", "")).upper(), "user": ctx.user_id, "session": ctx.session_id}

    kit = composio.experimental.Toolkit(slug="MATHS", name="Maths", description="Local maths")

    @kit.tool()
    def double_sum(input: AddInput, ctx: Any) -> Any:
        """Doubles a sum computed by another local tool through ctx.execute."""
        inner = ctx.execute("ADD", {"a": input.a, "b": input.b})
        assert inner.error is None, inner
        return {"double": inner.data["sum"] * 2}

    @kit.tool
    def fail(input: AddInput) -> Any:
        """Always raises."""
        raise KeyError("custom tool failure on purpose")

    return add, loud, kit


def test_session_custom_tools_are_listed_and_run_locally(proxied: Any) -> None:
    proxy, composio = proxied
    add, loud, kit = _tools(composio)
    assert add(AddInput(a=1, b=2)).sum == 3  # still callable directly
    session = composio.create(
        user_id="user-st",
        toolkits=["notes"],
        experimental={"custom_tools": [add, loud], "custom_toolkits": [kit]},
    )
    # The create body announced them (wire contract §11.3).
    sent = proxy.experimental[-1]
    assert [t["slug"] for t in sent["custom_tools"]] == ["ADD", "shout"], sent
    assert sent["custom_tools"][1]["extends_toolkit"] == "notes"
    assert sent["custom_tools"][1]["output_schema"]["title"] == "Sum"
    assert sent["custom_tools"][0]["input_schema"]["required"] == ["a"]
    assert sent["custom_toolkits"][0]["slug"] == "MATHS"
    assert [t["slug"] for t in sent["custom_toolkits"][0]["tools"]] == ["DOUBLE_SUM", "FAIL"]

    tools = session.custom_tools()
    slugs = [t.slug for t in tools]
    assert slugs == ["LOCAL_ADD", "LOCAL_NOTES_SHOUT", "LOCAL_MATHS_DOUBLE_SUM", "LOCAL_MATHS_FAIL"], slugs
    shout = tools[1]
    assert shout.name == "Shout it" and shout.description == "Upper-cases text."
    assert shout.output_schema["title"] == "Sum"
    assert tools[0].input_schema["properties"]["a"]["type"] == "integer"
    assert [t.slug for t in session.custom_tools(toolkit="maths")] == ["LOCAL_MATHS_DOUBLE_SUM", "LOCAL_MATHS_FAIL"]
    kits = session.custom_toolkits()
    assert [k.slug for k in kits] == ["MATHS"] and len(kits[0].tools) == 2

    r = session.execute("LOCAL_ADD", {"a": 2, "b": 5})
    assert r.error is None and r.data == {"sum": 7} and r.log_id == "", r
    # by the slug it was defined with, too
    assert session.execute("add", {"a": 1}).data == {"sum": 1}
    r = session.execute("LOCAL_NOTES_SHOUT", {"text": "hi"})
    assert r.data == {"text": "HI", "user": "user-st", "session": session.session_id}, r
    r = session.execute("LOCAL_MATHS_DOUBLE_SUM", {"a": 3, "b": 4})
    assert r.data == {"double": 14}, r

    # Bad arguments: a failed result naming the problem, the tool is not run.
    r = session.execute("LOCAL_ADD", {"a": "not a number"})
    assert r.error and not r.data, r

    # A raising tool: the user's exception comes back unchanged.
    with pytest.raises(KeyError, match="custom tool failure on purpose"):
        session.execute("LOCAL_MATHS_FAIL", {"a": 1})

    # Through the multi-execute meta tool, split between local and remote.
    r = session.execute_meta(
        "COMPOSIO_MULTI_EXECUTE_TOOL",
        {"tools": [{"tool_slug": "LOCAL_ADD", "arguments": {"a": 4, "b": 4}}]},
    )
    assert r.data == {"sum": 8} or "8" in str(r.data), r


def test_session_tool_definitions_are_validated(proxied: Any) -> None:
    _, composio = proxied
    with pytest.raises(exceptions.ValidationError, match="must not start with LOCAL_"):

        @composio.experimental.tool(slug="local_thing")
        def a(input: AddInput) -> Any:
            """Doc."""

    with pytest.raises(exceptions.ValidationError, match="must match"):

        @composio.experimental.tool(slug="has space")
        def b(input: AddInput) -> Any:
            """Doc."""

    with pytest.raises(exceptions.ValidationError, match="description"):

        @composio.experimental.tool
        def c(input: AddInput) -> Any:
            return None

    with pytest.raises(exceptions.ValidationError, match="not async"):

        @composio.experimental.tool
        async def d(input: AddInput) -> Any:
            """Doc."""

    with pytest.raises(exceptions.ValidationError, match="longer than 60"):

        @composio.experimental.tool(slug="X" * 60)
        def e(input: AddInput) -> Any:
            """Doc."""

    with pytest.raises(exceptions.ValidationError, match="name is required"):
        composio.experimental.Toolkit(slug="K", name="", description="d")

    with pytest.raises(exceptions.ValidationError, match="custom_tools"):
        composio.create(user_id="u", experimental={"custom_tools": ["not a tool"]})

    # Duplicates are found by the engine when the session is created.
    @composio.experimental.tool(slug="dup")
    def one(input: AddInput) -> Any:
        """One."""

    @composio.experimental.tool(slug="DUP")
    def two(input: AddInput) -> Any:
        """Two."""

    with pytest.raises(exceptions.ValidationError, match="(?i)dup"):
        composio.create(user_id="u", experimental={"custom_tools": [one, two]})
