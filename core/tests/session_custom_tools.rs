//! Integration tests of session custom tools and toolkits (wire contract
//! §11.3) against a mock server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use async_trait::async_trait;
use composio_core::custom_tools::{CustomTool, CustomToolContext, CustomToolHandler};
use composio_core::models::{SessionConfig, SessionProxyParameter};
use composio_core::modifiers::Modifiers;
use composio_core::session_tools::SessionCustomToolkit;
use composio_core::sessions::Session;
use composio_core::{CallbackError, Composio, ComposioConfig, Error};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Map, Value};

const SESSION_PATH: &str = "/api/v3.1/tool_router/session";
const EXECUTE_PATH: &str = "/api/v3.1/tool_router/session/trs_1/execute";
const META_PATH: &str = "/api/v3.1/tool_router/session/trs_1/execute_meta";
const PROXY_PATH: &str = "/api/v3.1/tool_router/session/trs_1/proxy_execute";

fn client(s: &MockServer) -> Composio {
    Composio::new(ComposioConfig::new("test-key").with_base_url(s.url())).unwrap()
}

fn session_json(experimental: Value) -> Value {
    json!({
        "session_id": "trs_1",
        "mcp": {"type": "http", "url": "https://backend.composio.dev/tool_router/trs_1/mcp"},
        "tool_router_tools": ["COMPOSIO_SEARCH_TOOLS", "COMPOSIO_MULTI_EXECUTE_TOOL"],
        "config": {"user_id": "u1"},
        "experimental": experimental,
    })
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn n_schema() -> Value {
    json!({"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]})
}

/// Doubles `n`; reports the context it got.
struct Double;

#[async_trait]
impl CustomToolHandler for Double {
    async fn execute(
        &self,
        arguments: Map<String, Value>,
        ctx: CustomToolContext,
    ) -> composio_core::Result<Value> {
        let n = arguments["n"].as_i64().unwrap_or_default();
        Ok(json!({"n": n * 2, "user": ctx.user_id, "session": ctx.session_id()}))
    }
}

#[derive(Debug, PartialEq)]
struct ForeignError(u32);

/// Always fails with a callback error carrying a payload.
struct Fails;

#[async_trait]
impl CustomToolHandler for Fails {
    async fn execute(&self, _: Map<String, Value>, _: CustomToolContext) -> composio_core::Result<Value> {
        Err(Error::Callback(CallbackError::with_payload("tool exploded", Arc::new(ForeignError(7)))))
    }
}

/// Calls another local tool and a remote one through the context.
struct Chain;

#[async_trait]
impl CustomToolHandler for Chain {
    async fn execute(&self, _: Map<String, Value>, ctx: CustomToolContext) -> composio_core::Result<Value> {
        let local = ctx.execute("double", args(json!({"n": 21}))).await?;
        let remote = ctx.execute("GITHUB_STAR_REPO", args(json!({"owner": "a"}))).await?;
        Ok(json!({"local": local.data, "local_log": local.log_id, "remote": remote.data}))
    }
}

/// Proxies through the session.
struct Proxy;

#[async_trait]
impl CustomToolHandler for Proxy {
    async fn execute(&self, _: Map<String, Value>, ctx: CustomToolContext) -> composio_core::Result<Value> {
        let r = ctx
            .proxy_execute(
                "github",
                "/user/repos",
                "post",
                Some(json!({"name": "r"})),
                vec![SessionProxyParameter::header("X-Trace", 5), SessionProxyParameter::query("page", "2")],
            )
            .await?;
        Ok(json!({"status": r.status, "data": r.data}))
    }
}

fn double() -> CustomTool {
    CustomTool::new("double", "Double", "Doubles n.", n_schema(), Double).unwrap()
}

fn tool(slug: &str) -> CustomTool {
    CustomTool::new(slug, slug, "A tool.", json!({"type": "object"}), Double).unwrap()
}

fn crm_toolkit() -> SessionCustomToolkit {
    SessionCustomToolkit::new("crm", "CRM", "Customer records.").with_tool(
        CustomTool::new("find_contact", "Find contact", "Finds a contact.", n_schema(), Double).unwrap(),
    )
}

async fn create(s: &MockServer, config: SessionConfig, experimental: Value) -> Session {
    s.mock("POST", SESSION_PATH, Reply::json(201, session_json(experimental)));
    let session = client(s).create_session("u1", config).await.unwrap();
    s.clear_requests();
    session
}

#[tokio::test]
async fn create_body_carries_the_experimental_block() {
    let s = MockServer::start().await;
    let out_schema = json!({"type": "object", "properties": {"n": {"type": "integer"}}});
    let config = SessionConfig::new()
        .experimental(json!({"assistive_prompt_config": {"user_timezone": "Europe/Paris"}}))
        .custom_tool(double().with_output_parameters(out_schema.clone()))
        .custom_tool(tool("summarise_inbox").with_toolkit("gmail"))
        .custom_toolkit(crm_toolkit());
    s.mock("POST", SESSION_PATH, Reply::json(201, session_json(json!({}))));
    client(&s).create_session("u1", config).await.unwrap();
    let reqs = s.requests_to("POST", SESSION_PATH);
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        reqs[0].json(),
        json!({
            "user_id": "u1",
            "manage_connections": {"enable": true},
            "experimental": {
                "assistive_prompt_config": {"user_timezone": "Europe/Paris"},
                "custom_tools": [
                    {"slug": "double", "name": "Double", "description": "Doubles n.",
                     "input_schema": n_schema(), "output_schema": out_schema},
                    {"slug": "summarise_inbox", "name": "summarise_inbox", "description": "A tool.",
                     "input_schema": {"type": "object"}, "extends_toolkit": "gmail"}
                ],
                "custom_toolkits": [
                    {"slug": "crm", "name": "CRM", "description": "Customer records.", "tools": [
                        {"slug": "find_contact", "name": "Find contact", "description": "Finds a contact.",
                         "input_schema": n_schema()}
                    ]}
                ]
            }
        })
    );
    // Only toolkits: no `custom_tools` key; no user experimental object needed.
    let body = SessionConfig::new().custom_toolkit(crm_toolkit()).to_request_body("u1").unwrap();
    assert_eq!(body["experimental"].as_object().unwrap().keys().collect::<Vec<_>>(), vec!["custom_toolkits"]);
}

#[tokio::test]
async fn experimental_conflicts_are_rejected_before_any_request() {
    let s = MockServer::start().await;
    let c = client(&s);
    let config = SessionConfig::new().experimental(json!({"custom_tools": []})).custom_tool(double());
    let e = c.create_session("u1", config).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("experimental.custom_tools"), "{e}");
    // Raw JSON custom tools alone are still sent as given.
    let body = SessionConfig::new()
        .experimental(json!({"custom_tools": [{"slug": "x"}]}))
        .to_request_body("u1")
        .unwrap();
    assert_eq!(body["experimental"], json!({"custom_tools": [{"slug": "x"}]}));
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn slug_rules_are_enforced() {
    let s = MockServer::start().await;
    let c = client(&s);
    let mut bad_chars = tool("ok");
    bad_chars.slug = "has space".into();
    let long = "A".repeat(55);
    let cases: Vec<(SessionConfig, &str)> = vec![
        (SessionConfig::new().custom_tool(bad_chars), "has space"),
        (SessionConfig::new().custom_tool(tool("local_thing")), "local_thing"),
        (SessionConfig::new().custom_tool(tool("Composio_search")), "Composio_search"),
        (
            SessionConfig::new()
                .custom_toolkit(SessionCustomToolkit::new("LOCAL_tk", "t", "d").with_tool(tool("x"))),
            "LOCAL_tk",
        ),
        // LOCAL_ + 55 = 61 characters.
        (SessionConfig::new().custom_tool(tool(&long)), long.as_str()),
        // LOCAL_ + CRM_ + 50 = 60 is fine, but a toolkit pushes 52 over.
        (
            SessionConfig::new().custom_toolkit(
                SessionCustomToolkit::new("crm", "CRM", "d").with_tool(tool(&"B".repeat(52))),
            ),
            "BBBB",
        ),
        (SessionConfig::new().custom_tool(tool("dup")).custom_tool(tool("DUP")), "DUP"),
        (
            SessionConfig::new().custom_tool(tool("find_contact")).custom_toolkit(crm_toolkit()),
            "find_contact",
        ),
        (SessionConfig::new().custom_toolkit(crm_toolkit()).custom_toolkit(crm_toolkit()), "crm"),
        // LOCAL_A_B from a standalone tool and from toolkit a's tool b.
        (
            SessionConfig::new()
                .custom_tool(tool("a_b"))
                .custom_toolkit(SessionCustomToolkit::new("a", "A", "d").with_tool(tool("b"))),
            "LOCAL_A_B",
        ),
    ];
    for (config, needle) in cases {
        let e = c.create_session("u1", config).await.unwrap_err();
        assert_eq!(e.code(), "VALIDATION_ERROR", "{e}");
        assert!(e.to_string().contains(needle), "{needle}: {e}");
    }
    // Exactly 60 characters is accepted.
    let ok = SessionConfig::new().custom_tool(tool(&"C".repeat(54)));
    assert!(ok.to_request_body("u1").is_ok());
    assert!(s.requests().is_empty(), "invalid definitions send nothing");
}

#[tokio::test]
async fn slug_map_follows_the_response_and_falls_back_to_the_local_rule() {
    let s = MockServer::start().await;
    let experimental = json!({
        "custom_tools": [{"slug": "LOCAL_SERVER_DOUBLE", "original_slug": "double", "name": "Double"}],
        "custom_toolkits": [{"slug": "CRM", "original_slug": "crm", "tools": [
            {"slug": "LOCAL_CRM_FIND_CONTACT_V2", "original_slug": "FIND_CONTACT"}
        ]}]
    });
    let config = SessionConfig::new().custom_tool(double()).custom_toolkit(crm_toolkit());
    let session = create(&s, config, experimental).await;
    let slugs: Vec<String> = session.custom_tools(None).into_iter().map(|t| t.slug).collect();
    assert_eq!(slugs, vec!["LOCAL_SERVER_DOUBLE", "LOCAL_CRM_FIND_CONTACT_V2"]);
    for slug in ["LOCAL_SERVER_DOUBLE", "local_server_double", "double", "DOUBLE"] {
        let r = session.execute(slug, Some(args(json!({"n": 2})))).await.unwrap();
        assert_eq!(r.data["n"], 4, "{slug}");
    }
    let r = session.execute("find_contact", Some(args(json!({"n": 5})))).await.unwrap();
    assert_eq!(r.data["n"], 10);
    assert!(s.requests().is_empty());

    // Without echoed entries the final slugs are derived locally.
    let s2 = MockServer::start().await;
    let config = SessionConfig::new()
        .custom_tool(double())
        .custom_tool(tool("summarise").with_toolkit("gmail"))
        .custom_toolkit(crm_toolkit());
    let session = create(&s2, config, json!({"assistive_prompt": "hi"})).await;
    let slugs: Vec<String> = session.custom_tools(None).into_iter().map(|t| t.slug).collect();
    assert_eq!(slugs, vec!["LOCAL_DOUBLE", "LOCAL_GMAIL_SUMMARISE", "LOCAL_CRM_FIND_CONTACT"]);
    assert!(session.is_local_tool("local_crm_find_contact"));
    assert!(!session.is_local_tool("GITHUB_STAR_REPO"));
}

#[tokio::test]
async fn local_execute_makes_no_request_and_validates_arguments() {
    let s = MockServer::start().await;
    let session = create(&s, SessionConfig::new().custom_tool(double()), json!({})).await;
    let r = session.execute("LOCAL_DOUBLE", Some(args(json!({"n": 3})))).await.unwrap();
    assert_eq!(r.data, json!({"n": 6, "user": "u1", "session": "trs_1"}));
    assert_eq!(r.error, None);
    assert_eq!(r.log_id.as_deref(), Some(""));

    let r = session.execute("LOCAL_DOUBLE", Some(args(json!({"n": "three"})))).await.unwrap();
    let err = r.error.unwrap();
    assert!(err.contains("argument n ") && err.contains("integer"), "{err}");
    assert_eq!(r.data, json!({}));
    let r = session.execute("double", None).await.unwrap();
    assert!(r.error.unwrap().contains("missing required argument n"));
    assert!(s.requests().is_empty(), "local tools never touch the network");
}

#[tokio::test]
async fn handler_callback_errors_keep_their_payload() {
    let s = MockServer::start().await;
    let failing = CustomTool::new("explode", "Explode", "Fails.", json!({"type": "object"}), Fails).unwrap();
    let session = create(&s, SessionConfig::new().custom_tool(failing), json!({})).await;
    for result in [
        session.execute("LOCAL_EXPLODE", None).await.map(|_| ()),
        session.execute_meta("LOCAL_EXPLODE", Map::new(), &Modifiers::new()).await.map(|_| ()),
    ] {
        match result.unwrap_err() {
            Error::Callback(c) => {
                assert_eq!(c.message, "tool exploded");
                let payload = c.payload.expect("payload");
                assert_eq!(payload.downcast_ref::<ForeignError>(), Some(&ForeignError(7)));
            }
            other => panic!("expected a callback error, got {other:?}"),
        }
    }
    assert!(s.requests().is_empty());
}

fn multi(tools: Value) -> Map<String, Value> {
    args(json!({"tools": tools, "thought": "do things", "sync_response_to_workbench": false}))
}

#[tokio::test]
async fn multi_execute_splits_local_and_remote_items() {
    let s = MockServer::start().await;
    let failing = CustomTool::new("explode", "Explode", "Fails.", json!({"type": "object"}), Fails).unwrap();
    let session =
        create(&s, SessionConfig::new().custom_tool(double()).custom_tool(failing), json!({})).await;
    s.mock(
        "POST",
        META_PATH,
        Reply::json(
            200,
            json!({"data": {
                "results": [
                    {"index": 0, "tool_slug": "GITHUB_A", "response": {"successful": true, "data": {"a": 1}}},
                    {"index": 1, "tool_slug": "GITHUB_B", "response": {"successful": false, "data": {}}, "error": "nope"}
                ],
                "total_count": 2, "success_count": 1, "error_count": 1, "summary": "kept"
            }, "error": null, "log_id": "log_9"}),
        ),
    );
    let items = json!([
        {"tool_slug": "GITHUB_A", "arguments": {"x": 1}},
        {"tool_slug": "LOCAL_DOUBLE", "arguments": {"n": 4}},
        {"tool_slug": "GITHUB_B", "arguments": {}},
        {"tool_slug": "double", "arguments": {"n": "bad"}},
        {"tool_slug": "LOCAL_EXPLODE"}
    ]);
    let r =
        session.execute_meta("COMPOSIO_MULTI_EXECUTE_TOOL", multi(items), &Modifiers::new()).await.unwrap();

    let reqs = s.requests_to("POST", META_PATH);
    assert_eq!(reqs.len(), 1, "one remote call");
    assert_eq!(
        reqs[0].json(),
        json!({"slug": "COMPOSIO_MULTI_EXECUTE_TOOL", "arguments": {
            "tools": [{"tool_slug": "GITHUB_A", "arguments": {"x": 1}}, {"tool_slug": "GITHUB_B", "arguments": {}}],
            "thought": "do things", "sync_response_to_workbench": false
        }})
    );
    let results = r.data["results"].as_array().unwrap();
    let order: Vec<&str> = results.iter().map(|e| e["tool_slug"].as_str().unwrap()).collect();
    assert_eq!(order, vec!["GITHUB_A", "GITHUB_B", "LOCAL_DOUBLE", "double", "LOCAL_EXPLODE"]);
    let indices: Vec<u64> = results.iter().map(|e| e["index"].as_u64().unwrap()).collect();
    assert_eq!(indices, vec![0, 1, 2, 3, 4]);
    assert_eq!(
        results[2],
        json!({"response": {"successful": true, "data": {"n": 8, "user": "u1", "session": "trs_1"}},
               "tool_slug": "LOCAL_DOUBLE", "index": 2})
    );
    assert_eq!(results[3]["response"]["successful"], false);
    assert!(results[3]["error"].as_str().unwrap().contains("argument n "));
    assert_eq!(results[3]["response"]["error"], results[3]["error"]);
    assert_eq!(results[4]["error"], "tool exploded");
    assert_eq!(r.data["total_count"], 5);
    assert_eq!(r.data["success_count"], 2);
    assert_eq!(r.data["error_count"], 3);
    assert_eq!(r.data["summary"], "kept");
    assert_eq!(r.error.as_deref(), Some("3 out of 5 tools failed"));
    assert!(!r.successful);
    assert_eq!(r.log_id.as_deref(), Some("log_9"));
}

#[tokio::test]
async fn multi_execute_without_failures_keeps_the_remote_error_state() {
    let s = MockServer::start().await;
    let session = create(&s, SessionConfig::new().custom_tool(double()), json!({})).await;
    s.mock(
        "POST",
        META_PATH,
        Reply::json(200, json!({"data": {"results": [{"index": 0, "tool_slug": "GITHUB_A", "response": {"successful": true}}]}, "error": null, "log_id": "l"})),
    );
    let items = json!([{"tool_slug": "GITHUB_A"}, {"tool_slug": "LOCAL_DOUBLE", "arguments": {"n": 1}}]);
    let r =
        session.execute_meta("COMPOSIO_MULTI_EXECUTE_TOOL", multi(items), &Modifiers::new()).await.unwrap();
    assert!(r.successful);
    assert_eq!(r.error, None);
    assert_eq!(r.data["results"][1]["index"], 1);
    assert!(r.data.get("total_count").is_none(), "counts only when the remote data had them");
}

#[tokio::test]
async fn multi_execute_with_only_local_items_makes_no_request() {
    let s = MockServer::start().await;
    let session = create(&s, SessionConfig::new().custom_tool(double()), json!({})).await;
    // One local item: the local result, unwrapped.
    let items = json!([{"tool_slug": "LOCAL_DOUBLE", "arguments": {"n": 5}}]);
    let r =
        session.execute_meta("COMPOSIO_MULTI_EXECUTE_TOOL", multi(items), &Modifiers::new()).await.unwrap();
    assert_eq!(r.data, json!({"n": 10, "user": "u1", "session": "trs_1"}));
    assert!(r.successful);
    assert_eq!(r.log_id.as_deref(), Some(""));
    // Two local items: merged entries.
    let items = json!([{"tool_slug": "LOCAL_DOUBLE", "arguments": {"n": 1}}, {"tool_slug": "double", "arguments": {"n": 2}}]);
    let r =
        session.execute_meta("COMPOSIO_MULTI_EXECUTE_TOOL", multi(items), &Modifiers::new()).await.unwrap();
    let results = r.data["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[1]["response"]["data"]["n"], 4);
    assert_eq!(results[1]["index"], 1);
    assert!(r.successful);
    assert!(s.requests().is_empty());
    // No local items: passed through unchanged.
    s.mock(
        "POST",
        META_PATH,
        Reply::json(200, json!({"data": {"results": []}, "error": null, "log_id": "l"})),
    );
    let items = json!([{"tool_slug": "GITHUB_A"}]);
    session
        .execute_meta("COMPOSIO_MULTI_EXECUTE_TOOL", multi(items.clone()), &Modifiers::new())
        .await
        .unwrap();
    assert_eq!(s.requests_to("POST", META_PATH)[0].json()["arguments"]["tools"], items);
}

#[tokio::test]
async fn context_execute_runs_local_tools_first_then_the_session_endpoint() {
    let s = MockServer::start().await;
    let chain = CustomTool::new("chain", "Chain", "Chains.", json!({"type": "object"}), Chain).unwrap();
    let session = create(&s, SessionConfig::new().custom_tool(double()).custom_tool(chain), json!({})).await;
    s.mock(
        "POST",
        EXECUTE_PATH,
        Reply::json(200, json!({"data": {"starred": true}, "error": null, "log_id": "log_1"})),
    );
    let r = session.execute("LOCAL_CHAIN", None).await.unwrap();
    assert_eq!(
        r.data,
        json!({"local": {"n": 42, "user": "u1", "session": "trs_1"}, "local_log": "", "remote": {"starred": true}})
    );
    let reqs = s.requests();
    assert_eq!(reqs.len(), 1, "only the remote tool is posted");
    assert_eq!(reqs[0].path, EXECUTE_PATH);
    assert_eq!(reqs[0].json(), json!({"tool_slug": "GITHUB_STAR_REPO", "arguments": {"owner": "a"}}));
}

#[tokio::test]
async fn with_client_keeps_custom_tools_and_sends_through_the_new_client() {
    let (old, new) = (MockServer::start().await, MockServer::start().await);
    let chain = CustomTool::new("chain", "Chain", "Chains.", json!({"type": "object"}), Chain).unwrap();
    let session =
        create(&old, SessionConfig::new().custom_tool(double()).custom_tool(chain), json!({})).await;
    let moved = session.with_client(&client(&new));
    assert_eq!(moved.session_id, "trs_1");
    assert_eq!(
        moved.custom_tools(None).iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(),
        ["LOCAL_DOUBLE", "LOCAL_CHAIN"]
    );
    new.mock(
        "POST",
        EXECUTE_PATH,
        Reply::json(200, json!({"data": {"starred": true}, "error": null, "log_id": "log_1"})),
    );
    let r = moved.execute("LOCAL_CHAIN", None).await.unwrap();
    assert_eq!(r.data["local"], json!({"n": 42, "user": "u1", "session": "trs_1"}));
    assert_eq!(r.data["remote"], json!({"starred": true}));
    assert_eq!(new.hits("POST", EXECUTE_PATH), 1);
    assert!(old.requests().is_empty(), "the old client is not used");
}

#[tokio::test]
async fn context_proxy_execute_goes_through_the_session() {
    let s = MockServer::start().await;
    let proxy = CustomTool::new("proxy", "Proxy", "Proxies.", json!({"type": "object"}), Proxy).unwrap();
    let session = create(&s, SessionConfig::new().custom_tool(proxy.with_toolkit("github")), json!({})).await;
    s.mock("POST", PROXY_PATH, Reply::json(200, json!({"status": 201, "data": {"id": 1}})));
    let r = session.execute("LOCAL_GITHUB_PROXY", None).await.unwrap();
    assert_eq!(r.data, json!({"status": 201, "data": {"id": 1}}));
    let reqs = s.requests();
    assert_eq!(reqs.len(), 1, "no connected-account lookup for session tools");
    assert_eq!(
        reqs[0].json(),
        json!({"toolkit_slug": "github", "endpoint": "/user/repos", "method": "POST", "body": {"name": "r"},
               "parameters": [{"name": "X-Trace", "type": "header", "value": "5"},
                              {"name": "page", "type": "query", "value": "2"}]})
    );
}

#[tokio::test]
async fn context_without_a_session_rejects_session_calls() {
    let s = MockServer::start().await;
    let c = client(&s);
    c.register_custom_tool(
        CustomTool::new("chain", "Chain", "Chains.", json!({"type": "object"}), Chain).unwrap(),
    )
    .unwrap();
    let e = c.tools().execute("chain", Default::default(), &Modifiers::new()).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("ctx.execute"), "{e}");
}

#[tokio::test]
async fn listing_custom_tools_and_toolkits() {
    let s = MockServer::start().await;
    let config = SessionConfig::new()
        .custom_tool(double().with_output_parameters(json!({"type": "object", "properties": {"n": {}}})))
        .custom_tool(tool("summarise").with_toolkit("gmail"))
        .custom_toolkit(crm_toolkit());
    let session = create(&s, config, json!({})).await;
    let all = session.custom_tools(None);
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].slug, "LOCAL_DOUBLE");
    assert_eq!(all[0].original_slug, "double");
    assert_eq!(all[0].name, "Double");
    assert_eq!(all[0].description, "Doubles n.");
    assert_eq!(all[0].toolkit, None);
    assert_eq!(all[0].input_schema, n_schema());
    assert_eq!(all[0].output_schema, Some(json!({"type": "object", "properties": {"n": {}}})));
    assert_eq!(all[1].output_schema, None);
    let crm = session.custom_tools(Some("CRM"));
    assert_eq!(crm.len(), 1);
    assert_eq!(crm[0].slug, "LOCAL_CRM_FIND_CONTACT");
    assert_eq!(crm[0].toolkit.as_deref(), Some("crm"));
    assert_eq!(session.custom_tools(Some("gmail"))[0].slug, "LOCAL_GMAIL_SUMMARISE");
    assert!(session.custom_tools(Some("slack")).is_empty());
    let toolkits = session.custom_toolkits();
    assert_eq!(toolkits.len(), 1);
    assert_eq!((toolkits[0].slug.as_str(), toolkits[0].name.as_str()), ("crm", "CRM"));
    assert_eq!(toolkits[0].tools, crm);
}

