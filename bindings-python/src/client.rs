//! The native client, session and connection-request classes.
//!
//! Each I/O method takes a trailing `aio` flag: `False` blocks with the GIL
//! released and returns the result; `True` returns an asyncio awaitable.
//! The public Python classes (`Composio`, `AsyncComposio`) pick the flag,
//! so every operation is written once.

use std::future::Future;
use std::time::Duration;

use composio_core::connected_accounts::ConnectedAccounts;
use composio_core::models::{
    AuthConfigCreate, AuthConfigListParams, AuthConfigUpdate, AuthorizeOptions, ConnectedAccountListParams,
    ConnectionState, InitiateOptions, LinkOptions, RefreshOptions, SessionConfig, SessionProxyParams,
    SessionSearchParams, SessionToolkitsParams, ToolExecuteParams,
};
use composio_core::models::{McpCreateParams, McpListParams, McpToolkit, McpUpdateParams, WebhookVersion};
use composio_core::providers::{self, Flavor, HandleToolCallsOptions, Provider};
use composio_core::toolkits::ToolkitListParams;
use composio_core::tools::{GetToolsParams, ProxyParams, ToolListParams};
use composio_core::triggers::realtime::RealtimeError;
use composio_core::triggers::{
    RealtimeOptions, TriggerCreateParams, TriggerListActiveParams, TriggerSubscription,
    TriggerSubscriptionFilters, TriggerTypeListParams,
};
use composio_core::webhook_subscriptions::{WebhookSubscriptionSetParams, WebhookSubscriptionUpdateParams};
use std::sync::{Arc, Mutex};

use composio_core::custom_tools::CustomTool;
use composio_core::session_tools::SessionCustomToolkit;
use composio_core::{
    Composio, ComposioConfig, ConnectionRequest, Error, RetryPolicy, Session, ToolkitVersions,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Map, Value};

use crate::callbacks::{build_modifiers, build_session_modifiers, custom_tool, proxy_parameters};
use crate::convert::{de, from_py, map_to_py, object_from_py, opt_from_py, ser_to_py, to_py};
use crate::errors::{to_pyerr, validation};
use crate::runtime::{block_on, run};

/// The `x-source` header this package sends (see the README: the official
/// SDK's `PYTHON_SDK` is not reused so that the server can tell us apart).
pub const SOURCE: &str = "RUST_PYTHON_SDK";

/// Parses a provider spec `(name, strict, cache_tools)`.
pub fn provider_from(py: Python<'_>, name: &str, strict: bool, cache_tools: bool) -> PyResult<Provider> {
    let p: Provider = name.parse().map_err(|e| to_pyerr(py, e))?;
    Ok(match p {
        Provider::OpenAIResponses { .. } => Provider::OpenAIResponses { strict },
        Provider::Anthropic { .. } => Provider::Anthropic { cache_tools },
        other => other,
    })
}

fn toolkit_versions(py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<ToolkitVersions>> {
    let Some(v) = opt_from_py(v)? else { return Ok(None) };
    Ok(Some(match v {
        Value::String(s) if s == "latest" => ToolkitVersions::Latest,
        Value::String(s) => ToolkitVersions::global(s),
        Value::Object(m) => {
            let mut entries = Vec::with_capacity(m.len());
            for (k, v) in m {
                match v {
                    Value::String(s) => entries.push((k, s)),
                    other => {
                        return Err(validation(
                            py,
                            format!(
                                "toolkit_versions[{k:?}] must be a str, got {}",
                                crate::convert::kind(&other)
                            ),
                        ))
                    }
                }
            }
            ToolkitVersions::per_toolkit(entries)
        }
        other => {
            return Err(validation(
                py,
                format!("toolkit_versions must be a str or a dict, got {}", crate::convert::kind(&other)),
            ))
        }
    }))
}

fn secs(py: Python<'_>, what: &str, v: f64) -> PyResult<Duration> {
    if !v.is_finite() || v <= 0.0 {
        return Err(validation(py, format!("{what} must be a positive number of seconds, got {v}")));
    }
    Ok(Duration::from_secs_f64(v.min(1e9)))
}

fn list_of(v: Option<Vec<String>>) -> Vec<String> {
    v.unwrap_or_default()
}

fn ok_none(py: Python<'_>, _: ()) -> PyResult<Py<PyAny>> {
    Ok(py.None())
}

/// The shape of nearly every I/O method: `f(handle)` (a client or a
/// session, taken for this process) runs blocking with the GIL released,
/// or as an asyncio awaitable when `aio`, and `convert` builds the Python
/// result.
fn call_with<H, T, Fut, C>(
    py: Python<'_>,
    aio: bool,
    handle: H,
    f: impl FnOnce(H) -> Fut,
    convert: C,
) -> PyResult<Py<PyAny>>
where
    Fut: Future<Output = composio_core::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    run(py, aio, f(handle), convert)
}

