"""``AsyncComposio``: the same surface with ``async def`` methods, on
asyncio. Each call is one engine future bridged to an asyncio future (no
thread per call); the GIL is never held while the engine waits."""

from __future__ import annotations

import typing as t

from . import _client as c
from ._types import AttrDict

__all__ = [
    "AsyncComposio",
    "AsyncToolRouterSession",
    "AsyncConnectionRequest",
    "AsyncTools",
    "AsyncToolRouter",
]


class AsyncConnectionRequest(c.ConnectionRequest):
    """A started connection (async)."""

    async def wait_for_connection(self, timeout: t.Optional[float] = None) -> AttrDict:  # type: ignore[override]
        """Waits until the account is ACTIVE (default 60 s)."""
        return t.cast(AttrDict, await super().wait_for_connection(timeout))


class AsyncToolRouterSession(c.ToolRouterSession):
    """A tool-router session (async)."""

    async def tools(self, modifiers: t.Optional[t.Sequence[t.Any]] = None) -> t.Any:  # type: ignore[override]
        """The session's meta tools in the provider's format."""
        return await super().tools(modifiers)

    async def execute(  # type: ignore[override]
        self,
        tool_slug: str,
        arguments: t.Optional[t.Dict[str, t.Any]] = None,
        *,
        modifiers: t.Optional[t.Sequence[t.Any]] = None,
    ) -> AttrDict:
        """Executes a tool in the session."""
        return t.cast(AttrDict, await super().execute(tool_slug, arguments, modifiers=modifiers))

    async def execute_meta(  # type: ignore[override]
        self,
        slug: str,
        arguments: t.Optional[t.Dict[str, t.Any]] = None,
        modifiers: t.Optional[t.Sequence[t.Any]] = None,
    ) -> AttrDict:
        """Executes a meta tool."""
        return t.cast(AttrDict, await super().execute_meta(slug, arguments, modifiers))

    async def search(  # type: ignore[override]
        self, *, query: str, model: t.Optional[str] = None, toolkits: t.Optional[t.List[str]] = None
    ) -> AttrDict:
        """Searches tools for a use case."""
        return t.cast(AttrDict, await super().search(query=query, model=model, toolkits=toolkits))

    async def authorize(  # type: ignore[override]
        self, toolkit: str, *, callback_url: t.Optional[str] = None, alias: t.Optional[str] = None
    ) -> AsyncConnectionRequest:
        """Starts connecting the user to a toolkit."""
        native = await self._native.authorize(toolkit, callback_url, alias, aio=True)
        return AsyncConnectionRequest(native, True)

    async def toolkits(  # type: ignore[override]
        self,
        *,
        toolkits: t.Optional[t.List[str]] = None,
        next_cursor: t.Optional[str] = None,
        limit: t.Optional[int] = None,
        is_connected: t.Optional[bool] = None,
        search: t.Optional[str] = None,
    ) -> AttrDict:
        """Toolkits with the user's connection state."""
        return t.cast(
            AttrDict,
            await super().toolkits(
                toolkits=toolkits, next_cursor=next_cursor, limit=limit, is_connected=is_connected, search=search
            ),
        )

    async def proxy_execute(  # type: ignore[override]
        self,
        *,
        toolkit: str,
        endpoint: str,
        method: str,
        body: t.Any = None,
        parameters: t.Optional[t.List[t.Dict[str, t.Any]]] = None,
    ) -> AttrDict:
        """Sends an HTTP request through the session's connected account."""
        return t.cast(
            AttrDict,
            await super().proxy_execute(
                toolkit=toolkit, endpoint=endpoint, method=method, body=body, parameters=parameters
            ),
        )


