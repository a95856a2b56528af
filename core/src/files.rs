//! Automatic upload of file arguments and download of file results.
//! PLACEHOLDER: replaced by the files change; only the signatures below are fixed.

use serde_json::{Map, Value};

use crate::error::Result;
use crate::models::{Tool, ToolExecuteResponse};
use crate::Composio;

/// Uploads every argument whose schema property is `file_uploadable` and
/// replaces it with `{name, mimetype, s3key}`.
pub async fn upload_file_arguments(
    client: &Composio,
    tool: &Tool,
    arguments: &mut Map<String, Value>,
) -> Result<()> {
    let _ = (client, tool, arguments);
    Ok(())
}

/// Downloads every `file_downloadable` result value and replaces it with the
/// local path.
pub async fn download_file_results(
    client: &Composio,
    tool: &Tool,
    response: &mut ToolExecuteResponse,
) -> Result<()> {
    let _ = (client, tool, response);
    Ok(())
}
