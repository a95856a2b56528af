//! `composio` — the tool-router meta tools. Their schemas live here; they are run by
//! [`crate::execute`] because they need the session's configuration.

use serde_json::json;

use super::{output_schema, Runner, ToolDef, Toolkit};

/// Searches the session's tools.
pub const SEARCH_TOOLS: &str = "COMPOSIO_SEARCH_TOOLS";
/// Returns full schemas of named tools.
pub const GET_TOOL_SCHEMAS: &str = "COMPOSIO_GET_TOOL_SCHEMAS";
/// Runs several tools in one call.
pub const MULTI_EXECUTE_TOOL: &str = "COMPOSIO_MULTI_EXECUTE_TOOL";
/// Reports (and later creates) connections.
pub const MANAGE_CONNECTIONS: &str = "COMPOSIO_MANAGE_CONNECTIONS";
/// Most tools one `COMPOSIO_MULTI_EXECUTE_TOOL` call may run.
pub const MULTI_EXECUTE_LIMIT: usize = 20;

/// Meta tools of the hosted API that composio-local does not provide.
pub const UNAVAILABLE: &[&str] = &[
    "COMPOSIO_WAIT_FOR_CONNECTIONS",
    "COMPOSIO_REMOTE_WORKBENCH",
    "COMPOSIO_REMOTE_BASH_TOOL",
    "COMPOSIO_UPSERT_RECIPE",
    "COMPOSIO_GET_RECIPE",
];

/// The meta toolkit (not listed in `GET /toolkits`).
pub fn toolkit() -> Toolkit {
    Toolkit {
        slug: "composio",
        name: "Composio",
        description: "Tool-router meta tools: discover, inspect, connect and run the tools of a session.",
        logo: "https://logos.composio.dev/api/composio",
        categories: vec![],
        version: "20251201_00",
        available_versions: vec!["20251201_00"],
        no_auth: true,
        auth_schemes: vec![],
        listed: false,
        created_at: "2025-11-15T00:00:00.000Z",
        updated_at: "2025-12-01T00:00:00.000Z",
        tools: vec![search_tools(), get_tool_schemas(), multi_execute(), manage_connections()],
    }
}