class AsyncToolRouter(c.ToolRouter):
    """``composio.tool_router`` (async)."""

    async def create(self, *, user_id: str, **config: t.Any) -> AsyncToolRouterSession:  # type: ignore[override]
        """Creates a session."""
        native = await self._native.create_session(user_id, c._session_config(config), aio=True)
        return AsyncToolRouterSession(native, True, self._provider)

    async def use(  # type: ignore[override]
        self,
        session_id: str,
        *,
        custom_tools: t.Optional[t.List[t.Any]] = None,
        custom_toolkits: t.Optional[t.List[t.Any]] = None,
        mcp: bool = False,
    ) -> AsyncToolRouterSession:
        """Restores a session, attaching session custom tools when given."""
        from ._v31 import attach

        native = await attach(self._native, session_id, custom_tools, custom_toolkits, mcp, True)
        return AsyncToolRouterSession(native, True, self._provider)


class AsyncTools(c.Tools):
    """``composio.tools`` (async)."""

    async def get(self, user_id: str, **kwargs: t.Any) -> t.Any:  # type: ignore[override]
        """Tools in the provider's format."""
        return await super().get(user_id, **kwargs)

    async def get_raw_composio_tools(self, *args: t.Any, **kwargs: t.Any) -> t.Any:  # type: ignore[override]
        """Raw tool schemas."""
        return await super().get_raw_composio_tools(*args, **kwargs)

    async def get_raw_composio_tool_by_slug(self, slug: str, version: t.Optional[str] = None) -> AttrDict:  # type: ignore[override]
        """One raw tool schema."""
        return t.cast(AttrDict, await super().get_raw_composio_tool_by_slug(slug, version))

    async def execute(  # type: ignore[override]
        self, slug: str, arguments: t.Optional[t.Dict[str, t.Any]] = None, **kwargs: t.Any
    ) -> t.Dict[str, t.Any]:
        """Executes a tool → ``{"data", "error", "successful"}``."""
        return t.cast(t.Dict[str, t.Any], await super().execute(slug, arguments, **kwargs))

    async def proxy(self, *args: t.Any, **kwargs: t.Any) -> AttrDict:  # type: ignore[override]
        """A request through a connected account's credentials."""
        return t.cast(AttrDict, await super().proxy(*args, **kwargs))


class AsyncTriggers(c.Triggers):
    """``composio.triggers`` (async; webhook verification is CPU-only and
    stays a plain method)."""

    async def subscribe(  # type: ignore[override]
        self,
        timeout: float = 15.0,
        on_subscription_error: t.Optional[t.Callable[[t.Dict[str, t.Any]], None]] = None,
    ) -> t.Any:
        """Opens the realtime trigger channel → ``AsyncTriggerSubscription``
        (plain callbacks run on the engine's event thread; ``async def``
        callbacks on this event loop; ``await sub.wait_forever()``)."""
        return await super().subscribe(timeout, on_subscription_error)


class AsyncComposio(c.Composio):
    """The Composio client for asyncio."""

    _aio = True

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool_router = AsyncToolRouter(self._native, True, self.provider)
        self.sessions = self.tool_router
        self.tools = AsyncTools(self._native, True, self.provider)
        self.triggers = AsyncTriggers(self._native, True)
        self.experimental = c.Experimental(self.mcp, self.tool_router)

    async def create(self, user_id: str, **config: t.Any) -> AsyncToolRouterSession:  # type: ignore[override]
        """Creates a tool-router session."""
        return await t.cast(AsyncToolRouter, self.tool_router).create(user_id=user_id, **config)

    async def use(  # type: ignore[override]
        self,
        session_id: str,
        *,
        custom_tools: t.Optional[t.List[t.Any]] = None,
        custom_toolkits: t.Optional[t.List[t.Any]] = None,
        mcp: bool = False,
    ) -> AsyncToolRouterSession:
        """Restores a session, attaching session custom tools when given."""
        return await t.cast(AsyncToolRouter, self.tool_router).use(
            session_id, custom_tools=custom_tools, custom_toolkits=custom_toolkits, mcp=mcp
        )
