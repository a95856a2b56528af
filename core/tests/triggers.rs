//! Trigger types and trigger instances against a mock API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::triggers::{TriggerCreateParams, TriggerListActiveParams, TriggerTypeListParams};
use composio_core::{Composio, ComposioConfig, RetryPolicy, ToolkitVersions};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Map, Value};

fn client(s: &MockServer) -> Composio {
    Composio::new(ComposioConfig::new("test-key").with_base_url(s.url()).with_retry(RetryPolicy::none()))
        .unwrap()
}

fn trigger_type_json() -> Value {
    json!({
        "slug": "GITHUB_COMMIT_EVENT",
        "name": "Commit Event",
        "description": "When a commit is pushed",
        "instructions": "Install the app",
        "type": "webhook",
        "version": "20250909_00",
        "toolkit": {"slug": "github", "name": "GitHub", "logo": "https://logo"},
        "config": {"type": "object", "properties": {"owner": {"type": "string"}, "repo": {"type": "string"}}},
        "payload": {"type": "object"},
        "new_field": 7
    })
}

fn config(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

#[tokio::test]
async fn list_types_sends_filters_and_toolkit_versions() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/triggers_types",
        Reply::json(200, json!({"items": [trigger_type_json()], "next_cursor": "c2", "total_pages": 2, "current_page": 1, "total_items": 2})),
    );
    let c = client(&s);
    let page = c
        .triggers()
        .list_types(TriggerTypeListParams {
            cursor: Some("c1".into()),
            limit: Some(5),
            toolkit_slugs: vec!["github".into(), "slack".into()],
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let t = &page.items[0];
    assert_eq!(t.slug, "GITHUB_COMMIT_EVENT");
    assert_eq!(t.trigger_type.as_deref(), Some("webhook"));
    assert_eq!(t.toolkit.slug, "github");
    assert_eq!(t.config["properties"]["owner"]["type"], "string");
    assert_eq!(t.extra["new_field"], 7);
    assert!(page.has_next());
    let reqs = s.requests_to("GET", "/api/v3.1/triggers_types");
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.query_param("toolkit_slugs").as_deref(), Some("github,slack"));
    assert_eq!(r.query_param("cursor").as_deref(), Some("c1"));
    assert_eq!(r.query_param("limit").as_deref(), Some("5"));
    assert_eq!(r.query_param("toolkit_versions").as_deref(), Some("latest"));
    assert_eq!(r.header("x-api-key"), Some("test-key"));
}

#[tokio::test]
async fn list_types_sends_per_toolkit_versions_in_bracket_format() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/triggers_types", Reply::json(200, json!({"items": []})));
    let c = Composio::new(
        ComposioConfig::new("test-key")
            .with_base_url(s.url())
            .with_toolkit_versions(ToolkitVersions::per_toolkit([("github", "20250909_00")])),
    )
    .unwrap();
    let page = c.triggers().list_types(TriggerTypeListParams::default()).await.unwrap();
    assert!(page.items.is_empty() && !page.has_next());
    let r = &s.requests_to("GET", "/api/v3.1/triggers_types")[0];
    assert_eq!(r.query_param("toolkit_versions[github]").as_deref(), Some("20250909_00"));
    assert_eq!(r.query_param("toolkit_slugs"), None);
    assert_eq!(r.query_param("limit"), None);
}

#[tokio::test]
async fn get_type_and_list_enum() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/triggers_types/GITHUB_COMMIT_EVENT", Reply::json(200, trigger_type_json()));
    s.mock("GET", "/api/v3.1/triggers_types/list/enum", Reply::json(200, json!(["A_EVENT", "B_EVENT"])));
    let c = client(&s);
    let t = c.triggers().get_type("GITHUB_COMMIT_EVENT").await.unwrap();
    assert_eq!(t.name, "Commit Event");
    assert_eq!(t.version.as_deref(), Some("20250909_00"));
    let r = &s.requests_to("GET", "/api/v3.1/triggers_types/GITHUB_COMMIT_EVENT")[0];
    assert_eq!(r.query_param("toolkit_versions").as_deref(), Some("latest"));
    assert_eq!(c.triggers().list_enum().await.unwrap(), vec!["A_EVENT", "B_EVENT"]);

    // A JSON-encoded string is tolerated too.
    s.mock("GET", "/api/v3.1/triggers_types/list/enum", Reply::json(200, json!("[\"C_EVENT\"]")));
    assert_eq!(c.triggers().list_enum().await.unwrap(), vec!["C_EVENT"]);
    s.mock("GET", "/api/v3.1/triggers_types/list/enum", Reply::json(200, json!({"nope": 1})));
    assert_eq!(c.triggers().list_enum().await.unwrap_err().code(), "DECODE_ERROR");
}

