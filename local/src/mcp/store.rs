//! SQLite storage of MCP servers (`mcp_servers`) and their per-user instances
//! (`mcp_server_instances`).

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::errors::ApiError;

/// A stored MCP server configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McpServerRow {
    /// UUID of the server (also the secret part of its URL).
    pub id: String,
    /// 4–30 characters.
    pub name: String,
    /// Toolkit slugs, in order.
    pub toolkits: Vec<String>,
    /// Auth config ids (`ac_…`), in order.
    pub auth_config_ids: Vec<String>,
    /// Tool slugs the server offers; empty means every tool of its toolkits.
    pub allowed_tools: Vec<String>,
    /// `managed_auth_via_composio`.
    pub managed_auth: bool,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// ISO-8601 time of the last change.
    pub updated_at: String,
}

/// One user (instance) of an MCP server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRow {
    /// UUID of the instance record.
    pub id: String,
    /// The server.
    pub server_id: String,
    /// The user id (the instance id on the wire).
    pub instance_id: String,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// ISO-8601 time of the last change.
    pub updated_at: String,
}

const COLUMNS: &str =
    "id, name, toolkits, auth_config_ids, allowed_tools, managed_auth, created_at, updated_at";

fn list_from(text: &str, column: &str, id: &str) -> Result<Vec<String>, ApiError> {
    serde_json::from_str(text)
        .map_err(|e| ApiError::internal(format!("stored `{column}` of MCP server {id} is invalid: {e}")))
}

type RawServer = (String, String, String, String, String, bool, String, String);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawServer> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
}

fn finish(raw: RawServer) -> Result<McpServerRow, ApiError> {
    let (id, name, toolkits, acs, tools, managed_auth, created_at, updated_at) = raw;
    Ok(McpServerRow {
        toolkits: list_from(&toolkits, "toolkits", &id)?,
        auth_config_ids: list_from(&acs, "auth_config_ids", &id)?,
        allowed_tools: list_from(&tools, "allowed_tools", &id)?,
        id,
        name,
        managed_auth,
        created_at,
        updated_at,
    })
}

fn json_list(list: &[String]) -> String {
    serde_json::Value::from(list.to_vec()).to_string()
}

/// Insert a new server.
pub fn insert(c: &Connection, row: &McpServerRow) -> Result<(), ApiError> {
    c.execute(
        &format!("INSERT INTO mcp_servers ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        params![
            row.id,
            row.name,
            json_list(&row.toolkits),
            json_list(&row.auth_config_ids),
            json_list(&row.allowed_tools),
            row.managed_auth,
            row.created_at,
            row.updated_at
        ],
    )?;
    Ok(())
}

/// Overwrite a server's configuration (not its id or creation time).
pub fn update(c: &Connection, row: &McpServerRow) -> Result<(), ApiError> {
    c.execute(
        "UPDATE mcp_servers SET name = ?2, toolkits = ?3, auth_config_ids = ?4, allowed_tools = ?5,
         managed_auth = ?6, updated_at = ?7 WHERE id = ?1",
        params![
            row.id,
            row.name,
            json_list(&row.toolkits),
            json_list(&row.auth_config_ids),
            json_list(&row.allowed_tools),
            row.managed_auth,
            row.updated_at
        ],
    )?;
    Ok(())
}

/// Load one server.
pub fn get(c: &Connection, id: &str) -> Result<Option<McpServerRow>, ApiError> {
    c.query_row(&format!("SELECT {COLUMNS} FROM mcp_servers WHERE id = ?1"), params![id], raw)
        .optional()?
        .map(finish)
        .transpose()
}

/// All servers, oldest first (callers sort).
pub fn list(c: &Connection) -> Result<Vec<McpServerRow>, ApiError> {
    let mut stmt = c.prepare(&format!("SELECT {COLUMNS} FROM mcp_servers ORDER BY rowid"))?;
    let raws = stmt.query_map([], raw)?.collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(finish).collect()
}

/// Delete a server and its instances; whether it existed.
pub fn delete(c: &Connection, id: &str) -> Result<bool, ApiError> {
    Ok(c.execute("DELETE FROM mcp_servers WHERE id = ?1", params![id])? > 0)
}

fn instance(r: &Row<'_>) -> rusqlite::Result<InstanceRow> {
    Ok(InstanceRow {
        id: r.get(0)?,
        server_id: r.get(1)?,
        instance_id: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
    })
}

/// The instances of a server, oldest first.
pub fn instances(c: &Connection, server_id: &str) -> Result<Vec<InstanceRow>, ApiError> {
    let mut stmt = c.prepare(
        "SELECT id, server_id, instance_id, created_at, updated_at FROM mcp_server_instances
         WHERE server_id = ?1 ORDER BY rowid",
    )?;
    let rows = stmt.query_map(params![server_id], instance)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Number of instances of a server.
pub fn instance_count(c: &Connection, server_id: &str) -> Result<i64, ApiError> {
    Ok(c.query_row(
        "SELECT COUNT(*) FROM mcp_server_instances WHERE server_id = ?1",
        params![server_id],
        |r| r.get(0),
    )?)
}

/// Add an instance; `Ok(None)` when the server already has one for this user.
pub fn insert_instance(
    c: &Connection,
    server_id: &str,
    instance_id: &str,
) -> Result<Option<InstanceRow>, ApiError> {
    let now = crate::ids::now_iso();
    let row = InstanceRow {
        id: uuid::Uuid::new_v4().to_string(),
        server_id: server_id.to_owned(),
        instance_id: instance_id.to_owned(),
        created_at: now.clone(),
        updated_at: now,
    };
    let added = c.execute(
        "INSERT OR IGNORE INTO mcp_server_instances (id, server_id, instance_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![row.id, row.server_id, row.instance_id, row.created_at, row.updated_at],
    )?;
    Ok((added > 0).then_some(row))
}

/// Remove an instance; whether it existed.
pub fn delete_instance(c: &Connection, server_id: &str, instance_id: &str) -> Result<bool, ApiError> {
    Ok(c.execute(
        "DELETE FROM mcp_server_instances WHERE server_id = ?1 AND instance_id = ?2",
        params![server_id, instance_id],
    )? > 0)
}
