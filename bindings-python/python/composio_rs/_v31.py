"""The v3.1 entry points: ``composio.webhooks.endpoints`` (official 0.30),
``composio.session_configs`` (``composio.sessionConfigs`` of
``@composio/core`` 0.21, which the Python SDK 0.30 does not have) and the raw
client behind ``composio.client``."""

from __future__ import annotations

import typing as t

from . import _native
from ._types import AttrDict, Page


class _V31Resource:
    def __init__(self, native: t.Any, aio: bool = False) -> None:
        self._native = native
        self._aio = aio

    def _post(self, value: t.Any, fn: t.Callable[[t.Any], t.Any]) -> t.Any:
        if not self._aio:
            return fn(value)

        async def done() -> t.Any:
            return fn(await value)

        return done()


def _require_str(name: str, value: t.Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    return value


class WebhookEndpoints(_V31Resource):
    """``composio.webhooks.endpoints``: inbound webhook endpoints, one per
    toolkit + OAuth app (``client_id``) pair."""

    def list(self, *, toolkit_slug: t.Optional[str] = None) -> t.Any:
        """Endpoints (``.items``: ``{id, toolkit_slug, client_id}``),
        optionally of one toolkit."""
        if toolkit_slug is not None:
            _require_str("toolkit_slug", toolkit_slug)
        return self._post(_native.webhook_endpoints_list(self._native, toolkit_slug, aio=self._aio), Page)

    def get(self, nano_id: str) -> t.Any:
        """One endpoint: ``id``, ``toolkit_slug``, ``client_id``,
        ``webhook_url``, ``data`` (secret values masked), ``created_at``."""
        return self._post(
            _native.webhook_endpoints_get(self._native, _require_str("nano_id", nano_id), aio=self._aio), AttrDict
        )

    def create(self, *, toolkit_slug: str, client_id: str) -> t.Any:
        """Creates the endpoint of a toolkit + OAuth app (or returns the
        existing one), with its ingress ``webhook_url``."""
        return self._post(
            _native.webhook_endpoints_create(
                self._native,
                _require_str("toolkit_slug", toolkit_slug),
                _require_str("client_id", client_id),
                aio=self._aio,
            ),
            AttrDict,
        )

    def replace(self, nano_id: str, *, data: t.Dict[str, t.Any]) -> t.Any:
        """Replaces the endpoint's setup fields (every required one)."""
        return self._post(
            _native.webhook_endpoints_set_data(
                self._native, _require_str("nano_id", nano_id), data, False, aio=self._aio
            ),
            AttrDict,
        )

    def update(self, nano_id: str, *, data: t.Dict[str, t.Any]) -> t.Any:
        """Merges setup fields into the endpoint's (omitted ones are kept)."""
        return self._post(
            _native.webhook_endpoints_set_data(
                self._native, _require_str("nano_id", nano_id), data, True, aio=self._aio
            ),
            AttrDict,
        )


class SessionConfigs(_V31Resource):
    """``composio.session_configs``: the project's saved Session configs
    (``sc_…``), named access policies a session applies with
    ``experimental={"session_config_id": ...}``. (``composio.sessionConfigs``
    of ``@composio/core`` 0.21; the official Python SDK 0.30 has no such
    namespace.)"""

    def list(
        self,
        *,
        search: t.Optional[str] = None,
        archived: t.Optional[bool] = None,
        limit: t.Optional[int] = None,
        cursor: t.Optional[str] = None,
    ) -> t.Any:
        """One page (``.items``: ``{id, name, archived, created_at,
        updated_at}``; ``.next_cursor``). Active configs unless
        ``archived=True``."""
        if archived is not None and not isinstance(archived, bool):
            raise TypeError(f"archived must be a bool, got {type(archived).__name__}")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ValueError(f"limit must be a positive int, got {limit!r}")
        return self._post(
            _native.session_configs_list(self._native, search, archived, limit, cursor, aio=self._aio), Page
        )

    def get(self, id: str) -> t.Any:
        """One config with ``description`` and its policy ``config``."""
        return self._post(_native.session_configs_get(self._native, _require_str("id", id), aio=self._aio), AttrDict)


_CAST_OK = (None, object, dict, list)


def _query_pairs(params: t.Optional[t.Mapping[str, t.Any]]) -> t.List[t.Tuple[str, str]]:
    if params is None:
        return []
    if not isinstance(params, t.Mapping):
        raise TypeError(f"params must be a dict, got {type(params).__name__}")
    out: t.List[t.Tuple[str, str]] = []

    def text(key: str, v: t.Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (str, int, float)):
            return str(v)
        raise TypeError(f"params[{key!r}] must be a str, int, float, bool or a list of them, got {type(v).__name__}")

    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            out.extend((key, text(key, v)) for v in value)
        else:
            out.append((key, text(key, value)))
    return out


class ComposioClient(_V31Resource):
    """What ``composio.client`` returns: raw calls to the Composio API through
    the engine, with the client's base URL, API key, retries and typed
    ``ComposioError`` exceptions. Each method returns the parsed JSON answer
    (dicts with attribute access; a page's ``.items`` is its list).

    The official SDK returns its generated HTTP client; this offers the same
    request methods (``get``, ``post``, ``put``, ``patch``, ``delete``) with
    ``params=`` (query) and ``body=`` (JSON). A path starting with ``/`` is
    taken from the base URL (``/api/v3.1/toolkits``); otherwise it is under
    the API prefix (``toolkits``). ``cast_to`` is accepted for call-site
    compatibility when it is ``object``, ``dict`` or ``list``. Not offered:
    the generated resource namespaces (``client.toolkits.list()``, ...)."""

    @property
    def base_url(self) -> str:
        """The API base URL in use."""
        return t.cast(str, self._native.base_url)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: t.Optional[t.Mapping[str, t.Any]] = None,
        body: t.Any = None,
        cast_to: t.Any = None,
    ) -> t.Any:
        """Any method."""
        if not isinstance(path, str) or not path:
            raise ValueError("path must be a non-empty str")
        if cast_to not in _CAST_OK:
            raise TypeError(f"cast_to={cast_to!r} is not supported; the parsed JSON is returned (use object or dict)")
        query = _query_pairs(params)
        return self._post(
            _native.raw_request(self._native, _require_str("method", method), path, query, body, aio=self._aio),
            _wrap_json,
        )

    def get(self, path: str, *, params: t.Optional[t.Mapping[str, t.Any]] = None, cast_to: t.Any = None) -> t.Any:
        """``GET path``."""
        return self.request("GET", path, params=params, cast_to=cast_to)

    def post(
        self, path: str, *, body: t.Any = None, params: t.Optional[t.Mapping[str, t.Any]] = None, cast_to: t.Any = None
    ) -> t.Any:
        """``POST path``."""
        return self.request("POST", path, params=params, body=body, cast_to=cast_to)

    def put(
        self, path: str, *, body: t.Any = None, params: t.Optional[t.Mapping[str, t.Any]] = None, cast_to: t.Any = None
    ) -> t.Any:
        """``PUT path``."""
        return self.request("PUT", path, params=params, body=body, cast_to=cast_to)

    def patch(
        self, path: str, *, body: t.Any = None, params: t.Optional[t.Mapping[str, t.Any]] = None, cast_to: t.Any = None
    ) -> t.Any:
        """``PATCH path``."""
        return self.request("PATCH", path, params=params, body=body, cast_to=cast_to)

    def delete(
        self, path: str, *, body: t.Any = None, params: t.Optional[t.Mapping[str, t.Any]] = None, cast_to: t.Any = None
    ) -> t.Any:
        """``DELETE path``."""
        return self.request("DELETE", path, params=params, body=body, cast_to=cast_to)

    def __repr__(self) -> str:
        return f"ComposioClient(base_url={self.base_url!r})"


