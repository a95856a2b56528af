//! Serde wire types for every object the SDK reads or sends.
//!
//! Unknown fields are kept in an `extra` map on every object so that nothing
//! the API sends is lost, and JSON Schemas are kept as `serde_json::Value`
//! with their key order preserved. Each domain owns one file here; type
//! names are unique across files.

mod auth_configs;
mod common;
mod connected_accounts;
mod mcp;
mod sessions;
mod toolkits;
mod tools;
mod triggers;

pub use auth_configs::*;
pub use common::*;
pub use connected_accounts::*;
pub use mcp::*;
pub use sessions::*;
pub use toolkits::*;
pub use tools::*;
pub use triggers::*;
