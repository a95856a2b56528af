//! Raw API calls for endpoints the engine does not wrap, with the client's
//! base URL, authentication headers, retries and typed errors — the closest
//! equivalent of `@composio/core`'s `getClient()` (which hands out the
//! generated HTTP client) and Python's `composio.client`.
//!
//! ```no_run
//! # async fn run() -> composio_core::Result<()> {
//! use composio_core::{Composio, ComposioConfig};
//! use composio_core::raw::RawRequest;
//!
//! let composio = Composio::new(ComposioConfig::from_env())?;
//! // A leading `/` is a path from the base URL; otherwise it is under the API prefix.
//! let toolkits = composio.raw_request(RawRequest::new("GET", "/api/v3.1/toolkits").query("limit", "5")).await?;
//! let same = composio.raw_request(RawRequest::new("GET", "toolkits?limit=5")).await?;
//! # let _ = (toolkits, same);
//! # Ok(()) }
//! ```

use reqwest::Method;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::transport::ApiRequest;
use crate::Composio;

/// One raw call: method, path (with an optional `?query`), query pairs and
/// JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRequest {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE` (case-insensitive).
    pub method: String,
    /// `/full/path` from the base URL, or `relative/path` under the
    /// configured API prefix; may end in `?a=1&b=2`. Percent-escapes in
    /// the path are decoded before the path is encoded again.
    pub path: String,
    /// Query pairs, after those of `path`.
    pub query: Vec<(String, String)>,
    /// JSON body.
    pub body: Option<Value>,
}

impl RawRequest {
    /// A request without query or body.
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Self {
        Self { method: method.into(), path: path.into(), query: Vec::new(), body: None }
    }

    /// Adds a query pair.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets the JSON body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode_segment(segment: &str) -> Result<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let pair = bytes.get(i + 1).copied().and_then(hex).zip(bytes.get(i + 2).copied().and_then(hex));
            let Some((hi, lo)) = pair else {
                return Err(Error::validation(format!(
                    "path segment {segment:?} has an invalid percent-escape"
                )));
            };
            out.push(hi * 16 + lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| Error::validation(format!("path segment {segment:?} does not decode to UTF-8")))
}

impl RawRequest {
    /// The [`ApiRequest`] this call sends (validated).
    pub fn to_api_request(&self) -> Result<ApiRequest> {
        let method = match self.method.to_ascii_uppercase().as_str() {
            "GET" => Method::GET,
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            other => {
                return Err(Error::validation(format!(
                    "unsupported method {other:?} (use GET, POST, PUT, PATCH or DELETE)"
                )))
            }
        };
        let (path, query) = match self.path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (self.path.as_str(), None),
        };
        if path.contains('#') {
            return Err(Error::validation("path must not contain a fragment (#)"));
        }
        let absolute = path.starts_with('/');
        let segments =
            path.split('/').filter(|s| !s.is_empty()).map(decode_segment).collect::<Result<Vec<_>>>()?;
        if segments.is_empty() {
            return Err(Error::validation(format!("path {:?} names no endpoint", self.path)));
        }
        let mut req = ApiRequest::new(method, segments);
        if absolute {
            req = req.with_prefix("");
        }
        if let Some(q) = query {
            req = req.query_pairs(url::form_urlencoded::parse(q.as_bytes()).into_owned());
        }
        req = req.query_pairs(self.query.iter().cloned());
        if let Some(body) = &self.body {
            req = req.json_value(body.clone());
        }
        Ok(req)
    }
}

impl Composio {
    /// Sends a raw call and returns the JSON answer (`{}` for an empty
    /// body). Errors are typed like every other call's; a non-JSON answer
    /// is an [`Error::Decode`].
    pub async fn raw_request(&self, request: RawRequest) -> Result<Value> {
        let req = request.to_api_request()?;
        self.transport().json(&req).await
    }
}
