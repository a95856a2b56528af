//! Trigger types of the built-in toolkits (wire contract §7.1), as data: each names the tool
//! whose successful run fires it, where the event data sits in that tool's result, and how an
//! instance's `trigger_config` filters events.
//!
//! The no-auth `text` toolkit has no trigger types: its tools change no stored data, and trigger
//! instances need a connected account to belong to.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::toolkits::{self, Toolkit};

/// Whether an event's data passes an instance's (validated) `trigger_config`.
pub type ConfigFilter = fn(&Map<String, Value>, &Value) -> bool;

/// One trigger type.
#[derive(Debug, Clone)]
pub struct TriggerDef {
    /// Upper-case slug, e.g. `NOTES_NOTE_CREATED`.
    pub slug: &'static str,
    /// Display name.
    pub name: &'static str,
    /// What fires it.
    pub description: &'static str,
    /// Set-up instructions.
    pub instructions: &'static str,
    /// Toolkit slug.
    pub toolkit: &'static str,
    /// JSON Schema of `trigger_config`.
    pub config: Value,
    /// JSON Schema of the event data.
    pub payload: Value,
    /// The tool whose successful run fires the trigger.
    pub source_tool: &'static str,
    /// Key of the event data in that tool's result `data`.
    pub result_key: &'static str,
    /// The config filter.
    pub filter: ConfigFilter,
}

/// Every trigger type, in listing order.
pub fn registry() -> &'static [TriggerDef] {
    static REGISTRY: OnceLock<Vec<TriggerDef>> = OnceLock::new();
    REGISTRY.get_or_init(|| vec![note_created(), task_created(), task_completed()])
}

/// Find a trigger type by slug (case-insensitive).
pub fn find(slug: &str) -> Option<&'static TriggerDef> {
    registry().iter().find(|t| t.slug.eq_ignore_ascii_case(slug))
}

/// The trigger types fired by a successful run of `tool_slug`.
pub fn fired_by(tool_slug: &str) -> impl Iterator<Item = &'static TriggerDef> + '_ {
    registry().iter().filter(move |t| t.source_tool == tool_slug)
}

/// The toolkit a trigger type belongs to.
pub fn toolkit_of(def: &TriggerDef) -> Option<&'static Toolkit> {
    toolkits::find_toolkit(def.toolkit)
}

/// The `TriggerType` wire object (§7.1).
pub fn to_json(def: &TriggerDef) -> Value {
    let tk = toolkit_of(def);
    json!({
        "slug": def.slug,
        "name": def.name,
        "description": def.description,
        "instructions": def.instructions,
        "type": "webhook",
        "version": tk.map_or("latest", |t| t.version),
        "toolkit": {
            "slug": def.toolkit,
            "name": tk.map_or(def.toolkit, |t| t.name),
            "logo": tk.map_or("", |t| t.logo),
        },
        "config": def.config,
        "payload": def.payload,
    })
}

fn text_filter(config: &Map<String, Value>, key: &str, data: &Value, list: &str) -> bool {
    match config.get(key).and_then(Value::as_str).map(|v| v.trim().to_lowercase()) {
        None => true,
        Some(wanted) if wanted.is_empty() => true,
        Some(wanted) => data[list].as_array().is_some_and(|a| a.iter().any(|x| x == wanted.as_str())),
    }
}

fn note_filter(config: &Map<String, Value>, data: &Value) -> bool {
    text_filter(config, "tag", data, "tags")
}

fn task_filter(config: &Map<String, Value>, data: &Value) -> bool {
    text_filter(config, "label", data, "labels")
        && config.get("priority").and_then(Value::as_str).is_none_or(|p| data["priority"] == p)
}

