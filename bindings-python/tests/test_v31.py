"""The v3.1 entry points against composio-local: ``composio.use(session_id,
custom_tools=, custom_toolkits=)`` (session attach), ``composio.webhooks.
endpoints``, ``composio.session_configs`` and the raw ``composio.client``,
sync and async."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from pydantic import BaseModel

from composio_rs import AsyncComposio, exceptions


class AddInput(BaseModel):
    a: int
    b: int = 0


def _tools(composio: Any) -> Any:
    @composio.experimental.tool
    def add(input: AddInput, ctx: Any) -> Any:
        """Adds two numbers."""
        return {"sum": input.a + input.b, "session": ctx.session_id}

    kit = composio.experimental.Toolkit(slug="CRM", name="CRM", description="Contacts")

    @kit.tool()
    def find_contact(input: AddInput) -> Any:
        """Finds a contact by number."""
        return {"contact": f"c{input.a}"}

    return add, kit


def test_use_attaches_custom_tools_to_an_existing_session(composio: Any) -> None:
    created = composio.create(user_id="user-v31", toolkits=["notes"])
    assert created.custom_tools() == []
    add, kit = _tools(composio)

    session = composio.use(created.session_id, custom_tools=[add], custom_toolkits=[kit])
    assert session.session_id == created.session_id
    slugs = [t.slug for t in session.custom_tools()]
    assert slugs == ["LOCAL_ADD", "LOCAL_CRM_FIND_CONTACT"], slugs
    r = session.execute("LOCAL_ADD", {"a": 2, "b": 3})
    assert r.error is None and r.data == {"sum": 5, "session": created.session_id}, r
    assert session.execute("LOCAL_CRM_FIND_CONTACT", {"a": 7}).data == {"contact": "c7"}

    # The server stored them: a plain restore sees the echo, but has no local
    # implementations to run.
    again = composio.use(created.session_id)
    assert [t["slug"] for t in again.experimental["custom_tools"]] == ["LOCAL_ADD"]
    assert again.custom_tools() == []

    # Same through the sessions namespace, and with mcp=True.
    other = composio.sessions.use(created.session_id, custom_tools=[add], mcp=True)
    assert [t.slug for t in other.custom_tools()] == ["LOCAL_ADD"]
    assert other.mcp.url.endswith(f"/tool_router/{created.session_id}/mcp")


def test_use_errors_name_the_problem(composio: Any) -> None:
    add, _ = _tools(composio)
    with pytest.raises(exceptions.NotFoundError, match="trs_missing"):
        composio.use("trs_missing", custom_tools=[add])
    with pytest.raises(exceptions.ValidationError, match="custom_tools"):
        composio.use("trs_x", custom_tools=["not a tool"])
    with pytest.raises(TypeError, match="mcp"):
        composio.use("trs_x", mcp="yes")
    with pytest.raises(TypeError, match="unexpected keyword"):
        composio.use("trs_x", customTools=[add])


def test_webhook_endpoints(composio: Any) -> None:
    client_id = f"cli-{uuid.uuid4().hex[:8]}"
    ep = composio.webhooks.endpoints.create(toolkit_slug="notes", client_id=client_id)
    assert ep.id.startswith("we_") and ep.toolkit_slug == "notes" and ep.client_id == client_id
    assert ep.webhook_url.endswith(f"/webhook_ingress/{ep.id}")
    assert ep.data is None
    # Idempotent per (toolkit, client_id).
    assert composio.webhooks.endpoints.create(toolkit_slug="notes", client_id=client_id).id == ep.id

    listed = composio.webhooks.endpoints.list(toolkit_slug="notes")
    assert ep.id in [i.id for i in listed.items]
    assert all(i.toolkit_slug == "notes" for i in listed.items)
    assert ep.id not in [i.id for i in composio.webhooks.endpoints.list(toolkit_slug="tasks").items]

    secret = "whsec-0123456789abcdef"
    replaced = composio.webhooks.endpoints.replace(ep.id, data={"signing_secret": secret})
    assert replaced.data["signing_secret"] == "****cdef", replaced
    assert secret not in repr(replaced)
    updated = composio.webhooks.endpoints.update(ep.id, data={"signing_secret": "another-long-secret-9999"})
    assert updated.data.signing_secret == "****9999"
    assert composio.webhooks.endpoints.get(ep.id).data["signing_secret"] == "****9999"

    with pytest.raises(exceptions.NotFoundError, match="we_nope"):
        composio.webhooks.endpoints.get("we_nope")
    with pytest.raises(exceptions.ComposioError, match="unknown_field"):
        composio.webhooks.endpoints.update(ep.id, data={"unknown_field": "x"})
    with pytest.raises(exceptions.ValidationError, match="must be a string"):
        composio.webhooks.endpoints.update(ep.id, data={"signing_secret": 5})
    with pytest.raises(TypeError, match="client_id"):
        composio.webhooks.endpoints.create(toolkit_slug="notes", client_id=None)


def _save_config(composio: Any, name: str, policy: Any, archived: bool = False) -> str:
    # composio-local's stand-in for the Dashboard, through the raw client.
    saved = composio.client.post(
        "/api/v3.1/session_configs", body={"name": name, "config": policy, "archived": archived}
    )
    return str(saved.id)


def test_session_configs_and_session_config_id(composio: Any) -> None:
    tag = uuid.uuid4().hex[:6]
    policy = {"toolkits": {"enable": ["notes"]}, "tools": {"notes": {"disable": ["NOTES_DELETE_NOTE"]}}}
    sc = _save_config(composio, f"notes-{tag}", policy)
    _save_config(composio, f"old-{tag}", policy, archived=True)

    page = composio.session_configs.list(search=tag)
    assert [i.name for i in page.items] == [f"notes-{tag}"]
    assert page.next_cursor is None
    archived = composio.session_configs.list(search=tag, archived=True)
    assert [i.name for i in archived.items] == [f"old-{tag}"] and archived.items[0].archived is True
    first = composio.session_configs.list(limit=1)
    assert len(first.items) == 1
    one = composio.session_configs.get(sc)
    assert one.id == sc and one.config == policy

    with pytest.raises(exceptions.NotFoundError, match="sc_nope"):
        composio.session_configs.get("sc_nope")
    with pytest.raises(ValueError, match="limit"):
        composio.session_configs.list(limit=0)

    # A session created from it takes its policy and records where it came from.
    session = composio.create(user_id="user-sc", experimental={"session_config_id": sc})
    assert session.experimental["source_session_config"] == {"id": sc}
    assert session.config["toolkits"] == {"enabled": ["notes"]}
    with pytest.raises(exceptions.ComposioError, match="cannot be combined with `toolkits`"):
        composio.create(user_id="user-sc", toolkits=["tasks"], experimental={"session_config_id": sc})
    with pytest.raises(exceptions.NotFoundError, match="sc_missing"):
        composio.create(user_id="user-sc", experimental={"session_config_id": "sc_missing"})


def test_raw_client(composio: Any, local: Any) -> None:
    client = composio.client
    assert client.base_url == local.base_url.rstrip("/")
    toolkits = client.get("toolkits", params={"limit": 2})
    assert len(toolkits.items) <= 2 and toolkits.items[0].slug
    full = client.get("/api/v3/toolkits/notes")
    assert full.slug == "notes"
    assert client.get("/api/v3/toolkits/notes", cast_to=object) == full
    session = client.post("tool_router/session", body={"user_id": "raw-user"})
    assert session.session_id.startswith("trs_")
    assert client.request("GET", f"tool_router/session/{session.session_id}").session_id == session.session_id

    with pytest.raises(exceptions.NotFoundError, match="nosuchkit"):
        client.get("/api/v3/toolkits/nosuchkit")
    with pytest.raises(exceptions.ValidationError, match="method"):
        client.request("FETCH", "toolkits")
    with pytest.raises(TypeError, match="cast_to"):
        client.get("toolkits", cast_to=int)
    with pytest.raises(TypeError, match="params"):
        client.get("toolkits", params={"limit": {"a": 1}})
    with pytest.raises(ValueError, match="path"):
        client.get("")


def test_async_v31(local: Any) -> None:
    async def main() -> None:
        composio = AsyncComposio(api_key=local.api_key, base_url=local.base_url)
        created = await composio.create(user_id="user-av31")
        add, _ = _tools(composio)
        session = await composio.use(created.session_id, custom_tools=[add])
        r = await session.execute("LOCAL_ADD", {"a": 1, "b": 1})
        assert r.data["sum"] == 2, r
        ep = await composio.webhooks.endpoints.create(toolkit_slug="tasks", client_id="async-cli")
        assert (await composio.webhooks.endpoints.get(ep.id)).id == ep.id
        page = await composio.session_configs.list()
        assert isinstance(page.items, list)
        got = await composio.client.get("/api/v3/toolkits/tasks")
        assert got.slug == "tasks"
        # Concurrent attaches to one session: each returns a working session.
        sessions = await asyncio.gather(*(composio.use(created.session_id, custom_tools=[add]) for _ in range(8)))
        results = await asyncio.gather(*(s.execute("LOCAL_ADD", {"a": i}) for i, s in enumerate(sessions)))
        assert [x.data["sum"] for x in results] == list(range(8))

    asyncio.run(main())
