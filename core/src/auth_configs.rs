//! Auth configs: how a toolkit authenticates (Composio-managed or your own
//! credentials). Create, list, get, update, delete, enable and disable.
//!
//! ```no_run
//! # async fn run(composio: composio_core::Composio) -> composio_core::Result<()> {
//! use composio_core::models::{AuthConfigCreate, AuthConfigListParams};
//!
//! let created = composio.auth_configs().create("github", AuthConfigCreate::composio_managed()).await?;
//! let page = composio
//!     .auth_configs()
//!     .list(&AuthConfigListParams { toolkit_slug: Some("github".into()), ..Default::default() })
//!     .await?;
//! # let _ = (created, page); Ok(()) }
//! ```

use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::models::{AuthConfig, AuthConfigCreate, AuthConfigCreateResponse, AuthConfigListParams};
use crate::models::{AuthConfigUpdate, Page};
use crate::transport::ApiRequest;
use crate::Composio;

impl Composio {
    /// Auth-config operations.
    pub fn auth_configs(&self) -> AuthConfigs {
        AuthConfigs { client: self.clone() }
    }
}

/// Auth-config operations (`/auth_configs`), from
/// [`Composio::auth_configs`].
#[derive(Debug, Clone)]
pub struct AuthConfigs {
    client: Composio,
}

/// Rejects an empty (or blank) required argument, naming it.
pub(crate) fn require_non_empty(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::validation(format!("{name} must not be empty")));
    }
    Ok(())
}

/// Checks that a `scopes` / `user_scopes` value is a string or a list of
/// strings.
fn check_scopes(name: &str, value: &Option<Value>) -> Result<()> {
    match value {
        None | Some(Value::String(_)) => Ok(()),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => Ok(()),
        Some(_) => Err(Error::validation(format!("{name} must be a string or a list of strings"))),
    }
}

impl AuthConfigs {
    /// Creates an auth config for `toolkit`:
    /// `POST /auth_configs {"toolkit": {"slug"}, "auth_config": options}`.
    ///
    /// Returns the whole response (`auth_config` — what Python returns —
    /// plus `toolkit`).
    pub async fn create(&self, toolkit: &str, options: AuthConfigCreate) -> Result<AuthConfigCreateResponse> {
        require_non_empty("toolkit", toolkit)?;
        if let AuthConfigCreate::UseComposioManagedAuth { name: Some(n), .. }
        | AuthConfigCreate::UseCustomAuth { name: Some(n), .. } = &options
        {
            require_non_empty("name", n)?;
        }
        if let AuthConfigCreate::UseCustomAuth { proxy_config: Some(p), .. } = &options {
            require_non_empty("proxy_config.proxy_url", &p.proxy_url)?;
        }
        let body = json!({ "toolkit": { "slug": toolkit }, "auth_config": options });
        let req = ApiRequest::post(["auth_configs"]).json_value(body);
        self.client.transport().json(&req).await
    }

    /// Lists auth configs (`GET /auth_configs`); one page, follow
    /// `next_cursor` with `cursor`.
    pub async fn list(&self, params: &AuthConfigListParams) -> Result<Page<AuthConfig>> {
        if params.limit == Some(0) {
            return Err(Error::validation("limit must be at least 1"));
        }
        let req = ApiRequest::get(["auth_configs"])
            .query_opt("toolkit_slug", params.toolkit_slug.as_deref())
            .query_opt("is_composio_managed", params.is_composio_managed)
            .query_opt("show_disabled", params.show_disabled)
            .query_opt("search", params.search.as_deref())
            .query_opt("limit", params.limit)
            .query_opt("cursor", params.cursor.as_deref());
        self.client.transport().json(&req).await
    }

    /// Fetches one auth config (`GET /auth_configs/{id}`).
    pub async fn get(&self, id: &str) -> Result<AuthConfig> {
        require_non_empty("auth config id", id)?;
        self.client.transport().json(&ApiRequest::get(["auth_configs", id])).await
    }

    /// Updates an auth config (`PATCH /auth_configs/{id}`). The API answers
    /// `{}`, returned as sent.
    pub async fn update(&self, id: &str, update: AuthConfigUpdate) -> Result<Value> {
        require_non_empty("auth config id", id)?;
        match &update {
            AuthConfigUpdate::Custom { name, proxy_config, .. } => {
                if let Some(n) = name {
                    require_non_empty("name", n)?;
                }
                if let Some(p) = proxy_config {
                    require_non_empty("proxy_config.proxy_url", &p.proxy_url)?;
                }
            }
            AuthConfigUpdate::Default { scopes, user_scopes, .. } => {
                check_scopes("scopes", scopes)?;
                check_scopes("user_scopes", user_scopes)?;
            }
        }
        let req = ApiRequest::patch(["auth_configs", id]).json(&update)?;
        self.client.transport().json(&req).await
    }

    /// Deletes an auth config (`DELETE /auth_configs/{id}`); returns the
    /// API's answer (`{}`).
    pub async fn delete(&self, id: &str) -> Result<Value> {
        require_non_empty("auth config id", id)?;
        self.client.transport().json(&ApiRequest::delete(["auth_configs", id])).await
    }

    /// Enables an auth config (`PATCH /auth_configs/{id}/ENABLED`, no body).
    pub async fn enable(&self, id: &str) -> Result<Value> {
        self.set_status(id, "ENABLED").await
    }

    /// Disables an auth config (`PATCH /auth_configs/{id}/DISABLED`, no
    /// body).
    pub async fn disable(&self, id: &str) -> Result<Value> {
        self.set_status(id, "DISABLED").await
    }

    async fn set_status(&self, id: &str, status: &str) -> Result<Value> {
        require_non_empty("auth config id", id)?;
        self.client.transport().json(&ApiRequest::patch(["auth_configs", id, status])).await
    }
}
