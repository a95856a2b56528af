//! # composio-node
//!
//! The Node.js binding of `composio-core`, built with napi-rs v3 and
//! published on npm as `composio-rs`. This crate only converts values,
//! bridges async (every I/O method is an `async fn` on napi's tokio
//! runtime, so JavaScript gets a Promise), maps errors (see [`error`]) and
//! calls user callbacks (see [`callbacks`]). The public API is the
//! hand-written TypeScript in `lib/`, which imports the generated
//! `native.js`.
//!
//! No panic crosses the boundary: every export is `catch_unwind` and every
//! engine future runs under [`error::guard`], so a panic becomes a
//! `ComposioError` with code `INTERNAL_ERROR`.

#![allow(unsafe_code)] // the napi macros expand to FFI glue

pub mod callbacks;
pub mod client;
pub mod convert;
pub mod endpoints;
pub mod error;
pub mod extras;
pub mod files;
pub mod session;
pub mod tools_text;
pub mod trigger_parse;
pub mod webhooks;

use napi_derive::napi;

/// The version of this package and of the engine it was built from.
#[napi]
pub fn engine_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