#[tokio::test]
async fn get_type_not_found_is_a_typed_api_error() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/triggers_types/*", Reply::api_error(404, "Trigger type not found"));
    let e = client(&s).triggers().get_type("NOPE").await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    assert_eq!(e.status(), Some(404));
    let e = client(&s).triggers().get_type(" ").await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn create_with_connected_account_posts_upsert() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/trigger_instances/*/upsert",
        Reply::json(200, json!({"trigger_id": "ti_1", "deprecated": {"uuid": "u-1"}})),
    );
    let c = client(&s);
    let params = TriggerCreateParams::for_connected_account("ca_9")
        .with_trigger_config(config(&[("owner", json!("composiohq")), ("repo", json!("composio"))]));
    let res = c.triggers().create("GITHUB_COMMIT_EVENT", params).await.unwrap();
    assert_eq!(res.trigger_id, "ti_1");
    assert_eq!(res.deprecated, Some(json!({"uuid": "u-1"})));
    let reqs = s.requests_to("POST", "/api/v3.1/trigger_instances/GITHUB_COMMIT_EVENT/upsert");
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        reqs[0].json(),
        json!({
            "connected_account_id": "ca_9",
            "trigger_config": {"owner": "composiohq", "repo": "composio"},
            "toolkit_versions": "latest"
        })
    );
    // No lookups when the account is given.
    assert_eq!(s.hits("GET", "/api/v3.1/triggers_types/**"), 0);
    assert_eq!(s.hits("GET", "/api/v3.1/connected_accounts"), 0);
}

#[tokio::test]
async fn create_with_user_picks_the_newest_account_of_the_toolkit() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/triggers_types/GITHUB_COMMIT_EVENT", Reply::json(200, trigger_type_json()));
    s.mock(
        "GET",
        "/api/v3.1/connected_accounts",
        Reply::json(
            200,
            json!({"items": [
                {"id": "ca_old", "created_at": "2025-01-01T00:00:00.000Z", "status": "ACTIVE"},
                {"id": "ca_new", "created_at": "2025-06-01T00:00:00.000Z", "status": "ACTIVE"},
                {"id": "ca_mid", "created_at": "2025-03-01T00:00:00.000Z", "status": "ACTIVE"}
            ], "next_cursor": null}),
        ),
    );
    s.mock("POST", "/api/v3.1/trigger_instances/*/upsert", Reply::json(200, json!({"trigger_id": "ti_2"})));
    let c = Composio::new(
        ComposioConfig::new("test-key")
            .with_base_url(s.url())
            .with_toolkit_versions(ToolkitVersions::per_toolkit([("github", "20250909_00")])),
    )
    .unwrap();
    let res =
        c.triggers().create("GITHUB_COMMIT_EVENT", TriggerCreateParams::for_user("user-1")).await.unwrap();
    assert_eq!(res.trigger_id, "ti_2");
    let lookup = &s.requests_to("GET", "/api/v3.1/connected_accounts")[0];
    assert_eq!(lookup.query_param("toolkit_slugs").as_deref(), Some("github"));
    assert_eq!(lookup.query_param("user_ids").as_deref(), Some("user-1"));
    let upsert = &s.requests_to("POST", "/api/v3.1/trigger_instances/GITHUB_COMMIT_EVENT/upsert")[0];
    assert_eq!(
        upsert.json(),
        json!({"connected_account_id": "ca_new", "toolkit_versions": {"github": "20250909_00"}})
    );
}

#[tokio::test]
async fn create_with_user_without_accounts_fails_typed() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/triggers_types/GITHUB_COMMIT_EVENT", Reply::json(200, trigger_type_json()));
    s.mock("GET", "/api/v3.1/connected_accounts", Reply::json(200, json!({"items": []})));
    let e = client(&s)
        .triggers()
        .create("GITHUB_COMMIT_EVENT", TriggerCreateParams::for_user("user-1"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "CONNECTED_ACCOUNT_NOT_FOUND");
    assert!(e.to_string().contains("user-1") && e.to_string().contains("github"), "{e}");
    assert_eq!(s.hits("POST", "/api/v3.1/trigger_instances/**"), 0);
}

