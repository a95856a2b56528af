//! Toolkits, auth configs, connected accounts, MCP servers and the tools
//! proxy: further exports of [`FfiComposio`]. Results cross as JSON
//! strings (the API's wire shapes, unknown fields kept).

use std::sync::Arc;

use composio_core::models::{
    AuthConfigCreate, AuthConfigListParams, AuthConfigUpdate, ConnectedAccountListParams, ConnectionState,
    InitiateOptions, LinkOptions, McpCreateParams, McpListParams, McpUpdateParams, RefreshOptions,
};
use composio_core::toolkits::ToolkitListParams;
use composio_core::tools::ProxyParams;

use crate::client::FfiComposio;
use crate::error::FfiResult;
use crate::json;
use crate::session::FfiConnectionRequest;

/// Filters of `toolkits.list` (every field optional).
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct FfiToolkitListParams {
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
    /// Cursor from a previous page.
    pub cursor: Option<String>,
}

/// Filters of `authConfigs.list`.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct FfiAuthConfigListParams {
    /// Only auth configs of this toolkit.
    pub toolkit_slug: Option<String>,
    /// Only Composio-managed (`true`) or only custom (`false`) ones.
    pub is_composio_managed: Option<bool>,
    /// Include disabled auth configs.
    pub show_disabled: Option<bool>,
    /// Search by name.
    pub search: Option<String>,
    /// Page size.
    pub limit: Option<u32>,
    /// Cursor from a previous page.
    pub cursor: Option<String>,
}

/// Filters of `connectedAccounts.list`.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct FfiConnectedAccountListParams {
    /// Only these users.
    pub user_ids: Vec<String>,
    /// Only these toolkits.
    pub toolkit_slugs: Vec<String>,
    /// Only these auth configs.
    pub auth_config_ids: Vec<String>,
    /// Only these accounts.
    pub connected_account_ids: Vec<String>,
    /// Only these statuses (`ACTIVE`, ...).
    pub statuses: Vec<String>,
    /// `created_at` or `updated_at`.
    pub order_by: Option<String>,
    /// `asc` or `desc`.
    pub order_direction: Option<String>,
    /// Page size.
    pub limit: Option<u32>,
    /// Cursor from a previous page.
    pub cursor: Option<String>,
}

/// Options of `connectedAccounts.initiate`.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct FfiInitiateOptions {
    /// Where the user lands after connecting.
    pub callback_url: Option<String>,
    /// Allow another account when the user already has an ACTIVE one.
    pub allow_multiple: bool,
    /// The connection state (credentials) as JSON
    /// (`{"authScheme": "API_KEY", "val": {...}}`).
    pub config: Option<String>,
    /// A label for the account.
    pub alias: Option<String>,
}

#[uniffi::export(async_runtime = "tokio")]
impl FfiComposio {
    // ---------------------------------------------------------------- toolkits

    /// One page of toolkits (`{items, next_cursor, total_pages, ...}`).
    pub async fn toolkits_list(&self, params: FfiToolkitListParams) -> FfiResult<String> {
        let p = ToolkitListParams {
            category: params.category,
            managed_by: params.managed_by,
            sort_by: params.sort_by,
            search: params.search,
            include_deprecated: params.include_deprecated,
            limit: params.limit,
            cursor: params.cursor,
        };
        Ok(json::encode(&self.client.toolkits().list(&p).await?)?)
    }

