//! The v3.1 entry points (official Python SDK 0.30 / `@composio/core` 0.21):
//! `composio.use(session_id, custom_tools=, custom_toolkits=)` (session
//! attach), `composio.webhooks.endpoints`, `composio.session_configs` and
//! the raw client behind `composio.client`.
//!
//! These are module functions taking the `NativeClient` as their first
//! argument (rather than methods), so this file stays separate from
//! `client.rs`.

use std::collections::BTreeMap;

use composio_core::raw::RawRequest;
use composio_core::session_configs::SessionConfigListParams;
use pyo3::prelude::*;
use serde_json::Value;

use crate::client::{session_definitions, NativeClient, SessionToolSpec, SessionToolkitSpec};
use crate::convert::{from_py, opt_from_py, ser_to_py, to_py};
use crate::errors::validation;
use crate::runtime::run;

/// `POST tool_router/session/{id}/attach` with the given session custom
/// tools and toolkits (tool specs as for `NativeClient.create_session`,
/// each with its own `preload` flag); with none, `GET
/// tool_router/session/{id}`. Returns a `NativeSession`.
#[pyfunction]
#[pyo3(signature = (client, session_id, custom_tools=None, custom_toolkits=None, aio=false))]
pub fn attach_session(
    py: Python<'_>,
    client: &Bound<'_, NativeClient>,
    session_id: String,
    custom_tools: Option<Vec<SessionToolSpec>>,
    custom_toolkits: Option<Vec<SessionToolkitSpec>>,
    aio: bool,
) -> PyResult<Py<PyAny>> {
    let native = client.get();
    let (tools, kits) = session_definitions(py, custom_tools, custom_toolkits)?;
    let c = native.c();
    run(py, aio, async move { c.attach_session(&session_id, tools, kits).await }, native.session_with())
}

fn setup_data(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<BTreeMap<String, String>> {
    match from_py(data)? {
        Value::Object(m) => m
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k, s)),
                other => Err(validation(
                    py,
                    format!("data[{k:?}] must be a string, got {}", crate::convert::kind(&other)),
                )),
            })
            .collect(),
        other => Err(validation(py, format!("data must be a dict, got {}", crate::convert::kind(&other)))),
    }
}

/// `GET /webhook_endpoints` → `{"items": [...]}`.
#[pyfunction]
#[pyo3(signature = (client, toolkit_slug=None, aio=false))]
pub fn webhook_endpoints_list(
    py: Python<'_>,
    client: &Bound<'_, NativeClient>,
    toolkit_slug: Option<String>,
    aio: bool,
) -> PyResult<Py<PyAny>> {
    let c = client.get().c();
    run(py, aio, async move { c.webhook_endpoints().list(toolkit_slug.as_deref()).await }, |py, items| {
        ser_to_py(py, &serde_json::json!({ "items": items }))
    })
}

/// `GET /webhook_endpoints/{nano_id}`.
#[pyfunction]
#[pyo3(signature = (client, nano_id, aio=false))]
pub fn webhook_endpoints_get(
    py: Python<'_>,
    client: &Bound<'_, NativeClient>,
    nano_id: String,
    aio: bool,
) -> PyResult<Py<PyAny>> {
    let c = client.get().c();
    run(py, aio, async move { c.webhook_endpoints().get(&nano_id).await }, |py, e| ser_to_py(py, &e))
}

/// `POST /webhook_endpoints`.
#[pyfunction]
#[pyo3(signature = (client, toolkit_slug, client_id, aio=false))]
pub fn webhook_endpoints_create(
    py: Python<'_>,
    client: &Bound<'_, NativeClient>,
    toolkit_slug: String,
    client_id: String,
    aio: bool,
) -> PyResult<Py<PyAny>> {
    let c = client.get().c();
    run(py, aio, async move { c.webhook_endpoints().create(&toolkit_slug, &client_id).await }, |py, e| {
        ser_to_py(py, &e)
    })
}

/// `POST /webhook_endpoints/{nano_id}` (`replace`) or `PATCH` (`update`, when
/// `merge`).
#[pyfunction]
#[pyo3(signature = (client, nano_id, data, merge, aio=false))]
pub fn webhook_endpoints_set_data(
    py: Python<'_>,
    client: &Bound<'_, NativeClient>,
    nano_id: String,
    data: Bound<'_, PyAny>,
    merge: bool,
    aio: bool,
) -> PyResult<Py<PyAny>> {
    let data = setup_data(py, &data)?;
    let c = client.get().c();
    run(
        py,
        aio,
        async move {
            let endpoints = c.webhook_endpoints();
            if merge {
                endpoints.update(&nano_id, data).await
            } else {
                endpoints.replace(&nano_id, data).await
            }
        },
        |py, e| ser_to_py(py, &e),
    )
}

/// `GET /session_configs` → `{"items": [...], "next_cursor": ...}`.
#[pyfunction]
#[pyo3(signature = (client, search=None, archived=None, limit=None, cursor=None, aio=false))]
pub fn session_configs_list(
    py: Python<'_>,
    client: &Bound<'_, NativeClient>,
    search: Option<String>,
    archived: Option<bool>,
    limit: Option<u32>,
    cursor: Option<String>,
    aio: bool,
) -> PyResult<Py<PyAny>> {
    let params = SessionConfigListParams { search, archived, limit, cursor };
    let c = client.get().c();
    run(py, aio, async move { c.session_configs().list(params).await }, |py, p| ser_to_py(py, &p))
}

/// `GET /session_configs/{id}`.
#[pyfunction]
#[pyo3(signature = (client, id, aio=false))]
pub fn session_configs_get(
    py: Python<'_>,
    client: &Bound<'_, NativeClient>,
    id: String,
    aio: bool,
) -> PyResult<Py<PyAny>> {
    let c = client.get().c();
    run(py, aio, async move { c.session_configs().get(&id).await }, |py, s| ser_to_py(py, &s))
}

/// A raw API call (`composio.client`): `query` is a list of `(key, value)`
/// pairs, `body` any JSON value. Returns the parsed JSON answer.
#[pyfunction]
#[pyo3(signature = (client, method, path, query=None, body=None, aio=false))]
pub fn raw_request(
    py: Python<'_>,
    client: &Bound<'_, NativeClient>,
    method: String,
    path: String,
    query: Option<Vec<(String, String)>>,
    body: Option<Bound<'_, PyAny>>,
    aio: bool,
) -> PyResult<Py<PyAny>> {
    let mut request = RawRequest::new(method, path);
    request.query = query.unwrap_or_default();
    request.body = opt_from_py(body.as_ref())?;
    let c = client.get().c();
    run(py, aio, async move { c.raw_request(request).await }, |py, v| to_py(py, &v))
}

/// Registers this module's functions on `_native`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(attach_session, m)?)?;
    m.add_function(wrap_pyfunction!(webhook_endpoints_list, m)?)?;
    m.add_function(wrap_pyfunction!(webhook_endpoints_get, m)?)?;
    m.add_function(wrap_pyfunction!(webhook_endpoints_create, m)?)?;
    m.add_function(wrap_pyfunction!(webhook_endpoints_set_data, m)?)?;
    m.add_function(wrap_pyfunction!(session_configs_list, m)?)?;
    m.add_function(wrap_pyfunction!(session_configs_get, m)?)?;
    m.add_function(wrap_pyfunction!(raw_request, m)?)?;
    Ok(())
}
