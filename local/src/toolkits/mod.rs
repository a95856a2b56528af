//! The toolkit registry: built-in toolkits, each defined by one module as data (metadata,
//! tool schemas) plus a plain function per tool. Adding a toolkit means adding a module and
//! listing it in [`registry`].

pub mod bench;
pub mod meta;
pub mod notes;
pub mod tasks;
#[cfg(test)]
pub mod testing;
pub mod text;

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

/// What a tool's implementation returns: `Ok(data)` or a tool-level error message.
pub type ToolResult = Result<Value, String>;

/// A tool implementation: takes validated arguments (defaults filled in).
pub type ToolFn = fn(&Map<String, Value>) -> ToolResult;

/// Whose data an authenticated tool acts on, resolved from the connected account before it runs.
#[derive(Debug, Clone)]
pub struct AccountCtx {
    /// The connected account (`ca_…`) the tool runs with.
    pub connected_account_id: String,
    /// The account's user id.
    pub user_id: String,
    /// The data owner: the connected account for API-key toolkits, the OAuth2 subject for `tasks`.
    pub owner: String,
    /// OAuth scopes granted to the credential (empty for API keys).
    pub scopes: Vec<String>,
}

/// An authenticated tool implementation: runs on the database for the account's data owner.
pub type AccountToolFn = fn(&rusqlite::Connection, &AccountCtx, &Map<String, Value>) -> ToolResult;

/// A tool implementation that reads or writes the server's file store (wire contract §12).
pub type FileToolFn = fn(&crate::routes::files::FileStore, &Map<String, Value>) -> ToolResult;

/// How a tool runs.
#[derive(Debug, Clone, Copy)]
pub enum Runner {
    /// Reads uploaded files or produces downloadable ones (no auth).
    Files(FileToolFn),
    /// A pure function of its arguments (no-auth toolkits).
    Pure(ToolFn),
    /// Needs an ACTIVE connected account and the database.
    Account(AccountToolFn),
    /// A tool-router meta tool, run by the session code.
    Meta,
}

/// One tool of a built-in toolkit.
#[derive(Debug, Clone)]
pub struct ToolDef {
    /// Upper-case slug, e.g. `TEXT_WORD_COUNT`.
    pub slug: &'static str,
    /// Display name.
    pub name: &'static str,
    /// What the tool does (searched by `search` and the session search meta tool).
    pub description: &'static str,
    /// JSON Schema of the arguments.
    pub input_parameters: Value,
    /// JSON Schema of `data` in the result.
    pub output_parameters: Value,
    /// Tags, including MCP hints such as `readOnlyHint`.
    pub tags: Vec<&'static str>,
    /// OAuth scopes the tool needs (empty for no-auth tools).
    pub scopes: Vec<&'static str>,
    /// Whether `important=true` listings include it.
    pub important: bool,
    /// The implementation.
    pub run: Runner,
}

/// A category of toolkits.
#[derive(Debug, Clone)]
pub struct Category {
    /// Category id / slug.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
}

/// A built-in toolkit.
#[derive(Debug, Clone)]
pub struct Toolkit {
    /// Lower-case slug, e.g. `text`.
    pub slug: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Description.
    pub description: &'static str,
    /// Logo URL.
    pub logo: &'static str,
    /// Categories.
    pub categories: Vec<Category>,
    /// Current version (`YYYYMMDD_NN`).
    pub version: &'static str,
    /// All versions, newest first.
    pub available_versions: Vec<&'static str>,
    /// Whether the toolkit needs no connected account.
    pub no_auth: bool,
    /// Auth schemes (empty for no-auth toolkits).
    pub auth_schemes: Vec<&'static str>,
    /// Whether it is listed in `GET /toolkits` (the `composio` meta toolkit is not).
    pub listed: bool,
    /// Creation timestamp shown in `meta`.
    pub created_at: &'static str,
    /// Update timestamp shown in `meta`.
    pub updated_at: &'static str,
    /// The toolkit's tools.
    pub tools: Vec<ToolDef>,
}

