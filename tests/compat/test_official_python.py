"""The official Python SDK (`composio` from PyPI) against a real composio-local process.

Run by tests/compat/run.sh with the throwaway venv's python, which exports
COMPOSIO_BASE_URL and COMPOSIO_API_KEY of a composio-local started for this suite
(its own data folder, so the project's single webhook subscription is ours).

Only documented, ordinary SDK calls are used; the connect page is completed by
posting its HTML form with an HTTP client, as a browser would.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import composio_client
import pytest
from composio import Composio, exceptions

# composio-local's built-in toolkits all publish this version; the SDK refuses a
# manual execute whose toolkit version resolves to "latest", so pin it.
TOOLKIT_VERSION = "20251201_00"
TOOLKIT_VERSIONS = {
    "notes": TOOLKIT_VERSION,
    "text": TOOLKIT_VERSION,
    "tasks": TOOLKIT_VERSION,
}


def _env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise RuntimeError(
            f"{name} is not set: run this suite through tests/compat/run.sh"
        )
    return value


BASE_URL = _env("COMPOSIO_BASE_URL")
API_KEY = _env("COMPOSIO_API_KEY")


# --------------------------------------------------------------------------- helpers


class Receiver:
    """A local HTTP endpoint recording webhook deliveries (raw bytes) and connect
    callbacks."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.callbacks: list[dict[str, list[str]]] = []
        self._cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver._cond:
                    receiver.deliveries.append((headers, body))
                    receiver._cond.notify_all()
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def do_GET(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                with receiver._cond:
                    receiver.callbacks.append(urllib.parse.parse_qs(parsed.query))
                    receiver._cond.notify_all()
                body = b"<html><body>callback received</body></html>"
                self.send_response(200)
                self.send_header("content-type", "text/html")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def wait_delivery(
        self, predicate, timeout: float = 30.0
    ) -> tuple[dict[str, str], bytes]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for headers, body in self.deliveries:
                    if predicate(headers, body):
                        return headers, body
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"no matching webhook delivery within {timeout}s; "
                        f"got {len(self.deliveries)}: "
                        + "; ".join(
                            b.decode(errors="replace")[:200] for _, b in self.deliveries
                        )
                    )
                self._cond.wait(left)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FormParser(HTMLParser):
    """Collects the forms of a page: action, method, field values and submit buttons
    (a browser sends only the button that was clicked, so buttons are kept apart)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action") or "",
                    "method": (a.get("method") or "get").lower(),
                    "inputs": {},
                    "buttons": {},
                }
            )
            return
        if tag not in ("input", "button") or not self.forms or not a.get("name"):
            return
        name, value = a["name"] or "", a.get("value") or ""
        if tag == "button" or a.get("type") == "submit":
            self.forms[-1]["buttons"].setdefault(name, []).append(value)
        else:
            self.forms[-1]["inputs"][name] = value


def submit_page_form(url: str, fields: dict[str, str]) -> tuple[int, str]:
    """Open `url` (following redirects), fill the fields of the page's single form with
    `fields` (each must name an input or button of the form) and submit it as a browser
    would, following redirects. Returns the final (status, url)."""
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.status == 200, resp.status
        page = resp.read().decode()
        page_url = resp.geturl()
    parser = FormParser()
    parser.feed(page)
    assert len(parser.forms) == 1, (
        f"expected one form on {page_url}, got {parser.forms}:\n{page}"
    )
    form = parser.forms[0]
    assert form["method"] == "post", form
    for name, value in fields.items():
        known = name in form["inputs"] or value in form["buttons"].get(name, [])
        assert known, (
            f"the form on {page_url} has no field or button {name}={value!r}: {form}"
        )
    data = urllib.parse.urlencode({**form["inputs"], **fields}).encode()
    req = urllib.request.Request(
        urllib.parse.urljoin(page_url, form["action"]), data=data, method="POST"
    )
    req.add_header("content-type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.geturl()


def complete_api_key_connect_page(redirect_url: str, api_key: str) -> tuple[int, str]:
    """The API-key connect page: type the key and submit."""
    return submit_page_form(redirect_url, {"api_key": api_key})


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def composio() -> Composio:
    return Composio(
        api_key=API_KEY,
        base_url=BASE_URL,
        allow_tracking=False,
        toolkit_versions=TOOLKIT_VERSIONS,
    )


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="module")
def webhook_secret(composio: Composio, receiver: Receiver) -> str:
    """The project's webhook subscription, pointed at our receiver by the SDK's own
    call."""
    sub = composio.webhooks.subscriptions.set(webhook_url=f"{receiver.url}/webhook")
    assert sub["webhook_url"] == f"{receiver.url}/webhook"
    assert sub["version"] == "V3"
    assert sub["enabled_events"] == ["composio.trigger.message"]
    assert sub.get("secret"), "subscription create must return the signing secret"
    return sub["secret"]


def _connect_notes(composio: Composio, user_id: str, receiver: Receiver | None = None):
    """session → authorize(notes) → complete the connect page → wait."""
    session = composio.create(user_id=user_id, toolkits=["notes", "text"])
    kwargs = {"callback_url": f"{receiver.url}/callback"} if receiver else {}
    request = session.authorize("notes", **kwargs)
    assert request.id.startswith("ca_"), request.id
    assert request.redirect_url and request.redirect_url.startswith(BASE_URL), (
        request.redirect_url
    )
    status, final_url = complete_api_key_connect_page(
        request.redirect_url, f"key-{user_id}"
    )
    assert status == 200
    account = request.wait_for_connection(timeout=30)
    assert account.status == "ACTIVE"
    assert account.id == request.id
    return session, request, final_url


@pytest.fixture(scope="module")
def connected_user(composio: Composio) -> tuple[str, str]:
    user_id = f"py-accounts-{uuid.uuid4().hex[:8]}"
    _, request, _ = _connect_notes(composio, user_id)
    return user_id, request.id


# --------------------------------------------------------------------------- tests


def test_session_to_verified_webhook(
    composio: Composio, receiver: Receiver, webhook_secret: str
) -> None:
    user_id = f"py-flow-{uuid.uuid4().hex[:8]}"

    # create session, its (meta) tools in the default OpenAI format
    session, request, final_url = _connect_notes(composio, user_id, receiver)
    assert session.session_id
    tools = session.tools()
    names = {t["function"]["name"] for t in tools}
    assert {
        "COMPOSIO_SEARCH_TOOLS",
        "COMPOSIO_MULTI_EXECUTE_TOOL",
        "COMPOSIO_MANAGE_CONNECTIONS",
    } <= names, names
    assert all(t["type"] == "function" for t in tools)

    # the connect page sent the browser back to callback_url with the outcome appended
    assert final_url.startswith(f"{receiver.url}/callback"), final_url
    assert {
        "status": ["success"],
        "connected_account_id": [request.id],
    } in receiver.callbacks

    # the session sees the connection
    toolkits = session.toolkits()
    notes = next(t for t in toolkits.items if t.slug == "notes")
    assert notes.connection is not None and notes.connection.is_active
    assert notes.connection.connected_account is not None
    assert notes.connection.connected_account.id == request.id

    # execute a tool in the session
    result = session.execute("NOTES_LIST_NOTES", arguments={})
    assert not result.error, result.error
    assert result.data["total"] == 0

    # create a trigger on the user's connected account
    trigger = composio.triggers.create(
        "NOTES_NOTE_CREATED", user_id=user_id, trigger_config={"tag": "compat"}
    )
    assert trigger.trigger_id.startswith("ti_"), trigger
    active = composio.triggers.list_active(trigger_ids=[trigger.trigger_id])
    assert [i.id for i in active.items] == [trigger.trigger_id]

    # a real change fires it: create a tagged note through the SDK's execute
    created = composio.tools.execute(
        "NOTES_CREATE_NOTE",
        {
            "title": "compat",
            "content": "from the official Python SDK",
            "tags": ["compat"],
        },
        user_id=user_id,
    )
    assert created["successful"], created
    note_id = created["data"]["note"]["id"]

    headers, body = receiver.wait_delivery(lambda h, b: note_id.encode() in b)
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        assert headers.get(name), f"delivery lacks header {name}: {headers}"

    verified = composio.triggers.verify_webhook(
        id=headers["webhook-id"],
        payload=body.decode(),
        secret=webhook_secret,
        signature=headers["webhook-signature"],
        timestamp=headers["webhook-timestamp"],
    )
    assert verified["version"] == "V3"
    payload = verified["payload"]
    assert payload["trigger_slug"] == "NOTES_NOTE_CREATED"
    assert payload["id"] == trigger.trigger_id
    assert payload["user_id"] == user_id
    assert payload["toolkit_slug"].lower() == "notes"
    assert payload["metadata"]["connected_account"]["id"] == request.id
    assert payload["payload"]["id"] == note_id
    assert payload["payload"]["tags"] == ["compat"]
    raw = json.loads(body)
    assert raw["type"] == "composio.trigger.message"
    assert raw["metadata"]["trigger_id"] == trigger.trigger_id

    # the newer one-call parser agrees
    parsed = composio.triggers.parse(
        body=body, headers=headers, verify_secret=webhook_secret
    )
    assert parsed["payload"]["trigger_slug"] == "NOTES_NOTE_CREATED"

    # a tampered body is refused with the SDK's own error
    tampered = body.replace(b"compat", b"kompat")
    with pytest.raises(exceptions.WebhookSignatureVerificationError):
        composio.triggers.verify_webhook(
            id=headers["webhook-id"],
            payload=tampered.decode(),
            secret=webhook_secret,
            signature=headers["webhook-signature"],
            timestamp=headers["webhook-timestamp"],
        )


def test_tools_get_in_openai_format(composio: Composio) -> None:
    tools = composio.tools.get(user_id="py-tools", toolkits=["text"])
    assert tools, "no tools for toolkit text"
    by_name = {t["function"]["name"]: t for t in tools}
    assert "TEXT_WORD_COUNT" in by_name, sorted(by_name)
    fn = by_name["TEXT_WORD_COUNT"]
    assert fn["type"] == "function"
    assert fn["function"]["description"]
    assert fn["function"]["parameters"]["type"] == "object"
    assert "text" in fn["function"]["parameters"]["properties"]

    one = composio.tools.get(user_id="py-tools", tools=["TEXT_TRANSFORM_CASE"])
    assert [t["function"]["name"] for t in one] == ["TEXT_TRANSFORM_CASE"]


def test_execute_with_pinned_version(composio: Composio) -> None:
    result = composio.tools.execute(
        "TEXT_WORD_COUNT",
        {"text": "one two three"},
        user_id="py-exec",
        version=TOOLKIT_VERSION,
    )
    assert result["successful"], result
    assert result["error"] is None
    assert result["data"]["words"] == 3, result["data"]


def test_connected_accounts_list_and_get(
    composio: Composio, connected_user: tuple[str, str]
) -> None:
    user_id, account_id = connected_user
    listed = composio.connected_accounts.list(user_ids=[user_id])
    assert [a.id for a in listed.items] == [account_id]
    assert listed.items[0].status == "ACTIVE"
    assert listed.items[0].toolkit.slug == "notes"

    one = composio.connected_accounts.get(account_id)
    assert one.id == account_id
    assert one.user_id == user_id
    assert one.status == "ACTIVE"
    assert one.auth_config.id.startswith("ac_")

    by_toolkit = composio.connected_accounts.list(
        user_ids=[user_id], toolkit_slugs=["notes"], statuses=["ACTIVE"]
    )
    assert [a.id for a in by_toolkit.items] == [account_id]


def test_toolkits_list(composio: Composio) -> None:
    toolkits = composio.toolkits.get()
    slugs = {t.slug for t in toolkits}
    assert {"text", "notes", "tasks"} <= slugs, slugs
    notes = composio.toolkits.get(slug="notes")
    assert notes.slug == "notes"
    assert notes.name

    # the paged listing, sorted by name, one per page, walked with the cursor
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = composio.toolkits.list(sort_by="alphabetically", limit=1, cursor=cursor)
        assert len(page.items) == 1
        seen.append(page.items[0].name)
        cursor = page.next_cursor
        if not cursor:
            break
    names = [t.name for t in toolkits]
    assert seen == sorted(names, key=str.lower), seen


def test_trigger_for_user_without_connection_is_refused(composio: Composio) -> None:
    """triggers.create(user_id=...) lets the server pick the user's ACTIVE account;
    with none, the API error names the user and the toolkit."""
    with pytest.raises(composio_client.NotFoundError) as info:
        composio.triggers.create("NOTES_NOTE_CREATED", user_id="py-nobody")
    assert isinstance(info.value, exceptions.ComposioError)
    assert info.value.status_code == 404
    error = info.value.body["error"]
    assert error["code"] == 1803
    assert "py-nobody" in error["message"] and "notes" in error["message"], error
    with pytest.raises(exceptions.TriggerTypeNotFound):
        composio.triggers.create("NOTES_NO_SUCH_TRIGGER", user_id="py-nobody")


def test_trigger_pinned_to_an_account(
    composio: Composio, connected_user: tuple[str, str]
) -> None:
    _, account_id = connected_user
    trigger = composio.triggers.create(
        "NOTES_NOTE_CREATED", connected_account_id=account_id
    )
    active = composio.triggers.list_active(connected_account_ids=[account_id])
    assert trigger.trigger_id in [i.id for i in active.items]
    item = next(i for i in active.items if i.id == trigger.trigger_id)
    assert item.trigger_name == "NOTES_NOTE_CREATED"
    assert item.connected_account_id == account_id


def test_unknown_tool_raises_sdk_error(composio: Composio) -> None:
    with pytest.raises(exceptions.ToolNotFoundError) as info:
        composio.tools.execute(
            "NO_SUCH_TOOL_XYZ", {}, user_id="py-err", version=TOOLKIT_VERSION
        )
    assert isinstance(info.value, exceptions.ComposioError)
    assert "NO_SUCH_TOOL_XYZ" in str(info.value)


def test_oauth2_toolkit_consent_and_refusal(
    composio: Composio, receiver: Receiver
) -> None:
    """The OAuth2 toolkit: authorize → composio-local's consent page → approve →
    code exchange → ACTIVE, and a tool runs with the token; a refused consent turns
    the account FAILED and the SDK's wait stops with its own error."""
    user_id = f"py-oauth-{uuid.uuid4().hex[:8]}"
    session = composio.create(user_id=user_id, toolkits=["tasks"])
    request = session.authorize("tasks", callback_url=f"{receiver.url}/callback")
    status, final_url = submit_page_form(request.redirect_url, {"decision": "approve"})
    assert status == 200
    assert final_url.startswith(f"{receiver.url}/callback?"), final_url
    account = request.wait_for_connection(timeout=30)
    assert account.status == "ACTIVE"
    assert account.auth_config.auth_scheme == "OAUTH2"

    result = session.execute(
        "TASKS_CREATE_TASK", arguments={"title": "from the official Python SDK"}
    )
    assert result.result_type == "completed", result
    assert result.data["task"]["title"] == "from the official Python SDK"

    refused = session.authorize("tasks", callback_url=f"{receiver.url}/callback")
    status, final_url = submit_page_form(refused.redirect_url, {"decision": "deny"})
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(final_url).query) == {
        "status": ["failed"],
        "connected_account_id": [refused.id],
    }
    with pytest.raises(exceptions.SDKError, match="FAILED"):
        refused.wait_for_connection(timeout=30)
    assert composio.connected_accounts.get(refused.id).status == "FAILED"


