//! Storage of the built-in OAuth2 authorization server: clients, pending consent requests,
//! authorization codes and tokens (codes and tokens are stored as SHA-256 hashes).

use rusqlite::{params, Connection, OptionalExtension};

use super::pkce::hash;
use crate::errors::ApiError;

/// The client id of the built-in client used by Composio-managed `tasks` auth configs.
pub const BUILTIN_CLIENT_ID: &str = "composio-local-managed";

/// A registered OAuth2 client.
#[derive(Clone, PartialEq, Eq)]
pub struct Client {
    /// `client_id`.
    pub client_id: String,
    /// `client_secret` (never logged).
    pub client_secret: String,
    /// Display name shown on the consent page.
    pub name: String,
    /// Allowed redirect URIs (exact match); the built-in client accepts any URI on this server.
    pub redirect_uris: Vec<String>,
    /// Whether this is the built-in client.
    pub builtin: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("name", &self.name)
            .field("redirect_uris", &self.redirect_uris)
            .finish()
    }
}

/// Create the built-in client (with a random secret) unless it exists.
pub fn ensure_builtin_client(c: &Connection) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR IGNORE INTO oauth_clients (client_id, client_secret, name, redirect_uris, builtin, created_at)
         VALUES (?1, secret_enc(?2), 'Composio (composio-local)', '[]', 1, ?3)",
        params![BUILTIN_CLIENT_ID, format!("cs_{}", crate::ids::random_base62(40)), crate::ids::now_iso()],
    )?;
    Ok(())
}

/// Load a client.
pub fn client(c: &Connection, client_id: &str) -> Result<Option<Client>, ApiError> {
    let row = c
        .query_row(
            "SELECT client_id, secret_dec(client_secret), name, redirect_uris, builtin FROM oauth_clients WHERE client_id = ?1",
            params![client_id],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, bool>(4)?)),
        )
        .optional()?;
    row.map(|(client_id, client_secret, name, uris, builtin)| {
        let redirect_uris: Vec<String> = serde_json::from_str(&uris).map_err(|e| {
            ApiError::internal(format!("stored redirect URIs of client {client_id} are not JSON: {e}"))
        })?;
        Ok(Client { client_id, client_secret, name, redirect_uris, builtin })
    })
    .transpose()
}

/// Register a new confidential client.
pub fn register_client(c: &Connection, name: &str, redirect_uris: &[String]) -> Result<Client, ApiError> {
    let client = Client {
        client_id: format!("client_{}", crate::ids::random_base62(20)),
        client_secret: format!("cs_{}", crate::ids::random_base62(40)),
        name: name.to_owned(),
        redirect_uris: redirect_uris.to_vec(),
        builtin: false,
    };
    c.execute(
        "INSERT INTO oauth_clients (client_id, client_secret, name, redirect_uris, builtin, created_at) VALUES (?1, secret_enc(?2), ?3, ?4, 0, ?5)",
        params![client.client_id, client.client_secret, client.name, serde_json::to_string(&client.redirect_uris).map_err(ApiError::internal)?, crate::ids::now_iso()],
    )?;
    Ok(client)
}

/// A consent request waiting for the user's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRequest {
    /// Request id (carried by the consent form).
    pub id: String,
    /// The client.
    pub client_id: String,
    /// Where to send the user back.
    pub redirect_uri: String,
    /// Requested scopes, space-separated.
    pub scope: String,
    /// The client's `state`.
    pub state: Option<String>,
    /// The S256 PKCE challenge.
    pub code_challenge: String,
    /// Unix expiry.
    pub expires_at: u64,
}

/// Store a consent request.
pub fn insert_request(c: &Connection, r: &PendingRequest) -> Result<(), ApiError> {
    c.execute(
        "INSERT INTO oauth_requests (id, client_id, redirect_uri, scope, state, code_challenge, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![r.id, r.client_id, r.redirect_uri, r.scope, r.state, r.code_challenge, r.expires_at as i64],
    )?;
    Ok(())
}

/// Remove and return a consent request (each can be decided once).
pub fn take_request(c: &Connection, id: &str) -> Result<Option<PendingRequest>, ApiError> {
    let r = c
        .query_row(
            "SELECT id, client_id, redirect_uri, scope, state, code_challenge, expires_at FROM oauth_requests WHERE id = ?1",
            params![id],
            |r| {
                Ok(PendingRequest {
                    id: r.get(0)?,
                    client_id: r.get(1)?,
                    redirect_uri: r.get(2)?,
                    scope: r.get(3)?,
                    state: r.get(4)?,
                    code_challenge: r.get(5)?,
                    expires_at: r.get::<_, i64>(6)?.max(0) as u64,
                })
            },
        )
        .optional()?;
    c.execute("DELETE FROM oauth_requests WHERE id = ?1", params![id])?;
    Ok(r)
}

/// Issue an authorization code for an approved request; returns the plain code.
pub fn issue_code(c: &Connection, r: &PendingRequest, subject: &str) -> Result<String, ApiError> {
    let code = format!("code_{}", crate::ids::random_base62(32));
    c.execute(
        "INSERT INTO oauth_codes (code_hash, client_id, redirect_uri, subject, scope, code_challenge, grant_id, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            hash(&code),
            r.client_id,
            r.redirect_uri,
            subject,
            r.scope,
            r.code_challenge,
            crate::ids::new_id("grant"),
            (crate::ids::now_unix() + 300) as i64
        ],
    )?;
    Ok(code)
}

