//! The OAuth2 client side of connecting an account: which app (client id/secret, URLs, scopes) an
//! auth config stands for, the authorize URL, and the server-side code exchange and token refresh.
//! Nothing here is specific to the built-in server, so custom auth configs can point at a real provider.

use serde_json::{json, Map, Value};

use super::store::{self, BUILTIN_CLIENT_ID};
use super::DEFAULT_SCOPES;
use crate::auth_configs::{scopes_string, AuthConfigRow};
use crate::errors::ApiError;
use crate::AppState;

/// Everything needed to run the authorization-code flow for one auth config.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthApp {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret` (never logged).
    pub client_secret: String,
    /// The provider's authorize endpoint.
    pub authorization_url: String,
    /// The provider's token endpoint.
    pub token_url: String,
    /// Scopes to request, space-separated.
    pub scopes: String,
    /// Where the provider sends the user back (Composio's callback).
    pub redirect_uri: String,
}

impl std::fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("authorization_url", &self.authorization_url)
            .field("token_url", &self.token_url)
            .field("scopes", &self.scopes)
            .field("redirect_uri", &self.redirect_uri)
            .finish()
    }
}

/// Composio's OAuth2 callback on this server.
pub fn callback_url(base_url: &str) -> String {
    format!("{base_url}/oauth2/callback")
}

/// The OAuth app of an OAUTH2 auth config: Composio-managed configs use the built-in server's own
/// client; custom ones use their credentials (URLs default to the built-in server's).
pub async fn app_for(state: &AppState, cfg: &AuthConfigRow) -> Result<OAuthApp, ApiError> {
    let base = state.base_url.to_string();
    let cred =
        |k: &str| cfg.credentials.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let scopes = match cfg.credentials.get("scopes") {
        Some(v) if !v.is_null() => scopes_string(v, "credentials.scopes")?,
        _ => String::new(),
    };
    let scopes = if scopes.is_empty() { DEFAULT_SCOPES.to_owned() } else { scopes };
    let (client_id, client_secret) = if cfg.is_composio_managed() {
        let client =
            state.db.call(|c| store::client(c, BUILTIN_CLIENT_ID)).await?.ok_or_else(|| {
                ApiError::internal("the built-in OAuth2 client is missing from the database")
            })?;
        (client.client_id, client.client_secret)
    } else {
        let missing = |k: &str| {
            ApiError::bad_request(format!("auth config `{}` has no `credentials.{k}`", cfg.id))
                .fix("Update the auth config with PATCH /api/v3/auth_configs/{id}.")
        };
        (
            cred("client_id").ok_or_else(|| missing("client_id"))?,
            cred("client_secret").ok_or_else(|| missing("client_secret"))?,
        )
    };
    Ok(OAuthApp {
        client_id,
        client_secret,
        authorization_url: cred("authorization_url").unwrap_or_else(|| format!("{base}/oauth2/authorize")),
        token_url: cred("token_url").unwrap_or_else(|| format!("{base}/oauth2/token")),
        scopes,
        redirect_uri: cred("oauth_redirect_uri").unwrap_or_else(|| callback_url(&base)),
    })
}

/// The URL that starts the flow at the provider.
pub fn authorize_url(app: &OAuthApp, state_param: &str, code_challenge: &str) -> String {
    crate::html::append_query(
        &app.authorization_url,
        &[
            ("response_type", "code"),
            ("client_id", &app.client_id),
            ("redirect_uri", &app.redirect_uri),
            ("scope", &app.scopes),
            ("state", state_param),
            ("code_challenge", code_challenge),
            ("code_challenge_method", "S256"),
        ],
    )
}

async fn token_request(
    state: &AppState,
    app: &OAuthApp,
    form: &[(&str, &str)],
) -> Result<Map<String, Value>, String> {
    let mut fields: Vec<(&str, &str)> = form.to_vec();
    fields.push(("client_id", &app.client_id));
    fields.push(("client_secret", &app.client_secret));
    let resp = state
        .http
        .post(&app.token_url)
        .header("accept", "application/json")
        .form(&fields)
        .send()
        .await
        .map_err(|e| format!("could not reach the token endpoint {}: {}", app.token_url, e.without_url()))?;
    let status = resp.status();
    let content_type =
        resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let text =
        resp.text().await.map_err(|e| format!("reading the token endpoint's answer: {}", e.without_url()))?;
    let body: Map<String, Value> = if content_type.contains("application/x-www-form-urlencoded") {
        form_urlencoded::parse(text.as_bytes()).map(|(k, v)| (k.into_owned(), json!(v))).collect()
    } else {
        match serde_json::from_str(&text) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    };
    let error = body.get("error").and_then(Value::as_str);
    if !status.is_success() || error.is_some() {
        let desc = body.get("error_description").and_then(Value::as_str).unwrap_or("");
        return Err(format!(
            "the token endpoint answered {}: {}{}{}",
            status.as_u16(),
            error.unwrap_or("no error code"),
            if desc.is_empty() { "" } else { ": " },
            desc
        ));
    }
    if !body.get("access_token").is_some_and(Value::is_string) {
        return Err("the token endpoint's answer has no access_token".to_owned());
    }
    Ok(body)
}

/// Turn a token response into the connected account's `state.val` (adds `expires_at`, Unix seconds;
/// keeps the previous refresh token when the provider does not rotate it).
fn token_val(body: Map<String, Value>, previous_refresh: Option<&str>) -> Map<String, Value> {
    let mut val = Map::new();
    for key in ["access_token", "refresh_token", "token_type", "expires_in", "scope", "id_token"] {
        if let Some(v) = body.get(key).filter(|v| !v.is_null()) {
            val.insert(key.into(), v.clone());
        }
    }
    if !val.contains_key("refresh_token") {
        if let Some(r) = previous_refresh {
            val.insert("refresh_token".into(), json!(r));
        }
    }
    let expires_in =
        body.get("expires_in").and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())));
    if let Some(secs) = expires_in {
        val.insert("expires_at".into(), json!(crate::ids::now_unix() + secs));
    }
    val
}

/// Exchange an authorization code (with its PKCE verifier) for tokens.
pub async fn exchange_code(
    state: &AppState,
    app: &OAuthApp,
    code: &str,
    code_verifier: &str,
) -> Result<Map<String, Value>, String> {
    let body = token_request(
        state,
        app,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &app.redirect_uri),
            ("code_verifier", code_verifier),
        ],
    )
    .await?;
    Ok(token_val(body, None))
}

/// Use a refresh token; returns the new `state.val`.
pub async fn refresh(
    state: &AppState,
    app: &OAuthApp,
    refresh_token: &str,
) -> Result<Map<String, Value>, String> {
    let body =
        token_request(state, app, &[("grant_type", "refresh_token"), ("refresh_token", refresh_token)])
            .await?;
    Ok(token_val(body, Some(refresh_token)))
}
