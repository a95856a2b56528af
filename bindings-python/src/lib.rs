//! `composio_rs._native`: the pyo3 extension behind the `composio_rs`
//! Python package.
//!
//! The engine is `composio-core`; this crate only converts values
//! (`convert`), maps errors to the Python exception classes (`errors`),
//! bridges async (`runtime`), forwards logs (`logging`) and calls back into
//! user code (`callbacks`). The Python-facing API shape lives in
//! `python/composio_rs/*.py`.

// Python-facing functions mirror the official SDK's keyword arguments.
#![allow(clippy::too_many_arguments)]

mod callbacks;
mod client;
mod convert;
mod errors;
mod fast;
mod json_py;
mod logging;
mod runtime;
mod tools_fast;
mod v31;

use pyo3::prelude::*;

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SOURCE", client::SOURCE)?;
    m.add_class::<client::NativeClient>()?;
    m.add_class::<client::NativeSession>()?;
    m.add_class::<client::NativeConnectionRequest>()?;
    m.add_class::<client::NativeTriggerSubscription>()?;
    m.add_class::<callbacks::NativeToolContext>()?;
    m.add_function(wrap_pyfunction!(client::verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(client::verify_webhook_headers, m)?)?;
    m.add_function(wrap_pyfunction!(fast::verify_webhook_event, m)?)?;
    m.add_function(wrap_pyfunction!(json_py::_decode_json_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(client::sign_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(client::parse_webhook_payload, m)?)?;
    m.add_function(wrap_pyfunction!(client::wrap_tools, m)?)?;
    m.add_function(wrap_pyfunction!(client::connection_state, m)?)?;
    m.add_function(wrap_pyfunction!(client::session_request_body, m)?)?;
    m.add_function(wrap_pyfunction!(client::_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(logging::set_log_level, m)?)?;
    m.add_function(wrap_pyfunction!(logging::_log_for_tests, m)?)?;
    v31::register(m)?;
    fast::register(m)?;
    Ok(())
}
