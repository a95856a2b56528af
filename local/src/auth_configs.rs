//! Auth configs (wire contract §5): the stored row, its SQL, request parsing and the masked
//! `AuthConfig` wire object.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::extract::{
    optional_bool, optional_object, optional_str, optional_str_list, reject_unknown, type_name,
};
use crate::secrets::{looks_masked, mask_map};
use crate::toolkits::{self, Toolkit};

/// `type` of a Composio-managed auth config.
pub const KIND_DEFAULT: &str = "default";
/// `type` of an auth config with the caller's own credentials.
pub const KIND_CUSTOM: &str = "custom";

/// A stored auth config.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthConfigRow {
    /// `ac_…` id.
    pub id: String,
    /// Legacy UUID.
    pub uuid: String,
    /// Toolkit slug.
    pub toolkit: String,
    /// Display name.
    pub name: String,
    /// [`KIND_DEFAULT`] (Composio-managed) or [`KIND_CUSTOM`].
    pub kind: String,
    /// `API_KEY`, `OAUTH2`, ...
    pub auth_scheme: String,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
    /// Credentials (secrets inside; masked on the way out).
    pub credentials: Map<String, Value>,
    /// `is_enabled_for_tool_router`, `tool_access_config`, `restrict_to_following_tools`,
    /// `shared_credentials`, `proxy_config`.
    pub settings: Map<String, Value>,
    /// ISO-8601 creation time.
    pub created_at: String,
    /// ISO-8601 update time.
    pub updated_at: String,
}

impl AuthConfigRow {
    /// Whether Composio (here: composio-local) manages the credentials.
    pub fn is_composio_managed(&self) -> bool {
        self.kind == KIND_DEFAULT
    }

    /// Whether the config is enabled.
    pub fn is_enabled(&self) -> bool {
        self.status == "ENABLED"
    }

    /// `tool_access_config.tools_available_for_execution`, when it restricts anything.
    pub fn tools_available_for_execution(&self) -> Option<Vec<String>> {
        self.settings
            .get("tool_access_config")
            .and_then(|t| t.get("tools_available_for_execution"))
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_uppercase).collect())
    }

    /// The `AuthConfig` wire object with secrets masked.
    pub fn to_json(&self, no_of_connections: i64) -> Value {
        let tk = toolkits::find_toolkit(&self.toolkit);
        let setting = |k: &str| self.settings.get(k).cloned().unwrap_or(Value::Null);
        let masked = |k: &str| match self.settings.get(k) {
            Some(Value::Object(m)) => Value::Object(mask_map(m)),
            Some(other) => other.clone(),
            None => Value::Null,
        };
        let tool_access = match self.settings.get("tool_access_config") {
            Some(Value::Object(m)) => Value::Object(m.clone()),
            _ => json!({"tools_available_for_execution": [], "tools_for_connected_account_creation": []}),
        };
        json!({
            "id": self.id,
            "uuid": self.uuid,
            "name": self.name,
            "type": self.kind,
            "status": self.status,
            "no_of_connections": no_of_connections,
            "toolkit": {
                "slug": self.toolkit,
                "logo": tk.map(|t| t.logo),
                "auth_guide_url": null,
                "auth_hint_url": null,
            },
            "auth_scheme": self.auth_scheme,
            "is_composio_managed": self.is_composio_managed(),
            "is_enabled_for_tool_router": self.settings.get("is_enabled_for_tool_router").cloned().unwrap_or(json!(true)),
            "credentials": mask_map(&self.credentials),
            "shared_credentials": masked("shared_credentials"),
            "proxy_config": masked("proxy_config"),
            "tool_access_config": tool_access,
            "restrict_to_following_tools": setting("restrict_to_following_tools"),
            "expected_input_fields": [],
            "created_at": self.created_at,
            "created_by": "composio-local",
            "last_updated_at": self.updated_at,
            "deprecated_params": {"default_connector_id": null, "member_uuid": null, "toolkit_id": null},
        })
    }
}

/// Columns as read: the secret ones decrypted (see [`crate::vault`]).
const SELECT_COLUMNS: &str = "id, uuid, toolkit, name, kind, auth_scheme, status, secret_dec(credentials), \
     secret_dec(settings), created_at, updated_at";

