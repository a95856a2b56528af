//! HTTP transport: one pooled `reqwest` client (rustls), Composio's headers,
//! retries with backoff that honour `Retry-After`, and the mapping of every
//! failure to a typed [`Error`].
//!
//! Retry rules:
//! * reads (`GET`) retry on connection errors, timeouts, 408, 409, 429 and
//!   5xx;
//! * everything else has side effects and is **at most once**: it is retried
//!   only on 429 or when the connection failed before the request was sent;
//! * a `x-should-retry: false` response header always stops retries.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::config::{ComposioConfig, RetryPolicy};
use crate::error::{Error, Result};

/// The body of an [`ApiRequest`].
#[derive(Debug, Clone)]
pub enum RequestBody {
    /// No body.
    Empty,
    /// A JSON body.
    Json(Value),
    /// A form-encoded body (`application/x-www-form-urlencoded`).
    Form(Vec<(String, String)>),
}

/// One call to the Composio API, described independently of the client.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    method: Method,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    body: RequestBody,
    side_effects: bool,
    prefix: Option<String>,
}

impl ApiRequest {
    /// A request with this method and path segments (each segment is
    /// percent-encoded; do not include slashes in ids).
    pub fn new<I, S>(method: Method, segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let side_effects = method != Method::GET && method != Method::HEAD;
        Self {
            method,
            segments: segments.into_iter().map(Into::into).collect(),
            query: Vec::new(),
            body: RequestBody::Empty,
            side_effects,
            prefix: None,
        }
    }

    /// A `GET` request.
    pub fn get<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::new(Method::GET, segments)
    }

    /// A `POST` request.
    pub fn post<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::new(Method::POST, segments)
    }

    /// A `PATCH` request.
    pub fn patch<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::new(Method::PATCH, segments)
    }

    /// A `DELETE` request.
    pub fn delete<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::new(Method::DELETE, segments)
    }

    /// Sets a JSON body from any serialisable value.
    pub fn json(mut self, body: impl Serialize) -> Result<Self> {
        let value = serde_json::to_value(body)
            .map_err(|e| Error::validation(format!("request body is not serialisable: {e}")))?;
        self.body = RequestBody::Json(value);
        Ok(self)
    }

    /// Sets a JSON body from a value.
    pub fn json_value(mut self, body: Value) -> Self {
        self.body = RequestBody::Json(body);
        self
    }

    /// Sets a form-encoded body.
    pub fn form(mut self, pairs: Vec<(String, String)>) -> Self {
        self.body = RequestBody::Form(pairs);
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Adds a query parameter when `value` is `Some`.
    pub fn query_opt<V: ToString>(self, key: &str, value: Option<V>) -> Self {
        match value {
            Some(v) => self.query(key, v.to_string()),
            None => self,
        }
    }

    /// Adds a comma-joined list parameter (`statuses=ACTIVE,FAILED`) unless
    /// the list is empty.
    pub fn query_list<S: AsRef<str>>(self, key: &str, values: &[S]) -> Self {
        if values.is_empty() {
            return self;
        }
        let joined = values.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(",");
        self.query(key, joined)
    }

    /// The query parameters, in the order they are sent.
    pub fn query_params(&self) -> &[(String, String)] {
        &self.query
    }

    /// Adds several query pairs.
    pub fn query_pairs(mut self, pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        self.query.extend(pairs);
        self
    }

    /// Marks the call as at-most-once (never retried unless the server
    /// provably did not act).
    pub fn at_most_once(mut self) -> Self {
        self.side_effects = true;
        self
    }

    /// Uses another path prefix than the configured one (some endpoints stay
    /// on `/api/v3`).
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// Whether the call has side effects (at-most-once retries).
    pub fn has_side_effects(&self) -> bool {
        self.side_effects
    }
}

/// A successful (2xx) response.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: Bytes,
    /// The request id (response header, else the one we sent).
    pub request_id: String,
}

impl ApiResponse {
    /// Decodes the body as JSON into `T`. An empty body decodes as `{}`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &self.body };
        serde_json::from_slice(body).map_err(|e| Error::Decode {
            message: format!("response of HTTP {} is not the expected JSON: {e}", self.status),
            status: Some(self.status),
            request_id: Some(self.request_id.clone()),
        })
    }
}

/// The pooled HTTP client every domain call goes through.
#[derive(Debug, Clone)]
pub struct Transport {
    client: reqwest::Client,
    base_url: url::Url,
    api_prefix: String,
    headers: HeaderMap,
    retry: RetryPolicy,
    timeout: Duration,
}

enum Outcome {
    Done(Result<ApiResponse>),
    Retry(Result<ApiResponse>, Option<Duration>),
}

