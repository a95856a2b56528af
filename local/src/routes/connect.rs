//! Connect pages: `GET/POST /link/{token}` (API-key form, or the start of the OAuth2 flow) and
//! Composio's OAuth2 callback `GET /oauth2/callback`, which exchanges the code and returns the
//! browser to the connection's `callback_url` with `status` and `connected_account_id`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

use crate::accounts::{self, AccountRow};
use crate::auth_configs::{self, AuthConfigRow};
use crate::connect;
use crate::errors::ApiError;
use crate::extract::QueryParams;
use crate::html::{self, escape};
use crate::oauth2::{client, pkce};
use crate::toolkits;
use crate::AppState;

/// Where the browser goes once the flow ends: the callback URL with the outcome appended, or a page.
fn finish(row: &AccountRow, success: bool, detail: &str) -> Response {
    let status = if success { "success" } else { "failed" };
    if let Some(cb) = row.callback_url.as_deref().filter(|c| !c.is_empty()) {
        return html::redirect(&html::append_query(
            cb,
            &[("status", status), ("connected_account_id", &row.id)],
        ));
    }
    let tk = toolkits::find_toolkit(&row.toolkit).map_or(row.toolkit.as_str(), |t| t.name);
    if success {
        html::page(
            StatusCode::OK,
            "Connected",
            &format!(
                "<p id=\"status\" data-status=\"success\">Your {} account is connected (<code>{}</code>). You can close this window.</p>",
                escape(tk),
                escape(&row.id)
            ),
        )
    } else {
        html::page(
            StatusCode::OK,
            "Connection failed",
            &format!(
                "<p id=\"status\" data-status=\"failed\" class=\"error\">Connecting {} failed: {}</p>",
                escape(tk),
                escape(detail)
            ),
        )
    }
}

enum LinkState {
    Ready(Box<(AccountRow, AuthConfigRow)>),
    Page(Response),
}

async fn open_link(state: &AppState, token: &str) -> Result<LinkState, ApiError> {
    let key = token.to_owned();
    let found = state
        .db
        .call(move |c| {
            let Some(link) = connect::find_link(c, &key)? else { return Ok(None) };
            let row = accounts::get(c, &link.connected_account_id)?;
            let cfg = match &row {
                Some(r) => auth_configs::get(c, &r.auth_config_id)?,
                None => None,
            };
            Ok(Some((link, row, cfg)))
        })
        .await?;
    let page = |status, title: &str, msg: &str| Ok(LinkState::Page(html::error_page(status, title, msg)));
    let Some((link, row, cfg)) = found else {
        return page(
            StatusCode::NOT_FOUND,
            "Link not found",
            "This connect link does not exist. Ask the app for a new one.",
        );
    };
    let (Some(row), Some(cfg)) = (row, cfg) else {
        return page(
            StatusCode::GONE,
            "Connection removed",
            "The connection this link was made for has been deleted.",
        );
    };
    if link.completed || row.status != "INITIATED" {
        return page(
            StatusCode::GONE,
            "Link already used",
            &format!(
                "This connect link was already used; the connection is {}. Ask the app for a new link.",
                row.status
            ),
        );
    }
    if link.expires_at <= crate::ids::now_unix() {
        return page(
            StatusCode::GONE,
            "Link expired",
            "This connect link has expired. Ask the app for a new one and open it within its lifetime.",
        );
    }
    if !cfg.is_enabled() {
        return page(
            StatusCode::BAD_REQUEST,
            "Connection unavailable",
            "The auth config of this connection is disabled.",
        );
    }
    Ok(LinkState::Ready(Box::new((row, cfg))))
}

fn api_key_form(token: &str, row: &AccountRow, error: Option<&str>) -> Response {
    let tk = toolkits::find_toolkit(&row.toolkit).map_or(row.toolkit.as_str(), |t| t.name);
    let invalid = if error.is_some() { " aria-invalid=\"true\" aria-describedby=\"error\"" } else { "" };
    let error = error.map_or(String::new(), |e| format!("<p class=\"error\" id=\"error\">{}</p>", escape(e)));
    let body = format!(
        "<p>Connect your <strong>{tk}</strong> account for user <code>{user}</code>.</p>{error}\
         <form method=\"post\" action=\"/link/{token}\">\
         <label for=\"api_key\">API key</label>\
         <input type=\"password\" id=\"api_key\" name=\"api_key\" autocomplete=\"off\" required{invalid}>\
         <button type=\"submit\" id=\"connect\">Connect</button>\
         </form>",
        tk = escape(tk),
        user = escape(&row.user_id),
        token = escape(token),
    );
    html::page(
        if error.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST },
        &format!("Connect {tk}"),
        &body,
    )
}

/// `GET /link/{token}`.
pub async fn link_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let (row, cfg) = match open_link(&state, &token).await? {
        LinkState::Page(p) => return Ok(p),
        LinkState::Ready(b) => *b,
    };
    match cfg.auth_scheme.as_str() {
        "API_KEY" => Ok(api_key_form(&token, &row, None)),
        "OAUTH2" => {
            let app = client::app_for(&state, &cfg).await?;
            let verifier = pkce::new_verifier();
            let state_param = format!("st_{}", crate::ids::random_base62(32));
            let url = client::authorize_url(&app, &state_param, &pkce::challenge(&verifier));
            let (sp, redirect_uri, account_id, u) =
                (state_param.clone(), app.redirect_uri.clone(), row.id.clone(), url.clone());
            state
                .db
                .call(move |c| {
                    c.execute(
                        "INSERT INTO oauth_pending (state, connected_account_id, code_verifier, redirect_uri, created_at) VALUES (?1, ?2, secret_enc(?3), ?4, ?5)",
                        params![sp, account_id, verifier, redirect_uri, crate::ids::now_unix() as i64],
                    )?;
                    let mut row = accounts::get(c, &account_id)?.ok_or_else(|| ApiError::internal("account vanished"))?;
                    row.state.insert("redirectUrl".into(), json!(u));
                    row.state.insert("state_prefix".into(), json!("st"));
                    accounts::update(c, &mut row)
                })
                .await?;
            Ok(html::redirect(&url))
        }
        other => Ok(html::error_page(
            StatusCode::BAD_REQUEST,
            "Unsupported connection",
            &format!("composio-local cannot connect auth scheme {other}."),
        )),
    }
}