def _wrap_json(value: t.Any) -> t.Any:
    # A page (an ``items`` list) gets ``Page`` so ``.items`` is the list.
    if type(value) is dict:
        return Page(value) if isinstance(value.get("items"), list) else AttrDict(value)
    if type(value) is list:
        return [AttrDict(v) if type(v) is dict else v for v in value]
    return value


def attach(
    native: t.Any,
    session_id: str,
    custom_tools: t.Optional[t.Sequence[t.Any]],
    custom_toolkits: t.Optional[t.Sequence[t.Any]],
    mcp: bool,
    aio: bool,
) -> t.Any:
    """The native call behind ``composio.use(session_id, custom_tools=,
    custom_toolkits=)``: attach when definitions are given, else restore."""
    from ._session_tools import split_experimental

    if not isinstance(mcp, bool):
        raise TypeError(f"mcp must be a bool, got {type(mcp).__name__}")
    _require_str("session_id", session_id)
    experimental: t.Dict[str, t.Any] = {}
    if custom_tools is not None:
        experimental["custom_tools"] = list(custom_tools) if isinstance(custom_tools, tuple) else custom_tools
    if custom_toolkits is not None:
        experimental["custom_toolkits"] = (
            list(custom_toolkits) if isinstance(custom_toolkits, tuple) else custom_toolkits
        )
    _, tool_specs, kit_specs = split_experimental(experimental)
    if not tool_specs and not kit_specs:
        return native.use_session(session_id, aio=aio)
    return _native.attach_session(native, session_id, tool_specs, kit_specs, aio=aio)
