//! Auth configs against the mock server: every endpoint's method, path,
//! query and body, response decoding, validation and Debug redaction.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::models::{
    AuthConfigCreate, AuthConfigListParams, AuthConfigProxy, AuthConfigToolAccess, AuthConfigUpdate,
    AuthScheme,
};
use composio_core::{Composio, ComposioConfig, Error};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Map, Value};

fn client(s: &MockServer) -> Composio {
    Composio::new(ComposioConfig::new("test-key").with_base_url(s.url())).unwrap()
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn auth_config_json() -> Value {
    json!({
        "id": "ac_1", "uuid": "u-1", "name": "GitHub Auth", "type": "custom", "status": "ENABLED",
        "no_of_connections": 3.0,
        "toolkit": {"slug": "github", "logo": "https://logo", "auth_guide_url": "https://guide"},
        "auth_scheme": "OAUTH2", "is_composio_managed": false, "is_enabled_for_tool_router": true,
        "credentials": {"client_id": "cid", "client_secret": "very-secret-value"},
        "proxy_config": {"proxy_url": "https://proxy", "proxy_auth_key": "proxy-secret-key"},
        "tool_access_config": {"tools_available_for_execution": ["GITHUB_STAR"], "tools_for_connected_account_creation": []},
        "expected_input_fields": [{"name": "subdomain"}],
        "created_at": "2026-01-01T00:00:00Z", "last_updated_at": "2026-01-02T00:00:00Z",
        "brand_new_field": {"x": 1}
    })
}

#[tokio::test]
async fn create_composio_managed_sends_typed_body_and_decodes_response() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/auth_configs",
        Reply::json(
            201,
            json!({"auth_config": {"id": "ac_new", "auth_scheme": "OAUTH2", "is_composio_managed": true,
                   "restrict_to_following_tools": []}, "toolkit": {"slug": "github"}, "other": 1}),
        ),
    );
    let c = client(&s);
    let options = AuthConfigCreate::composio_managed()
        .with_name("My GitHub")
        .with_enabled_for_tool_router(true)
        .with_tool_access_config(AuthConfigToolAccess {
            tools_for_connected_account_creation: Some(vec!["GITHUB_STAR".into()]),
            ..Default::default()
        })
        .with_field("future_key", json!("kept"));
    let created = c.auth_configs().create("github", options).await.unwrap();
    assert_eq!(created.id(), "ac_new");
    assert_eq!(created.auth_config.auth_scheme.as_deref(), Some("OAUTH2"));
    assert_eq!(created.auth_config.is_composio_managed, Some(true));
    assert_eq!(created.toolkit.as_ref().unwrap().slug, "github");
    assert_eq!(created.extra.get("other"), Some(&json!(1)));

    let reqs = s.requests_to("POST", "/api/v3.1/auth_configs");
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        reqs[0].json(),
        json!({"toolkit": {"slug": "github"}, "auth_config": {
            "type": "use_composio_managed_auth", "name": "My GitHub", "is_enabled_for_tool_router": true,
            "tool_access_config": {"tools_for_connected_account_creation": ["GITHUB_STAR"]},
            "future_key": "kept"}})
    );
}

