"""``composio.triggers.subscribe()`` over composio-local's Pusher endpoint:
a trigger on a connected notes account fires when a note is created, and
the callback registered with ``@subscription.handle(...)`` receives it."""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any

import pytest

from composio_rs import exceptions
from helpers_notes import connect_notes


def test_subscribe_delivers_trigger_events(composio: Any, caplog: Any) -> None:
    session, account = connect_notes(composio, "user-rt")
    trigger = composio.triggers.create("NOTES_NOTE_CREATED", user_id="user-rt")
    assert trigger.trigger_id

    subscription = composio.triggers.subscribe(timeout=20)
    assert subscription.is_alive()
    received: "queue.Queue[Any]" = queue.Queue()
    on_main_thread = []

    @subscription.handle(trigger_id=trigger.trigger_id)
    def on_note(event: Any) -> None:
        on_main_thread.append(threading.current_thread() is threading.main_thread())
        received.put(event)

    @subscription.handle(toolkit="NOTES")  # case-insensitive
    def boom(event: Any) -> None:
        raise RuntimeError("callback failure on purpose")

    @subscription.handle(trigger_slug="SOME_OTHER_TRIGGER")
    def never(event: Any) -> None:
        received.put("wrong callback")

    with caplog.at_level(logging.ERROR, logger="composio_rs.triggers"):
        session.execute("NOTES_CREATE_NOTE", {"title": "first", "content": "hello"})
        event = received.get(timeout=30)
        assert event["trigger_slug"] == "NOTES_NOTE_CREATED"
        assert event.metadata.id == trigger.trigger_id
        assert event.user_id == "user-rt"
        assert event.metadata.connected_account.id == account.id
        assert event.toolkit_slug.lower() == "notes"
        assert "first" in str(event.payload)

        # The raising callback was logged and the subscription carries on.
        session.execute("NOTES_CREATE_NOTE", {"title": "second", "content": "again"})
        second = received.get(timeout=30)
        assert "second" in str(second.payload)
    assert on_main_thread == [False, False]
    assert any("callback failure on purpose" in (r.exc_text or "") for r in caplog.records), caplog.text
    assert received.empty()

    threading.Timer(0.1, subscription.unsubscribe).start()
    subscription.wait_forever()  # returns once stopped
    assert not subscription.is_alive() and subscription.has_errored()


def test_handle_rejects_unknown_filters(composio: Any) -> None:
    subscription = composio.triggers.subscribe()
    try:
        with pytest.raises(TypeError, match="unknown filter"):
            subscription.handle(trigger_name="X")
        with pytest.raises(TypeError):
            subscription.handle(trigger_id=123)
    finally:
        subscription.stop()


def test_subscribe_failure_is_typed_and_reported(local: Any) -> None:
    from composio_rs import Composio

    bad = Composio(api_key="wrong-key", base_url=local.base_url, max_retries=0)
    errors = []
    with pytest.raises(exceptions.ComposioError):
        bad.triggers.subscribe(timeout=5, on_subscription_error=errors.append)
    assert len(errors) == 1 and "error" in errors[0]


def test_async_subscribe(local: Any) -> None:
    import asyncio

    from composio_rs import AsyncComposio

    async def go() -> None:
        client = AsyncComposio(api_key=local.api_key, base_url=local.base_url)
        sub = await client.triggers.subscribe()
        assert sub.is_alive()
        sub.stop()
        assert sub.wait(10)

    asyncio.run(go())
