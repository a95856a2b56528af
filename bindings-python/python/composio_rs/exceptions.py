"""Exceptions raised by composio_rs.

Every error carries ``code`` (a stable string such as ``NOT_FOUND``),
``message``, ``status`` (HTTP status, when there was a response),
``request_id``, ``suggested_fix`` (from the API, when given) and
``api_code`` (Composio's numeric error code, when given).

The class names follow the official ``composio`` package (and, for HTTP
failures, the ``composio_client`` names such as ``NotFoundError`` /
``RateLimitError``, here suffixed where they would clash), so ``except``
clauses written for the official SDK keep working after the import change.
"""

from __future__ import annotations

import typing as t

__all__ = [
    "SessionConfigConflictError",
    "ComposioError",
    "ComposioClientError",
    "SDKError",
    "ValidationError",
    "InvalidParams",
    "InvalidConfigError",
    "NotFoundError",
    "ApiKeyError",
    "ApiKeyNotProvidedError",
    "ToolNotFoundError",
    "ToolVersionRequiredError",
    "ComposioSDKTimeoutError",
    "ConnectedAccountError",
    "ConnectedAccountNotFoundError",
    "ComposioMultipleConnectedAccountsError",
    "ConnectionRequestFailedError",
    "ConnectionRequestTimeoutError",
    "TriggerError",
    "WebhookSignatureVerificationError",
    "WebhookPayloadError",
    "TriggerSubscriptionError",
    "FileError",
    "FileUploadAbortedError",
    "HTTPError",
    "APIError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "APINotFoundError",
    "RequestTimeoutError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "APIConnectionError",
    "NetworkError",
    "APITimeoutError",
    "DecodeError",
    "CallbackError",
    "InternalError",
]


class ComposioError(Exception):
    """Base class of every composio_rs error."""

    code: str = "COMPOSIO_ERROR"

    def __init__(
        self,
        message: str = "",
        *args: t.Any,
        code: t.Optional[str] = None,
        status: t.Optional[int] = None,
        request_id: t.Optional[str] = None,
        suggested_fix: t.Optional[str] = None,
        api_code: t.Optional[int] = None,
        errors: t.Optional[t.List[str]] = None,
    ) -> None:
        super().__init__(message, *args)
        self.message = message
        if code is not None:
            self.code = code
        self.status = status
        self.request_id = request_id
        self.suggested_fix = suggested_fix
        self.api_code = api_code
        self.errors = list(errors or [])
        self.delegate = False

    @property
    def status_code(self) -> t.Optional[int]:
        """Alias of ``status`` (the official ``HTTPError`` name)."""
        return self.status

    def __reduce__(self) -> t.Any:
        return (
            _rebuild,
            (
                type(self),
                self.message,
                self.code,
                self.status,
                self.request_id,
                self.suggested_fix,
                self.api_code,
                self.errors,
            ),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r}, status={self.status!r})"


def _rebuild(
    cls: t.Type[ComposioError],
    message: str,
    code: t.Optional[str],
    status: t.Optional[int],
    request_id: t.Optional[str],
    suggested_fix: t.Optional[str],
    api_code: t.Optional[int],
    errors: t.Optional[t.List[str]],
) -> ComposioError:
    return cls(
        message,
        code=code,
        status=status,
        request_id=request_id,
        suggested_fix=suggested_fix,
        api_code=api_code,
        errors=errors,
    )


class ComposioClientError(ComposioError):
    """Errors of the client itself (configuration, usage)."""


class SDKError(ComposioError):
    """An SDK-side failure."""


class ValidationError(ComposioError):
    """An argument is invalid; the message names it."""

    code = "VALIDATION_ERROR"


class InvalidParams(ValidationError):
    """Invalid parameters (the official name)."""


class InvalidConfigError(ValidationError, ComposioClientError):
    """The client configuration is invalid (bad base URL, timeout, ...)."""

    code = "INVALID_CONFIG"


