//! Provider formats and tool-call handling, checked against goldens produced
//! by the official SDKs (tests/fixtures/providers, see its README.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::Mutex;

use async_trait::async_trait;
use composio_core::models::{Tool, ToolExecuteResponse};
use composio_core::providers::{
    enhance_schema_descriptions, format_tool, format_tool_results, format_tools, handle_tool_calls,
    js_json_stringify, parse_tool_calls, wrap_mcp_server, wrap_tools, Flavor, Provider, ToolCall,
    ToolCallExecutor,
};
use composio_core::{Error, Result};
use serde_json::{json, Map, Value};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/providers")
}

fn load(rel: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {rel}: {e}"))
}

fn tools() -> Vec<Tool> {
    serde_json::from_value(load("tools.json")).unwrap()
}

fn provider_for(name: &str) -> Provider {
    match name {
        "openai" => Provider::OpenAI,
        "openai_responses" | "openai_responses_items" => Provider::OpenAIResponses { strict: false },
        "openai_responses_strict" => Provider::OpenAIResponses { strict: true },
        "anthropic" => Provider::Anthropic { cache_tools: false },
        "anthropic_cache" => Provider::Anthropic { cache_tools: true },
        "google" => Provider::Google,
        other => panic!("unknown golden provider {other}"),
    }
}

fn response_for(name: &str) -> Value {
    match name {
        "openai" => load("responses/openai_chat.json"),
        "openai_responses" | "openai_responses_strict" => load("responses/openai_responses.json"),
        "openai_responses_items" => load("responses/openai_responses.json")["output"].clone(),
        n if n.starts_with("anthropic") => load("responses/anthropic.json"),
        "google" => load("responses/google.json"),
        other => panic!("no response for {other}"),
    }
}

/// Every golden file of one flavour: (file stem kind, provider name, path).
fn goldens(flavor_dir: &str) -> Vec<(String, String, String)> {
    let dir = fixtures().join("golden").join(flavor_dir);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let stem = name.trim_end_matches(".json");
        let (kind, provider) = stem.split_once('.').unwrap_or((stem, ""));
        out.push((kind.to_string(), provider.to_string(), format!("golden/{flavor_dir}/{name}")));
    }
    out.sort();
    out
}

fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// Mirrors `stub_result` in tests/fixtures/providers/stub_server.py.
fn stub_result(slug: &str) -> ToolExecuteResponse {
    let v = if slug == "GMAIL_FETCH_EMAILS" {
        json!({"data": {}, "error": "Gmail quota exceeded", "successful": false, "log_id": format!("log_{slug}")})
    } else {
        json!({
            "data": {"slug": slug, "message": "Créé ✓ — «ok» \"quoted\"", "count": 2,
                     "nested": {"a": [1, 2.5, null, true], "z": "é\n"}},
            "error": null, "successful": true, "log_id": format!("log_{slug}")
        })
    };
    serde_json::from_value(v).unwrap()
}

#[derive(Default)]
struct StubExecutor {
    calls: Mutex<Vec<Value>>,
    fail: Option<String>,
}

#[async_trait]
impl ToolCallExecutor for StubExecutor {
    async fn execute_tool_call(
        &self,
        slug: &str,
        arguments: Map<String, Value>,
    ) -> Result<ToolExecuteResponse> {
        self.calls.lock().unwrap().push(json!({"slug": slug, "arguments": arguments}));
        if self.fail.as_deref() == Some(slug) {
            return Err(Error::validation(format!("boom in {slug}")));
        }
        Ok(stub_result(slug))
    }
}

