//! # composio-core
//!
//! The one engine behind composio-rs: an async Rust client for Composio's
//! v3 API (wire-compatible with the hosted service and with
//! `composio-local`), plus everything the official SDKs do locally —
//! sessions, auth flows, tool schemas and provider formats, modifiers,
//! custom tools and webhook verification. The Python, Node and Swift
//! packages are thin skins over this crate.
//!
//! ```no_run
//! # async fn run() -> composio_core::Result<()> {
//! use composio_core::{Composio, ComposioConfig};
//!
//! let composio = Composio::new(ComposioConfig::from_env())?;
//! # let _ = composio;
//! # Ok(()) }
//! ```

pub mod auth_configs;
mod client;
pub mod config;
pub mod connected_accounts;
pub mod custom_tools;
pub mod error;
pub mod files;
pub mod mcp;
pub mod models;
pub mod modifiers;
pub mod providers;
pub mod raw;
pub mod session_configs;
pub mod session_tools;
pub mod sessions;
pub mod tool_cache;
pub mod toolkits;
pub mod tools;
pub mod transport;
pub mod triggers;
pub mod webhook_endpoints;
pub mod webhook_subscriptions;
pub mod webhooks;

pub use client::Composio;
pub use config::{ComposioConfig, RetryPolicy, Secret, ToolkitVersions};
pub use connected_accounts::ConnectionRequest;
pub use error::{ApiError, CallbackError, Error, Result};
pub use models::SessionConfig;
pub use providers::{Flavor, Provider};
pub use sessions::Session;