/// All built-in toolkits, in listing order (the `composio` meta toolkit last; the benchmark
/// toolkits of [`mod@bench`] before it when they are enabled).
pub fn registry() -> &'static [Toolkit] {
    static REGISTRY: OnceLock<Vec<Toolkit>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut all = vec![text::toolkit(), notes::toolkit(), tasks::toolkit()];
        #[cfg(test)]
        all.push(testing::toolkit());
        if bench::enabled() {
            all.extend(bench::toolkits());
        }
        all.push(meta::toolkit());
        all
    })
}

/// The toolkits a user can list, enable or disable (everything but the meta toolkit).
pub fn listed() -> impl Iterator<Item = &'static Toolkit> {
    registry().iter().filter(|t| t.listed)
}

/// Find a toolkit by slug (case-insensitive).
pub fn find_toolkit(slug: &str) -> Option<&'static Toolkit> {
    registry().iter().find(|t| t.slug.eq_ignore_ascii_case(slug))
}

/// Find a tool by slug (case-insensitive) together with its toolkit.
pub fn find_tool(slug: &str) -> Option<(&'static Toolkit, &'static ToolDef)> {
    registry()
        .iter()
        .find_map(|tk| tk.tools.iter().find(|t| t.slug.eq_ignore_ascii_case(slug)).map(|t| (tk, t)))
}

/// All regular (non-meta) tools with their toolkits, in registry order.
pub fn regular_tools() -> impl Iterator<Item = (&'static Toolkit, &'static ToolDef)> {
    listed().flat_map(|tk| tk.tools.iter().map(move |t| (tk, t)))
}

/// The `auth_config_details` of `GET /toolkits/{slug}` (wire contract §4) for toolkit `tk`;
/// `base_url` is this server's URL (the built-in OAuth2 endpoints live under it).
pub fn auth_config_details(tk: &Toolkit, base_url: &str) -> Vec<Value> {
    match tk.slug {
        "notes" => vec![notes::auth_config_detail(base_url)],
        "tasks" => vec![tasks::auth_config_detail(base_url)],
        _ => Vec::new(),
    }
}

/// A field of `auth_config_details[].fields` (wire contract §4 `Field`).
pub fn auth_field(name: &str, display: &str, description: &str, kind: &str, required: bool) -> Value {
    json!({"name": name, "displayName": display, "description": description, "type": kind, "required": required})
}

/// Whether `version` names a version of `tk` (`latest` always does).
pub fn version_known(tk: &Toolkit, version: &str) -> bool {
    version == "latest" || tk.available_versions.contains(&version)
}

/// The tool object in its wire shape (wire contract §3.2).
pub fn tool_json(tk: &Toolkit, tool: &ToolDef) -> Value {
    json!({
        "slug": tool.slug,
        "name": tool.name,
        "description": tool.description,
        "input_parameters": tool.input_parameters,
        "output_parameters": tool.output_parameters,
        "toolkit": {"slug": tk.slug, "name": tk.name, "logo": tk.logo},
        "version": tk.version,
        "available_versions": tk.available_versions,
        "tags": tool.tags,
        "scopes": tool.scopes,
        "no_auth": tk.no_auth,
        "is_deprecated": false,
        "status": "active",
        "deprecated": {
            "available_versions": tk.available_versions,
            "displayName": tool.name,
            "is_deprecated": false,
            "toolkit": {"logo": tk.logo},
            "version": tk.version,
        },
    })
}

/// The output schema every tool shares: `{data, successful, error}` around the tool's own data schema.
pub fn output_schema(data: Value) -> Value {
    json!({
        "type": "object",
        "title": "Response",
        "properties": {
            "data": data,
            "successful": {"type": "boolean", "title": "Successful", "description": "Whether the tool ran successfully."},
            "error": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": null, "title": "Error",
                      "description": "Error message if the tool failed."},
        },
        "required": ["data", "successful"],
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_consistent() {
        let mut seen = std::collections::HashSet::new();
        for tk in registry() {
            assert!(tk.available_versions.contains(&tk.version), "{}", tk.slug);
            for t in &tk.tools {
                assert!(seen.insert(t.slug), "duplicate slug {}", t.slug);
                assert_eq!(t.input_parameters["type"], "object", "{}", t.slug);
                assert!(t.input_parameters["properties"].is_object(), "{}", t.slug);
                assert_eq!(t.slug, t.slug.to_uppercase());
            }
        }
        assert!(find_tool("text_word_count").is_some());
        assert!(find_toolkit("TEXT").is_some());
    }
}
