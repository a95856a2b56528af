//! Request ids: echo the caller's `x-request-id` (or make one), put it on every response and into
//! every error body, and log one line per request.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::errors::ApiError;

/// The request id of the current request, available to handlers as an extension.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn acceptable(id: &str) -> bool {
    !id.is_empty() && id.len() <= 200 && id.bytes().all(|b| b.is_ascii_graphic())
}

/// Middleware: see the module docs.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map_or_else(crate::ids::new_request_id, str::to_owned);
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut resp = next.run(req).await;
    if let Some(err) = resp.extensions_mut().remove::<ApiError>() {
        tracing::info!(%method, %path, status = err.status.as_u16(), request_id = %id, error = %err.message, "request failed");
        resp = err.render(Some(&id));
    } else {
        tracing::debug!(%method, %path, status = resp.status().as_u16(), request_id = %id, "request");
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", value);
    }
    resp
}
