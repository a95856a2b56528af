//! Integration tests of the toolkits API against a mock server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::toolkits::ToolkitListParams;
use composio_core::{Composio, ComposioConfig, RetryPolicy};
use composio_testkit::{MockServer, Reply};
use serde_json::json;

fn client(s: &MockServer) -> Composio {
    Composio::new(ComposioConfig::new("test-key").with_base_url(s.url()).with_retry(RetryPolicy::none()))
        .unwrap()
}

fn github_details() -> serde_json::Value {
    json!({
        "slug": "github", "name": "GitHub", "enabled": true, "is_local_toolkit": false,
        "base_url": "https://api.github.com",
        "composio_managed_auth_schemes": ["OAUTH2"],
        "get_current_user_endpoint": "/user",
        "meta": {"logo": "https://logos/github.png", "description": "Code hosting",
                 "categories": [{"slug": "dev", "name": "Developer tools"}],
                 "available_versions": ["20250909_00", "20251027_00"], "version": "20251027_00", "tools_count": 12},
        "auth_config_details": [
            {"mode": "OAUTH2", "name": "OAuth", "proxy": {"base_url": "https://api.github.com"},
             "fields": {
                "auth_config_creation": {
                    "required": [{"name": "client_id", "displayName": "Client ID", "description": "id", "type": "string", "required": true}],
                    "optional": [{"name": "scopes", "displayName": "Scopes", "description": "s", "type": "string", "required": true, "default": "repo"}]
                },
                "connected_account_initiation": {
                    "required": [],
                    "optional": [{"name": "subdomain", "displayName": "Subdomain", "description": "d", "type": "string", "required": false, "legacy_template_name": "sub"}]
                }
             }},
            {"mode": "API_KEY", "name": "Key", "fields": {
                "auth_config_creation": {"required": [], "optional": []},
                "connected_account_initiation": {"required": [{"name": "api_key", "displayName": "API key", "description": "k", "type": "string", "required": true}], "optional": []}
            }}
        ],
        "deprecated": {"toolkitId": "tk-uuid", "rawProxyInfoByAuthSchemes": []}
    })
}

#[tokio::test]
async fn list_sends_every_filter_and_keeps_unknown_fields() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/toolkits",
        Reply::json(
            200,
            json!({"items": [{"slug": "github", "name": "GitHub", "is_local_toolkit": false,
                "auth_schemes": ["OAUTH2"], "meta": {"categories": [{"id": "dev", "name": "Dev"}], "tools_count": 3},
                "deprecated": {"toolkitId": "x"}, "brand_new": 1}],
             "next_cursor": "c2", "total_pages": 2, "current_page": 1, "total_items": 2}),
        ),
    );
    let c = client(&s);
    let page = c
        .toolkits()
        .list(&ToolkitListParams {
            category: Some("dev".into()),
            managed_by: Some("composio".into()),
            sort_by: Some("usage".into()),
            search: Some("git hub".into()),
            include_deprecated: Some(false),
            limit: Some(5),
            cursor: Some("c1".into()),
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].auth_schemes, vec!["OAUTH2"]);
    assert_eq!(page.items[0].meta.categories[0].id.as_deref(), Some("dev"));
    assert_eq!(page.items[0].extra["deprecated"]["toolkitId"], "x");
    assert_eq!(page.items[0].extra["brand_new"], 1);
    assert_eq!(page.next_cursor.as_deref(), Some("c2"));

    let reqs = s.requests_to("GET", "/api/v3.1/toolkits");
    assert_eq!(reqs.len(), 1);
    let q = reqs[0].query_pairs();
    let expect = [
        ("category", "dev"),
        ("managed_by", "composio"),
        ("sort_by", "usage"),
        ("search", "git hub"),
        ("include_deprecated", "false"),
        ("limit", "5"),
        ("cursor", "c1"),
    ];
    for (k, v) in expect {
        assert_eq!(reqs[0].query_param(k).as_deref(), Some(v), "{k} in {q:?}");
    }
    assert_eq!(q.len(), expect.len());
}

