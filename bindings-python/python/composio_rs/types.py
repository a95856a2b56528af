"""Type names the official SDK exposes in ``composio.types`` (for
annotations in user code; at runtime the values are dicts)."""

from __future__ import annotations

import typing as t

from ._types import AttrDict

__all__ = [
    "Tool",
    "ToolExecuteParams",
    "ToolExecutionResponse",
    "ExecuteRequestFn",
    "Modifiers",
]

Tool = AttrDict
"""A raw tool schema (dict with attribute access)."""


class ToolExecuteParams(t.TypedDict, total=False):
    """What before-execute modifiers receive and return."""

    arguments: t.Dict[str, t.Any]
    user_id: str
    connected_account_id: str
    custom_auth_params: t.Dict[str, t.Any]
    custom_connection_data: t.Dict[str, t.Any]
    version: str
    text: str
    dangerously_skip_version_check: bool


class ToolExecutionResponse(t.TypedDict, total=False):
    """What ``tools.execute`` returns and after-execute modifiers receive."""

    data: t.Any
    error: t.Optional[str]
    successful: bool


ExecuteRequestFn = t.Callable[..., t.Any]
"""``execute_request(endpoint, method, body=None, parameters=None)`` given to toolkit custom tools."""

Modifiers = t.List[t.Any]
