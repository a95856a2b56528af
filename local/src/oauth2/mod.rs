//! OAuth2: a small authorization server built into composio-local (authorization code with
//! PKCE S256, rotating refresh tokens, expiring access tokens) that backs the `tasks` toolkit, and
//! the client side Composio uses to connect accounts (against this server or a real provider).

pub mod client;
pub mod pkce;
pub mod server;
pub mod store;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

/// Scopes the built-in server knows, with what they allow.
pub const SCOPES: &[(&str, &str)] =
    &[("tasks.read", "Read your tasks"), ("tasks.write", "Create and complete your tasks")];

/// Scopes granted when a client asks for none.
pub const DEFAULT_SCOPES: &str = "tasks.read tasks.write";

/// The authorization server's routes plus Composio's OAuth2 callback.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth2/authorize", get(server::authorize_page).post(server::authorize_decision))
        .route("/oauth2/token", post(server::token))
        .route("/oauth2/register", post(server::register))
        .route("/oauth2/userinfo", get(server::userinfo))
        .route("/.well-known/oauth-authorization-server", get(server::metadata))
}