def _completion(*calls: tuple[str, dict]):
    """A chat completion whose assistant message asks for `calls` (name, arguments)."""
    from openai.types.chat import ChatCompletion

    return ChatCompletion.model_validate(
        {
            "id": "chatcmpl-compat",
            "object": "chat.completion",
            "created": 0,
            "model": "compat-test",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": f"call_{i}",
                                "type": "function",
                                "function": {
                                    "name": name,
                                    "arguments": json.dumps(args),
                                },
                            }
                            for i, (name, args) in enumerate(calls)
                        ],
                    },
                }
            ],
        }
    )


def test_openai_provider_handles_tool_calls(
    composio: Composio, connected_user: tuple[str, str]
) -> None:
    """The OpenAI provider runs a model's tool calls: directly for a user, and through a
    session (meta tools search and multi-execute)."""
    direct = composio.provider.handle_tool_calls(
        user_id="py-provider",
        response=_completion(("TEXT_WORD_COUNT", {"text": "a b c d"})),
    )
    assert len(direct) == 1
    assert direct[0]["successful"], direct
    assert direct[0]["data"]["words"] == 4

    user_id, _ = connected_user
    session = composio.create(user_id=user_id, toolkits=["notes"])
    results = composio.provider.handle_tool_calls(
        session=session,
        response=_completion(
            ("COMPOSIO_SEARCH_TOOLS", {"queries": [{"use_case": "create a note"}]}),
            (
                "COMPOSIO_MULTI_EXECUTE_TOOL",
                {
                    "tools": [
                        {
                            "tool_slug": "NOTES_CREATE_NOTE",
                            "arguments": {"title": "via provider", "content": "x"},
                        }
                    ]
                },
            ),
        ),
    )
    assert len(results) == 2
    search, multi = results
    assert search["successful"], search
    assert "NOTES_CREATE_NOTE" in json.dumps(search["data"]), search["data"]
    assert multi["successful"], multi
    assert "via provider" in json.dumps(multi["data"]), multi["data"]


def test_session_update_history_and_delete(composio: Composio) -> None:
    """The official v3.1 session update / config history / delete against composio-local."""
    session = composio.create(user_id="compat-update", toolkits=["notes"])
    assert session.config_version == 1
    config = session.update(toolkits=None, expected_config_version=1)
    assert session.config_version == 2
    assert config.toolkits is None
    with pytest.raises(exceptions.SessionConfigConflictError) as info:
        session.update(tags=None, expected_config_version=1)
    assert info.value.session_id == session.session_id
    assert info.value.expected_config_version == 1
    history = session.list_config_history(limit=1)
    assert [item.version for item in history.items] == [2]
    assert history.items[0].is_current is True
    older = session.list_config_history(limit=1, cursor=history.next_cursor)
    assert [item.version for item in older.items] == [1]
    assert session.delete() == {"session_id": session.session_id, "deleted": True}
    with pytest.raises(composio_client.NotFoundError):
        session.delete()
