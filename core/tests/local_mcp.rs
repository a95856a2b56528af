//! composio-core's MCP surface against a real in-process composio-local: the MCP servers API
//! (`Composio::mcp`) end to end, and the session's `mcp` config (URL + `x-api-key` header)
//! opening a working streamable-HTTP MCP endpoint.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::models::{McpCreateParams, McpListParams, McpToolkit, McpUpdateParams};
use composio_core::{Composio, ComposioConfig, SessionConfig};
use composio_local::{spawn, LocalOptions, RunningServer};
use serde_json::{json, Value};

async fn local() -> (RunningServer, Composio) {
    let server = spawn(LocalOptions::default()).await.unwrap();
    let client = Composio::new(ComposioConfig::new(server.api_key()).with_base_url(server.url())).unwrap();
    (server, client)
}

/// One JSON-RPC request over streamable HTTP (JSON response mode); returns status and body.
async fn rpc(url: &str, headers: &[(&str, &str)], method: &str, params: Value) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-06-18")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON answer ({status}): {text}")))
}

#[tokio::test]
async fn mcp_servers_api_round_trip() {
    let (server, c) = local().await;
    let created = c
        .mcp()
        .create(
            "core text server",
            McpCreateParams {
                toolkits: vec![McpToolkit::Slug("text".into())],
                manually_manage_connections: false,
                allowed_tools: Some(vec!["TEXT_WORD_COUNT".into()]),
            },
        )
        .await
        .unwrap();
    assert_eq!(created.toolkits, vec!["text"]);
    assert_eq!(created.allowed_tools, vec!["TEXT_WORD_COUNT"]);
    assert_eq!(created.mcp_url, format!("{}/v3/mcp/{}", server.url(), created.id));
    assert_eq!(created.managed_auth_via_composio, Some(true));

    let list =
        c.mcp().list(McpListParams { page_no: Some(1), limit: Some(5), ..Default::default() }).await.unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.current_page, Some(1.0));
    assert_eq!(list.total_pages, Some(1.0));

    let updated = c
        .mcp()
        .update(
            &created.id,
            McpUpdateParams {
                name: Some("renamed by core".into()),
                manually_manage_connections: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.name, "renamed by core");
    assert_eq!(updated.managed_auth_via_composio, Some(false));

    let instance = created.generate("core-user", None).await.unwrap();
    assert_eq!(instance.url, format!("{}?user_id=core-user", created.mcp_url));
    assert_eq!(instance.r#type, "streamable_http");
    assert_eq!(instance.allowed_tools, vec!["TEXT_WORD_COUNT"]);

    // The generated URL serves MCP.
    let (s, init) = rpc(
        &instance.url,
        &[],
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "core-test", "version": "1"}}),
    )
    .await;
    assert_eq!(s, 200, "{init}");
    assert_eq!(init["result"]["serverInfo"]["name"], "composio-local");
    let (_, tools) = rpc(&instance.url, &[], "tools/list", json!({})).await;
    let names: Vec<&str> =
        tools["result"]["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["TEXT_WORD_COUNT"]);

    // Server-side validation reaches core as an API error naming the problem.
    let err = c
        .mcp()
        .create(
            "bad toolkit",
            McpCreateParams { toolkits: vec![McpToolkit::Slug("github".into())], ..Default::default() },
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.to_string().contains("github"), "{err}");

    let deleted = c.mcp().delete(&created.id).await.unwrap();
    assert!(deleted.deleted);
    let err = c.mcp().get(&created.id).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn session_mcp_config_opens_the_session_endpoint() {
    let (server, c) = local().await;
    let session = c.create_session("mcp-user", SessionConfig::new()).await.unwrap();
    assert_eq!(session.mcp.url, format!("{}/tool_router/{}/mcp", server.url(), session.session_id));
    let headers: Vec<(&str, &str)> =
        session.mcp.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert!(headers.iter().any(|(k, _)| *k == "x-api-key"), "the SDK supplies the key header");

    let (s, init) = rpc(
        &session.mcp.url,
        &headers,
        "initialize",
        json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "core-test", "version": "1"}}),
    )
    .await;
    assert_eq!(s, 200, "{init}");
    let (_, tools) = rpc(&session.mcp.url, &headers, "tools/list", json!({})).await;
    let names: Vec<&str> =
        tools["result"]["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, session.tool_router_tools().iter().map(String::as_str).collect::<Vec<_>>());
    let (_, called) = rpc(
        &session.mcp.url,
        &headers,
        "tools/call",
        json!({"name": "COMPOSIO_GET_TOOL_SCHEMAS", "arguments": {"tool_slugs": ["TEXT_WORD_COUNT"]}}),
    )
    .await;
    assert_eq!(called["result"]["isError"], false, "{called}");
    let body: Value = serde_json::from_str(called["result"]["content"][0]["text"].as_str().unwrap()).unwrap();
    assert!(body["data"]["tool_schemas"]["TEXT_WORD_COUNT"].is_object(), "{body}");

    // Without the header the endpoint refuses.
    let (s, body) = rpc(&session.mcp.url, &[], "tools/list", json!({})).await;
    assert_eq!(s, 401, "{body}");
}
