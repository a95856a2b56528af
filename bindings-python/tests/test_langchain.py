"""``composio_rs.langchain.LangchainProvider`` with langchain-core installed:
tools are ``StructuredTool`` objects and invoking them through LangChain's
API executes the tool on composio-local."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import pytest


@pytest.fixture()
def lc(local: Any) -> Any:
    from composio_rs.langchain import LangchainProvider

    return local.client(provider=LangchainProvider())


def test_tools_are_structured_tools_that_execute(lc: Any) -> None:
    from langchain_core.messages import ToolMessage
    from langchain_core.tools import StructuredTool
    from langchain_core.utils.function_calling import convert_to_openai_tool

    tools = lc.tools.get("user-lc", tools=["TEXT_WORD_COUNT"])
    assert len(tools) == 1
    tool = tools[0]
    assert isinstance(tool, StructuredTool)
    assert tool.name == "TEXT_WORD_COUNT" and tool.description
    assert "text" in tool.args
    assert convert_to_openai_tool(tool)["function"]["name"] == "TEXT_WORD_COUNT"

    result = tool.invoke({"text": "one two three"})
    assert result["successful"] is True and result["error"] is None
    assert result["data"]["words"] == 3

    message = tool.invoke({"type": "tool_call", "id": "call_1", "name": "TEXT_WORD_COUNT", "args": {"text": "a b"}})
    assert isinstance(message, ToolMessage) and message.tool_call_id == "call_1"
    assert json.loads(message.content)["data"]["words"] == 2

    from_async = asyncio.run(tool.ainvoke({"text": "x y z w"}))
    assert from_async["data"]["words"] == 4


def test_tool_errors_come_back_to_the_agent(lc: Any) -> None:
    [tool] = lc.tools.get("user-lc", tools=["TEXT_WORD_COUNT"])
    result = tool.invoke({"text": 42})
    # Bad arguments come back to the agent as a failed result, not a raise.
    assert result["successful"] is False
    assert "text" in str(result["error"])


def test_session_tools_execute_in_the_session(lc: Any) -> None:
    from langchain_core.tools import StructuredTool

    session = lc.create(user_id="user-lc", toolkits=["text"])
    tools = {t.name: t for t in session.tools()}
    assert all(isinstance(t, StructuredTool) for t in tools.values())
    search = tools["COMPOSIO_SEARCH_TOOLS"].invoke({"queries": [{"use_case": "count the words in a text"}]})
    assert search["successful"] is True
    assert "TEXT_WORD_COUNT" in str(search["data"])


def test_langchain_module_is_lazy() -> None:
    code = (
        "import sys, composio_rs.langchain as m\n"
        "assert 'langchain_core' not in sys.modules\n"
        "assert 'composio_rs._native' not in sys.modules\n"
        "m.LangchainProvider()\n"
        "assert 'langchain_core' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
