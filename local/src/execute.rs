//! Running tools: argument validation, the built-in implementations, and the meta tools
//! (search, schemas, multi-execute, connections) evaluated against a session's configuration.

use serde_json::{json, Map, Value};

use crate::schema::validate_arguments;
use crate::sessions::SessionConfig;
use crate::toolkits::{self, meta, ToolDef, Toolkit};

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
    /// The session id, when run through a session.
    pub session_id: Option<&'a str>,
    /// The rules that apply.
    pub config: &'a SessionConfig,
}

/// Validate `args` against the tool's schema and run it (regular or meta tool), honouring `scope`.
pub fn run(
    tk: &'static Toolkit,
    tool: &'static ToolDef,
    args: &Map<String, Value>,
    scope: &Scope<'_>,
) -> Outcome {
    if let Err(e) = scope.config.check_tool(tk, tool) {
        return Outcome::fail(e);
    }
    let args = match validate_arguments(&tool.input_parameters, args) {
        Ok(a) => a,
        Err(e) => return Outcome::fail(format!("Invalid arguments for {}: {e}", tool.slug)),
    };
    match tool.run {
        Some(f) => match f(&args) {
            Ok(data) => Outcome::ok(data),
            Err(e) => Outcome::fail(format!("{} failed: {e}", tool.slug)),
        },
        None => run_meta(tool.slug, &args, scope),
    }
}

/// Run a slug that may be a meta tool, a regular tool, or neither (in `execute_meta`).
pub fn run_slug(slug: &str, args: &Map<String, Value>, scope: &Scope<'_>) -> Outcome {
    match toolkits::find_tool(slug) {
        Some((tk, tool)) => run(tk, tool, args, scope),
        None => Outcome::fail(unavailable(slug)),
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

fn run_meta(slug: &str, args: &Map<String, Value>, scope: &Scope<'_>) -> Outcome {
    match slug {
        meta::SEARCH_TOOLS => search_tools(args, scope),
        meta::GET_TOOL_SCHEMAS => get_tool_schemas(args, scope),
        meta::MULTI_EXECUTE_TOOL => multi_execute(args, scope),
        meta::MANAGE_CONNECTIONS => manage_connections(args, scope),
        other => Outcome::fail(unavailable(other)),
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

fn connection_status(tk: &Toolkit) -> Value {
    json!({
        "toolkit": tk.slug,
        "description": tk.description,
        "has_active_connection": tk.no_auth,
        "status_message": if tk.no_auth {
            format!("{} needs no connection; its tools can be executed directly.", tk.name)
        } else {
            format!("No active connection to {}; use COMPOSIO_MANAGE_CONNECTIONS to connect.", tk.name)
        },
    })
}

fn search_tools(args: &Map<String, Value>, scope: &Scope<'_>) -> Outcome {
    let candidates: Vec<(&'static Toolkit, &'static ToolDef)> =
        toolkits::regular_tools().filter(|(tk, t)| scope.config.check_tool(tk, t).is_ok()).collect();
    let texts: Vec<(&str, &str, &str)> =
        candidates.iter().map(|(_, t)| (t.slug, t.name, t.description)).collect();
    let queries = args.get("queries").and_then(Value::as_array).cloned().unwrap_or_default();
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
            Some(&i) => guidance.push(format!(
                "For \"{use_case}\", run {} with COMPOSIO_MULTI_EXECUTE_TOOL using arguments that match its input_schema.",
                candidates[i].1.slug
            )),
            None => {
                result["error"] = json!(format!("No tool available in this session matches \"{use_case}\"."));
                guidance.push(format!("No tool matched \"{use_case}\"; try other words or enable more toolkits."));
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
    let statuses: Vec<Value> = toolkits_seen.iter().map(|tk| connection_status(tk)).collect();
    Outcome::ok(json!({
        "success": true,
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

fn multi_execute(args: &Map<String, Value>, scope: &Scope<'_>) -> Outcome {
    let entries = args.get("tools").and_then(Value::as_array).cloned().unwrap_or_default();
    if entries.len() > meta::MULTI_EXECUTE_LIMIT {
        return Outcome::fail(format!(
            "COMPOSIO_MULTI_EXECUTE_TOOL runs at most {} tools per call, got {}",
            meta::MULTI_EXECUTE_LIMIT,
            entries.len()
        ));
    }
    let empty = Map::new();
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let slug = entry.get("tool_slug").and_then(Value::as_str).unwrap_or_default();
        let tool_args = entry.get("arguments").and_then(Value::as_object).unwrap_or(&empty);
        let outcome = match toolkits::find_tool(slug) {
            Some((tk, _)) if tk.slug == "composio" => Outcome::fail(format!(
                "{slug} is a meta tool and cannot be run through COMPOSIO_MULTI_EXECUTE_TOOL"
            )),
            Some((tk, tool)) => run(tk, tool, tool_args, scope),
            None => Outcome::fail(format!("unknown tool `{slug}`")),
        };
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
    Outcome { data, error }
}

fn manage_connections(args: &Map<String, Value>, scope: &Scope<'_>) -> Outcome {
    let slugs: Vec<&str> = args
        .get("toolkits")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut results = Map::new();
    let mut problems = Vec::new();
    for slug in slugs {
        let Some(tk) = toolkits::listed().find(|t| t.slug.eq_ignore_ascii_case(slug)) else {
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
        } else {
            problems
                .push(format!("connecting `{}` is not available in this version of composio-local", tk.slug));
        }
    }
    let error = (!problems.is_empty()).then(|| problems.join("; "));
    Outcome { data: json!({"results": results}), error }
}
