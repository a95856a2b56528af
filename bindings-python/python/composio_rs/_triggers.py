"""Realtime trigger subscriptions (``composio.triggers.subscribe()``).

The engine keeps one Pusher-protocol WebSocket per subscription (with
reconnects, pings and chunked events) and hands every event to
``TriggerSubscription._dispatch`` on a dedicated thread that is not a
runtime worker, with the GIL taken. Callbacks run there one event at a time,
in arrival order; a callback that raises is logged under
``composio_rs.triggers`` and the subscription carries on.
"""

from __future__ import annotations

import threading
import typing as t

from ._types import AttrDict

__all__ = ["TriggerSubscription", "TriggerEvent", "TriggerCallback", "FILTERS"]

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

    def _connect(self) -> None:
        try:
            self._sub = self._client.triggers_subscribe(self._dispatch, self._timeout)
        except Exception as e:
            self._report(e)
            raise

    async def _connect_async(self) -> None:
        try:
            self._sub = await self._client.triggers_subscribe(self._dispatch, self._timeout, aio=True)
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
                callback(data)
            except Exception:
                _logger().exception(
                    "trigger callback %s raised for event %s",
                    getattr(callback, "__name__", repr(callback)),
                    event.get("trigger_slug"),
                )

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
