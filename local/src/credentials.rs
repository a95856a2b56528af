//! Which connected account a tool runs with, and the data owner its credential stands for —
//! refreshing OAuth2 access tokens when they expire (a failed refresh turns the account EXPIRED).

use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::accounts::{self, AccountRow};
use crate::auth_configs::{self, AuthConfigRow};
use crate::errors::{codes, ApiError};
use crate::oauth2::{client, store};
use crate::sessions::SessionConfig;
use crate::toolkits::{AccountCtx, Toolkit};
use crate::AppState;

fn unusable(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, codes::CONNECTED_ACCOUNT_UNUSABLE, message)
}

fn check_pinned(row: &AccountRow, tk: &Toolkit, user_id: &str, origin: &str) -> Result<(), ApiError> {
    if row.toolkit != tk.slug {
        return Err(unusable(format!(
            "{origin}: connected account `{}` belongs to toolkit `{}`, not `{}`",
            row.id, row.toolkit, tk.slug
        )));
    }
    if !user_id.is_empty() && row.user_id != user_id {
        return Err(unusable(format!("{origin}: connected account `{}` belongs to another user", row.id)));
    }
    if row.is_disabled {
        return Err(unusable(format!("{origin}: connected account `{}` is disabled", row.id))
            .fix("Enable it with PATCH /api/v3/connected_accounts/{id}/status {\"enabled\": true}."));
    }
    if row.status != "ACTIVE" {
        return Err(unusable(format!(
            "{origin}: connected account `{}` is {}, not ACTIVE",
            row.id, row.status
        ))
        .fix("Reconnect the account (connect link or POST /api/v3/connected_accounts/{id}/refresh)."));
    }
    Ok(())
}

/// The ACTIVE account `tk`'s tools run with: `explicit` (an id the caller named), else the
/// session's pinned account, else the user's newest ACTIVE account (of the session's auth config
/// for the toolkit, when one is configured). No account → 400 with code 1803.
pub async fn resolve(
    state: &AppState,
    tk: &'static Toolkit,
    config: &SessionConfig,
    explicit: Option<&str>,
) -> Result<(AccountRow, AuthConfigRow), ApiError> {
    let user_id = config.user_id.clone();
    let pinned = config.connected_accounts.get(tk.slug).and_then(Value::as_str).map(str::to_owned);
    let (wanted, origin) = match (explicit, pinned) {
        (Some(id), _) => (Some(id.to_owned()), "connected_account_id"),
        (None, Some(id)) => (Some(id), "the session's `connected_accounts`"),
        (None, None) => (None, ""),
    };
    let auth_override = config.auth_configs.get(tk.slug).and_then(Value::as_str).map(str::to_owned);
    let found = state
        .db
        .call(move |c| {
            let row = match wanted {
                Some(id) => {
                    let row = accounts::get(c, &id)?.ok_or_else(|| {
                        ApiError::not_found(codes::CONNECTED_ACCOUNT_NOT_FOUND, "Connected account", &id)
                    })?;
                    check_pinned(&row, tk, &user_id, origin)?;
                    Some(row)
                }
                None if user_id.is_empty() => None,
                None => accounts::for_user(c, &user_id, tk.slug)?.into_iter().find(|a| {
                    a.is_usable() && auth_override.as_ref().is_none_or(|ac| &a.auth_config_id == ac)
                }),
            };
            match row {
                Some(row) => {
                    let cfg = auth_configs::get(c, &row.auth_config_id)?.ok_or_else(|| {
                        ApiError::internal(format!("auth config of connected account {} is missing", row.id))
                    })?;
                    Ok(Some((row, cfg)))
                }
                None => Ok(None),
            }
        })
        .await?;
    let (row, cfg) = found.ok_or_else(|| {
        let message = if config.user_id.is_empty() {
            format!("No connected account to run `{}` tools with: pass `user_id` or `connected_account_id`", tk.slug)
        } else {
            format!("No active connected account found for user `{}` and toolkit `{}`", config.user_id, tk.slug)
        };
        ApiError::new(StatusCode::BAD_REQUEST, codes::CONNECTED_ACCOUNT_NOT_FOUND, message).fix(format!(
            "Connect the user to `{}` first (session.authorize / connected_accounts.link), then complete the connect page.",
            tk.slug
        ))
    })?;
    if !cfg.is_enabled() {
        return Err(unusable(format!(
            "auth config `{}` of connected account `{}` is disabled",
            cfg.id, row.id
        )));
    }
    Ok((row, cfg))
}

