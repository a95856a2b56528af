//! The development API key: generated per data folder on first start, stored in a file only the
//! owner can read, and required in `x-api-key` on every API request.

use std::io::Write;
use std::path::Path;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::errors::{codes, ApiError, LocalError};
use crate::AppState;

/// File name of the API key inside the data folder.
pub const KEY_FILE: &str = "api_key";

/// Read the data folder's API key, creating it (mode 0600) on first start.
pub fn load_or_create_key(data_dir: &Path) -> Result<String, LocalError> {
    let path = data_dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let key = text.trim().to_owned();
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_graphic()) {
                return Err(LocalError::DataDir {
                    path: data_dir.to_path_buf(),
                    message: format!(
                        "{KEY_FILE} is empty or not a valid key; delete it to generate a new one"
                    ),
                });
            }
            restrict_permissions(&path)?;
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = crate::ids::new_api_key();
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file =
                options.open(&path).map_err(|e| LocalError::io(format!("creating {}", path.display()), e))?;
            file.write_all(format!("{key}\n").as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| LocalError::io(format!("writing {}", path.display()), e))?;
            Ok(key)
        }
        Err(e) => Err(LocalError::io(format!("reading {}", path.display()), e)),
    }
}

fn restrict_permissions(path: &Path) -> Result<(), LocalError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta =
            std::fs::metadata(path).map_err(|e| LocalError::io(format!("reading {}", path.display()), e))?;
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "API key file was readable by others; restricting it to the owner");
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| LocalError::io(format!("restricting {}", path.display()), e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Constant-time comparison of two byte strings.
fn same_key(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Check the `x-api-key` header outside the API router (e.g. `POST /oauth2/register`).
pub fn check_key(state: &AppState, headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
    match headers.get("x-api-key") {
        Some(v) if same_key(v.as_bytes(), state.api_key.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::INVALID_API_KEY,
            "Invalid API key: the `x-api-key` header does not match this composio-local instance's key",
        )),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::MISSING_API_KEY,
            "Missing API key: the `x-api-key` header is required",
        )),
    }
}

/// Middleware: reject requests without the right `x-api-key`.
pub async fn require_api_key(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let fix = "Send the key printed by `composio-local serve` (COMPOSIO_API_KEY) in the `x-api-key` header.";
    match req.headers().get("x-api-key") {
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::MISSING_API_KEY,
            "Missing API key: the `x-api-key` header is required",
        )
        .fix(fix)
        .into_response(),
        Some(value) if same_key(value.as_bytes(), state.api_key.as_bytes()) => next.run(req).await,
        Some(_) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::INVALID_API_KEY,
            "Invalid API key: the `x-api-key` header does not match this composio-local instance's key",
        )
        .fix(fix)
        .into_response(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn compares() {
        assert!(same_key(b"abc", b"abc"));
        assert!(!same_key(b"abc", b"abd"));
        assert!(!same_key(b"abc", b"abcd"));
    }
}
