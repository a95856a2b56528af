//! `POST /tool_router/session/{id}/attach` (v3.1): attach session custom tools and toolkits to
//! an existing session, as `@composio/core` 0.21's `composio.use(id, {customTools})` does.
//!
//! The body is `{experimental?: {custom_tools?, custom_toolkits?}}`, checked exactly like the
//! create body's (see [`crate::custom_tools`]); the answer is the session payload with the final
//! slugs echoed under `experimental`. The hosted API keeps no custom definitions on v3.1 sessions
//! (the SDK re-sends them with each request); composio-local stores the attached definitions on
//! the session, replacing any earlier ones, so its search and meta tools see them afterwards.
//! A body without `experimental` leaves the session unchanged.

use axum::extract::{Path, State};
use axum::Json;
use rusqlite::params;
use serde_json::{Map, Value};

use crate::errors::ApiError;
use crate::extract::{optional_object, reject_unknown, JsonObject};
use crate::AppState;

/// `POST /tool_router/session/{id}/attach`.
pub async fn attach(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> Result<Json<Value>, ApiError> {
    reject_unknown(&body, &["experimental"], "")?;
    let (mut row, mut config) = super::sessions::load(&state, &id).await?;
    if let Some(exp) = optional_object(&body, "experimental")? {
        reject_unknown(exp, &["custom_tools", "custom_toolkits"], "experimental.")?;
        let (tools, toolkits) = crate::custom_tools::parse(exp)?;
        let mut experimental = match config.experimental.take() {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        experimental.remove("custom_tools");
        experimental.remove("custom_toolkits");
        if !tools.is_empty() || !toolkits.is_empty() {
            experimental.insert("custom_tools".into(), Value::Array(tools));
            experimental.insert("custom_toolkits".into(), Value::Array(toolkits));
        }
        config.experimental = (!experimental.is_empty()).then_some(Value::Object(experimental));
        row.config = serde_json::to_value(&config).map_err(ApiError::internal)?;
        let (sid, stored) = (row.id.clone(), row.config.to_string());
        state
            .db
            .call(move |c| {
                c.execute("UPDATE sessions SET config = ?1 WHERE id = ?2", params![stored, sid])?;
                Ok(())
            })
            .await?;
    }
    Ok(Json(super::sessions::session_json(&state, &row, &config)))
}
