//! `tasks` — "Local Tasks": an OAuth2 toolkit backed by composio-local's own authorization server.
//! Tasks belong to the OAuth2 subject (the account name chosen on the consent page), so two
//! accounts never see each other's tasks.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Map, Value};

use super::{auth_field, output_schema, AccountCtx, Category, Runner, ToolDef, ToolResult, Toolkit};

/// The toolkit definition.
pub fn toolkit() -> Toolkit {
    Toolkit {
        slug: "tasks",
        name: "Local Tasks",
        description:
            "A to-do list with priorities, labels and due dates, served by composio-local's built-in \
                      OAuth2 provider: create, list and complete tasks. Connect with OAuth2.",
        logo: "https://logos.composio.dev/api/tasks",
        categories: vec![Category { id: "productivity", name: "Productivity" }],
        version: "20251201_00",
        available_versions: vec!["20251201_00"],
        no_auth: false,
        auth_schemes: vec!["OAUTH2"],
        listed: true,
        created_at: "2025-11-15T00:00:00.000Z",
        updated_at: "2025-12-01T00:00:00.000Z",
        tools: vec![create_task(), list_tasks(), complete_task()],
    }
}

/// `auth_config_details` entry (§4); `base_url` locates the built-in OAuth2 endpoints.
pub fn auth_config_detail(base_url: &str) -> Value {
    json!({
        "mode": "OAUTH2",
        "name": "Local Tasks OAuth2",
        "auth_hint_url": null,
        "proxy": {"base_url": format!("{base_url}/toolkit-api/tasks")},
        "deprecated_auth_provider_details": {
            "authorization_url": format!("{base_url}/oauth2/authorize"),
            "token_url": format!("{base_url}/oauth2/token"),
        },
        "fields": {
            "auth_config_creation": {
                "required": [
                    auth_field("client_id", "Client id", "OAuth2 client id (register one with POST /oauth2/register).", "string", true),
                    auth_field("client_secret", "Client secret", "OAuth2 client secret.", "string", true),
                ],
                "optional": [
                    auth_field("scopes", "Scopes", "Space-separated scopes (default: tasks.read tasks.write).", "string", false),
                    auth_field("authorization_url", "Authorization URL", "Authorize endpoint (default: this server's /oauth2/authorize).", "string", false),
                    auth_field("token_url", "Token URL", "Token endpoint (default: this server's /oauth2/token).", "string", false),
                    auth_field("oauth_redirect_uri", "Redirect URI", "Callback registered with the provider (default: this server's /oauth2/callback).", "string", false),
                ],
            },
            "connected_account_initiation": {"required": [], "optional": []},
        },
    })
}

const PRIORITIES: &[&str] = &["low", "medium", "high", "urgent"];

fn task_schema() -> Value {
    json!({
        "type": "object",
        "title": "Task",
        "properties": {
            "id": {"type": "string", "description": "Task id (`task_…`)."},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "due_date": {"type": ["string", "null"], "format": "date", "description": "Due date (YYYY-MM-DD)."},
            "priority": {"type": "string", "enum": PRIORITIES},
            "labels": {"type": "array", "items": {"type": "string"}},
            "status": {"type": "string", "enum": ["open", "completed"]},
            "created_at": {"type": "string", "format": "date-time"},
            "completed_at": {"type": ["string", "null"], "format": "date-time"},
        },
        "required": ["id", "title", "description", "due_date", "priority", "labels", "status", "created_at", "completed_at"],
    })
}

fn date_param(title: &str, description: &str) -> Value {
    json!({"type": "string", "title": title, "format": "date", "description": description,
           "minLength": 10, "maxLength": 10, "examples": ["2026-03-31"]})
}

