//! Running tools: argument validation, the built-in implementations, and the meta tools
//! (search, schemas, multi-execute, connections) evaluated against a session's configuration.

use serde_json::{json, Map, Value};

use std::collections::HashMap;

use crate::accounts::{self, AccountRow};
use crate::connect::{self, NewConnection};
use crate::credentials;
use crate::errors::ApiError;
use crate::schema::validate_arguments;
use crate::sessions::SessionConfig;
use crate::toolkits::{self, meta, Runner, ToolDef, Toolkit};
use crate::AppState;

/// The result of one tool run: `data` plus a tool-level error (HTTP 200 either way).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The tool's data (`{}` on failure).
    pub data: Value,
    /// The tool-level error, naming the problem.
    pub error: Option<String>,
}

impl Outcome {
    fn ok(data: Value) -> Self {
        Outcome { data, error: None }
    }

    fn fail(error: impl Into<String>) -> Self {
        Outcome { data: json!({}), error: Some(error.into()) }
    }

    /// Whether the run succeeded.
    pub fn successful(&self) -> bool {
        self.error.is_none()
    }
}

/// Where a tool runs: inside a session (its id and configuration) or directly.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    /// The server (database, HTTP client, settings).
    pub state: &'a AppState,
    /// The session id, when run through a session.
    pub session_id: Option<&'a str>,
    /// The rules that apply (and the user).
    pub config: &'a SessionConfig,
    /// A connected account the caller named explicitly.
    pub account: Option<&'a str>,
}

/// Validate `args` against the tool's schema and run it (regular or meta tool), honouring `scope`.
/// `Err` is a request-level failure (e.g. no connected account: code 1803); tool failures are in the [`Outcome`].
pub async fn run(
    tk: &'static Toolkit,
    tool: &'static ToolDef,
    args: &Map<String, Value>,
    scope: &Scope<'_>,
) -> Result<Outcome, ApiError> {
    if !matches!(tool.run, Runner::Meta) {
        return run_tool(tk, tool, args, scope).await;
    }
    if let Err(e) = scope.config.check_tool(tk, tool) {
        return Ok(Outcome::fail(e));
    }
    match validate_arguments(&tool.input_parameters, args) {
        Ok(a) => run_meta(tool.slug, &a, scope).await,
        Err(e) => Ok(Outcome::fail(format!("Invalid arguments for {}: {e}", tool.slug))),
    }
}

/// Run a regular (non-meta) tool.
async fn run_tool(
    tk: &'static Toolkit,
    tool: &'static ToolDef,
    args: &Map<String, Value>,
    scope: &Scope<'_>,
) -> Result<Outcome, ApiError> {
    if let Err(e) = scope.config.check_tool(tk, tool) {
        return Ok(Outcome::fail(e));
    }
    let account = match tool.run {
        Runner::Account(_) => Some(credentials::resolve(scope.state, tk, scope.config, scope.account).await?),
        _ => None,
    };
    let args = match validate_arguments(&tool.input_parameters, args) {
        Ok(a) => a,
        Err(e) => return Ok(Outcome::fail(format!("Invalid arguments for {}: {e}", tool.slug))),
    };
    match (tool.run, account) {
        (Runner::Pure(f), _) => Ok(match f(&args) {
            Ok(data) => Outcome::ok(data),
            Err(e) => Outcome::fail(format!("{} failed: {e}", tool.slug)),
        }),
        (Runner::Files(f), _) => {
            let store = crate::routes::files::FileStore::for_state(scope.state);
            let result = tokio::task::spawn_blocking(move || f(&store, &args))
                .await
                .map_err(|e| ApiError::internal(format!("file tool task failed: {e}")))?;
            Ok(match result {
                Ok(data) => Outcome::ok(data),
                Err(e) => Outcome::fail(format!("{} failed: {e}", tool.slug)),
            })
        }
        (Runner::Account(f), Some((row, cfg))) => {
            if let Some(allowed) = cfg.tools_available_for_execution() {
                if !allowed.iter().any(|s| s == tool.slug) {
                    return Ok(Outcome::fail(format!(
                        "{} is not in `tool_access_config.tools_available_for_execution` of auth config `{}`",
                        tool.slug, cfg.id
                    )));
                }
            }
            let ctx = match credentials::context(scope.state, row, &cfg).await {
                Ok(ctx) => ctx,
                Err(e) => return Ok(Outcome::fail(e)),
            };
            if !ctx.scopes.is_empty() {
                if let Some(missing) = tool.scopes.iter().find(|s| !ctx.scopes.iter().any(|g| g == *s)) {
                    return Ok(Outcome::fail(format!(
                        "{} needs the `{missing}` scope, which connected account `{}` was not granted",
                        tool.slug, ctx.connected_account_id
                    )));
                }
            }
            let account_id = ctx.connected_account_id.clone();
            let result = scope.state.db.call(move |c| Ok(f(c, &ctx, &args))).await?;
            Ok(match result {
                Ok(data) => {
                    crate::triggers::fire::after_tool(scope.state, tool.slug, &account_id, &data).await;
                    Outcome::ok(data)
                }
                Err(e) => Outcome::fail(format!("{} failed: {e}", tool.slug)),
            })
        }
        _ => Ok(Outcome::fail(format!("{} is a meta tool and cannot be run here", tool.slug))),
    }
}

