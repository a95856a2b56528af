"""Warm ``tools.get`` for a pinned toolkit version: served from the engine's
query cache and a kept template, yet every call returns independent,
identical plain Python objects in every provider format."""

from __future__ import annotations

import copy
import json
from typing import Any

from composio_rs import AnthropicProvider, GoogleProvider, OpenAIProvider, OpenAIResponsesProvider
from conftest import TEXT_VERSION


def _plain(v: Any) -> Any:
    """A deep structural copy through JSON (what equality must hold for)."""
    return json.loads(json.dumps(v))


def _containers(v: Any, out: list) -> list:
    if isinstance(v, dict):
        out.append(v)
        for x in v.values():
            _containers(x, out)
    elif isinstance(v, list):
        out.append(v)
        for x in v:
            _containers(x, out)
    return out


def test_repeated_gets_are_equal_and_independent(local: Any) -> None:
    c = local.client()
    first = c.tools.get("u1", toolkits=["text"], limit=100)
    snapshot = copy.deepcopy(first)
    assert len(first) > 3
    second = c.tools.get("u1", toolkits=["text"], limit=100)
    assert second == first
    assert json.dumps(second) == json.dumps(first), "same key order"
    # No container is shared between results: mutating one leaves the next intact.
    ids = {id(x) for x in _containers(first, [])}
    assert not any(id(x) in ids for x in _containers(second, []))
    first[0]["function"]["parameters"]["properties"].clear()
    first[0]["function"]["name"] = "CHANGED"
    first.append({"junk": True})
    third = c.tools.get("u1", toolkits=["text"], limit=100)
    assert third == snapshot
    assert second == snapshot
    # The result is exactly what an uncached client returns.
    fresh = local.client().tools.get("u1", toolkits=["text"], limit=100)
    assert _plain(fresh) == _plain(third)
    assert type(third) is list and all(type(t) is dict for t in third)


def test_mutating_the_first_result_before_the_next_call_changes_nothing(local: Any) -> None:
    # The first result is what the warm template is made from: changing it
    # (containers and values) right away must not reach later results.
    c = local.client()
    first = c.tools.get("u1", toolkits=["text"], limit=100)
    snapshot = copy.deepcopy(first)
    for tool in first:
        fn = tool["function"]
        fn["description"] = "CHANGED"
        fn["parameters"]["properties"].clear()
        fn["parameters"]["required"] = ["x"]
        fn["extra"] = {"nested": [1, 2]}
    first.reverse()
    second = c.tools.get("u1", toolkits=["text"], limit=100)
    assert second == snapshot
    assert json.dumps(second) == json.dumps(snapshot), "same key order"
    raw_first = c.tools.get_raw_composio_tools(toolkits=["text"], limit=100)
    raw_snapshot = _plain(raw_first)
    raw_first[0]["input_parameters"]["properties"].clear()
    raw_first[0]["description"] = "CHANGED"
    assert _plain(c.tools.get_raw_composio_tools(toolkits=["text"], limit=100)) == raw_snapshot


def test_every_provider_is_identical_warm_and_cold(local: Any) -> None:
    providers = [
        OpenAIProvider(),
        OpenAIResponsesProvider(),
        AnthropicProvider(cache_tools=True),
        GoogleProvider(),
    ]
    for provider in providers:
        warm = local.client(provider=provider)
        cold = warm.tools.get("u1", toolkits=["text"], limit=100)
        hot = warm.tools.get("u1", toolkits=["text"], limit=100)
        other = local.client(provider=provider).tools.get("u1", toolkits=["text"], limit=100)
        assert _plain(hot) == _plain(cold) == _plain(other), type(provider).__name__


def test_modifiers_and_raw_tools_are_never_served_stale(local: Any) -> None:
    from composio_rs import schema_modifier

    c = local.client(toolkit_versions={"text": TEXT_VERSION})

    @schema_modifier(tools=["TEXT_WORD_COUNT"])
    def rename(tool: str, toolkit: str, schema: Any) -> Any:
        schema.description = "Modified."
        return schema

    plain = c.tools.get("u1", toolkits=["text"], limit=100)
    modified = c.tools.get("u1", toolkits=["text"], limit=100, modifiers=[rename])
    again = c.tools.get("u1", toolkits=["text"], limit=100)
    by_name = {t["function"]["name"]: t for t in modified}
    assert by_name["TEXT_WORD_COUNT"]["function"]["description"] == "Modified."
    assert {t["function"]["name"]: t for t in again}["TEXT_WORD_COUNT"]["function"]["description"] != "Modified."
    assert again == plain
    raw1 = c.tools.get_raw_composio_tools(toolkits=["text"], limit=100)
    raw2 = c.tools.get_raw_composio_tools(toolkits=["text"], limit=100)
    assert [t["slug"] for t in raw1] == [t["function"]["name"] for t in plain]
    assert _plain(raw1) == _plain(raw2)