/// [`call_with`] converting the result with serde.
fn call<H, T, Fut>(py: Python<'_>, aio: bool, handle: H, f: impl FnOnce(H) -> Fut) -> PyResult<Py<PyAny>>
where
    Fut: Future<Output = composio_core::Result<T>> + Send + 'static,
    T: serde::Serialize + Send + 'static,
{
    run(py, aio, f(handle), |py, r| ser_to_py(py, &r))
}

/// [`call_with`] for a JSON result.
fn call_json<H, Fut>(py: Python<'_>, aio: bool, handle: H, f: impl FnOnce(H) -> Fut) -> PyResult<Py<PyAny>>
where
    Fut: Future<Output = composio_core::Result<Value>> + Send + 'static,
{
    run(py, aio, f(handle), |py, v| to_py(py, &v))
}

/// The engine client plus what is needed to rebuild it in a forked child.
///
/// A `Composio` holds a pooled HTTP client whose connections are driven by
/// tasks of the runtime that created them; after `fork` those tasks do not
/// exist and a pooled connection would hang. So the client remembers the
/// pid it was built in and, in a child, is rebuilt from the same
/// configuration with the same custom tools (the schema cache starts
/// empty). See the report: this belongs in core (`Transport` reset on fork).
pub struct Shared {
    config: ComposioConfig,
    state: Mutex<(u32, Composio)>,
    custom_tools: Mutex<Vec<CustomTool>>,
}

impl Shared {
    fn new(config: ComposioConfig) -> composio_core::Result<Self> {
        let client = Composio::new(config.clone())?;
        Ok(Self {
            config,
            state: Mutex::new((std::process::id(), client)),
            custom_tools: Mutex::new(Vec::new()),
        })
    }

    /// The client for this process.
    pub fn client(&self) -> Composio {
        let pid = std::process::id();
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.0 != pid {
            if let Ok(fresh) = Composio::new(self.config.clone()) {
                let tools = self.custom_tools.lock().unwrap_or_else(|p| p.into_inner()).clone();
                for t in tools {
                    let _ = fresh.register_custom_tool(t);
                }
                let stale = std::mem::replace(&mut state.1, fresh);
                // Its pooled connections belong to the parent: never touch them.
                std::mem::forget(stale);
            }
            state.0 = pid;
        }
        state.1.clone()
    }
}

/// The engine client.
#[pyclass(module = "composio_rs._native", name = "NativeClient", frozen)]
pub struct NativeClient {
    pub(crate) shared: Arc<Shared>,
    pub(crate) provider: Provider,
}

impl NativeClient {
    pub(crate) fn c(&self) -> Composio {
        self.shared.client()
    }

    /// Wraps an engine session into a `NativeSession` of this client.
    pub(crate) fn session_with(
        &self,
    ) -> impl FnOnce(Python<'_>, Session) -> PyResult<Py<PyAny>> + Send + 'static {
        let (shared, provider) = (self.shared.clone(), self.provider);
        move |py, s| Ok(Py::new(py, NativeSession::new(shared, s, provider))?.into_any())
    }
}

#[pymethods]
impl NativeClient {
    /// Builds a client (no I/O). `None` arguments fall back to the
    /// environment (`COMPOSIO_API_KEY`, `COMPOSIO_BASE_URL`,
    /// `COMPOSIO_TOOLKIT_VERSION_<TOOLKIT>`), then to the defaults.
    #[new]
    #[pyo3(signature = (
        api_key=None, base_url=None, toolkit_versions=None, timeout=None, max_retries=None,
        file_download_dir=None, auto_upload_download_files=false, sensitive_file_upload_protection=true,
        file_upload_path_deny_segments=None, file_upload_dirs=None, provider="openai", strict=false,
        cache_tools=false, sdk_version=None, framework=None,
    ))]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        toolkit_versions: Option<Bound<'_, PyAny>>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
        file_download_dir: Option<String>,
        auto_upload_download_files: bool,
        sensitive_file_upload_protection: bool,
        file_upload_path_deny_segments: Option<Vec<String>>,
        file_upload_dirs: Option<Vec<String>>,
        provider: &str,
        strict: bool,
        cache_tools: bool,
        sdk_version: Option<String>,
        framework: Option<String>,
    ) -> PyResult<Self> {
        let provider = provider_from(py, provider, strict, cache_tools)?;
        let mut config = ComposioConfig::from_env();
        if let Some(k) = api_key.filter(|k| !k.is_empty()) {
            config = config.with_api_key(k);
        }
        if let Some(u) = base_url.filter(|u| !u.is_empty()) {
            config = config.with_base_url(u.trim_end_matches('/').to_string());
        }
        if let Some(v) = self::toolkit_versions(py, toolkit_versions.as_ref())? {
            config = config.with_toolkit_versions(v);
        }
        // The official SDK runs without a request timeout by default; the
        // engine needs a finite one, so "none" is one hour.
        config.request_timeout = match timeout {
            Some(t) => secs(py, "timeout", t)?,
            None => Duration::from_secs(3600),
        };
        if let Some(n) = max_retries {
            config.retry = RetryPolicy { max_retries: n, ..RetryPolicy::default() };
        }
        config.file_download_dir = file_download_dir.map(Into::into);
        config.auto_upload_download_files = auto_upload_download_files;
        config.sensitive_file_upload_protection = sensitive_file_upload_protection;
        config.file_upload_path_deny_segments = list_of(file_upload_path_deny_segments);
        config.file_upload_dirs = file_upload_dirs.map(|d| d.into_iter().map(Into::into).collect());
        config.source = SOURCE.to_string();
        if let Some(v) = sdk_version {
            config.sdk_version = v;
        }
        config.framework = Some(framework.unwrap_or_else(|| provider.name().to_string()));
        let shared = Shared::new(config).map_err(|e| to_pyerr(py, e))?;
        Ok(Self { shared: Arc::new(shared), provider })
    }

    /// The provider name (`openai`, `anthropic`, ...).
    #[getter]
    fn provider_name(&self) -> &'static str {
        self.provider.name()
    }

    /// The configured base URL.
    #[getter]
    fn base_url(&self) -> String {
        self.shared.config.base_url.clone()
    }

    /// Number of cached pinned tool schemas.
    fn cached_schema_count(&self) -> usize {
        self.c().cached_schema_count()
    }

    // --- sessions --------------------------------------------------------

    /// `POST tool_router/session`; `config` uses the Python argument names.
    /// `custom_tools` are `(slug, name, description, input_schema,
    /// output_schema | None, extends_toolkit | None, func, preload | None)`
    /// tuples and `custom_toolkits` `(slug, name, description, [tool
    /// tuples], preload | None)`; `func` is called as `func(arguments, ctx)`.
    #[pyo3(signature = (user_id, config, aio=false, custom_tools=None, custom_toolkits=None))]
    fn create_session(
        &self,
        py: Python<'_>,
        user_id: String,
        config: Bound<'_, PyAny>,
        aio: bool,
        custom_tools: Option<Vec<SessionToolSpec>>,
        custom_toolkits: Option<Vec<SessionToolkitSpec>>,
    ) -> PyResult<Py<PyAny>> {
        let mut cfg: SessionConfig = de(py, from_py(&config)?, "session configuration")?;
        let (tools, kits) = session_definitions(py, custom_tools, custom_toolkits)?;
        cfg.custom_tools.extend(tools);
        cfg.custom_toolkits.extend(kits);
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move { client.create_session(&user_id, cfg).await },
            self.session_with(),
        )
    }

    /// `DELETE tool_router/session/{id}`.
    #[pyo3(signature = (session_id, aio=false))]
    fn delete_session(&self, py: Python<'_>, session_id: String, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |client| async move { client.delete_session(&session_id).await })
    }

    /// `GET tool_router/session/{id}`.
    #[pyo3(signature = (session_id, aio=false))]
    fn use_session(&self, py: Python<'_>, session_id: String, aio: bool) -> PyResult<Py<PyAny>> {
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move { client.use_session(&session_id).await },
            self.session_with(),
        )
    }

    // --- tools -----------------------------------------------------------

    /// `tools.get`: provider-formatted tools (raw dicts when `raw`).
    #[pyo3(signature = (tools=None, toolkits=None, search=None, scopes=None, tags=None, limit=None, auth_config_ids=None, modifiers=None, raw=false, aio=false))]
    fn tools_get(
        &self,
        py: Python<'_>,
        tools: Option<Vec<String>>,
        toolkits: Option<Vec<String>>,
        search: Option<String>,
        scopes: Option<Vec<String>>,
        tags: Option<Vec<String>>,
        limit: Option<u32>,
        auth_config_ids: Option<Vec<String>>,
        modifiers: Option<Bound<'_, PyAny>>,
        raw: bool,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let mods = build_modifiers(py, modifiers.as_ref())?;
        let params = GetToolsParams {
            tools: list_of(tools),
            toolkits: list_of(toolkits),
            search,
            scopes: list_of(scopes),
            tags: list_of(tags),
            limit,
            auth_config_ids: list_of(auth_config_ids),
            ..GetToolsParams::default()
        };
        let client = self.c();
        let provider = self.provider;
        run(py, aio, async move { client.tools().get_list(&params, &mods).await }, move |py, tools| {
            crate::tools_fast::tool_list_to_py(py, &provider, tools, raw)
        })
    }

    /// `GET /tools` (one page, raw).
    #[pyo3(signature = (toolkit_slugs=None, tool_slugs=None, search=None, tags=None, scopes=None, limit=None, cursor=None, important=None, aio=false))]
    fn tools_list(
        &self,
        py: Python<'_>,
        toolkit_slugs: Option<Vec<String>>,
        tool_slugs: Option<Vec<String>>,
        search: Option<String>,
        tags: Option<Vec<String>>,
        scopes: Option<Vec<String>>,
        limit: Option<u32>,
        cursor: Option<String>,
        important: Option<bool>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = ToolListParams {
            toolkit_slugs: list_of(toolkit_slugs),
            tool_slugs: list_of(tool_slugs),
            search,
            tags: list_of(tags),
            scopes: list_of(scopes),
            limit,
            cursor,
            important,
            ..ToolListParams::default()
        };
        call(py, aio, self.c(), move |c| async move { c.tools().list(&params).await })
    }

    /// One raw tool by slug.
    #[pyo3(signature = (slug, version=None, aio=false))]
    fn tools_get_by_slug(
        &self,
        py: Python<'_>,
        slug: String,
        version: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.tools().get_tool(&slug, version.as_deref()).await })
    }

    /// `tools.execute` → `{data, error, successful}` (plus `log_id` when
    /// `full`).
    #[pyo3(signature = (slug, arguments=None, user_id=None, connected_account_id=None, custom_auth_params=None, custom_connection_data=None, text=None, version=None, dangerously_skip_version_check=None, modifiers=None, full=false, aio=false))]
    fn tools_execute(
        &self,
        py: Python<'_>,
        slug: String,
        arguments: Option<Bound<'_, PyAny>>,
        user_id: Option<String>,
        connected_account_id: Option<String>,
        custom_auth_params: Option<Bound<'_, PyAny>>,
        custom_connection_data: Option<Bound<'_, PyAny>>,
        text: Option<String>,
        version: Option<String>,
        dangerously_skip_version_check: Option<bool>,
        modifiers: Option<Bound<'_, PyAny>>,
        full: bool,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = ToolExecuteParams {
            arguments: object_from_py(arguments.as_ref(), "arguments")?,
            user_id,
            connected_account_id,
            custom_auth_params: opt_from_py(custom_auth_params.as_ref())?,
            custom_connection_data: opt_from_py(custom_connection_data.as_ref())?,
            version,
            text,
            dangerously_skip_version_check: dangerously_skip_version_check.unwrap_or(false),
            allow_tracing: None,
        };
        let mods = build_modifiers(py, modifiers.as_ref())?;
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move { client.tools().execute(&slug, params, &mods).await },
            move |py, r| {
                if full {
                    ser_to_py(py, &r)
                } else {
                    to_py(py, &r.to_result_json())
                }
            },
        )
    }

    /// `POST /tools/execute/proxy`.
    #[pyo3(signature = (endpoint, method, body=None, connected_account_id=None, parameters=None, custom_connection_data=None, aio=false))]
    fn tools_proxy(
        &self,
        py: Python<'_>,
        endpoint: String,
        method: String,
        body: Option<Bound<'_, PyAny>>,
        connected_account_id: Option<String>,
        parameters: Option<Bound<'_, PyAny>>,
        custom_connection_data: Option<Bound<'_, PyAny>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let mut params = ProxyParams::new(method, endpoint);
        params.body = opt_from_py(body.as_ref())?;
        params.connected_account_id = connected_account_id;
        params.parameters = proxy_parameters(py, parameters.as_ref())?;
        params.custom_connection_data = opt_from_py(custom_connection_data.as_ref())?;
        call(py, aio, self.c(), move |c| async move { c.tools().proxy(params).await })
    }

    /// Registers a custom tool whose handler is `func(arguments, ctx)`.
    #[pyo3(signature = (slug, name, description, input_parameters, func, toolkit=None))]
    fn register_custom_tool(
        &self,
        py: Python<'_>,
        slug: String,
        name: String,
        description: String,
        input_parameters: Bound<'_, PyAny>,
        func: Py<PyAny>,
        toolkit: Option<String>,
    ) -> PyResult<()> {
        let schema = from_py(&input_parameters)?;
        let tool =
            custom_tool(slug, name, description, toolkit, schema, func).map_err(|e| to_pyerr(py, e))?;
        self.c().register_custom_tool(tool.clone()).map_err(|e| to_pyerr(py, e))?;
        let mut list = self.shared.custom_tools.lock().unwrap_or_else(|p| p.into_inner());
        list.retain(|t| !t.slug.eq_ignore_ascii_case(&tool.slug));
        list.push(tool);
        Ok(())
    }

    /// Removes a custom tool; returns whether it existed.
    fn remove_custom_tool(&self, slug: &str) -> bool {
        self.shared
            .custom_tools
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|t| !t.slug.eq_ignore_ascii_case(slug));
        self.c().custom_tools().remove(slug)
    }

    /// `provider.handle_tool_calls`: executes every tool call of a model
    /// response and returns the provider's result list.
    #[pyo3(signature = (user_id, response, provider, strict=false, cache_tools=false, modifiers=None, connected_account_id=None, aio=false))]
    fn handle_tool_calls(
        &self,
        py: Python<'_>,
        user_id: String,
        response: Bound<'_, PyAny>,
        provider: &str,
        strict: bool,
        cache_tools: bool,
        modifiers: Option<Bound<'_, PyAny>>,
        connected_account_id: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let provider = provider_from(py, provider, strict, cache_tools)?;
        let response = from_py(&response)?;
        let mods = build_modifiers(py, modifiers.as_ref())?;
        let options = HandleToolCallsOptions { connected_account_id, ..HandleToolCallsOptions::default() };
        let executor = providers::ClientToolCallExecutor::new(&self.c(), &user_id, options, mods);
        call_json(py, aio, executor, move |e| async move {
            providers::handle_tool_calls(&e, &provider, &response, Flavor::Python).await
        })
    }

    // --- toolkits --------------------------------------------------------

    /// `GET /toolkits`.
    #[pyo3(signature = (category=None, managed_by=None, sort_by=None, search=None, include_deprecated=None, limit=None, cursor=None, aio=false))]
    fn toolkits_list(
        &self,
        py: Python<'_>,
        category: Option<String>,
        managed_by: Option<String>,
        sort_by: Option<String>,
        search: Option<String>,
        include_deprecated: Option<bool>,
        limit: Option<u32>,
        cursor: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params =
            ToolkitListParams { category, managed_by, sort_by, search, include_deprecated, limit, cursor };
        call(py, aio, self.c(), move |c| async move { c.toolkits().list(&params).await })
    }

    /// `GET /toolkits/{slug}`.
    #[pyo3(signature = (slug, aio=false))]
    fn toolkits_get(&self, py: Python<'_>, slug: String, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.toolkits().get(&slug).await })
    }

    /// `GET /toolkits/categories`.
    #[pyo3(signature = (aio=false))]
    fn toolkits_list_categories(&self, py: Python<'_>, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.toolkits().list_categories().await })
    }

    /// Auth-config creation (or, with `initiation`, connection initiation)
    /// fields of a toolkit's auth scheme.
    #[pyo3(signature = (toolkit, auth_scheme, required_only=false, initiation=false, aio=false))]
    fn toolkits_fields(
        &self,
        py: Python<'_>,
        toolkit: String,
        auth_scheme: String,
        required_only: bool,
        initiation: bool,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move {
                let t = client.toolkits();
                if initiation {
                    t.get_connected_account_initiation_fields(&toolkit, &auth_scheme, required_only).await
                } else {
                    t.get_auth_config_creation_fields(&toolkit, &auth_scheme, required_only).await
                }
            },
            |py, f| ser_to_py(py, &f),
        )
    }

    /// `toolkits.authorize(user_id, toolkit)`.
    #[pyo3(signature = (user_id, toolkit, aio=false))]
    fn toolkits_authorize(
        &self,
        py: Python<'_>,
        user_id: String,
        toolkit: String,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move { client.toolkits().authorize(&user_id, &toolkit).await },
            conn_req_with(self.shared.clone()),
        )
    }

    // --- auth configs ------------------------------------------------------

    /// `GET /auth_configs`.
    #[pyo3(signature = (toolkit_slug=None, is_composio_managed=None, show_disabled=None, search=None, limit=None, cursor=None, aio=false))]
    fn auth_configs_list(
        &self,
        py: Python<'_>,
        toolkit_slug: Option<String>,
        is_composio_managed: Option<bool>,
        show_disabled: Option<bool>,
        search: Option<String>,
        limit: Option<u32>,
        cursor: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params =
            AuthConfigListParams { toolkit_slug, is_composio_managed, show_disabled, search, limit, cursor };
        call(py, aio, self.c(), move |c| async move { c.auth_configs().list(&params).await })
    }

    /// `POST /auth_configs`; `options` is the official dict
    /// (`{"type": "use_composio_managed_auth", ...}`).
    #[pyo3(signature = (toolkit, options, aio=false))]
    fn auth_configs_create(
        &self,
        py: Python<'_>,
        toolkit: String,
        options: Bound<'_, PyAny>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let opts: AuthConfigCreate = de(py, from_py(&options)?, "auth config options")?;
        call(py, aio, self.c(), move |c| async move { c.auth_configs().create(&toolkit, opts).await })
    }

    /// `GET /auth_configs/{id}`.
    #[pyo3(signature = (nanoid, aio=false))]
    fn auth_configs_get(&self, py: Python<'_>, nanoid: String, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.auth_configs().get(&nanoid).await })
    }

    /// `PATCH /auth_configs/{id}`; `options` is `{"type": "custom"|"default", ...}`.
    #[pyo3(signature = (nanoid, options, aio=false))]
    fn auth_configs_update(
        &self,
        py: Python<'_>,
        nanoid: String,
        options: Bound<'_, PyAny>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let opts: AuthConfigUpdate = de(py, from_py(&options)?, "auth config update")?;
        call_json(py, aio, self.c(), move |c| async move { c.auth_configs().update(&nanoid, opts).await })
    }

    /// `DELETE`, `enable` or `disable` of an auth config.
    #[pyo3(signature = (action, nanoid, aio=false))]
    fn auth_configs_action(
        &self,
        py: Python<'_>,
        action: String,
        nanoid: String,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        if !matches!(action.as_str(), "delete" | "enable" | "disable") {
            return Err(validation(py, format!("unknown auth config action {action:?}")));
        }
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move {
                let a = client.auth_configs();
                match action.as_str() {
                    "delete" => a.delete(&nanoid).await,
                    "enable" => a.enable(&nanoid).await,
                    _ => a.disable(&nanoid).await,
                }
            },
            |py, r| to_py(py, &r),
        )
    }

    // --- connected accounts -----------------------------------------------

    /// `connected_accounts.initiate`.
    #[pyo3(signature = (user_id, auth_config_id, callback_url=None, allow_multiple=false, config=None, alias=None, aio=false))]
    fn accounts_initiate(
        &self,
        py: Python<'_>,
        user_id: String,
        auth_config_id: String,
        callback_url: Option<String>,
        allow_multiple: bool,
        config: Option<Bound<'_, PyAny>>,
        alias: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let config: Option<ConnectionState> = match opt_from_py(config.as_ref())? {
            Some(v) => Some(de(py, v, "config (a connection state from auth_scheme.*)")?),
            None => None,
        };
        let opts = InitiateOptions { callback_url, allow_multiple, config, alias };
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move {
                client.connected_accounts().initiate(&user_id, &auth_config_id, opts).await
            },
            conn_req_with(self.shared.clone()),
        )
    }

    /// `connected_accounts.link`.
    #[pyo3(signature = (user_id, auth_config_id, callback_url=None, alias=None, connection_data=None, aio=false))]
    fn accounts_link(
        &self,
        py: Python<'_>,
        user_id: String,
        auth_config_id: String,
        callback_url: Option<String>,
        alias: Option<String>,
        connection_data: Option<Bound<'_, PyAny>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let connection_data = match connection_data.as_ref().filter(|c| !c.is_none()) {
            Some(c) => Some(object_from_py(Some(c), "connection_data")?),
            None => None,
        };
        let opts = LinkOptions { callback_url, alias, connection_data };
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move { client.connected_accounts().link(&user_id, &auth_config_id, opts).await },
            conn_req_with(self.shared.clone()),
        )
    }

    /// `GET /connected_accounts/{id}`.
    #[pyo3(signature = (nanoid, aio=false))]
    fn accounts_get(&self, py: Python<'_>, nanoid: String, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.connected_accounts().get(&nanoid).await })
    }

    /// `GET /connected_accounts`.
    #[pyo3(signature = (user_ids=None, toolkit_slugs=None, auth_config_ids=None, connected_account_ids=None, statuses=None, order_by=None, order_direction=None, limit=None, cursor=None, aio=false))]
    fn accounts_list(
        &self,
        py: Python<'_>,
        user_ids: Option<Vec<String>>,
        toolkit_slugs: Option<Vec<String>>,
        auth_config_ids: Option<Vec<String>>,
        connected_account_ids: Option<Vec<String>>,
        statuses: Option<Vec<String>>,
        order_by: Option<String>,
        order_direction: Option<String>,
        limit: Option<u32>,
        cursor: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = ConnectedAccountListParams {
            user_ids: list_of(user_ids),
            toolkit_slugs: list_of(toolkit_slugs),
            auth_config_ids: list_of(auth_config_ids),
            connected_account_ids: list_of(connected_account_ids),
            statuses: list_of(statuses),
            order_by,
            order_direction,
            limit,
            cursor,
        };
        call(py, aio, self.c(), move |c| async move { c.connected_accounts().list(&params).await })
    }

    /// `delete`, `enable`, `disable` or `refresh` of a connected account.
    #[pyo3(signature = (action, nanoid, aio=false))]
    fn accounts_action(
        &self,
        py: Python<'_>,
        action: String,
        nanoid: String,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        if !matches!(action.as_str(), "delete" | "enable" | "disable" | "refresh") {
            return Err(validation(py, format!("unknown connected account action {action:?}")));
        }
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move {
                let a: ConnectedAccounts = client.connected_accounts();
                let v = match action.as_str() {
                    "delete" => serde_json::to_value(a.delete(&nanoid).await?),
                    "enable" => serde_json::to_value(a.enable(&nanoid).await?),
                    "disable" => serde_json::to_value(a.disable(&nanoid).await?),
                    _ => serde_json::to_value(a.refresh(&nanoid, RefreshOptions::default()).await?),
                };
                v.map_err(|e| Error::internal(e.to_string()))
            },
            |py, v| to_py(py, &v),
        )
    }

    /// `connected_accounts.wait_for_connection(id, timeout)`.
    #[pyo3(signature = (nanoid, timeout=60.0, aio=false))]
    fn accounts_wait_for_connection(
        &self,
        py: Python<'_>,
        nanoid: String,
        timeout: f64,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let timeout = secs(py, "timeout", timeout)?;
        call(py, aio, self.c(), move |c| async move {
            c.connected_accounts().wait_for_connection(&nanoid, timeout).await
        })
    }

    // --- triggers ----------------------------------------------------------

    /// `GET /triggers_types`.
    #[pyo3(signature = (cursor=None, limit=None, toolkit_slugs=None, aio=false))]
    fn triggers_list_types(
        &self,
        py: Python<'_>,
        cursor: Option<String>,
        limit: Option<u32>,
        toolkit_slugs: Option<Vec<String>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = TriggerTypeListParams { cursor, limit, toolkit_slugs: list_of(toolkit_slugs) };
        call(py, aio, self.c(), move |c| async move { c.triggers().list_types(params).await })
    }

    /// `GET /triggers_types/{slug}`.
    #[pyo3(signature = (slug, aio=false))]
    fn triggers_get_type(&self, py: Python<'_>, slug: String, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.triggers().get_type(&slug).await })
    }

    /// `GET /triggers_types/list/enum`.
    #[pyo3(signature = (aio=false))]
    fn triggers_list_enum(&self, py: Python<'_>, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.triggers().list_enum().await })
    }

    /// `POST /trigger_instances/{slug}/upsert`.
    #[pyo3(signature = (slug, user_id=None, connected_account_id=None, trigger_config=None, aio=false))]
    fn triggers_create(
        &self,
        py: Python<'_>,
        slug: String,
        user_id: Option<String>,
        connected_account_id: Option<String>,
        trigger_config: Option<Bound<'_, PyAny>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let trigger_config = match trigger_config.as_ref().filter(|c| !c.is_none()) {
            Some(c) => Some(object_from_py(Some(c), "trigger_config")?),
            None => None,
        };
        let params = TriggerCreateParams { user_id, connected_account_id, trigger_config };
        call(py, aio, self.c(), move |c| async move { c.triggers().create(&slug, params).await })
    }

    /// `GET /trigger_instances/active`.
    #[pyo3(signature = (trigger_ids=None, trigger_names=None, auth_config_ids=None, connected_account_ids=None, user_ids=None, show_disabled=None, limit=None, cursor=None, aio=false))]
    fn triggers_list_active(
        &self,
        py: Python<'_>,
        trigger_ids: Option<Vec<String>>,
        trigger_names: Option<Vec<String>>,
        auth_config_ids: Option<Vec<String>>,
        connected_account_ids: Option<Vec<String>>,
        user_ids: Option<Vec<String>>,
        show_disabled: Option<bool>,
        limit: Option<u32>,
        cursor: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = TriggerListActiveParams {
            trigger_ids: list_of(trigger_ids),
            trigger_names: list_of(trigger_names),
            auth_config_ids: list_of(auth_config_ids),
            connected_account_ids: list_of(connected_account_ids),
            user_ids: list_of(user_ids),
            show_disabled,
            limit,
            cursor,
        };
        call(py, aio, self.c(), move |c| async move { c.triggers().list_active(params).await })
    }

    /// `enable`, `disable` or `delete` of a trigger instance.
    #[pyo3(signature = (action, trigger_id, aio=false))]
    fn triggers_action(
        &self,
        py: Python<'_>,
        action: String,
        trigger_id: String,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        if !matches!(action.as_str(), "delete" | "enable" | "disable") {
            return Err(validation(py, format!("unknown trigger action {action:?}")));
        }
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move {
                let t = client.triggers();
                let v = match action.as_str() {
                    "delete" => serde_json::to_value(t.delete(&trigger_id).await?),
                    "enable" => serde_json::to_value(t.enable(&trigger_id).await?),
                    _ => serde_json::to_value(t.disable(&trigger_id).await?),
                };
                v.map_err(|e| Error::internal(e.to_string()))
            },
            |py, v| to_py(py, &v),
        )
    }

    // --- connected accounts (update / refresh) -----------------------------

    /// `PATCH /connected_accounts/{id}` with an alias and/or a connection
    /// state (`auth_scheme.*` output).
    #[pyo3(signature = (nanoid, alias=None, state=None, aio=false))]
    fn accounts_update(
        &self,
        py: Python<'_>,
        nanoid: String,
        alias: Option<String>,
        state: Option<Bound<'_, PyAny>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let state: Option<ConnectionState> = match opt_from_py(state.as_ref())? {
            Some(v) => Some(de(py, v, "connection state (from auth_scheme.*)")?),
            None => None,
        };
        call(
            py,
            aio,
            self.c(),
            move |c| async move { c.connected_accounts().update(&nanoid, alias, state).await },
        )
    }

    /// `POST /connected_accounts/{id}/refresh`.
    #[pyo3(signature = (nanoid, redirect_url=None, validate_credentials=None, aio=false))]
    fn accounts_refresh(
        &self,
        py: Python<'_>,
        nanoid: String,
        redirect_url: Option<String>,
        validate_credentials: Option<bool>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let opts = RefreshOptions { redirect_url, validate_credentials };
        call(py, aio, self.c(), move |c| async move { c.connected_accounts().refresh(&nanoid, opts).await })
    }

    // --- webhook subscriptions ---------------------------------------------

    /// `POST /webhook_subscriptions`.
    #[pyo3(signature = (webhook_url, enabled_events, version=None, aio=false))]
    fn webhooks_create(
        &self,
        py: Python<'_>,
        webhook_url: String,
        enabled_events: Vec<String>,
        version: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let version = webhook_version(py, version)?;
        call(py, aio, self.c(), move |c| async move {
            c.webhook_subscriptions().create(&webhook_url, enabled_events, version).await
        })
    }

    /// `GET /webhook_subscriptions`.
    #[pyo3(signature = (limit=None, cursor=None, aio=false))]
    fn webhooks_list(
        &self,
        py: Python<'_>,
        limit: Option<u32>,
        cursor: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.webhook_subscriptions().list(limit, cursor).await })
    }

    /// `GET /webhook_subscriptions/{id}`.
    #[pyo3(signature = (id, aio=false))]
    fn webhooks_get(&self, py: Python<'_>, id: String, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.webhook_subscriptions().get(&id).await })
    }

    /// `PATCH /webhook_subscriptions/{id}`.
    #[pyo3(signature = (id, webhook_url=None, enabled_events=None, version=None, aio=false))]
    fn webhooks_update(
        &self,
        py: Python<'_>,
        id: String,
        webhook_url: Option<String>,
        enabled_events: Option<Vec<String>>,
        version: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = WebhookSubscriptionUpdateParams {
            webhook_url,
            enabled_events,
            version: webhook_version(py, version)?,
        };
        call(py, aio, self.c(), move |c| async move { c.webhook_subscriptions().update(&id, params).await })
    }

    /// `DELETE /webhook_subscriptions/{id}`.
    #[pyo3(signature = (id, aio=false))]
    fn webhooks_delete(&self, py: Python<'_>, id: String, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.webhook_subscriptions().delete(&id).await })
    }

    /// `POST /webhook_subscriptions/{id}/rotate_secret`.
    #[pyo3(signature = (id, aio=false))]
    fn webhooks_rotate_secret(&self, py: Python<'_>, id: String, aio: bool) -> PyResult<Py<PyAny>> {
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move { client.webhook_subscriptions().rotate_secret(&id).await },
            |py, r| {
                let v = serde_json::json!({"id": r.id, "secret": r.secret.expose()});
                let mut m = r.extra.clone();
                if let Value::Object(base) = v {
                    m.extend(base);
                }
                to_py(py, &Value::Object(m))
            },
        )
    }

    /// `GET /webhook_subscriptions/event_types`.
    #[pyo3(signature = (aio=false))]
    fn webhooks_list_event_types(&self, py: Python<'_>, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.webhook_subscriptions().list_event_types().await })
    }

    /// `webhooks.subscriptions.set`: update the first subscription or create one.
    #[pyo3(signature = (webhook_url, enabled_events=None, version=None, aio=false))]
    fn webhooks_set(
        &self,
        py: Python<'_>,
        webhook_url: String,
        enabled_events: Option<Vec<String>>,
        version: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = WebhookSubscriptionSetParams { enabled_events, version: webhook_version(py, version)? };
        call(
            py,
            aio,
            self.c(),
            move |c| async move { c.webhook_subscriptions().set(&webhook_url, params).await },
        )
    }

    // --- MCP servers ---------------------------------------------------------

    /// `POST /mcp/servers/custom`.
    #[pyo3(signature = (name, toolkits, manually_manage_connections=false, allowed_tools=None, aio=false))]
    fn mcp_create(
        &self,
        py: Python<'_>,
        name: String,
        toolkits: Bound<'_, PyAny>,
        manually_manage_connections: bool,
        allowed_tools: Option<Vec<String>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let toolkits: Vec<McpToolkit> =
            de(py, from_py(&toolkits)?, "toolkits (slugs or {toolkit, auth_config_id})")?;
        let params = McpCreateParams { toolkits, manually_manage_connections, allowed_tools };
        call_with(
            py,
            aio,
            self.c(),
            move |client| async move { client.mcp().create(&name, params).await },
            |py, r| ser_to_py(py, &r.server),
        )
    }

    /// `GET /mcp/servers`.
    #[pyo3(signature = (page_no=None, limit=None, toolkits=None, auth_config_ids=None, name=None, order_by=None, order_direction=None, aio=false))]
    fn mcp_list(
        &self,
        py: Python<'_>,
        page_no: Option<u32>,
        limit: Option<u32>,
        toolkits: Option<Vec<String>>,
        auth_config_ids: Option<Vec<String>>,
        name: Option<String>,
        order_by: Option<String>,
        order_direction: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = McpListParams {
            page_no,
            limit,
            toolkits: list_of(toolkits),
            auth_config_ids: list_of(auth_config_ids),
            name,
            order_by,
            order_direction,
        };
        call(py, aio, self.c(), move |c| async move { c.mcp().list(params).await })
    }

    /// `GET /mcp/{id}`.
    #[pyo3(signature = (server_id, aio=false))]
    fn mcp_get(&self, py: Python<'_>, server_id: String, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.mcp().get(&server_id).await })
    }

    /// `PATCH /mcp/{id}`.
    #[pyo3(signature = (server_id, name=None, toolkits=None, manually_manage_connections=None, allowed_tools=None, aio=false))]
    fn mcp_update(
        &self,
        py: Python<'_>,
        server_id: String,
        name: Option<String>,
        toolkits: Option<Bound<'_, PyAny>>,
        manually_manage_connections: Option<bool>,
        allowed_tools: Option<Vec<String>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let toolkits: Option<Vec<McpToolkit>> = match opt_from_py(toolkits.as_ref())? {
            Some(v) => Some(de(py, v, "toolkits (slugs or {toolkit, auth_config_id})")?),
            None => None,
        };
        let params = McpUpdateParams { name, toolkits, manually_manage_connections, allowed_tools };
        call(py, aio, self.c(), move |c| async move { c.mcp().update(&server_id, params).await })
    }

    /// `DELETE /mcp/{id}`.
    #[pyo3(signature = (server_id, aio=false))]
    fn mcp_delete(&self, py: Python<'_>, server_id: String, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move { c.mcp().delete(&server_id).await })
    }

    /// `GET /mcp/{id}` then `POST /mcp/servers/generate`.
    #[pyo3(signature = (user_id, mcp_config_id, manually_manage_connections=None, aio=false))]
    fn mcp_generate(
        &self,
        py: Python<'_>,
        user_id: String,
        mcp_config_id: String,
        manually_manage_connections: Option<bool>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        call(py, aio, self.c(), move |c| async move {
            c.mcp().generate(&user_id, &mcp_config_id, manually_manage_connections).await
        })
    }

    // --- realtime trigger subscription ---------------------------------------

    /// Connects the realtime (Pusher) channel; `dispatch(event)` is called
    /// with the GIL on a dedicated thread (not a runtime worker) for every
    /// event, in arrival order. `on_error({"error", "fatal", "attempt"})`,
    /// when given, is called on that same thread for every failure after the
    /// first subscribe (the engine reconnects after each).
    #[pyo3(signature = (dispatch, timeout=15.0, aio=false, on_error=None))]
    fn triggers_subscribe(
        &self,
        py: Python<'_>,
        dispatch: Py<PyAny>,
        timeout: f64,
        aio: bool,
        on_error: Option<Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let options =
            RealtimeOptions { connect_timeout: secs(py, "timeout", timeout)?, ..RealtimeOptions::default() };
        let client = self.c();
        let dispatch = Arc::new(dispatch);
        let handler = move |event: composio_core::models::TriggerEvent| {
            Python::attach(|py| {
                let r = ser_to_py(py, &event).and_then(|e| dispatch.bind(py).call1((e,)).map(|_| ()));
                if let Err(e) = r {
                    tracing::error!(trigger_slug = %event.trigger_slug, "trigger event dispatch failed: {}", e);
                }
            });
        };
        run(
            py,
            aio,
            async move {
                let triggers = client.triggers();
                match on_error {
                    None => {
                        triggers
                            .subscribe_with_options(TriggerSubscriptionFilters::default(), options, handler)
                            .await
                    }
                    Some(on_error) => {
                        let on_error = move |err: RealtimeError| {
                            Python::attach(|py| {
                                let r = (|| -> PyResult<()> {
                                    let d = PyDict::new(py);
                                    d.set_item("error", &err.message)?;
                                    d.set_item("fatal", err.fatal)?;
                                    d.set_item("attempt", err.attempt)?;
                                    on_error.bind(py).call1((d,))?;
                                    Ok(())
                                })();
                                if let Err(e) = r {
                                    tracing::error!("trigger subscription error callback failed: {}", e);
                                }
                            });
                        };
                        triggers
                            .subscribe_with_error_handler(
                                TriggerSubscriptionFilters::default(),
                                options,
                                handler,
                                on_error,
                            )
                            .await
                    }
                }
            },
            |py, sub| Ok(Py::new(py, NativeTriggerSubscription { inner: Arc::new(sub) })?.into_any()),
        )
    }
}