class NotFoundError(ComposioError):
    """Something that was looked up does not exist."""

    code = "NOT_FOUND"


class ApiKeyError(ComposioClientError):
    """API key problems."""


class ApiKeyNotProvidedError(ApiKeyError, NotFoundError):
    """No API key: pass ``api_key=`` or set ``COMPOSIO_API_KEY``."""

    code = "MISSING_API_KEY"


class ToolNotFoundError(NotFoundError):
    """A tool slug is unknown."""


class ToolVersionRequiredError(ComposioError):
    """A manual execution resolved to toolkit version ``latest``."""

    code = "TOOL_VERSION_REQUIRED"


class ComposioSDKTimeoutError(ComposioError, TimeoutError):
    """Something did not finish in time."""

    code = "TIMEOUT"


class ConnectedAccountError(ComposioError):
    """Connected-account problems."""


class ConnectedAccountNotFoundError(NotFoundError, ConnectedAccountError):
    """No connected account matched."""

    code = "CONNECTED_ACCOUNT_NOT_FOUND"


class ComposioMultipleConnectedAccountsError(ConnectedAccountError):
    """The user already has an ACTIVE account and ``allow_multiple`` is off."""

    code = "MULTIPLE_CONNECTED_ACCOUNTS"


class ConnectionRequestFailedError(ConnectedAccountError):
    """A connection request ended FAILED or EXPIRED."""

    code = "CONNECTION_REQUEST_FAILED"


class ConnectionRequestTimeoutError(ConnectionRequestFailedError, ComposioSDKTimeoutError):
    """A connection request did not become ACTIVE in time."""

    code = "CONNECTION_REQUEST_TIMEOUT"


class TriggerError(ComposioError):
    """Trigger problems."""


class WebhookSignatureVerificationError(TriggerError):
    """A webhook's signature, timestamp or headers did not verify."""

    code = "WEBHOOK_SIGNATURE_VERIFICATION_FAILED"


class WebhookPayloadError(TriggerError):
    """A webhook's body is not a payload this SDK understands."""

    code = "WEBHOOK_PAYLOAD_INVALID"


class TriggerSubscriptionError(TriggerError, ComposioClientError):
    """The realtime trigger subscription failed."""

    code = "REALTIME_ERROR"


class FileError(ComposioError):
    """A file upload or download failed."""

    code = "FILE_ERROR"


class FileUploadAbortedError(FileError):
    """A ``before_file_upload`` hook returned ``False``."""

    code = "FILE_UPLOAD_ABORTED"


class HTTPError(ComposioError):
    """Base of HTTP-level failures (official name)."""


class APIError(HTTPError):
    """The API could not be reached or answered with an error."""

    code = "API_ERROR"


class APIStatusError(APIError):
    """The API answered with an error status (``status``)."""


class BadRequestError(APIStatusError):
    """HTTP 400."""

    code = "BAD_REQUEST"


class AuthenticationError(APIStatusError):
    """HTTP 401 (wrong or revoked API key)."""

    code = "AUTHENTICATION_FAILED"


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""

    code = "PERMISSION_DENIED"


class APINotFoundError(APIStatusError, NotFoundError):
    """HTTP 404."""

    code = "NOT_FOUND"


class RequestTimeoutError(APIStatusError, ComposioSDKTimeoutError):
    """HTTP 408."""

    code = "REQUEST_TIMEOUT"


class ConflictError(APIStatusError):
    """HTTP 409."""

    code = "CONFLICT"


class SessionConfigConflictError(ConflictError):
    """A session ``update()`` was rejected with HTTP 409: the session
    configuration changed since it was read (a stale
    ``expected_config_version``). The session object is left unchanged;
    re-fetch it with ``composio.sessions.use(session_id)`` and retry."""

    code = "SESSION_CONFIG_CONFLICT"
    #: The session that was being updated.
    session_id: t.Optional[str] = None
    #: The version the update was conditioned on, if any.
    expected_config_version: t.Optional[int] = None
    #: The saved Session config the update applied, if any.
    session_config_id: t.Optional[str] = None


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""

    code = "UNPROCESSABLE_ENTITY"


