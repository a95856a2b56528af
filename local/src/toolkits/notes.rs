//! `notes` — "Local Notes": an API-key toolkit whose tools keep notes per connected account in
//! SQLite. The API key typed on the connect page is the credential.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Map, Value};

use super::{auth_field, output_schema, AccountCtx, Category, Runner, ToolDef, ToolResult, Toolkit};

/// The toolkit definition.
pub fn toolkit() -> Toolkit {
    Toolkit {
        slug: "notes",
        name: "Local Notes",
        description: "Create, search, read and delete personal notes with tags, colours and pinning, stored \
                      locally per connected account. Connect with an API key.",
        logo: "https://logos.composio.dev/api/notes",
        categories: vec![Category { id: "productivity", name: "Productivity" }],
        version: "20251201_00",
        available_versions: vec!["20251201_00"],
        no_auth: false,
        auth_schemes: vec!["API_KEY"],
        listed: true,
        created_at: "2025-11-15T00:00:00.000Z",
        updated_at: "2025-12-01T00:00:00.000Z",
        tools: vec![create_note(), list_notes(), get_note(), delete_note()],
    }
}

/// `auth_config_details` entry (§4); `base_url` is this server's URL (proxy requests go to the
/// notes API it serves under `/toolkit-api/notes`).
pub fn auth_config_detail(base_url: &str) -> Value {
    json!({
        "mode": "API_KEY",
        "name": "Local Notes API key",
        "auth_hint_url": null,
        "proxy": {"base_url": format!("{base_url}/toolkit-api/notes")},
        "fields": {
            "auth_config_creation": {"required": [], "optional": []},
            "connected_account_initiation": {
                "required": [auth_field("api_key", "API Key", "Your Local Notes API key (any non-empty string you choose).", "string", true)],
                "optional": [],
            },
        },
    })
}

const COLORS: &[&str] = &["default", "yellow", "green", "blue", "red", "purple"];

fn note_schema() -> Value {
    json!({
        "type": "object",
        "title": "Note",
        "properties": {
            "id": {"type": "string", "description": "Note id (`note_…`)."},
            "title": {"type": "string", "description": "Title."},
            "content": {"type": "string", "description": "Body text."},
            "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags, lower-case."},
            "pinned": {"type": "boolean", "description": "Whether the note is pinned."},
            "color": {"type": "string", "enum": COLORS, "description": "Display colour."},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
        "required": ["id", "title", "content", "tags", "pinned", "color", "created_at", "updated_at"],
    })
}

fn note_id_param() -> Value {
    json!({"type": "string", "title": "Note Id", "description": "Id of the note, as returned by NOTES_CREATE_NOTE or NOTES_LIST_NOTES.",
           "minLength": 1, "examples": ["note_3hJ9aQ2LmX7pZk"]})
}