/// `(slug, name, description, input_schema, output_schema, extends_toolkit, func, preload)`.
pub(crate) type SessionToolSpec =
    (String, String, String, Py<PyAny>, Option<Py<PyAny>>, Option<String>, Py<PyAny>, Option<bool>);

/// `(slug, name, description, [tool specs], preload)`.
pub(crate) type SessionToolkitSpec = (String, String, String, Vec<SessionToolSpec>, Option<bool>);

fn session_tool(py: Python<'_>, spec: SessionToolSpec) -> PyResult<CustomTool> {
    let (slug, name, description, input, output, extends, func, preload) = spec;
    let input = from_py(input.bind(py))?;
    let mut tool = custom_tool(slug, name, description, extends, input, func).map_err(|e| to_pyerr(py, e))?;
    if let Some(o) = output {
        tool = tool.with_output_parameters(from_py(o.bind(py))?);
    }
    tool.preload = preload;
    Ok(tool)
}

/// The engine's session custom tools and toolkits from their specs.
pub(crate) fn session_definitions(
    py: Python<'_>,
    tools: Option<Vec<SessionToolSpec>>,
    toolkits: Option<Vec<SessionToolkitSpec>>,
) -> PyResult<(Vec<CustomTool>, Vec<SessionCustomToolkit>)> {
    let tools =
        tools.unwrap_or_default().into_iter().map(|spec| session_tool(py, spec)).collect::<PyResult<_>>()?;
    let mut kits = Vec::new();
    for (slug, name, description, specs, preload) in toolkits.unwrap_or_default() {
        let mut kit = SessionCustomToolkit::new(slug, name, description);
        kit.preload = preload;
        for spec in specs {
            kit = kit.with_tool(session_tool(py, spec)?);
        }
        kits.push(kit);
    }
    Ok((tools, kits))
}

