"""The ``Composio`` client and its resource namespaces.

Every resource method is written once: it calls the native engine with
``aio=self._aio`` and post-processes the result. The sync client runs with
``aio=False`` (the engine blocks with the GIL released); ``AsyncComposio``
(see ``_async.py``) uses the same classes with ``aio=True`` and exposes
``async def`` methods.
"""

from __future__ import annotations

import os
import sys
import typing as t

from . import _native
from ._modifiers import to_native
from ._types import AttrDict, Page, wrap
from .providers import OpenAIProvider, Provider

if t.TYPE_CHECKING:
    from ._custom_tools import CustomTool
    from .webhooks import VerifiedWebhook

__all__ = [
    "Composio",
    "ToolRouterSession",
    "ConnectionRequest",
    "SessionMCP",
    "Tools",
    "Toolkits",
    "AuthConfigs",
    "ConnectedAccounts",
    "Triggers",
    "ToolRouter",
    "MCP",
    "Webhooks",
    "WebhookSubscriptions",
    "Experimental",
]


def _refresh_log_level() -> None:
    # If `logging` was never imported nobody configured it: the effective
    # level is WARNING, and importing it here would cost ~15 ms.
    logging = sys.modules.get("logging")
    level = 30 if logging is None else logging.getLogger("composio_rs").getEffectiveLevel()
    _native.set_log_level(level)