#[tokio::test]
async fn create_custom_uses_camel_case_auth_scheme() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/auth_configs",
        Reply::json(
            200,
            json!({"auth_config": {"id": "ac_c", "auth_scheme": "OAUTH2", "is_composio_managed": false}}),
        ),
    );
    let c = client(&s);
    let options = AuthConfigCreate::UseCustomAuth {
        auth_scheme: AuthScheme::Oauth2,
        credentials: obj(json!({"client_id": "cid", "client_secret": "shh", "scopes": ["repo"]})),
        name: Some("Custom".into()),
        proxy_config: Some(AuthConfigProxy::new("https://proxy", Some("pk".into()))),
        is_enabled_for_tool_router: None,
        restrict_to_following_tools: None,
        shared_credentials: None,
        tool_access_config: None,
        extra: Map::new(),
    };
    let debug = format!("{options:?}");
    assert!(!debug.contains("shh") && !debug.contains("\"pk\""), "{debug}");
    assert!(debug.contains("client_secret"));
    let created = c.auth_configs().create("github", options).await.unwrap();
    assert_eq!(created.id(), "ac_c");
    assert!(created.toolkit.is_none());
    let body = s.requests_to("POST", "/api/v3.1/auth_configs")[0].json();
    assert_eq!(
        body,
        json!({"toolkit": {"slug": "github"}, "auth_config": {
            "type": "use_custom_auth", "authScheme": "OAUTH2",
            "credentials": {"client_id": "cid", "client_secret": "shh", "scopes": ["repo"]},
            "name": "Custom", "proxy_config": {"proxy_url": "https://proxy", "proxy_auth_key": "pk"}}})
    );
    assert!(body["auth_config"].get("auth_scheme").is_none());
}

#[tokio::test]
async fn create_accepts_python_spelling_when_decoding_options() {
    let options: AuthConfigCreate = serde_json::from_value(
        json!({"type": "use_custom_auth", "auth_scheme": "API_KEY", "credentials": {}}),
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&options).unwrap(),
        json!({"type": "use_custom_auth", "authScheme": "API_KEY", "credentials": {}})
    );
    assert_eq!(options.type_name(), "use_custom_auth");
    let bad =
        serde_json::from_value::<AuthConfigCreate>(json!({"type": "use_custom_auth", "authScheme": "MAGIC"}));
    assert!(bad.unwrap_err().to_string().contains("unknown auth scheme"));
}

#[tokio::test]
async fn create_validates_before_any_request() {
    let s = MockServer::start().await;
    let c = client(&s);
    let e = c.auth_configs().create("  ", AuthConfigCreate::default()).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("toolkit"));
    let e = c
        .auth_configs()
        .create("github", AuthConfigCreate::composio_managed().with_name(""))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("name"));
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn list_sends_query_and_decodes_page() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/auth_configs",
        Reply::json(
            200,
            json!({"items": [auth_config_json()], "next_cursor": "cur2", "total_pages": 2, "current_page": 1, "total_items": 2}),
        ),
    );
    let c = client(&s);
    let page = c
        .auth_configs()
        .list(&AuthConfigListParams {
            toolkit_slug: Some("github".into()),
            is_composio_managed: Some(false),
            show_disabled: Some(true),
            search: Some("git hub".into()),
            limit: Some(10),
            cursor: Some("cur1".into()),
        })
        .await
        .unwrap();
    assert!(page.has_next());
    assert_eq!(page.next_cursor.as_deref(), Some("cur2"));
    let ac = &page.items[0];
    assert_eq!(ac.id, "ac_1");
    assert_eq!(ac.kind.as_deref(), Some("custom"));
    assert_eq!(ac.no_of_connections, Some(3));
    assert_eq!(ac.toolkit.slug, "github");
    assert_eq!(ac.auth_scheme.as_deref(), Some("OAUTH2"));
    assert_eq!(
        ac.tool_access_config.as_ref().unwrap().tools_available_for_execution,
        Some(vec!["GITHUB_STAR".into()])
    );
    assert_eq!(ac.proxy_config.as_ref().unwrap().proxy_auth_key.as_deref(), Some("proxy-secret-key"));
    assert_eq!(ac.extra.get("brand_new_field"), Some(&json!({"x": 1})));
    assert!(!ac.is_disabled());

    let req = &s.requests_to("GET", "/api/v3.1/auth_configs")[0];
    assert_eq!(
        req.query_pairs(),
        vec![
            ("toolkit_slug".to_string(), "github".to_string()),
            ("is_composio_managed".into(), "false".into()),
            ("show_disabled".into(), "true".into()),
            ("search".into(), "git hub".into()),
            ("limit".into(), "10".into()),
            ("cursor".into(), "cur1".into()),
        ]
    );

    // Empty params send no query at all.
    s.clear_requests();
    c.auth_configs().list(&AuthConfigListParams::default()).await.unwrap();
    assert_eq!(s.requests_to("GET", "/api/v3.1/auth_configs")[0].query, None);
}