fn webhook_version(py: Python<'_>, v: Option<String>) -> PyResult<Option<WebhookVersion>> {
    match v.as_deref().map(str::to_ascii_uppercase).as_deref() {
        None => Ok(None),
        Some("V1") => Ok(Some(WebhookVersion::V1)),
        Some("V2") => Ok(Some(WebhookVersion::V2)),
        Some("V3") => Ok(Some(WebhookVersion::V3)),
        Some(other) => Err(validation(py, format!("webhook version must be V1, V2 or V3, got {other:?}"))),
    }
}

/// A running realtime trigger subscription.
#[pyclass(module = "composio_rs._native", name = "NativeTriggerSubscription", frozen)]
pub struct NativeTriggerSubscription {
    inner: Arc<TriggerSubscription>,
}

#[pymethods]
impl NativeTriggerSubscription {
    /// Stops the subscription (closes the socket). Idempotent.
    fn stop(&self) {
        self.inner.stop();
    }

    /// Whether it is still running (connected or reconnecting).
    fn is_alive(&self) -> bool {
        self.inner.is_alive()
    }

    /// Waits (GIL released) until the subscription ends or `timeout`
    /// seconds pass; returns whether it has ended.
    #[pyo3(signature = (timeout))]
    fn wait(&self, py: Python<'_>, timeout: f64) -> PyResult<bool> {
        let d = secs(py, "timeout", timeout)?;
        let inner = self.inner.clone();
        let ended = block_on(
            py,
            async move { Ok(tokio::time::timeout(d, inner.wait()).await.is_ok()) },
            |py, ended: bool| Ok(ended.into_pyobject(py)?.to_owned().into_any().unbind()),
        )?;
        ended.extract(py)
    }

