"""Webhook helpers: event types, connection statuses, verification results."""

from __future__ import annotations

import typing as t
from enum import Enum

from ._types import AttrDict

__all__ = [
    "WebhookEventType",
    "WebhookVersion",
    "ConnectionStatusEnum",
    "WebhookEvent",
    "VerifiedWebhook",
    "is_connection_expired_event",
    "verify_webhook",
    "sign_webhook",
]


class WebhookEventType(str, Enum):
    """Known webhook event types (the V3 envelope's ``type``)."""

    CONNECTION_EXPIRED = "composio.connected_account.expired"
    TRIGGER_MESSAGE = "composio.trigger.message"


class WebhookVersion(str, Enum):
    """Detected webhook payload version."""

    V1 = "V1"
    V2 = "V2"
    V3 = "V3"


_VERSIONS: t.Dict[str, WebhookVersion] = {v.value: v for v in WebhookVersion}


class ConnectionStatusEnum(str, Enum):
    """Connection status values."""

    INITIALIZING = "INITIALIZING"
    INITIATED = "INITIATED"
    ACTIVE = "ACTIVE"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"
    INACTIVE = "INACTIVE"
    REVOKED = "REVOKED"


class WebhookEvent(AttrDict):
    """A normalised trigger event (``id``, ``user_id``, ``toolkit_slug``,
    ``trigger_slug``, ``payload``, ``metadata``, ...)."""

    __slots__ = ()


class VerifiedWebhook(AttrDict):
    """``{"version", "payload", "raw_payload"}`` with attribute access."""

    __slots__ = ()

    def __init__(self, version: str, payload: t.Any, raw_payload: t.Any) -> None:
        # Plain item stores and a dict lookup of the version member: this runs
        # once per verified webhook, so it avoids the Enum call and kwargs.
        self["version"] = _VERSIONS.get(version) or WebhookVersion(version)
        self["payload"] = payload
        self["raw_payload"] = raw_payload


def is_connection_expired_event(payload: t.Any) -> bool:
    """Whether a parsed webhook body is a connected-account-expired event."""
    return isinstance(payload, dict) and payload.get("type") == WebhookEventType.CONNECTION_EXPIRED.value


def verify_webhook(
    *,
    id: str,
    payload: str,
    secret: str,
    signature: str,
    timestamp: str,
    tolerance: int = 300,
) -> VerifiedWebhook:
    """Verifies a webhook without a client (same as ``triggers.verify_webhook``)."""
    from . import _native

    return t.cast(VerifiedWebhook, _native.verify_webhook_event(id, payload, secret, signature, timestamp, tolerance))


def sign_webhook(id: str, timestamp: str, payload: str, secret: str) -> str:
    """The ``webhook-signature`` value for a body (``v1,<base64>``)."""
    from . import _native

    return t.cast(str, _native.sign_webhook(id, timestamp, payload, secret))