impl Transport {
    /// Builds the transport for a validated configuration.
    pub fn new(config: &ComposioConfig) -> Result<Self> {
        config.validate()?;
        let base_url = url::Url::parse(config.base_url.trim_end_matches('/'))
            .map_err(|e| Error::InvalidConfig { message: format!("base_url is not a valid URL: {e}") })?;
        let mut headers = HeaderMap::new();
        let mut insert = |name: &str, value: &str, secret: bool| -> Result<()> {
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidConfig {
                message: format!("{name:?} is not a valid header name"),
            })?;
            let mut header_value = HeaderValue::from_str(value).map_err(|_| Error::InvalidConfig {
                message: if secret {
                    format!("the value of header {name} contains characters not allowed in a header")
                } else {
                    format!("header {name} has an invalid value {value:?}")
                },
            })?;
            header_value.set_sensitive(secret);
            headers.insert(header_name, header_value);
            Ok(())
        };
        let key = config.api_key.as_ref().ok_or(Error::MissingApiKey)?;
        insert("x-api-key", key.expose(), true)?;
        insert("x-source", &config.source, false)?;
        insert("x-sdk-version", &config.sdk_version, false)?;
        if let Some(fw) = &config.framework {
            insert("x-framework", fw, false)?;
        }
        insert("accept", "application/json", false)?;
        for (name, value) in &config.extra_headers {
            let lower = name.to_ascii_lowercase();
            let secret = lower.contains("key") || lower.contains("auth") || lower.contains("token");
            insert(name, value, secret)?;
        }
        let user_agent = format!("composio-rs/{} ({})", config.sdk_version, config.source);
        let client = reqwest::Client::builder()
            .user_agent(user_agent)
            .connect_timeout(config.connect_timeout)
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(90))
            .build()
            .map_err(|e| Error::InvalidConfig { message: format!("could not build the HTTP client: {e}") })?;
        Ok(Self {
            client,
            base_url,
            api_prefix: config.api_prefix.clone(),
            headers,
            retry: config.retry.clone(),
            timeout: config.request_timeout,
        })
    }

    /// The underlying `reqwest` client (shares the connection pool), for
    /// calls outside the API such as presigned file uploads.
    pub fn http(&self) -> &reqwest::Client {
        &self.client
    }

    /// The configured base URL (scheme, host, port).
    pub fn base_url(&self) -> &url::Url {
        &self.base_url
    }

    /// The full URL of a request (without query).
    pub fn url_for(&self, req: &ApiRequest) -> url::Url {
        let mut url = self.base_url.clone();
        let prefix = req.prefix.as_deref().unwrap_or(&self.api_prefix);
        if let Ok(mut segs) = url.path_segments_mut() {
            segs.pop_if_empty();
            segs.extend(prefix.split('/').filter(|s| !s.is_empty()));
            segs.extend(req.segments.iter());
        }
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(req.query.iter());
        }
        url
    }

    /// Sends a request, retrying as the policy allows, and returns the 2xx
    /// response or a typed error.
    pub async fn send(&self, req: &ApiRequest) -> Result<ApiResponse> {
        let request_id = uuid::Uuid::new_v4().simple().to_string();
        let url = self.url_for(req);
        let mut attempt: u32 = 0;
        loop {
            let started = Instant::now();
            let outcome = self.attempt(req, &url, &request_id, attempt).await;
            let (result, delay) = match outcome {
                Outcome::Done(r) => (r, None),
                Outcome::Retry(r, d) if attempt < self.retry.max_retries => (r, Some(d)),
                Outcome::Retry(r, _) => (r, None),
            };
            tracing::debug!(
                method = %req.method,
                path = %url.path(),
                attempt,
                request_id = %request_id,
                elapsed_ms = started.elapsed().as_millis() as u64,
                ok = result.is_ok(),
                "composio request"
            );
            match delay {
                Some(d) => {
                    let wait = d.unwrap_or_else(|| self.backoff(attempt));
                    if let Err(e) = &result {
                        tracing::debug!(code = e.code(), wait_ms = wait.as_millis() as u64, "retrying");
                    }
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                None => return result,
            }
        }
    }

    /// Sends a request and decodes the JSON response.
    pub async fn json<T: DeserializeOwned>(&self, req: &ApiRequest) -> Result<T> {
        self.send(req).await?.json()
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.retry.initial_backoff.saturating_mul(2u32.saturating_pow(attempt));
        let capped = base.min(self.retry.max_backoff);
        let jitter = 1.0 - rand::random::<f64>() * 0.25;
        capped.mul_f64(jitter)
    }

    async fn attempt(&self, req: &ApiRequest, url: &url::Url, request_id: &str, attempt: u32) -> Outcome {
        let mut builder = self
            .client
            .request(req.method.clone(), url.clone())
            .headers(self.headers.clone())
            .header("x-request-id", request_id)
            .timeout(self.timeout);
        if attempt > 0 {
            builder = builder.header("x-retry-count", attempt.to_string());
        }
        builder = match &req.body {
            RequestBody::Empty => builder,
            RequestBody::Json(v) => builder.json(v),
            RequestBody::Form(pairs) => builder.form(pairs),
        };
        let read = !req.side_effects;
        let response = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                let err = self.map_send_error(&e, request_id);
                // A connect error means nothing reached the server.
                let retry = e.is_connect() || (read && (e.is_timeout() || e.is_request()));
                return if retry { Outcome::Retry(Err(err), None) } else { Outcome::Done(Err(err)) };
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let rid = headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(|| request_id.to_owned());
        let body = match response.bytes().await {
            Ok(b) => b,
            Err(e) => {
                let err = if e.is_timeout() {
                    Error::Timeout { timeout: self.timeout, request_id: Some(rid) }
                } else {
                    Error::Network {
                        message: format!(
                            "connection closed while reading the body of an HTTP {status} response"
                        ),
                        request_id: Some(rid),
                    }
                };
                return if read { Outcome::Retry(Err(err), None) } else { Outcome::Done(Err(err)) };
            }
        };
        if (200..300).contains(&status) {
            return Outcome::Done(Ok(ApiResponse { status, headers, body, request_id: rid }));
        }
        let retry_after = parse_retry_after(&headers);
        let err = Error::from_api_response(status, &body, Some(rid), retry_after);
        let should_retry_header = headers
            .get("x-should-retry")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.eq_ignore_ascii_case("true"));
        let retryable = match should_retry_header {
            Some(false) => false,
            Some(true) => read || status == 429,
            None => status == 429 || (read && matches!(status, 408 | 409 | 500..=599)),
        };
        if retryable {
            let honoured = retry_after.filter(|d| !d.is_zero() && *d <= self.retry.max_retry_after);
            Outcome::Retry(Err(err), honoured)
        } else {
            Outcome::Done(Err(err))
        }
    }

    fn map_send_error(&self, e: &reqwest::Error, request_id: &str) -> Error {
        if e.is_timeout() {
            return Error::Timeout { timeout: self.timeout, request_id: Some(request_id.to_owned()) };
        }
        let what = if e.is_connect() { "could not connect to" } else { "request failed to" };
        // reqwest's Display includes the URL (never the headers); keep only the
        // host so query strings cannot leak into messages.
        let host = self.base_url.host_str().unwrap_or("the server");
        let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
        let mut cause = String::new();
        while let Some(s) = source {
            cause = s.to_string();
            source = s.source();
        }
        let message =
            if cause.is_empty() { format!("{what} {host}") } else { format!("{what} {host}: {cause}") };
        Error::Network { message, request_id: Some(request_id.to_owned()) }
    }
}

