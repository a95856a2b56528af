//! The webhook subscriptions API against a mock server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::models::WebhookVersion;
use composio_core::webhook_subscriptions::{WebhookSubscriptionSetParams, WebhookSubscriptionUpdateParams};
use composio_core::{Composio, ComposioConfig, RetryPolicy};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Value};

const SECRET: &str = "whsec_super_secret_value_123";

fn client(s: &MockServer) -> Composio {
    Composio::new(ComposioConfig::new("test-key").with_base_url(s.url()).with_retry(RetryPolicy::none()))
        .unwrap()
}

fn sub_json(id: &str, url: &str) -> Value {
    json!({
        "id": id,
        "webhook_url": url,
        "version": "V3",
        "enabled_events": ["composio.trigger.message"],
        "secret": SECRET,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-02T00:00:00Z",
        "project_id": "pr_1"
    })
}

#[tokio::test]
async fn create_sends_the_body_and_keeps_the_secret_out_of_debug() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/webhook_subscriptions",
        Reply::json(201, sub_json("ws_1", "https://a.example/hook")),
    );
    let c = client(&s);
    let sub = c
        .webhook_subscriptions()
        .create(
            "https://a.example/hook",
            vec!["composio.trigger.message".into(), "composio.connected_account.expired".into()],
            Some(WebhookVersion::V3),
        )
        .await
        .unwrap();
    assert_eq!(sub.id, "ws_1");
    assert_eq!(sub.webhook_version(), Some(WebhookVersion::V3));
    assert_eq!(sub.secret.as_ref().map(|s| s.expose()), Some(SECRET));
    assert_eq!(sub.extra["project_id"], "pr_1");
    let debug = format!("{sub:?}");
    assert!(!debug.contains(SECRET), "secret leaked in Debug: {debug}");
    assert!(debug.contains("ws_1"));
    // Serialising (for the bindings) gives the real value back.
    assert_eq!(serde_json::to_value(&sub).unwrap()["secret"], SECRET);

    let r = &s.requests_to("POST", "/api/v3.1/webhook_subscriptions")[0];
    assert_eq!(
        r.json(),
        json!({
            "webhook_url": "https://a.example/hook",
            "enabled_events": ["composio.trigger.message", "composio.connected_account.expired"],
            "version": "V3"
        })
    );
    assert_eq!(r.header("x-api-key"), Some("test-key"));

    // Without a version the key is omitted.
    c.webhook_subscriptions()
        .create("https://a.example/hook", vec!["composio.trigger.message".into()], None)
        .await
        .unwrap();
    let r = &s.requests_to("POST", "/api/v3.1/webhook_subscriptions")[1];
    assert!(r.json().get("version").is_none());
}

