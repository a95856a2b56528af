//! Automatic file handling with `@composio/core`'s order and result shape,
//! on the engine's file code ([`composio_core::files`]).
//!
//! The engine's own automatic handling (inside `tools().execute`) stays off
//! because it produces the Python SDK's shape. Here, as in the TypeScript
//! SDK: file arguments are uploaded before the before-execute modifiers,
//! and file results are downloaded
//! ([`composio_core::files::download_file_results_as`] with
//! [`Flavor::TypeScript`]: every `{s3url}` object becomes
//! `{uri, file_downloaded, s3url, mimeType}`, a failed download gives
//! `file_downloaded: false`) before the after-execute modifiers.

use async_trait::async_trait;
use composio_core::files;
use composio_core::models::{ToolExecuteParams, ToolExecuteResponse};
use composio_core::modifiers::Modifiers;
use composio_core::providers::{HandleToolCallsOptions, ToolCallExecutor};
use composio_core::{Composio, Flavor, Result as CoreResult};
use serde_json::{Map, Value};

/// Modifiers split by stage: `file_upload` before each upload, `before`
/// before execution (with the declarative ones), `after` after the
/// download.
#[derive(Clone, Default)]
pub struct Staged {
    /// `beforeFileUpload`.
    pub file_upload: Option<std::sync::Arc<dyn files::BeforeFileUpload>>,
    /// Declarative and before-execute modifiers.
    pub before: Modifiers,
    /// After-execute modifiers.
    pub after: Modifiers,
}

/// `tools.execute` with automatic file handling when `auto_files` is on
/// (custom tools never get it).
pub async fn execute(
    client: &Composio,
    auto_files: bool,
    slug: &str,
    mut params: ToolExecuteParams,
    mods: &Staged,
) -> CoreResult<ToolExecuteResponse> {
    if !auto_files || client.custom_tools().get(slug).is_some() {
        return client.tools().execute(slug, params, &mods.before.concat(&mods.after)).await;
    }
    let tool = client.tools().get_tool(slug, params.version.as_deref()).await?;
    if files::has_file_uploadable(&tool.input_parameters) {
        files::upload_file_arguments_with(client, &tool, &mut params.arguments, mods.file_upload.as_deref())
            .await?;
    }
    let mut response = client.tools().execute(slug, params, &mods.before).await?;
    files::download_file_results_as(client, &tool, &mut response, Flavor::TypeScript).await?;
    mods.after.apply_after(slug, &tool.toolkit.slug, response).await
}

/// Downloads the file objects of a session (meta) tool result, TypeScript
/// shape, when `auto_files` is on.
pub async fn hydrate_if(client: &Composio, auto_files: bool, slug: &str, data: Value) -> Value {
    if auto_files {
        files::hydrate_file_results(client, slug, data).await
    } else {
        data
    }
}

/// Runs a model's tool calls through [`execute`] (`handleToolCalls`), with
/// the options and version-check skipping of the engine's own executor.
pub struct NodeToolCallExecutor {
    /// The client.
    pub client: Composio,
    /// Whether file handling is on.
    pub auto_files: bool,
    /// The user the calls run for.
    pub user_id: String,
    /// Account and auth options.
    pub options: HandleToolCallsOptions,
    /// The caller's modifiers.
    pub mods: Staged,
}

#[async_trait]
impl ToolCallExecutor for NodeToolCallExecutor {
    async fn execute_tool_call(
        &self,
        slug: &str,
        arguments: Map<String, Value>,
    ) -> CoreResult<ToolExecuteResponse> {
        let params = self.options.execute_params(&self.user_id, arguments);
        execute(&self.client, self.auto_files, slug, params, &self.mods).await
    }
}
