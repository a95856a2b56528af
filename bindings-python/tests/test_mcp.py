"""``composio.mcp`` against a recording HTTP server started by the test
(wire-shaped JSON answers); every request the SDK makes is asserted."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List
from urllib.parse import parse_qs, urlsplit

import pytest

from composio_rs import Composio, exceptions

PREFIX = "/api/v3.1"

ITEM = {
    "id": "mcp_1",
    "name": "notes-server",
    "allowed_tools": ["NOTES_CREATE_NOTE"],
    "auth_config_ids": ["ac_1"],
    "toolkits": ["notes"],
    "toolkit_icons": {},
    "commands": {"claude": "npx claude", "cursor": "npx cursor", "windsurf": "npx windsurf"},
    "mcp_url": "https://mcp.example/mcp_1",
    "server_instance_count": 0,
    "managed_auth_via_composio": True,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
}


class Recorder:
    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []

    def take(self) -> List[Dict[str, Any]]:
        out, self.requests = self.requests, []
        return out


def _answer(method: str, path: str, body: Any) -> Any:
    if method == "POST" and path == "/mcp/servers/custom":
        return 200, {k: ITEM[k] for k in ("id", "name", "allowed_tools", "auth_config_ids", "mcp_url", "commands")}
    if method == "GET" and path == "/mcp/servers":
        return 200, {"items": [ITEM], "current_page": 1, "total_pages": 1}
    if method == "GET" and path == "/mcp/mcp_1":
        return 200, {**ITEM, "deleted": False}
    if method == "PATCH" and path == "/mcp/mcp_1":
        return 200, {**ITEM, **{k: v for k, v in body.items() if k in ("name", "allowed_tools")}}
    if method == "DELETE" and path == "/mcp/mcp_1":
        return 200, {"id": "mcp_1", "deleted": True}
    if method == "POST" and path == "/mcp/servers/generate":
        return 200, {
            "mcp_url": "https://mcp.example/mcp_1",
            "user_ids_url": ["https://mcp.example/mcp_1?user_id=" + body["user_ids"][0]],
            "connected_account_urls": [],
        }
    return 404, {"error": {"message": "no such MCP server", "status": 404, "request_id": "req_x"}}


@pytest.fixture()
def server() -> Iterator[Any]:
    rec = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            pass

        def _handle(self) -> None:
            url = urlsplit(self.path)
            n = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(n) if n else b""
            body = json.loads(raw) if raw else None
            assert url.path.startswith(PREFIX), url.path
            path = url.path[len(PREFIX) :]
            rec.requests.append(
                {
                    "method": self.command,
                    "path": path,
                    "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                    "body": body,
                    "api_key": self.headers.get("x-api-key"),
                    "framework": self.headers.get("x-framework"),
                }
            )
            status, answer = _answer(self.command, path, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = _handle

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    client = Composio(api_key="mcp-key", base_url=f"http://127.0.0.1:{httpd.server_address[1]}", max_retries=0)
    try:
        yield client, rec
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_create_with_defaults_and_generate(server: Any) -> None:
    composio, rec = server
    created = composio.mcp.create("notes-server", toolkits=["notes", {"toolkit": "notes", "auth_config_id": "ac_1"}])
    assert created.id == "mcp_1" and created["mcp_url"] == ITEM["mcp_url"]
    assert created.commands["claude"] == "npx claude"
    [req] = rec.take()
    assert req["method"] == "POST" and req["path"] == "/mcp/servers/custom" and req["api_key"] == "mcp-key"
    assert req["body"] == {
        "name": "notes-server",
        "toolkits": ["notes"],
        "auth_config_ids": ["ac_1"],
        "managed_auth_via_composio": True,
    }

    instance = created.generate("user-1")
    assert instance == {
        "id": "mcp_1",
        "name": "notes-server",
        "type": "streamable_http",
        "url": "https://mcp.example/mcp_1?user_id=user-1",
        "user_id": "user-1",
        "allowed_tools": ["NOTES_CREATE_NOTE"],
        "auth_configs": ["ac_1"],
    }
    get, gen = rec.take()
    assert (get["method"], get["path"]) == ("GET", "/mcp/mcp_1")
    assert (gen["method"], gen["path"]) == ("POST", "/mcp/servers/generate")
    assert gen["body"] == {"mcp_server_id": "mcp_1", "user_ids": ["user-1"], "managed_auth_by_composio": True}


def test_create_manual_connections_and_allowed_tools(server: Any) -> None:
    composio, rec = server
    composio.mcp.create(
        "notes-server", toolkits=["notes"], manually_manage_connections=True, allowed_tools=["NOTES_CREATE_NOTE"]
    )
    [req] = rec.take()
    assert req["body"] == {
        "name": "notes-server",
        "toolkits": ["notes"],
        "auth_config_ids": [],
        "allowed_tools": ["NOTES_CREATE_NOTE"],
        "managed_auth_via_composio": False,
    }
    composio.mcp.generate("user-2", "mcp_1", manually_manage_connections=True)
    _, gen = rec.take()
    assert gen["body"]["managed_auth_by_composio"] is False


def test_list_get_update_delete(server: Any) -> None:
    composio, rec = server
    page = composio.mcp.list(page_no=2, limit=5, toolkits="notes", auth_config_ids=["ac_1", "ac_2"], name="notes")
    assert page.items[0].id == "mcp_1" and page.current_page == 1 and page.total_pages == 1
    [req] = rec.take()
    assert req["method"] == "GET" and req["path"] == "/mcp/servers"
    assert req["query"] == {
        "page_no": "2",
        "limit": "5",
        "toolkits": "notes",
        "auth_config_ids": "ac_1,ac_2",
        "name": "notes",
    }

    got = composio.mcp.get("mcp_1")
    assert got.deleted is False and got.toolkits == ["notes"]
    assert rec.take()[0]["path"] == "/mcp/mcp_1"

    updated = composio.mcp.update("mcp_1", name="renamed-server", allowed_tools=["NOTES_LIST_NOTES"])
    assert updated.name == "renamed-server" and updated.allowed_tools == ["NOTES_LIST_NOTES"]
    [req] = rec.take()
    assert req["method"] == "PATCH"
    assert req["body"] == {"name": "renamed-server", "allowed_tools": ["NOTES_LIST_NOTES"]}

    composio.mcp.update(
        "mcp_1", toolkits=[{"toolkit": "notes", "auth_config_id": "ac_9"}], manually_manage_connections=True
    )
    [req] = rec.take()
    assert req["body"] == {"toolkits": ["notes"], "auth_config_ids": ["ac_9"], "managed_auth_via_composio": False}

    assert composio.mcp.delete("mcp_1") == {"id": "mcp_1", "deleted": True}
    assert rec.take()[0]["method"] == "DELETE"


def test_errors_are_typed_and_sent_nothing(server: Any) -> None:
    composio, rec = server
    with pytest.raises(exceptions.ValidationError, match="4 to 30"):
        composio.mcp.create("ab", toolkits=["notes"])
    with pytest.raises(exceptions.ValidationError, match="at least one toolkit"):
        composio.mcp.create("notes-server", toolkits=[])
    with pytest.raises(exceptions.ValidationError, match="toolkits"):
        composio.mcp.create("notes-server", toolkits=[42])
    assert rec.take() == []
    with pytest.raises(exceptions.NotFoundError):
        composio.mcp.get("mcp_missing")


def test_framework_header_names_the_provider(server: Any) -> None:
    from composio_rs.langchain import LangchainProvider

    composio, rec = server
    composio.mcp.get("mcp_1")
    assert rec.take()[0]["framework"] == "openai"
    lc = Composio(api_key="mcp-key", base_url=composio.base_url, provider=LangchainProvider(), max_retries=0)
    lc.mcp.get("mcp_1")
    assert rec.take()[0]["framework"] == "langchain"
