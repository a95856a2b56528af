//! Adapters from Python callables to the engine's callback traits
//! (modifiers, file-upload hooks, custom tools).
//!
//! Every call into Python runs on the runtime's blocking pool with the GIL
//! taken there (never on a tokio worker, never while a Rust caller holds the
//! GIL). A Python exception comes back as `Error::Callback` carrying the
//! exception object, which `errors::to_pyerr` re-raises unchanged.

use std::sync::Arc;

use async_trait::async_trait;
use composio_core::custom_tools::{CustomTool, CustomToolContext, CustomToolHandler};
use composio_core::files::BeforeFileUpload;
use composio_core::models::{Tool, ToolExecuteParams, ToolExecuteResponse};
use composio_core::modifiers::{
    AfterExecute, BeforeExecute, DeclarativeModifier, Modifier, ModifierFilter, ModifierKind, Modifiers,
    SchemaModifier,
};
use composio_core::tools::{ProxyParameter, ProxyParameterIn, ProxyParams};
use composio_core::{Error, Result};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use serde_json::{Map, Value};

use crate::convert::{from_py, opt_from_py, to_py};
use crate::errors::{callback_error, to_pyerr};
use crate::runtime::{block_on, call_python};

/// A Python callable shared with engine tasks.
#[derive(Clone)]
pub struct PyFn(Arc<Py<PyAny>>);

impl PyFn {
    /// Wraps a callable.
    pub fn new(f: Py<PyAny>) -> Self {
        Self(Arc::new(f))
    }

    /// Calls it with JSON-converted arguments on the blocking pool and
    /// converts the result back.
    async fn call<A>(&self, args: A) -> Result<Value>
    where
        A: for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyTuple>> + Send + 'static,
    {
        let f = self.0.clone();
        call_python(move |py| {
            let r = args(py).and_then(|a| f.bind(py).call1(a)).and_then(|out| from_py(&out));
            r.map_err(|e| callback_error(py, e))
        })
        .await
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::internal(format!("could not serialise for a callback: {e}")))
}

fn from_value<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Result<T> {
    serde_json::from_value(v).map_err(|e| Error::validation(format!("{what} returned an invalid value: {e}")))
}

fn args3(
    tool: &str,
    toolkit: &str,
    data: Value,
) -> impl for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
    let (tool, toolkit) = (tool.to_string(), toolkit.to_string());
    move |py| {
        let d = to_py(py, &data)?;
        PyTuple::new(
            py,
            [tool.into_pyobject(py)?.into_any().unbind(), toolkit.into_pyobject(py)?.into_any().unbind(), d],
        )
    }
}

fn args4(
    tool: &str,
    toolkit: &str,
    session_id: &str,
    data: Value,
) -> impl for<'py> FnOnce(Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
    let (tool, toolkit, session_id) = (tool.to_string(), toolkit.to_string(), session_id.to_string());
    move |py| {
        let d = to_py(py, &data)?;
        PyTuple::new(
            py,
            [
                tool.into_pyobject(py)?.into_any().unbind(),
                toolkit.into_pyobject(py)?.into_any().unbind(),
                session_id.into_pyobject(py)?.into_any().unbind(),
                d,
            ],
        )
    }
}

struct PySchema(PyFn);
struct PyBefore(PyFn);
struct PyAfter(PyFn);
/// A before-execute modifier in a session: `before_execute` (no session
/// id) or `before_execute_meta` (given the session id). Either sees only
/// `{"arguments": ...}`, and only `arguments` is read back (the session
/// endpoints take nothing else), as in the official SDK's session path.
struct PySessionBefore(PyFn, Option<String>);
/// `after_execute_meta`, bound to the session it runs in.
struct PyAfterMeta(PyFn, String);
/// The Python layer's combined `before_file_upload` chain:
/// `fn(path, source, tool, toolkit) -> str` (it raises
/// `FileUploadAbortedError` itself when a hook returned `False`).
struct PyFileUpload(PyFn);

