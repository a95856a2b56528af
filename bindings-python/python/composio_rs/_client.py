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
]

def _refresh_log_level() -> None:
    # If `logging` was never imported nobody configured it: the effective
    # level is WARNING, and importing it here would cost ~15 ms.
    logging = sys.modules.get("logging")
    level = 30 if logging is None else logging.getLogger("composio_rs").getEffectiveLevel()
    _native.set_log_level(level)


class _Resource:
    """Shared plumbing: the native client and the sync/async switch."""

    def __init__(self, native: t.Any, aio: bool = False) -> None:
        self._native = native
        self._aio = aio

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

    def __init__(self, native_session: t.Any, aio: bool = False) -> None:
        super().__init__(native_session, aio)
        self.session_id: str = native_session.session_id
        self.mcp = SessionMCP(native_session.mcp)
        self.tool_router_tools: t.List[str] = native_session.tool_router_tools

    @property
    def config(self) -> t.Any:
        """The server's echo of the session configuration."""
        return self._native.config

    @property
    def experimental(self) -> t.Any:
        """Experimental data from the API (assistive prompt, ...)."""
        return wrap(self._native.experimental)

    def tools(self, modifiers: t.Optional[t.Sequence[t.Any]] = None) -> t.Any:
        """The session's meta tools in the provider's format."""
        return self._post(self._native.tools(to_native(modifiers), aio=self._aio))

    def execute(self, tool_slug: str, arguments: t.Optional[t.Dict[str, t.Any]] = None) -> t.Any:
        """Executes a tool in the session: ``.data``, ``.error``, ``.log_id``."""
        return self._post(self._native.execute(tool_slug, arguments, aio=self._aio), AttrDict)

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
)


def _session_config(kwargs: t.Dict[str, t.Any]) -> t.Dict[str, t.Any]:
    unknown = sorted(k for k in kwargs if k not in _SESSION_KEYS)
    if unknown:
        raise TypeError(f"create() got unexpected keyword argument(s): {', '.join(unknown)}")
    return {k: v for k, v in kwargs.items() if v is not None}


class ToolRouter(_Resource):
    """``composio.tool_router`` (also ``composio.sessions``)."""

    def create(self, *, user_id: str, **config: t.Any) -> t.Any:
        """Creates a session: ``toolkits``, ``tools``, ``tags``,
        ``manage_connections``, ``auth_configs``, ``connected_accounts``,
        ``workbench``, ``multi_account``, ``experimental``."""
        return self._post(
            self._native.create_session(user_id, _session_config(config), aio=self._aio),
            lambda s: ToolRouterSession(s, self._aio),
        )

    def use(self, session_id: str) -> t.Any:
        """Restores a session by id."""
        return self._post(
            self._native.use_session(session_id, aio=self._aio), lambda s: ToolRouterSession(s, self._aio)
        )


# ---------------------------------------------------------------------------
# Tools


class Tools(_Resource):
    """``composio.tools``."""

    def __init__(self, native: t.Any, aio: bool = False) -> None:
        super().__init__(native, aio)
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
        return self._post(
            self._native.toolkits_fields(toolkit, auth_scheme, required_only, False, aio=self._aio), wrap
        )

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

    def refresh(self, nanoid: str) -> t.Any:
        """Refreshes a connected account's credentials."""
        return self._post(self._native.accounts_action("refresh", nanoid, aio=self._aio), wrap)

    def wait_for_connection(self, id: str, timeout: t.Optional[float] = None) -> t.Any:
        """Waits until the account is ACTIVE (default 60 s)."""
        return self._post(
            self._native.accounts_wait_for_connection(id, 60.0 if timeout is None else float(timeout), aio=self._aio),
            AttrDict,
        )


class Triggers(_Resource):
    """``composio.triggers``."""

    def list(
        self, *, cursor: t.Optional[str] = None, limit: t.Optional[int] = None, toolkit_slugs: t.Optional[t.List[str]] = None
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

    def verify_webhook(
        self,
        *,
        id: str,
        payload: str,
        secret: str,
        signature: str,
        timestamp: str,
        tolerance: int = 300,
    ) -> "VerifiedWebhook":
        """Verifies a webhook delivery (CPU only, never blocks on I/O)."""
        from .webhooks import VerifiedWebhook, WebhookEvent

        version, event, raw = _native.verify_webhook(id, payload, secret, signature, timestamp, tolerance)
        return VerifiedWebhook(version, WebhookEvent(event), raw)

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
        )
        self.provider._bind(self._native, self._aio)
        aio = self._aio
        self.tool_router = ToolRouter(self._native, aio)
        self.sessions = self.tool_router
        self.tools = Tools(self._native, aio)
        self.toolkits = Toolkits(self._native, aio)
        self.auth_configs = AuthConfigs(self._native, aio)
        self.connected_accounts = ConnectedAccounts(self._native, aio)
        self.triggers = Triggers(self._native, aio)

    @property
    def base_url(self) -> str:
        """The API base URL in use."""
        return t.cast(str, self._native.base_url)

    def create(self, user_id: str, **config: t.Any) -> ToolRouterSession:
        """Creates a tool-router session (alias of ``tool_router.create``)."""
        return t.cast(ToolRouterSession, self.tool_router.create(user_id=user_id, **config))

    def use(self, session_id: str) -> ToolRouterSession:
        """Restores a session (alias of ``tool_router.use``)."""
        return t.cast(ToolRouterSession, self.tool_router.use(session_id))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, provider={self.provider!r})"