async fn check_flavor(dir: &str, flavor: Flavor) -> usize {
    let tools = tools();
    let mut checked = 0;
    for (kind, name, path) in goldens(dir) {
        let golden = load(&path);
        match kind.as_str() {
            "tools_get" => {
                let p = provider_for(&name);
                let ours = Value::Array(format_tools(&p, &tools, flavor));
                assert_eq!(text(&ours), text(&golden), "{path}");
                if !matches!(p, Provider::Anthropic { cache_tools: true }) || flavor == Flavor::TypeScript {
                    let single: Vec<Value> = tools.iter().map(|t| format_tool(&p, t, flavor)).collect();
                    assert_eq!(text(&Value::Array(single)), text(&golden), "{path} (format_tool)");
                }
            }
            "wrap_tools" => {
                let ours = Value::Array(wrap_tools(&provider_for(&name), &tools, flavor));
                assert_eq!(text(&ours), text(&golden), "{path}");
            }
            "handle" => {
                let p = provider_for(&name);
                let exec = StubExecutor::default();
                let ours = handle_tool_calls(&exec, &p, &response_for(&name), flavor).await.unwrap();
                assert_eq!(text(&ours), text(&golden["result"]), "{path}");
                let executed = Value::Array(exec.calls.lock().unwrap().clone());
                if flavor == Flavor::Python && name == "google" {
                    // Python's proto Struct reorders argument keys; compare as maps.
                    assert_eq!(executed, golden["executed"], "{path} executed");
                } else {
                    assert_eq!(text(&executed), text(&golden["executed"]), "{path} executed");
                }
            }
            "mcp" => {
                let url = "https://mcp.composio.dev/composio/server/abc/mcp?user_id=u1";
                for (key, p) in [
                    ("openai", Provider::OpenAI),
                    ("openai_responses", Provider::OpenAIResponses { strict: false }),
                    ("anthropic", Provider::Anthropic { cache_tools: false }),
                    ("google", Provider::Google),
                ] {
                    let ours = json!([wrap_mcp_server(&p, url, "github-server")]);
                    assert_eq!(text(&ours), text(&golden[key]), "{path} {key}");
                }
            }
            other => panic!("unknown golden kind {other} ({path})"),
        }
        checked += 1;
    }
    checked
}

#[tokio::test]
async fn typescript_goldens_match() {
    let n = check_flavor("ts", Flavor::TypeScript).await;
    assert!(n >= 20, "only {n} TypeScript goldens found");
}

#[tokio::test]
async fn python_goldens_match() {
    let n = check_flavor("py", Flavor::Python).await;
    assert!(n >= 15, "only {n} Python goldens found");
}

#[test]
fn provider_names_and_parsing() {
    assert_eq!(Provider::OpenAI.name(), "openai");
    assert_eq!(Provider::OpenAIResponses { strict: true }.name(), "openai_responses");
    assert_eq!(Provider::OpenAIResponses { strict: true }.name_for(Flavor::TypeScript), "openai");
    assert_eq!(Provider::Anthropic { cache_tools: true }.name(), "anthropic");
    assert_eq!(Provider::Google.to_string(), "google");
    assert_eq!("OpenAI".parse::<Provider>().unwrap(), Provider::OpenAI);
    assert_eq!("openai_responses".parse::<Provider>().unwrap(), Provider::OpenAIResponses { strict: false });
    assert_eq!("anthropic".parse::<Provider>().unwrap(), Provider::Anthropic { cache_tools: false });
    assert_eq!("gemini".parse::<Provider>().unwrap(), Provider::Google);
    let e = "langchain".parse::<Provider>().unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("langchain"));
}

#[test]
fn enhancement_matches_contract_example() {
    let mut tool: Tool = serde_json::from_value(json!({
        "slug": "GITHUB_STAR_REPO",
        "input_parameters": {"type": "object", "properties": {
            "owner": {"type": "string", "description": "Owner"},
            "n": {"type": "integer"},
            "tags": {"type": "array"},
            "flag": true
        }, "required": ["owner", "tags"]}
    }))
    .unwrap();
    enhance_schema_descriptions(&mut tool);
    let p = &tool.input_parameters["properties"];
    assert_eq!(
        p["owner"]["description"],
        "Owner. Please provide a value of type string. This parameter is required."
    );
    assert_eq!(p["n"]["description"], "Please provide a value of type integer.");
    assert_eq!(p["tags"]["description"], "This parameter is required.");
    assert_eq!(p["flag"], json!(true));
}

#[test]
fn parses_calls_of_every_provider() {
    let calls =
        parse_tool_calls(&Provider::OpenAI, &load("responses/openai_chat.json"), Flavor::Python).unwrap();
    assert_eq!(calls.len(), 3, "first choice only, every call");
    assert_eq!(calls[0].id.as_deref(), Some("call_1"));
    assert_eq!(calls[0].slug, "GITHUB_CREATE_AN_ISSUE");
    assert_eq!(calls[0].arguments["title"], "Crash on start — naïve fix");
    assert!(calls[2].arguments.is_empty(), "empty argument string is {{}}");

    let r = load("responses/openai_responses.json");
    let p = Provider::OpenAIResponses { strict: false };
    let calls = parse_tool_calls(&p, &r, Flavor::TypeScript).unwrap();
    assert_eq!(calls.iter().map(|c| c.id.clone().unwrap()).collect::<Vec<_>>(), ["call_a", "call_b"]);
    assert_eq!(parse_tool_calls(&p, &r["output"], Flavor::TypeScript).unwrap(), calls);

    let calls = parse_tool_calls(&Provider::Google, &load("responses/google.json"), Flavor::Python).unwrap();
    assert_eq!(
        calls.iter().map(|c| c.slug.as_str()).collect::<Vec<_>>(),
        ["GMAIL_FETCH_EMAILS", "HACKERNEWS_GET_FRONTPAGE", "SLACK_SEND_MESSAGE"]
    );
    let camel = json!({"candidates": [{"content": {"parts": [{"functionCall": {"name": "X", "args": {"a": 1}, "id": "fc1"}}]}}]});
    assert_eq!(
        parse_tool_calls(&Provider::Google, &camel, Flavor::TypeScript).unwrap(),
        vec![ToolCall {
            id: Some("fc1".into()),
            slug: "X".into(),
            arguments: json!({"a": 1}).as_object().unwrap().clone()
        }]
    );

    // Anthropic input given as a JSON string is accepted (normalizeToolArguments).
    let msg = json!({"content": [{"type": "tool_use", "id": "t1", "name": "X", "input": " {\"q\": 1} "}]});
    let calls =
        parse_tool_calls(&Provider::Anthropic { cache_tools: false }, &msg, Flavor::TypeScript).unwrap();
    assert_eq!(calls[0].arguments["q"], 1);
}

