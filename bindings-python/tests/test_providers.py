"""Provider formats against the official Python goldens
(tests/fixtures/providers/golden/py), compared as exact JSON text."""

from __future__ import annotations

from typing import Any

import pytest

from composio_rs import (
    AnthropicProvider,
    Composio,
    GoogleProvider,
    OpenAIProvider,
    OpenAIResponsesProvider,
)
from conftest import FIXTURES, dumps, load_json

GOLDEN = FIXTURES / "providers" / "golden" / "py"
SLUGS = [t["slug"] for t in load_json("providers/tools.json")]
USER = "user-1"
VERSIONS = {"github": "20250909_00", "slack": "20250909_00", "gmail": "20250909_00", "hackernews": "20250909_00"}

PROVIDERS = {
    "openai": OpenAIProvider,
    "openai_responses": OpenAIResponsesProvider,
    "anthropic": AnthropicProvider,
    "anthropic_cache": lambda: AnthropicProvider(cache_tools=True),
    "google": GoogleProvider,
}

RESPONSES = {
    "openai": "openai_chat.json",
    "openai_responses": "openai_responses.json",
    "anthropic": "anthropic.json",
    "anthropic_cache": "anthropic.json",
    "google": "google.json",
}


def client(stub: Any, provider: Any) -> Composio:
    return Composio(api_key="x", base_url=stub.base_url, provider=provider, toolkit_versions=VERSIONS)


def golden(kind: str, name: str) -> Any:
    return load_json(f"providers/golden/py/{kind}.{name}.json")


def test_every_golden_is_covered() -> None:
    names = sorted(p.name for p in GOLDEN.iterdir())
    expected = sorted(f"{k}.{n}.json" for k in ("tools_get", "wrap_tools", "handle") for n in PROVIDERS)
    assert names == expected


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_tools_get(stub: Any, name: str) -> None:
    c = client(stub, PROVIDERS[name]())
    assert dumps(c.tools.get(USER, tools=SLUGS)) == dumps(golden("tools_get", name))


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_wrap_tools(stub: Any, name: str) -> None:
    provider = PROVIDERS[name]()
    c = client(stub, provider)
    raw = c.tools.get_raw_composio_tools(tools=SLUGS)
    assert dumps(provider.wrap_tools(raw)) == dumps(golden("wrap_tools", name))


class Model:
    """Stands in for an SDK response object (has model_dump)."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def model_dump(self, **_: Any) -> Any:
        return self.data


@pytest.mark.parametrize("name", list(PROVIDERS))
@pytest.mark.parametrize("as_object", [False, True])
def test_handle_tool_calls(stub: Any, name: str, as_object: bool) -> None:
    provider = PROVIDERS[name]()
    c = client(stub, provider)
    stub.take_calls()
    response = load_json(f"providers/responses/{RESPONSES[name]}")
    out = provider.handle_tool_calls(USER, Model(response) if as_object else response)
    g = golden("handle", name)
    assert dumps(out) == dumps(g["result"])
    executed = stub.take_calls()
    if name == "google":
        assert executed == g["executed"]  # the official proto Struct reorders keys
    else:
        assert dumps(executed) == dumps(g["executed"])
    assert c.provider is provider


def test_submodule_mirrors() -> None:
    from composio_rs.anthropic import AnthropicProvider as A
    from composio_rs.google import GoogleProvider as G
    from composio_rs.openai import OpenAIProvider as O

    assert (A, G, O) == (AnthropicProvider, GoogleProvider, OpenAIProvider)
