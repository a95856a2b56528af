"""Python snippets from the product docs (shared/seeds/docs), with the
import changed from ``composio`` to ``composio_rs``. The docs' snippets
name hosted toolkits; where a snippet needs a tool, the text toolkit's
tool is used instead (noted per test) — nothing else is changed."""

from __future__ import annotations

import os
import time
from typing import Any


def test_custom_tools_standalone(local: Any) -> None:
    # docs__tools-direct__custom-tools.md, "Standalone Tool" (verbatim apart from the import)
    from pydantic import BaseModel, Field

    from composio_rs import Composio
    from composio_rs.types import ExecuteRequestFn  # noqa: F401

    composio = Composio(api_key=local.api_key, base_url=local.base_url)

    class AddTwoNumbersInput(BaseModel):
        a: int = Field(
            ...,
            description="The first number to add",
        )
        b: int = Field(
            ...,
            description="The second number to add",
        )

    # function name will be used as slug
    @composio.tools.custom_tool
    def add_two_numbers(request: AddTwoNumbersInput) -> int:
        """Add two numbers."""
        return request.a + request.b

    # docs: "Executing Custom Tools"
    response = composio.tools.execute(
        user_id="default",
        slug=add_two_numbers.slug,
        arguments={"a": 1, "b": 2},
    )
    assert response["data"] == 3


def test_schema_modifier_snippet(local: Any) -> None:
    # docs__tools-direct__modify-tool-behavior__schema-modifiers.md, first snippet;
    # HACKERNEWS_GET_LATEST_POSTS/HACKERNEWS_GET_USER -> TEXT_FIND_REPLACE/TEXT_WORD_COUNT,
    # parameter "page" -> "case_sensitive", required ["size"] -> ["text"].
    from composio_rs import Composio, schema_modifier
    from composio_rs.types import Tool

    composio = Composio(api_key=local.api_key, base_url=local.base_url)
    user_id = "your@email.com"

    @schema_modifier(tools=["TEXT_FIND_REPLACE"])
    def modify_schema(
        tool: str,
        toolkit: str,
        schema: Tool,
    ) -> Tool:
        _ = schema.input_parameters["properties"].pop("case_sensitive", None)
        schema.input_parameters["required"] = ["text"]
        return schema

    tools = composio.tools.get(
        user_id=user_id,
        tools=["TEXT_FIND_REPLACE", "TEXT_WORD_COUNT"],
        modifiers=[
            modify_schema,
        ],
    )
    fr = next(t for t in tools if t["function"]["name"] == "TEXT_FIND_REPLACE")
    assert "case_sensitive" not in fr["function"]["parameters"]["properties"]
    assert fr["function"]["parameters"]["required"] == ["text"]


def test_after_execute_snippet(local: Any) -> None:
    # docs__tools-direct__modify-tool-behavior__after-execution-modifiers.md (modifier verbatim,
    # HACKERNEWS_GET_USER -> TEXT_WORD_COUNT, "karma" -> "words"), executed with tools.execute.
    from composio_rs import Composio, after_execute
    from composio_rs.types import ToolExecutionResponse

    composio = Composio(api_key=local.api_key, base_url=local.base_url, toolkit_versions={"text": "20251201_00"})

    @after_execute(tools=["TEXT_WORD_COUNT"])
    def after_execute_modifier(
        tool: str,
        toolkit: str,
        response: ToolExecutionResponse,
    ) -> ToolExecutionResponse:
        return {
            **response,
            "data": {
                "words": response["data"]["words"],
            },
        }

    r = composio.tools.execute(
        "TEXT_WORD_COUNT", {"text": "a b c d"}, user_id="default", modifiers=[after_execute_modifier]
    )
    assert r["data"] == {"words": 4}


def test_toolkit_versioning_snippets(local: Any) -> None:
    # docs__tools-direct__toolkit-versioning.md: version in the execute call
    # (GITHUB_LIST_STARGAZERS -> TEXT_WORD_COUNT, version -> the text toolkit's).
    from composio_rs import Composio

    composio = Composio(api_key=local.api_key, base_url=local.base_url)
    result = composio.tools.execute(
        "TEXT_WORD_COUNT",
        arguments={"text": "ComposioHQ composio"},
        user_id="user-k7334",
        version="20251201_00",
    )
    assert result["successful"]

    # "Get toolkit information" (slug github -> text)
    toolkit = composio.toolkits.get(slug="text")
    assert toolkit.name
    assert toolkit.slug == "text"