/// Run a slug that may be a meta tool, a regular tool, or neither (in `execute_meta`).
pub async fn run_slug(slug: &str, args: &Map<String, Value>, scope: &Scope<'_>) -> Result<Outcome, ApiError> {
    match toolkits::find_tool(slug) {
        Some((tk, tool)) => run(tk, tool, args, scope).await,
        None => Ok(Outcome::fail(unavailable(slug))),
    }
}

/// The message for meta tools (and other slugs) composio-local does not provide.
pub fn unavailable(slug: &str) -> String {
    if meta::UNAVAILABLE.iter().any(|s| s.eq_ignore_ascii_case(slug)) {
        format!("{slug} is not available in composio-local")
    } else {
        format!("{slug} is not available in composio-local: there is no meta tool or tool with this slug")
    }
}

async fn run_meta(slug: &str, args: &Map<String, Value>, scope: &Scope<'_>) -> Result<Outcome, ApiError> {
    match slug {
        meta::SEARCH_TOOLS => Ok(Outcome::ok(search(args, scope).await?)),
        meta::GET_TOOL_SCHEMAS => Ok(get_tool_schemas(args, scope)),
        meta::MULTI_EXECUTE_TOOL => multi_execute(args, scope).await,
        meta::MANAGE_CONNECTIONS => manage_connections(args, scope).await,
        other => Ok(Outcome::fail(unavailable(other))),
    }
}

fn schema_entry(tk: &Toolkit, tool: &ToolDef) -> Value {
    json!({
        "tool_slug": tool.slug,
        "toolkit": tk.slug,
        "description": tool.description,
        "input_schema": tool.input_parameters,
        "output_schema": tool.output_parameters,
        "hasFullSchema": true,
    })
}

/// The account each authenticated toolkit of the session would run with (pinned, else the newest
/// usable one of the user), or the newest account of any status when none is usable.
pub async fn session_accounts(
    state: &AppState,
    config: &SessionConfig,
) -> Result<HashMap<String, AccountRow>, ApiError> {
    let user_id = config.user_id.clone();
    let pinned = config.connected_accounts.clone();
    let overrides = config.auth_configs.clone();
    state
        .db
        .call(move |c| {
            let mut out = HashMap::new();
            for tk in toolkits::listed().filter(|t| !t.no_auth) {
                if let Some(id) = pinned.get(tk.slug).and_then(Value::as_str) {
                    if let Some(row) = accounts::get(c, id)? {
                        out.insert(tk.slug.to_owned(), row);
                    }
                    continue;
                }
                if user_id.is_empty() {
                    continue;
                }
                let ac = overrides.get(tk.slug).and_then(Value::as_str);
                let rows: Vec<AccountRow> = accounts::for_user(c, &user_id, tk.slug)?
                    .into_iter()
                    .filter(|a| ac.is_none_or(|id| a.auth_config_id == id))
                    .collect();
                let pick = rows.iter().find(|a| a.is_usable()).or(rows.first()).cloned();
                if let Some(row) = pick {
                    out.insert(tk.slug.to_owned(), row);
                }
            }
            Ok(out)
        })
        .await
}