    /// Awaitable: resolves to whether the subscription ended within
    /// `timeout` seconds (`None` = until it ends). The event loop is not
    /// blocked.
    #[pyo3(signature = (timeout=None))]
    fn wait_async(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Py<PyAny>> {
        let d = timeout.map(|t| secs(py, "timeout", t)).transpose()?;
        let inner = self.inner.clone();
        run(
            py,
            true,
            async move {
                Ok(match d {
                    Some(d) => tokio::time::timeout(d, inner.wait()).await.is_ok(),
                    None => {
                        inner.wait().await;
                        true
                    }
                })
            },
            |py, ended: bool| Ok(ended.into_pyobject(py)?.to_owned().into_any().unbind()),
        )
    }
}

fn conn_req_with(
    shared: Arc<Shared>,
) -> impl FnOnce(Python<'_>, ConnectionRequest) -> PyResult<Py<PyAny>> + Send + 'static {
    move |py, r| {
        Ok(Py::new(py, NativeConnectionRequest { inner: r, shared: Some(shared), pid: std::process::id() })?
            .into_any())
    }
}

/// A tool-router session.
#[pyclass(module = "composio_rs._native", name = "NativeSession", frozen)]
pub struct NativeSession {
    inner: Arc<Session>,
    shared: Arc<Shared>,
    pid: u32,
    provider: Provider,
}

impl NativeSession {
    fn new(shared: Arc<Shared>, inner: Session, provider: Provider) -> Self {
        Self { inner: Arc::new(inner), shared, pid: std::process::id(), provider }
    }

    /// The session bound to this process's client: a shared handle, or after
    /// fork the same session rebound to the child's client.
    fn s(&self) -> Arc<Session> {
        if self.pid == std::process::id() {
            return Arc::clone(&self.inner);
        }
        Arc::new(self.inner.with_client(&self.shared.client()))
    }
}

#[pymethods]
impl NativeSession {
    /// Session id.
    #[getter]
    fn session_id(&self) -> String {
        self.inner.session_id.clone()
    }

    /// `{type, url, headers}` of the session's MCP endpoint.
    #[getter]
    fn mcp<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("type", &self.inner.mcp.r#type)?;
        d.set_item("url", &self.inner.mcp.url)?;
        let h = PyDict::new(py);
        for (k, v) in &self.inner.mcp.headers {
            h.set_item(k, v)?;
        }
        d.set_item("headers", h)?;
        Ok(d)
    }

    /// Meta-tool slugs of the session.
    #[getter]
    fn tool_router_tools(&self) -> Vec<String> {
        self.inner.tool_router_tools()
    }

    /// The server's echo of the configuration (refreshed by `update`).
    #[getter]
    fn config(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        to_py(py, &self.inner.config())
    }

    /// The config version of the latest response (refreshed by `update`).
    #[getter]
    fn config_version(&self) -> i64 {
        self.inner.config_version()
    }

    /// Experimental data from the API.
    #[getter]
    fn experimental(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match &self.inner.experimental() {
            Some(v) => to_py(py, v),
            None => Ok(py.None()),
        }
    }

    /// Other response fields.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        map_to_py(py, &self.inner.extra)
    }

    /// The session's meta tools, provider-formatted (raw dicts when `raw`).
    #[pyo3(signature = (modifiers=None, raw=false, aio=false))]
    fn tools(
        &self,
        py: Python<'_>,
        modifiers: Option<Bound<'_, PyAny>>,
        raw: bool,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let mods = build_modifiers(py, modifiers.as_ref())?;
        let s = self.s();
        let provider = self.provider;
        run(py, aio, async move { s.tools(&mods).await }, move |py, tools| {
            crate::tools_fast::tools_to_py(py, &provider, tools, raw)
        })
    }

    /// `POST …/execute`. With `modifiers`, before-execute modifiers (and
    /// `before_execute_meta`, given this session's id) see `{"arguments"}`
    /// with toolkit `composio`, after-execute ones `{data, error,
    /// successful}`, and the result is `{data, error, successful, log_id}`.
    #[pyo3(signature = (tool_slug, arguments=None, modifiers=None, aio=false))]
    fn execute(
        &self,
        py: Python<'_>,
        tool_slug: String,
        arguments: Option<Bound<'_, PyAny>>,
        modifiers: Option<Bound<'_, PyAny>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let args = match arguments.as_ref().filter(|a| !a.is_none()) {
            Some(a) => Some(object_from_py(Some(a), "arguments")?),
            None => None,
        };
        if modifiers.as_ref().is_none_or(|m| m.is_none()) {
            return call(py, aio, self.s(), move |s| async move { s.execute(&tool_slug, args).await });
        }
        let mods = build_session_modifiers(py, modifiers.as_ref(), Some(&self.inner.session_id))?;
        call(
            py,
            aio,
            self.s(),
            move |s| async move { s.execute_with_modifiers(&tool_slug, args, &mods).await },
        )
    }