#[tokio::test]
async fn get_decodes_and_debug_redacts_credentials() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/auth_configs/*", Reply::json(200, auth_config_json()));
    let c = client(&s);
    let ac = c.auth_configs().get("ac_1").await.unwrap();
    assert_eq!(ac.name, "GitHub Auth");
    assert_eq!(ac.credentials.as_ref().unwrap()["client_secret"], json!("very-secret-value"));
    let debug = format!("{ac:?}");
    assert!(!debug.contains("very-secret-value"), "{debug}");
    assert!(!debug.contains("proxy-secret-key"), "{debug}");
    assert!(debug.contains("client_secret") && debug.contains("ac_1"));
    assert_eq!(s.requests_to("GET", "/api/v3.1/auth_configs/ac_1").len(), 1);

    // Round trip keeps every field, including unknown ones.
    let back = serde_json::to_value(&ac).unwrap();
    assert_eq!(back["brand_new_field"], json!({"x": 1}));
    assert_eq!(back["type"], json!("custom"));
}

#[tokio::test]
async fn get_not_found_is_a_typed_api_error() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/auth_configs/*", Reply::api_error(404, "Auth config not found"));
    let e = client(&s).auth_configs().get("ac_missing").await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    assert_eq!(e.status(), Some(404));
    let e = client(&s).auth_configs().get("").await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn update_sends_type_discriminated_body() {
    let s = MockServer::start().await;
    s.mock("PATCH", "/api/v3.1/auth_configs/*", Reply::json(200, json!({})));
    let c = client(&s);
    let update = AuthConfigUpdate::Custom {
        credentials: Some(obj(json!({"client_secret": "new-secret"}))),
        is_enabled_for_tool_router: Some(false),
        proxy_config: None,
        restrict_to_following_tools: None,
        shared_credentials: None,
        tool_access_config: Some(AuthConfigToolAccess {
            tools_available_for_execution: Some(vec!["A".into()]),
            tools_for_connected_account_creation: Some(vec![]),
            ..Default::default()
        }),
        name: Some("Renamed".into()),
        extra: Map::new(),
    };
    assert!(!format!("{update:?}").contains("new-secret"));
    let out = c.auth_configs().update("ac_1", update).await.unwrap();
    assert_eq!(out, json!({}));
    let req = &s.requests_to("PATCH", "/api/v3.1/auth_configs/ac_1")[0];
    assert_eq!(
        req.json(),
        json!({"type": "custom", "credentials": {"client_secret": "new-secret"}, "is_enabled_for_tool_router": false,
               "tool_access_config": {"tools_available_for_execution": ["A"], "tools_for_connected_account_creation": []},
               "name": "Renamed"})
    );

    s.clear_requests();
    let update = AuthConfigUpdate::Default {
        scopes: Some(json!(["repo", "user"])),
        user_scopes: None,
        is_enabled_for_tool_router: None,
        restrict_to_following_tools: None,
        shared_credentials: None,
        tool_access_config: None,
        extra: Map::new(),
    };
    c.auth_configs().update("ac_1", update).await.unwrap();
    assert_eq!(
        s.requests_to("PATCH", "/api/v3.1/auth_configs/ac_1")[0].json(),
        json!({"type": "default", "scopes": ["repo", "user"]})
    );
    assert_eq!(AuthConfigUpdate::custom().type_name(), "custom");
    assert_eq!(serde_json::to_value(AuthConfigUpdate::default_type()).unwrap(), json!({"type": "default"}));
    assert_eq!(serde_json::to_value(AuthConfigUpdate::custom()).unwrap(), json!({"type": "custom"}));
}

#[tokio::test]
async fn update_rejects_bad_scopes() {
    let s = MockServer::start().await;
    let update = AuthConfigUpdate::Default {
        scopes: Some(json!(42)),
        user_scopes: None,
        is_enabled_for_tool_router: None,
        restrict_to_following_tools: None,
        shared_credentials: None,
        tool_access_config: None,
        extra: Map::new(),
    };
    let e = client(&s).auth_configs().update("ac_1", update).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("scopes"));
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn delete_enable_disable_hit_the_right_paths_without_body() {
    let s = MockServer::start().await;
    s.mock("DELETE", "/api/v3.1/auth_configs/*", Reply::json(200, json!({})));
    s.mock("PATCH", "/api/v3.1/auth_configs/*/*", Reply::json(200, json!({})));
    let c = client(&s);
    assert_eq!(c.auth_configs().delete("ac_1").await.unwrap(), json!({}));
    c.auth_configs().enable("ac_1").await.unwrap();
    c.auth_configs().disable("ac_1").await.unwrap();
    assert_eq!(s.hits("DELETE", "/api/v3.1/auth_configs/ac_1"), 1);
    let enabled = s.requests_to("PATCH", "/api/v3.1/auth_configs/ac_1/ENABLED");
    let disabled = s.requests_to("PATCH", "/api/v3.1/auth_configs/ac_1/DISABLED");
    assert_eq!((enabled.len(), disabled.len()), (1, 1));
    assert!(enabled[0].body.is_empty() && disabled[0].body.is_empty());
    // Ids are path-encoded, never able to escape their segment.
    c.auth_configs().enable("a/b").await.unwrap();
    assert_eq!(s.hits("PATCH", "/api/v3.1/auth_configs/a%2Fb/ENABLED"), 1);
}

