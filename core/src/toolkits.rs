//! Toolkits: list, get, categories, and the fields an auth scheme needs.
//!
//! ```no_run
//! # async fn run() -> composio_core::Result<()> {
//! use composio_core::{Composio, ComposioConfig};
//! use composio_core::toolkits::ToolkitListParams;
//!
//! let composio = Composio::new(ComposioConfig::new("key"))?;
//! let page = composio.toolkits().list(&ToolkitListParams { limit: Some(10), ..Default::default() }).await?;
//! let fields = composio.toolkits().get_auth_config_creation_fields("github", "OAUTH2", false).await?;
//! # let _ = (page, fields); Ok(()) }
//! ```

use crate::error::{Error, Result};
use crate::models::{Page, Toolkit, ToolkitAuthField, ToolkitCategory, ToolkitFieldGroup};
use crate::transport::ApiRequest;
use crate::Composio;

impl Composio {
    /// The toolkits API.
    pub fn toolkits(&self) -> Toolkits {
        Toolkits { client: self.clone() }
    }
}

/// The toolkits API (`GET /toolkits`, `GET /toolkits/{slug}`,
/// `GET /toolkits/categories`).
#[derive(Debug, Clone)]
pub struct Toolkits {
    client: Composio,
}

/// Filters of [`Toolkits::list`]. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolkitListParams {
    /// Only toolkits in this category.
    pub category: Option<String>,
    /// `composio`, `all` or `project`.
    pub managed_by: Option<String>,
    /// `usage` or `alphabetically`.
    pub sort_by: Option<String>,
    /// Free-text search.
    pub search: Option<String>,
    /// Include deprecated toolkits.
    pub include_deprecated: Option<bool>,
    /// Page size.
    pub limit: Option<u32>,
    /// Cursor from a previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// The accepted values of `managed_by`.
pub const MANAGED_BY_VALUES: [&str; 3] = ["composio", "all", "project"];
/// The accepted values of `sort_by`.
pub const SORT_BY_VALUES: [&str; 2] = ["usage", "alphabetically"];

fn check_choice(name: &str, value: Option<&str>, allowed: &[&str]) -> Result<()> {
    match value {
        Some(v) if !allowed.contains(&v) => {
            Err(Error::validation(format!("{name} must be one of {}, got {v:?}", allowed.join(", "))))
        }
        _ => Ok(()),
    }
}

fn check_slug(slug: &str) -> Result<()> {
    if slug.trim().is_empty() {
        return Err(Error::validation("toolkit slug must not be empty"));
    }
    Ok(())
}

/// Which stage's fields to read.
#[derive(Clone, Copy)]
enum Stage {
    AuthConfigCreation,
    ConnectedAccountInitiation,
}

impl Toolkits {
    /// One page of toolkits (`GET /toolkits`).
    pub async fn list(&self, params: &ToolkitListParams) -> Result<Page<Toolkit>> {
        check_choice("managed_by", params.managed_by.as_deref(), &MANAGED_BY_VALUES)?;
        check_choice("sort_by", params.sort_by.as_deref(), &SORT_BY_VALUES)?;
        if params.limit == Some(0) {
            return Err(Error::validation("limit must be at least 1"));
        }
        let req = ApiRequest::get(["toolkits"])
            .query_opt("category", params.category.as_deref())
            .query_opt("managed_by", params.managed_by.as_deref())
            .query_opt("sort_by", params.sort_by.as_deref())
            .query_opt("search", params.search.as_deref())
            .query_opt("include_deprecated", params.include_deprecated)
            .query_opt("limit", params.limit)
            .query_opt("cursor", params.cursor.as_deref());
        self.client.transport().json(&req).await
    }

    /// Connects `user_id` to `toolkit` (Python `toolkits.authorize`): uses
    /// the newest auth config of the toolkit, or creates a Composio-managed
    /// one, then initiates a connection. See
    /// [`crate::connected_accounts::ConnectedAccounts::authorize_toolkit`].
    pub async fn authorize(&self, user_id: &str, toolkit: &str) -> Result<crate::ConnectionRequest> {
        self.client.connected_accounts().authorize_toolkit(user_id, toolkit).await
    }

    /// One toolkit with its auth details (`GET /toolkits/{slug}`).
    pub async fn get(&self, slug: &str) -> Result<Toolkit> {
        check_slug(slug)?;
        self.client.transport().json(&ApiRequest::get(["toolkits", slug])).await
    }

    /// Every toolkit category (`GET /toolkits/categories`; the items of the
    /// page).
    pub async fn list_categories(&self) -> Result<Vec<ToolkitCategory>> {
        let page: Page<ToolkitCategory> =
            self.client.transport().json(&ApiRequest::get(["toolkits", "categories"])).await?;
        Ok(page.items)
    }

    /// The fields needed to create an auth config for `toolkit` with
    /// `auth_scheme`: the required ones, then (unless `required_only`) the
    /// optional ones. Returned fields have `required` set to match the group
    /// they came from. A toolkit without that scheme is
    /// [`Error::NotFound`] with kind `auth scheme`.
    pub async fn get_auth_config_creation_fields(
        &self,
        toolkit: &str,
        auth_scheme: &str,
        required_only: bool,
    ) -> Result<Vec<ToolkitAuthField>> {
        self.fields(toolkit, auth_scheme, required_only, Stage::AuthConfigCreation).await
    }

    /// The fields needed to initiate a connected account for `toolkit` with
    /// `auth_scheme` (same rules as
    /// [`Toolkits::get_auth_config_creation_fields`]).
    pub async fn get_connected_account_initiation_fields(
        &self,
        toolkit: &str,
        auth_scheme: &str,
        required_only: bool,
    ) -> Result<Vec<ToolkitAuthField>> {
        self.fields(toolkit, auth_scheme, required_only, Stage::ConnectedAccountInitiation).await
    }

    async fn fields(
        &self,
        toolkit: &str,
        auth_scheme: &str,
        required_only: bool,
        stage: Stage,
    ) -> Result<Vec<ToolkitAuthField>> {
        check_slug(toolkit)?;
        if auth_scheme.trim().is_empty() {
            return Err(Error::validation("auth_scheme must not be empty"));
        }
        let details = self.get(toolkit).await?;
        let Some(detail) = details.auth_config_detail(auth_scheme) else {
            let known: Vec<&str> = details.auth_config_details.iter().map(|d| d.mode.as_str()).collect();
            let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
            return Err(Error::NotFound {
                kind: "auth scheme",
                id: format!("{auth_scheme} for toolkit {toolkit} (available: {known})"),
            });
        };
        let group: &ToolkitFieldGroup = match stage {
            Stage::AuthConfigCreation => &detail.fields.auth_config_creation,
            Stage::ConnectedAccountInitiation => &detail.fields.connected_account_initiation,
        };
        let mut out: Vec<ToolkitAuthField> =
            group.required.iter().cloned().map(|f| ToolkitAuthField { required: true, ..f }).collect();
        if !required_only {
            out.extend(group.optional.iter().cloned().map(|f| ToolkitAuthField { required: false, ..f }));
        }
        Ok(out)
    }
}