class RateLimitError(APIStatusError):
    """HTTP 429."""

    code = "RATE_LIMITED"


class InternalServerError(APIStatusError):
    """HTTP 5xx."""

    code = "SERVER_ERROR"


class APIConnectionError(APIError):
    """The request could not be completed at the network level."""

    code = "NETWORK_ERROR"


NetworkError = APIConnectionError


class APITimeoutError(APIConnectionError, ComposioSDKTimeoutError):
    """The request did not finish within the configured timeout."""

    code = "TIMEOUT"


class DecodeError(APIError):
    """A response could not be decoded."""

    code = "DECODE_ERROR"


class CallbackError(ComposioError):
    """A user callback failed without a Python exception to re-raise."""

    code = "CALLBACK_ERROR"


class InternalError(SDKError):
    """A bug in composio_rs (including a caught Rust panic)."""

    code = "INTERNAL_ERROR"


_BY_CODE: t.Dict[str, t.Type[ComposioError]] = {
    "MISSING_API_KEY": ApiKeyNotProvidedError,
    "INVALID_CONFIG": InvalidConfigError,
    "VALIDATION_ERROR": InvalidParams,
    "BAD_REQUEST": BadRequestError,
    "AUTHENTICATION_FAILED": AuthenticationError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "REQUEST_TIMEOUT": RequestTimeoutError,
    "CONFLICT": ConflictError,
    "SESSION_CONFIG_CONFLICT": SessionConfigConflictError,
    "UNPROCESSABLE_ENTITY": UnprocessableEntityError,
    "RATE_LIMITED": RateLimitError,
    "SERVER_ERROR": InternalServerError,
    "API_ERROR": APIStatusError,
    "NETWORK_ERROR": APIConnectionError,
    "TIMEOUT": APITimeoutError,
    "DECODE_ERROR": DecodeError,
    "TOOL_VERSION_REQUIRED": ToolVersionRequiredError,
    "MULTIPLE_CONNECTED_ACCOUNTS": ComposioMultipleConnectedAccountsError,
    "CONNECTED_ACCOUNT_NOT_FOUND": ConnectedAccountNotFoundError,
    "CONNECTION_REQUEST_FAILED": ConnectionRequestFailedError,
    "CONNECTION_REQUEST_TIMEOUT": ConnectionRequestTimeoutError,
    "WEBHOOK_SIGNATURE_VERIFICATION_FAILED": WebhookSignatureVerificationError,
    "WEBHOOK_PAYLOAD_INVALID": WebhookPayloadError,
    "CALLBACK_ERROR": CallbackError,
    "REALTIME_ERROR": TriggerSubscriptionError,
    "FILE_ERROR": FileError,
    "INTERNAL_ERROR": InternalError,
}


def _from_native(
    code: str,
    message: str,
    status: t.Optional[int],
    request_id: t.Optional[str],
    suggested_fix: t.Optional[str],
    api_code: t.Optional[int],
    errors: t.List[str],
) -> ComposioError:
    """Builds the exception for an engine error (called from Rust)."""
    if code == "NOT_FOUND":
        cls: t.Type[ComposioError] = APINotFoundError if status is not None else NotFoundError
    elif code == "CONNECTED_ACCOUNT_NOT_FOUND" and status is not None:
        cls = type_for_api_connected_account_not_found()
    else:
        cls = _BY_CODE.get(code, ComposioError)
    return cls(
        message,
        code=code,
        status=status,
        request_id=request_id,
        suggested_fix=suggested_fix,
        api_code=api_code,
        errors=errors,
    )


class _APIConnectedAccountNotFoundError(ConnectedAccountNotFoundError, APIStatusError):
    """Composio error 1803 (an API answer)."""


def type_for_api_connected_account_not_found() -> t.Type[ComposioError]:
    return _APIConnectedAccountNotFoundError
