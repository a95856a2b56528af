//! Stored trigger instances (wire contract §7.2): the row, its SQL and the wire item. The user
//! and auth config of an instance are those of its connected account (read through a join), so
//! deleting the account deletes its instances.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Map, Value};

use crate::errors::ApiError;

/// A stored trigger instance with its account's user and auth config.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceRow {
    /// `ti_…` id.
    pub id: String,
    /// Legacy UUID.
    pub uuid: String,
    /// Trigger type slug.
    pub trigger_slug: String,
    /// The connected account it listens on.
    pub connected_account_id: String,
    /// Legacy UUID of that account.
    pub connected_account_uuid: String,
    /// The account's user.
    pub user_id: String,
    /// The account's auth config.
    pub auth_config_id: String,
    /// Legacy UUID of that auth config (empty if it is gone).
    pub auth_config_uuid: String,
    /// The validated `trigger_config`.
    pub config: Map<String, Value>,
    /// Toolkit version the instance was created at.
    pub version: String,
    /// When it was disabled (`None` = enabled).
    pub disabled_at: Option<String>,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// ISO-8601 update time.
    pub updated_at: String,
}

impl InstanceRow {
    /// The instance item of `GET /trigger_instances/active`, with the camelCase twins (§7.2).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "uuid": self.uuid,
            "user_id": self.user_id,
            "connected_account_id": self.connected_account_id,
            "connected_account_uuid": self.connected_account_uuid,
            "auth_config_id": self.auth_config_id,
            "trigger_name": self.trigger_slug,
            "trigger_config": self.config,
            "trigger_data": "",
            "state": {},
            "version": self.version,
            "disabled_at": self.disabled_at,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "connectedAccountId": self.connected_account_id,
            "triggerName": self.trigger_slug,
            "triggerConfig": self.config,
            "disabledAt": self.disabled_at,
            "updatedAt": self.updated_at,
            "deprecated": {"createdAt": self.created_at},
        })
    }

    /// Whether events are produced for it.
    pub fn is_enabled(&self) -> bool {
        self.disabled_at.is_none()
    }
}

/// The canonical text of a config (keys sorted at every depth) used as the upsert key.
pub fn config_key(config: &Map<String, Value>) -> String {
    fn canonical(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), canonical(&m[k]))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(canonical).collect()),
            other => other.clone(),
        }
    }
    canonical(&Value::Object(config.clone())).to_string()
}

const SELECT: &str =
    "SELECT t.id, t.uuid, t.trigger_slug, t.connected_account_id, a.uuid, a.user_id, a.auth_config_id,
    t.config, t.version, t.disabled_at, t.created_at, t.updated_at, COALESCE(ac.uuid, '')
    FROM trigger_instances t JOIN connected_accounts a ON a.id = t.connected_account_id
    LEFT JOIN auth_configs ac ON ac.id = a.auth_config_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(InstanceRow, String)> {
    Ok((
        InstanceRow {
            id: r.get(0)?,
            uuid: r.get(1)?,
            trigger_slug: r.get(2)?,
            connected_account_id: r.get(3)?,
            connected_account_uuid: r.get(4)?,
            user_id: r.get(5)?,
            auth_config_id: r.get(6)?,
            auth_config_uuid: r.get(12)?,
            config: Map::new(),
            version: r.get(8)?,
            disabled_at: r.get(9)?,
            created_at: r.get(10)?,
            updated_at: r.get(11)?,
        },
        r.get(7)?,
    ))
}

fn finish((mut row, config): (InstanceRow, String)) -> Result<InstanceRow, ApiError> {
    row.config = serde_json::from_str(&config).map_err(|e| {
        ApiError::internal(format!("stored config of trigger instance {} is not JSON: {e}", row.id))
    })?;
    Ok(row)
}

fn query(c: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<InstanceRow>, ApiError> {
    let mut stmt = c.prepare(sql)?;
    let raws = stmt.query_map(args, from_row)?.collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(finish).collect()
}

/// Create the instance for (account, slug, config), or update the existing one (re-enabling it
/// and taking the new version). Returns the stored instance.
pub fn upsert(
    c: &Connection,
    account_id: &str,
    slug: &str,
    config: &Map<String, Value>,
    version: &str,
) -> Result<InstanceRow, ApiError> {
    let key = config_key(config);
    let now = crate::ids::now_iso();
    let existing: Option<String> = c
        .query_row(
            "SELECT id FROM trigger_instances WHERE connected_account_id = ?1 AND trigger_slug = ?2 AND config_key = ?3",
            params![account_id, slug, key],
            |r| r.get(0),
        )
        .optional()?;
    let id = match existing {
        Some(id) => {
            c.execute(
                "UPDATE trigger_instances SET config = ?2, version = ?3, disabled_at = NULL, updated_at = ?4 WHERE id = ?1",
                params![id, Value::Object(config.clone()).to_string(), version, now],
            )?;
            id
        }
        None => {
            let id = crate::ids::new_id("ti");
            c.execute(
                "INSERT INTO trigger_instances (id, uuid, trigger_slug, connected_account_id, config, config_key, version,
                 disabled_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, ?8, ?8)",
                params![
                    id,
                    uuid::Uuid::new_v4().to_string(),
                    slug,
                    account_id,
                    Value::Object(config.clone()).to_string(),
                    key,
                    version,
                    now
                ],
            )?;
            id
        }
    };
    get(c, &id)?.ok_or_else(|| ApiError::internal(format!("trigger instance {id} could not be read back")))
}

/// Load one instance.
pub fn get(c: &Connection, id: &str) -> Result<Option<InstanceRow>, ApiError> {
    let raw = c.query_row(&format!("{SELECT} WHERE t.id = ?1"), params![id], from_row).optional()?;
    raw.map(finish).transpose()
}

/// All instances, oldest first (callers filter).
pub fn list(c: &Connection) -> Result<Vec<InstanceRow>, ApiError> {
    query(c, &format!("{SELECT} ORDER BY t.created_at, t.rowid"), [])
}

/// The enabled instances of `slug` on an account.
pub fn enabled_for(c: &Connection, account_id: &str, slug: &str) -> Result<Vec<InstanceRow>, ApiError> {
    query(
        c,
        &format!(
            "{SELECT} WHERE t.connected_account_id = ?1 AND t.trigger_slug = ?2 AND t.disabled_at IS NULL
             ORDER BY t.created_at, t.rowid"
        ),
        params![account_id, slug],
    )
}

/// Enable or disable; whether the instance exists.
pub fn set_enabled(c: &Connection, id: &str, enabled: bool) -> Result<bool, ApiError> {
    let now = crate::ids::now_iso();
    let n = if enabled {
        c.execute(
            "UPDATE trigger_instances SET disabled_at = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?
    } else {
        c.execute(
            "UPDATE trigger_instances SET disabled_at = COALESCE(disabled_at, ?2), updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?
    };
    Ok(n > 0)
}

/// Delete; whether the instance existed.
pub fn delete(c: &Connection, id: &str) -> Result<bool, ApiError> {
    Ok(c.execute("DELETE FROM trigger_instances WHERE id = ?1", params![id])? > 0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn config_keys_ignore_key_order() {
        let a = json!({"b": 1, "a": {"y": 2, "x": 1}});
        let b = json!({"a": {"x": 1, "y": 2}, "b": 1});
        assert_eq!(config_key(a.as_object().unwrap()), config_key(b.as_object().unwrap()));
        assert_ne!(config_key(a.as_object().unwrap()), config_key(&Map::new()));
    }
}
