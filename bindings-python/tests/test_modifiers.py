"""Modifiers: decorators, declarative modifiers, and a raising callback
coming back as the same exception object."""

from __future__ import annotations

from typing import Any, List

import pytest

from composio_rs import (
    AppendDescription,
    FixValue,
    HideParameter,
    after_execute,
    before_execute,
    schema_modifier,
)


def test_decorator_forms() -> None:
    @schema_modifier
    def everywhere(tool: str, toolkit: str, schema: Any) -> Any:
        return schema

    assert everywhere.type == "schema" and everywhere.tools == [] and everywhere.toolkits == []

    @before_execute(tools=["X"])
    def only_x(tool: str, toolkit: str, params: Any) -> Any:
        return params

    assert only_x.tools == ["X"]
    with pytest.raises(ValueError):
        after_execute()


def test_schema_modifier_on_tools_get(composio: Any) -> None:
    @schema_modifier(toolkits=["text"])
    def rename(tool: str, toolkit: str, schema: Any) -> Any:
        schema.description = f"[{toolkit}] {schema.description}"
        return schema

    tools = composio.tools.get("u", toolkits=["text"], modifiers=[rename])
    assert all(t["function"]["description"].startswith("[text] ") for t in tools)


def test_before_and_after_execute(composio: Any) -> None:
    seen: List[Any] = []

    @before_execute(tools=["TEXT_WORD_COUNT"])
    def before(tool: str, toolkit: str, params: Any) -> Any:
        seen.append((tool, toolkit, dict(params["arguments"])))
        params["arguments"]["text"] = params["arguments"]["text"] + " extra words"
        return params

    @after_execute(toolkits=["text"])
    def after(tool: str, toolkit: str, response: Any) -> Any:
        response.data["seen_by_after"] = True
        return response

    r = composio.tools.execute("TEXT_WORD_COUNT", {"text": "one"}, user_id="u", modifiers=[before, after])
    assert seen == [("TEXT_WORD_COUNT", "text", {"text": "one"})]
    assert r["data"]["words"] == 3
    assert r["data"]["seen_by_after"] is True


def test_declarative_modifiers(composio: Any) -> None:
    mods = [HideParameter("text", tools=["TEXT_WORD_COUNT"]), AppendDescription("(hidden text)")]
    tools = composio.tools.get("u", tools=["TEXT_WORD_COUNT"], modifiers=mods)
    fn = tools[0]["function"]
    assert "text" not in fn["parameters"]["properties"]
    assert fn["description"].endswith("(hidden text)")
    r = composio.tools.execute(
        "TEXT_WORD_COUNT", {}, user_id="u", modifiers=[FixValue("text", "fixed two", tools=["TEXT_WORD_COUNT"])]
    )
    assert r["data"]["words"] == 2


class ModifierBoom(RuntimeError):
    pass


def test_raising_modifier_returns_same_exception(composio: Any) -> None:
    err = ModifierBoom("nope")

    @before_execute(tools=["TEXT_WORD_COUNT"])
    def bad(tool: str, toolkit: str, params: Any) -> Any:
        raise err

    with pytest.raises(ModifierBoom) as info:
        composio.tools.execute("TEXT_WORD_COUNT", {"text": "x"}, user_id="u", modifiers=[bad])
    assert info.value is err
    frames = []
    tb = info.value.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    assert "bad" in frames

    @schema_modifier
    def bad_schema(tool: str, toolkit: str, schema: Any) -> Any:
        raise err

    with pytest.raises(ModifierBoom):
        composio.tools.get("u", tools=["TEXT_WORD_COUNT"], modifiers=[bad_schema])


def test_modifier_returning_garbage_is_validation_error(composio: Any) -> None:
    from composio_rs import exceptions

    @after_execute
    def garbage(tool: str, toolkit: str, response: Any) -> Any:
        return 42

    with pytest.raises(exceptions.ValidationError):
        composio.tools.execute("TEXT_WORD_COUNT", {"text": "x"}, user_id="u", modifiers=[garbage])
