//! Engine errors → Python exceptions.
//!
//! The exception classes are plain Python classes in
//! `composio_rs/exceptions.py`; this module imports the factory
//! `_from_native(code, message, status, request_id, suggested_fix, api_code,
//! errors)` once and raises what it returns, so the code → class table lives
//! in one readable place. A Python exception raised by a user callback
//! (custom tool, modifier) travels through the engine inside
//! `Error::Callback`'s payload and is re-raised as the very same object
//! (traceback included).

use std::sync::Arc;

use composio_core::{CallbackError, Error};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The payload a Python exception travels in through the engine.
pub struct PyCallbackPayload(pub Py<PyAny>);

/// Wraps a Python exception raised by user code as an engine error.
pub fn callback_error(py: Python<'_>, err: PyErr) -> Error {
    let message = format!("{}", err);
    let value: Py<PyAny> = err.into_value(py).into_any();
    Error::Callback(CallbackError::with_payload(message, Arc::new(PyCallbackPayload(value))))
}

/// Converts an engine error into the matching Python exception.
pub fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    if let Error::Callback(cb) = &err {
        if let Some(p) = cb.payload.as_ref().and_then(|p| p.downcast_ref::<PyCallbackPayload>()) {
            return PyErr::from_value(p.0.bind(py).clone());
        }
    }
    match build(py, &err) {
        Ok(e) => e,
        Err(import_failure) => {
            // The exceptions module could not be imported: still never lose
            // the message.
            let e = PyRuntimeError::new_err(format!("[{}] {}", err.code(), err));
            e.set_cause(py, Some(import_failure));
            e
        }
    }
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let factory = FACTORY.import(py, "composio_rs.exceptions", "_from_native")?;
    let api = err.api_error();
    let args = PyTuple::new(
        py,
        [
            err.code().into_pyobject(py)?.into_any(),
            err.to_string().into_pyobject(py)?.into_any(),
            err.status().into_pyobject(py)?.into_any(),
            err.request_id().into_pyobject(py)?.into_any(),
            err.suggested_fix().into_pyobject(py)?.into_any(),
            api.and_then(|a| a.api_code).into_pyobject(py)?.into_any(),
            api.map(|a| a.errors.clone()).unwrap_or_default().into_pyobject(py)?.into_any(),
        ],
    )?;
    let exc = factory.call1(args)?;
    if let Error::SessionConfigConflict { session_id, expected_config_version, session_config_id, .. } = err {
        exc.setattr("session_id", session_id)?;
        exc.setattr("expected_config_version", expected_config_version)?;
        exc.setattr("session_config_id", session_config_id)?;
    }
    Ok(PyErr::from_value(exc))
}

/// Shorthand: a validation error as a Python exception.
pub fn validation(py: Python<'_>, message: impl Into<String>) -> PyErr {
    to_pyerr(py, Error::validation(message))
}
