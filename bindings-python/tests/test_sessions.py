"""Session flow against composio-local: create → tools → execute → search."""

from __future__ import annotations

from typing import Any

import pytest

from composio_rs import exceptions, schema_modifier


def test_session_flow(composio: Any, local: Any) -> None:
    session = composio.create(user_id="user-sess", toolkits=["text"])
    assert session.session_id.startswith("trs_")
    assert session.mcp.url.startswith("http")
    assert session.mcp.headers == {"x-api-key": local.api_key}
    assert "COMPOSIO_SEARCH_TOOLS" in session.tool_router_tools

    tools = session.tools()
    names = [t["function"]["name"] for t in tools]
    assert "COMPOSIO_SEARCH_TOOLS" in names and "COMPOSIO_MULTI_EXECUTE_TOOL" in names

    r = session.execute("TEXT_WORD_COUNT", arguments={"text": "hello big world"})
    assert r.error is None and r["data"]["words"] == 3

    meta = session.execute_meta("COMPOSIO_SEARCH_TOOLS", {"queries": [{"use_case": "count words"}]})
    assert meta.successful is True

    again = composio.use(session.session_id)
    assert again.session_id == session.session_id
    assert composio.tool_router.use(session.session_id).session_id == session.session_id
    assert composio.sessions is composio.tool_router


def test_session_tools_modifiers(composio: Any) -> None:
    session = composio.create(user_id="user-mod", toolkits=["text"])

    @schema_modifier(tools=["COMPOSIO_SEARCH_TOOLS"])
    def shout(tool: str, toolkit: str, schema: Any) -> Any:
        assert toolkit == "composio"
        schema.description = "SEARCH! " + schema.description
        return schema

    tools = session.tools(modifiers=[shout])
    search = next(t for t in tools if t["function"]["name"] == "COMPOSIO_SEARCH_TOOLS")
    assert search["function"]["description"].startswith("SEARCH! ")
    other = next(t for t in tools if t["function"]["name"] != "COMPOSIO_SEARCH_TOOLS")
    assert not other["function"]["description"].startswith("SEARCH! ")


def test_session_search_through_meta_tool(composio: Any) -> None:
    session = composio.create(user_id="user-search", toolkits=["text"])
    r = session.execute_meta("COMPOSIO_SEARCH_TOOLS", {"queries": [{"use_case": "count the words in a text"}]})
    assert r.successful is True and r.error is None
    assert "TEXT_WORD_COUNT" in str(r.data)


def test_unserved_session_endpoint_is_a_typed_404(composio: Any) -> None:
    # composio-local does not serve …/search yet: the failure is typed.
    session = composio.create(user_id="user-tk", toolkits=["text"])
    try:
        session.search(query="count words")
    except exceptions.NotFoundError as e:
        assert e.status == 404 and e.request_id


def test_session_validation(composio: Any) -> None:
    with pytest.raises(exceptions.ValidationError):
        composio.create(user_id="", toolkits=["text"])
    with pytest.raises(TypeError):
        composio.create(user_id="u", no_such_option=True)
    with pytest.raises(exceptions.ValidationError):
        composio.create(user_id="u", toolkits=123)