    /// One toolkit with its auth details.
    pub async fn toolkits_get(&self, slug: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.toolkits().get(&slug).await?)?)
    }

    /// Every toolkit category.
    pub async fn toolkits_categories(&self) -> FfiResult<String> {
        Ok(json::encode(&self.client.toolkits().list_categories().await?)?)
    }

    /// Connects a user to a toolkit with its newest (or a new
    /// Composio-managed) auth config.
    pub async fn toolkits_authorize(
        &self,
        user_id: String,
        toolkit: String,
    ) -> FfiResult<Arc<FfiConnectionRequest>> {
        let req = self.client.toolkits().authorize(&user_id, &toolkit).await?;
        Ok(Arc::new(FfiConnectionRequest::new(req)))
    }

    // ------------------------------------------------------------ auth configs

    /// Creates an auth config; `options` is the TS SDK's create shape
    /// (`{"type": "use_composio_managed_auth", ...}` or
    /// `{"type": "use_custom_auth", "authScheme", "credentials", ...}`).
    /// Returns `{auth_config, toolkit}`.
    pub async fn auth_configs_create(&self, toolkit: String, options: String) -> FfiResult<String> {
        let options: AuthConfigCreate = json::decode("auth config options", &options)?;
        Ok(json::encode(&self.client.auth_configs().create(&toolkit, options).await?)?)
    }

    /// One page of auth configs.
    pub async fn auth_configs_list(&self, params: FfiAuthConfigListParams) -> FfiResult<String> {
        let p = AuthConfigListParams {
            toolkit_slug: params.toolkit_slug,
            is_composio_managed: params.is_composio_managed,
            show_disabled: params.show_disabled,
            search: params.search,
            limit: params.limit,
            cursor: params.cursor,
        };
        Ok(json::encode(&self.client.auth_configs().list(&p).await?)?)
    }

    /// One auth config.
    pub async fn auth_configs_get(&self, id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.auth_configs().get(&id).await?)?)
    }

    /// Updates an auth config; `update` is `{"type": "custom", ...}` or
    /// `{"type": "default", ...}`.
    pub async fn auth_configs_update(&self, id: String, update: String) -> FfiResult<String> {
        let update: AuthConfigUpdate = json::decode("auth config update", &update)?;
        Ok(json::encode(&self.client.auth_configs().update(&id, update).await?)?)
    }

    /// Deletes an auth config.
    pub async fn auth_configs_delete(&self, id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.auth_configs().delete(&id).await?)?)
    }

    /// Enables (`true`) or disables (`false`) an auth config.
    pub async fn auth_configs_set_enabled(&self, id: String, enabled: bool) -> FfiResult<String> {
        let ac = self.client.auth_configs();
        let out = if enabled { ac.enable(&id).await? } else { ac.disable(&id).await? };
        Ok(json::encode(&out)?)
    }

    // ------------------------------------------------------ connected accounts

    /// Starts a connection for a user with an auth config.
    pub async fn connected_accounts_initiate(
        &self,
        user_id: String,
        auth_config_id: String,
        options: FfiInitiateOptions,
    ) -> FfiResult<Arc<FfiConnectionRequest>> {
        let config: Option<ConnectionState> =
            options.config.as_deref().map(|s| json::decode("config (connection state)", s)).transpose()?;
        let opts = InitiateOptions {
            callback_url: options.callback_url,
            allow_multiple: options.allow_multiple,
            config,
            alias: options.alias,
        };
        let req = self.client.connected_accounts().initiate(&user_id, &auth_config_id, opts).await?;
        Ok(Arc::new(FfiConnectionRequest::new(req)))
    }

    /// Creates a Connect Link for a user; `connection_data` (a JSON object)
    /// pre-fills the page.
    pub async fn connected_accounts_link(
        &self,
        user_id: String,
        auth_config_id: String,
        callback_url: Option<String>,
        alias: Option<String>,
        connection_data: Option<String>,
    ) -> FfiResult<Arc<FfiConnectionRequest>> {
        let connection_data = match connection_data {
            None => None,
            Some(s) => Some(json::object("connectionData", Some(&s))?),
        };
        let opts = LinkOptions { callback_url, alias, connection_data };
        let req = self.client.connected_accounts().link(&user_id, &auth_config_id, opts).await?;
        Ok(Arc::new(FfiConnectionRequest::new(req)))
    }

    /// One connected account.
    pub async fn connected_accounts_get(&self, id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.connected_accounts().get(&id).await?)?)
    }

    /// One page of connected accounts.
    pub async fn connected_accounts_list(&self, params: FfiConnectedAccountListParams) -> FfiResult<String> {
        let p = ConnectedAccountListParams {
            user_ids: params.user_ids,
            toolkit_slugs: params.toolkit_slugs,
            auth_config_ids: params.auth_config_ids,
            connected_account_ids: params.connected_account_ids,
            statuses: params.statuses,
            order_by: params.order_by,
            order_direction: params.order_direction,
            limit: params.limit,
            cursor: params.cursor,
        };
        Ok(json::encode(&self.client.connected_accounts().list(&p).await?)?)
    }

    /// Deletes a connected account.
    pub async fn connected_accounts_delete(&self, id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.connected_accounts().delete(&id).await?)?)
    }

    /// Enables (`true`) or disables (`false`) a connected account.
    pub async fn connected_accounts_set_enabled(&self, id: String, enabled: bool) -> FfiResult<String> {
        Ok(json::encode(&self.client.connected_accounts().update_status(&id, enabled).await?)?)
    }

    /// Refreshes a connected account's credentials (`{id, status, redirect_url}`).
    pub async fn connected_accounts_refresh(
        &self,
        id: String,
        redirect_url: Option<String>,
        validate_credentials: Option<bool>,
    ) -> FfiResult<String> {
        let opts = RefreshOptions { redirect_url, validate_credentials };
        Ok(json::encode(&self.client.connected_accounts().refresh(&id, opts).await?)?)
    }

    // ------------------------------------------------------------ MCP servers

    /// Creates an MCP server; `params` is `{toolkits, manually_manage_connections?, allowed_tools?}`.
    pub async fn mcp_create(&self, name: String, params: String) -> FfiResult<String> {
        let params: McpCreateParams = json::decode("MCP create params", &params)?;
        Ok(json::encode(&self.client.mcp().create(&name, params).await?.server)?)
    }

    /// Lists MCP servers; `params` is `{page_no?, limit?, toolkits?, auth_config_ids?, name?, order_by?}`.
    pub async fn mcp_list(&self, params: String) -> FfiResult<String> {
        let params: McpListParams = json::decode("MCP list params", &params)?;
        Ok(json::encode(&self.client.mcp().list(params).await?)?)
    }

    /// One MCP server.
    pub async fn mcp_get(&self, server_id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.mcp().get(&server_id).await?)?)
    }

    /// Updates an MCP server; `params` is `{name?, toolkits?, manually_manage_connections?, allowed_tools?}`.
    pub async fn mcp_update(&self, server_id: String, params: String) -> FfiResult<String> {
        let params: McpUpdateParams = json::decode("MCP update params", &params)?;
        Ok(json::encode(&self.client.mcp().update(&server_id, params).await?)?)
    }

    /// Deletes an MCP server.
    pub async fn mcp_delete(&self, server_id: String) -> FfiResult<String> {
        Ok(json::encode(&self.client.mcp().delete(&server_id).await?)?)
    }

    /// An MCP server's URL for one user.
    pub async fn mcp_generate(
        &self,
        user_id: String,
        server_id: String,
        manually_manage_connections: Option<bool>,
    ) -> FfiResult<String> {
        let out = self.client.mcp().generate(&user_id, &server_id, manually_manage_connections).await?;
        Ok(json::encode(&out)?)
    }

    // ------------------------------------------------------------------ proxy

    /// Calls a toolkit's API with a connected account's credentials;
    /// `params` is `{endpoint, method, body?, connected_account_id?, parameters?, ...}`.
    /// Returns `{data, status, headers, ...}`.
    pub async fn tools_proxy(&self, params: String) -> FfiResult<String> {
        let params: ProxyParams = json::decode("proxy params", &params)?;
        Ok(json::encode(&self.client.tools().proxy(params).await?)?)
    }
}
