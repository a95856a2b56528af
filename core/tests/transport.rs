//! Transport behaviour against a controllable HTTP server: retries, backoff,
//! `Retry-After`, at-most-once calls, timeouts, broken and malformed
//! responses, headers, and that no secret leaks into errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use composio_core::transport::ApiRequest;
use composio_core::{Composio, ComposioConfig, Error, RetryPolicy};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Value};

const KEY: &str = "sk_test_transport_secret_9f8e7d";

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
    }
}

fn client(server: &MockServer) -> Composio {
    Composio::new(
        ComposioConfig::new(KEY)
            .with_base_url(server.url())
            .with_retry(fast_retry())
            .with_request_timeout(Duration::from_millis(400)),
    )
    .unwrap()
}

fn assert_no_secret(e: &Error) {
    let shown = format!("{e} {e:?}");
    assert!(!shown.contains(KEY), "secret leaked: {shown}");
}

async fn get(c: &Composio, path: &str) -> Result<Value, Error> {
    c.transport().json::<Value>(&ApiRequest::get(path.split('/').collect::<Vec<_>>())).await
}

async fn post(c: &Composio, path: &str) -> Result<Value, Error> {
    let req = ApiRequest::post(path.split('/').collect::<Vec<_>>()).json_value(json!({"arguments": {}}));
    c.transport().json::<Value>(&req).await
}

/// Bounds a test so a wrong wait fails instead of hanging.
async fn bounded<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), f).await.expect("call did not finish within 20 s")
}

#[tokio::test]
async fn sends_composio_headers_and_one_request_id_across_retries() {
    let s = MockServer::start().await;
    s.mock_seq(
        "GET",
        "/api/v3.1/tools",
        vec![Reply::api_error(503, "busy"), Reply::json(200, json!({"items": []}))],
    );
    let c = client(&s);
    let v = bounded(get(&c, "tools")).await.unwrap();
    assert_eq!(v, json!({"items": []}));
    let reqs = s.requests_to("GET", "/api/v3.1/tools");
    assert_eq!(reqs.len(), 2);
    let first = &reqs[0];
    assert_eq!(first.header("x-api-key"), Some(KEY));
    assert_eq!(first.header("x-source"), Some("RUST_SDK"));
    assert_eq!(first.header("x-sdk-version"), Some(env!("CARGO_PKG_VERSION")));
    assert!(first.header("user-agent").unwrap().starts_with("composio-rs/"));
    assert_eq!(first.header("accept"), Some("application/json"));
    let rid = first.header("x-request-id").unwrap();
    assert_eq!(rid.len(), 32);
    assert!(rid.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(reqs[1].header("x-request-id"), Some(rid));
    assert_eq!(first.header("x-retry-count"), None);
    assert_eq!(reqs[1].header("x-retry-count"), Some("1"));
}

#[tokio::test]
async fn extra_headers_and_v3_prefix_are_honoured() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3/toolkits", Reply::json(200, json!({"items": []})));
    let c = Composio::new(
        ComposioConfig::new(KEY)
            .with_base_url(s.url())
            .with_api_prefix("/api/v3")
            .with_header("x-team", "blue"),
    )
    .unwrap();
    bounded(get(&c, "toolkits")).await.unwrap();
    let r = &s.requests_to("GET", "/api/v3/toolkits")[0];
    assert_eq!(r.header("x-team"), Some("blue"));
}

#[tokio::test]
async fn rate_limit_honours_retry_after_then_succeeds() {
    let s = MockServer::start().await;
    s.mock_seq(
        "GET",
        "/api/v3.1/tools",
        vec![
            Reply::api_error(429, "slow down").with_header("retry-after", "0.3"),
            Reply::json(200, json!({"ok": 1})),
        ],
    );
    let c = client(&s);
    let started = Instant::now();
    let v = bounded(get(&c, "tools")).await.unwrap();
    assert_eq!(v["ok"], 1);
    assert_eq!(s.hits("GET", "/api/v3.1/tools"), 2);
    assert!(started.elapsed() >= Duration::from_millis(300), "Retry-After was not honoured");
}

#[tokio::test]
async fn retry_after_ms_header_is_preferred() {
    let s = MockServer::start().await;
    s.mock_seq(
        "POST",
        "/api/v3.1/tools/execute/X",
        vec![
            Reply::api_error(429, "slow")
                .with_header("retry-after-ms", "250")
                .with_header("retry-after", "30"),
            Reply::json(200, json!({"successful": true})),
        ],
    );
    let c = client(&s);
    let started = Instant::now();
    bounded(post(&c, "tools/execute/X")).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(250));
    assert!(started.elapsed() < Duration::from_secs(15), "used the 30 s header instead of retry-after-ms");
}