#[async_trait]
impl SchemaModifier for PySchema {
    async fn modify_schema(&self, tool: &str, toolkit: &str, schema: Tool) -> Result<Tool> {
        let out = self.0.call(args3(tool, toolkit, to_value(&schema)?)).await?;
        from_value(out, "schema modifier")
    }
}

#[async_trait]
impl BeforeExecute for PyBefore {
    async fn before_execute(
        &self,
        tool: &str,
        toolkit: &str,
        params: ToolExecuteParams,
    ) -> Result<ToolExecuteParams> {
        let out = self.0.call(args3(tool, toolkit, to_value(&params)?)).await?;
        from_value(out, "before_execute modifier")
    }
}

#[async_trait]
impl AfterExecute for PyAfter {
    async fn after_execute(
        &self,
        tool: &str,
        toolkit: &str,
        response: ToolExecuteResponse,
    ) -> Result<ToolExecuteResponse> {
        let out = self.0.call(args3(tool, toolkit, to_value(&response)?)).await?;
        from_value(out, "after_execute modifier")
    }
}

#[async_trait]
impl BeforeExecute for PySessionBefore {
    async fn before_execute(
        &self,
        tool: &str,
        toolkit: &str,
        mut params: ToolExecuteParams,
    ) -> Result<ToolExecuteParams> {
        let arg = serde_json::json!({ "arguments": std::mem::take(&mut params.arguments) });
        let (mut out, what) = match &self.1 {
            Some(sid) => (self.0.call(args4(tool, toolkit, sid, arg)).await?, "before_execute_meta"),
            None => (self.0.call(args3(tool, toolkit, arg)).await?, "before_execute"),
        };
        let Some(obj) = out.as_object_mut() else {
            return Err(Error::validation(format!(
                "{what} modifier must return a dict with \"arguments\", got {}",
                crate::convert::kind(&out)
            )));
        };
        params.arguments = match obj.remove("arguments") {
            Some(Value::Object(m)) => m,
            Some(other) => {
                return Err(Error::validation(format!(
                    "{what} modifier returned \"arguments\" of type {}, expected a dict",
                    crate::convert::kind(&other)
                )))
            }
            None => {
                return Err(Error::validation(format!(
                    "{what} modifier returned a dict without \"arguments\""
                )))
            }
        };
        Ok(params)
    }
}

#[async_trait]
impl AfterExecute for PyAfterMeta {
    async fn after_execute(
        &self,
        tool: &str,
        toolkit: &str,
        response: ToolExecuteResponse,
    ) -> Result<ToolExecuteResponse> {
        let out = self.0.call(args4(tool, toolkit, &self.1, to_value(&response)?)).await?;
        from_value(out, "after_execute_meta modifier")
    }
}

#[async_trait]
impl BeforeFileUpload for PyFileUpload {
    async fn before_file_upload(
        &self,
        path: &str,
        source: &str,
        tool: &str,
        toolkit: &str,
    ) -> Result<String> {
        let args = [path, source, tool, toolkit].map(str::to_string);
        let out = self.0.call(move |py| PyTuple::new(py, args)).await?;
        match out {
            Value::String(s) => Ok(s),
            other => Err(Error::validation(format!(
                "before_file_upload must return a path or URL string, got {}",
                crate::convert::kind(&other)
            ))),
        }
    }
}

/// Builds the engine's modifier list from the Python layer's normalised
/// form: a list of `(kind, payload, tools, toolkits)` tuples where kind is
/// `schema`, `before_execute`, `after_execute`, `before_execute_meta`,
/// `after_execute_meta`, `before_file_upload` (payload: a callable) or
/// `declarative` (payload: a dict such as `{"type": "hide_parameter", "name": "x"}`).
/// The `before_file_upload` chain becomes the list's file-upload hook,
/// which the engine's execute pipeline runs in its upload stage.
pub fn build_modifiers(py: Python<'_>, spec: Option<&Bound<'_, PyAny>>) -> PyResult<Modifiers> {
    build_session_modifiers(py, spec, None)
}

