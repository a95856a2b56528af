//! `ComposioError`: every engine error (and every unexpected callback
//! failure) as one uniffi error enum.
//!
//! The Swift layer adds `code`, `message`, `status` and `requestId`
//! accessors over all cases.

use std::sync::Arc;

use composio_core::{CallbackError, Error as CoreError};

/// The id under which the Swift layer keeps an error thrown by user code
/// in a callback, carried through the engine in `Error::Callback`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwiftErrorId(pub u64);

/// An error from composio-rs.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ComposioError {
    /// The API answered with an error status.
    #[error("{message}")]
    Api {
        /// Stable code (`NOT_FOUND`, `AUTHENTICATION_FAILED`, ...).
        code: String,
        /// Human-readable message.
        message: String,
        /// HTTP status.
        status: u16,
        /// Request id of the failed request.
        request_id: Option<String>,
        /// The API's suggested fix, if any.
        suggested_fix: Option<String>,
    },
    /// An argument was invalid (or the configuration is).
    #[error("{message}")]
    Validation {
        /// Stable code (`VALIDATION_ERROR`, `INVALID_CONFIG`, `MISSING_API_KEY`, ...).
        code: String,
        /// What is wrong, naming the argument.
        message: String,
    },
    /// A webhook did not verify or its payload is not understood.
    #[error("{message}")]
    Webhook {
        /// `WEBHOOK_SIGNATURE_VERIFICATION_FAILED` or `WEBHOOK_PAYLOAD_INVALID`.
        code: String,
        /// Why.
        message: String,
    },
    /// User code in a callback (custom tool, modifier) failed. The Swift
    /// layer rethrows the original error when `callback_id` names one.
    #[error("{message}")]
    Callback {
        /// The error's description.
        message: String,
        /// The Swift layer's id of the thrown error.
        callback_id: Option<u64>,
    },
    /// A session update was rejected with HTTP 409: the configuration
    /// changed since it was read (`SESSION_CONFIG_CONFLICT`).
    #[error("{message}")]
    SessionConfigConflict {
        /// Human-readable message naming the session.
        message: String,
        /// HTTP status (409).
        status: u16,
        /// Request id of the failed request.
        request_id: Option<String>,
        /// The session that was being updated.
        session_id: String,
        /// The version the update was conditioned on, if any.
        expected_config_version: Option<i64>,
        /// The saved Session config the update applied, if any.
        session_config_id: Option<String>,
    },
    /// Any other failure (network, timeout, connection, not found, ...).
    #[error("{message}")]
    Other {
        /// Stable code.
        code: String,
        /// Human-readable message.
        message: String,
        /// HTTP status, when a response was received.
        status: Option<u16>,
        /// Request id, when a request was sent.
        request_id: Option<String>,
    },
}

impl From<CoreError> for ComposioError {
    fn from(err: CoreError) -> Self {
        let code = err.code().to_string();
        let message = err.to_string();
        match &err {
            CoreError::Api(api) => ComposioError::Api {
                code,
                message,
                status: api.status,
                request_id: api.request_id.clone(),
                suggested_fix: api.suggested_fix.clone(),
            },
            CoreError::MissingApiKey | CoreError::InvalidConfig { .. } | CoreError::Validation { .. } => {
                ComposioError::Validation { code, message }
            }
            CoreError::WebhookSignature { .. } | CoreError::WebhookPayload { .. } => {
                ComposioError::Webhook { code, message }
            }
            CoreError::SessionConfigConflict {
                session_id,
                expected_config_version,
                session_config_id,
                api,
                ..
            } => ComposioError::SessionConfigConflict {
                message,
                status: api.status,
                request_id: api.request_id.clone(),
                session_id: session_id.clone(),
                expected_config_version: *expected_config_version,
                session_config_id: session_config_id.clone(),
            },
            CoreError::Callback(cb) => ComposioError::Callback {
                message: cb.message.clone(),
                callback_id: cb
                    .payload
                    .as_ref()
                    .and_then(|p| p.downcast_ref::<SwiftErrorId>())
                    .map(|id| id.0),
            },
            _ => ComposioError::Other {
                code,
                status: err.status(),
                request_id: err.request_id().map(str::to_string),
                message,
            },
        }
    }
}

/// An error returned by a Swift callback, as an engine error.
impl From<ComposioError> for CoreError {
    fn from(err: ComposioError) -> Self {
        match err {
            ComposioError::Callback { message, callback_id: Some(id) } => {
                CoreError::Callback(CallbackError::with_payload(message, Arc::new(SwiftErrorId(id))))
            }
            other => CoreError::Callback(CallbackError::new(other.to_string())),
        }
    }
}

/// A Swift callback that failed in a way its signature does not declare.
impl From<uniffi::UnexpectedUniFFICallbackError> for ComposioError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        ComposioError::Callback {
            message: format!("unexpected callback failure: {}", err.reason),
            callback_id: None,
        }
    }
}

/// Result of an export.
pub type FfiResult<T> = Result<T, ComposioError>;
