//! Connected accounts against the mock server: initiate (pre-check,
//! allow_multiple, response decoding), link, CRUD bodies, waiting for a
//! connection, the toolkit authorize helper, auth-scheme helpers and Debug
//! redaction.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use composio_core::connected_accounts::ConnectionRequest;
use composio_core::models::{
    ConnectedAccount, ConnectedAccountListParams, ConnectionState, InitiateOptions, InitiateResponse,
    LinkOptions, RefreshOptions,
};
use composio_core::{Composio, ComposioConfig, Error};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Map, Value};

const LIST: &str = "/api/v3.1/connected_accounts";
const ONE: &str = "/api/v3.1/connected_accounts/*";

fn client(s: &MockServer) -> Composio {
    Composio::new(ComposioConfig::new("test-key").with_base_url(s.url())).unwrap()
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn empty_page() -> Reply {
    Reply::json(
        200,
        json!({"items": [], "next_cursor": null, "total_pages": 0, "current_page": 1, "total_items": 0}),
    )
}

fn account(status: &str) -> Value {
    json!({
        "id": "ca_1", "user_id": "u1", "status": status, "status_reason": null, "is_disabled": false,
        "alias": "work", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:05:00Z",
        "toolkit": {"slug": "github"},
        "auth_config": {"id": "ac_1", "auth_scheme": "OAUTH2", "is_composio_managed": true, "is_disabled": false,
                        "deprecated": {"uuid": "x"}},
        "state": {"authScheme": "OAUTH2", "val": {"status": status, "access_token": "gho_SECRET_TOKEN",
                                                  "refresh_token": "REFRESH_SECRET"}},
        "data": {"access_token": "gho_SECRET_TOKEN"},
        "params": {"api_key": "PARAM_SECRET"},
        "test_request_endpoint": "https://api.github.com/user",
        "word_id": "w1"
    })
}

fn initiate_reply() -> Reply {
    Reply::json(
        201,
        json!({"id": "ca_7Yt", "status": "INITIALIZING", "redirect_url": "https://top-level/ignored",
               "connectionData": {"authScheme": "OAUTH2", "val": {"status": "INITIATED",
                   "redirectUrl": "https://backend.composio.dev/api/v3/s/AbC123", "callback_url": "https://app/cb"}},
               "deprecated": {"uuid": "5f0c", "authConfigUuid": "9e1d"}}),
    )
}

// ---------------------------------------------------------------- initiate

#[tokio::test]
async fn initiate_prechecks_then_posts_and_reads_connection_data() {
    let s = MockServer::start().await;
    s.mock("GET", LIST, empty_page());
    s.mock("POST", LIST, initiate_reply());
    let c = client(&s);
    let req = c
        .connected_accounts()
        .initiate(
            "u1",
            "ac_1",
            InitiateOptions {
                callback_url: Some("https://app/cb".into()),
                allow_multiple: false,
                config: Some(ConnectionState::api_key(obj(json!({"api_key": "k-123"})))),
                alias: Some("work".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(req.id, "ca_7Yt");
    assert_eq!(req.status, "INITIATED");
    assert_eq!(req.redirect_url.as_deref(), Some("https://backend.composio.dev/api/v3/s/AbC123"));

    let pre = s.requests_to("GET", LIST);
    assert_eq!(pre.len(), 1);
    assert_eq!(
        pre[0].query_pairs(),
        vec![
            ("auth_config_ids".to_string(), "ac_1".to_string()),
            ("statuses".into(), "ACTIVE".into()),
            ("user_ids".into(), "u1".into()),
        ]
    );
    let post = s.requests_to("POST", LIST);
    assert_eq!(post.len(), 1);
    assert_eq!(
        post[0].json(),
        json!({"auth_config": {"id": "ac_1"}, "connection": {
            "user_id": "u1", "callback_url": "https://app/cb", "alias": "work",
            "state": {"authScheme": "API_KEY", "val": {"status": "ACTIVE", "api_key": "k-123"}}}})
    );
    // The pre-check happened before the POST.
    let order: Vec<String> = s.requests().iter().map(|r| r.method.clone()).collect();
    assert_eq!(order, vec!["GET", "POST"]);
}

#[tokio::test]
async fn initiate_minimal_body_and_redirect_fallbacks() {
    let s = MockServer::start().await;
    s.mock("GET", LIST, empty_page());
    s.mock(
        "POST",
        LIST,
        Reply::json(200, json!({"id": "ca_2", "status": "ACTIVE", "redirect_url": "https://top"})),
    );
    let c = client(&s);
    let req = c.connected_accounts().initiate("u1", "ac_1", InitiateOptions::default()).await.unwrap();
    assert_eq!((req.id.as_str(), req.status.as_str()), ("ca_2", "ACTIVE"));
    assert_eq!(req.redirect_url.as_deref(), Some("https://top"));
    assert_eq!(
        s.requests_to("POST", LIST)[0].json(),
        json!({"auth_config": {"id": "ac_1"}, "connection": {"user_id": "u1"}})
    );

    // connectionData without redirectUrl and no top-level URL: none.
    let r: InitiateResponse = serde_json::from_value(
        json!({"id": "ca_3", "connectionData": {"authScheme": "API_KEY", "val": {"status": "ACTIVE"}}}),
    )
    .unwrap();
    assert_eq!(r.effective_status(), "ACTIVE");
    assert_eq!(r.effective_redirect_url(), None);
    let r: InitiateResponse =
        serde_json::from_value(json!({"id": "ca_3", "redirect_uri": "https://old"})).unwrap();
    assert_eq!(r.effective_status(), "INITIATED");
    assert_eq!(r.effective_redirect_url().as_deref(), Some("https://old"));
}

#[tokio::test]
async fn initiate_refuses_when_an_active_account_exists() {
    let s = MockServer::start().await;
    s.mock("GET", LIST, Reply::json(200, json!({"items": [account("ACTIVE")], "total_items": 1})));
    s.mock("POST", LIST, initiate_reply());
    let c = client(&s);
    let e = c.connected_accounts().initiate("u1", "ac_1", InitiateOptions::default()).await.unwrap_err();
    assert_eq!(e.code(), "MULTIPLE_CONNECTED_ACCOUNTS");
    match &e {
        Error::MultipleConnectedAccounts { user_id, auth_config_id, count } => {
            assert_eq!((user_id.as_str(), auth_config_id.as_str(), *count), ("u1", "ac_1", 1));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(s.hits("POST", LIST), 0);

    // The count reflects total_items when the page holds fewer.
    s.mock("GET", LIST, Reply::json(200, json!({"items": [account("ACTIVE")], "total_items": 3.0})));
    let e = c.connected_accounts().initiate("u1", "ac_1", InitiateOptions::default()).await.unwrap_err();
    assert!(matches!(e, Error::MultipleConnectedAccounts { count: 3, .. }), "{e:?}");
}

#[tokio::test]
async fn initiate_with_allow_multiple_creates_another() {
    let s = MockServer::start().await;
    s.mock("GET", LIST, Reply::json(200, json!({"items": [account("ACTIVE")], "total_items": 1})));
    s.mock("POST", LIST, initiate_reply());
    let c = client(&s);
    let req = c
        .connected_accounts()
        .initiate("u1", "ac_1", InitiateOptions { allow_multiple: true, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(req.id, "ca_7Yt");
    assert_eq!(s.hits("GET", LIST), 1);
    assert_eq!(s.hits("POST", LIST), 1);
}

#[tokio::test]
async fn initiate_validates_inputs_without_requests() {
    let s = MockServer::start().await;
    let c = client(&s);
    let bad_state = ConnectionState { auth_scheme: "MAGIC".into(), val: Map::new(), extra: Map::new() };
    let e = c
        .connected_accounts()
        .initiate("u1", "ac_1", InitiateOptions { config: Some(bad_state), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("MAGIC"));
    let e = c.connected_accounts().initiate("", "ac_1", InitiateOptions::default()).await.unwrap_err();
    assert!(e.to_string().contains("user_id"));
    let e = c.connected_accounts().initiate("u1", " ", InitiateOptions::default()).await.unwrap_err();
    assert!(e.to_string().contains("auth_config_id"));
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn initiate_precheck_api_error_propagates() {
    let s = MockServer::start().await;
    s.mock("GET", LIST, Reply::api_error(401, "bad key"));
    let e =
        client(&s).connected_accounts().initiate("u1", "ac_1", InitiateOptions::default()).await.unwrap_err();
    assert_eq!(e.code(), "AUTHENTICATION_FAILED");
    assert_eq!(s.hits("POST", LIST), 0);
}

// ---------------------------------------------------------------- link

#[tokio::test]
async fn link_posts_body_and_returns_initiated_request() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/connected_accounts/link",
        Reply::json(
            201,
            json!({"connected_account_id": "ca_L", "redirect_url": "https://connect.composio.dev/link/lk_1",
                   "link_token": "lk_1", "expires_at": "2026-01-01T00:10:00Z"}),
        ),
    );
    let c = client(&s);
    let options = LinkOptions {
        callback_url: Some("https://app/cb".into()),
        alias: Some("personal".into()),
        connection_data: Some(obj(json!({"subdomain": "acme", "api_key": "prefill-secret"}))),
    };
    assert!(!format!("{options:?}").contains("prefill-secret"));
    let req = c.connected_accounts().link("u1", "ac_1", options).await.unwrap();
    assert_eq!(req.id, "ca_L");
    assert_eq!(req.status, "INITIATED");
    assert_eq!(req.redirect_url.as_deref(), Some("https://connect.composio.dev/link/lk_1"));
    let reqs = s.requests_to("POST", "/api/v3.1/connected_accounts/link");
    assert_eq!(
        reqs[0].json(),
        json!({"auth_config_id": "ac_1", "user_id": "u1", "callback_url": "https://app/cb", "alias": "personal",
               "connection_data": {"subdomain": "acme", "api_key": "prefill-secret"}})
    );
    // No pre-check for link.
    assert_eq!(s.hits("GET", LIST), 0);

    s.clear_requests();
    let raw = c.connected_accounts().link_raw("u1", "ac_1", LinkOptions::default()).await.unwrap();
    assert_eq!(raw.link_token.as_deref(), Some("lk_1"));
    assert_eq!(raw.expires_at.as_deref(), Some("2026-01-01T00:10:00Z"));
    assert_eq!(
        s.requests_to("POST", "/api/v3.1/connected_accounts/link")[0].json(),
        json!({"auth_config_id": "ac_1", "user_id": "u1"})
    );
}

#[tokio::test]
async fn link_error_propagates() {
    let s = MockServer::start().await;
    s.mock("POST", "/api/v3.1/connected_accounts/link", Reply::api_error(400, "auth config disabled"));
    let e = client(&s).connected_accounts().link("u1", "ac_1", LinkOptions::default()).await.unwrap_err();
    assert_eq!(e.code(), "BAD_REQUEST");
    assert!(e.to_string().contains("auth config disabled"));
}

// ---------------------------------------------------------------- get / list

#[tokio::test]
async fn get_decodes_account_and_debug_redacts_tokens() {
    let s = MockServer::start().await;
    s.mock("GET", ONE, Reply::json(200, account("ACTIVE")));
    let c = client(&s);
    let acct = c.connected_accounts().get("ca_1").await.unwrap();
    assert_eq!(s.hits("GET", "/api/v3.1/connected_accounts/ca_1"), 1);
    assert_eq!(acct.id, "ca_1");
    assert!(acct.is_active());
    assert_eq!(acct.alias.as_deref(), Some("work"));
    assert_eq!(acct.toolkit.slug, "github");
    assert_eq!(acct.auth_config.id, "ac_1");
    assert_eq!(acct.auth_config.is_composio_managed, Some(true));
    assert_eq!(acct.auth_config.extra["deprecated"], json!({"uuid": "x"}));
    let state = acct.state.as_ref().unwrap();
    assert_eq!(state.auth_scheme, "OAUTH2");
    assert_eq!(state.status(), Some("ACTIVE"));
    assert_eq!(state.val["access_token"], json!("gho_SECRET_TOKEN"));
    assert_eq!(acct.auth_scheme(), Some("OAUTH2"));
    assert_eq!(acct.extra["word_id"], json!("w1"));

    let debug = format!("{acct:?}");
    for secret in ["gho_SECRET_TOKEN", "REFRESH_SECRET", "PARAM_SECRET"] {
        assert!(!debug.contains(secret), "{secret} leaked: {debug}");
    }
    assert!(debug.contains("access_token") && debug.contains("ACTIVE") && debug.contains("ca_1"));
    let pretty = format!("{acct:#?}");
    assert!(!pretty.contains("gho_SECRET_TOKEN"));

    // The wire form is kept on serialisation (camelCase authScheme).
    let back = serde_json::to_value(&acct).unwrap();
    assert_eq!(back["state"]["authScheme"], json!("OAUTH2"));
    assert_eq!(back["word_id"], json!("w1"));
}

#[tokio::test]
async fn get_minimal_account_decodes() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        ONE,
        Reply::json(200, json!({"id": "ca_9", "status": "INITIATED", "user_id": null, "toolkit": null, "created_at": null})),
    );
    let acct = client(&s).connected_accounts().get("ca_9").await.unwrap();
    assert_eq!(acct.status, "INITIATED");
    assert!(acct.state.is_none() && !acct.is_active());
}

#[tokio::test]
async fn list_sends_comma_lists_and_decodes_page() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        LIST,
        Reply::json(
            200,
            json!({"items": [account("ACTIVE"), account("FAILED")], "next_cursor": "n2", "total_pages": 2.0}),
        ),
    );
    let c = client(&s);
    let page = c
        .connected_accounts()
        .list(&ConnectedAccountListParams {
            user_ids: vec!["u1".into(), "u2".into()],
            toolkit_slugs: vec!["github".into(), "slack".into()],
            auth_config_ids: vec!["ac_1".into()],
            connected_account_ids: vec!["ca_1".into(), "ca_2".into()],
            statuses: vec!["ACTIVE".into(), "FAILED".into()],
            order_by: Some("updated_at".into()),
            order_direction: Some("asc".into()),
            limit: Some(50),
            cursor: Some("c1".into()),
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[1].status, "FAILED");
    assert!(page.has_next());
    let req = &s.requests_to("GET", LIST)[0];
    assert_eq!(
        req.query_pairs(),
        vec![
            ("user_ids".to_string(), "u1,u2".to_string()),
            ("toolkit_slugs".into(), "github,slack".into()),
            ("auth_config_ids".into(), "ac_1".into()),
            ("connected_account_ids".into(), "ca_1,ca_2".into()),
            ("statuses".into(), "ACTIVE,FAILED".into()),
            ("order_by".into(), "updated_at".into()),
            ("order_direction".into(), "asc".into()),
            ("limit".into(), "50".into()),
            ("cursor".into(), "c1".into()),
        ]
    );
    // Comma format: one key, `,` URL-encoded.
    assert!(req.query.as_deref().unwrap().starts_with("user_ids=u1%2Cu2&"));

    s.clear_requests();
    c.connected_accounts().list(&ConnectedAccountListParams::default()).await.unwrap();
    assert_eq!(s.requests_to("GET", LIST)[0].query, None);
}

#[tokio::test]
async fn list_rejects_bad_params() {
    let s = MockServer::start().await;
    let c = client(&s);
    let cases = [
        (ConnectedAccountListParams { order_by: Some("name".into()), ..Default::default() }, "order_by"),
        (
            ConnectedAccountListParams { order_direction: Some("up".into()), ..Default::default() },
            "order_direction",
        ),
        (ConnectedAccountListParams { user_ids: vec!["a,b".into()], ..Default::default() }, "user_ids"),
        (ConnectedAccountListParams { statuses: vec!["".into()], ..Default::default() }, "statuses"),
        (ConnectedAccountListParams { limit: Some(0), ..Default::default() }, "limit"),
    ];
    for (params, name) in cases {
        let e = c.connected_accounts().list(&params).await.unwrap_err();
        assert_eq!(e.code(), "VALIDATION_ERROR");
        assert!(e.to_string().contains(name), "{e}");
    }
    assert!(s.requests().is_empty());
}

// ---------------------------------------------------------------- mutations

#[tokio::test]
async fn delete_enable_disable_bodies() {
    let s = MockServer::start().await;
    s.mock("DELETE", ONE, Reply::json(200, json!({"success": true})));
    s.mock("PATCH", "/api/v3.1/connected_accounts/*/status", Reply::json(200, json!({"success": true})));
    let c = client(&s);
    assert!(c.connected_accounts().delete("ca_1").await.unwrap().success);
    assert!(c.connected_accounts().enable("ca_1").await.unwrap().success);
    assert!(c.connected_accounts().disable("ca_1").await.unwrap().success);
    assert_eq!(s.hits("DELETE", "/api/v3.1/connected_accounts/ca_1"), 1);
    let patches = s.requests_to("PATCH", "/api/v3.1/connected_accounts/ca_1/status");
    assert_eq!(patches.len(), 2);
    assert_eq!(patches[0].json(), json!({"enabled": true}));
    assert_eq!(patches[1].json(), json!({"enabled": false}));
}

#[tokio::test]
async fn refresh_sends_query_and_body() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/connected_accounts/*/refresh",
        Reply::json(200, json!({"id": "ca_1", "status": "INITIATED", "redirect_url": "https://re-auth"})),
    );
    let c = client(&s);
    let out = c
        .connected_accounts()
        .refresh(
            "ca_1",
            RefreshOptions {
                redirect_url: Some("https://app/after".into()),
                validate_credentials: Some(true),
            },
        )
        .await
        .unwrap();
    assert_eq!((out.id.as_str(), out.status.as_str()), ("ca_1", "INITIATED"));
    assert_eq!(out.redirect_url.as_deref(), Some("https://re-auth"));
    let req = &s.requests_to("POST", "/api/v3.1/connected_accounts/ca_1/refresh")[0];
    assert_eq!(req.query_param("redirect_url").as_deref(), Some("https://app/after"));
    assert_eq!(req.json(), json!({"redirect_url": "https://app/after", "validate_credentials": true}));

    s.clear_requests();
    c.connected_accounts().refresh("ca_1", RefreshOptions::default()).await.unwrap();
    let req = &s.requests_to("POST", "/api/v3.1/connected_accounts/ca_1/refresh")[0];
    assert_eq!(req.query, None);
    assert_eq!(req.json(), json!({}));
}

#[tokio::test]
async fn update_sends_alias_and_state() {
    let s = MockServer::start().await;
    s.mock("PATCH", ONE, Reply::json(200, account("ACTIVE")));
    let c = client(&s);
    let acct = c
        .connected_accounts()
        .update(
            "ca_1",
            Some("renamed".into()),
            Some(ConnectionState::bearer_token(obj(json!({"token": "t0k"})))),
        )
        .await
        .unwrap();
    assert_eq!(acct.id, "ca_1");
    assert_eq!(
        s.requests_to("PATCH", "/api/v3.1/connected_accounts/ca_1")[0].json(),
        json!({"alias": "renamed", "connection": {"state": {"authScheme": "BEARER_TOKEN",
               "val": {"status": "ACTIVE", "token": "t0k"}}}})
    );

    s.clear_requests();
    c.connected_accounts().update("ca_1", Some("only-alias".into()), None).await.unwrap();
    assert_eq!(s.requests_to("PATCH", ONE)[0].json(), json!({"alias": "only-alias"}));

    s.clear_requests();
    let e = c.connected_accounts().update("ca_1", None, None).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(s.requests().is_empty());
}

// ---------------------------------------------------------------- wait_for_connection

fn request(c: &Composio, id: &str) -> ConnectionRequest {
    ConnectionRequest::new(c, id, "INITIATED", Some("https://redirect".into()))
}

#[tokio::test]
async fn wait_returns_active_after_polls() {
    let s = MockServer::start().await;
    s.mock_seq(
        "GET",
        ONE,
        vec![
            Reply::json(200, account("INITIATED")),
            Reply::json(200, account("INITIATED")),
            Reply::json(200, account("ACTIVE")),
        ],
    );
    let c = client(&s);
    let acct = request(&c, "ca_1")
        .wait_for_connection_with(Duration::from_secs(30), Duration::from_millis(20))
        .await
        .unwrap();
    assert!(acct.is_active());
    assert_eq!(s.hits("GET", "/api/v3.1/connected_accounts/ca_1"), 3);
}

#[tokio::test]
async fn wait_counts_polls_with_mock_fn() {
    let s = MockServer::start().await;
    let n = Arc::new(AtomicUsize::new(0));
    let seen = n.clone();
    s.mock_fn("GET", ONE, move |_| {
        let i = seen.fetch_add(1, Ordering::SeqCst);
        Reply::json(200, account(if i < 4 { "INITIALIZING" } else { "ACTIVE" }))
    });
    let c = client(&s);
    let acct = c
        .connected_accounts()
        .wait_for_connection_with("ca_1", Duration::from_secs(30), Duration::from_millis(10))
        .await
        .unwrap();
    assert_eq!(acct.status, "ACTIVE");
    assert_eq!(n.load(Ordering::SeqCst), 5);
    assert_eq!(s.hits("GET", ONE), 5);
}

#[tokio::test]
async fn wait_fails_fast_on_failed_with_reason() {
    let s = MockServer::start().await;
    let mut failed = account("FAILED");
    failed["status_reason"] = json!("user denied consent");
    s.mock("GET", ONE, Reply::json(200, failed));
    let c = client(&s);
    let started = Instant::now();
    let e = request(&c, "ca_1")
        .wait_for_connection_with(Duration::from_secs(60), Duration::from_secs(30))
        .await
        .unwrap_err();
    // Fail fast: one read, no sleep of the 30 s interval.
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(s.hits("GET", ONE), 1);
    assert_eq!(e.code(), "CONNECTION_REQUEST_FAILED");
    match &e {
        Error::ConnectionFailed { id, status, reason } => {
            assert_eq!(id, "ca_1");
            assert_eq!(status, "FAILED");
            assert_eq!(reason.as_deref(), Some("user denied consent"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("user denied consent"));
}

#[tokio::test]
async fn wait_fails_fast_on_expired_after_pending() {
    let s = MockServer::start().await;
    s.mock_seq(
        "GET",
        ONE,
        vec![Reply::json(200, account("INITIATED")), Reply::json(200, account("EXPIRED"))],
    );
    let c = client(&s);
    let e = request(&c, "ca_1")
        .wait_for_connection_with(Duration::from_secs(60), Duration::from_millis(10))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::ConnectionFailed { status, reason: None, .. } if status == "EXPIRED"),
        "{e:?}"
    );
    assert_eq!(s.hits("GET", ONE), 2);
}

#[tokio::test]
async fn wait_times_out_with_last_status() {
    let s = MockServer::start().await;
    s.mock("GET", ONE, Reply::json(200, account("INITIATED")));
    let c = client(&s);
    let started = Instant::now();
    let e = request(&c, "ca_1")
        .wait_for_connection_with(Duration::from_millis(300), Duration::from_millis(50))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(e.code(), "CONNECTION_REQUEST_TIMEOUT");
    match &e {
        Error::ConnectionTimeout { id, timeout, last_status } => {
            assert_eq!(id, "ca_1");
            assert_eq!(*timeout, Duration::from_millis(300));
            assert_eq!(last_status, "INITIATED");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    assert!(s.hits("GET", ONE) >= 1);
}

#[tokio::test]
async fn wait_never_sleeps_past_the_timeout() {
    let s = MockServer::start().await;
    s.mock("GET", ONE, Reply::json(200, account("INITIALIZING")));
    let c = client(&s);
    let started = Instant::now();
    // The interval is far longer than the timeout: the sleep is cut short.
    let e = request(&c, "ca_1")
        .wait_for_connection_with(Duration::from_millis(100), Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        matches!(&e, Error::ConnectionTimeout { last_status, .. } if last_status == "INITIALIZING"),
        "{e:?}"
    );
    assert_eq!(s.hits("GET", ONE), 2);

    // A zero timeout reads once and reports.
    s.clear_requests();
    let e = request(&c, "ca_1").wait_for_connection(Duration::ZERO).await.unwrap_err();
    assert_eq!(e.code(), "CONNECTION_REQUEST_TIMEOUT");
    assert_eq!(s.hits("GET", ONE), 1);
}

#[tokio::test]
async fn wait_propagates_not_found() {
    let s = MockServer::start().await;
    s.mock("GET", ONE, Reply::api_error(404, "Connected account not found"));
    let c = client(&s);
    let e = request(&c, "ca_gone").wait_for_connection(Duration::from_secs(30)).await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    assert_eq!(e.status(), Some(404));
    assert_eq!(s.hits("GET", ONE), 1);

    // Composio's code 1803 maps to its own code.
    s.mock(
        "GET",
        ONE,
        Reply::json(400, json!({"error": {"message": "No connected account", "code": 1803, "status": 400}})),
    );
    let e = c.connected_accounts().wait_for_connection("ca_gone", Duration::from_secs(30)).await.unwrap_err();
    assert_eq!(e.code(), "CONNECTED_ACCOUNT_NOT_FOUND");
}

#[tokio::test]
async fn wait_standalone_returns_at_once_when_active_and_validates() {
    let s = MockServer::start().await;
    s.mock("GET", ONE, Reply::json(200, account("ACTIVE")));
    let c = client(&s);
    let acct = c.connected_accounts().wait_for_connection("ca_1", Duration::from_secs(5)).await.unwrap();
    assert_eq!(acct.id, "ca_1");
    assert_eq!(s.hits("GET", ONE), 1);
    let e = request(&c, "ca_1")
        .wait_for_connection_with(Duration::from_secs(1), Duration::ZERO)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    let e = c.connected_accounts().wait_for_connection("", Duration::from_secs(1)).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert_eq!(s.hits("GET", ONE), 1);
}

#[tokio::test]
async fn initiate_then_wait_end_to_end() {
    let s = MockServer::start().await;
    s.mock("GET", LIST, empty_page());
    s.mock("POST", LIST, initiate_reply());
    s.mock_seq("GET", ONE, vec![Reply::json(200, account("INITIATED")), Reply::json(200, account("ACTIVE"))]);
    let c = client(&s);
    let req = c.connected_accounts().initiate("u1", "ac_1", InitiateOptions::default()).await.unwrap();
    let acct =
        req.wait_for_connection_with(Duration::from_secs(30), Duration::from_millis(10)).await.unwrap();
    assert!(acct.is_active());
    assert_eq!(s.hits("GET", "/api/v3.1/connected_accounts/ca_7Yt"), 2);
    let d = format!("{req:?}");
    assert!(d.contains("ca_7Yt") && d.contains("AbC123"));
}

// ---------------------------------------------------------------- authorize helper

#[tokio::test]
async fn authorize_toolkit_uses_newest_auth_config() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/auth_configs",
        Reply::json(
            200,
            json!({"items": [
                {"id": "ac_old", "name": "a", "toolkit": {"slug": "github"}, "created_at": "2026-01-01T00:00:00Z"},
                {"id": "ac_new", "name": "b", "toolkit": {"slug": "github"}, "created_at": "2026-01-01T00:00:00.250Z"},
                {"id": "ac_mid", "name": "c", "toolkit": {"slug": "github"}, "created_at": "2025-12-31T23:59:59Z"}
            ]}),
        ),
    );
    s.mock("GET", LIST, empty_page());
    s.mock("POST", LIST, initiate_reply());
    let c = client(&s);
    let req = c.connected_accounts().authorize_toolkit("u1", "github").await.unwrap();
    assert_eq!(req.id, "ca_7Yt");
    assert_eq!(
        s.requests_to("GET", "/api/v3.1/auth_configs")[0].query_param("toolkit_slug").as_deref(),
        Some("github")
    );
    assert_eq!(s.hits("POST", "/api/v3.1/auth_configs"), 0);
    assert_eq!(s.requests_to("GET", LIST)[0].query_param("auth_config_ids").as_deref(), Some("ac_new"));
    assert_eq!(s.requests_to("POST", LIST)[0].json()["auth_config"], json!({"id": "ac_new"}));
}

#[tokio::test]
async fn authorize_toolkit_creates_a_managed_auth_config_when_none() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/auth_configs", Reply::json(200, json!({"items": []})));
    s.mock(
        "POST",
        "/api/v3.1/auth_configs",
        Reply::json(
            201,
            json!({"auth_config": {"id": "ac_created", "auth_scheme": "OAUTH2", "is_composio_managed": true},
                                "toolkit": {"slug": "github"}}),
        ),
    );
    s.mock("GET", LIST, empty_page());
    s.mock("POST", LIST, initiate_reply());
    let c = client(&s);
    c.connected_accounts().authorize_toolkit("u1", "github").await.unwrap();
    assert_eq!(
        s.requests_to("POST", "/api/v3.1/auth_configs")[0].json(),
        json!({"toolkit": {"slug": "github"}, "auth_config": {"type": "use_composio_managed_auth",
               "tool_access_config": {"tools_for_connected_account_creation": []}}})
    );
    assert_eq!(s.requests_to("POST", LIST)[0].json()["auth_config"], json!({"id": "ac_created"}));
}

#[tokio::test]
async fn authorize_toolkit_does_not_allow_multiple() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/auth_configs",
        Reply::json(200, json!({"items": [{"id": "ac_1", "name": "x"}]})),
    );
    s.mock("GET", LIST, Reply::json(200, json!({"items": [account("ACTIVE")]})));
    s.mock("POST", LIST, initiate_reply());
    let e = client(&s).connected_accounts().authorize_toolkit("u1", "github").await.unwrap_err();
    assert_eq!(e.code(), "MULTIPLE_CONNECTED_ACCOUNTS");
    assert_eq!(s.hits("POST", LIST), 0);
}

// ---------------------------------------------------------------- auth-scheme helpers

#[test]
fn auth_scheme_helpers_build_wire_states() {
    let empty = Map::new;
    let cases: Vec<(ConnectionState, Value)> = vec![
        (
            ConnectionState::oauth2(empty()),
            json!({"authScheme": "OAUTH2", "val": {"status": "INITIALIZING"}}),
        ),
        (
            ConnectionState::oauth2(obj(json!({"access_token": "at", "refresh_token": "rt"}))),
            json!({"authScheme": "OAUTH2", "val": {"status": "ACTIVE", "access_token": "at", "refresh_token": "rt"}}),
        ),
        (
            ConnectionState::oauth2(obj(json!({"access_token": null}))),
            json!({"authScheme": "OAUTH2", "val": {"status": "INITIALIZING", "access_token": null}}),
        ),
        (
            ConnectionState::oauth1(obj(json!({"oauth_token": "t"}))),
            json!({"authScheme": "OAUTH1", "val": {"status": "INITIALIZING", "oauth_token": "t"}}),
        ),
        (
            ConnectionState::oauth1(obj(json!({"oauth_token": "t", "oauth_token_secret": "s"}))),
            json!({"authScheme": "OAUTH1", "val": {"status": "ACTIVE", "oauth_token": "t", "oauth_token_secret": "s"}}),
        ),
        (
            ConnectionState::api_key(obj(json!({"api_key": "k"}))),
            json!({"authScheme": "API_KEY", "val": {"status": "ACTIVE", "api_key": "k"}}),
        ),
        (
            ConnectionState::basic(obj(json!({"username": "u", "password": "p"}))),
            json!({"authScheme": "BASIC", "val": {"status": "ACTIVE", "username": "u", "password": "p"}}),
        ),
        (
            ConnectionState::bearer_token(obj(json!({"token": "b"}))),
            json!({"authScheme": "BEARER_TOKEN", "val": {"status": "ACTIVE", "token": "b"}}),
        ),
        (
            ConnectionState::google_service_account(obj(json!({"credentials_json": "{}"}))),
            json!({"authScheme": "GOOGLE_SERVICE_ACCOUNT", "val": {"status": "ACTIVE", "credentials_json": "{}"}}),
        ),
        (ConnectionState::no_auth(empty()), json!({"authScheme": "NO_AUTH", "val": {"status": "ACTIVE"}})),
        (
            ConnectionState::calcom_auth(obj(json!({"subdomain": "x"}))),
            json!({"authScheme": "CALCOM_AUTH", "val": {"status": "ACTIVE", "subdomain": "x"}}),
        ),
        (
            ConnectionState::billcom_auth(obj(json!({"sessionId": "s", "devKey": "d"}))),
            json!({"authScheme": "BILLCOM_AUTH", "val": {"status": "ACTIVE", "sessionId": "s", "devKey": "d"}}),
        ),
        (
            ConnectionState::basic_with_jwt(obj(json!({"username": "u", "password": "p"}))),
            json!({"authScheme": "BASIC_WITH_JWT", "val": {"status": "ACTIVE", "username": "u", "password": "p"}}),
        ),
        (
            ConnectionState::composio_link(empty()),
            json!({"authScheme": "COMPOSIO_LINK", "val": {"status": "INITIALIZING"}}),
        ),
        // A caller-supplied status wins, wherever it sits.
        (
            ConnectionState::api_key(obj(json!({"api_key": "k", "status": "INITIATED"}))),
            json!({"authScheme": "API_KEY", "val": {"status": "INITIATED", "api_key": "k"}}),
        ),
        (
            ConnectionState::oauth2(obj(json!({"access_token": "at", "status": "INACTIVE"}))),
            json!({"authScheme": "OAUTH2", "val": {"status": "INACTIVE", "access_token": "at"}}),
        ),
    ];
    for (state, expected) in cases {
        let wire = serde_json::to_value(&state).unwrap();
        assert_eq!(wire, expected);
        // `status` comes first, as the official helpers build it.
        assert_eq!(wire["val"].as_object().unwrap().keys().next().map(String::as_str), Some("status"));
        assert!(state.scheme().is_ok());
    }
}

#[test]
fn connection_state_decodes_python_spelling_and_redacts_debug() {
    let state: ConnectionState = serde_json::from_value(
        json!({"auth_scheme": "API_KEY", "val": {"status": "ACTIVE", "api_key": "sk-live-123"}}),
    )
    .unwrap();
    assert_eq!(state.auth_scheme, "API_KEY");
    assert_eq!(state.status(), Some("ACTIVE"));
    let debug = format!("{state:?}");
    assert!(!debug.contains("sk-live-123"), "{debug}");
    assert!(debug.contains("api_key") && debug.contains("ACTIVE"));
    let options = InitiateOptions { config: Some(state), ..Default::default() };
    assert!(!format!("{options:?}").contains("sk-live-123"));
    let unknown = ConnectionState { auth_scheme: "NOPE".into(), val: Map::new(), extra: Map::new() };
    assert_eq!(unknown.scheme().unwrap_err().code(), "VALIDATION_ERROR");
}

#[test]
fn connected_account_debug_without_state() {
    let acct = ConnectedAccount { id: "ca_x".into(), status: "ACTIVE".into(), ..Default::default() };
    let d = format!("{acct:?}");
    assert!(d.contains("ca_x") && d.contains("state: None"));
}