/// A stored authorization code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    /// The client it was issued to.
    pub client_id: String,
    /// The redirect URI it was issued for.
    pub redirect_uri: String,
    /// The resource owner.
    pub subject: String,
    /// Granted scopes.
    pub scope: String,
    /// PKCE challenge.
    pub code_challenge: String,
    /// Grant id shared by the tokens it produces.
    pub grant_id: String,
    /// Unix expiry.
    pub expires_at: u64,
    /// Whether it was already exchanged.
    pub used: bool,
}

/// Load a code and mark it used (returning the row as it was before).
pub fn take_code(c: &Connection, code: &str) -> Result<Option<CodeRow>, ApiError> {
    let h = hash(code);
    let row = c
        .query_row(
            "SELECT client_id, redirect_uri, subject, scope, code_challenge, grant_id, expires_at, used FROM oauth_codes WHERE code_hash = ?1",
            params![h],
            |r| {
                Ok(CodeRow {
                    client_id: r.get(0)?,
                    redirect_uri: r.get(1)?,
                    subject: r.get(2)?,
                    scope: r.get(3)?,
                    code_challenge: r.get(4)?,
                    grant_id: r.get(5)?,
                    expires_at: r.get::<_, i64>(6)?.max(0) as u64,
                    used: r.get(7)?,
                })
            },
        )
        .optional()?;
    c.execute("UPDATE oauth_codes SET used = 1 WHERE code_hash = ?1", params![h])?;
    Ok(row)
}

/// Revoke every token of a grant (code replay, refresh-token reuse).
pub fn revoke_grant(c: &Connection, grant_id: &str) -> Result<(), ApiError> {
    c.execute("UPDATE oauth_tokens SET revoked = 1 WHERE grant_id = ?1", params![grant_id])?;
    Ok(())
}

/// A freshly issued token pair.
#[derive(Clone, PartialEq, Eq)]
pub struct Issued {
    /// The access token.
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: String,
    /// Access-token lifetime in seconds.
    pub expires_in: u64,
    /// Granted scopes.
    pub scope: String,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Issued").field("expires_in", &self.expires_in).field("scope", &self.scope).finish()
    }
}

/// Issue an access and a refresh token under `grant_id`.
pub fn issue_tokens(
    c: &Connection,
    grant_id: &str,
    client_id: &str,
    subject: &str,
    scope: &str,
    ttl_secs: u64,
) -> Result<Issued, ApiError> {
    let access = format!("lat_{}", crate::ids::random_base62(40));
    let refresh = format!("lrt_{}", crate::ids::random_base62(40));
    let now = crate::ids::now_unix();
    for (token, kind, expires) in
        [(&access, "access", Some((now + ttl_secs) as i64)), (&refresh, "refresh", None)]
    {
        c.execute(
            "INSERT INTO oauth_tokens (token_hash, kind, grant_id, client_id, subject, scope, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![hash(token), kind, grant_id, client_id, subject, scope, expires],
        )?;
    }
    Ok(Issued { access_token: access, refresh_token: refresh, expires_in: ttl_secs, scope: scope.to_owned() })
}

/// A stored token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    /// `access` or `refresh`.
    pub kind: String,
    /// Its grant.
    pub grant_id: String,
    /// Its client.
    pub client_id: String,
    /// The resource owner.
    pub subject: String,
    /// Granted scopes.
    pub scope: String,
    /// Unix expiry (access tokens).
    pub expires_at: Option<u64>,
    /// Whether it was revoked (or rotated away).
    pub revoked: bool,
}

/// Look a token up by its plain value.
pub fn token(c: &Connection, plain: &str) -> Result<Option<TokenRow>, ApiError> {
    Ok(c.query_row(
        "SELECT kind, grant_id, client_id, subject, scope, expires_at, revoked FROM oauth_tokens WHERE token_hash = ?1",
        params![hash(plain)],
        |r| {
            Ok(TokenRow {
                kind: r.get(0)?,
                grant_id: r.get(1)?,
                client_id: r.get(2)?,
                subject: r.get(3)?,
                scope: r.get(4)?,
                expires_at: r.get::<_, Option<i64>>(5)?.map(|v| v.max(0) as u64),
                revoked: r.get(6)?,
            })
        },
    )
    .optional()?)
}

/// Revoke one token by its plain value.
pub fn revoke_token(c: &Connection, plain: &str) -> Result<(), ApiError> {
    c.execute("UPDATE oauth_tokens SET revoked = 1 WHERE token_hash = ?1", params![hash(plain)])?;
    Ok(())
}

/// The subject and scopes of a valid (known, unrevoked, unexpired) access token.
pub fn validate_access_token(
    c: &Connection,
    plain: &str,
) -> Result<Result<(String, String), String>, ApiError> {
    Ok(match token(c, plain)? {
        Some(t) if t.kind == "access" && !t.revoked => match t.expires_at {
            Some(exp) if exp < crate::ids::now_unix() => Err("the access token has expired".to_owned()),
            _ => Ok((t.subject, t.scope)),
        },
        Some(_) => Err("the access token was revoked".to_owned()),
        None => Err("the access token was not issued by composio-local's OAuth2 server".to_owned()),
    })
}
