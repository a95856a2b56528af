"""Realtime trigger subscriptions (``composio.triggers.subscribe()``).

The engine keeps one Pusher-protocol WebSocket per subscription (with
reconnects, pings and chunked events) and hands every event to
``TriggerSubscription._dispatch`` on a dedicated thread that is not a
runtime worker, with the GIL taken. Callbacks run there one event at a time,
in arrival order; a callback that raises is logged under
``composio_rs.triggers`` and the subscription carries on.

``on_subscription_error`` receives ``{"error": str}`` when connecting fails
(``subscribe()`` then raises too), and ``{"error": str, "fatal": bool,
"attempt": int}`` for every failure after that (a dropped connection, a
reconnect that cannot reach the server, a refused re-authorisation), on the
event thread, before the engine reconnects.

``AsyncComposio.triggers.subscribe()`` returns an
:class:`AsyncTriggerSubscription`: ``wait_forever``/``wait``/``restart`` are
awaitable and ``async def`` callbacks run on the subscribing event loop.
"""

from __future__ import annotations

import threading
import typing as t

from ._types import AttrDict

__all__ = ["TriggerSubscription", "AsyncTriggerSubscription", "TriggerEvent", "TriggerCallback", "FILTERS"]

TriggerEvent = t.Dict[str, t.Any]
TriggerCallback = t.Callable[[t.Any], t.Any]

#: The filters ``handle`` accepts (official names).
FILTERS = ("trigger_slug", "trigger_id", "toolkit", "user_id", "auth_config_id", "connected_account_id")


def _field(event: t.Dict[str, t.Any], name: str) -> t.Any:
    meta = event.get("metadata") or {}
    account = meta.get("connected_account") or {}
    if name == "trigger_slug":
        return event.get("trigger_slug")
    if name == "trigger_id":
        return meta.get("id")
    if name == "toolkit":
        return event.get("toolkit_slug")
    if name == "user_id":
        return event.get("user_id")
    if name == "auth_config_id":
        return account.get("auth_config_id")
    return account.get("id")


def _matches(event: t.Dict[str, t.Any], filters: t.Dict[str, str]) -> bool:
    """Case-insensitive equality per filter; an empty event value never
    matches a set filter (the official rule)."""
    for name, wanted in filters.items():
        if wanted is None:
            continue
        have = _field(event, name)
        have_s = "" if have is None else str(have)
        if not have_s or have_s.lower() != str(wanted).lower():
            return False
    return True


def _logger() -> t.Any:
    import logging

    return logging.getLogger("composio_rs.triggers")


