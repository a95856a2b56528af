//! Connected accounts (wire contract §6): the stored row, its SQL and the wire objects.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Map, Value};

use crate::auth_configs::AuthConfigRow;
use crate::errors::ApiError;
use crate::secrets::mask_map;

/// Every connected-account status.
pub const STATUSES: &[&str] = &["INITIALIZING", "INITIATED", "ACTIVE", "FAILED", "EXPIRED", "INACTIVE"];

/// A stored connected account.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    /// `ca_…` id.
    pub id: String,
    /// Legacy UUID.
    pub uuid: String,
    /// The user it belongs to.
    pub user_id: String,
    /// Toolkit slug.
    pub toolkit: String,
    /// Its auth config.
    pub auth_config_id: String,
    /// One of [`STATUSES`].
    pub status: String,
    /// Why it is FAILED / EXPIRED.
    pub status_reason: Option<String>,
    /// Disabled through `PATCH /{id}/status`.
    pub is_disabled: bool,
    /// Caller-chosen label.
    pub alias: Option<String>,
    /// Where the connect flow returns to.
    pub callback_url: Option<String>,
    /// `state.val` (credentials and tokens; masked on the way out).
    pub state: Map<String, Value>,
    /// `data` (pre-filled connection data and the like).
    pub data: Map<String, Value>,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// ISO-8601 update time.
    pub updated_at: String,
}

impl AccountRow {
    /// A fresh account in status `status`.
    pub fn new(user_id: &str, auth_config: &AuthConfigRow, status: &str) -> AccountRow {
        let now = crate::ids::now_iso();
        AccountRow {
            id: crate::ids::new_id("ca"),
            uuid: uuid::Uuid::new_v4().to_string(),
            user_id: user_id.to_owned(),
            toolkit: auth_config.toolkit.clone(),
            auth_config_id: auth_config.id.clone(),
            status: status.to_owned(),
            status_reason: None,
            is_disabled: false,
            alias: None,
            callback_url: None,
            state: Map::new(),
            data: Map::new(),
            created_at: now.clone(),
            updated_at: now,
        }
    }

    /// Whether tools may run with this account.
    pub fn is_usable(&self) -> bool {
        self.status == "ACTIVE" && !self.is_disabled
    }

    /// `state.val` as shown: `status` plus the stored values with secrets masked.
    pub fn masked_val(&self) -> Value {
        let mut val = Map::new();
        val.insert("status".into(), json!(self.status));
        for (k, v) in mask_map(&self.state) {
            if k != "status" {
                val.insert(k, v);
            }
        }
        Value::Object(val)
    }

    /// The `ConnectedAccount` wire object (§6.2) with secrets masked.
    pub fn to_json(&self, auth_config: Option<&AuthConfigRow>) -> Value {
        let scheme = auth_config.map_or("", |a| a.auth_scheme.as_str());
        json!({
            "id": self.id,
            "user_id": self.user_id,
            "status": self.status,
            "status_reason": self.status_reason,
            "is_disabled": self.is_disabled,
            "alias": self.alias,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "toolkit": {"slug": self.toolkit},
            "auth_config": {
                "id": self.auth_config_id,
                "auth_scheme": scheme,
                "is_composio_managed": auth_config.is_some_and(AuthConfigRow::is_composio_managed),
                "is_disabled": auth_config.is_some_and(|a| !a.is_enabled()),
                "deprecated": {"uuid": auth_config.map(|a| a.uuid.clone())},
            },
            "state": {"authScheme": scheme, "val": self.masked_val()},
            "data": self.data,
            "params": {},
            "deprecated": {"labels": [], "uuid": self.uuid},
        })
    }
}

/// Columns as read: the secret ones decrypted (see [`crate::vault`]).
const SELECT_COLUMNS: &str =
    "id, uuid, user_id, toolkit, auth_config_id, status, status_reason, is_disabled, alias, \
                       callback_url, secret_dec(state), secret_dec(data), created_at, updated_at";

const COLUMNS: &str =
    "id, uuid, user_id, toolkit, auth_config_id, status, status_reason, is_disabled, alias, \
                       callback_url, state, data, created_at, updated_at";

type Raw = (AccountRow, String, String);

