//! composio-core against a real composio-local process (in-process server on
//! a free port, real HTTP): tools, toolkits, sessions, meta tools, provider
//! tool-call handling, custom tools and API errors end to end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::custom_tools::{CustomTool, CustomToolContext};
use composio_core::models::ToolExecuteParams;
use composio_core::modifiers::Modifiers;
use composio_core::providers::{format_tools, HandleToolCallsOptions};
use composio_core::tools::{GetToolsParams, ToolListParams};
use composio_core::{Composio, ComposioConfig, Flavor, Provider, SessionConfig, ToolkitVersions};
use composio_local::{spawn, LocalOptions, RunningServer};
use serde_json::{json, Map, Value};

const TEXT_VERSION: &str = "20251201_00";

async fn local() -> (RunningServer, Composio) {
    let server = spawn(LocalOptions::default()).await.unwrap();
    let client = Composio::new(
        ComposioConfig::new(server.api_key())
            .with_base_url(server.url())
            .with_toolkit_versions(ToolkitVersions::per_toolkit([("text", TEXT_VERSION)])),
    )
    .unwrap();
    (server, client)
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

#[tokio::test]
async fn lists_every_tool_page_by_page() {
    let (_server, c) = local().await;
    let mut params =
        ToolListParams { toolkit_slugs: vec!["text".into()], limit: Some(2), ..Default::default() };
    let mut slugs = Vec::new();
    loop {
        let page = c.tools().list(&params).await.unwrap();
        assert!(page.items.len() <= 2);
        slugs.extend(page.items.iter().map(|t| t.slug.clone()));
        match page.next_cursor {
            Some(cursor) if !cursor.is_empty() => params.cursor = Some(cursor),
            _ => break,
        }
    }
    assert!(slugs.len() >= 5, "{slugs:?}");
    assert!(slugs.contains(&"TEXT_WORD_COUNT".to_string()));
    let mut dedup = slugs.clone();
    dedup.dedup();
    assert_eq!(dedup.len(), slugs.len(), "no tool twice across pages");
}

#[tokio::test]
async fn gets_and_executes_pinned_tools() {
    let (_server, c) = local().await;
    let tool = c.tools().get_tool("TEXT_WORD_COUNT", None).await.unwrap();
    assert_eq!(tool.toolkit.slug, "text");
    assert_eq!(tool.version.as_deref(), Some(TEXT_VERSION));
    assert_eq!(tool.input_parameters["required"], json!(["text"]));

    let r = c
        .tools()
        .execute(
            "TEXT_WORD_COUNT",
            ToolExecuteParams::new("u1", args(json!({"text": "one two three"}))),
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert!(r.successful, "{r:?}");
    assert_eq!(r.data["words"], 3);

    let r = c
        .tools()
        .execute(
            "TEXT_TRANSFORM_CASE",
            ToolExecuteParams::new("u1", args(json!({"text": "Hello World", "case": "snake"}))),
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert!(r.successful, "{r:?}");
    assert!(r.data.to_string().contains("hello_world"), "{}", r.data);
}

#[tokio::test]
async fn tool_level_failures_and_api_errors_are_distinct() {
    let (server, c) = local().await;
    let r = c
        .tools()
        .execute("TEXT_WORD_COUNT", ToolExecuteParams::new("u1", Map::new()), &Modifiers::new())
        .await
        .unwrap();
    assert!(!r.successful);
    assert!(r.error.as_deref().unwrap_or_default().contains("text"), "{r:?}");

    let e = c.tools().get_tool("TEXT_NO_SUCH_TOOL", None).await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    assert_eq!(e.status(), Some(404));
    assert!(e.to_string().contains("TEXT_NO_SUCH_TOOL"));
    assert!(e.request_id().is_some());

    let wrong = Composio::new(ComposioConfig::new("ak_wrong_key").with_base_url(server.url())).unwrap();
    let e = wrong.toolkits().get("text").await.unwrap_err();
    assert_eq!(e.code(), "AUTHENTICATION_FAILED");
    assert!(!e.to_string().contains("ak_wrong_key"));
}

#[tokio::test]
async fn unpinned_manual_execution_needs_a_version() {
    let server = spawn(LocalOptions::default()).await.unwrap();
    let c = Composio::new(ComposioConfig::new(server.api_key()).with_base_url(server.url())).unwrap();
    let e = c
        .tools()
        .execute(
            "TEXT_WORD_COUNT",
            ToolExecuteParams::new("u1", args(json!({"text": "a"}))),
            &Modifiers::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "TOOL_VERSION_REQUIRED");
    let mut p = ToolExecuteParams::new("u1", args(json!({"text": "a b"})));
    p.dangerously_skip_version_check = true;
    let r = c.tools().execute("TEXT_WORD_COUNT", p, &Modifiers::new()).await.unwrap();
    assert_eq!(r.data["words"], 2);
}

#[tokio::test]
async fn toolkits_are_listed_and_described() {
    let (_server, c) = local().await;
    let page = c.toolkits().list(&Default::default()).await.unwrap();
    assert!(page.items.iter().any(|t| t.slug == "text"));
    let tk = c.toolkits().get("text").await.unwrap();
    assert_eq!(tk.slug, "text");
}

#[tokio::test]
async fn session_flow_tools_search_and_execute() {
    let (_server, c) = local().await;
    let session =
        c.create_session("demo_user", SessionConfig::new().toolkits(vec!["text".to_string()])).await.unwrap();
    assert!(session.session_id.starts_with("trs_"), "{}", session.session_id);
    assert!(session.mcp.url.contains(&session.session_id));

    let again = c.use_session(&session.session_id).await.unwrap();
    assert_eq!(again.session_id, session.session_id);

    let tools = session.tools(&Modifiers::new()).await.unwrap();
    assert!(tools.iter().any(|t| t.slug == "COMPOSIO_SEARCH_TOOLS"));
    let formatted = format_tools(&Provider::OpenAI, &tools, Flavor::TypeScript);
    assert_eq!(formatted[0]["type"], "function");
    assert!(formatted.iter().all(|f| f["function"]["parameters"]["type"] == "object"));

    let r = session.execute("TEXT_WORD_COUNT", Some(args(json!({"text": "a b c d"})))).await.unwrap();
    assert_eq!(r.data["words"], 4);

    let found = session
        .execute_meta(
            "COMPOSIO_SEARCH_TOOLS",
            args(json!({"queries": [{"use_case": "count the words in a text"}]})),
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert!(found.successful, "{found:?}");
    assert_eq!(found.data["results"][0]["primary_tool_slugs"][0], "TEXT_WORD_COUNT");

    let multi = session
        .execute_meta(
            "COMPOSIO_MULTI_EXECUTE_TOOL",
            args(json!({"tools": [
                {"tool_slug": "TEXT_WORD_COUNT", "arguments": {"text": "x y"}},
                {"tool_slug": "TEXT_EXTRACT_EMAILS", "arguments": {"text": "mail a@b.io now"}}
            ]})),
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert!(multi.successful, "{multi:?}");
    assert!(multi.data.to_string().contains("a@b.io"));
}

#[tokio::test]
async fn model_tool_calls_run_against_the_backend() {
    let (_server, c) = local().await;
    let response = json!({"choices": [{"message": {"role": "assistant", "tool_calls": [
        {"id": "call_a", "type": "function", "function": {"name": "TEXT_WORD_COUNT", "arguments": "{\"text\": \"hello big world\"}"}}
    ]}}]});
    let out = c
        .handle_tool_calls(
            "u1",
            &Provider::OpenAI,
            &response,
            Flavor::TypeScript,
            HandleToolCallsOptions::default(),
            &Modifiers::new(),
        )
        .await
        .unwrap();
    let content: Value = serde_json::from_str(out[0]["content"].as_str().unwrap()).unwrap();
    assert_eq!(content["data"]["words"], 3);
    assert_eq!(out[0]["tool_call_id"], "call_a");
}

#[tokio::test]
async fn custom_tools_sit_beside_backend_tools() {
    let (_server, c) = local().await;
    let reverse = CustomTool::new(
        "REVERSE_TEXT",
        "Reverse text",
        "Reverses a string.",
        json!({"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}),
        |a: Map<String, Value>, _ctx: CustomToolContext| {
            Ok(json!({"reversed": a["text"].as_str().unwrap_or_default().chars().rev().collect::<String>()}))
        },
    )
    .unwrap();
    c.register_custom_tool(reverse).unwrap();
    let params =
        GetToolsParams { tools: vec!["REVERSE_TEXT".into(), "TEXT_WORD_COUNT".into()], ..Default::default() };
    let tools = c.tools().get(&params, &Modifiers::new()).await.unwrap();
    let slugs: Vec<&str> = tools.iter().map(|t| t.slug.as_str()).collect();
    assert!(slugs.contains(&"REVERSE_TEXT") && slugs.contains(&"TEXT_WORD_COUNT"), "{slugs:?}");
    let r = c
        .tools()
        .execute(
            "REVERSE_TEXT",
            ToolExecuteParams::new("u1", args(json!({"text": "abc"}))),
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert_eq!(r.data["reversed"], "cba");
    let e = c
        .tools()
        .execute("REVERSE_TEXT", ToolExecuteParams::new("u1", Map::new()), &Modifiers::new())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("text"));
}

/// A custom tool that reports its own failure (`successful: false`), as
/// TypeScript custom tools can, without raising.
struct RefusesEmpty;

#[async_trait::async_trait]
impl composio_core::custom_tools::CustomToolHandler for RefusesEmpty {
    async fn execute(&self, _a: Map<String, Value>, _c: CustomToolContext) -> composio_core::Result<Value> {
        Ok(json!({}))
    }
    async fn execute_full(
        &self,
        a: Map<String, Value>,
        _c: CustomToolContext,
    ) -> composio_core::Result<composio_core::models::ToolExecuteResponse> {
        Ok(if a.get("text").and_then(Value::as_str).is_some_and(str::is_empty) {
            composio_core::models::ToolExecuteResponse::failure("text is empty")
        } else {
            composio_core::models::ToolExecuteResponse::success(json!({"ok": true}))
        })
    }
}

#[tokio::test]
async fn custom_tools_can_report_failure_results() {
    let (_server, c) = local().await;
    let schema = json!({"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]});
    c.register_custom_tool(
        CustomTool::new("CHECK_TEXT", "Check text", "Checks text.", schema, RefusesEmpty).unwrap(),
    )
    .unwrap();
    let r = c
        .tools()
        .execute("CHECK_TEXT", ToolExecuteParams::new("u1", args(json!({"text": ""}))), &Modifiers::new())
        .await
        .unwrap();
    assert!(!r.successful);
    assert_eq!(r.error.as_deref(), Some("text is empty"));
    let session =
        c.create_session("u1", SessionConfig::new().toolkits(vec!["text".to_string()])).await.unwrap();
    let r = session.execute("CHECK_TEXT", Some(args(json!({"text": ""})))).await.unwrap();
    assert_eq!(r.error.as_deref(), Some("text is empty"));
    let r = session.execute("CHECK_TEXT", Some(args(json!({"text": "x"})))).await.unwrap();
    assert_eq!(r.data["ok"], true);
}