/// Reads `retry-after-ms` (milliseconds) or `Retry-After` (seconds, possibly
/// fractional). HTTP-date values are not used (the backoff applies instead).
pub fn parse_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = get("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    let secs = get("retry-after").and_then(|v| v.parse::<f64>().ok())?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_urls_with_prefix_encoding_and_query() {
        let t = Transport::new(&ComposioConfig::new("k").with_base_url("http://127.0.0.1:9/")).unwrap();
        let req = ApiRequest::get(["tools", "A B/C"])
            .query("toolkit_versions[github]", "x")
            .query_list("s", &["a", "b"]);
        let url = t.url_for(&req);
        assert_eq!(url.path(), "/api/v3.1/tools/A%20B%2FC");
        assert_eq!(url.query(), Some("toolkit_versions%5Bgithub%5D=x&s=a%2Cb"));
        let req = ApiRequest::post(["internal", "sdk", "realtime", "auth"]).with_prefix("/api/v3");
        assert_eq!(t.url_for(&req).path(), "/api/v3/internal/sdk/realtime/auth");
    }

    #[test]
    fn retry_after_parsing() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("1.5"));
        assert_eq!(parse_retry_after(&h), Some(Duration::from_millis(1500)));
        h.insert("retry-after-ms", HeaderValue::from_static("20"));
        assert_eq!(parse_retry_after(&h), Some(Duration::from_millis(20)));
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(parse_retry_after(&h), None);
    }

    #[test]
    fn side_effect_classification() {
        assert!(!ApiRequest::get(["tools"]).has_side_effects());
        assert!(ApiRequest::post(["tools", "execute", "X"]).has_side_effects());
        assert!(ApiRequest::delete(["auth_configs", "ac_1"]).has_side_effects());
        assert!(ApiRequest::get(["x"]).at_most_once().has_side_effects());
    }
}
