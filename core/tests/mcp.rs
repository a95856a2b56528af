//! Integration tests of the MCP servers API against a mock server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::models::{McpCreateParams, McpListParams, McpToolkit, McpUpdateParams};
use composio_core::{Composio, ComposioConfig};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Value};

fn client(s: &MockServer) -> Composio {
    Composio::new(ComposioConfig::new("test-key").with_base_url(s.url())).unwrap()
}

fn server_json(id: &str) -> Value {
    json!({
        "id": id, "name": "personal-mcp", "allowed_tools": ["GITHUB_CREATE_ISSUE"], "auth_config_ids": ["ac_1"],
        "toolkits": ["github"], "toolkit_icons": {"github": "https://l/gh.png"},
        "commands": {"claude": "claude mcp add", "cursor": "cursor add", "windsurf": "ws add"},
        "mcp_url": format!("https://mcp.composio.dev/{id}"), "server_instance_count": 2,
        "managed_auth_via_composio": true, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-02T00:00:00Z",
        "deleted": false, "future": "kept"
    })
}

#[tokio::test]
async fn create_sends_the_body_and_returns_a_server_with_generate() {
    let s = MockServer::start().await;
    s.mock("POST", "/api/v3.1/mcp/servers/custom", Reply::json(201, server_json("mcp_1")));
    s.mock("GET", "/api/v3.1/mcp/mcp_1", Reply::json(200, server_json("mcp_1")));
    s.mock(
        "POST",
        "/api/v3.1/mcp/servers/generate",
        Reply::json(200, json!({"mcp_url": "https://mcp/x", "user_ids_url": ["https://mcp/x?user_id=u1"], "connected_account_urls": []})),
    );
    let c = client(&s);
    let params = McpCreateParams {
        toolkits: vec![
            McpToolkit::with_auth_config("github", "ac_1"),
            "slack".into(),
            McpToolkit::WithAuthConfig { toolkit: "github".into(), auth_config_id: Some("ac_1".into()) },
            McpToolkit::WithAuthConfig { toolkit: "gmail".into(), auth_config_id: None },
        ],
        manually_manage_connections: false,
        allowed_tools: Some(vec!["GITHUB_CREATE_ISSUE".into(), "SLACK_SEND_MESSAGE".into()]),
    };
    let server = c.mcp().create("personal-mcp", params).await.unwrap();
    assert_eq!(server.id, "mcp_1");
    assert_eq!(server.commands.as_ref().unwrap().claude.as_deref(), Some("claude mcp add"));
    assert_eq!(server.server.extra["future"], json!("kept"));
    assert_eq!(
        s.requests_to("POST", "/api/v3.1/mcp/servers/custom")[0].json(),
        json!({"name": "personal-mcp", "toolkits": ["github", "slack", "gmail"], "auth_config_ids": ["ac_1"],
               "allowed_tools": ["GITHUB_CREATE_ISSUE", "SLACK_SEND_MESSAGE"], "managed_auth_via_composio": true})
    );

    let inst = server.generate("u1", None).await.unwrap();
    assert_eq!(inst.url, "https://mcp/x?user_id=u1");
    assert_eq!(inst.r#type, "streamable_http");

    // Manual connections, no allowed tools: the key is omitted.
    let params = McpCreateParams {
        toolkits: vec!["notion".into()],
        manually_manage_connections: true,
        allowed_tools: None,
    };
    c.mcp().create("notion-only", params).await.unwrap();
    assert_eq!(
        s.requests_to("POST", "/api/v3.1/mcp/servers/custom")[1].json(),
        json!({"name": "notion-only", "toolkits": ["notion"], "auth_config_ids": [], "managed_auth_via_composio": false})
    );
}

#[tokio::test]
async fn create_validates_name_and_toolkits() {
    let s = MockServer::start().await;
    let c = client(&s);
    let ok = || McpCreateParams { toolkits: vec!["github".into()], ..Default::default() };
    for name in ["abc", "", &"x".repeat(31)] {
        let e = c.mcp().create(name, ok()).await.unwrap_err();
        assert_eq!(e.code(), "VALIDATION_ERROR");
        assert!(e.to_string().contains("4 to 30 characters"), "{e}");
    }
    let e = c.mcp().create("good-name", McpCreateParams::default()).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("at least one toolkit"));
    let e = c
        .mcp()
        .create("good-name", McpCreateParams { toolkits: vec!["".into()], ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert_eq!(s.requests().len(), 0);
    // Boundaries are accepted (4 and 30 characters, counted as characters).
    s.mock("POST", "/api/v3.1/mcp/servers/custom", Reply::json(201, server_json("mcp_2")));
    c.mcp().create("abcd", ok()).await.unwrap();
    c.mcp().create(&"é".repeat(30), ok()).await.unwrap();
    assert_eq!(s.hits("POST", "/api/v3.1/mcp/servers/custom"), 2);
}

#[tokio::test]
async fn toolkit_entries_deserialize_from_sdk_shapes() {
    let p: McpCreateParams = serde_json::from_value(json!({
        "toolkits": ["slack", {"toolkit": "github", "auth_config_id": "ac_9"}, {"toolkit": "gmail"}],
        "allowed_tools": ["X"]
    }))
    .unwrap();
    assert_eq!(p.toolkits[0], McpToolkit::Slug("slack".into()));
    assert_eq!(p.toolkits[1].auth_config_id(), Some("ac_9"));
    assert_eq!(p.toolkits[2].toolkit(), "gmail");
    assert!(!p.manually_manage_connections);
}

#[tokio::test]
async fn list_uses_page_numbers_and_comma_lists() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/mcp/servers",
        Reply::json(200, json!({"items": [server_json("mcp_1"), server_json("mcp_2")], "current_page": 2, "total_pages": 5})),
    );
    let c = client(&s);
    let page = c
        .mcp()
        .list(McpListParams {
            page_no: Some(2),
            limit: Some(5),
            toolkits: vec!["github".into(), "slack".into()],
            auth_config_ids: vec!["ac_1".into()],
            name: Some("personal".into()),
            order_by: Some("created_at".into()),
            order_direction: Some("desc".into()),
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[1].id, "mcp_2");
    assert_eq!(page.current_page, Some(2.0));
    assert_eq!(page.total_pages, Some(5.0));
    let q = s.requests_to("GET", "/api/v3.1/mcp/servers")[0].query_pairs();
    let expect: Vec<(String, String)> = [
        ("page_no", "2"),
        ("limit", "5"),
        ("toolkits", "github,slack"),
        ("auth_config_ids", "ac_1"),
        ("name", "personal"),
        ("order_by", "created_at"),
        ("order_direction", "desc"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(q, expect);
    c.mcp().list(McpListParams::default()).await.unwrap();
    assert_eq!(s.requests_to("GET", "/api/v3.1/mcp/servers")[1].query, None);
}

#[tokio::test]
async fn get_update_and_delete() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/mcp/mcp_1", Reply::json(200, server_json("mcp_1")));
    s.mock("PATCH", "/api/v3.1/mcp/mcp_1", Reply::json(200, server_json("mcp_1")));
    s.mock("DELETE", "/api/v3.1/mcp/mcp_1", Reply::json(200, json!({"id": "mcp_1", "deleted": true})));
    s.mock("DELETE", "/api/v3.1/mcp/mcp_2", Reply::json(200, json!({})));
    s.mock("GET", "/api/v3.1/mcp/nope", Reply::api_error(404, "MCP server not found"));
    let c = client(&s);

    let server = c.mcp().get("mcp_1").await.unwrap();
    assert_eq!(server.toolkits, vec!["github"]);
    assert_eq!(server.server_instance_count, Some(2.0));
    assert_eq!(server.deleted, Some(false));
    assert_eq!(c.mcp().get("nope").await.unwrap_err().code(), "NOT_FOUND");

    c.mcp()
        .update(
            "mcp_1",
            McpUpdateParams {
                name: Some("renamed-server".into()),
                toolkits: Some(vec![McpToolkit::with_auth_config("github", "ac_2"), "slack".into()]),
                manually_manage_connections: Some(true),
                allowed_tools: Some(vec!["SLACK_SEND_MESSAGE".into()]),
            },
        )
        .await
        .unwrap();
    c.mcp()
        .update("mcp_1", McpUpdateParams { manually_manage_connections: Some(false), ..Default::default() })
        .await
        .unwrap();
    c.mcp().update("mcp_1", McpUpdateParams::default()).await.unwrap();
    let reqs = s.requests_to("PATCH", "/api/v3.1/mcp/mcp_1");
    assert_eq!(
        reqs[0].json(),
        json!({"name": "renamed-server", "toolkits": ["github", "slack"], "auth_config_ids": ["ac_2"],
               "allowed_tools": ["SLACK_SEND_MESSAGE"], "managed_auth_via_composio": false})
    );
    assert_eq!(reqs[1].json(), json!({"managed_auth_via_composio": true}));
    assert_eq!(reqs[2].json(), json!({}));
    let e = c
        .mcp()
        .update("mcp_1", McpUpdateParams { name: Some("x".into()), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert_eq!(s.hits("PATCH", "/api/v3.1/mcp/mcp_1"), 3);

    let d = c.mcp().delete("mcp_1").await.unwrap();
    assert_eq!((d.id.as_str(), d.deleted), ("mcp_1", true));
    let d = c.mcp().delete("mcp_2").await.unwrap();
    assert_eq!((d.id.as_str(), d.deleted), ("mcp_2", true));
    assert_eq!(c.mcp().delete("").await.unwrap_err().code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn generate_fetches_the_server_then_posts_generate() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/mcp/mcp_1", Reply::json(200, server_json("mcp_1")));
    s.mock(
        "POST",
        "/api/v3.1/mcp/servers/generate",
        Reply::json(
            200,
            json!({"mcp_url": "https://mcp.composio.dev/mcp_1", "user_ids_url": ["https://mcp.composio.dev/mcp_1?user_id=u1"],
                   "connected_account_urls": []}),
        ),
    );
    let c = client(&s);
    let inst = c.mcp().generate("u1", "mcp_1", None).await.unwrap();
    assert_eq!(inst.id, "mcp_1");
    assert_eq!(inst.name, "personal-mcp");
    assert_eq!(inst.r#type, "streamable_http");
    assert_eq!(inst.url, "https://mcp.composio.dev/mcp_1?user_id=u1");
    assert_eq!(inst.user_id, "u1");
    assert_eq!(inst.allowed_tools, vec!["GITHUB_CREATE_ISSUE"]);
    assert_eq!(inst.auth_configs, vec!["ac_1"]);
    assert_eq!(serde_json::to_value(&inst).unwrap()["type"], json!("streamable_http"));
    c.mcp().generate("u2", "mcp_1", Some(true)).await.unwrap();
    c.mcp().generate("u3", "mcp_1", Some(false)).await.unwrap();
    let order: Vec<String> = s.requests().iter().map(|r| format!("{} {}", r.method, r.path)).collect();
    assert_eq!(order[0], "GET /api/v3.1/mcp/mcp_1");
    assert_eq!(order[1], "POST /api/v3.1/mcp/servers/generate");
    let posts = s.requests_to("POST", "/api/v3.1/mcp/servers/generate");
    assert_eq!(
        posts[0].json(),
        json!({"mcp_server_id": "mcp_1", "user_ids": ["u1"], "managed_auth_by_composio": true})
    );
    assert_eq!(
        posts[1].json(),
        json!({"mcp_server_id": "mcp_1", "user_ids": ["u2"], "managed_auth_by_composio": false})
    );
    assert_eq!(
        posts[2].json(),
        json!({"mcp_server_id": "mcp_1", "user_ids": ["u3"], "managed_auth_by_composio": true})
    );

    // No URL generated → typed decode error; unknown server → API error before generate.
    s.mock("POST", "/api/v3.1/mcp/servers/generate", Reply::json(200, json!({"user_ids_url": []})));
    assert_eq!(c.mcp().generate("u1", "mcp_1", None).await.unwrap_err().code(), "DECODE_ERROR");
    s.mock("GET", "/api/v3.1/mcp/gone", Reply::api_error(404, "not found"));
    assert_eq!(c.mcp().generate("u1", "gone", None).await.unwrap_err().code(), "NOT_FOUND");
    assert_eq!(s.hits("POST", "/api/v3.1/mcp/servers/generate"), 4);
    assert_eq!(c.mcp().generate("", "mcp_1", None).await.unwrap_err().code(), "VALIDATION_ERROR");
}