#[tokio::test]
async fn list_rejects_bad_choices_without_a_request() {
    let s = MockServer::start().await;
    let c = client(&s);
    let e = c
        .toolkits()
        .list(&ToolkitListParams { managed_by: Some("everyone".into()), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("managed_by"));
    let e = c
        .toolkits()
        .list(&ToolkitListParams { sort_by: Some("name".into()), ..Default::default() })
        .await
        .unwrap_err();
    assert!(e.to_string().contains("sort_by"));
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn get_parses_details_and_categories_list() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/toolkits/github", Reply::json(200, github_details()));
    s.mock(
        "GET",
        "/api/v3.1/toolkits/categories",
        Reply::json(200, json!({"items": [{"id": "dev", "name": "Developer tools"}], "next_cursor": null})),
    );
    let c = client(&s);
    let tk = c.toolkits().get("github").await.unwrap();
    assert_eq!(tk.name, "GitHub");
    assert_eq!(tk.enabled, Some(true));
    assert_eq!(tk.meta.available_versions, vec!["20250909_00", "20251027_00"]);
    assert_eq!(tk.meta.categories[0].slug.as_deref(), Some("dev"));
    assert_eq!(tk.auth_config_details.len(), 2);
    assert_eq!(tk.auth_config_details[0].fields.auth_config_creation.required[0].display_name, "Client ID");
    assert_eq!(tk.extra["get_current_user_endpoint"], "/user");
    assert_eq!(tk.extra["deprecated"]["toolkitId"], "tk-uuid");
    // Serialising keeps the camelCase wire name.
    let back =
        serde_json::to_value(&tk.auth_config_details[0].fields.auth_config_creation.required[0]).unwrap();
    assert_eq!(back["displayName"], "Client ID");
    assert_eq!(back["type"], "string");

    let cats = c.toolkits().list_categories().await.unwrap();
    assert_eq!(cats.len(), 1);
    assert_eq!(cats[0].name, "Developer tools");
    assert_eq!(s.hits("GET", "/api/v3.1/toolkits/categories"), 1);
}

#[tokio::test]
async fn auth_field_helpers_pick_the_scheme() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/toolkits/github", Reply::json(200, github_details()));
    let c = client(&s);
    let t = c.toolkits();

    let all = t.get_auth_config_creation_fields("github", "OAUTH2", false).await.unwrap();
    let names: Vec<(&str, bool)> = all.iter().map(|f| (f.name.as_str(), f.required)).collect();
    assert_eq!(names, vec![("client_id", true), ("scopes", false)]);
    assert_eq!(all[1].default, Some(json!("repo")));

    let req = t.get_auth_config_creation_fields("github", "oauth2", true).await.unwrap();
    assert_eq!(req.len(), 1);

    let init = t.get_connected_account_initiation_fields("github", "OAUTH2", false).await.unwrap();
    assert_eq!(init.len(), 1);
    assert_eq!(init[0].name, "subdomain");
    assert_eq!(init[0].legacy_template_name.as_deref(), Some("sub"));
    let init = t.get_connected_account_initiation_fields("github", "API_KEY", true).await.unwrap();
    assert_eq!(init[0].name, "api_key");

    let e = t.get_auth_config_creation_fields("github", "BASIC", false).await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    let msg = e.to_string();
    assert!(msg.contains("auth scheme") && msg.contains("BASIC") && msg.contains("github"), "{msg}");
    assert!(msg.contains("OAUTH2"), "lists available schemes: {msg}");

    let e = t.get_auth_config_creation_fields("", "OAUTH2", false).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn unknown_toolkit_is_an_api_not_found() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/toolkits/nope", Reply::api_error(404, "Toolkit not found"));
    let c = client(&s);
    let e = c.toolkits().get("nope").await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    assert_eq!(e.status(), Some(404));
    let e = c.toolkits().get_connected_account_initiation_fields("nope", "OAUTH2", false).await.unwrap_err();
    assert_eq!(e.status(), Some(404));
}