#[test]
fn typescript_openai_skips_non_function_calls_python_rejects_them() {
    let r = json!({"choices": [{"message": {"tool_calls": [
        {"id": "c1", "type": "custom", "custom": {"name": "X", "input": "hi"}},
        {"id": "c2", "type": "function", "function": {"name": "Y", "arguments": "{}"}}
    ]}}]});
    let calls = parse_tool_calls(&Provider::OpenAI, &r, Flavor::TypeScript).unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].slug, "Y");
    let e = parse_tool_calls(&Provider::OpenAI, &r, Flavor::Python).unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("tool_calls[0]"), "{e}");
}

#[test]
fn malformed_calls_are_validation_errors_naming_the_call() {
    let cases = [
        (
            Provider::OpenAI,
            json!({"choices": [{"message": {"tool_calls": [{"id": "c1", "type": "function", "function": {"name": "GITHUB_X", "arguments": "{not json"}}]}}]}),
            "GITHUB_X",
        ),
        (
            Provider::OpenAI,
            json!({"choices": [{"message": {"tool_calls": [{"id": "c1", "type": "function", "function": {"arguments": "{}"}}]}}]}),
            "tool_calls[0]",
        ),
        (
            Provider::OpenAI,
            json!({"choices": [{"message": {"tool_calls": [{"id": "c1", "type": "function", "function": {"name": "ARR", "arguments": "[1]"}}]}}]}),
            "ARR",
        ),
        (
            Provider::OpenAIResponses { strict: false },
            json!([{"type": "function_call", "call_id": "c", "name": "RESP_X", "arguments": "{\"a\":"}]),
            "RESP_X",
        ),
        (
            Provider::OpenAIResponses { strict: false },
            json!({"output": [{"type": "function_call", "call_id": "c", "arguments": "{}"}]}),
            "output[0]",
        ),
        (
            Provider::Anthropic { cache_tools: false },
            json!({"content": [{"type": "tool_use", "id": "t", "name": "ANT_X", "input": 5}]}),
            "ANT_X",
        ),
        (
            Provider::Anthropic { cache_tools: false },
            json!({"content": [{"type": "text", "text": "x"}, {"type": "tool_use", "id": "t", "input": {}}]}),
            "content[1]",
        ),
        (
            Provider::Google,
            json!({"candidates": [{"content": {"parts": [{"functionCall": {"args": {}}}]}}]}),
            "parts[0]",
        ),
        (
            Provider::Google,
            json!({"candidates": [{"content": {"parts": [{"function_call": {"name": "G_X", "args": "nope"}}]}}]}),
            "G_X",
        ),
        (Provider::OpenAI, json!({"id": "x"}), "choices"),
        (Provider::Anthropic { cache_tools: false }, json!({"id": "x"}), "content"),
        (Provider::OpenAIResponses { strict: false }, json!("text"), "Responses"),
    ];
    for (p, resp, needle) in cases {
        for flavor in [Flavor::Python, Flavor::TypeScript] {
            let e = parse_tool_calls(&p, &resp, flavor).unwrap_err();
            assert_eq!(e.code(), "VALIDATION_ERROR", "{resp}");
            assert!(e.to_string().contains(needle), "{e} should name {needle}");
        }
    }
}

