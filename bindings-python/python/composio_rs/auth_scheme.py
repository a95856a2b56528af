"""Connection-state builders for ``connected_accounts.initiate(config=...)``
(the official ``auth_scheme`` helper). Each returns the state dict with the
engine's default ``status`` rules."""

from __future__ import annotations

import typing as t

__all__ = [
    "oauth2",
    "oauth1",
    "composio_link",
    "api_key",
    "basic",
    "bearer_token",
    "google_service_account",
    "no_auth",
    "calcom_auth",
    "billcom_auth",
    "basic_with_jwt",
    "AuthScheme",
]


def _state(scheme: str, options: t.Optional[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
    from . import _native

    return t.cast(t.Dict[str, t.Any], _native.connection_state(scheme, options or {}))


def oauth2(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``OAUTH2`` (ACTIVE when ``access_token`` is given)."""
    return _state("oauth2", options)


def oauth1(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``OAUTH1``."""
    return _state("oauth1", options)


def composio_link(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``COMPOSIO_LINK``."""
    return _state("composio_link", options)


def api_key(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``API_KEY``."""
    return _state("api_key", options)


def basic(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``BASIC``."""
    return _state("basic", options)


def bearer_token(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``BEARER_TOKEN``."""
    return _state("bearer_token", options)


def google_service_account(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``GOOGLE_SERVICE_ACCOUNT``."""
    return _state("google_service_account", options)


def no_auth(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``NO_AUTH``."""
    return _state("no_auth", options)


def calcom_auth(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``CALCOM_AUTH``."""
    return _state("calcom_auth", options)


def billcom_auth(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``BILLCOM_AUTH``."""
    return _state("billcom_auth", options)


def basic_with_jwt(options: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """``BASIC_WITH_JWT``."""
    return _state("basic_with_jwt", options)


class AuthScheme:
    """Static-method form of the same builders (TS ``AuthScheme.*`` style)."""

    oauth2 = staticmethod(oauth2)
    oauth1 = staticmethod(oauth1)
    composio_link = staticmethod(composio_link)
    api_key = staticmethod(api_key)
    basic = staticmethod(basic)
    bearer_token = staticmethod(bearer_token)
    google_service_account = staticmethod(google_service_account)
    no_auth = staticmethod(no_auth)
    calcom_auth = staticmethod(calcom_auth)
    billcom_auth = staticmethod(billcom_auth)
    basic_with_jwt = staticmethod(basic_with_jwt)