fn from_row(r: &Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        AccountRow {
            id: r.get(0)?,
            uuid: r.get(1)?,
            user_id: r.get(2)?,
            toolkit: r.get(3)?,
            auth_config_id: r.get(4)?,
            status: r.get(5)?,
            status_reason: r.get(6)?,
            is_disabled: r.get(7)?,
            alias: r.get(8)?,
            callback_url: r.get(9)?,
            state: Map::new(),
            data: Map::new(),
            created_at: r.get(12)?,
            updated_at: r.get(13)?,
        },
        r.get(10)?,
        r.get(11)?,
    ))
}

fn finish((mut row, state, data): Raw) -> Result<AccountRow, ApiError> {
    let parse = |text: &str, what: &str| -> Result<Map<String, Value>, ApiError> {
        serde_json::from_str(text).map_err(|e| {
            ApiError::internal(format!("stored {what} of connected account {} is not JSON: {e}", row.id))
        })
    };
    let state = parse(&state, "state")?;
    let data = parse(&data, "data")?;
    row.state = state;
    row.data = data;
    Ok(row)
}

/// Insert a new account.
pub fn insert(c: &Connection, row: &AccountRow) -> Result<(), ApiError> {
    c.execute(
        &format!("INSERT INTO connected_accounts ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, secret_enc(?11), secret_enc(?12), ?13, ?14)"),
        params![
            row.id,
            row.uuid,
            row.user_id,
            row.toolkit,
            row.auth_config_id,
            row.status,
            row.status_reason,
            row.is_disabled,
            row.alias,
            row.callback_url,
            Value::Object(row.state.clone()).to_string(),
            Value::Object(row.data.clone()).to_string(),
            row.created_at,
            row.updated_at
        ],
    )?;
    Ok(())
}

/// Overwrite the mutable fields of a stored account (bumping `updated_at`).
pub fn update(c: &Connection, row: &mut AccountRow) -> Result<(), ApiError> {
    row.updated_at = crate::ids::now_iso();
    c.execute(
        "UPDATE connected_accounts SET status = ?2, status_reason = ?3, is_disabled = ?4, alias = ?5, callback_url = ?6,
         state = secret_enc(?7), data = secret_enc(?8), updated_at = ?9 WHERE id = ?1",
        params![
            row.id,
            row.status,
            row.status_reason,
            row.is_disabled,
            row.alias,
            row.callback_url,
            Value::Object(row.state.clone()).to_string(),
            Value::Object(row.data.clone()).to_string(),
            row.updated_at
        ],
    )?;
    Ok(())
}

/// Load one account.
pub fn get(c: &Connection, id: &str) -> Result<Option<AccountRow>, ApiError> {
    let raw = c
        .query_row(
            &format!("SELECT {SELECT_COLUMNS} FROM connected_accounts WHERE id = ?1"),
            params![id],
            from_row,
        )
        .optional()?;
    raw.map(finish).transpose()
}

/// All accounts, oldest first (callers filter and sort).
pub fn list(c: &Connection) -> Result<Vec<AccountRow>, ApiError> {
    let mut stmt =
        c.prepare(&format!("SELECT {SELECT_COLUMNS} FROM connected_accounts ORDER BY created_at, rowid"))?;
    let raws = stmt.query_map([], from_row)?.collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(finish).collect()
}

/// A user's accounts of a toolkit, newest first.
pub fn for_user(c: &Connection, user_id: &str, toolkit: &str) -> Result<Vec<AccountRow>, ApiError> {
    let mut stmt = c.prepare(&format!(
        "SELECT {SELECT_COLUMNS} FROM connected_accounts WHERE user_id = ?1 AND toolkit = ?2 ORDER BY created_at DESC, rowid DESC"
    ))?;
    let raws = stmt.query_map(params![user_id, toolkit], from_row)?.collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(finish).collect()
}

/// Delete an account; whether it existed.
pub fn delete(c: &Connection, id: &str) -> Result<bool, ApiError> {
    Ok(c.execute("DELETE FROM connected_accounts WHERE id = ?1", params![id])? > 0)
}

/// Mark an account EXPIRED with a reason (its tokens are dropped).
pub fn expire(c: &Connection, row: &mut AccountRow, reason: &str) -> Result<(), ApiError> {
    row.status = "EXPIRED".to_owned();
    row.status_reason = Some(reason.to_owned());
    row.state = Map::new();
    row.state.insert("expired_at".into(), json!(crate::ids::now_iso()));
    update(c, row)
}
