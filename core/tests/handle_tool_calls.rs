//! `Composio::handle_tool_calls`: a model response's tool calls executed
//! through the client (version check skipped, user id and modifiers applied)
//! and returned in the provider's format.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::modifiers::{AfterFn, BeforeFn, DeclarativeModifier, Modifier, Modifiers};
use composio_core::providers::HandleToolCallsOptions;
use composio_core::{Composio, ComposioConfig, Flavor, Provider};
use composio_testkit::{MockServer, Reply};
use serde_json::json;

fn openai_response() -> serde_json::Value {
    json!({"choices": [{"message": {"role": "assistant", "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "TEXT_WORD_COUNT", "arguments": "{\"text\":\"a b c\"}"}},
        {"id": "call_2", "type": "function", "function": {"name": "TEXT_UPPER", "arguments": "{\"text\":\"hi\"}"}}
    ]}}]})
}

#[tokio::test]
async fn executes_each_call_in_order_with_user_and_modifiers() {
    let s = MockServer::start().await;
    s.mock_fn("POST", "/api/v3.1/tools/execute/*", |r| {
        let slug = r.path.rsplit('/').next().unwrap().to_string();
        Reply::json(200, json!({"data": {"slug": slug, "args": r.json()["arguments"]}, "error": null, "successful": true, "log_id": "log_1"}))
    });
    s.mock_fn("GET", "/api/v3.1/tools/*", |r| {
        let slug = r.path.rsplit('/').next().unwrap().to_string();
        Reply::json(
            200,
            json!({"slug": slug, "toolkit": {"slug": "text"}, "version": "20251201_00",
            "input_parameters": {"type": "object", "properties": {"text": {"type": "string"}}}}),
        )
    });
    let c = Composio::new(ComposioConfig::new("k").with_base_url(s.url())).unwrap();
    let modifiers = Modifiers::new()
        .with(
            Modifier::declarative(DeclarativeModifier::FixValue { name: "lang".into(), value: json!("en") })
                .for_tools(["TEXT_UPPER"]),
        )
        .with(Modifier::before_execute(BeforeFn(
            |_: &str, _: &str, mut p: composio_core::models::ToolExecuteParams| {
                p.arguments.insert("seen".into(), json!(true));
                Ok(p)
            },
        )))
        .with(Modifier::after_execute(AfterFn(
            |tool: &str, toolkit: &str, mut r: composio_core::models::ToolExecuteResponse| {
                r.data["after"] = json!(format!("{tool}/{toolkit}"));
                Ok(r)
            },
        )));
    let out = c
        .handle_tool_calls(
            "user_1",
            &Provider::OpenAI,
            &openai_response(),
            Flavor::TypeScript,
            HandleToolCallsOptions::default(),
            &modifiers,
        )
        .await
        .unwrap();

    let posts = s.requests_to("POST", "/api/v3.1/tools/execute/*");
    assert_eq!(posts.len(), 2, "one POST per call");
    // Callback modifiers receive the toolkit slug, so each `latest` schema is read once.
    assert_eq!(s.requests_to("GET", "/api/v3.1/tools/*").len(), 2);
    assert!(posts[0].path.ends_with("TEXT_WORD_COUNT"));
    let body0 = posts[0].json();
    assert_eq!(body0["user_id"], "user_1");
    assert_eq!(body0["version"], "latest", "model-driven calls skip the version check");
    assert_eq!(body0["arguments"], json!({"text": "a b c", "seen": true}));
    assert_eq!(posts[1].json()["arguments"], json!({"text": "hi", "lang": "en", "seen": true}));

    let items = out.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["role"], "tool");
    assert_eq!(items[0]["tool_call_id"], "call_1");
    let content: serde_json::Value = serde_json::from_str(items[1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(content["data"]["after"], "TEXT_UPPER/text");
    assert_eq!(content["successful"], true);
}

#[tokio::test]
async fn python_flavour_returns_result_dicts_and_passes_options() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/*",
        Reply::json(200, json!({"data": {"n": 3}, "error": null, "successful": true})),
    );
    let c = Composio::new(ComposioConfig::new("k").with_base_url(s.url())).unwrap();
    let anthropic = json!({"content": [
        {"type": "text", "text": "counting"},
        {"type": "tool_use", "id": "tu_1", "name": "TEXT_WORD_COUNT", "input": {"text": "x y z"}}
    ]});
    let opts = HandleToolCallsOptions { connected_account_id: Some("ca_9".into()), ..Default::default() };
    let out = c
        .handle_tool_calls(
            "u",
            &Provider::Anthropic { cache_tools: false },
            &anthropic,
            Flavor::Python,
            opts,
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert_eq!(out, json!([{"data": {"n": 3}, "error": null, "successful": true}]));
    let body = s.requests_to("POST", "/api/v3.1/tools/execute/*")[0].json();
    assert_eq!(body["connected_account_id"], "ca_9");
    assert_eq!(body["arguments"], json!({"text": "x y z"}));
}

#[tokio::test]
async fn api_failures_surface_as_typed_errors() {
    let s = MockServer::start().await;
    s.mock("POST", "/api/v3.1/tools/execute/*", Reply::api_error(400, "No connected account found"));
    let c = Composio::new(ComposioConfig::new("k").with_base_url(s.url())).unwrap();
    let e = c
        .handle_tool_calls(
            "u",
            &Provider::OpenAI,
            &openai_response(),
            Flavor::Python,
            HandleToolCallsOptions::default(),
            &Modifiers::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "BAD_REQUEST");
    assert_eq!(
        s.hits("POST", "/api/v3.1/tools/execute/*"),
        1,
        "stops at the first failure, never retries a POST"
    );
    let e = c
        .handle_tool_calls("u", &Provider::OpenAI, &json!({"choices": [{"message": {"tool_calls": [{"type": "function", "function": {"name": "X", "arguments": "{not json"}}]}}]}), Flavor::Python, HandleToolCallsOptions::default(), &Modifiers::new())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
}