fn connection_status(tk: &Toolkit, account: Option<&AccountRow>) -> Value {
    let active = tk.no_auth || account.is_some_and(AccountRow::is_usable);
    let message = if tk.no_auth {
        format!("{} needs no connection; its tools can be executed directly.", tk.name)
    } else if let Some(a) = account.filter(|a| a.is_usable()) {
        format!("Connected to {} through account {}.", tk.name, a.id)
    } else {
        format!("No active connection to {}; use COMPOSIO_MANAGE_CONNECTIONS to connect.", tk.name)
    };
    let mut status = json!({
        "toolkit": tk.slug,
        "description": tk.description,
        "has_active_connection": active,
        "status_message": message,
    });
    if let Some(a) = account {
        status["accounts"] =
            json!([{"id": a.id, "status": a.status, "alias": a.alias, "user_id": a.user_id}]);
    }
    status
}

/// The search over a session's tools behind `COMPOSIO_SEARCH_TOOLS` and `POST …/search` (§2.8).
pub async fn search(args: &Map<String, Value>, scope: &Scope<'_>) -> Result<Value, ApiError> {
    let candidates: Vec<(&'static Toolkit, &'static ToolDef)> =
        toolkits::regular_tools().filter(|(tk, t)| scope.config.check_tool(tk, t).is_ok()).collect();
    let texts: Vec<(&str, &str, &str)> =
        candidates.iter().map(|(_, t)| (t.slug, t.name, t.description)).collect();
    let queries = args.get("queries").and_then(Value::as_array).cloned().unwrap_or_default();
    let accounts = session_accounts(scope.state, scope.config).await?;
    let mut results = Vec::new();
    let mut schemas = Map::new();
    let mut toolkits_seen: Vec<&'static Toolkit> = Vec::new();
    let mut guidance = Vec::new();
    for (index, query) in queries.iter().enumerate() {
        let use_case = query.get("use_case").and_then(Value::as_str).unwrap_or_default();
        let ranked = meta::rank(use_case, &texts);
        let best = ranked.first().map_or(0.0, |r| r.1);
        let primary: Vec<usize> =
            ranked.iter().filter(|(_, s)| *s >= best * 0.6).take(3).map(|(i, _)| *i).collect();
        let related: Vec<usize> =
            ranked.iter().map(|(i, _)| *i).filter(|i| !primary.contains(i)).take(5).collect();
        for &i in primary.iter().chain(&related) {
            let (tk, tool) = candidates[i];
            schemas.insert(tool.slug.to_owned(), schema_entry(tk, tool));
            if !toolkits_seen.iter().any(|t| t.slug == tk.slug) {
                toolkits_seen.push(tk);
            }
        }
        let slugs = |v: &[usize]| v.iter().map(|&i| candidates[i].1.slug).collect::<Vec<_>>();
        let mut result = json!({
            "index": index,
            "use_case": use_case,
            "primary_tool_slugs": slugs(&primary),
            "related_tool_slugs": slugs(&related),
            "toolkits": primary.iter().chain(&related).map(|&i| candidates[i].0.slug)
                .fold(Vec::<&str>::new(), |mut acc, s| { if !acc.contains(&s) { acc.push(s) } acc }),
            "known_fields": query.get("known_fields").cloned().unwrap_or(Value::Null),
        });
        match primary.first() {
            Some(&i) => {
                let (tk, tool) = candidates[i];
                let connected = tk.no_auth || accounts.get(tk.slug).is_some_and(AccountRow::is_usable);
                guidance.push(if connected {
                    format!(
                        "For \"{use_case}\", run {} with COMPOSIO_MULTI_EXECUTE_TOOL using arguments that match its input_schema.",
                        tool.slug
                    )
                } else {
                    format!(
                        "For \"{use_case}\", first connect `{}` with COMPOSIO_MANAGE_CONNECTIONS, then run {}.",
                        tk.slug, tool.slug
                    )
                });
            }
            None => {
                result["error"] = json!(format!("No tool available in this session matches \"{use_case}\"."));
                guidance.push(format!(
                    "No tool matched \"{use_case}\"; try other words or enable more toolkits."
                ));
            }
        }
        results.push(result);
    }
    let session = args.get("session").and_then(Value::as_object);
    let workflow_id = session
        .and_then(|s| s.get("id"))
        .and_then(Value::as_str)
        .map_or_else(|| crate::ids::random_base62(8).to_lowercase(), str::to_owned);
    let now = crate::ids::now_unix();
    let statuses: Vec<Value> =
        toolkits_seen.iter().map(|tk| connection_status(tk, accounts.get(tk.slug))).collect();
    Ok(json!({
        "success": true,
        "error": null,
        "results": results,
        "tool_schemas": schemas,
        "toolkit_connection_statuses": statuses,
        "next_steps_guidance": guidance,
        "session": {
            "id": workflow_id,
            "generate_id": session.and_then(|s| s.get("generate_id")).and_then(Value::as_bool).unwrap_or(false),
            "instructions": "Pass this session id to later COMPOSIO_SEARCH_TOOLS calls of the same workflow.",
        },
        "time_info": {
            "current_time_utc": crate::ids::iso_from_unix(now, 0),
            "current_time_utc_epoch_seconds": now,
            "message": "Current time in UTC.",
        },
        "router_session_id": scope.session_id,
    }))
}

