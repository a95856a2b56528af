//! Automatic file handling with `@composio/core`'s result shape.
//!
//! Executions (`tools.execute`, `handleToolCalls`, session `executeMeta`)
//! run the engine's own pipeline: the engine's configuration switch stays
//! off (it means the Python SDK's download shape), and the client turns
//! automatic handling on per call with
//! [`composio_core::modifiers::Modifiers::with_auto_files`]`(Flavor::TypeScript)`,
//! carrying `beforeFileUpload` as the modifiers' file-upload hook
//! (upload → beforeExecute → execute → download → afterExecute, as in the
//! TypeScript SDK). What stays here is the download of session results.

use composio_core::{files, Composio};
use serde_json::Value;

/// Downloads the file objects of a session (meta) tool result, TypeScript
/// shape, when `auto_files` is on.
pub async fn hydrate_if(client: &Composio, auto_files: bool, slug: &str, data: Value) -> Value {
    if auto_files {
        files::hydrate_file_results(client, slug, data).await
    } else {
        data
    }
}