fn create_task() -> ToolDef {
    ToolDef {
        slug: "TASKS_CREATE_TASK",
        name: "Create task",
        description: "Adds a new task to the user's to-do list, with an optional description, due date, priority and labels.",
        input_parameters: json!({
            "type": "object",
            "title": "CreateTaskRequest",
            "description": "Request schema for `TASKS_CREATE_TASK`.",
            "properties": {
                "title": {"type": "string", "title": "Title", "description": "What needs doing.", "minLength": 1, "maxLength": 200,
                          "examples": ["File the tax return"]},
                "description": {"type": "string", "title": "Description", "description": "Details.", "maxLength": 5000, "default": ""},
                "due_date": date_param("Due Date", "When the task is due (YYYY-MM-DD)."),
                "priority": {"type": "string", "title": "Priority", "enum": PRIORITIES, "default": "medium", "description": "How urgent the task is."},
                "labels": {"type": "array", "title": "Labels", "items": {"type": "string", "minLength": 1, "maxLength": 40},
                           "maxItems": 10, "default": [], "description": "Labels (stored lower-case).", "examples": [["finance"]]},
            },
            "required": ["title"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({"type": "object", "properties": {"task": task_schema()}, "required": ["task"]})),
        tags: vec![],
        scopes: vec!["tasks.write"],
        important: true,
        run: Runner::Account(run_create),
    }
}

fn list_tasks() -> ToolDef {
    ToolDef {
        slug: "TASKS_LIST_TASKS",
        name: "List tasks",
        description:
            "Lists the user's tasks, filtered by status, priority, label or due date, soonest due first.",
        input_parameters: json!({
            "type": "object",
            "title": "ListTasksRequest",
            "description": "Request schema for `TASKS_LIST_TASKS`.",
            "properties": {
                "status": {"type": "string", "title": "Status", "enum": ["open", "completed", "all"], "default": "open",
                           "description": "Which tasks to list."},
                "priority": {"type": "string", "title": "Priority", "enum": PRIORITIES, "description": "Only tasks of this priority."},
                "label": {"type": "string", "title": "Label", "description": "Only tasks with this label."},
                "due_before": date_param("Due Before", "Only tasks due on or before this date (YYYY-MM-DD)."),
                "limit": {"type": "integer", "title": "Limit", "minimum": 1, "maximum": 100, "default": 50, "description": "Most tasks to return."},
            },
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({"type": "object", "properties": {
            "tasks": {"type": "array", "items": task_schema()}, "count": {"type": "integer"}}, "required": ["tasks", "count"]})),
        tags: vec!["readOnlyHint", "idempotentHint"],
        scopes: vec!["tasks.read"],
        important: true,
        run: Runner::Account(run_list),
    }
}

fn complete_task() -> ToolDef {
    ToolDef {
        slug: "TASKS_COMPLETE_TASK",
        name: "Complete task",
        description: "Marks an open task as completed and returns it.",
        input_parameters: json!({
            "type": "object",
            "title": "CompleteTaskRequest",
            "description": "Request schema for `TASKS_COMPLETE_TASK`.",
            "properties": {
                "task_id": {"type": "string", "title": "Task Id", "description": "Id of the task (from TASKS_CREATE_TASK or TASKS_LIST_TASKS).",
                            "minLength": 1, "examples": ["task_8Kq2XaPq1LmZ0a"]},
            },
            "required": ["task_id"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(
            json!({"type": "object", "properties": {"task": task_schema()}, "required": ["task"]}),
        ),
        tags: vec!["idempotentHint"],
        scopes: vec!["tasks.write"],
        important: false,
        run: Runner::Account(run_complete),
    }
}

const COLUMNS: &str = "id, title, description, due_date, priority, labels, status, created_at, completed_at";

fn task_json(r: &Row<'_>) -> rusqlite::Result<Value> {
    let labels: String = r.get(5)?;
    Ok(json!({
        "id": r.get::<_, String>(0)?,
        "title": r.get::<_, String>(1)?,
        "description": r.get::<_, String>(2)?,
        "due_date": r.get::<_, Option<String>>(3)?,
        "priority": r.get::<_, String>(4)?,
        "labels": serde_json::from_str::<Value>(&labels).unwrap_or_else(|_| json!([])),
        "status": r.get::<_, String>(6)?,
        "created_at": r.get::<_, String>(7)?,
        "completed_at": r.get::<_, Option<String>>(8)?,
    }))
}

fn db_err(e: rusqlite::Error) -> String {
    format!("storage error: {e}")
}

/// Whether `s` is a real calendar date `YYYY-MM-DD`.
fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) && d >= 1 => {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            d <= days[(m - 1) as usize]
        }
        _ => false,
    }
}

fn load(c: &Connection, owner: &str, id: &str) -> Result<Option<Value>, String> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM tasks WHERE id = ?1 AND owner = ?2"),
        params![id, owner],
        task_json,
    )
    .optional()
    .map_err(db_err)
}

fn run_create(c: &Connection, ctx: &AccountCtx, args: &Map<String, Value>) -> ToolResult {
    let title = args.get("title").and_then(Value::as_str).unwrap_or_default().trim().to_owned();
    if title.is_empty() {
        return Err("`title` must not be blank".into());
    }
    let due = args.get("due_date").and_then(Value::as_str);
    if let Some(d) = due {
        if !valid_date(d) {
            return Err(format!("`due_date` must be a calendar date YYYY-MM-DD, got `{d}`"));
        }
    }
    let mut labels: Vec<String> = Vec::new();
    for l in args.get("labels").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        let l = l.trim().to_lowercase();
        if !l.is_empty() && !labels.contains(&l) {
            labels.push(l);
        }
    }
    let id = crate::ids::new_id("task");
    c.execute(
        "INSERT INTO tasks (id, owner, title, description, due_date, priority, labels, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)",
        params![
            id,
            ctx.owner,
            title,
            args.get("description").and_then(Value::as_str).unwrap_or_default(),
            due,
            args.get("priority").and_then(Value::as_str).unwrap_or("medium"),
            json!(labels).to_string(),
            crate::ids::now_iso()
        ],
    )
    .map_err(db_err)?;
    let task = load(c, &ctx.owner, &id)?.ok_or("the new task could not be read back")?;
    Ok(json!({"task": task}))
}