#[tokio::test]
async fn delete_errors_propagate() {
    let s = MockServer::start().await;
    s.mock("DELETE", "/api/v3.1/auth_configs/*", Reply::api_error(400, "in use"));
    let e = client(&s).auth_configs().delete("ac_1").await.unwrap_err();
    assert_eq!(e.code(), "BAD_REQUEST");
    assert!(matches!(e, Error::Api(_)));
}

#[test]
fn auth_scheme_names_round_trip() {
    for scheme in AuthScheme::ALL {
        assert_eq!(scheme.as_str().parse::<AuthScheme>().unwrap(), scheme);
        assert_eq!(scheme.to_string(), scheme.as_str());
        assert_eq!(serde_json::to_value(scheme).unwrap(), json!(scheme.as_str()));
    }
    assert_eq!("oauth2".parse::<AuthScheme>().unwrap(), AuthScheme::Oauth2);
    assert_eq!("S2S_OAUTH2".parse::<AuthScheme>().unwrap(), AuthScheme::S2sOauth2);
    assert_eq!("COMPOSIO_LINK".parse::<AuthScheme>().unwrap(), AuthScheme::ComposioLink);
    let e = "MAGIC".parse::<AuthScheme>().unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("MAGIC") && e.to_string().contains("OAUTH2"));
    let all: Vec<&str> = AuthScheme::ALL.iter().map(AuthScheme::as_str).collect();
    for name in [
        "OAUTH2",
        "OAUTH1",
        "API_KEY",
        "BASIC",
        "BILLCOM_AUTH",
        "BEARER_TOKEN",
        "GOOGLE_SERVICE_ACCOUNT",
        "NO_AUTH",
        "BASIC_WITH_JWT",
        "CALCOM_AUTH",
        "SERVICE_ACCOUNT",
        "SAML",
        "DCR_OAUTH",
        "S2S_OAUTH2",
        "COMPOSIO_LINK",
    ] {
        assert!(all.contains(&name), "{name}");
    }
}