/// [`build_modifiers`] for a session. The meta modifiers
/// (`before_execute_meta` / `after_execute_meta`) run only where a session
/// is known (`session_id`); elsewhere they pass data through, as in the
/// official SDK, which never applies them outside sessions either. In a
/// session, before-execute modifiers see only `{"arguments": ...}`.
pub fn build_session_modifiers(
    py: Python<'_>,
    spec: Option<&Bound<'_, PyAny>>,
    session_id: Option<&str>,
) -> PyResult<Modifiers> {
    let mut out = Modifiers::new();
    let Some(spec) = spec.filter(|s| !s.is_none()) else { return Ok(out) };
    let list =
        spec.cast::<PyList>().map_err(|_| to_pyerr(py, Error::validation("modifiers must be a list")))?;
    for item in list.iter() {
        let (kind, payload, tools, toolkits): (String, Bound<'_, PyAny>, Vec<String>, Vec<String>) =
            item.extract()?;
        let filter = ModifierFilter { tools, toolkits };
        let kind = match kind.as_str() {
            "schema" => ModifierKind::Schema(Arc::new(PySchema(PyFn::new(payload.unbind())))),
            "before_execute" => {
                let f = PyFn::new(payload.unbind());
                match session_id {
                    Some(_) => ModifierKind::BeforeExecute(Arc::new(PySessionBefore(f, None))),
                    None => ModifierKind::BeforeExecute(Arc::new(PyBefore(f))),
                }
            }
            "after_execute" => ModifierKind::AfterExecute(Arc::new(PyAfter(PyFn::new(payload.unbind())))),
            "before_execute_meta" | "after_execute_meta" => {
                let Some(sid) = session_id else { continue };
                let f = PyFn::new(payload.unbind());
                if kind == "before_execute_meta" {
                    ModifierKind::BeforeExecute(Arc::new(PySessionBefore(f, Some(sid.to_string()))))
                } else {
                    ModifierKind::AfterExecute(Arc::new(PyAfterMeta(f, sid.to_string())))
                }
            }
            "before_file_upload" => {
                if out.before_file_upload().is_some() {
                    return Err(to_pyerr(py, Error::validation("more than one before_file_upload chain")));
                }
                out.set_before_file_upload(Some(Arc::new(PyFileUpload(PyFn::new(payload.unbind())))));
                continue;
            }
            "declarative" => {
                let d: DeclarativeModifier = serde_json::from_value(from_py(&payload)?).map_err(|e| {
                    to_pyerr(py, Error::validation(format!("invalid declarative modifier: {e}")))
                })?;
                ModifierKind::Declarative(d)
            }
            other => {
                return Err(to_pyerr(py, Error::validation(format!("unknown modifier kind {other:?}"))));
            }
        };
        out.push(Modifier { filter, kind });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Custom tools

struct PyCustomTool(PyFn);

#[async_trait]
impl CustomToolHandler for PyCustomTool {
    async fn execute(&self, arguments: Map<String, Value>, ctx: CustomToolContext) -> Result<Value> {
        self.0
            .call(move |py| {
                let args = to_py(py, &Value::Object(arguments))?;
                let ctx = Py::new(py, NativeToolContext { ctx })?.into_any();
                PyTuple::new(py, [args, ctx])
            })
            .await
    }
}

/// Builds a custom tool whose handler is `func(arguments: dict, ctx) -> data`.
pub fn custom_tool(
    slug: String,
    name: String,
    description: String,
    toolkit: Option<String>,
    input_parameters: Value,
    func: Py<PyAny>,
) -> Result<CustomTool> {
    let mut tool = CustomTool::new(slug, name, description, input_parameters, PyCustomTool(PyFn::new(func)))?;
    if let Some(t) = toolkit {
        tool = tool.with_toolkit(t);
    }
    Ok(tool)
}

/// What a custom tool is given besides its arguments: the user, the
/// connected account of its toolkit, and an authenticated proxy.
#[pyclass(module = "composio_rs._native", name = "ToolContext", frozen)]
pub struct NativeToolContext {
    ctx: CustomToolContext,
}

#[pymethods]
impl NativeToolContext {
    /// The user the tool runs for.
    #[getter]
    fn user_id(&self) -> Option<String> {
        self.ctx.user_id.clone()
    }

    /// The connected account (dict) for toolkit-based tools.
    #[getter]
    fn connected_account(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match &self.ctx.connected_account {
            Some(v) => to_py(py, v),
            None => Ok(py.None()),
        }
    }

    /// Sends a request through the connected account (`tools.proxy`).
    #[pyo3(signature = (endpoint, method, body=None, parameters=None, connected_account_id=None))]
    fn proxy(
        &self,
        py: Python<'_>,
        endpoint: String,
        method: String,
        body: Option<Bound<'_, PyAny>>,
        parameters: Option<Bound<'_, PyAny>>,
        connected_account_id: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let mut params = ProxyParams::new(method, endpoint);
        params.body = opt_from_py(body.as_ref())?;
        params.parameters = proxy_parameters(py, parameters.as_ref())?;
        params.connected_account_id = connected_account_id;
        let ctx = self.ctx.clone();
        block_on(py, async move { ctx.proxy(params).await }, |py, r| crate::convert::ser_to_py(py, &r))
    }

    /// The tool-router session the tool runs in (`None` outside sessions).
    #[getter]
    fn session_id(&self) -> Option<String> {
        self.ctx.session_id().map(str::to_owned)
    }

    /// Runs another tool in the session: a local tool in-process, anything
    /// else through `POST /tool_router/session/{id}/execute`.
    #[pyo3(signature = (tool_slug, arguments=None))]
    fn execute(
        &self,
        py: Python<'_>,
        tool_slug: String,
        arguments: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let arguments = match opt_from_py(arguments.as_ref())? {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(_) => return Err(to_pyerr(py, Error::validation("ctx.execute arguments must be a dict"))),
        };
        let ctx = self.ctx.clone();
        block_on(py, async move { ctx.execute(&tool_slug, arguments).await }, |py, r| {
            crate::convert::ser_to_py(py, &r)
        })
    }

    /// A request to a toolkit's API through the session's connected account
    /// (`POST /tool_router/session/{id}/proxy_execute`).
    #[pyo3(signature = (toolkit, endpoint, method, body=None, parameters=None))]
    fn proxy_execute(
        &self,
        py: Python<'_>,
        toolkit: String,
        endpoint: String,
        method: String,
        body: Option<Bound<'_, PyAny>>,
        parameters: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let body = opt_from_py(body.as_ref())?;
        let parameters: Vec<composio_core::models::SessionProxyParameter> =
            match opt_from_py(parameters.as_ref())? {
                None => Vec::new(),
                Some(v) => serde_json::from_value(v).map_err(|e| {
                    to_pyerr(py, Error::validation(format!("ctx.proxy_execute parameters are invalid: {e}")))
                })?,
            };
        let ctx = self.ctx.clone();
        block_on(
            py,
            async move { ctx.proxy_execute(&toolkit, &endpoint, &method, body, parameters).await },
            |py, r| crate::convert::ser_to_py(py, &r),
        )
    }
}

/// Reads proxy parameters given as `[{"name", "value", "type"|"in"}]`.
pub fn proxy_parameters(
    py: Python<'_>,
    parameters: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<ProxyParameter>> {
    let Some(v) = opt_from_py(parameters)? else { return Ok(Vec::new()) };
    let Value::Array(items) = v else {
        return Err(to_pyerr(
            py,
            Error::validation("parameters must be a list of {name, value, type} dicts"),
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let get = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_string);
        let name = get("name").ok_or_else(|| {
            to_pyerr(py, Error::validation(format!("parameters[{i}].name must be a string")))
        })?;
        let value = match item.get("value") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let location = match get("type").or_else(|| get("in")).as_deref() {
            Some("header") => ProxyParameterIn::Header,
            Some("query") => ProxyParameterIn::Query,
            other => {
                return Err(to_pyerr(
                    py,
                    Error::validation(format!(
                        "parameters[{i}].type must be \"header\" or \"query\", got {other:?}"
                    )),
                ))
            }
        };
        out.push(ProxyParameter { name, location, value });
    }
    Ok(out)
}