fn get_tool_schemas(args: &Map<String, Value>, scope: &Scope<'_>) -> Outcome {
    let slugs: Vec<&str> = args
        .get("tool_slugs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut schemas = Map::new();
    let mut problems = Vec::new();
    for slug in slugs {
        match toolkits::find_tool(slug) {
            None => problems.push(format!("unknown tool `{slug}`")),
            Some((tk, tool)) => match scope.config.check_tool(tk, tool) {
                Ok(()) => {
                    schemas.insert(tool.slug.to_owned(), schema_entry(tk, tool));
                }
                Err(e) => problems.push(e),
            },
        }
    }
    let error = (!problems.is_empty()).then(|| problems.join("; "));
    Outcome { data: json!({"tool_schemas": schemas}), error }
}

async fn multi_execute(args: &Map<String, Value>, scope: &Scope<'_>) -> Result<Outcome, ApiError> {
    let entries = args.get("tools").and_then(Value::as_array).cloned().unwrap_or_default();
    if entries.len() > meta::MULTI_EXECUTE_LIMIT {
        return Ok(Outcome::fail(format!(
            "COMPOSIO_MULTI_EXECUTE_TOOL runs at most {} tools per call, got {}",
            meta::MULTI_EXECUTE_LIMIT,
            entries.len()
        )));
    }
    // Every call runs as its own task, so slow calls overlap instead of queueing.
    let mut set: tokio::task::JoinSet<(usize, String, Result<Outcome, ApiError>)> =
        tokio::task::JoinSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let slug = entry.get("tool_slug").and_then(Value::as_str).unwrap_or_default().to_owned();
        let tool_args = entry.get("arguments").and_then(Value::as_object).cloned().unwrap_or_default();
        let state = scope.state.clone();
        let config = scope.config.clone();
        let session_id = scope.session_id.map(str::to_owned);
        let account = scope.account.map(str::to_owned);
        set.spawn(async move {
            let scope = Scope {
                state: &state,
                session_id: session_id.as_deref(),
                config: &config,
                account: account.as_deref(),
            };
            let outcome = match toolkits::find_tool(&slug) {
                Some((tk, _)) if tk.slug == "composio" => Ok(Outcome::fail(format!(
                    "{slug} is a meta tool and cannot be run through COMPOSIO_MULTI_EXECUTE_TOOL"
                ))),
                Some((tk, tool)) => match run_tool(tk, tool, &tool_args, &scope).await {
                    Err(e) if e.status.is_client_error() => Ok(Outcome::fail(e.message)),
                    other => other,
                },
                None => Ok(Outcome::fail(format!("unknown tool `{slug}`"))),
            };
            (index, slug, outcome)
        });
    }
    let mut done: Vec<(usize, String, Outcome)> = Vec::with_capacity(entries.len());
    while let Some(joined) = set.join_next().await {
        let (index, slug, outcome) = joined
            .map_err(|e| ApiError::internal(format!("a COMPOSIO_MULTI_EXECUTE_TOOL call failed: {e}")))?;
        done.push((index, slug, outcome?));
    }
    done.sort_by_key(|(index, _, _)| *index);
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for (index, slug, outcome) in done {
        if let Some(e) = &outcome.error {
            failures.push(format!("tools[{index}] {slug}: {e}"));
        }
        results.push(json!({
            "index": index,
            "tool_slug": slug,
            "response": {"data": outcome.data, "error": outcome.error, "successful": outcome.error.is_none()},
        }));
    }
    let total = results.len();
    let data = json!({
        "results": results,
        "total_count": total,
        "success_count": total - failures.len(),
        "error_count": failures.len(),
    });
    let error = (!failures.is_empty())
        .then(|| format!("{} of {total} tools failed: {}", failures.len(), failures.join("; ")));
    Ok(Outcome { data, error })
}