fn search_tools() -> ToolDef {
    ToolDef {
        slug: SEARCH_TOOLS,
        name: "Search tools",
        description: "Finds the tools best suited to each use case, ranked by how well their names and descriptions \
                      match, and returns their input schemas and the connection status of their toolkits. Call this \
                      first to discover which tool to run.",
        input_parameters: json!({
            "type": "object",
            "title": "SearchToolsRequest",
            "properties": {
                "queries": {
                    "type": "array",
                    "title": "Queries",
                    "description": "One entry per independent use case to find tools for.",
                    "minItems": 1,
                    "maxItems": 10,
                    "items": {
                        "type": "object",
                        "properties": {
                            "use_case": {
                                "type": "string",
                                "description": "What the user wants to do, in plain words.",
                                "minLength": 1,
                                "examples": ["count the words in a paragraph"],
                            },
                            "known_fields": {
                                "type": "string",
                                "description": "Values already known, as `key: value` pairs separated by commas.",
                                "examples": ["text: Hello world"],
                            },
                        },
                        "required": ["use_case"],
                        "additionalProperties": false,
                    },
                },
                "session": {
                    "type": "object",
                    "title": "Session",
                    "description": "Session context for multi-step workflows.",
                    "properties": {
                        "generate_id": {"type": "boolean", "description": "Start a new workflow id.", "default": false},
                        "id": {"type": "string", "description": "An existing workflow id to continue."},
                    },
                    "additionalProperties": false,
                },
            },
            "required": ["queries"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({"type": "object", "properties": {
            "results": {"type": "array"}, "tool_schemas": {"type": "object"},
            "toolkit_connection_statuses": {"type": "array"}, "next_steps_guidance": {"type": "array"}}})),
        tags: vec!["readOnlyHint", "idempotentHint"],
        scopes: vec![],
        important: true,
        run: Runner::Meta,
    }
}

fn get_tool_schemas() -> ToolDef {
    ToolDef {
        slug: GET_TOOL_SCHEMAS,
        name: "Get tool schemas",
        description: "Returns the complete input and output schemas of the named tools.",
        input_parameters: json!({
            "type": "object",
            "title": "GetToolSchemasRequest",
            "properties": {
                "tool_slugs": {
                    "type": "array",
                    "title": "Tool Slugs",
                    "description": "Slugs of the tools whose schemas to return.",
                    "minItems": 1,
                    "maxItems": 50,
                    "items": {"type": "string"},
                    "examples": [["TEXT_WORD_COUNT"]],
                },
            },
            "required": ["tool_slugs"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(
            json!({"type": "object", "properties": {"tool_schemas": {"type": "object"}}}),
        ),
        tags: vec!["readOnlyHint", "idempotentHint"],
        scopes: vec![],
        important: true,
        run: Runner::Meta,
    }
}

fn multi_execute() -> ToolDef {
    ToolDef {
        slug: MULTI_EXECUTE_TOOL,
        name: "Multi-execute tools",
        description:
            "Executes up to 20 tools in one call and returns their results in the order given. Use it for \
                      independent operations; arguments must match each tool's input schema.",
        input_parameters: json!({
            "type": "object",
            "title": "MultiExecuteToolRequest",
            "properties": {
                "tools": {
                    "type": "array",
                    "title": "Tools",
                    "description": "The tools to run, each with its arguments (at most 20).",
                    "minItems": 1,
                    "maxItems": MULTI_EXECUTE_LIMIT,
                    "items": {
                        "type": "object",
                        "properties": {
                            "tool_slug": {"type": "string", "description": "Slug of the tool to run.",
                                          "examples": ["TEXT_WORD_COUNT"]},
                            "arguments": {"type": "object", "description": "Arguments matching the tool's input schema.",
                                          "examples": [{"text": "Hello world"}]},
                        },
                        "required": ["tool_slug", "arguments"],
                        "additionalProperties": false,
                    },
                },
                "thought": {"type": "string", "title": "Thought", "description": "Why these tools are being run."},
                "sync_response_to_workbench": {
                    "type": "boolean",
                    "title": "Sync Response To Workbench",
                    "description": "Accepted for compatibility; composio-local has no workbench, so results are always returned inline.",
                    "default": false,
                },
            },
            "required": ["tools"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({"type": "object", "properties": {
            "results": {"type": "array"}, "total_count": {"type": "integer"},
            "success_count": {"type": "integer"}, "error_count": {"type": "integer"}}})),
        tags: vec!["openWorldHint"],
        scopes: vec![],
        important: true,
        run: Runner::Meta,
    }
}

fn manage_connections() -> ToolDef {
    ToolDef {
        slug: MANAGE_CONNECTIONS,
        name: "Manage connections",
        description:
            "Checks whether the user is connected to the given toolkits and returns a connect link for \
                      each toolkit that needs one.",
        input_parameters: json!({
            "type": "object",
            "title": "ManageConnectionsRequest",
            "properties": {
                "toolkits": {
                    "type": "array",
                    "title": "Toolkits",
                    "description": "Slugs of the toolkits to check or connect.",
                    "minItems": 1,
                    "items": {"type": "string"},
                    "examples": [["text"]],
                },
                "reinitiate_all": {
                    "type": "boolean",
                    "title": "Reinitiate All",
                    "description": "Start new connections even where an active one exists.",
                    "default": false,
                },
            },
            "required": ["toolkits"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(
            json!({"type": "object", "properties": {"results": {"type": "object"}}}),
        ),
        tags: vec!["openWorldHint"],
        scopes: vec![],
        important: true,
        run: Runner::Meta,
    }
}

/// Lower-case search terms of `text`, with a trailing plural `s` removed.
pub fn terms(text: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "is", "are", "be", "by", "with",
        "from", "at", "it", "its", "this", "that", "my", "me", "i", "some", "any", "all", "how", "what",
        "which", "into", "as", "do", "does",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            match w.strip_suffix('s') {
                Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_owned(),
                _ => w,
            }
        })
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

/// Rank `candidates` (slug, name, description) against `query`: each query term scores 3 when it
/// occurs in the slug or name and 1 when it occurs in the description, weighted by how rare the term
/// is among the candidates. Returns (index, score) for scores above zero, best first (ties keep order).
pub fn rank(query: &str, candidates: &[(&str, &str, &str)]) -> Vec<(usize, f64)> {
    let query_terms = terms(query);
    let docs: Vec<(Vec<String>, Vec<String>)> = candidates
        .iter()
        .map(|(slug, name, description)| {
            let mut title = terms(slug);
            title.extend(terms(name));
            (title, terms(description))
        })
        .collect();
    let n = docs.len().max(1) as f64;
    let mut scored: Vec<(usize, f64)> = docs
        .iter()
        .enumerate()
        .map(|(i, (title, body))| {
            let score = query_terms
                .iter()
                .map(|term| {
                    let df = docs.iter().filter(|(t, b)| t.contains(term) || b.contains(term)).count() as f64;
                    let idf = (1.0 + n / df.max(1.0)).ln();
                    let hit = if title.contains(term) { 3.0 } else { 0.0 }
                        + if body.contains(term) { 1.0 } else { 0.0 };
                    hit * idf
                })
                .sum::<f64>();
            (i, score)
        })
        .filter(|(_, s)| *s > 0.0)
        .collect();
    scored.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0)));
    scored
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn ranks_matching_tool_first() {
        let tk = crate::toolkits::text::toolkit();
        let cands: Vec<(&str, &str, &str)> =
            tk.tools.iter().map(|t| (t.slug, t.name, t.description)).collect();
        let top = |q: &str| cands[rank(q, &cands)[0].0].0;
        assert_eq!(top("count the words in my essay"), "TEXT_WORD_COUNT");
        assert_eq!(top("pull out email addresses"), "TEXT_EXTRACT_EMAILS");
        assert_eq!(top("convert to upper case"), "TEXT_TRANSFORM_CASE");
        assert_eq!(top("most frequent words statistics"), "TEXT_SUMMARIZE_STATS");
        assert!(rank("zebra quantum", &cands).is_empty());
    }
}
