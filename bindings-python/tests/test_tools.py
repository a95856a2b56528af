"""tools.get / execute / raw lookups against composio-local, version
pinning and error attributes."""

from __future__ import annotations

from typing import Any

import pytest

from composio_rs import Composio, exceptions
from conftest import TEXT_VERSION


def test_get_formats_for_openai(composio: Any) -> None:
    tools = composio.tools.get("u1", toolkits=["text"])
    names = [t["function"]["name"] for t in tools]
    assert "TEXT_WORD_COUNT" in names
    wc = next(t for t in tools if t["function"]["name"] == "TEXT_WORD_COUNT")
    assert wc["type"] == "function"
    assert wc["function"]["parameters"]["properties"]["text"]["type"] == "string"
    assert wc["function"]["parameters"]["properties"]["text"]["description"].endswith("This parameter is required.")
    one = composio.tools.get("u1", slug="TEXT_WORD_COUNT")
    assert [t["function"]["name"] for t in one] == ["TEXT_WORD_COUNT"]


def test_raw_tools(composio: Any) -> None:
    tool = composio.tools.get_raw_composio_tool_by_slug("TEXT_WORD_COUNT")
    assert tool.slug == tool["slug"] == "TEXT_WORD_COUNT"
    assert tool.toolkit.slug == "text"
    assert tool.version == TEXT_VERSION
    raw = composio.tools.get_raw_composio_tools(toolkits=["text"], limit=2)
    assert len(raw) == 2 and all(t.toolkit.slug == "text" for t in raw)
    page = composio.tools.list(toolkit_slugs=["text"])
    assert len(page.items) >= 5


def test_execute_with_pinned_version(composio: Any) -> None:
    r = composio.tools.execute("TEXT_WORD_COUNT", {"text": "one two three"}, user_id="u1")
    assert list(r) == ["data", "error", "successful"]
    assert r["successful"] is True and r["error"] is None
    assert r["data"]["words"] == 3


def test_execute_with_explicit_version(local: Any) -> None:
    c = Composio(api_key=local.api_key, base_url=local.base_url)
    r = c.tools.execute("TEXT_WORD_COUNT", {"text": "a b"}, user_id="u1", version=TEXT_VERSION)
    assert r["data"]["words"] == 2
    r = c.tools.execute("TEXT_WORD_COUNT", {"text": "a b"}, user_id="u1", dangerously_skip_version_check=True)
    assert r["successful"]


def test_tool_version_required(local: Any) -> None:
    c = Composio(api_key=local.api_key, base_url=local.base_url)
    with pytest.raises(exceptions.ToolVersionRequiredError) as info:
        c.tools.execute("TEXT_WORD_COUNT", {"text": "a"}, user_id="u1")
    assert info.value.code == "TOOL_VERSION_REQUIRED"
    assert "TEXT_WORD_COUNT" in info.value.message


def test_not_found_carries_status_and_request_id(composio: Any) -> None:
    with pytest.raises(exceptions.NotFoundError) as info:
        composio.tools.get_raw_composio_tool_by_slug("TEXT_NO_SUCH_TOOL")
    e = info.value
    assert isinstance(e, exceptions.APIStatusError) and isinstance(e, exceptions.ComposioError)
    assert e.status == 404 and e.status_code == 404
    assert e.code == "NOT_FOUND"
    assert e.request_id
    assert "TEXT_NO_SUCH_TOOL" in str(e) or e.message


def test_wrong_key_is_authentication_error(local: Any) -> None:
    c = Composio(api_key="definitely-wrong", base_url=local.base_url, toolkit_versions={"text": TEXT_VERSION})
    with pytest.raises(exceptions.AuthenticationError) as info:
        c.tools.get_raw_composio_tool_by_slug("TEXT_WORD_COUNT")
    e = info.value
    assert e.status == 401 and e.code == "AUTHENTICATION_FAILED" and e.request_id
    assert "definitely-wrong" not in str(e)


def test_missing_key(monkeypatch: Any) -> None:
    monkeypatch.delenv("COMPOSIO_API_KEY", raising=False)
    with pytest.raises(exceptions.ApiKeyNotProvidedError) as info:
        Composio()
    assert info.value.code == "MISSING_API_KEY"


def test_env_configuration(local: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPOSIO_API_KEY", local.api_key)
    monkeypatch.setenv("COMPOSIO_BASE_URL", local.base_url)
    monkeypatch.setenv("COMPOSIO_TOOLKIT_VERSION_TEXT", TEXT_VERSION)
    c = Composio()
    assert c.base_url == local.base_url
    assert c.tools.execute("TEXT_WORD_COUNT", {"text": "x y"}, user_id="u")["data"]["words"] == 2


def test_validation_errors(composio: Any) -> None:
    with pytest.raises(exceptions.ValidationError):
        composio.tools.get("u1")
    with pytest.raises(exceptions.InvalidParams):
        composio.tools.execute("TEXT_WORD_COUNT", {"bad": float("nan")}, user_id="u")
    with pytest.raises(exceptions.ValidationError):
        Composio(api_key="k", timeout=-1)
    with pytest.raises(exceptions.InvalidConfigError):
        Composio(api_key="k", base_url="ftp://nope")
    with pytest.raises(TypeError):
        Composio(api_key="k", no_such_option=1)


def test_network_error(local: Any) -> None:
    from conftest import offline_client

    c = offline_client(toolkit_versions={"text": TEXT_VERSION})
    with pytest.raises(exceptions.APIConnectionError) as info:
        c.tools.get_raw_composio_tool_by_slug("TEXT_WORD_COUNT")
    assert info.value.code == "NETWORK_ERROR"
    assert isinstance(info.value, exceptions.NetworkError)


def test_panic_becomes_internal_error() -> None:
    from composio_rs import _native

    with pytest.raises(exceptions.InternalError) as info:
        _native._panic_for_tests()
    assert info.value.code == "INTERNAL_ERROR"
    assert isinstance(info.value, Exception)


def test_exceptions_pickle() -> None:
    import pickle

    e = exceptions._from_native("NOT_FOUND", "gone", 404, "req_1", "fix it", None, [])
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is type(e) and e2.status == 404 and e2.request_id == "req_1" and e2.suggested_fix == "fix it"
