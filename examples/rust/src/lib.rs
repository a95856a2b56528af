//! Shared setup for the examples: a client for the hosted API when
//! `COMPOSIO_API_KEY` and `COMPOSIO_BASE_URL` are set, otherwise an
//! embedded composio-local on a free port.

use composio_core::{Composio, ComposioConfig, ToolkitVersions};
use composio_local::{spawn, LocalOptions, RunningServer};

/// A client plus the local server keeping it alive (if one was started).
pub struct Backend {
    /// The client.
    pub composio: Composio,
    /// The embedded server, when no hosted API was configured.
    pub local: Option<RunningServer>,
}

/// Connects to the configured API, or starts composio-local.
pub async fn connect() -> Result<Backend, Box<dyn std::error::Error>> {
    let versions = ToolkitVersions::per_toolkit([("text", "20251201_00")]);
    let env = ComposioConfig::from_env();
    if env.api_key.is_some() && std::env::var_os("COMPOSIO_BASE_URL").is_some() {
        let composio = Composio::new(env.with_toolkit_versions(versions))?;
        return Ok(Backend { composio, local: None });
    }
    let local = spawn(LocalOptions::default()).await?;
    let composio = Composio::new(
        ComposioConfig::new(local.api_key()).with_base_url(local.url()).with_toolkit_versions(versions),
    )?;
    Ok(Backend { composio, local: Some(local) })
}