    /// `POST …/execute_meta` with modifiers.
    #[pyo3(signature = (slug, arguments=None, modifiers=None, aio=false))]
    fn execute_meta(
        &self,
        py: Python<'_>,
        slug: String,
        arguments: Option<Bound<'_, PyAny>>,
        modifiers: Option<Bound<'_, PyAny>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let args = object_from_py(arguments.as_ref(), "arguments")?;
        let mods = build_session_modifiers(py, modifiers.as_ref(), Some(&self.inner.session_id))?;
        call(py, aio, self.s(), move |s| async move { s.execute_meta(&slug, args, &mods).await })
    }

    /// `POST …/search`.
    #[pyo3(signature = (query, model=None, toolkits=None, aio=false))]
    fn search(
        &self,
        py: Python<'_>,
        query: String,
        model: Option<String>,
        toolkits: Option<Vec<String>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = SessionSearchParams { query, model, toolkits: list_of(toolkits) };
        call(py, aio, self.s(), move |s| async move { s.search(params).await })
    }

    /// `POST …/link`.
    #[pyo3(signature = (toolkit, callback_url=None, alias=None, aio=false))]
    fn authorize(
        &self,
        py: Python<'_>,
        toolkit: String,
        callback_url: Option<String>,
        alias: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let opts = AuthorizeOptions { callback_url, alias };
        call_with(
            py,
            aio,
            self.s(),
            move |s| async move { s.authorize(&toolkit, opts).await },
            conn_req_with(self.shared.clone()),
        )
    }