fn run_list(c: &Connection, ctx: &AccountCtx, args: &Map<String, Value>) -> ToolResult {
    let due_before = args.get("due_before").and_then(Value::as_str);
    if let Some(d) = due_before {
        if !valid_date(d) {
            return Err(format!("`due_before` must be a calendar date YYYY-MM-DD, got `{d}`"));
        }
    }
    let mut stmt = c
        .prepare(&format!("SELECT {COLUMNS} FROM tasks WHERE owner = ?1 ORDER BY created_at, rowid"))
        .map_err(db_err)?;
    let all = stmt
        .query_map(params![ctx.owner], task_json)
        .map_err(db_err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err)?;
    let status = args.get("status").and_then(Value::as_str).unwrap_or("open");
    let priority = args.get("priority").and_then(Value::as_str);
    let label = args.get("label").and_then(Value::as_str).map(|l| l.trim().to_lowercase());
    let mut tasks: Vec<Value> = all
        .into_iter()
        .filter(|t| status == "all" || t["status"] == status)
        .filter(|t| priority.is_none_or(|p| t["priority"] == p))
        .filter(|t| {
            label
                .as_ref()
                .is_none_or(|l| t["labels"].as_array().is_some_and(|a| a.iter().any(|x| x == l.as_str())))
        })
        .filter(|t| due_before.is_none_or(|d| t["due_date"].as_str().is_some_and(|due| due <= d)))
        .collect();
    // Soonest due first; tasks without a due date last (stable, so creation order breaks ties).
    tasks.sort_by_key(|t| t["due_date"].as_str().map_or_else(|| "9999-99-99".to_owned(), str::to_owned));
    let limit = args.get("limit").and_then(Value::as_u64).unwrap_or(50) as usize;
    tasks.truncate(limit);
    let count = tasks.len();
    Ok(json!({"tasks": tasks, "count": count}))
}

fn run_complete(c: &Connection, ctx: &AccountCtx, args: &Map<String, Value>) -> ToolResult {
    let id = args.get("task_id").and_then(Value::as_str).unwrap_or_default();
    let task = load(c, &ctx.owner, id)?.ok_or_else(|| format!("task `{id}` not found"))?;
    if task["status"] == "completed" {
        return Err(format!("task `{id}` is already completed"));
    }
    c.execute(
        "UPDATE tasks SET status = 'completed', completed_at = ?3 WHERE id = ?1 AND owner = ?2",
        params![id, ctx.owner, crate::ids::now_iso()],
    )
    .map_err(db_err)?;
    let task = load(c, &ctx.owner, id)?.ok_or("the task could not be read back")?;
    Ok(json!({"task": task}))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(valid_date("2024-02-29"));
        assert!(!valid_date("2023-02-29"));
        assert!(!valid_date("2023-13-01"));
        assert!(!valid_date("tomorrow"));
    }
}