const COLUMNS: &str =
    "id, uuid, toolkit, name, kind, auth_scheme, status, credentials, settings, created_at, updated_at";

fn json_map(text: &str, what: &str) -> Result<Map<String, Value>, ApiError> {
    serde_json::from_str(text)
        .map_err(|e| ApiError::internal(format!("stored {what} is not a JSON object: {e}")))
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<(AuthConfigRow, String, String)> {
    Ok((
        AuthConfigRow {
            id: r.get(0)?,
            uuid: r.get(1)?,
            toolkit: r.get(2)?,
            name: r.get(3)?,
            kind: r.get(4)?,
            auth_scheme: r.get(5)?,
            status: r.get(6)?,
            credentials: Map::new(),
            settings: Map::new(),
            created_at: r.get(9)?,
            updated_at: r.get(10)?,
        },
        r.get(7)?,
        r.get(8)?,
    ))
}

fn finish(
    (mut row, credentials, settings): (AuthConfigRow, String, String),
) -> Result<AuthConfigRow, ApiError> {
    row.credentials = json_map(&credentials, "auth config credentials")?;
    row.settings = json_map(&settings, "auth config settings")?;
    Ok(row)
}

/// Insert a new auth config.
pub fn insert(c: &Connection, row: &AuthConfigRow) -> Result<(), ApiError> {
    c.execute(
        &format!(
            "INSERT INTO auth_configs ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, secret_enc(?8), secret_enc(?9), ?10, ?11)"
        ),
        params![
            row.id,
            row.uuid,
            row.toolkit,
            row.name,
            row.kind,
            row.auth_scheme,
            row.status,
            Value::Object(row.credentials.clone()).to_string(),
            Value::Object(row.settings.clone()).to_string(),
            row.created_at,
            row.updated_at
        ],
    )?;
    Ok(())
}

/// Overwrite a stored auth config.
pub fn update(c: &Connection, row: &AuthConfigRow) -> Result<(), ApiError> {
    c.execute(
        "UPDATE auth_configs SET name = ?2, status = ?3, credentials = secret_enc(?4), settings = secret_enc(?5), updated_at = ?6 WHERE id = ?1",
        params![
            row.id,
            row.name,
            row.status,
            Value::Object(row.credentials.clone()).to_string(),
            Value::Object(row.settings.clone()).to_string(),
            row.updated_at
        ],
    )?;
    Ok(())
}

/// Load one auth config.
pub fn get(c: &Connection, id: &str) -> Result<Option<AuthConfigRow>, ApiError> {
    let raw = c
        .query_row(&format!("SELECT {SELECT_COLUMNS} FROM auth_configs WHERE id = ?1"), params![id], from_row)
        .optional()?;
    raw.map(finish).transpose()
}

/// All auth configs, newest first.
pub fn list(c: &Connection) -> Result<Vec<AuthConfigRow>, ApiError> {
    let mut stmt = c.prepare(&format!(
        "SELECT {SELECT_COLUMNS} FROM auth_configs ORDER BY created_at DESC, rowid DESC"
    ))?;
    let raws = stmt.query_map([], from_row)?.collect::<Result<Vec<_>, _>>()?;
    raws.into_iter().map(finish).collect()
}

/// Delete an auth config (its connected accounts go with it); whether it existed.
pub fn delete(c: &Connection, id: &str) -> Result<bool, ApiError> {
    Ok(c.execute("DELETE FROM auth_configs WHERE id = ?1", params![id])? > 0)
}

/// Number of connected accounts using the auth config.
pub fn connection_count(c: &Connection, id: &str) -> Result<i64, ApiError> {
    Ok(c.query_row("SELECT COUNT(*) FROM connected_accounts WHERE auth_config_id = ?1", params![id], |r| {
        r.get(0)
    })?)
}

/// The newest enabled Composio-managed auth config of a toolkit, if any.
pub fn newest_managed(c: &Connection, toolkit: &str) -> Result<Option<AuthConfigRow>, ApiError> {
    Ok(list(c)?.into_iter().find(|r| r.toolkit == toolkit && r.is_composio_managed() && r.is_enabled()))
}

/// A new Composio-managed auth config for `tk` (its first auth scheme).
pub fn new_managed(tk: &Toolkit, name: Option<String>) -> Result<AuthConfigRow, ApiError> {
    let scheme = tk.auth_schemes.first().ok_or_else(|| no_auth_error(tk))?;
    let now = crate::ids::now_iso();
    Ok(AuthConfigRow {
        id: crate::ids::new_id("ac"),
        uuid: uuid::Uuid::new_v4().to_string(),
        toolkit: tk.slug.to_owned(),
        name: name.unwrap_or_else(|| format!("{} Auth Config", tk.name)),
        kind: KIND_DEFAULT.to_owned(),
        auth_scheme: (*scheme).to_owned(),
        status: "ENABLED".to_owned(),
        credentials: Map::new(),
        settings: Map::new(),
        created_at: now.clone(),
        updated_at: now,
    })
}

fn no_auth_error(tk: &Toolkit) -> ApiError {
    ApiError::bad_request(format!(
        "toolkit `{}` needs no authentication, so it cannot have auth configs",
        tk.slug
    ))
    .fix("Auth configs are for toolkits with auth schemes, e.g. `notes` (API_KEY) or `tasks` (OAUTH2).")
}

const MANAGED_FIELDS: &[&str] = &[
    "type",
    "name",
    "credentials",
    "is_enabled_for_tool_router",
    "restrict_to_following_tools",
    "shared_credentials",
    "tool_access_config",
];
const CUSTOM_FIELDS: &[&str] = &[
    "type",
    "authScheme",
    "auth_scheme",
    "credentials",
    "name",
    "proxy_config",
    "is_enabled_for_tool_router",
    "restrict_to_following_tools",
    "shared_credentials",
    "tool_access_config",
];

/// Read the settings shared by create and update into `settings` (prefix names fields in errors).
fn read_settings(
    body: &Map<String, Value>,
    settings: &mut Map<String, Value>,
    prefix: &str,
) -> Result<(), ApiError> {
    let with_prefix = |e: ApiError| {
        let mut e = e;
        e.message = e.message.replacen("field `", &format!("field `{prefix}"), 1);
        e
    };
    if let Some(b) = optional_bool(body, "is_enabled_for_tool_router").map_err(with_prefix)? {
        settings.insert("is_enabled_for_tool_router".into(), json!(b));
    }
    if let Some(list) = optional_str_list(body, "restrict_to_following_tools").map_err(with_prefix)? {
        settings.insert("restrict_to_following_tools".into(), json!(list));
    }
    if let Some(shared) = optional_object(body, "shared_credentials").map_err(with_prefix)? {
        settings.insert("shared_credentials".into(), Value::Object(shared.clone()));
    }
    if let Some(tac) = optional_object(body, "tool_access_config").map_err(with_prefix)? {
        reject_unknown(
            tac,
            &["tools_available_for_execution", "tools_for_connected_account_creation"],
            &format!("{prefix}tool_access_config."),
        )?;
        let mut out = Map::new();
        for key in ["tools_available_for_execution", "tools_for_connected_account_creation"] {
            let list = optional_str_list(tac, key).map_err(|e| {
                with_prefix(ApiError {
                    message: e.message.replacen("field `", "field `tool_access_config.", 1),
                    ..e
                })
            })?;
            out.insert(key.into(), json!(list.unwrap_or_default()));
        }
        settings.insert("tool_access_config".into(), Value::Object(out));
    }
    if let Some(proxy) = optional_object(body, "proxy_config").map_err(with_prefix)? {
        reject_unknown(proxy, &["proxy_url", "proxy_auth_key"], &format!("{prefix}proxy_config."))?;
        if optional_str(proxy, "proxy_url")?.is_none() {
            return Err(ApiError::bad_request(format!(
                "missing required field `{prefix}proxy_config.proxy_url`"
            )));
        }
        settings.insert("proxy_config".into(), Value::Object(proxy.clone()));
    }
    Ok(())
}

/// Normalise `scopes` (a space/comma separated string or a list of strings) to one space-separated string.
pub fn scopes_string(value: &Value, field: &str) -> Result<String, ApiError> {
    match value {
        Value::String(s) => Ok(s.split([' ', ',']).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str().map(str::to_owned).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "field `{field}[{i}]` must be a string, got {}",
                        type_name(v)
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(" ")),
        other => Err(ApiError::bad_request(format!(
            "field `{field}` must be a string or a list of strings, got {}",
            type_name(other)
        ))),
    }
}

/// Store `scopes` / `user_scopes` as space-separated strings.
fn normalise_scopes(mut creds: Map<String, Value>) -> Result<Map<String, Value>, ApiError> {
    for key in ["scopes", "user_scopes"] {
        if let Some(v) = creds.get(key).filter(|v| !v.is_null()).cloned() {
            creds.insert(key.into(), json!(scopes_string(&v, &format!("credentials.{key}"))?));
        }
    }
    Ok(creds)
}

fn check_url(value: &str, field: &str) -> Result<(), ApiError> {
    if value.starts_with("http://") || value.starts_with("https://") {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!("field `{field}` must be an http(s) URL, got `{value}`")))
    }
}

