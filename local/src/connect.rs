//! Starting connections: new connected accounts with their connect links, link tokens, and
//! choosing the auth config a session or `COMPOSIO_MANAGE_CONNECTIONS` connects with.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Map, Value};

use crate::accounts::{self, AccountRow};
use crate::auth_configs::{self, AuthConfigRow};
use crate::errors::ApiError;
use crate::toolkits::Toolkit;
use crate::AppState;

/// A connect-link token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The token (`lk_…`).
    pub token: String,
    /// Unix expiry.
    pub expires_at: u64,
}

impl Link {
    /// The page a browser opens: `<base>/link/<token>`.
    pub fn url(&self, base_url: &str) -> String {
        format!("{base_url}/link/{}", self.token)
    }

    /// `expires_at` as ISO-8601.
    pub fn expires_iso(&self) -> String {
        crate::ids::iso_from_unix(self.expires_at, 0)
    }
}

/// A stored link token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    /// The account it connects.
    pub connected_account_id: String,
    /// Unix expiry.
    pub expires_at: u64,
    /// Whether the flow finished (successfully or not).
    pub completed: bool,
}

/// Make a new link token for an account.
pub fn new_link(c: &Connection, account_id: &str, ttl_secs: u64) -> Result<Link, ApiError> {
    let link = Link {
        token: format!("lk_{}", crate::ids::random_base62(24)),
        expires_at: crate::ids::now_unix() + ttl_secs,
    };
    c.execute(
        "INSERT INTO link_tokens (token, connected_account_id, expires_at) VALUES (?1, ?2, ?3)",
        params![link.token, account_id, link.expires_at as i64],
    )?;
    Ok(link)
}

/// Look a link token up.
pub fn find_link(c: &Connection, token: &str) -> Result<Option<LinkRow>, ApiError> {
    Ok(c.query_row(
        "SELECT connected_account_id, expires_at, completed FROM link_tokens WHERE token = ?1",
        params![token],
        |r| {
            Ok(LinkRow {
                connected_account_id: r.get(0)?,
                expires_at: r.get::<_, i64>(1)?.max(0) as u64,
                completed: r.get(2)?,
            })
        },
    )
    .optional()?)
}

/// Mark every link of an account completed.
pub fn complete_links(c: &Connection, account_id: &str) -> Result<(), ApiError> {
    c.execute("UPDATE link_tokens SET completed = 1 WHERE connected_account_id = ?1", params![account_id])?;
    Ok(())
}

/// What a new connection starts from.
#[derive(Debug, Clone, Default)]
pub struct NewConnection {
    /// The user.
    pub user_id: String,
    /// Where the flow returns to.
    pub callback_url: Option<String>,
    /// Label.
    pub alias: Option<String>,
    /// Pre-filled connection data.
    pub data: Map<String, Value>,
    /// Credentials given up front (`connection.state.val`); when they are complete the account is ACTIVE at once.
    pub credentials: Option<Map<String, Value>>,
}

/// Whether `val` holds complete credentials for `scheme`.
pub fn credentials_complete(scheme: &str, val: &Map<String, Value>) -> bool {
    let has = |k: &str| val.get(k).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    match scheme {
        "API_KEY" => has("api_key") || has("generic_api_key"),
        "OAUTH2" => has("access_token"),
        _ => false,
    }
}

/// Create the account (ACTIVE when credentials are complete, else INITIATED with a link).
pub fn start(
    c: &Connection,
    ttl_secs: u64,
    cfg: &AuthConfigRow,
    new: NewConnection,
) -> Result<(AccountRow, Option<Link>), ApiError> {
    let mut row = AccountRow::new(&new.user_id, cfg, "INITIATED");
    row.callback_url = new.callback_url;
    row.alias = new.alias;
    row.data = new.data;
    if let Some(creds) = new.credentials {
        if credentials_complete(&cfg.auth_scheme, &creds) {
            row.status = "ACTIVE".to_owned();
            row.state = creds.into_iter().filter(|(k, _)| k != "status").collect();
            if cfg.auth_scheme == "API_KEY" && !row.state.contains_key("api_key") {
                if let Some(v) = row.state.get("generic_api_key").cloned() {
                    row.state.insert("api_key".into(), v);
                }
            }
            accounts::insert(c, &row)?;
            return Ok((row, None));
        }
        row.state = creds.into_iter().filter(|(k, _)| k != "status").collect();
    }
    accounts::insert(c, &row)?;
    let link = new_link(c, &row.id, ttl_secs)?;
    Ok((row, Some(link)))
}

/// The auth config to connect `tk` with: `override_id` when given (must be an enabled config of
/// `tk`), else the newest enabled Composio-managed one, created when there is none.
pub fn pick_auth_config(
    c: &Connection,
    tk: &Toolkit,
    override_id: Option<&str>,
) -> Result<AuthConfigRow, ApiError> {
    if let Some(id) = override_id {
        let cfg = auth_configs::get(c, id)?.ok_or_else(|| {
            ApiError::bad_request(format!(
                "auth config `{id}` (configured for toolkit `{}`) does not exist",
                tk.slug
            ))
        })?;
        if cfg.toolkit != tk.slug {
            return Err(ApiError::bad_request(format!(
                "auth config `{id}` belongs to toolkit `{}`, not `{}`",
                cfg.toolkit, tk.slug
            )));
        }
        if !cfg.is_enabled() {
            return Err(ApiError::bad_request(format!("auth config `{id}` is disabled")));
        }
        return Ok(cfg);
    }
    if let Some(cfg) = auth_configs::newest_managed(c, tk.slug)? {
        return Ok(cfg);
    }
    let cfg = auth_configs::new_managed(tk, None)?;
    auth_configs::insert(c, &cfg)?;
    Ok(cfg)
}

/// The `POST /connected_accounts` response (§6.3).
pub fn initiate_json(state: &AppState, row: &AccountRow, cfg: &AuthConfigRow, link: Option<&Link>) -> Value {
    let redirect = link.map(|l| l.url(&state.base_url));
    let mut val = Map::new();
    val.insert("status".into(), json!(row.status));
    if let Some(r) = &redirect {
        val.insert("redirectUrl".into(), json!(r));
    }
    if let Some(cb) = &row.callback_url {
        val.insert("callback_url".into(), json!(cb));
    }
    json!({
        "id": row.id,
        "status": row.status,
        "redirect_url": redirect,
        "redirect_uri": redirect,
        "connectionData": {"authScheme": cfg.auth_scheme, "val": val},
        "deprecated": {"uuid": row.uuid, "authConfigUuid": cfg.uuid},
    })
}
