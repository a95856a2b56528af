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
    """``AsyncComposio.triggers.subscribe`` (``async def``): events reach both
    a plain callback (engine thread) and an ``async def`` callback (on the
    loop that subscribed); ``wait``/``wait_forever``/``restart`` are
    awaitable and do not block the loop."""
    import asyncio

    from composio_rs import AsyncComposio, AsyncTriggerSubscription

    sync_client = local.client()
    session, _account = connect_notes(sync_client, "user-rt-async")
    trigger = sync_client.triggers.create("NOTES_NOTE_CREATED", user_id="user-rt-async")

    async def go() -> None:
        client = AsyncComposio(api_key=local.api_key, base_url=local.base_url)
        sub = await client.triggers.subscribe(timeout=20)
        assert isinstance(sub, AsyncTriggerSubscription) and sub.is_alive()
        loop = asyncio.get_running_loop()
        from_async: "asyncio.Queue[Any]" = asyncio.Queue()
        from_plain: "queue.Queue[Any]" = queue.Queue()

        @sub.handle(trigger_id=trigger.trigger_id)
        async def on_note(event: Any) -> None:
            assert asyncio.get_running_loop() is loop
            await from_async.put(event)

        @sub.handle(trigger_id=trigger.trigger_id)
        def on_note_plain(event: Any) -> None:
            from_plain.put(threading.current_thread() is threading.main_thread())

        # The loop stays responsive while the engine waits.
        assert await sub.wait(0.2) is False
        await asyncio.to_thread(session.execute, "NOTES_CREATE_NOTE", {"title": "async", "content": "x"})
        event = await asyncio.wait_for(from_async.get(), 30)
        assert event.metadata.id == trigger.trigger_id and "async" in str(event.payload)
        assert from_plain.get(timeout=30) is False

        await sub.restart()
        assert sub.is_alive()
        await asyncio.to_thread(session.execute, "NOTES_CREATE_NOTE", {"title": "again", "content": "y"})
        event = await asyncio.wait_for(from_async.get(), 30)
        assert "again" in str(event.payload)

        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        tick_task = asyncio.ensure_future(ticker())
        loop.call_later(0.3, sub.stop)
        await asyncio.wait_for(sub.wait_forever(), 30)
        tick_task.cancel()
        assert ticks > 3, "wait_forever blocked the event loop"
        assert not sub.is_alive()
        assert await sub.wait(1) is True

    asyncio.run(go())


def test_async_callback_that_raises_is_logged(local: Any, caplog: Any) -> None:
    import asyncio

    from composio_rs import AsyncComposio

    sync_client = local.client()
    session, _ = connect_notes(sync_client, "user-rt-async-raise")
    trigger = sync_client.triggers.create("NOTES_NOTE_CREATED", user_id="user-rt-async-raise")

    async def go() -> None:
        client = AsyncComposio(api_key=local.api_key, base_url=local.base_url)
        sub = await client.triggers.subscribe(timeout=20)
        done: "asyncio.Queue[Any]" = asyncio.Queue()

        @sub.handle(trigger_id=trigger.trigger_id)
        async def boom(event: Any) -> None:
            await done.put(event)
            raise ValueError("async callback failure on purpose")

        with caplog.at_level(logging.ERROR, logger="composio_rs.triggers"):
            await asyncio.to_thread(session.execute, "NOTES_CREATE_NOTE", {"title": "t", "content": "c"})
            await asyncio.wait_for(done.get(), 30)
            for _ in range(100):
                if "async callback failure on purpose" in caplog.text:
                    break
                await asyncio.sleep(0.05)
        assert "async callback failure on purpose" in caplog.text
        assert sub.is_alive()
        sub.stop()

    asyncio.run(go())


def test_errors_after_subscribe_reach_on_subscription_error(tmp_path: Any) -> None:
    """Stop composio-local under a live subscription: the dropped connection
    and the failed reconnects reach ``on_subscription_error``; start it again
    on the same port and data folder: the subscription recovers by itself."""
    from conftest import start_local, stop_local

    from composio_rs import Composio

    server = start_local(str(tmp_path))
    port = int(server.base_url.rsplit(":", 1)[1].split("/")[0])
    errors: "queue.Queue[Any]" = queue.Queue()
    events: "queue.Queue[Any]" = queue.Queue()
    threads = []

    def on_error(error: Any) -> None:
        threads.append(threading.current_thread() is threading.main_thread())
        errors.put(error)

    try:
        client = Composio(api_key=server.api_key, base_url=server.base_url, max_retries=0)
        session, _ = connect_notes(client, "user-rt-err")
        trigger = client.triggers.create("NOTES_NOTE_CREATED", user_id="user-rt-err")
        sub = client.triggers.subscribe(timeout=20, on_subscription_error=on_error)
        sub.handle(trigger_id=trigger.trigger_id)(events.put)
        assert errors.empty()

        stop_local(server)
        first = errors.get(timeout=30)
        assert set(first) == {"error", "fatal", "attempt"}, first
        assert first["attempt"] == 1 and first["fatal"] is False
        assert "connection" in first["error"], first
        second = errors.get(timeout=30)  # the reconnect cannot reach the server
        assert second["attempt"] == 2, second
        assert server.api_key not in first["error"] + second["error"]
        assert sub.is_alive(), "the engine keeps reconnecting"
        assert threads and not any(threads)

        server = start_local(str(tmp_path), port=port)
        session.execute("NOTES_CREATE_NOTE", {"title": "back", "content": "up"})
        deadline = 60.0
        # Events created after the restart arrive once the engine reconnects;
        # keep creating until one is delivered (the first may race the
        # resubscribe).
        got = None
        for _ in range(int(deadline / 2)):
            try:
                got = events.get(timeout=2)
                break
            except queue.Empty:
                session.execute("NOTES_CREATE_NOTE", {"title": "back", "content": "up"})
        assert got is not None and "back" in str(got.payload)
        sub.stop()
        assert sub.wait(10)
    finally:
        stop_local(server)


def test_a_raising_on_subscription_error_is_logged(local: Any, caplog: Any) -> None:
    sub = local.client().triggers.subscribe(timeout=20, on_subscription_error=lambda e: 1 / 0)
    try:
        with caplog.at_level(logging.ERROR, logger="composio_rs.triggers"):
            sub._running_error({"error": "x", "fatal": False, "attempt": 1})
        assert "ZeroDivisionError" in caplog.text
    finally:
        sub.stop()