#[tokio::test]
async fn client_registered_custom_tools_run_through_the_session() {
    let s = MockServer::start().await;
    s.mock("POST", SESSION_PATH, Reply::json(201, session_json(json!({}))));
    let c = client(&s);
    c.register_custom_tool(CustomTool::new("CLIENT_DOUBLE", "cd", "Doubles.", n_schema(), Double).unwrap())
        .unwrap();
    // A client tool with the same slug as a session tool loses to it.
    c.register_custom_tool(
        CustomTool::new("double", "shadowed", "Shadowed.", json!({"type": "object"}), Fails).unwrap(),
    )
    .unwrap();
    let session = c.create_session("u1", SessionConfig::new().custom_tool(double())).await.unwrap();
    s.clear_requests();
    let r = session.execute("client_double", Some(args(json!({"n": 8})))).await.unwrap();
    assert_eq!(r.data, json!({"n": 16, "user": "u1", "session": "trs_1"}));
    assert_eq!(r.log_id.as_deref(), Some(""));
    let r = session.execute("double", Some(args(json!({"n": 1})))).await.unwrap();
    assert_eq!(r.data["n"], 2, "session-local tools come first");
    let items = json!([{"tool_slug": "CLIENT_DOUBLE", "arguments": {"n": 2}}]);
    let r =
        session.execute_meta("COMPOSIO_MULTI_EXECUTE_TOOL", multi(items), &Modifiers::new()).await.unwrap();
    assert_eq!(r.data["n"], 4);
    assert!(s.requests().is_empty());

    // Restored sessions have no session tools, but client tools still run locally.
    s.mock("GET", "/api/v3.1/tool_router/session/trs_1", Reply::json(200, session_json(json!({}))));
    let restored = c.use_session("trs_1").await.unwrap();
    assert!(restored.custom_tools(None).is_empty());
    assert!(restored.custom_toolkits().is_empty());
    assert_eq!(restored.user_id(), Some("u1"));
    let r = restored.execute("CLIENT_DOUBLE", Some(args(json!({"n": 3})))).await.unwrap();
    assert_eq!(r.data["n"], 6);
    s.mock("POST", EXECUTE_PATH, Reply::json(200, json!({"data": {}, "error": null, "log_id": "log_2"})));
    let r = restored.execute("LOCAL_DOUBLE", None).await.unwrap();
    assert_eq!(r.log_id.as_deref(), Some("log_2"), "unknown to the restored session: sent to the API");
}