/// Validate the credentials of a custom config of `scheme` (fields named under `prefix`).
fn check_credentials(scheme: &str, creds: &Map<String, Value>, prefix: &str) -> Result<(), ApiError> {
    for (k, v) in creds {
        if k == "scopes" || k == "user_scopes" {
            scopes_string(v, &format!("{prefix}{k}"))?;
        } else if !v.is_string() && !v.is_null() {
            return Err(ApiError::bad_request(format!(
                "field `{prefix}{k}` must be a string, got {}",
                type_name(v)
            )));
        }
    }
    if scheme == "OAUTH2" {
        for key in ["client_id", "client_secret"] {
            match creds.get(key).and_then(Value::as_str) {
                Some(s) if !s.trim().is_empty() => {}
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "missing required field `{prefix}{key}` for an OAUTH2 auth config"
                    ))
                    .fix("Custom OAUTH2 auth configs need client_id and client_secret (plus authorization_url, token_url and scopes for your own provider)."))
                }
            }
        }
        for key in ["authorization_url", "token_url", "oauth_redirect_uri"] {
            if let Some(url) = creds.get(key).and_then(Value::as_str) {
                check_url(url, &format!("{prefix}{key}"))?;
            }
        }
    }
    Ok(())
}

/// Parse `POST /auth_configs` into a new row.
pub fn parse_create(body: &Map<String, Value>) -> Result<AuthConfigRow, ApiError> {
    reject_unknown(body, &["toolkit", "auth_config"], "")?;
    let toolkit = match body.get("toolkit") {
        Some(Value::Object(t)) => {
            reject_unknown(t, &["slug"], "toolkit.")?;
            optional_str(t, "slug")?
                .ok_or_else(|| ApiError::bad_request("missing required field `toolkit.slug`"))?
        }
        None | Some(Value::Null) => return Err(ApiError::bad_request("missing required field `toolkit`")),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "field `toolkit` must be an object `{{\"slug\": ...}}`, got {}",
                type_name(other)
            )))
        }
    };
    let tk = toolkits::listed().find(|t| t.slug.eq_ignore_ascii_case(&toolkit)).ok_or_else(|| {
        ApiError::bad_request(format!("field `toolkit.slug`: unknown toolkit `{toolkit}`")).fix(format!(
            "Toolkits available in composio-local: {}.",
            toolkits::listed().map(|t| t.slug).collect::<Vec<_>>().join(", ")
        ))
    })?;
    if tk.no_auth {
        return Err(no_auth_error(tk));
    }
    let empty = Map::new();
    let cfg = optional_object(body, "auth_config")?.unwrap_or(&empty);
    let kind = optional_str(cfg, "type")
        .map_err(|e| ApiError { message: e.message.replace("`type`", "`auth_config.type`"), ..e })?
        .unwrap_or_else(|| "use_composio_managed_auth".to_owned());
    let name = optional_str(cfg, "name")
        .map_err(|e| ApiError { message: e.message.replace("`name`", "`auth_config.name`"), ..e })?;
    let mut row = new_managed(tk, name)?;
    match kind.as_str() {
        "use_composio_managed_auth" => {
            reject_unknown(cfg, MANAGED_FIELDS, "auth_config.")?;
            if let Some(creds) = optional_object(cfg, "credentials")? {
                for (k, v) in creds {
                    let value = if k == "scopes" || k == "user_scopes" {
                        json!(scopes_string(v, &format!("auth_config.credentials.{k}"))?)
                    } else {
                        v.clone()
                    };
                    row.credentials.insert(k.clone(), value);
                }
            }
        }
        "use_custom_auth" => {
            reject_unknown(cfg, CUSTOM_FIELDS, "auth_config.")?;
            let scheme = match (optional_str(cfg, "authScheme")?, optional_str(cfg, "auth_scheme")?) {
                (Some(s), _) | (None, Some(s)) => s.to_uppercase(),
                (None, None) => {
                    return Err(ApiError::bad_request(
                        "missing required field `auth_config.authScheme` for a `use_custom_auth` auth config",
                    ))
                }
            };
            if !tk.auth_schemes.contains(&scheme.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "field `auth_config.authScheme`: toolkit `{}` does not support `{scheme}`; supported: {}",
                    tk.slug,
                    tk.auth_schemes.join(", ")
                )));
            }
            let creds = optional_object(cfg, "credentials")?.cloned().unwrap_or_default();
            check_credentials(&scheme, &creds, "auth_config.credentials.")?;
            row.credentials = normalise_scopes(creds)?;
            row.auth_scheme = scheme;
            row.kind = KIND_CUSTOM.to_owned();
        }
        other => {
            return Err(ApiError::bad_request(format!(
                "field `auth_config.type` must be `use_composio_managed_auth` or `use_custom_auth`, got `{other}`"
            )))
        }
    }
    read_settings(cfg, &mut row.settings, "auth_config.")?;
    Ok(row)
}