/// `POST /link/{token}` — the API-key form.
pub async fn link_submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (mut row, cfg) = match open_link(&state, &token).await? {
        LinkState::Page(p) => return Ok(p),
        LinkState::Ready(b) => *b,
    };
    if cfg.auth_scheme != "API_KEY" {
        return Ok(html::error_page(
            StatusCode::BAD_REQUEST,
            "Wrong form",
            "This connection does not use an API key.",
        ));
    }
    let key = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "api_key")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    if key.is_empty() {
        return Ok(api_key_form(&token, &row, Some("Enter your API key: the API key field is empty.")));
    }
    if key.len() > 4096 {
        return Ok(api_key_form(
            &token,
            &row,
            Some("The API key field is too long (at most 4096 characters)."),
        ));
    }
    row.state.clear();
    row.state.insert("api_key".into(), Value::String(key));
    row.status = "ACTIVE".to_owned();
    row.status_reason = None;
    let mut copy = row.clone();
    state
        .db
        .call(move |c| {
            accounts::update(c, &mut copy)?;
            connect::complete_links(c, &copy.id)
        })
        .await?;
    Ok(finish(&row, true, ""))
}

/// `GET /oauth2/callback` — the provider returns here with `code` (or `error`) and `state`.
pub async fn oauth_callback(State(state): State<AppState>, query: QueryParams) -> Result<Response, ApiError> {
    let Some(state_param) = query.get("state").filter(|s| !s.is_empty()).map(str::to_owned) else {
        return Ok(html::error_page(
            StatusCode::BAD_REQUEST,
            "Connection failed",
            "The callback has no `state` parameter.",
        ));
    };
    let pending = state
        .db
        .call(move |c| {
            let p = c
                .query_row(
                    "SELECT connected_account_id, secret_dec(code_verifier), redirect_uri, created_at FROM oauth_pending WHERE state = ?1",
                    params![state_param],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?)),
                )
                .optional()?;
            c.execute("DELETE FROM oauth_pending WHERE state = ?1", params![state_param])?;
            let Some((account_id, verifier, redirect_uri, created)) = p else { return Ok(None) };
            let row = accounts::get(c, &account_id)?;
            let cfg = match &row {
                Some(r) => auth_configs::get(c, &r.auth_config_id)?,
                None => None,
            };
            Ok(Some((row, cfg, verifier, redirect_uri, created)))
        })
        .await?;
    let Some((Some(mut row), Some(cfg), verifier, _redirect_uri, created)) = pending else {
        return Ok(html::error_page(
            StatusCode::BAD_REQUEST,
            "Connection failed",
            "This authorization response is unknown or was already used. Start the connection again.",
        ));
    };
    if row.status != "INITIATED" {
        return Ok(html::error_page(
            StatusCode::GONE,
            "Link already used",
            "This connection was already completed.",
        ));
    }
    let ttl = state.settings.link_ttl.as_secs();
    let outcome: Result<serde_json::Map<String, Value>, (String, String)> = if let Some(error) =
        query.get("error")
    {
        let desc = query.get("error_description").unwrap_or("");
        let reason = if error == "access_denied" {
            format!("The user denied access ({error}{}{desc})", if desc.is_empty() { "" } else { ": " })
        } else {
            format!(
                "The provider returned an error: {error}{}{desc}",
                if desc.is_empty() { "" } else { ": " }
            )
        };
        Err((reason, error.to_owned()))
    } else if (created.max(0) as u64) + ttl <= crate::ids::now_unix() {
        Err(("The authorization took longer than the link's lifetime".to_owned(), "expired".to_owned()))
    } else if let Some(code) = query.get("code").filter(|c| !c.is_empty()) {
        match client::app_for(&state, &cfg).await {
            Ok(app) => client::exchange_code(&state, &app, code, &verifier).await.map_err(|e| {
                (format!("Exchanging the authorization code failed: {e}"), "token_exchange_failed".to_owned())
            }),
            Err(e) => Err((e.message, "configuration_error".to_owned())),
        }
    } else {
        Err(("The callback has neither `code` nor `error`".to_owned(), "invalid_request".to_owned()))
    };
    match outcome {
        Ok(val) => {
            row.state = val;
            row.status = "ACTIVE".to_owned();
            row.status_reason = None;
        }
        Err((reason, code)) => {
            row.state.clear();
            row.state.insert("error".into(), json!(code));
            row.state.insert("error_description".into(), json!(reason));
            row.status = "FAILED".to_owned();
            row.status_reason = Some(reason);
        }
    }
    let mut copy = row.clone();
    state
        .db
        .call(move |c| {
            accounts::update(c, &mut copy)?;
            connect::complete_links(c, &copy.id)
        })
        .await?;
    let ok = row.status == "ACTIVE";
    Ok(finish(&row, ok, row.status_reason.as_deref().unwrap_or("")))
}