#[test]
fn responses_without_calls_give_empty_results() {
    let exec = StubExecutor::default();
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let anth = Provider::Anthropic { cache_tools: true };
    let msg = json!({"content": [{"type": "text", "text": "hi"}]});
    let out = rt.block_on(handle_tool_calls(&exec, &anth, &msg, Flavor::TypeScript)).unwrap();
    assert_eq!(out, json!([]));
    let chat = json!({"choices": [{"message": {"role": "assistant", "content": "hi", "tool_calls": null}}]});
    let out = rt.block_on(handle_tool_calls(&exec, &Provider::OpenAI, &chat, Flavor::Python)).unwrap();
    assert_eq!(out, json!([]));
    let out = rt
        .block_on(handle_tool_calls(&exec, &Provider::OpenAI, &json!({"choices": []}), Flavor::Python))
        .unwrap();
    assert_eq!(out, json!([]));
    assert!(exec.calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn execution_errors_propagate_except_typescript_responses() {
    let exec = StubExecutor { fail: Some("GITHUB_CREATE_AN_ISSUE".into()), ..Default::default() };
    let p = Provider::OpenAIResponses { strict: false };
    let r = load("responses/openai_responses.json");
    let out = handle_tool_calls(&exec, &p, &r, Flavor::TypeScript).await.unwrap();
    assert_eq!(out[1]["status"], "incomplete");
    assert_eq!(out[1]["call_id"], "call_b");
    assert!(out[1]["output"].as_str().unwrap().contains("boom in GITHUB_CREATE_AN_ISSUE"));
    assert_eq!(out[0]["status"], "completed");

    let e = handle_tool_calls(&exec, &p, &r, Flavor::Python).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    let e =
        handle_tool_calls(&exec, &Provider::OpenAI, &load("responses/openai_chat.json"), Flavor::TypeScript)
            .await
            .unwrap_err();
    assert!(e.to_string().contains("boom"));
}

#[test]
fn format_tool_results_checks_lengths_and_shapes() {
    let calls = vec![ToolCall { id: Some("c1".into()), slug: "X".into(), arguments: Map::new() }];
    let e = format_tool_results(&Provider::OpenAI, &calls, &[], Flavor::TypeScript).unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    let mut r = ToolExecuteResponse::success(json!({"v": 1.0, "big": 1e21, "small": 1e-7, "x": 0.5}));
    r.session_info = Some(json!({"id": "s"}));
    let out = format_tool_results(&Provider::OpenAI, &calls, &[r], Flavor::TypeScript).unwrap();
    assert_eq!(
        out[0]["content"],
        r#"{"data":{"v":1,"big":1e+21,"small":1e-7,"x":0.5},"error":null,"successful":true,"sessionInfo":{"id":"s"}}"#
    );
    let py = format_tool_results(
        &Provider::OpenAI,
        &calls,
        &[ToolExecuteResponse::failure("bad")],
        Flavor::Python,
    )
    .unwrap();
    assert_eq!(text(&py), r#"[{"data":{},"error":"bad","successful":false}]"#);
}

#[test]
fn js_stringify_matches_javascript() {
    let v = json!({"s": "é\u{1}\t\"\\/", "n": [0.1, 100.0, 123456789012345680000.0, 0.000001, -2.5e-8], "u": u64::MAX});
    assert_eq!(
        js_json_stringify(&v),
        r#"{"s":"é\u0001\t\"\\/","n":[0.1,100,123456789012345680000,0.000001,-2.5e-8],"u":18446744073709551615}"#
    );
}

#[test]
fn typescript_strict_responses_keeps_required_only() {
    let tools = tools();
    let p = Provider::OpenAIResponses { strict: true };
    let out = format_tool(&p, &tools[2], Flavor::TypeScript);
    let props: Vec<&String> = out["parameters"]["properties"].as_object().unwrap().keys().collect();
    assert_eq!(props, ["page_token", "user_id"]);
    assert_eq!(out["parameters"]["additionalProperties"], false);
    assert_eq!(out["strict"], true);
}

#[test]
fn dangling_and_cyclic_refs_become_permissive_objects() {
    let tool: Tool = serde_json::from_value(json!({
        "slug": "T", "description": "d",
        "input_parameters": {"type": "object", "$defs": {"Node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/Node"}}}},
            "properties": {"missing": {"$ref": "#/$defs/Nope"}, "tree": {"$ref": "#/$defs/Node"}}}
    }))
    .unwrap();
    let out = format_tool(&Provider::Anthropic { cache_tools: false }, &tool, Flavor::Python);
    let s = &out["input_schema"];
    assert!(s.get("$defs").is_none());
    assert_eq!(s["properties"]["missing"]["additionalProperties"], true);
    assert!(s["properties"]["missing"]["description"].as_str().unwrap().contains("unresolved"));
    assert_eq!(
        s["properties"]["tree"]["properties"]["child"],
        json!({"type": "object", "additionalProperties": true})
    );
}