def test_sessions_snippets(local: Any) -> None:
    # docs__configuring-sessions.md / docs__users-and-sessions.md (toolkits -> ["text"])
    from composio_rs import Composio

    composio = Composio(api_key=local.api_key, base_url=local.base_url)
    session = composio.create(user_id="user_123")
    session = composio.create(user_id="user_123", toolkits=["text"])
    session = composio.create(user_id="user_123", toolkits={"enable": ["text"]})
    session = composio.create(user_id="user_123", toolkits={"disable": ["text"]})  # exa/firecrawl -> text
    mcp_url = session.mcp.url
    tools = session.tools()
    assert mcp_url and tools


def test_webhook_verification_snippet(local: Any) -> None:
    # docs__webhook-verification.md (Flask handler body), with a stand-in request object.
    from composio_rs import Composio
    from composio_rs.webhooks import sign_webhook

    composio = Composio(api_key=local.api_key, base_url=local.base_url)
    body = (
        '{"id":"msg_1","type":"composio.trigger.message","timestamp":"2026-01-01T00:00:00Z",'
        '"metadata":{"log_id":"log_1","trigger_slug":"TEXT_EVENT","trigger_id":"ti_1",'
        '"connected_account_id":"ca_1","auth_config_id":"ac_1","user_id":"u1"},"data":{"n":1}}'
    )
    ts = str(int(time.time()))
    os.environ["COMPOSIO_WEBHOOK_SECRET"] = "whsec_docs"

    class Request:
        headers = {
            "webhook-id": "msg_1",
            "webhook-timestamp": ts,
            "webhook-signature": sign_webhook("msg_1", ts, body, "whsec_docs"),
        }

        def get_data(self, as_text: bool = False) -> str:
            return body

    request = Request()

    def handler() -> Any:
        try:
            result = composio.triggers.verify_webhook(
                id=request.headers.get("webhook-id", ""),
                payload=request.get_data(as_text=True),
                signature=request.headers.get("webhook-signature", ""),
                timestamp=request.headers.get("webhook-timestamp", ""),
                secret=os.getenv("COMPOSIO_WEBHOOK_SECRET", ""),
            )
            # result.version, result.payload, result.raw_payload
            return result
        except Exception:
            return {"error": "Invalid signature"}, 401

    result = handler()
    assert result.version == "V3" and result.payload.trigger_slug == "TEXT_EVENT"
    os.environ["COMPOSIO_WEBHOOK_SECRET"] = "wrong"
    assert handler() == ({"error": "Invalid signature"}, 401)
    del os.environ["COMPOSIO_WEBHOOK_SECRET"]


def test_trigger_subscription_snippet(local: Any, monkeypatch: Any) -> None:
    # docs__setting-up-triggers__subscribing-to-events.md, "SDK subscriptions";
    # "your_trigger_id" -> a NOTES_NOTE_CREATED trigger made here, print -> a list
    # append; wait_forever() runs on a thread that the test ends with stop().
    import threading

    from helpers_notes import connect_notes

    monkeypatch.setenv("COMPOSIO_API_KEY", local.api_key)
    monkeypatch.setenv("COMPOSIO_BASE_URL", local.base_url)
    from composio_rs import Composio

    composio = Composio()
    session, _ = connect_notes(composio, "user-doc-rt")
    your_trigger_id = composio.triggers.create("NOTES_NOTE_CREATED", user_id="user-doc-rt").trigger_id
    seen = []

    subscription = composio.triggers.subscribe()

    @subscription.handle(trigger_id=your_trigger_id)
    def handle_event(data: Any) -> None:
        seen.append(f"Event received: {data}")

    waiter = threading.Thread(target=subscription.wait_forever)
    waiter.start()
    session.execute("NOTES_CREATE_NOTE", {"title": "from the docs", "content": "snippet"})
    deadline = time.time() + 30
    while not seen and time.time() < deadline:
        time.sleep(0.05)
    subscription.stop()
    waiter.join(30)
    assert not waiter.is_alive()
    assert len(seen) == 1 and "from the docs" in seen[0]