/// The data owner and scopes of a resolved account. Errors are tool-level messages.
pub async fn context(state: &AppState, row: AccountRow, cfg: &AuthConfigRow) -> Result<AccountCtx, String> {
    match cfg.auth_scheme.as_str() {
        "API_KEY" => {
            let has_key = row.state.get("api_key").and_then(Value::as_str).is_some_and(|k| !k.is_empty());
            if !has_key {
                return Err(format!("connected account `{}` has no API key", row.id));
            }
            Ok(AccountCtx {
                owner: row.id.clone(),
                connected_account_id: row.id,
                user_id: row.user_id,
                scopes: Vec::new(),
            })
        }
        "OAUTH2" => oauth_context(state, row, cfg).await,
        other => Err(format!("auth scheme `{other}` is not supported by composio-local's tools")),
    }
}

fn expires_soon(val: &Map<String, Value>) -> bool {
    val.get("expires_at").and_then(Value::as_u64).is_some_and(|t| t <= crate::ids::now_unix() + 30)
}

async fn oauth_context(state: &AppState, row: AccountRow, cfg: &AuthConfigRow) -> Result<AccountCtx, String> {
    let _guard = state.refresh_lock.lock().await;
    let id = row.id.clone();
    // Another call may have refreshed the token while this one waited.
    let mut row = match state.db.call(move |c| accounts::get(c, &id)).await {
        Ok(Some(r)) => r,
        Ok(None) => return Err(format!("connected account `{}` was deleted", row.id)),
        Err(e) => return Err(e.message),
    };
    let mut refreshed = false;
    loop {
        if !refreshed && expires_soon(&row.state) {
            refresh_account(state, &mut row, cfg).await?;
            refreshed = true;
        }
        let token = row.state.get("access_token").and_then(Value::as_str).unwrap_or("").to_owned();
        match state.db.call(move |c| store::validate_access_token(c, &token)).await {
            Err(e) => return Err(e.message),
            Ok(Ok((subject, scope))) => {
                return Ok(AccountCtx {
                    connected_account_id: row.id,
                    user_id: row.user_id,
                    owner: subject,
                    scopes: scope.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                })
            }
            Ok(Err(reason)) if reason.contains("expired") && !refreshed => {
                refresh_account(state, &mut row, cfg).await?;
                refreshed = true;
            }
            Ok(Err(reason)) => {
                return Err(format!("Local Tasks rejected the credential of `{}`: {reason}", row.id))
            }
        }
    }
}

/// Refresh the account's tokens; on failure the account turns EXPIRED and the error explains why.
pub async fn refresh_account(
    state: &AppState,
    row: &mut AccountRow,
    cfg: &AuthConfigRow,
) -> Result<(), String> {
    let refresh_token = row.state.get("refresh_token").and_then(Value::as_str).map(str::to_owned);
    let result = match refresh_token {
        None => Err("the access token expired and there is no refresh token".to_owned()),
        Some(rt) => match client::app_for(state, cfg).await {
            Ok(app) => client::refresh(state, &app, &rt).await,
            Err(e) => Err(e.message),
        },
    };
    match result {
        Ok(val) => {
            row.state = val;
            let mut copy = row.clone();
            state.db.call(move |c| accounts::update(c, &mut copy)).await.map_err(|e| e.message)?;
            Ok(())
        }
        Err(reason) => {
            let reason = format!("refreshing the access token failed: {reason}");
            let mut copy = row.clone();
            let r = reason.clone();
            let expired = state
                .db
                .call(move |c| accounts::expire(c, &mut copy, &r).map(|()| copy))
                .await
                .map_err(|e| e.message)?;
            tracing::info!(connected_account = %row.id, "connected account expired: token refresh failed");
            crate::events::connection_expired(state, expired.to_json(Some(cfg))).await;
            Err(format!("Connected account `{}` has expired: {reason}. Reconnect it.", row.id))
        }
    }
}
