//! Stored webhook subscriptions (wire contract §7.4) and the event types they can enable.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use crate::errors::ApiError;

/// The event type of fired triggers.
pub const TRIGGER_MESSAGE: &str = "composio.trigger.message";
/// The event type of connected accounts whose token refresh failed (V3 payloads only).
pub const CONNECTION_EXPIRED: &str = "composio.connected_account.expired";
/// Payload versions.
pub const VERSIONS: &[&str] = &["V1", "V2", "V3"];

/// The event types of `GET /webhook_subscriptions/event_types`.
pub fn event_types() -> Value {
    json!([
        {"event_type": TRIGGER_MESSAGE, "description": "A trigger instance fired: the event of a trigger type on a connected account.",
         "supported_versions": ["V1", "V2", "V3"]},
        {"event_type": CONNECTION_EXPIRED, "description": "A connected account expired because refreshing its OAuth2 token failed.",
         "supported_versions": ["V3"]},
    ])
}

/// Whether `event_type` is one composio-local produces.
pub fn known_event_type(event_type: &str) -> bool {
    event_type == TRIGGER_MESSAGE || event_type == CONNECTION_EXPIRED
}

/// A stored subscription.
#[derive(Clone, PartialEq)]
pub struct SubscriptionRow {
    /// `ws_…` id.
    pub id: String,
    /// Where deliveries go.
    pub webhook_url: String,
    /// `V1`, `V2` or `V3`.
    pub version: String,
    /// Enabled event types.
    pub enabled_events: Vec<String>,
    /// The signing secret.
    pub secret: String,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// ISO-8601 update time.
    pub updated_at: String,
}

impl std::fmt::Debug for SubscriptionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SubscriptionRow")
            .field("id", &self.id)
            .field("webhook_url", &self.webhook_url)
            .field("version", &self.version)
            .field("enabled_events", &self.enabled_events)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl SubscriptionRow {
    /// The wire object; the secret in full only when `reveal_secret` (create), else masked.
    pub fn to_json(&self, reveal_secret: bool) -> Value {
        let secret = if reveal_secret { self.secret.clone() } else { crate::secrets::mask(&self.secret) };
        json!({
            "id": self.id,
            "webhook_url": self.webhook_url,
            "version": self.version,
            "enabled_events": self.enabled_events,
            "secret": secret,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        })
    }

    /// Whether deliveries of `event_type` go to this subscription.
    pub fn wants(&self, event_type: &str) -> bool {
        self.enabled_events.iter().any(|e| e == event_type)
    }
}

const COLUMNS: &str = "id, webhook_url, version, enabled_events, secret, created_at, updated_at";
/// Columns as read: the secret decrypted (see [`crate::vault`]).
const SELECT_COLUMNS: &str =
    "id, webhook_url, version, enabled_events, secret_dec(secret), created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<(SubscriptionRow, String)> {
    Ok((
        SubscriptionRow {
            id: r.get(0)?,
            webhook_url: r.get(1)?,
            version: r.get(2)?,
            enabled_events: Vec::new(),
            secret: r.get(4)?,
            created_at: r.get(5)?,
            updated_at: r.get(6)?,
        },
        r.get(3)?,
    ))
}

fn finish((mut row, events): (SubscriptionRow, String)) -> Result<SubscriptionRow, ApiError> {
    row.enabled_events = serde_json::from_str(&events).map_err(|e| {
        ApiError::internal(format!(
            "stored enabled_events of webhook subscription {} are not JSON: {e}",
            row.id
        ))
    })?;
    Ok(row)
}

/// Insert a new subscription.
pub fn insert(c: &Connection, row: &SubscriptionRow) -> Result<(), ApiError> {
    c.execute(
        &format!(
            "INSERT INTO webhook_subscriptions ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, secret_enc(?5), ?6, ?7)"
        ),
        params![
            row.id,
            row.webhook_url,
            row.version,
            json!(row.enabled_events).to_string(),
            row.secret,
            row.created_at,
            row.updated_at
        ],
    )?;
    Ok(())
}

/// Overwrite a subscription's mutable fields (bumping `updated_at`).
pub fn update(c: &Connection, row: &mut SubscriptionRow) -> Result<(), ApiError> {
    row.updated_at = crate::ids::now_iso();
    c.execute(
        "UPDATE webhook_subscriptions SET webhook_url = ?2, version = ?3, enabled_events = ?4, secret = secret_enc(?5), updated_at = ?6
         WHERE id = ?1",
        params![
            row.id,
            row.webhook_url,
            row.version,
            json!(row.enabled_events).to_string(),
            row.secret,
            row.updated_at
        ],
    )?;
    Ok(())
}

/// Load one subscription.
pub fn get(c: &Connection, id: &str) -> Result<Option<SubscriptionRow>, ApiError> {
    let raw = c
        .query_row(
            &format!("SELECT {SELECT_COLUMNS} FROM webhook_subscriptions WHERE id = ?1"),
            params![id],
            from_row,
        )
        .optional()?;
    raw.map(finish).transpose()
}

/// All subscriptions, oldest first.
pub fn list(c: &Connection) -> Result<Vec<SubscriptionRow>, ApiError> {
    let mut stmt =
        c.prepare(&format!("SELECT {SELECT_COLUMNS} FROM webhook_subscriptions ORDER BY created_at, rowid"))?;
    let raws = stmt.query_map([], from_row)?.collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(finish).collect()
}

/// Delete a subscription (its pending deliveries go with it); whether it existed.
pub fn delete(c: &Connection, id: &str) -> Result<bool, ApiError> {
    Ok(c.execute("DELETE FROM webhook_subscriptions WHERE id = ?1", params![id])? > 0)
}