#[tokio::test]
async fn too_long_retry_after_falls_back_to_backoff() {
    let s = MockServer::start().await;
    s.mock_seq(
        "GET",
        "/api/v3.1/tools",
        vec![Reply::api_error(429, "later").with_header("retry-after", "3600"), Reply::json(200, json!({}))],
    );
    let c = client(&s);
    bounded(get(&c, "tools")).await.unwrap();
    assert_eq!(s.hits("GET", "/api/v3.1/tools"), 2);
}

#[tokio::test]
async fn reads_retry_server_errors_up_to_the_limit() {
    for status in [500u16, 502, 503, 504] {
        let s = MockServer::start().await;
        s.mock("GET", "/api/v3.1/tools", Reply::api_error(status, "upstream broke"));
        let c = client(&s);
        let e = bounded(get(&c, "tools")).await.unwrap_err();
        assert_eq!(e.code(), "SERVER_ERROR", "status {status}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.request_id(), Some("req_mock"));
        assert!(e.to_string().contains("upstream broke"));
        assert_eq!(s.hits("GET", "/api/v3.1/tools"), 3, "status {status}: 1 attempt + 2 retries");
        assert_no_secret(&e);
    }
}

#[tokio::test]
async fn side_effecting_calls_are_not_repeated_on_server_errors() {
    for status in [500u16, 502, 503, 504, 408, 409] {
        let s = MockServer::start().await;
        s.mock("POST", "/api/v3.1/tools/execute/GITHUB_STAR", Reply::api_error(status, "failed"));
        let c = client(&s);
        let e = bounded(post(&c, "tools/execute/GITHUB_STAR")).await.unwrap_err();
        assert_eq!(e.status(), Some(status));
        assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/GITHUB_STAR"), 1, "status {status} was retried");
    }
}

#[tokio::test]
async fn side_effecting_503_with_retry_after_is_still_not_repeated() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/tool_router/session/trs_1/execute",
        Reply::api_error(503, "x").with_header("retry-after", "0"),
    );
    let c = client(&s);
    let e = bounded(post(&c, "tool_router/session/trs_1/execute")).await.unwrap_err();
    assert_eq!(e.code(), "SERVER_ERROR");
    assert_eq!(s.hits("POST", "/api/v3.1/tool_router/session/trs_1/execute"), 1);
}

#[tokio::test]
async fn side_effecting_calls_retry_on_429() {
    let s = MockServer::start().await;
    s.mock("POST", "/api/v3.1/tools/execute/proxy", Reply::api_error(429, "limit"));
    let c = client(&s);
    let e = bounded(post(&c, "tools/execute/proxy")).await.unwrap_err();
    assert_eq!(e.code(), "RATE_LIMITED");
    assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/proxy"), 3);
}

#[tokio::test]
async fn should_retry_header_overrides_status() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::api_error(500, "no").with_header("x-should-retry", "false"));
    let c = client(&s);
    bounded(get(&c, "tools")).await.unwrap_err();
    assert_eq!(s.hits("GET", "/api/v3.1/tools"), 1);
}

#[tokio::test]
async fn client_errors_are_not_retried_and_keep_the_api_error_object() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/connected_accounts/ca_x",
        Reply::json(
            404,
            json!({"error": {"message": "Connected account ca_x not found", "code": 1803, "status": 404,
                             "request_id": "req_42", "suggested_fix": "Check the id"}}),
        ),
    );
    let c = client(&s);
    let e = bounded(get(&c, "connected_accounts/ca_x")).await.unwrap_err();
    assert_eq!(e.code(), "CONNECTED_ACCOUNT_NOT_FOUND");
    assert_eq!(e.status(), Some(404));
    assert_eq!(e.request_id(), Some("req_42"));
    assert_eq!(e.suggested_fix(), Some("Check the id"));
    assert_eq!(s.hits("GET", "/api/v3.1/connected_accounts/ca_x"), 1);
    for (status, code) in [
        (400, "BAD_REQUEST"),
        (401, "AUTHENTICATION_FAILED"),
        (403, "PERMISSION_DENIED"),
        (422, "UNPROCESSABLE_ENTITY"),
    ] {
        s.mock("GET", "/api/v3.1/x", Reply::api_error(status, "nope"));
        let e = bounded(get(&c, "x")).await.unwrap_err();
        assert_eq!(e.code(), code);
    }
}

#[tokio::test]
async fn connection_reset_is_retried_for_reads() {
    let s = MockServer::start().await;
    s.mock_seq("GET", "/api/v3.1/tools", vec![Reply::Reset, Reply::json(200, json!({"items": [1]}))]);
    let c = client(&s);
    let v = bounded(get(&c, "tools")).await.unwrap();
    assert_eq!(v["items"][0], 1);
    assert_eq!(s.hits("GET", "/api/v3.1/tools"), 2);
}