class TriggerSubscription:
    """A live realtime subscription: ``handle(**filters)`` registers a
    callback; ``wait_forever()`` blocks until ``stop()``/``unsubscribe()``."""

    def __init__(
        self,
        native_client: t.Any,
        timeout: float = 15.0,
        on_subscription_error: t.Optional[t.Callable[[t.Dict[str, t.Any]], None]] = None,
    ) -> None:
        self._client = native_client
        self._timeout = timeout
        self._on_error = on_subscription_error
        self._callbacks: t.List[t.Tuple[TriggerCallback, t.Dict[str, str]]] = []
        self._lock = threading.Lock()
        self._sub: t.Any = None

    # -- connection -----------------------------------------------------------

    def _report(self, error: BaseException) -> None:
        if self._on_error is None:
            return
        try:
            self._on_error({"error": str(error)})
        except Exception:
            _logger().exception("error in the subscription error callback")

    def _running_error(self, error: t.Dict[str, t.Any]) -> None:
        """A failure after the first subscribe (called by the engine)."""
        if self._on_error is None:
            return
        try:
            self._on_error(error)
        except Exception:
            _logger().exception("error in the subscription error callback")

    def _on_error_arg(self) -> t.Any:
        return None if self._on_error is None else self._running_error

    def _connect(self) -> None:
        try:
            self._sub = self._client.triggers_subscribe(self._dispatch, self._timeout, on_error=self._on_error_arg())
        except Exception as e:
            self._report(e)
            raise

    async def _connect_async(self) -> None:
        try:
            self._sub = await self._client.triggers_subscribe(
                self._dispatch, self._timeout, aio=True, on_error=self._on_error_arg()
            )
        except Exception as e:
            self._report(e)
            raise

    # -- callbacks ------------------------------------------------------------

    def handle(self, **filters: str) -> t.Callable[[TriggerCallback], TriggerCallback]:
        """Decorator: call ``f(event)`` for events matching every filter
        (``trigger_slug``, ``trigger_id``, ``toolkit``, ``user_id``,
        ``auth_config_id``, ``connected_account_id``; case-insensitive)."""
        unknown = sorted(k for k in filters if k not in FILTERS)
        if unknown:
            raise TypeError(f"handle() got unknown filter(s): {', '.join(unknown)}; expected {', '.join(FILTERS)}")
        for k, v in filters.items():
            if v is not None and not isinstance(v, str):
                raise TypeError(f"filter {k} must be a str, got {type(v).__name__}")

        def register(f: TriggerCallback) -> TriggerCallback:
            if not callable(f):
                raise TypeError("handle() decorates a callable")
            with self._lock:
                self._callbacks.append((f, dict(filters)))
            return f

        return register

    def _dispatch(self, event: t.Dict[str, t.Any]) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        data = AttrDict(event)
        for callback, filters in callbacks:
            if not _matches(event, filters):
                continue
            try:
                self._call(callback, data)
            except Exception:
                _logger().exception(
                    "trigger callback %s raised for event %s",
                    getattr(callback, "__name__", repr(callback)),
                    event.get("trigger_slug"),
                )

    def _call(self, callback: TriggerCallback, data: t.Any) -> None:
        callback(data)

    # -- lifecycle ------------------------------------------------------------

    def is_alive(self) -> bool:
        """Whether the subscription is running (connected or reconnecting)."""
        return self._sub is not None and bool(self._sub.is_alive())

    def has_errored(self) -> bool:
        """Whether the connection has ended for good."""
        return not self.is_alive()

    def wait_forever(self) -> None:
        """Blocks until the subscription is stopped (Ctrl-C still works)."""
        while self._sub is not None and not self._sub.wait(0.5):
            pass

    def wait(self, timeout: float) -> bool:
        """Blocks up to ``timeout`` seconds; returns whether it has ended."""
        return self._sub is None or bool(self._sub.wait(float(timeout)))

    def stop(self) -> None:
        """Closes the connection; no more callbacks run. Idempotent."""
        if self._sub is not None:
            self._sub.stop()

    unsubscribe = stop

    def restart(self) -> None:
        """Reconnects with the same callbacks."""
        self.stop()
        self._connect()

    def __enter__(self) -> "TriggerSubscription":
        return self

    def __exit__(self, *exc: t.Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"TriggerSubscription(alive={self.is_alive()}, callbacks={len(self._callbacks)})"


class AsyncTriggerSubscription(TriggerSubscription):
    """The subscription of ``AsyncComposio.triggers.subscribe()``: the same
    callbacks (plain ones run on the engine's event thread; ``async def`` ones
    are scheduled on the event loop that subscribed, without waiting for
    them), and awaitable ``wait_forever()``, ``wait(timeout)`` and
    ``restart()`` that never block the loop."""

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._loop: t.Any = None

    async def _connect_async(self) -> None:
        import asyncio

        self._loop = asyncio.get_running_loop()
        await super()._connect_async()

    def _call(self, callback: TriggerCallback, data: t.Any) -> None:
        import asyncio
        import inspect

        if not inspect.iscoroutinefunction(callback):
            callback(data)
            return
        loop = self._loop
        if loop is None or loop.is_closed():
            raise RuntimeError("the event loop that subscribed is closed; async callback not run")
        future = asyncio.run_coroutine_threadsafe(callback(data), loop)
        name = getattr(callback, "__name__", repr(callback))
        slug = data.get("trigger_slug")

        def done(f: t.Any) -> None:
            if f.cancelled():
                return
            error = f.exception()
            if error is not None:
                _logger().error(
                    "trigger callback %s raised for event %s",
                    name,
                    slug,
                    exc_info=(type(error), error, error.__traceback__),
                )

        future.add_done_callback(done)

    async def wait_forever(self) -> None:  # type: ignore[override]
        """Returns once the subscription is stopped, without blocking the loop."""
        if self._sub is not None:
            await self._sub.wait_async()

    async def wait(self, timeout: float) -> bool:  # type: ignore[override]
        """Waits up to ``timeout`` seconds; returns whether it has ended."""
        if self._sub is None:
            return True
        return bool(await self._sub.wait_async(float(timeout)))

    async def restart(self) -> None:  # type: ignore[override]
        """Reconnects with the same callbacks."""
        self.stop()
        await self._connect_async()

    def __repr__(self) -> str:
        return f"AsyncTriggerSubscription(alive={self.is_alive()}, callbacks={len(self._callbacks)})"
