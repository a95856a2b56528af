"""composio_rs: the Composio SDK for Python on a Rust engine.

A drop-in for the official ``composio`` package: change
``from composio import Composio`` to ``from composio_rs import Composio``.

Names are imported lazily (PEP 562), so ``import composio_rs`` loads
neither the native extension nor any submodule until a name is used.
"""

from __future__ import annotations

import importlib
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    import typing as t

__version__ = "0.1.0"

_LAZY: "t.Dict[str, str]" = {
    "Composio": "._client",
    "ToolRouterSession": "._client",
    "ConnectionRequest": "._client",
    "AsyncComposio": "._async",
    "AttrDict": "._types",
    "CustomTool": "._custom_tools",
    "Modifier": "._modifiers",
    "Modifiers": "._modifiers",
    "schema_modifier": "._modifiers",
    "before_execute": "._modifiers",
    "after_execute": "._modifiers",
    "before_execute_meta": "._modifiers",
    "after_execute_meta": "._modifiers",
    "before_file_upload": "._modifiers",
    "BeforeFileUploadContext": "._modifiers",
    "DeclarativeModifier": "._modifiers",
    "HideParameter": "._modifiers",
    "RenameParameter": "._modifiers",
    "SetDefault": "._modifiers",
    "FixValue": "._modifiers",
    "MakeRequired": "._modifiers",
    "ReplaceDescription": "._modifiers",
    "AppendDescription": "._modifiers",
    "SetParameterDescription": "._modifiers",
    "KeepResultFields": "._modifiers",
    "Provider": ".providers",
    "AgenticProvider": ".providers",
    "NonAgenticProvider": ".providers",
    "TriggerSubscription": "._triggers",
    "AsyncTriggerSubscription": "._triggers",
    "OpenAIProvider": ".providers",
    "OpenAIResponsesProvider": ".providers",
    "AnthropicProvider": ".providers",
    "GoogleProvider": ".providers",
    "GeminiProvider": ".providers",
    "WebhookEventType": ".webhooks",
    "WebhookVersion": ".webhooks",
    "ConnectionStatusEnum": ".webhooks",
    "WebhookEvent": ".webhooks",
    "VerifiedWebhook": ".webhooks",
    "is_connection_expired_event": ".webhooks",
    "AuthScheme": ".auth_scheme",
}

_SUBMODULES = ("auth_scheme", "exceptions", "langchain", "providers", "webhooks")

__all__ = sorted([*_LAZY, *_SUBMODULES, "set_log_level", "__version__"])

# `logging` is imported only when needed (it is the costliest import here).
if os.environ.get("COMPOSIO_LOGGING_LEVEL"):
    import logging as _logging

    _logging.getLogger("composio_rs").setLevel(os.environ["COMPOSIO_LOGGING_LEVEL"].upper())


def set_log_level(level: "t.Union[int, str]") -> None:
    """Sets the ``composio_rs`` logger level and what the engine forwards."""
    import logging

    logger = logging.getLogger("composio_rs")
    logger.setLevel(level.upper() if isinstance(level, str) else level)
    from . import _native

    _native.set_log_level(logger.getEffectiveLevel())


def __getattr__(name: str) -> "t.Any":
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'composio_rs' has no attribute {name!r}")


def __dir__() -> "t.List[str]":
    return __all__


if TYPE_CHECKING:
    from . import auth_scheme, exceptions, langchain, providers, webhooks
    from ._async import AsyncComposio
    from ._client import Composio, ConnectionRequest, ToolRouterSession
    from ._custom_tools import CustomTool
    from ._triggers import AsyncTriggerSubscription, TriggerSubscription
    from ._modifiers import (
        AppendDescription,
        BeforeFileUploadContext,
        DeclarativeModifier,
        FixValue,
        HideParameter,
        KeepResultFields,
        MakeRequired,
        Modifier,
        Modifiers,
        RenameParameter,
        ReplaceDescription,
        SetDefault,
        SetParameterDescription,
        after_execute,
        after_execute_meta,
        before_execute,
        before_execute_meta,
        before_file_upload,
        schema_modifier,
    )
    from ._types import AttrDict
    from .auth_scheme import AuthScheme
    from .providers import (
        AgenticProvider,
        AnthropicProvider,
        GeminiProvider,
        GoogleProvider,
        NonAgenticProvider,
        OpenAIProvider,
        OpenAIResponsesProvider,
        Provider,
    )
    from .webhooks import (
        ConnectionStatusEnum,
        VerifiedWebhook,
        WebhookEvent,
        WebhookEventType,
        WebhookVersion,
        is_connection_expired_event,
    )