#[tokio::test]
async fn create_without_user_or_account_is_a_validation_error() {
    let s = MockServer::start().await;
    let c = client(&s);
    let e = c.triggers().create("GITHUB_COMMIT_EVENT", TriggerCreateParams::default()).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("user_id") && e.to_string().contains("connected_account_id"));
    let e = c.triggers().create("", TriggerCreateParams::for_user("u")).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    let e = c.triggers().create("X", TriggerCreateParams::for_connected_account("")).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn list_active_sends_comma_lists_and_decodes_instances() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/trigger_instances/active",
        Reply::json(
            200,
            json!({"items": [
                {
                    "id": "ti_1", "uuid": "u1", "user_id": "user-1", "connected_account_id": "ca_1",
                    "connected_account_uuid": "cu1", "trigger_name": "GITHUB_COMMIT_EVENT",
                    "trigger_config": {"repo": "composio"}, "trigger_data": "x", "state": {},
                    "updated_at": "2025-01-01T00:00:00Z", "disabled_at": null,
                    "connectedAccountId": "ca_1", "triggerName": "GITHUB_COMMIT_EVENT",
                    "triggerConfig": {"repo": "composio"}, "disabledAt": null, "updatedAt": "2025-01-01T00:00:00Z",
                    "deprecated": {"createdAt": "2024-12-01T00:00:00Z"}
                },
                {
                    "id": "ti_2", "connectedAccountId": "ca_2", "triggerName": "SLACK_EVENT",
                    "triggerConfig": {"channel": "c"}, "disabledAt": "2025-02-01T00:00:00Z"
                }
            ], "next_cursor": null, "total_pages": 1, "current_page": 1, "total_items": 2}),
        ),
    );
    let c = client(&s);
    let page = c
        .triggers()
        .list_active(TriggerListActiveParams {
            trigger_ids: vec!["ti_1".into(), "ti_2".into()],
            trigger_names: vec!["GITHUB_COMMIT_EVENT".into()],
            auth_config_ids: vec!["ac_1".into()],
            connected_account_ids: vec!["ca_1".into(), "ca_2".into()],
            user_ids: vec!["user-1".into()],
            show_disabled: Some(true),
            limit: Some(10),
            cursor: Some("cur".into()),
        })
        .await
        .unwrap();
    let r = &s.requests_to("GET", "/api/v3.1/trigger_instances/active")[0];
    assert_eq!(r.query_param("trigger_ids").as_deref(), Some("ti_1,ti_2"));
    assert_eq!(r.query_param("trigger_names").as_deref(), Some("GITHUB_COMMIT_EVENT"));
    assert_eq!(r.query_param("auth_config_ids").as_deref(), Some("ac_1"));
    assert_eq!(r.query_param("connected_account_ids").as_deref(), Some("ca_1,ca_2"));
    assert_eq!(r.query_param("user_ids").as_deref(), Some("user-1"));
    assert_eq!(r.query_param("show_disabled").as_deref(), Some("true"));
    assert_eq!(r.query_param("limit").as_deref(), Some("10"));
    assert_eq!(r.query_param("cursor").as_deref(), Some("cur"));
    assert_eq!(page.items.len(), 2);
    let a = &page.items[0];
    assert_eq!(a.id, "ti_1");
    assert_eq!(a.trigger_config["repo"], "composio");
    assert!(a.is_enabled());
    assert_eq!(a.extra["triggerName"], "GITHUB_COMMIT_EVENT");
    assert_eq!(a.deprecated, Some(json!({"createdAt": "2024-12-01T00:00:00Z"})));
    // camelCase-only items fill the snake_case fields.
    let b = &page.items[1];
    assert_eq!(b.connected_account_id, "ca_2");
    assert_eq!(b.trigger_name, "SLACK_EVENT");
    assert_eq!(b.trigger_config["channel"], "c");
    assert!(!b.is_enabled());

    // Empty params send no filters at all.
    s.clear_requests();
    c.triggers().list_active(TriggerListActiveParams::default()).await.unwrap();
    assert_eq!(s.requests_to("GET", "/api/v3.1/trigger_instances/active")[0].query, None);

    let e = c
        .triggers()
        .list_active(TriggerListActiveParams { user_ids: vec!["".into()], ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("user_ids"));
}

#[tokio::test]
async fn enable_disable_and_delete() {
    let s = MockServer::start().await;
    s.mock("PATCH", "/api/v3.1/trigger_instances/manage/*", Reply::json(200, json!({"status": "success"})));
    s.mock("DELETE", "/api/v3.1/trigger_instances/manage/*", Reply::json(200, json!({"trigger_id": "ti_1"})));
    let c = client(&s);
    assert_eq!(c.triggers().enable("ti_1").await.unwrap().status, "success");
    assert_eq!(c.triggers().disable("ti_1").await.unwrap().status, "success");
    assert_eq!(c.triggers().delete("ti_1").await.unwrap().trigger_id, "ti_1");
    let patches = s.requests_to("PATCH", "/api/v3.1/trigger_instances/manage/ti_1");
    assert_eq!(patches.len(), 2);
    assert_eq!(patches[0].json(), json!({"status": "enable"}));
    assert_eq!(patches[1].json(), json!({"status": "disable"}));
    assert_eq!(s.hits("DELETE", "/api/v3.1/trigger_instances/manage/ti_1"), 1);
    assert_eq!(c.triggers().enable("").await.unwrap_err().code(), "VALIDATION_ERROR");
    assert_eq!(c.triggers().delete(" ").await.unwrap_err().code(), "VALIDATION_ERROR");

    // Ids are path-encoded, never spliced.
    c.triggers().delete("ti/../x").await.unwrap();
    assert_eq!(s.hits("DELETE", "/api/v3.1/trigger_instances/manage/ti%2F..%2Fx"), 1);
}

#[tokio::test]
async fn enable_failure_is_a_typed_api_error() {
    let s = MockServer::start().await;
    s.mock("PATCH", "/api/v3.1/trigger_instances/manage/*", Reply::api_error(404, "Trigger not found"));
    let e = client(&s).triggers().enable("ti_x").await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    assert!(e.to_string().contains("Trigger not found"));
}