#[tokio::test]
async fn connection_reset_after_sending_is_not_retried_for_side_effects() {
    let s = MockServer::start().await;
    s.mock("POST", "/api/v3.1/tools/execute/A", Reply::Reset);
    let c = client(&s);
    let e = bounded(post(&c, "tools/execute/A")).await.unwrap_err();
    assert_eq!(e.code(), "NETWORK_ERROR");
    assert!(e.request_id().is_some());
    assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/A"), 1);
    assert_no_secret(&e);
}

#[tokio::test]
async fn slow_responses_time_out_and_reads_retry() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, json!({})).delayed(Duration::from_secs(3)));
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/SLOW",
        Reply::json(200, json!({})).delayed(Duration::from_secs(3)),
    );
    let c = client(&s);
    let started = Instant::now();
    let e = bounded(get(&c, "tools")).await.unwrap_err();
    assert_eq!(e.code(), "TIMEOUT");
    assert_eq!(s.hits("GET", "/api/v3.1/tools"), 3);
    // Three attempts of 400 ms plus short backoffs: far below the 3 s the server takes.
    assert!(started.elapsed() < Duration::from_millis(2900), "timeout not enforced: {:?}", started.elapsed());
    let e = bounded(post(&c, "tools/execute/SLOW")).await.unwrap_err();
    assert_eq!(e.code(), "TIMEOUT");
    assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/SLOW"), 1);
    assert_no_secret(&e);
}

#[tokio::test]
async fn truncated_bodies_are_network_errors() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/tools",
        Reply::Truncated { status: 200, declared_len: 500, body: b"{\"items\": [".to_vec() },
    );
    let c = client(&s);
    let e = bounded(get(&c, "tools")).await.unwrap_err();
    assert_eq!(e.code(), "NETWORK_ERROR", "{e}");
    assert_eq!(s.hits("GET", "/api/v3.1/tools"), 3);
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/T",
        Reply::Truncated { status: 200, declared_len: 50, body: b"{".to_vec() },
    );
    let e = bounded(post(&c, "tools/execute/T")).await.unwrap_err();
    assert_eq!(e.code(), "NETWORK_ERROR");
    assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/T"), 1);
}

#[tokio::test]
async fn non_json_success_bodies_are_decode_errors() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/tools",
        Reply::text(200, "<html>maintenance</html>").with_header("x-request-id", "rid_html"),
    );
    let c = client(&s);
    let e = bounded(get(&c, "tools")).await.unwrap_err();
    assert_eq!(e.code(), "DECODE_ERROR");
    assert_eq!(e.status(), Some(200));
    assert_eq!(e.request_id(), Some("rid_html"));
    assert_eq!(s.hits("GET", "/api/v3.1/tools"), 1, "a complete but malformed body is not retried");
}

#[tokio::test]
async fn non_json_error_bodies_are_summarised() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::text(502, "Bad Gateway from proxy"));
    let c = Composio::new(ComposioConfig::new(KEY).with_base_url(s.url()).with_retry(RetryPolicy::none()))
        .unwrap();
    let e = bounded(get(&c, "tools")).await.unwrap_err();
    assert_eq!(e.code(), "SERVER_ERROR");
    assert!(e.to_string().contains("Bad Gateway from proxy"));
}

#[tokio::test]
async fn refused_connections_are_network_errors_within_bounds() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Composio::new(
        ComposioConfig::new(KEY).with_base_url(format!("http://127.0.0.1:{port}")).with_retry(fast_retry()),
    )
    .unwrap();
    for e in [
        bounded(get(&c, "tools")).await.unwrap_err(),
        bounded(post(&c, "tools/execute/X")).await.unwrap_err(),
    ] {
        assert_eq!(e.code(), "NETWORK_ERROR");
        assert!(e.to_string().contains("could not connect"), "{e}");
        assert_no_secret(&e);
    }
}

#[tokio::test]
async fn missing_key_fails_before_any_io() {
    let e = Composio::new(ComposioConfig::default().with_base_url("http://127.0.0.1:1")).unwrap_err();
    assert_eq!(e.code(), "MISSING_API_KEY");
    let e = Composio::new(ComposioConfig::from_vars(Vec::new())).unwrap_err();
    assert!(matches!(e, Error::MissingApiKey));
    let e = Composio::new(ComposioConfig::new(KEY).with_header("bad header", "v")).unwrap_err();
    assert_eq!(e.code(), "INVALID_CONFIG");
    let e = Composio::new(ComposioConfig::new("line\nbreak")).unwrap_err();
    assert_eq!(e.code(), "INVALID_CONFIG");
    assert!(!e.to_string().contains("line\nbreak"));
}

#[tokio::test]
async fn client_and_config_debug_hide_the_key() {
    let s = MockServer::start().await;
    let c = client(&s);
    let shown = format!("{c:?} {:?}", c.config());
    assert!(!shown.contains(KEY), "{shown}");
}