    /// `GET …/toolkits`.
    #[pyo3(signature = (toolkits=None, next_cursor=None, limit=None, is_connected=None, search=None, aio=false))]
    fn toolkits(
        &self,
        py: Python<'_>,
        toolkits: Option<Vec<String>>,
        next_cursor: Option<String>,
        limit: Option<u32>,
        is_connected: Option<bool>,
        search: Option<String>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let params = SessionToolkitsParams {
            toolkits: list_of(toolkits),
            cursor: next_cursor,
            limit,
            is_connected,
            search,
        };
        call(py, aio, self.s(), move |s| async move { s.toolkits(params).await })
    }

    /// The session's custom tools (`[{slug, original_slug, name, ...}]`);
    /// with `toolkit`, those of or extending that toolkit.
    #[pyo3(signature = (toolkit=None))]
    fn custom_tools(&self, py: Python<'_>, toolkit: Option<String>) -> PyResult<Py<PyAny>> {
        ser_to_py(py, &self.inner.custom_tools(toolkit.as_deref()))
    }

    /// The session's custom toolkits with their tools.
    fn custom_toolkits(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        ser_to_py(py, &self.inner.custom_toolkits())
    }

    /// `POST …/proxy_execute`.
    #[pyo3(signature = (toolkit, endpoint, method, body=None, parameters=None, aio=false))]
    fn proxy_execute(
        &self,
        py: Python<'_>,
        toolkit: String,
        endpoint: String,
        method: String,
        body: Option<Bound<'_, PyAny>>,
        parameters: Option<Bound<'_, PyAny>>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let mut v = Map::new();
        v.insert("toolkit".into(), Value::String(toolkit));
        v.insert("endpoint".into(), Value::String(endpoint));
        v.insert("method".into(), Value::String(method));
        if let Some(b) = opt_from_py(body.as_ref())? {
            v.insert("body".into(), b);
        }
        if let Some(p) = opt_from_py(parameters.as_ref())? {
            v.insert("parameters".into(), p);
        }
        let params: SessionProxyParams = de(py, Value::Object(v), "proxy_execute arguments")?;
        call(py, aio, self.s(), move |s| async move { s.proxy_execute(params).await })
    }

    /// `PATCH tool_router/session/{id}` with the given keys (`None` values
    /// are sent as null); returns the updated config (the server's echo).
    #[pyo3(signature = (patch, aio=false))]
    fn update(&self, py: Python<'_>, patch: Bound<'_, PyAny>, aio: bool) -> PyResult<Py<PyAny>> {
        let patch = object_from_py(Some(&patch), "patch")?;
        call(py, aio, self.s(), move |s| async move { Ok(s.update(&patch).await?.into_config()) })
    }

    /// `GET …/config_history`.
    #[pyo3(signature = (cursor=None, limit=None, aio=false))]
    fn config_history(
        &self,
        py: Python<'_>,
        cursor: Option<String>,
        limit: Option<u32>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        call(py, aio, self.s(), move |s| async move { s.config_history(cursor.as_deref(), limit).await })
    }