fn note_payload() -> Value {
    json!({
        "type": "object",
        "title": "NoteCreatedPayload",
        "description": "The note that was created.",
        "properties": {
            "id": {"type": "string", "description": "Note id (`note_…`)."},
            "title": {"type": "string", "description": "Title."},
            "content": {"type": "string", "description": "Body text."},
            "tags": {"type": "array", "items": {"type": "string"}, "description": "Tags, lower-case."},
            "pinned": {"type": "boolean", "description": "Whether the note is pinned."},
            "color": {"type": "string", "description": "Display colour."},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
        "required": ["id", "title", "content", "tags", "pinned", "color", "created_at", "updated_at"],
    })
}

fn task_payload(title: &str, description: &str) -> Value {
    json!({
        "type": "object",
        "title": title,
        "description": description,
        "properties": {
            "id": {"type": "string", "description": "Task id (`task_…`)."},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "due_date": {"type": ["string", "null"], "format": "date"},
            "priority": {"type": "string", "enum": ["low", "medium", "high", "urgent"]},
            "labels": {"type": "array", "items": {"type": "string"}},
            "status": {"type": "string", "enum": ["open", "completed"]},
            "created_at": {"type": "string", "format": "date-time"},
            "completed_at": {"type": ["string", "null"], "format": "date-time"},
        },
        "required": ["id", "title", "description", "due_date", "priority", "labels", "status", "created_at", "completed_at"],
    })
}

fn task_config(title: &str, with_priority: bool) -> Value {
    let mut properties = json!({
        "label": {"type": "string", "title": "Label", "minLength": 1, "maxLength": 40,
                  "description": "Only tasks carrying this label (case-insensitive).", "examples": ["finance"]},
    });
    if with_priority {
        properties["priority"] = json!({"type": "string", "title": "Priority", "enum": ["low", "medium", "high", "urgent"],
                                        "description": "Only tasks of this priority."});
    }
    json!({"type": "object", "title": title, "properties": properties, "required": [], "additionalProperties": false})
}

fn note_created() -> TriggerDef {
    TriggerDef {
        slug: "NOTES_NOTE_CREATED",
        name: "Note created",
        description: "Fires when a note is created on the connected account (for example by NOTES_CREATE_NOTE).",
        instructions: "Create the trigger on a connected Local Notes account; set `tag` to hear only about notes with that tag.",
        toolkit: "notes",
        config: json!({
            "type": "object",
            "title": "NoteCreatedConfig",
            "properties": {
                "tag": {"type": "string", "title": "Tag", "minLength": 1, "maxLength": 40,
                        "description": "Only notes carrying this tag (case-insensitive).", "examples": ["shopping"]},
            },
            "required": [],
            "additionalProperties": false,
        }),
        payload: note_payload(),
        source_tool: "NOTES_CREATE_NOTE",
        result_key: "note",
        filter: note_filter,
    }
}

fn task_created() -> TriggerDef {
    TriggerDef {
        slug: "TASKS_TASK_CREATED",
        name: "Task created",
        description: "Fires when a task is added to the connected account's to-do list.",
        instructions:
            "Create the trigger on a connected Local Tasks account; `label` and `priority` narrow the events.",
        toolkit: "tasks",
        config: task_config("TaskCreatedConfig", true),
        payload: task_payload("TaskCreatedPayload", "The task that was created."),
        source_tool: "TASKS_CREATE_TASK",
        result_key: "task",
        filter: task_filter,
    }
}

fn task_completed() -> TriggerDef {
    TriggerDef {
        slug: "TASKS_TASK_COMPLETED",
        name: "Task completed",
        description: "Fires when a task of the connected account is marked completed.",
        instructions: "Create the trigger on a connected Local Tasks account; `label` narrows the events.",
        toolkit: "tasks",
        config: task_config("TaskCompletedConfig", false),
        payload: task_payload("TaskCompletedPayload", "The task that was completed."),
        source_tool: "TASKS_COMPLETE_TASK",
        result_key: "task",
        filter: task_filter,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_consistent() {
        for def in registry() {
            assert!(toolkit_of(def).is_some(), "{}", def.slug);
            assert!(crate::toolkits::find_tool(def.source_tool).is_some(), "{}", def.slug);
            assert_eq!(def.config["type"], "object");
            assert!(def.slug.starts_with(&def.toolkit.to_uppercase()));
        }
        assert!(find("notes_note_created").is_some());
    }

    #[test]
    fn filters() {
        let config = |v: Value| v.as_object().unwrap().clone();
        let note = json!({"tags": ["home", "shopping"]});
        assert!(note_filter(&config(json!({})), &note));
        assert!(note_filter(&config(json!({"tag": "Shopping"})), &note));
        assert!(!note_filter(&config(json!({"tag": "work"})), &note));
        let task = json!({"labels": ["finance"], "priority": "high"});
        assert!(task_filter(&config(json!({"label": "finance", "priority": "high"})), &task));
        assert!(!task_filter(&config(json!({"priority": "low"})), &task));
    }
}
