//! # composio-swift
//!
//! The uniffi binding of `composio-core`, shipped to Swift as the SwiftPM
//! package `ComposioRS`. This crate only converts: every behaviour lives in
//! the core.
//!
//! Boundary rules:
//! - JSON values (schemas, arguments, results, configurations) cross as
//!   UTF-8 JSON strings; the Swift layer exposes them as `JSONValue`.
//! - Every async export runs on uniffi's tokio support
//!   (`async_runtime = "tokio"`), so engine futures always have a reactor.
//! - Errors cross as [`ComposioError`]; a Swift error thrown inside a
//!   callback travels through the engine as a callback id and the Swift
//!   layer rethrows the original error object.

uniffi::setup_scaffolding!("composio_rs");

mod callbacks;
mod client;
mod error;
mod json;
mod modifiers;
mod resources;
mod session;
mod triggers;
mod v31;
mod webhooks;

pub use callbacks::{FfiExecuteModifier, FfiToolHandler};
pub use client::{format_tools, FfiComposio, ProviderKind};
pub use error::ComposioError;
pub use modifiers::{FfiModifier, FfiSchemaModifier};
pub use resources::{
    FfiAuthConfigListParams, FfiConnectedAccountListParams, FfiInitiateOptions, FfiToolkitListParams,
};
pub use session::{FfiConnectionRequest, FfiLocalTool, FfiLocalToolkit, FfiSession};
pub use triggers::{FfiSubscriptionFilters, FfiTriggerListActiveParams, FfiTriggerSubscription};
pub use v31::FfiQueryPair;
pub use webhooks::verify_webhook;

/// The engine version (`composio-swift` crate version).
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