    /// `DELETE tool_router/session/{id}`.
    #[pyo3(signature = (aio=false))]
    fn delete(&self, py: Python<'_>, aio: bool) -> PyResult<Py<PyAny>> {
        call(py, aio, self.s(), move |s| async move { s.delete().await })
    }
}

/// A started connection.
#[pyclass(module = "composio_rs._native", name = "NativeConnectionRequest", frozen)]
pub struct NativeConnectionRequest {
    inner: ConnectionRequest,
    shared: Option<Arc<Shared>>,
    pid: u32,
}

impl NativeConnectionRequest {
    fn r(&self) -> ConnectionRequest {
        match &self.shared {
            Some(shared) if self.pid != std::process::id() => ConnectionRequest::new(
                &shared.client(),
                self.inner.id.clone(),
                self.inner.status.clone(),
                self.inner.redirect_url.clone(),
            ),
            _ => self.inner.clone(),
        }
    }
}

#[pymethods]
impl NativeConnectionRequest {
    /// Connected account id.
    #[getter]
    fn id(&self) -> String {
        self.inner.id.clone()
    }

    /// Status when the request was made.
    #[getter]
    fn status(&self) -> String {
        self.inner.status.clone()
    }

    /// Where the user completes the connection.
    #[getter]
    fn redirect_url(&self) -> Option<String> {
        self.inner.redirect_url.clone()
    }

    /// Waits until the account is ACTIVE (seconds).
    #[pyo3(signature = (timeout=60.0, poll_interval=None, aio=false))]
    fn wait_for_connection(
        &self,
        py: Python<'_>,
        timeout: f64,
        poll_interval: Option<f64>,
        aio: bool,
    ) -> PyResult<Py<PyAny>> {
        let timeout = secs(py, "timeout", timeout)?;
        let poll = match poll_interval {
            Some(p) => Some(secs(py, "poll_interval", p)?),
            None => None,
        };
        call(py, aio, self.r(), move |r| async move {
            match poll {
                Some(p) => r.wait_for_connection_with(timeout, p).await,
                None => r.wait_for_connection(timeout).await,
            }
        })
    }
}

// ---------------------------------------------------------------------------
// Module-level functions (no client needed)

/// Verifies a webhook; returns `(version, payload, raw_payload)`.
///
/// See [`crate::fast::verify_webhook`]: one decode of the body into Python
/// objects, shared by `payload` and `raw_payload`.
#[pyfunction]
#[pyo3(signature = (id, payload, secret, signature, timestamp, tolerance=300, now=None))]
pub fn verify_webhook(
    py: Python<'_>,
    id: &str,
    payload: &str,
    secret: &str,
    signature: &str,
    timestamp: &str,
    tolerance: i64,
    now: Option<i64>,
) -> PyResult<(&'static str, Py<PyAny>, Py<PyAny>)> {
    crate::fast::verify_webhook(py, id, payload, secret, signature, timestamp, tolerance, now)
}

/// Verifies a webhook from a header mapping (0.30 `triggers.parse`).
#[pyfunction]
#[pyo3(signature = (headers, body, secret, tolerance=300, now=None))]
pub fn verify_webhook_headers(
    py: Python<'_>,
    headers: Vec<(String, String)>,
    body: &str,
    secret: &str,
    tolerance: i64,
    now: Option<i64>,
) -> PyResult<(&'static str, Py<PyAny>, Py<PyAny>)> {
    use composio_core::webhooks::{
        verify_webhook_headers as verify, verify_webhook_headers_at, HEADER_WEBHOOK_ID,
        HEADER_WEBHOOK_SIGNATURE, HEADER_WEBHOOK_TIMESTAMP,
    };
    let header = |name: &str| {
        headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).unwrap_or("")
    };
    let (id, timestamp, signature) =
        (header(HEADER_WEBHOOK_ID), header(HEADER_WEBHOOK_TIMESTAMP), header(HEADER_WEBHOOK_SIGNATURE));
    if secret.is_empty() || id.is_empty() || timestamp.is_empty() || signature.is_empty() {
        // The engine names what is missing.
        let pairs = headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        let r = match now {
            Some(n) => verify_webhook_headers_at(pairs, body, secret, tolerance, n),
            None => verify(pairs, body, secret, tolerance),
        }
        .map_err(|e| to_pyerr(py, e))?;
        return Ok((r.version.as_str(), ser_to_py(py, &r.payload)?, to_py(py, &r.raw_payload)?));
    }
    verify_webhook(py, id, body, secret, signature, timestamp, tolerance, now)
}

/// Signs a webhook body (`v1,<base64>`), for tests and local senders.
#[pyfunction]
pub fn sign_webhook(id: &str, timestamp: &str, payload: &str, secret: &str) -> String {
    composio_core::webhooks::sign_webhook(id, timestamp, payload, secret)
}

/// Normalises an already-parsed webhook body: `(version, payload)`.
#[pyfunction]
pub fn parse_webhook_payload(py: Python<'_>, body: Bound<'_, PyAny>) -> PyResult<(String, Py<PyAny>)> {
    let v = from_py(&body)?;
    let (version, event) = composio_core::webhooks::parse_payload(&v).map_err(|e| to_pyerr(py, e))?;
    Ok((version.as_str().to_string(), ser_to_py(py, &event)?))
}

/// A provider's own `wrap_tools` over raw tool dicts (no description
/// enhancement), or with `enhance` the `tools.get` format.
#[pyfunction]
#[pyo3(signature = (tools, provider, strict=false, cache_tools=false, enhance=false))]
pub fn wrap_tools(
    py: Python<'_>,
    tools: Bound<'_, PyAny>,
    provider: &str,
    strict: bool,
    cache_tools: bool,
    enhance: bool,
) -> PyResult<Py<PyAny>> {
    let provider = provider_from(py, provider, strict, cache_tools)?;
    let tools: Vec<composio_core::models::Tool> = de(py, from_py(&tools)?, "tools")?;
    let out = if enhance {
        providers::format_tools(&provider, &tools, Flavor::Python)
    } else {
        providers::wrap_tools(&provider, &tools, Flavor::Python)
    };
    to_py(py, &Value::Array(out))
}

/// A connection state (`auth_scheme.<name>(options)`), as a dict.
#[pyfunction]
pub fn connection_state(
    py: Python<'_>,
    scheme: &str,
    options: Option<Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let val = object_from_py(options.as_ref(), "options")?;
    let state = match scheme {
        "oauth2" => ConnectionState::oauth2(val),
        "oauth1" => ConnectionState::oauth1(val),
        "composio_link" => ConnectionState::composio_link(val),
        "api_key" => ConnectionState::api_key(val),
        "basic" => ConnectionState::basic(val),
        "bearer_token" => ConnectionState::bearer_token(val),
        "google_service_account" => ConnectionState::google_service_account(val),
        "no_auth" => ConnectionState::no_auth(val),
        "calcom_auth" => ConnectionState::calcom_auth(val),
        "billcom_auth" => ConnectionState::billcom_auth(val),
        "basic_with_jwt" => ConnectionState::basic_with_jwt(val),
        other => return Err(validation(py, format!("unknown auth scheme helper {other:?}"))),
    };
    ser_to_py(py, &state)
}

/// Builds a session configuration body exactly as it would be sent (for
/// inspection and tests).
#[pyfunction]
pub fn session_request_body(py: Python<'_>, user_id: &str, config: Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let cfg: SessionConfig = de(py, from_py(&config)?, "session configuration")?;
    let body = cfg.to_request_body(user_id).map_err(|e| to_pyerr(py, e))?;
    to_py(py, &body)
}

/// Raises a panic inside the engine bridge (tests: panics become
/// `ComposioError` with code `INTERNAL_ERROR`).
#[pyfunction]
#[pyo3(signature = (aio=false))]
pub fn _panic_for_tests(py: Python<'_>, aio: bool) -> PyResult<Py<PyAny>> {
    run(
        py,
        aio,
        async {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 3;
            if i > 2 {
                panic!("deliberate test panic");
            }
            Ok(())
        },
        ok_none,
    )
}