/// Apply a `PATCH /auth_configs/{id}` body to `row`.
pub fn apply_update(row: &mut AuthConfigRow, body: &Map<String, Value>) -> Result<(), ApiError> {
    let kind = optional_str(body, "type")?
        .ok_or_else(|| ApiError::bad_request("missing required field `type` (`custom` or `default`)"))?;
    let fields: &[&str] = match kind.as_str() {
        "custom" => &[
            "type",
            "credentials",
            "is_enabled_for_tool_router",
            "proxy_config",
            "restrict_to_following_tools",
            "shared_credentials",
            "tool_access_config",
            "name",
        ],
        "default" => &[
            "type",
            "credentials",
            "scopes",
            "user_scopes",
            "is_enabled_for_tool_router",
            "restrict_to_following_tools",
            "shared_credentials",
            "tool_access_config",
            "name",
        ],
        other => {
            return Err(ApiError::bad_request(format!(
                "field `type` must be `custom` or `default`, got `{other}`"
            )))
        }
    };
    if kind != row.kind {
        return Err(ApiError::bad_request(format!(
            "field `type`: auth config `{}` is `{}`, so updates must use `type: \"{}\"`",
            row.id, row.kind, row.kind
        )));
    }
    reject_unknown(body, fields, "")?;
    if let Some(name) = optional_str(body, "name")? {
        row.name = name;
    }
    let mut creds = row.credentials.clone();
    if let Some(update) = optional_object(body, "credentials")? {
        for (k, v) in update {
            match v {
                // A masked value sent back unchanged keeps the stored secret.
                Value::String(s) if looks_masked(s) => {}
                Value::Null => {
                    creds.remove(k);
                }
                other => {
                    creds.insert(k.clone(), other.clone());
                }
            }
        }
    }
    for key in ["scopes", "user_scopes"] {
        if let Some(v) = body.get(key).filter(|v| !v.is_null()) {
            creds.insert(key.into(), json!(scopes_string(v, key)?));
        }
    }
    if row.kind == KIND_CUSTOM {
        check_credentials(&row.auth_scheme, &creds, "credentials.")?;
    }
    row.credentials = normalise_scopes(creds)?;
    read_settings(body, &mut row.settings, "")?;
    row.updated_at = crate::ids::now_iso();
    Ok(())
}
