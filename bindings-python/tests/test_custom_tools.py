"""Custom tools: pydantic and type-hint schemas, executed locally without
any network (the client's base URL has nothing listening)."""

from __future__ import annotations

from typing import Any, List, Optional

import pytest
from pydantic import BaseModel, Field

from composio_rs import exceptions
from conftest import offline_client


class AddTwoNumbersInput(BaseModel):
    a: int = Field(..., description="The first number to add")
    b: int = Field(..., description="The second number to add")


def test_pydantic_custom_tool_runs_offline() -> None:
    composio = offline_client()

    @composio.tools.custom_tool
    def add_two_numbers(request: AddTwoNumbersInput) -> int:
        """Add two numbers."""
        return request.a + request.b

    assert add_two_numbers.slug == "ADD_TWO_NUMBERS"
    r = composio.tools.execute("ADD_TWO_NUMBERS", {"a": 2, "b": 40}, user_id="default")
    assert r == {"data": 42, "error": None, "successful": True}
    raw = composio.tools.get_raw_composio_tool_by_slug("ADD_TWO_NUMBERS")
    assert raw.description == "Add two numbers."
    assert raw.input_parameters["properties"]["a"]["description"] == "The first number to add"
    tools = composio.tools.get("default", tools=["ADD_TWO_NUMBERS"])
    assert tools[0]["function"]["name"] == "ADD_TWO_NUMBERS"
    # the engine validates arguments against the schema
    with pytest.raises(exceptions.ValidationError):
        composio.tools.execute("ADD_TWO_NUMBERS", {"a": 1}, user_id="default")


def test_type_hint_custom_tool() -> None:
    composio = offline_client()

    @composio.tools.custom_tool()
    def greet(name: str, times: int = 1, tags: Optional[List[str]] = None) -> dict:
        """Greets someone."""
        return {"greeting": " ".join(["hi " + name] * times), "tags": tags or []}

    raw = composio.tools.get_raw_composio_tool_by_slug("GREET")
    props = raw.input_parameters["properties"]
    assert props["name"]["type"] == "string" and props["times"]["default"] == 1
    assert props["tags"]["type"] == "array"
    assert raw.input_parameters["required"] == ["name"]
    r = composio.tools.execute("GREET", {"name": "bo", "times": 2}, user_id="u")
    assert r["data"] == {"greeting": "hi bo hi bo", "tags": []}


class Boom(Exception):
    pass


def test_raising_custom_tool_returns_same_exception() -> None:
    composio = offline_client()
    err = Boom("custom tool failed")

    @composio.tools.custom_tool
    def explode(x: int) -> int:
        """Always fails."""
        raise err

    with pytest.raises(Boom) as info:
        composio.tools.execute("EXPLODE", {"x": 1}, user_id="u")
    assert info.value is err
    assert info.value.__traceback__ is not None


def test_custom_tool_calls_back_into_sdk(local: Any) -> None:
    composio = local.client()

    @composio.tools.custom_tool
    def count_twice(text: str) -> int:
        """Counts words twice through the SDK (nested sync call)."""
        r = composio.tools.execute("TEXT_WORD_COUNT", {"text": text}, user_id="u")
        return int(r["data"]["words"]) * 2

    r = composio.tools.execute("COUNT_TWICE", {"text": "a b c"}, user_id="u")
    assert r["data"] == 6