#[tokio::test]
async fn create_validates_its_input() {
    let s = MockServer::start().await;
    let c = client(&s);
    let w = c.webhook_subscriptions();
    let e = w.create("not a url", vec!["composio.trigger.message".into()], None).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("webhook_url"));
    let e = w.create("ftp://a.example", vec!["composio.trigger.message".into()], None).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    let e = w.create("https://a.example", vec![], None).await.unwrap_err();
    assert!(e.to_string().contains("enabled_events"));
    let e = w.create("https://a.example", vec![" ".into()], None).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn list_get_and_delete() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/webhook_subscriptions",
        Reply::json(
            200,
            json!({"items": [sub_json("ws_1", "https://a.example/hook")], "next_cursor": "n", "total_pages": 2, "current_page": 1, "total_items": 2}),
        ),
    );
    s.mock(
        "GET",
        "/api/v3.1/webhook_subscriptions/ws_1",
        Reply::json(200, sub_json("ws_1", "https://a.example/hook")),
    );
    s.mock("DELETE", "/api/v3.1/webhook_subscriptions/ws_1", Reply::json(200, json!({"success": true})));
    let c = client(&s);
    let w = c.webhook_subscriptions();

    let page = w.list(Some(20), Some("cur".into())).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next_cursor.as_deref(), Some("n"));
    assert!(!format!("{page:?}").contains(SECRET));
    let r = &s.requests_to("GET", "/api/v3.1/webhook_subscriptions")[0];
    assert_eq!(r.query_param("limit").as_deref(), Some("20"));
    assert_eq!(r.query_param("cursor").as_deref(), Some("cur"));

    w.list(None, None).await.unwrap();
    assert_eq!(s.requests_to("GET", "/api/v3.1/webhook_subscriptions")[1].query, None);
    assert_eq!(w.list(Some(0), None).await.unwrap_err().code(), "VALIDATION_ERROR");

    let one = w.get("ws_1").await.unwrap();
    assert_eq!(one.enabled_events, vec!["composio.trigger.message"]);
    assert_eq!(one.created_at.as_deref(), Some("2026-01-01T00:00:00Z"));

    assert!(w.delete("ws_1").await.unwrap().success);
    assert_eq!(s.hits("DELETE", "/api/v3.1/webhook_subscriptions/ws_1"), 1);
    assert_eq!(w.get("").await.unwrap_err().code(), "VALIDATION_ERROR");
    assert_eq!(w.delete(" ").await.unwrap_err().code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn get_missing_subscription_is_a_typed_api_error() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/webhook_subscriptions/*",
        Reply::api_error(404, "Webhook subscription not found"),
    );
    let e = client(&s).webhook_subscriptions().get("ws_x").await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
}

#[tokio::test]
async fn update_sends_only_the_given_fields() {
    let s = MockServer::start().await;
    s.mock(
        "PATCH",
        "/api/v3.1/webhook_subscriptions/ws_1",
        Reply::json(200, sub_json("ws_1", "https://b.example/hook")),
    );
    let c = client(&s);
    let w = c.webhook_subscriptions();
    let sub = w
        .update(
            "ws_1",
            WebhookSubscriptionUpdateParams {
                webhook_url: Some("https://b.example/hook".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(sub.webhook_url, "https://b.example/hook");
    w.update(
        "ws_1",
        WebhookSubscriptionUpdateParams {
            enabled_events: Some(vec!["composio.connected_account.expired".into()]),
            version: Some(WebhookVersion::V2),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let reqs = s.requests_to("PATCH", "/api/v3.1/webhook_subscriptions/ws_1");
    assert_eq!(reqs[0].json(), json!({"webhook_url": "https://b.example/hook"}));
    assert_eq!(
        reqs[1].json(),
        json!({"enabled_events": ["composio.connected_account.expired"], "version": "V2"})
    );

    let e = w.update("ws_1", WebhookSubscriptionUpdateParams::default()).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    let e = w
        .update(
            "ws_1",
            WebhookSubscriptionUpdateParams { webhook_url: Some("nope".into()), ..Default::default() },
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert_eq!(s.hits("PATCH", "/api/v3.1/webhook_subscriptions/ws_1"), 2);
}

#[tokio::test]
async fn rotate_secret_and_event_types() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/webhook_subscriptions/ws_1/rotate_secret",
        Reply::json(200, json!({"id": "ws_1", "secret": "rotated-secret-xyz"})),
    );
    s.mock(
        "GET",
        "/api/v3.1/webhook_subscriptions/event_types",
        Reply::json(
            200,
            json!({"items": [
                {"event_type": "composio.trigger.message", "description": "A trigger fired", "supported_versions": ["V1", "V2", "V3"]},
                {"event_type": "composio.connected_account.expired", "description": "Expired", "supported_versions": ["V3"]}
            ]}),
        ),
    );
    let c = client(&s);
    let w = c.webhook_subscriptions();
    let rotated = w.rotate_secret("ws_1").await.unwrap();
    assert_eq!(rotated.id, "ws_1");
    assert_eq!(rotated.secret.expose(), "rotated-secret-xyz");
    assert!(!format!("{rotated:?}").contains("rotated-secret-xyz"));
    let r = &s.requests_to("POST", "/api/v3.1/webhook_subscriptions/ws_1/rotate_secret")[0];
    assert!(r.body.is_empty());

    let types = w.list_event_types().await.unwrap();
    assert_eq!(types.len(), 2);
    assert_eq!(types[1].event_type, "composio.connected_account.expired");
    assert_eq!(types[1].supported_versions, vec!["V3"]);
    assert_eq!(w.rotate_secret("").await.unwrap_err().code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn set_creates_when_none_exists_with_defaults() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/webhook_subscriptions",
        Reply::json(200, json!({"items": [], "next_cursor": null})),
    );
    s.mock(
        "POST",
        "/api/v3.1/webhook_subscriptions",
        Reply::json(201, sub_json("ws_new", "https://c.example/hook")),
    );
    let c = client(&s);
    let sub = c
        .webhook_subscriptions()
        .set("https://c.example/hook", WebhookSubscriptionSetParams::default())
        .await
        .unwrap();
    assert_eq!(sub.id, "ws_new");
    let list = &s.requests_to("GET", "/api/v3.1/webhook_subscriptions")[0];
    assert_eq!(list.query_param("limit").as_deref(), Some("1"));
    let create = &s.requests_to("POST", "/api/v3.1/webhook_subscriptions")[0];
    assert_eq!(
        create.json(),
        json!({"webhook_url": "https://c.example/hook", "enabled_events": ["composio.trigger.message"], "version": "V3"})
    );
    assert_eq!(s.hits("PATCH", "/api/v3.1/webhook_subscriptions/**"), 0);
}

#[tokio::test]
async fn set_updates_the_first_existing_subscription() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/webhook_subscriptions",
        Reply::json(200, json!({"items": [sub_json("ws_old", "https://old.example/hook")]})),
    );
    s.mock(
        "PATCH",
        "/api/v3.1/webhook_subscriptions/ws_old",
        Reply::json(200, sub_json("ws_old", "https://d.example/hook")),
    );
    let c = client(&s);
    let sub = c
        .webhook_subscriptions()
        .set(
            "https://d.example/hook",
            WebhookSubscriptionSetParams {
                enabled_events: Some(vec![
                    "composio.trigger.message".into(),
                    "composio.connected_account.expired".into(),
                ]),
                version: Some(WebhookVersion::V3),
            },
        )
        .await
        .unwrap();
    assert_eq!(sub.webhook_url, "https://d.example/hook");
    let patch = &s.requests_to("PATCH", "/api/v3.1/webhook_subscriptions/ws_old")[0];
    assert_eq!(
        patch.json(),
        json!({
            "webhook_url": "https://d.example/hook",
            "enabled_events": ["composio.trigger.message", "composio.connected_account.expired"],
            "version": "V3"
        })
    );
    assert_eq!(s.hits("POST", "/api/v3.1/webhook_subscriptions"), 0);

    // Bad input fails before any request.
    s.clear_requests();
    let e = c.webhook_subscriptions().set("nope", WebhookSubscriptionSetParams::default()).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(s.requests().is_empty());
}