async fn manage_connections(args: &Map<String, Value>, scope: &Scope<'_>) -> Result<Outcome, ApiError> {
    let slugs: Vec<String> = args
        .get("toolkits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let reinitiate = args.get("reinitiate_all").and_then(Value::as_bool).unwrap_or(false);
    let accounts = session_accounts(scope.state, scope.config).await?;
    let mut results = Map::new();
    let mut problems = Vec::new();
    for slug in slugs {
        let Some(tk) = toolkits::listed().find(|t| t.slug.eq_ignore_ascii_case(&slug)) else {
            problems.push(format!("unknown toolkit `{slug}`"));
            continue;
        };
        if let Err(e) = scope.config.check_toolkit(tk) {
            problems.push(e);
            continue;
        }
        if tk.no_auth {
            results.insert(
                tk.slug.to_owned(),
                json!({
                    "toolkit": tk.slug,
                    "status": "no_auth_required",
                    "has_active_connection": true,
                    "message": format!("{} needs no connection; its tools can be executed directly.", tk.name),
                }),
            );
            continue;
        }
        if let Some(a) = accounts.get(tk.slug).filter(|a| a.is_usable() && !reinitiate) {
            results.insert(
                tk.slug.to_owned(),
                json!({
                    "toolkit": tk.slug,
                    "status": "active",
                    "has_active_connection": true,
                    "connected_account_id": a.id,
                    "message": format!("Already connected to {} (account {}).", tk.name, a.id),
                }),
            );
            continue;
        }
        if scope.config.user_id.is_empty() {
            problems.push(format!("connecting `{}` needs a user id; run this tool in a session", tk.slug));
            continue;
        }
        match start_link(scope.state, scope.config, tk, None, None).await {
            Ok((account_id, url, _)) => {
                results.insert(
                    tk.slug.to_owned(),
                    json!({
                        "toolkit": tk.slug,
                        "status": "initiated",
                        "has_active_connection": false,
                        "connected_account_id": account_id,
                        "redirect_url": url,
                        "message": format!("Ask the user to open {url} to connect {}; then retry the tool.", tk.name),
                    }),
                );
            }
            Err(e) if e.status.is_client_error() => problems.push(e.message),
            Err(e) => return Err(e),
        }
    }
    let error = (!problems.is_empty()).then(|| problems.join("; "));
    Ok(Outcome { data: json!({"results": results}), error })
}

/// Start a connection for the session's user to `tk` (the session's auth config for it, else the
/// Composio-managed one) and return the account id and connect URL.
pub async fn start_link(
    state: &AppState,
    config: &SessionConfig,
    tk: &'static Toolkit,
    callback_url: Option<String>,
    alias: Option<String>,
) -> Result<(String, String, connect::Link), ApiError> {
    let override_id = config.auth_configs.get(tk.slug).and_then(Value::as_str).map(str::to_owned);
    let new = NewConnection {
        user_id: config.user_id.clone(),
        callback_url: callback_url.or_else(|| config.manage_connections.callback_url.clone()),
        alias,
        ..Default::default()
    };
    let ttl = state.settings.link_ttl.as_secs();
    let (row, link) = state
        .db
        .call(move |c| {
            let cfg = connect::pick_auth_config(c, tk, override_id.as_deref())?;
            let (row, link) = connect::start(c, ttl, &cfg, NewConnection { credentials: None, ..new })?;
            let link =
                link.ok_or_else(|| ApiError::internal("a connection without credentials got no link"))?;
            Ok((row, link))
        })
        .await?;
    let url = link.url(&state.base_url);
    Ok((row.id, url, link))
}