fn create_note() -> ToolDef {
    ToolDef {
        slug: "NOTES_CREATE_NOTE",
        name: "Create note",
        description: "Creates a note with a title, body text, optional tags, colour and pin, and returns it.",
        input_parameters: json!({
            "type": "object",
            "title": "CreateNoteRequest",
            "description": "Request schema for `NOTES_CREATE_NOTE`.",
            "properties": {
                "title": {"type": "string", "title": "Title", "description": "Short title of the note.",
                          "minLength": 1, "maxLength": 200, "examples": ["Groceries"]},
                "content": {"type": "string", "title": "Content", "description": "Body text of the note.",
                            "maxLength": 20000, "examples": ["Milk, eggs, bread"]},
                "tags": {"type": "array", "title": "Tags", "description": "Tags to file the note under (stored lower-case).",
                         "items": {"type": "string", "minLength": 1, "maxLength": 40}, "maxItems": 20, "default": [],
                         "examples": [["shopping", "home"]]},
                "pinned": {"type": "boolean", "title": "Pinned", "description": "Pin the note to the top of lists.", "default": false},
                "color": {"type": "string", "title": "Color", "description": "Display colour.", "enum": COLORS, "default": "default"},
            },
            "required": ["title", "content"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(
            json!({"type": "object", "properties": {"note": note_schema()}, "required": ["note"]}),
        ),
        tags: vec![],
        scopes: vec![],
        important: true,
        run: Runner::Account(run_create),
    }
}

fn list_notes() -> ToolDef {
    ToolDef {
        slug: "NOTES_LIST_NOTES",
        name: "List notes",
        description: "Lists and searches notes: filter by text, tag, pinned state or creation date, sort and page through them.",
        input_parameters: json!({
            "type": "object",
            "title": "ListNotesRequest",
            "description": "Request schema for `NOTES_LIST_NOTES`.",
            "properties": {
                "query": {"type": "string", "title": "Query", "description": "Only notes whose title or content contains this text (case-insensitive).", "examples": ["milk"]},
                "tag": {"type": "string", "title": "Tag", "description": "Only notes with this tag.", "examples": ["shopping"]},
                "pinned": {"type": "boolean", "title": "Pinned", "description": "Only pinned (true) or unpinned (false) notes."},
                "created_after": {"type": "string", "title": "Created After", "format": "date-time",
                                  "description": "Only notes created at or after this ISO-8601 time.", "examples": ["2026-01-01T00:00:00Z"]},
                "sort_by": {"type": "string", "title": "Sort By", "enum": ["created_at", "updated_at", "title"], "default": "created_at",
                            "description": "Sort key."},
                "order": {"type": "string", "title": "Order", "enum": ["asc", "desc"], "default": "desc", "description": "Sort direction."},
                "limit": {"type": "integer", "title": "Limit", "minimum": 1, "maximum": 100, "default": 20, "description": "Most notes to return."},
                "offset": {"type": "integer", "title": "Offset", "minimum": 0, "default": 0, "description": "Notes to skip (for paging)."},
            },
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({"type": "object", "properties": {
            "notes": {"type": "array", "items": note_schema()},
            "total": {"type": "integer", "description": "Notes matching the filters."},
            "has_more": {"type": "boolean", "description": "Whether more notes follow this page."},
        }, "required": ["notes", "total", "has_more"]})),
        tags: vec!["readOnlyHint", "idempotentHint"],
        scopes: vec![],
        important: true,
        run: Runner::Account(run_list),
    }
}

fn get_note() -> ToolDef {
    ToolDef {
        slug: "NOTES_GET_NOTE",
        name: "Get note",
        description: "Returns one note by its id.",
        input_parameters: json!({
            "type": "object",
            "title": "GetNoteRequest",
            "description": "Request schema for `NOTES_GET_NOTE`.",
            "properties": {"note_id": note_id_param()},
            "required": ["note_id"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(
            json!({"type": "object", "properties": {"note": note_schema()}, "required": ["note"]}),
        ),
        tags: vec!["readOnlyHint", "idempotentHint"],
        scopes: vec![],
        important: false,
        run: Runner::Account(run_get),
    }
}

fn delete_note() -> ToolDef {
    ToolDef {
        slug: "NOTES_DELETE_NOTE",
        name: "Delete note",
        description: "Permanently deletes a note by its id.",
        input_parameters: json!({
            "type": "object",
            "title": "DeleteNoteRequest",
            "description": "Request schema for `NOTES_DELETE_NOTE`.",
            "properties": {"note_id": note_id_param()},
            "required": ["note_id"],
            "additionalProperties": false,
        }),
        output_parameters: output_schema(json!({"type": "object", "properties": {
            "deleted": {"type": "boolean"}, "note_id": {"type": "string"}}, "required": ["deleted", "note_id"]})),
        tags: vec!["destructiveHint", "idempotentHint"],
        scopes: vec![],
        important: false,
        run: Runner::Account(run_delete),
    }
}

const COLUMNS: &str = "id, title, content, tags, pinned, color, created_at, updated_at";

fn note_json(r: &Row<'_>) -> rusqlite::Result<Value> {
    let tags: String = r.get(3)?;
    Ok(json!({
        "id": r.get::<_, String>(0)?,
        "title": r.get::<_, String>(1)?,
        "content": r.get::<_, String>(2)?,
        "tags": serde_json::from_str::<Value>(&tags).unwrap_or_else(|_| json!([])),
        "pinned": r.get::<_, bool>(4)?,
        "color": r.get::<_, String>(5)?,
        "created_at": r.get::<_, String>(6)?,
        "updated_at": r.get::<_, String>(7)?,
    }))
}

fn db_err(e: rusqlite::Error) -> String {
    format!("storage error: {e}")
}

fn str_arg<'a>(args: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    args.get(key).and_then(Value::as_str)
}

fn load(c: &Connection, ctx: &AccountCtx, id: &str) -> Result<Option<Value>, String> {
    c.query_row(
        &format!("SELECT {COLUMNS} FROM notes WHERE id = ?1 AND connected_account_id = ?2"),
        params![id, ctx.owner],
        note_json,
    )
    .optional()
    .map_err(db_err)
}

fn run_create(c: &Connection, ctx: &AccountCtx, args: &Map<String, Value>) -> ToolResult {
    let title = str_arg(args, "title").unwrap_or_default().trim().to_owned();
    if title.is_empty() {
        return Err("`title` must not be blank".into());
    }
    let mut tags: Vec<String> = Vec::new();
    for t in args.get("tags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
        let t = t.trim().to_lowercase();
        if !t.is_empty() && !tags.contains(&t) {
            tags.push(t);
        }
    }
    let id = crate::ids::new_id("note");
    let now = crate::ids::now_iso();
    c.execute(
        "INSERT INTO notes (id, connected_account_id, title, content, tags, pinned, color, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            id,
            ctx.owner,
            title,
            str_arg(args, "content").unwrap_or_default(),
            json!(tags).to_string(),
            args.get("pinned").and_then(Value::as_bool).unwrap_or(false),
            str_arg(args, "color").unwrap_or("default"),
            now
        ],
    )
    .map_err(db_err)?;
    let note = load(c, ctx, &id)?.ok_or("the new note could not be read back")?;
    Ok(json!({"note": note}))
}

fn run_list(c: &Connection, ctx: &AccountCtx, args: &Map<String, Value>) -> ToolResult {
    let created_after = match str_arg(args, "created_after") {
        Some(s) => Some(
            normalise_time(s)
                .ok_or_else(|| format!("`created_after` must be an ISO-8601 date or date-time, got `{s}`"))?,
        ),
        None => None,
    };
    let mut stmt = c
        .prepare(&format!(
            "SELECT {COLUMNS} FROM notes WHERE connected_account_id = ?1 ORDER BY created_at, rowid"
        ))
        .map_err(db_err)?;
    let all = stmt
        .query_map(params![ctx.owner], note_json)
        .map_err(db_err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(db_err)?;
    let query = str_arg(args, "query").map(str::to_lowercase).filter(|q| !q.is_empty());
    let tag = str_arg(args, "tag").map(|t| t.trim().to_lowercase());
    let pinned = args.get("pinned").and_then(Value::as_bool);
    let text = |n: &Value, k: &str| n[k].as_str().unwrap_or_default().to_owned();
    let mut notes: Vec<Value> = all
        .into_iter()
        .filter(|n| {
            query.as_ref().is_none_or(|q| {
                text(n, "title").to_lowercase().contains(q) || text(n, "content").to_lowercase().contains(q)
            })
        })
        .filter(|n| {
            tag.as_ref()
                .is_none_or(|t| n["tags"].as_array().is_some_and(|a| a.iter().any(|x| x == t.as_str())))
        })
        .filter(|n| pinned.is_none_or(|p| n["pinned"] == p))
        .filter(|n| {
            created_after.as_ref().is_none_or(|after| text(n, "created_at").as_str() >= after.as_str())
        })
        .collect();
    let key = str_arg(args, "sort_by").unwrap_or("created_at").to_owned();
    notes.sort_by(|a, b| {
        let (x, y) = (text(a, &key), text(b, &key));
        if key == "title" {
            x.to_lowercase().cmp(&y.to_lowercase())
        } else {
            x.cmp(&y)
        }
    });
    if str_arg(args, "order").unwrap_or("desc") == "desc" {
        notes.reverse();
    }
    // Pinned notes come first within the chosen order.
    notes.sort_by_key(|n| !n["pinned"].as_bool().unwrap_or(false));
    let total = notes.len();
    let offset = args.get("offset").and_then(Value::as_u64).unwrap_or(0) as usize;
    let limit = args.get("limit").and_then(Value::as_u64).unwrap_or(20) as usize;
    let page: Vec<Value> = notes.into_iter().skip(offset).take(limit).collect();
    let has_more = offset + page.len() < total;
    Ok(json!({"notes": page, "total": total, "has_more": has_more}))
}

/// Normalise an ISO-8601 date or date-time for string comparison with stored `…T…Z` times.
fn normalise_time(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let date_ok = b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b[..4].iter().chain(&b[5..7]).chain(&b[8..10]).all(u8::is_ascii_digit);
    if !date_ok {
        return None;
    }
    if s.len() == 10 {
        return Some(format!("{s}T00:00:00.000Z"));
    }
    if b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    Some(format!("{}T{}", &s[..10], s[11..].trim_end_matches('Z')))
}

fn run_get(c: &Connection, ctx: &AccountCtx, args: &Map<String, Value>) -> ToolResult {
    let id = str_arg(args, "note_id").unwrap_or_default();
    let note = load(c, ctx, id)?.ok_or_else(|| format!("note `{id}` not found"))?;
    Ok(json!({"note": note}))
}

fn run_delete(c: &Connection, ctx: &AccountCtx, args: &Map<String, Value>) -> ToolResult {
    let id = str_arg(args, "note_id").unwrap_or_default();
    let n = c
        .execute("DELETE FROM notes WHERE id = ?1 AND connected_account_id = ?2", params![id, ctx.owner])
        .map_err(db_err)?;
    if n == 0 {
        return Err(format!("note `{id}` not found"));
    }
    Ok(json!({"deleted": true, "note_id": id}))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(normalise_time("2026-01-02").unwrap(), "2026-01-02T00:00:00.000Z");
        assert_eq!(normalise_time("2026-01-02T10:00:00Z").unwrap(), "2026-01-02T10:00:00");
        assert!(normalise_time("yesterday").is_none());
    }
}