def _agentic_execute(
    native: t.Any, user_id: str, modifiers: t.Optional[t.Sequence[t.Any]]
) -> t.Callable[[str, t.Dict[str, t.Any]], t.Dict[str, t.Any]]:
    """The ``execute_tool`` handed to agentic providers: a blocking engine
    execute (frameworks call tools synchronously, or in an executor),
    skipping the version check as the official SDK does for agentic calls."""
    native_mods = to_native(modifiers)

    def execute(slug: str, arguments: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
        from .exceptions import ValidationError

        try:
            return t.cast(
                t.Dict[str, t.Any],
                native.tools_execute(slug, arguments, user_id, None, None, None, None, None, True, native_mods),
            )
        except ValidationError as e:
            # Bad arguments from the model go back to it as a failed result
            # (the official providers do the same with pydantic errors).
            return {"data": None, "error": str(e), "successful": False}

    return execute


class _Resource:
    """Shared plumbing: the native client and the sync/async switch."""

    def __init__(self, native: t.Any, aio: bool = False, provider: t.Optional[Provider] = None) -> None:
        self._native = native
        self._aio = aio
        self._provider = provider

    def _post(self, value: t.Any, fn: t.Callable[[t.Any], t.Any] = lambda v: v) -> t.Any:
        if not self._aio:
            return fn(value)

        async def done() -> t.Any:
            return fn(await value)

        return done()


# ---------------------------------------------------------------------------
# Connection requests and sessions


class ConnectionRequest(_Resource):
    """A started connection: ``id``, ``status``, ``redirect_url``,
    ``wait_for_connection(timeout=60.0)``."""

    def __init__(self, native_request: t.Any, aio: bool = False) -> None:
        super().__init__(native_request, aio)
        self.id: str = native_request.id
        self.status: str = native_request.status
        self.redirect_url: t.Optional[str] = native_request.redirect_url

    def wait_for_connection(self, timeout: t.Optional[float] = None) -> t.Any:
        """Waits until the account is ACTIVE (default 60 s); returns it."""
        return self._post(
            self._native.wait_for_connection(60.0 if timeout is None else float(timeout), aio=self._aio),
            AttrDict,
        )

    def __repr__(self) -> str:
        return f"ConnectionRequest(id={self.id!r}, status={self.status!r}, redirect_url={self.redirect_url!r})"


_OMIT: t.Any = object()


class SessionMCP:
    """How an MCP client reaches a session: ``type``, ``url``, ``headers``."""

    def __init__(self, data: t.Dict[str, t.Any]) -> None:
        self.type: str = data["type"]
        self.url: str = data["url"]
        self.headers: t.Dict[str, str] = data["headers"]

    def __repr__(self) -> str:
        return f"SessionMCP(type={self.type!r}, url={self.url!r}, headers={{...}})"


class ToolRouterSession(_Resource):
    """A tool-router session bound to a user."""

    def __init__(self, native_session: t.Any, aio: bool = False, provider: t.Optional[Provider] = None) -> None:
        super().__init__(native_session, aio, provider)
        self.session_id: str = native_session.session_id
        self.mcp = SessionMCP(native_session.mcp)

    @property
    def tool_router_tools(self) -> t.List[str]:
        """Meta-tool slugs of the session (refreshed by ``update()``)."""
        return self._native.tool_router_tools

    @property
    def config(self) -> t.Any:
        """The server's echo of the session configuration (refreshed by ``update()``)."""
        return self._native.config

    @property
    def experimental(self) -> t.Any:
        """Experimental data from the API (assistive prompt, ...)."""
        return wrap(self._native.experimental)

    def tools(self, modifiers: t.Optional[t.Sequence[t.Any]] = None) -> t.Any:
        """The session's meta tools in the provider's format (framework
        objects for an agentic provider, executing in this session)."""
        provider: t.Any = self._provider
        if provider is not None and provider._agentic:
            native = self._native
            # A list (even empty) selects the engine's agentic path, which
            # uploads file arguments as the official agentic session does.
            native_mods = to_native(modifiers) or []

            def execute(slug: str, arguments: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
                # Modifiers (before/after_execute and the *_meta ones) run
                # here with toolkit "composio", as in the official SDK.
                r = native.execute(slug, arguments, native_mods)
                ok = r.get("successful", r.get("error") is None)
                return {"data": r.get("data"), "error": r.get("error"), "successful": ok}

            return self._post(
                self._native.tools(to_native(modifiers), raw=True, aio=self._aio),
                lambda raw: provider.wrap_tools(raw, execute),
            )
        return self._post(self._native.tools(to_native(modifiers), aio=self._aio))

    def execute(
        self,
        tool_slug: str,
        arguments: t.Optional[t.Dict[str, t.Any]] = None,
        *,
        modifiers: t.Optional[t.Sequence[t.Any]] = None,
    ) -> t.Any:
        """Executes a tool in the session: ``.data``, ``.error``, ``.log_id``.

        ``modifiers`` (an extension of the official signature) runs
        ``before_execute`` / ``before_execute_meta`` on ``{"arguments"}`` and
        ``after_execute`` / ``after_execute_meta`` on ``{data, error,
        successful}``, with toolkit ``"composio"``; the result then also has
        ``.successful``."""
        return self._post(self._native.execute(tool_slug, arguments, to_native(modifiers), aio=self._aio), AttrDict)

    def execute_meta(
        self,
        slug: str,
        arguments: t.Optional[t.Dict[str, t.Any]] = None,
        modifiers: t.Optional[t.Sequence[t.Any]] = None,
    ) -> t.Any:
        """Executes a meta tool (``COMPOSIO_SEARCH_TOOLS``, ...)."""
        return self._post(self._native.execute_meta(slug, arguments, to_native(modifiers), aio=self._aio), AttrDict)

    def search(self, *, query: str, model: t.Optional[str] = None, toolkits: t.Optional[t.List[str]] = None) -> t.Any:
        """Searches tools for a use case."""
        return self._post(self._native.search(query, model, toolkits, aio=self._aio), AttrDict)

    def authorize(self, toolkit: str, *, callback_url: t.Optional[str] = None, alias: t.Optional[str] = None) -> t.Any:
        """Starts connecting the user to a toolkit → ``ConnectionRequest``."""
        return self._post(
            self._native.authorize(toolkit, callback_url, alias, aio=self._aio),
            lambda r: ConnectionRequest(r, self._aio),
        )

    def toolkits(
        self,
        *,
        toolkits: t.Optional[t.List[str]] = None,
        next_cursor: t.Optional[str] = None,
        limit: t.Optional[int] = None,
        is_connected: t.Optional[bool] = None,
        search: t.Optional[str] = None,
    ) -> t.Any:
        """Toolkits with the user's connection state (``.items``, ``.next_cursor``)."""
        return self._post(
            self._native.toolkits(toolkits, next_cursor, limit, is_connected, search, aio=self._aio), Page
        )

    def custom_tools(self, toolkit: t.Optional[str] = None) -> t.List[AttrDict]:
        """The session's custom tools: ``[{slug (final), original_slug, name,
        description, toolkit, input_schema, output_schema}]``; with
        ``toolkit``, those of or extending it (no API call)."""
        return [AttrDict(x) for x in self._native.custom_tools(toolkit)]

    def custom_toolkits(self) -> t.List[AttrDict]:
        """The session's custom toolkits with their tools (no API call)."""
        return [AttrDict(x) for x in self._native.custom_toolkits()]

    def proxy_execute(
        self,
        *,
        toolkit: str,
        endpoint: str,
        method: str,
        body: t.Any = None,
        parameters: t.Optional[t.List[t.Dict[str, t.Any]]] = None,
    ) -> t.Any:
        """Sends an HTTP request through the session's connected account."""
        return self._post(
            self._native.proxy_execute(toolkit, endpoint, method, body, parameters, aio=self._aio), AttrDict
        )

    @property
    def config_version(self) -> int:
        """The session's config version (refreshed by ``update()``)."""
        return self._native.config_version

    def update(
        self,
        *,
        toolkits: t.Any = _OMIT,
        tools: t.Any = _OMIT,
        tags: t.Any = _OMIT,
        instant: t.Any = _OMIT,
        auth_configs: t.Any = _OMIT,
        connected_accounts: t.Any = _OMIT,
        manage_connections: t.Any = _OMIT,
        sandbox: t.Any = _OMIT,
        workbench: t.Any = _OMIT,
        multi_account: t.Any = _OMIT,
        proxy_execute: t.Any = _OMIT,
        hooks: t.Any = _OMIT,
        preload: t.Any = _OMIT,
        search: t.Any = _OMIT,
        execute: t.Any = _OMIT,
        experimental: t.Any = _OMIT,
        expected_config_version: t.Union[int, None, bool] = None,
    ) -> t.Any:
        """Partially updates the session configuration (``PATCH``): only the
        arguments given change; ``None`` removes the stored override (except
        ``instant``, which refuses it); maps given replace the stored ones.
        ``expected_config_version`` makes the update conditional; a stale one
        raises :class:`~composio_rs.exceptions.SessionConfigConflictError`.
        Refreshes ``config`` and ``config_version``; returns the new config."""
        given = {
            "toolkits": toolkits,
            "tools": tools,
            "tags": tags,
            "instant": instant,
            "auth_configs": auth_configs,
            "connected_accounts": connected_accounts,
            "manage_connections": manage_connections,
            "sandbox": sandbox,
            "workbench": workbench,
            "multi_account": multi_account,
            "proxy_execute": proxy_execute,
            "hooks": hooks,
            "preload": preload,
            "search": search,
            "execute": execute,
            "experimental": experimental,
        }
        patch: t.Dict[str, t.Any] = {k: v for k, v in given.items() if v is not _OMIT}
        if expected_config_version is not None:
            patch["expected_config_version"] = expected_config_version

        return self._post(self._native.update(patch, aio=self._aio))

    def list_config_history(self, *, cursor: t.Optional[str] = None, limit: t.Optional[int] = None) -> t.Any:
        """The session's config versions, newest first (``.items`` with
        ``version``, ``is_current``, ``config``, ``created_at``; ``.next_cursor``)."""
        return self._post(self._native.config_history(cursor, limit, aio=self._aio), Page)

    def delete(self) -> t.Any:
        """Deletes the session → ``{"session_id", "deleted": True}``."""
        return self._post(self._native.delete(aio=self._aio), dict)

    def __repr__(self) -> str:
        return f"ToolRouterSession(session_id={self.session_id!r})"


_SESSION_KEYS = (
    "toolkits",
    "tools",
    "tags",
    "manage_connections",
    "auth_configs",
    "connected_accounts",
    "workbench",
    "multi_account",
    "experimental",
    "preload",
)


def _session_config(kwargs: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    unknown = sorted(k for k in kwargs if k not in _SESSION_KEYS)
    if unknown:
        raise TypeError(f"create() got unexpected keyword argument(s): {', '.join(unknown)}")
    return {k: v for k, v in kwargs.items() if v is not None}


class ToolRouter(_Resource):
    """``composio.tool_router`` (also ``composio.sessions``)."""

    def delete(self, session_id: str) -> t.Any:
        """Deletes a session by id → ``{"session_id", "deleted": True}``."""
        return self._post(self._native.delete_session(session_id, aio=self._aio), dict)

    def create(self, *, user_id: str, **config: t.Any) -> t.Any:
        """Creates a session: ``toolkits``, ``tools``, ``tags``,
        ``manage_connections``, ``auth_configs``, ``connected_accounts``,
        ``workbench``, ``multi_account``, ``experimental``, ``preload``
        (``{"tools": [slugs]}`` or ``{"tools": "all"}``: tools exposed
        directly in ``session.tools()`` and the MCP tool list; ``"all"``
        also preloads custom tools that do not set ``preload=False``)."""
        from ._session_tools import split_experimental

        cfg = _session_config(config)
        custom_tools = custom_toolkits = None
        if "experimental" in cfg:
            experimental = cfg.pop("experimental")
            rest, custom_tools, custom_toolkits = split_experimental(experimental)
            if rest is not None:
                cfg["experimental"] = rest
        return self._post(
            self._native.create_session(
                user_id, cfg, aio=self._aio, custom_tools=custom_tools, custom_toolkits=custom_toolkits
            ),
            lambda s: ToolRouterSession(s, self._aio, self._provider),
        )

    def use(
        self,
        session_id: str,
        *,
        custom_tools: t.Optional[t.List[t.Any]] = None,
        custom_toolkits: t.Optional[t.List[t.Any]] = None,
        mcp: bool = False,
    ) -> t.Any:
        """Restores a session by id; with ``custom_tools`` /
        ``custom_toolkits`` (``@composio.experimental.tool`` tools,
        ``composio.experimental.Toolkit``), attaches them to it first
        (``POST …/attach``) so they run in this process; each tool's
        ``preload`` flag (else its toolkit's, else the stored session's
        ``preload={"tools": "all"}``) decides whether ``session.tools()``
        lists it, as in the official SDK. ``mcp`` only
        changes the official SDK's return type; the session always has
        ``mcp``."""
        from ._v31 import attach

        return self._post(
            attach(self._native, session_id, custom_tools, custom_toolkits, mcp, self._aio),
            lambda s: ToolRouterSession(s, self._aio, self._provider),
        )


# ---------------------------------------------------------------------------
# Tools


class Tools(_Resource):
    """``composio.tools``."""

    def __init__(self, native: t.Any, aio: bool = False, provider: t.Optional[Provider] = None) -> None:
        super().__init__(native, aio, provider)
        self._custom: t.Dict[str, "CustomTool"] = {}

    def get(
        self,
        user_id: str,
        *,
        slug: t.Optional[str] = None,
        tools: t.Optional[t.List[str]] = None,
        search: t.Optional[str] = None,
        toolkits: t.Optional[t.List[str]] = None,
        scopes: t.Optional[t.List[str]] = None,
        limit: t.Optional[int] = None,
        modifiers: t.Optional[t.Sequence[t.Any]] = None,
        tags: t.Optional[t.List[str]] = None,
        auth_config_ids: t.Optional[t.List[str]] = None,
    ) -> t.Any:
        """Tools in the provider's format (by slug, list of slugs, toolkits or search)."""
        if slug is not None:
            tools = [slug, *(tools or [])]
        provider: t.Any = self._provider
        if provider is not None and provider._agentic:
            execute = _agentic_execute(self._native, user_id, modifiers)
            return self._post(
                self._native.tools_get(
                    tools,
                    toolkits,
                    search,
                    scopes,
                    tags,
                    limit,
                    auth_config_ids,
                    to_native(modifiers),
                    raw=True,
                    aio=self._aio,
                ),
                lambda raw: provider.wrap_tools(raw, execute),
            )
        return self._post(
            self._native.tools_get(
                tools, toolkits, search, scopes, tags, limit, auth_config_ids, to_native(modifiers), aio=self._aio
            )
        )

    def get_raw_composio_tools(
        self,
        tools: t.Optional[t.List[str]] = None,
        search: t.Optional[str] = None,
        toolkits: t.Optional[t.List[str]] = None,
        scopes: t.Optional[t.List[str]] = None,
        limit: t.Optional[int] = None,
        modifiers: t.Optional[t.Sequence[t.Any]] = None,
    ) -> t.Any:
        """Raw tool schemas (dicts with attribute access)."""
        return self._post(
            self._native.tools_get(
                tools, toolkits, search, scopes, None, limit, None, to_native(modifiers), raw=True, aio=self._aio
            ),
            wrap,
        )

    def get_raw_composio_tool_by_slug(self, slug: str, version: t.Optional[str] = None) -> t.Any:
        """One raw tool schema."""
        return self._post(self._native.tools_get_by_slug(slug, version, aio=self._aio), AttrDict)

    def get_raw_tool_router_meta_tools(self, session_id: str, modifiers: t.Optional[t.Sequence[t.Any]] = None) -> t.Any:
        """A session's raw meta tools."""
        if not self._aio:
            session = self._native.use_session(session_id)
            return wrap(session.tools(to_native(modifiers), raw=True))

        async def go() -> t.Any:
            session = await self._native.use_session(session_id, aio=True)
            return wrap(await session.tools(to_native(modifiers), raw=True, aio=True))

        return go()

    def list(self, **params: t.Any) -> t.Any:
        """One page of ``GET /tools`` (``toolkit_slugs``, ``tool_slugs``, ``search``, ...)."""
        return self._post(self._native.tools_list(**params, aio=self._aio), Page)

    def execute(
        self,
        slug: str,
        arguments: t.Optional[t.Dict[str, t.Any]] = None,
        *,
        connected_account_id: t.Optional[str] = None,
        custom_auth_params: t.Optional[t.Dict[str, t.Any]] = None,
        custom_connection_data: t.Optional[t.Dict[str, t.Any]] = None,
        user_id: t.Optional[str] = None,
        text: t.Optional[str] = None,
        version: t.Optional[str] = None,
        dangerously_skip_version_check: t.Optional[bool] = None,
        modifiers: t.Optional[t.Sequence[t.Any]] = None,
    ) -> t.Any:
        """Executes a tool → ``{"data", "error", "successful"}``."""
        return self._post(
            self._native.tools_execute(
                slug,
                arguments,
                user_id,
                connected_account_id,
                custom_auth_params,
                custom_connection_data,
                text,
                version,
                dangerously_skip_version_check,
                to_native(modifiers),
                aio=self._aio,
            )
        )

    def proxy(
        self,
        endpoint: str,
        method: str,
        body: t.Any = None,
        connected_account_id: t.Optional[str] = None,
        parameters: t.Optional[t.List[t.Dict[str, t.Any]]] = None,
        custom_connection_data: t.Optional[t.Dict[str, t.Any]] = None,
    ) -> t.Any:
        """A request through a connected account's credentials."""
        return self._post(
            self._native.tools_proxy(
                endpoint, method, body, connected_account_id, parameters, custom_connection_data, aio=self._aio
            ),
            AttrDict,
        )

    def custom_tool(
        self,
        f: t.Optional[t.Callable[..., t.Any]] = None,
        *,
        toolkit: t.Optional[str] = None,
        slug: t.Optional[str] = None,
        name: t.Optional[str] = None,
        description: t.Optional[str] = None,
    ) -> t.Any:
        """Registers a function as a locally executed tool (bare or with
        ``toolkit=``). The slug is the function name in upper case."""

        caller = sys._getframe(1)
        localns = dict(caller.f_locals)

        def register(fn: t.Callable[..., t.Any]) -> "CustomTool":
            from ._custom_tools import build_custom_tool

            tool, handler = build_custom_tool(
                fn, toolkit=toolkit, slug=slug, name=name, description=description, localns=localns
            )
            self._native.register_custom_tool(
                tool.slug, tool.name, tool.description, tool.input_parameters, handler, toolkit
            )
            self._custom[tool.slug] = tool
            return tool

        if f is not None:
            return register(f)
        return register


# ---------------------------------------------------------------------------
# Toolkits, auth configs, connected accounts, triggers


class Toolkits(_Resource):
    """``composio.toolkits``."""

    def list(
        self,
        *,
        category: t.Optional[str] = None,
        cursor: t.Optional[str] = None,
        limit: t.Optional[int] = None,
        sort_by: t.Optional[str] = None,
        managed_by: t.Optional[str] = None,
        search: t.Optional[str] = None,
        include_deprecated: t.Optional[bool] = None,
    ) -> t.Any:
        """One page of toolkits."""
        return self._post(
            self._native.toolkits_list(
                category, managed_by, sort_by, search, include_deprecated, limit, cursor, aio=self._aio
            ),
            Page,
        )

    def get(self, slug: t.Optional[str] = None, *, query: t.Optional[t.Dict[str, t.Any]] = None) -> t.Any:
        """One toolkit by slug, or (no slug) the items of ``list(**query)``."""
        if slug is None:
            return self._post(
                self._native.toolkits_list(**(query or {}), aio=self._aio), lambda p: wrap(p.get("items", []))
            )
        return self._post(self._native.toolkits_get(slug, aio=self._aio), AttrDict)

    def list_categories(self) -> t.Any:
        """Every toolkit category."""
        return self._post(self._native.toolkits_list_categories(aio=self._aio), wrap)

    def authorize(self, *, user_id: str, toolkit: str) -> t.Any:
        """Connects a user to a toolkit with its default auth config."""
        return self._post(
            self._native.toolkits_authorize(user_id, toolkit, aio=self._aio), lambda r: ConnectionRequest(r, self._aio)
        )

    def get_auth_config_creation_fields(self, toolkit: str, auth_scheme: str, *, required_only: bool = False) -> t.Any:
        """Fields needed to create an auth config with this scheme."""
        return self._post(self._native.toolkits_fields(toolkit, auth_scheme, required_only, False, aio=self._aio), wrap)

    def get_connected_account_initiation_fields(
        self, toolkit: str, auth_scheme: str, *, required_only: bool = False
    ) -> t.Any:
        """Fields needed to initiate a connection with this scheme."""
        return self._post(self._native.toolkits_fields(toolkit, auth_scheme, required_only, True, aio=self._aio), wrap)


class AuthConfigs(_Resource):
    """``composio.auth_configs``."""

    def list(self, **query: t.Any) -> t.Any:
        """One page of auth configs (``toolkit_slug``, ``is_composio_managed``, ...)."""
        return self._post(self._native.auth_configs_list(**query, aio=self._aio), Page)

    def create(self, toolkit: str, options: t.Dict[str, t.Any]) -> t.Any:
        """Creates an auth config (``{"type": "use_composio_managed_auth"}`` or custom)."""
        return self._post(self._native.auth_configs_create(toolkit, options, aio=self._aio), AttrDict)

    def get(self, nanoid: str) -> t.Any:
        """One auth config."""
        return self._post(self._native.auth_configs_get(nanoid, aio=self._aio), AttrDict)

    def update(self, nanoid: str, *, options: t.Dict[str, t.Any]) -> t.Any:
        """Updates an auth config (``{"type": "custom"|"default", ...}``)."""
        return self._post(self._native.auth_configs_update(nanoid, options, aio=self._aio), wrap)

    def delete(self, nanoid: str) -> t.Any:
        """Deletes an auth config."""
        return self._post(self._native.auth_configs_action("delete", nanoid, aio=self._aio), wrap)

    def enable(self, nanoid: str) -> t.Any:
        """Enables an auth config."""
        return self._post(self._native.auth_configs_action("enable", nanoid, aio=self._aio), wrap)

    def disable(self, nanoid: str) -> t.Any:
        """Disables an auth config."""
        return self._post(self._native.auth_configs_action("disable", nanoid, aio=self._aio), wrap)


class ConnectedAccounts(_Resource):
    """``composio.connected_accounts``."""

    def initiate(
        self,
        user_id: str,
        auth_config_id: str,
        *,
        callback_url: t.Optional[str] = None,
        allow_multiple: bool = False,
        config: t.Optional[t.Dict[str, t.Any]] = None,
        alias: t.Optional[str] = None,
    ) -> t.Any:
        """Starts a connection → ``ConnectionRequest``."""
        return self._post(
            self._native.accounts_initiate(
                user_id, auth_config_id, callback_url, allow_multiple, config, alias, aio=self._aio
            ),
            lambda r: ConnectionRequest(r, self._aio),
        )

    def link(
        self,
        user_id: str,
        auth_config_id: str,
        *,
        callback_url: t.Optional[str] = None,
        alias: t.Optional[str] = None,
    ) -> t.Any:
        """Creates a hosted Connect Link → ``ConnectionRequest``."""
        return self._post(
            self._native.accounts_link(user_id, auth_config_id, callback_url, alias, None, aio=self._aio),
            lambda r: ConnectionRequest(r, self._aio),
        )

    def get(self, nanoid: str) -> t.Any:
        """One connected account."""
        return self._post(self._native.accounts_get(nanoid, aio=self._aio), AttrDict)

    def list(self, **query: t.Any) -> t.Any:
        """One page of connected accounts (``user_ids``, ``toolkit_slugs``, ``statuses``, ...)."""
        return self._post(self._native.accounts_list(**query, aio=self._aio), Page)

    def delete(self, nanoid: str) -> t.Any:
        """Deletes a connected account."""
        return self._post(self._native.accounts_action("delete", nanoid, aio=self._aio), wrap)

    def enable(self, nanoid: str) -> t.Any:
        """Enables a connected account."""
        return self._post(self._native.accounts_action("enable", nanoid, aio=self._aio), wrap)

    def disable(self, nanoid: str) -> t.Any:
        """Disables a connected account."""
        return self._post(self._native.accounts_action("disable", nanoid, aio=self._aio), wrap)

    def update_status(self, nanoid: str, *, enabled: bool) -> t.Any:
        """Enables or disables a connected account."""
        return self.enable(nanoid) if enabled else self.disable(nanoid)

    def refresh(
        self,
        nanoid: str,
        *,
        redirect_url: t.Optional[str] = None,
        query_redirect_url: t.Optional[str] = None,
        body_redirect_url: t.Optional[str] = None,
        validate_credentials: t.Optional[bool] = None,
    ) -> t.Any:
        """Refreshes (re-initiates) a connected account → ``{id, status, redirect_url}``.
        ``redirect_url`` (or the official ``query_redirect_url`` /
        ``body_redirect_url``) is sent both as query and body field."""
        urls = {u for u in (redirect_url, query_redirect_url, body_redirect_url) if u is not None}
        if len(urls) > 1:
            raise ValueError("refresh() got different redirect URLs; pass one redirect_url")
        url = next(iter(urls), None)
        return self._post(self._native.accounts_refresh(nanoid, url, validate_credentials, aio=self._aio), AttrDict)

    def update(
        self,
        nanoid: str,
        *,
        alias: t.Optional[str] = None,
        connection: t.Optional[t.Dict[str, t.Any]] = None,
    ) -> t.Any:
        """Changes an account's alias and/or credentials. ``connection`` is
        ``{"state": auth_scheme.<scheme>(...)}`` (a bare state is accepted too)."""
        state = None
        if connection is not None:
            if not isinstance(connection, dict):
                raise TypeError(f"connection must be a dict, got {type(connection).__name__}")
            state = connection["state"] if "state" in connection else connection
        return self._post(self._native.accounts_update(nanoid, alias, state, aio=self._aio), AttrDict)

    def wait_for_connection(self, id: str, timeout: t.Optional[float] = None) -> t.Any:
        """Waits until the account is ACTIVE (default 60 s)."""
        return self._post(
            self._native.accounts_wait_for_connection(id, 60.0 if timeout is None else float(timeout), aio=self._aio),
            AttrDict,
        )


class Triggers(_Resource):
    """``composio.triggers``."""

    def list(
        self,
        *,
        cursor: t.Optional[str] = None,
        limit: t.Optional[int] = None,
        toolkit_slugs: t.Optional[t.List[str]] = None,
    ) -> t.Any:
        """One page of trigger types."""
        return self._post(self._native.triggers_list_types(cursor, limit, toolkit_slugs, aio=self._aio), Page)

    def get_type(self, slug: str) -> t.Any:
        """One trigger type."""
        return self._post(self._native.triggers_get_type(slug, aio=self._aio), AttrDict)

    def list_enum(self) -> t.Any:
        """Every trigger type slug."""
        return self._post(self._native.triggers_list_enum(aio=self._aio))

    def list_active(self, **query: t.Any) -> t.Any:
        """Active trigger instances (``trigger_ids``, ``connected_account_ids``, ...)."""
        return self._post(self._native.triggers_list_active(**query, aio=self._aio), Page)

    def create(
        self,
        slug: str,
        *,
        user_id: t.Optional[str] = None,
        connected_account_id: t.Optional[str] = None,
        trigger_config: t.Optional[t.Dict[str, t.Any]] = None,
    ) -> t.Any:
        """Creates (upserts) a trigger instance."""
        return self._post(
            self._native.triggers_create(slug, user_id, connected_account_id, trigger_config, aio=self._aio), AttrDict
        )

    def enable(self, trigger_id: str) -> t.Any:
        """Enables a trigger instance."""
        return self._post(self._native.triggers_action("enable", trigger_id, aio=self._aio), wrap)

    def disable(self, trigger_id: str) -> t.Any:
        """Disables a trigger instance."""
        return self._post(self._native.triggers_action("disable", trigger_id, aio=self._aio), wrap)

    def delete(self, trigger_id: str) -> t.Any:
        """Deletes a trigger instance."""
        return self._post(self._native.triggers_action("delete", trigger_id, aio=self._aio), wrap)

    def subscribe(
        self,
        timeout: float = 15.0,
        on_subscription_error: t.Optional[t.Callable[[t.Dict[str, t.Any]], None]] = None,
    ) -> t.Any:
        """Opens the realtime trigger channel → ``TriggerSubscription``
        (register callbacks with ``@sub.handle(**filters)``, then
        ``sub.wait_forever()``; ``sub.stop()`` / ``sub.unsubscribe()``)."""
        from ._triggers import AsyncTriggerSubscription, TriggerSubscription

        cls = AsyncTriggerSubscription if self._aio else TriggerSubscription
        sub = cls(self._native, float(timeout), on_subscription_error)
        if not self._aio:
            sub._connect()
            return sub

        async def go() -> t.Any:
            await sub._connect_async()
            return sub

        return go()

    def set_webhook_subscription(
        self,
        *,
        webhook_url: str,
        enabled_events: t.Optional[t.Sequence[str]] = None,
        version: t.Any = "V3",
    ) -> t.Any:
        """Creates or updates the project's webhook subscription (0.30 API)."""
        return WebhookSubscriptions(self._native, self._aio).set(
            webhook_url=webhook_url, enabled_events=enabled_events, version=version
        )

    # ``verify_webhook(*, id, payload, secret, signature, timestamp,
    # tolerance=300) -> VerifiedWebhook``: verifies a webhook delivery (CPU
    # only, never blocks on I/O). The native function itself, so a call makes
    # no Python frame (its docstring and signature are the method's).
    verify_webhook = staticmethod(_native.verify_webhook_kw)

    def parse(
        self,
        request: t.Any = None,
        *,
        body: t.Optional[t.Union[str, bytes]] = None,
        headers: t.Optional[t.Mapping[str, str]] = None,
        verify_secret: t.Optional[str] = None,
        tolerance: int = 300,
    ) -> "VerifiedWebhook":
        """Verifies and parses a webhook from a request (with ``.headers``
        and ``.body``/``.data``) or from ``body`` + ``headers`` (0.30 API).
        Without ``verify_secret`` the body is parsed but not verified."""
        from .webhooks import VerifiedWebhook, WebhookEvent

        if request is not None:
            headers = headers or dict(getattr(request, "headers", {}) or {})
            if body is None:
                body = getattr(request, "body", None)
                if body is None:
                    body = getattr(request, "data", None)
                if callable(body):
                    body = body()
        if body is None:
            raise ValueError("parse() needs the raw request body (body=...)")
        text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else str(body)
        if verify_secret is None:
            import json

            raw = json.loads(text)
            version, event = _native.parse_webhook_payload(raw)
            return VerifiedWebhook(version, WebhookEvent(event), raw)
        pairs = [(str(k), str(v)) for k, v in (headers or {}).items()]
        version, event, raw = _native.verify_webhook_headers(pairs, text, verify_secret, tolerance)
        return VerifiedWebhook(version, WebhookEvent(event), raw)


def _version_str(version: t.Any) -> t.Optional[str]:
    if version is None:
        return None
    return str(getattr(version, "value", version))


def _str_list(name: str, value: t.Any) -> t.Optional[t.List[str]]:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"{name} must be a str or a list of str")
    return list(value)


class WebhookSubscriptions(_Resource):
    """``composio.webhooks.subscriptions`` (0.30 API): the project's webhook
    delivery target."""

    def create(self, *, webhook_url: str, enabled_events: t.Sequence[str], version: t.Any = None) -> t.Any:
        """Creates a subscription (the response carries ``secret``)."""
        return self._post(
            self._native.webhooks_create(
                webhook_url, _str_list("enabled_events", enabled_events), _version_str(version), aio=self._aio
            ),
            AttrDict,
        )

    def list(self, *, limit: t.Optional[int] = None, cursor: t.Optional[str] = None) -> t.Any:
        """One page of subscriptions."""
        return self._post(self._native.webhooks_list(limit, cursor, aio=self._aio), Page)

    def get(self, id: str) -> t.Any:
        """One subscription."""
        return self._post(self._native.webhooks_get(id, aio=self._aio), AttrDict)

    def set(
        self,
        *,
        webhook_url: str,
        enabled_events: t.Optional[t.Sequence[str]] = None,
        version: t.Any = "V3",
    ) -> t.Any:
        """Updates the first subscription or creates one (defaults:
        ``["composio.trigger.message"]``, ``V3``)."""
        return self._post(
            self._native.webhooks_set(
                webhook_url, _str_list("enabled_events", enabled_events), _version_str(version), aio=self._aio
            ),
            AttrDict,
        )

    def update(
        self,
        id: str,
        *,
        webhook_url: t.Optional[str] = None,
        enabled_events: t.Optional[t.Sequence[str]] = None,
        version: t.Any = None,
    ) -> t.Any:
        """Changes a subscription (only the given fields)."""
        return self._post(
            self._native.webhooks_update(
                id, webhook_url, _str_list("enabled_events", enabled_events), _version_str(version), aio=self._aio
            ),
            AttrDict,
        )

    def delete(self, id: str) -> t.Any:
        """Deletes a subscription → ``{"success": bool}``."""
        return self._post(self._native.webhooks_delete(id, aio=self._aio), AttrDict)

    def rotate_secret(self, id: str) -> t.Any:
        """Issues a new signing secret → ``{"id", "secret"}``."""
        return self._post(self._native.webhooks_rotate_secret(id, aio=self._aio), AttrDict)

    def list_event_types(self) -> t.Any:
        """Event types a subscription can enable."""
        return self._post(self._native.webhooks_list_event_types(aio=self._aio), wrap)


class Webhooks:
    """``composio.webhooks`` (0.30 API): ``subscriptions``, ``endpoints``."""

    def __init__(self, native: t.Any, aio: bool = False) -> None:
        from ._v31 import WebhookEndpoints

        self.subscriptions = WebhookSubscriptions(native, aio)
        self.endpoints = WebhookEndpoints(native, aio)


class MCP(_Resource):
    """``composio.mcp`` (also ``composio.experimental.mcp``): MCP server
    configurations and per-user server URLs."""

    def _with_generate(self, server: t.Dict[str, t.Any]) -> t.Any:
        out = AttrDict(server)
        server_id = out["id"]

        def generate(user_id: str, manually_manage_connections: t.Optional[bool] = None) -> t.Any:
            return self.generate(user_id, server_id, manually_manage_connections)

        out.generate = generate
        return out

    def create(
        self,
        name: str,
        toolkits: t.List[t.Union[t.Dict[str, str], str]],
        manually_manage_connections: bool = False,
        allowed_tools: t.Optional[t.List[str]] = None,
    ) -> t.Any:
        """Creates a server over ``toolkits`` (slugs or ``{"toolkit",
        "auth_config_id"}``); the result also has ``generate(user_id)``."""
        return self._post(
            self._native.mcp_create(name, toolkits, manually_manage_connections, allowed_tools, aio=self._aio),
            self._with_generate,
        )

    def list(
        self,
        page_no: t.Optional[int] = None,
        limit: t.Optional[int] = None,
        toolkits: t.Optional[t.Union[str, t.List[str]]] = None,
        auth_config_ids: t.Optional[t.Union[str, t.List[str]]] = None,
        name: t.Optional[str] = None,
        order_by: t.Optional[str] = None,
        order_direction: t.Optional[str] = None,
    ) -> t.Any:
        """One page of servers (``items``, ``current_page``, ``total_pages``)."""
        return self._post(
            self._native.mcp_list(
                page_no,
                limit,
                _str_list("toolkits", toolkits),
                _str_list("auth_config_ids", auth_config_ids),
                name,
                order_by,
                order_direction,
                aio=self._aio,
            ),
            Page,
        )

    def get(self, server_id: str) -> t.Any:
        """One server."""
        return self._post(self._native.mcp_get(server_id, aio=self._aio), AttrDict)

    def update(
        self,
        server_id: str,
        name: t.Optional[str] = None,
        toolkits: t.Optional[t.List[t.Union[t.Dict[str, str], str]]] = None,
        manually_manage_connections: t.Optional[bool] = None,
        allowed_tools: t.Optional[t.List[str]] = None,
    ) -> t.Any:
        """Changes a server (only the given fields are sent)."""
        return self._post(
            self._native.mcp_update(
                server_id, name, toolkits, manually_manage_connections, allowed_tools, aio=self._aio
            ),
            AttrDict,
        )

    def delete(self, server_id: str) -> t.Any:
        """Deletes a server → ``{"id", "deleted"}``."""
        return self._post(self._native.mcp_delete(server_id, aio=self._aio), AttrDict)

    def generate(self, user_id: str, mcp_config_id: str, manually_manage_connections: t.Optional[bool] = None) -> t.Any:
        """The server's URL for one user → ``{id, name, type, url, user_id,
        allowed_tools, auth_configs}``."""
        return self._post(
            self._native.mcp_generate(user_id, mcp_config_id, manually_manage_connections, aio=self._aio), AttrDict
        )


class _ExperimentalToolRouter:
    """``composio.experimental.tool_router`` (the beta API, kept for old code)."""

    def __init__(self, router: "ToolRouter") -> None:
        self._router = router

    def create_session(self, *, user_id: str, **config: t.Any) -> t.Any:
        """Alias of ``composio.create(user_id=..., ...)``."""
        return self._router.create(user_id=user_id, **config)


class Experimental:
    """``composio.experimental``: ``mcp``, the beta ``tool_router``, and
    session custom tools (``tool`` decorator, ``Toolkit``)."""

    def __init__(self, mcp: MCP, router: "ToolRouter") -> None:
        from ._session_tools import ExperimentalToolkit

        self.mcp = mcp
        self.tool_router = _ExperimentalToolRouter(router)
        self.Toolkit = ExperimentalToolkit

    def tool(
        self,
        fn: t.Optional[t.Callable[..., t.Any]] = None,
        *,
        slug: t.Optional[str] = None,
        name: t.Optional[str] = None,
        description: t.Optional[str] = None,
        extends_toolkit: t.Optional[str] = None,
        output_params: t.Any = None,
        preload: t.Optional[bool] = None,
    ) -> t.Any:
        """Decorator: ``def f(input: Model, ctx=None)`` becomes a session
        custom tool (give it in ``composio.create(..., experimental=
        {"custom_tools": [f]})``)."""
        from ._session_tools import tool_decorator

        return tool_decorator(
            fn,
            None,
            "experimental.tool",
            slug=slug,
            name=name,
            description=description,
            extends_toolkit=extends_toolkit,
            output_params=output_params,
            preload=preload,
        )


# ---------------------------------------------------------------------------
# The client


class Composio:
    """The Composio client (drop-in for ``composio.Composio``)."""

    _aio: t.ClassVar[bool] = False

    def __init__(
        self,
        provider: t.Optional[Provider] = None,
        api_key: t.Optional[str] = None,
        base_url: t.Optional[str] = None,
        environment: t.Optional[str] = None,
        timeout: t.Optional[float] = None,
        max_retries: t.Optional[int] = None,
        allow_tracking: bool = True,
        file_download_dir: t.Optional[str] = None,
        toolkit_versions: t.Optional[t.Union[str, t.Dict[str, str]]] = None,
        dangerously_allow_auto_upload_download_files: bool = False,
        sensitive_file_upload_protection: bool = True,
        file_upload_path_deny_segments: t.Optional[t.List[str]] = None,
        file_upload_dirs: t.Optional[t.List[str]] = None,
        **kwargs: t.Any,
    ) -> None:
        if kwargs:
            raise TypeError(f"Composio() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}")
        _refresh_log_level()
        if base_url is None and environment is not None and not os.environ.get("COMPOSIO_BASE_URL"):
            envs = {
                "production": "https://backend.composio.dev",
                "staging": "https://staging-backend.composio.dev",
                "local": "http://localhost:9900",
            }
            if environment not in envs:
                raise ValueError(f"environment must be one of {', '.join(envs)}, got {environment!r}")
            base_url = envs[environment]
        self.provider: Provider = provider if provider is not None else OpenAIProvider()
        self.allow_tracking = allow_tracking  # accepted; this SDK sends no telemetry
        spec = self.provider._spec()
        self._native = _native.NativeClient(
            api_key=api_key,
            base_url=base_url,
            toolkit_versions=toolkit_versions,
            timeout=timeout,
            max_retries=max_retries,
            file_download_dir=file_download_dir,
            auto_upload_download_files=dangerously_allow_auto_upload_download_files,
            sensitive_file_upload_protection=sensitive_file_upload_protection,
            file_upload_path_deny_segments=file_upload_path_deny_segments,
            file_upload_dirs=file_upload_dirs,
            provider=spec["provider"],
            strict=spec["strict"],
            cache_tools=spec["cache_tools"],
            framework=self.provider.name or None,
        )
        self.provider._bind(self._native, self._aio)
        aio = self._aio
        self.tool_router = ToolRouter(self._native, aio, self.provider)
        self.sessions = self.tool_router
        self.tools = Tools(self._native, aio, self.provider)
        self.toolkits = Toolkits(self._native, aio)
        self.auth_configs = AuthConfigs(self._native, aio)
        self.connected_accounts = ConnectedAccounts(self._native, aio)
        self.triggers = Triggers(self._native, aio)
        self.webhooks = Webhooks(self._native, aio)
        self.mcp = MCP(self._native, aio)
        self.experimental = Experimental(self.mcp, self.tool_router)
        from ._v31 import SessionConfigs

        self.session_configs = SessionConfigs(self._native, aio)

    @property
    def base_url(self) -> str:
        """The API base URL in use."""
        return t.cast(str, self._native.base_url)

    def create(self, user_id: str, **config: t.Any) -> ToolRouterSession:
        """Creates a tool-router session (alias of ``tool_router.create``)."""
        return t.cast(ToolRouterSession, self.tool_router.create(user_id=user_id, **config))

    def use(
        self,
        session_id: str,
        *,
        custom_tools: t.Optional[t.List[t.Any]] = None,
        custom_toolkits: t.Optional[t.List[t.Any]] = None,
        mcp: bool = False,
    ) -> ToolRouterSession:
        """Restores a session, attaching session custom tools when given
        (alias of ``tool_router.use``)."""
        return t.cast(
            ToolRouterSession,
            self.tool_router.use(session_id, custom_tools=custom_tools, custom_toolkits=custom_toolkits, mcp=mcp),
        )

    @property
    def client(self) -> t.Any:
        """Raw API calls (``ComposioClient``: ``get``/``post``/``put``/
        ``patch``/``delete``/``request``) with this client's base URL, key
        and retries."""
        from ._v31 import ComposioClient

        return ComposioClient(self._native, self._aio)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, provider={self.provider!r})"
