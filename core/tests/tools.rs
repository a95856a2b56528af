//! Integration tests of tools list/get/execute/proxy and custom tools against a mock server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use composio_core::custom_tools::{CustomTool, CustomToolContext, CustomToolHandler};
use composio_core::models::{ToolExecuteParams, ToolExecuteResponse};
use composio_core::modifiers::{AfterFn, BeforeFn, DeclarativeModifier, Modifier, Modifiers};
use composio_core::tools::{GetToolsParams, ProxyParameter, ProxyParams, ToolListParams};
use composio_core::{CallbackError, Composio, ComposioConfig, Error, RetryPolicy, ToolkitVersions};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Map, Value};

fn config(s: &MockServer) -> ComposioConfig {
    ComposioConfig::new("test-key").with_base_url(s.url()).with_retry(RetryPolicy::none())
}

fn client(s: &MockServer) -> Composio {
    Composio::new(config(s)).unwrap()
}

fn client_with(s: &MockServer, versions: ToolkitVersions) -> Composio {
    Composio::new(config(s).with_toolkit_versions(versions)).unwrap()
}

fn tool(slug: &str, toolkit: &str, version: &str) -> Value {
    json!({
        "slug": slug, "name": slug, "description": format!("Does {slug}."),
        "input_parameters": {"type": "object", "properties": {"owner": {"type": "string"}}, "required": ["owner"]},
        "output_parameters": {"type": "object", "properties": {"data": {"type": "object"}}},
        "toolkit": {"slug": toolkit, "name": toolkit, "logo": ""},
        "version": version, "available_versions": [version], "tags": [], "scopes": [],
        "no_auth": false, "is_deprecated": false, "status": "active",
        "deprecated": {"displayName": slug, "is_deprecated": false}
    })
}

fn page(items: Vec<Value>) -> Value {
    let n = items.len();
    json!({"items": items, "next_cursor": null, "total_pages": 1, "current_page": 1, "total_items": n})
}

fn ok_result(data: Value) -> Reply {
    Reply::json(200, json!({"data": data, "error": null, "successful": true, "log_id": "log_1"}))
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn params(user: &str, a: Value) -> ToolExecuteParams {
    ToolExecuteParams::new(user, args(a))
}

const PIN: &str = "20250909_00";

// ---------------------------------------------------------------------------
// list / get / get_tool

#[tokio::test]
async fn list_sends_every_filter_with_configured_versions() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(vec![tool("GITHUB_A", "github", PIN)])));
    let c = client(&s);
    let p = c
        .tools()
        .list(&ToolListParams {
            toolkit_slugs: vec!["github".into(), "slack".into()],
            tool_slugs: vec!["A".into(), "B".into()],
            search: Some("star repo".into()),
            tags: vec!["readOnlyHint".into(), "x".into()],
            scopes: vec!["repo".into()],
            auth_config_ids: vec!["ac_1".into(), "ac_2".into()],
            important: Some(true),
            include_deprecated: Some(false),
            limit: Some(5),
            cursor: Some("cur".into()),
            toolkit_versions: None,
        })
        .await
        .unwrap();
    assert_eq!(p.items[0].slug, "GITHUB_A");
    assert_eq!(p.items[0].extra["status"], "active");
    let r = &s.requests_to("GET", "/api/v3.1/tools")[0];
    let expect = [
        ("toolkit_slug", "github,slack"),
        ("tool_slugs", "A,B"),
        ("search", "star repo"),
        ("tags", "readOnlyHint,x"),
        ("scopes", "repo"),
        ("auth_config_ids", "ac_1,ac_2"),
        ("important", "true"),
        ("include_deprecated", "false"),
        ("limit", "5"),
        ("cursor", "cur"),
        ("toolkit_versions", "latest"),
    ];
    for (k, v) in expect {
        assert_eq!(r.query_param(k).as_deref(), Some(v), "{k}");
    }
    assert_eq!(r.query_pairs().len(), expect.len());
    assert!(r.query.as_deref().unwrap().contains("toolkit_slug=github%2Cslack"));

    // Per-toolkit versions use the bracket format; an override replaces them.
    let c = client_with(&s, ToolkitVersions::per_toolkit([("GitHub", PIN)]));
    s.clear_requests();
    c.tools().list(&ToolListParams::default()).await.unwrap();
    let r = &s.requests()[0];
    assert_eq!(r.query_pairs(), vec![("toolkit_versions[github]".to_string(), PIN.to_string())]);
    s.clear_requests();
    c.tools()
        .list(&ToolListParams {
            toolkit_versions: Some(ToolkitVersions::global("20251027_00")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(s.requests()[0].query_param("toolkit_versions").as_deref(), Some("20251027_00"));

    let e =
        c.tools().list(&ToolListParams { tags: vec!["a,b".into()], ..Default::default() }).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("tags"));
}

#[tokio::test]
async fn get_validates_like_the_official_sdks() {
    let s = MockServer::start().await;
    let c = client(&s);
    let e = c.tools().get(&GetToolsParams::default(), &Modifiers::new()).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    let msg = e.to_string();
    for name in ["tools", "toolkits", "search", "auth_config_ids"] {
        assert!(msg.contains(name), "{msg}");
    }
    let e = c
        .tools()
        .get(
            &GetToolsParams { tools: vec!["A".into()], limit: Some(3), ..Default::default() },
            &Modifiers::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("limit"));
    let e = c
        .tools()
        .get(&GetToolsParams { tags: vec!["x".into()], ..Default::default() }, &Modifiers::new())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn get_tools_and_toolkits_makes_two_requests_and_applies_schema_modifiers() {
    let s = MockServer::start().await;
    s.mock_fn("GET", "/api/v3.1/tools", |r| {
        if r.query_param("tool_slugs").is_some() {
            Reply::json(200, page(vec![tool("GITHUB_B", "github", PIN), tool("GITHUB_A", "github", PIN)]))
        } else {
            Reply::json(200, page(vec![tool("SLACK_SEND", "slack", PIN), tool("GITHUB_A", "github", PIN)]))
        }
    });
    let c = client(&s);
    let local = CustomTool::new(
        "MY_LOCAL",
        "mine",
        "A local tool.",
        json!({"type": "object", "properties": {}}),
        |_: Map<String, Value>, _: CustomToolContext| Ok(json!({})),
    )
    .unwrap();
    c.register_custom_tool(local).unwrap();
    let modifiers = Modifiers::new()
        .with(
            Modifier::declarative(DeclarativeModifier::AppendDescription { text: "(gh)".into() })
                .for_toolkits(["github"]),
        )
        .with(Modifier::schema(|_: &str, _: &str, mut t: composio_core::models::Tool| {
            t.description = format!("[{}]", t.description);
            Ok(t)
        }));
    let tools = c
        .tools()
        .get(
            &GetToolsParams {
                tools: vec!["GITHUB_A".into(), "my_local".into(), "GITHUB_B".into()],
                toolkits: vec!["slack".into()],
                search: Some("send".into()),
                scopes: vec!["chat:write".into()],
                limit: Some(10),
                ..Default::default()
            },
            &modifiers,
        )
        .await
        .unwrap();
    let slugs: Vec<&str> = tools.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["GITHUB_A", "MY_LOCAL", "GITHUB_B", "SLACK_SEND"]);
    assert_eq!(tools[0].description, "[Does GITHUB_A. (gh)]");
    assert_eq!(tools[3].description, "[Does SLACK_SEND.]");

    let reqs = s.requests_to("GET", "/api/v3.1/tools");
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].query_param("tool_slugs").as_deref(), Some("GITHUB_A,GITHUB_B"));
    assert_eq!(reqs[0].query_param("limit").as_deref(), Some("2"));
    assert_eq!(reqs[0].query_param("toolkit_versions").as_deref(), Some("latest"));
    assert_eq!(reqs[1].query_param("toolkit_slug").as_deref(), Some("slack"));
    assert_eq!(reqs[1].query_param("search").as_deref(), Some("send"));
    assert_eq!(reqs[1].query_param("scopes").as_deref(), Some("chat:write"));
    assert_eq!(reqs[1].query_param("limit").as_deref(), Some("10"));
    assert_eq!(reqs[1].query_param("tool_slugs"), None);
    // `latest` schemas are never cached.
    assert_eq!(c.cached_schema_count(), 0);
}

#[tokio::test]
async fn get_reports_unknown_slugs_and_serves_custom_tools_locally() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(vec![tool("GITHUB_A", "github", PIN)])));
    let c = client(&s);
    let e = c
        .tools()
        .get(
            &GetToolsParams { tools: vec!["GITHUB_A".into(), "GITHUB_NOPE".into()], ..Default::default() },
            &Modifiers::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    assert!(e.to_string().contains("GITHUB_NOPE"));

    s.clear_requests();
    let local = CustomTool::new(
        "LOCAL_ONLY",
        "l",
        "Local.",
        json!({"type": "object"}),
        |_: Map<String, Value>, _: CustomToolContext| Ok(json!(1)),
    )
    .unwrap();
    c.register_custom_tool(local).unwrap();
    let got = c
        .tools()
        .get(&GetToolsParams { tools: vec!["LOCAL_ONLY".into()], ..Default::default() }, &Modifiers::new())
        .await
        .unwrap();
    assert_eq!(got[0].slug, "LOCAL_ONLY");
    assert_eq!(got[0].toolkit.slug, "custom");
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn pinned_schemas_are_cached_and_latest_is_not() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(vec![tool("GITHUB_A", "github", PIN)])));
    s.mock("GET", "/api/v3.1/tools/*", Reply::json(200, tool("GITHUB_A", "github", PIN)));
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    let p = GetToolsParams { tools: vec!["GITHUB_A".into()], ..Default::default() };
    c.tools().get(&p, &Modifiers::new()).await.unwrap();
    assert_eq!(s.requests().len(), 1);
    assert_eq!(s.requests()[0].query_param("toolkit_versions[github]").as_deref(), Some(PIN));
    assert_eq!(c.cached_schema_count(), 1);
    let again = c.tools().get(&p, &Modifiers::new()).await.unwrap();
    assert_eq!(again[0].slug, "GITHUB_A");
    let one = c.tools().get_tool("GITHUB_A", None).await.unwrap();
    assert_eq!(one.version.as_deref(), Some(PIN));
    assert_eq!(s.requests().len(), 1, "served from the cache");

    // A client at `latest` fetches every time.
    let s2 = MockServer::start().await;
    s2.mock("GET", "/api/v3.1/tools/*", Reply::json(200, tool("GITHUB_A", "github", PIN)));
    let c2 = client(&s2);
    c2.tools().get_tool("GITHUB_A", None).await.unwrap();
    c2.tools().get_tool("GITHUB_A", None).await.unwrap();
    assert_eq!(s2.hits("GET", "/api/v3.1/tools/GITHUB_A"), 2);
    assert_eq!(s2.requests()[0].query_param("toolkit_versions").as_deref(), Some("latest"));
    // An explicit version is sent as `version` and is cached.
    c2.tools().get_tool("GITHUB_A", Some(PIN)).await.unwrap();
    c2.tools().get_tool("GITHUB_A", Some(PIN)).await.unwrap();
    let reqs = s2.requests_to("GET", "/api/v3.1/tools/GITHUB_A");
    assert_eq!(reqs.len(), 3);
    assert_eq!(reqs[2].query_pairs(), vec![("version".to_string(), PIN.to_string())]);
}

// ---------------------------------------------------------------------------
// execute

#[tokio::test]
async fn pinned_execute_is_one_request_when_warm_and_two_when_cold() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools/*", Reply::json(200, tool("GITHUB_STAR", "github", PIN)));
    s.mock("POST", "/api/v3.1/tools/execute/*", ok_result(json!({"starred": true})));
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));

    let r = c
        .tools()
        .execute("GITHUB_STAR", params("u1", json!({"owner": "a"})), &Modifiers::new())
        .await
        .unwrap();
    assert!(r.successful);
    assert_eq!(r.data, json!({"starred": true}));
    assert_eq!(r.log_id.as_deref(), Some("log_1"));
    assert_eq!(s.requests().len(), 2, "cold: GET + POST");
    assert_eq!(s.requests()[0].method, "GET");

    s.clear_requests();
    c.tools().execute("GITHUB_STAR", params("u1", json!({"owner": "b"})), &Modifiers::new()).await.unwrap();
    let reqs = s.requests();
    assert_eq!(reqs.len(), 1, "warm: exactly one request");
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].path, "/api/v3.1/tools/execute/GITHUB_STAR");
    assert_eq!(reqs[0].json(), json!({"arguments": {"owner": "b"}, "user_id": "u1", "version": PIN}));
}

#[tokio::test]
async fn global_or_explicit_version_needs_no_schema_fetch() {
    let s = MockServer::start().await;
    s.mock("POST", "/api/v3.1/tools/execute/*", ok_result(json!({})));
    let c = client_with(&s, ToolkitVersions::global("20251027_00"));
    c.tools().execute("GITHUB_STAR", params("u1", json!({"owner": "a"})), &Modifiers::new()).await.unwrap();
    let reqs = s.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].json()["version"], "20251027_00");

    let s = MockServer::start().await;
    s.mock("POST", "/api/v3.1/tools/execute/*", ok_result(json!({})));
    let c = client(&s);
    let mut p = params("u1", json!({}));
    p.version = Some(PIN.into());
    c.tools().execute("GITHUB_STAR", p, &Modifiers::new()).await.unwrap();
    assert_eq!(s.requests().len(), 1);
    assert_eq!(s.requests()[0].json()["version"], PIN);
}

#[tokio::test]
async fn latest_requires_a_version_or_the_skip_flag() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools/*", Reply::json(200, tool("GITHUB_STAR", "github", PIN)));
    s.mock("POST", "/api/v3.1/tools/execute/*", ok_result(json!({})));
    let c = client(&s);
    let e = c.tools().execute("GITHUB_STAR", params("u1", json!({})), &Modifiers::new()).await.unwrap_err();
    assert_eq!(e.code(), "TOOL_VERSION_REQUIRED");
    assert!(matches!(&e, Error::ToolVersionRequired { tool } if tool == "GITHUB_STAR"));
    assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/*"), 0);

    // Per-toolkit map without this toolkit resolves to latest too (after a GET).
    let c2 = client_with(&s, ToolkitVersions::per_toolkit([("slack", PIN)]));
    let e = c2.tools().execute("GITHUB_STAR", params("u1", json!({})), &Modifiers::new()).await.unwrap_err();
    assert_eq!(e.code(), "TOOL_VERSION_REQUIRED");
    assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/*"), 0);

    let mut p = params("u1", json!({"owner": "a"}));
    p.dangerously_skip_version_check = true;
    c.tools().execute("GITHUB_STAR", p, &Modifiers::new()).await.unwrap();
    let posts = s.requests_to("POST", "/api/v3.1/tools/execute/*");
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].json(), json!({"arguments": {"owner": "a"}, "user_id": "u1", "version": "latest"}));
}

#[tokio::test]
async fn execute_body_has_exact_keys_and_passes_objects_through() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/*",
        Reply::json(200, json!({"data": {}, "error": "Repository not found", "successful": false, "log_id": "l2", "extra_key": 1})),
    );
    let c = client_with(&s, ToolkitVersions::global(PIN));
    let custom_auth = json!({"base_url": "https://x", "parameters": [{"name": "k", "in": "header", "value": 3}], "body": {"a": 1}});
    let conn = json!({"authScheme": "OAUTH2", "toolkitSlug": "github", "val": {"access_token": "t"}});
    let p = ToolExecuteParams {
        arguments: args(json!({"owner": "a"})),
        user_id: Some("u1".into()),
        connected_account_id: Some("ca_1".into()),
        custom_auth_params: Some(custom_auth.clone()),
        custom_connection_data: Some(conn.clone()),
        version: None,
        text: Some("star it".into()),
        dangerously_skip_version_check: false,
        allow_tracing: Some(true),
    };
    let r = c.tools().execute("GITHUB_STAR", p, &Modifiers::new()).await.unwrap();
    assert!(!r.successful);
    assert_eq!(r.error.as_deref(), Some("Repository not found"));
    assert_eq!(r.extra["extra_key"], 1);
    let body = s.requests()[0].json();
    assert_eq!(
        body,
        json!({"arguments": {"owner": "a"}, "user_id": "u1", "connected_account_id": "ca_1", "version": PIN,
               "text": "star it", "custom_auth_params": custom_auth, "custom_connection_data": conn, "allow_tracing": true})
    );
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "arguments",
            "user_id",
            "connected_account_id",
            "version",
            "text",
            "custom_auth_params",
            "custom_connection_data",
            "allow_tracing"
        ]
    );
}

#[tokio::test]
async fn api_errors_are_typed() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/*",
        Reply::json(
            400,
            json!({"error": {"message": "No connected account found", "code": 1803, "status": 400}}),
        ),
    );
    let c = client_with(&s, ToolkitVersions::global(PIN));
    let e = c.tools().execute("GITHUB_STAR", params("u1", json!({})), &Modifiers::new()).await.unwrap_err();
    assert_eq!(e.code(), "CONNECTED_ACCOUNT_NOT_FOUND");
    assert_eq!(e.status(), Some(400));
    assert_eq!(s.requests().len(), 1, "execute is not retried");
}

#[tokio::test]
async fn modifiers_run_in_order_with_the_toolkit() {
    let s = MockServer::start().await;
    let mut t = tool("GITHUB_STAR", "github", PIN);
    t["input_parameters"]["properties"]["debug"] = json!({"type": "boolean"});
    s.mock("GET", "/api/v3.1/tools/*", Reply::json(200, t));
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/*",
        ok_result(json!({"items": [{"name": "a", "id": 1}], "noise": 2})),
    );
    let c = client_with(&s, ToolkitVersions::global(PIN));
    let log: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let (l1, l2, l3) = (log.clone(), log.clone(), log.clone());
    let modifiers = Modifiers::new()
        .with(Modifier::before_execute(BeforeFn(
            move |tool: &str, toolkit: &str, mut p: ToolExecuteParams| {
                l1.lock()
                    .unwrap()
                    .push(format!("before1 {tool} {toolkit} {:?}", p.arguments.keys().collect::<Vec<_>>()));
                p.arguments.insert("added".into(), json!(true));
                Ok(p)
            },
        )))
        .with(Modifier::declarative(DeclarativeModifier::RenameParameter {
            from: "owner".into(),
            to: "account".into(),
        }))
        .with(
            Modifier::declarative(DeclarativeModifier::FixValue {
                name: "debug".into(),
                value: json!(false),
            })
            .for_toolkits(["github"]),
        )
        .with(
            Modifier::declarative(DeclarativeModifier::FixValue { name: "never".into(), value: json!(1) })
                .for_toolkits(["slack"]),
        )
        .with(Modifier::before_execute(BeforeFn(move |_: &str, _: &str, p: ToolExecuteParams| {
            l2.lock().unwrap().push(format!("before2 {:?}", p.arguments.keys().collect::<Vec<_>>()));
            Ok(p)
        })))
        .with(Modifier::declarative(DeclarativeModifier::KeepResultFields {
            pointers: vec!["/items/*/name".into()],
        }))
        .with(Modifier::after_execute(AfterFn(
            move |tool: &str, toolkit: &str, mut r: ToolExecuteResponse| {
                l3.lock().unwrap().push(format!("after {tool} {toolkit} {}", r.data));
                r.data["seen"] = json!(true);
                Ok(r)
            },
        )));
    let r =
        c.tools().execute("GITHUB_STAR", params("u1", json!({"account": "octo"})), &modifiers).await.unwrap();
    assert_eq!(r.data, json!({"items": [{"name": "a"}], "seen": true}));
    assert_eq!(
        *log.lock().unwrap(),
        vec![
            "before1 GITHUB_STAR github [\"account\"]".to_string(),
            "before2 [\"added\", \"owner\", \"debug\"]".to_string(),
            "after GITHUB_STAR github {\"items\":[{\"name\":\"a\"}]}".to_string(),
        ]
    );
    let post = &s.requests_to("POST", "/api/v3.1/tools/execute/*")[0];
    assert_eq!(post.json()["arguments"], json!({"added": true, "owner": "octo", "debug": false}));
    // Callback modifiers need the toolkit, so the cold call fetched the schema once.
    assert_eq!(s.hits("GET", "/api/v3.1/tools/*"), 1);

    // A before-execute modifier can set the skip flag / version.
    let s = MockServer::start().await;
    s.mock("POST", "/api/v3.1/tools/execute/*", ok_result(json!({})));
    let c = client(&s);
    let m = Modifiers::new().with(
        Modifier::before_execute(BeforeFn(|_: &str, _: &str, mut p: ToolExecuteParams| {
            p.version = Some("20240101_00".into());
            Ok(p)
        }))
        .for_tools(["OTHER_TOOL"]),
    );
    let e = c.tools().execute("GITHUB_STAR", params("u1", json!({})), &m).await.unwrap_err();
    assert_eq!(e.code(), "TOOL_VERSION_REQUIRED", "a modifier for another tool does not apply");
    assert!(s.requests().is_empty());
}

#[tokio::test]
async fn modifier_errors_stop_execution() {
    let s = MockServer::start().await;
    s.mock("POST", "/api/v3.1/tools/execute/*", ok_result(json!({})));
    let c = client_with(&s, ToolkitVersions::global(PIN));
    let m = Modifiers::new().with(
        Modifier::before_execute(BeforeFn(|_: &str, _: &str, _: ToolExecuteParams| {
            Err(Error::Callback(CallbackError::with_payload("nope", Arc::new(7u32))))
        }))
        .for_tools(["GITHUB_STAR"]),
    );
    // A tool-filtered callback still needs the toolkit: one GET, no POST.
    s.mock("GET", "/api/v3.1/tools/*", Reply::json(200, tool("GITHUB_STAR", "github", PIN)));
    let e = c.tools().execute("GITHUB_STAR", params("u1", json!({})), &m).await.unwrap_err();
    match e {
        Error::Callback(cb) => assert_eq!(cb.payload.unwrap().downcast_ref::<u32>(), Some(&7)),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/*"), 0);
}

// ---------------------------------------------------------------------------
// custom tools

struct Echo;

#[async_trait]
impl CustomToolHandler for Echo {
    async fn execute(
        &self,
        arguments: Map<String, Value>,
        ctx: CustomToolContext,
    ) -> composio_core::Result<Value> {
        if arguments.get("fail").and_then(Value::as_bool) == Some(true) {
            return Err(Error::Callback(CallbackError::with_payload(
                "handler failed",
                Arc::new("py-exc".to_string()),
            )));
        }
        Ok(json!({"echo": arguments, "user": ctx.user_id, "has_account": ctx.connected_account.is_some()}))
    }
}

#[tokio::test]
async fn custom_tools_run_locally_with_validation() {
    let s = MockServer::start().await;
    let c = client(&s);
    let schema = json!({"type": "object", "properties": {
        "count": {"type": "integer"}, "fail": {"type": "boolean"},
        "opts": {"type": "object", "properties": {"mode": {"type": "string"}}, "required": ["mode"]}
    }, "required": ["count"]});
    c.register_custom_tool(CustomTool::new("MY_ECHO", "echo", "Echoes.", schema, Echo).unwrap()).unwrap();

    let r = c.tools().execute("my_echo", params("u1", json!({"count": 2})), &Modifiers::new()).await.unwrap();
    assert!(r.successful);
    assert_eq!(r.data, json!({"echo": {"count": 2}, "user": "u1", "has_account": false}));

    let e = c.tools().execute("MY_ECHO", params("u1", json!({})), &Modifiers::new()).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("count"), "{e}");
    let e = c
        .tools()
        .execute("MY_ECHO", params("u1", json!({"count": "two"})), &Modifiers::new())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("count") && e.to_string().contains("integer"), "{e}");
    let e = c
        .tools()
        .execute("MY_ECHO", params("u1", json!({"count": 1, "opts": {}})), &Modifiers::new())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("opts.mode"), "{e}");

    let e = c
        .tools()
        .execute("MY_ECHO", params("u1", json!({"count": 1, "fail": true})), &Modifiers::new())
        .await
        .unwrap_err();
    match e {
        Error::Callback(cb) => {
            assert_eq!(cb.message, "handler failed");
            assert_eq!(cb.payload.unwrap().downcast_ref::<String>().map(String::as_str), Some("py-exc"));
        }
        other => panic!("unexpected {other:?}"),
    }

    // Modifiers apply to custom tools too (toolkit `custom`).
    let m = Modifiers::new().with(Modifier::declarative(DeclarativeModifier::SetDefault {
        name: "count".into(),
        value: json!(9),
    }));
    let r = c.tools().execute("MY_ECHO", params("u1", json!({})), &m).await.unwrap();
    assert_eq!(r.data["echo"], json!({"count": 9}));

    let t = c.tools().get_tool("MY_ECHO", None).await.unwrap();
    assert_eq!(t.version.as_deref(), Some("1.0.0"));
    assert!(s.requests().is_empty(), "custom tools make no requests");
}

struct ProxyingTool;

#[async_trait]
impl CustomToolHandler for ProxyingTool {
    async fn execute(
        &self,
        _arguments: Map<String, Value>,
        ctx: CustomToolContext,
    ) -> composio_core::Result<Value> {
        let r = ctx
            .proxy(ProxyParams {
                parameters: vec![ProxyParameter::header("x-a", "1")],
                ..ProxyParams::new("get", "/user")
            })
            .await?;
        Ok(json!({"status": r.status, "data": r.data, "account": ctx.connected_account.unwrap()["id"]}))
    }
}

#[tokio::test]
async fn toolkit_custom_tools_get_the_newest_account_and_proxy_with_it() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/connected_accounts",
        Reply::json(
            200,
            page(vec![
                json!({"id": "ca_old", "created_at": "2025-01-01T00:00:00Z", "status": "ACTIVE"}),
                json!({"id": "ca_new", "created_at": "2026-01-01T00:00:00Z", "status": "ACTIVE"}),
                json!({"id": "ca_mid", "created_at": "2025-06-01T00:00:00Z", "status": "ACTIVE"}),
            ]),
        ),
    );
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/proxy",
        Reply::json(200, json!({"status": 200, "data": {"login": "octo"}, "headers": {"a": "b"}})),
    );
    let c = client(&s);
    let tool = CustomTool::new(
        "GITHUB_ME",
        "me",
        "Who am I.",
        json!({"type": "object", "properties": {}}),
        ProxyingTool,
    )
    .unwrap()
    .with_toolkit("github");
    c.register_custom_tool(tool).unwrap();
    let r = c.tools().execute("GITHUB_ME", params("u7", json!({})), &Modifiers::new()).await.unwrap();
    assert_eq!(r.data, json!({"status": 200, "data": {"login": "octo"}, "account": "ca_new"}));

    let list = &s.requests_to("GET", "/api/v3.1/connected_accounts")[0];
    assert_eq!(list.query_param("toolkit_slugs").as_deref(), Some("github"));
    assert_eq!(list.query_param("user_ids").as_deref(), Some("u7"));
    let proxy = &s.requests_to("POST", "/api/v3.1/tools/execute/proxy")[0];
    assert_eq!(
        proxy.json(),
        json!({"endpoint": "/user", "method": "GET", "connected_account_id": "ca_new",
               "parameters": [{"name": "x-a", "type": "header", "value": "1"}]})
    );
    assert_eq!(s.hits("GET", "/api/v3.1/tools/*"), 0);

    // An explicit connected account id is honoured.
    let mut p = params("u7", json!({}));
    p.connected_account_id = Some("ca_old".into());
    let r = c.tools().execute("GITHUB_ME", p, &Modifiers::new()).await.unwrap();
    assert_eq!(r.data["account"], "ca_old");

    // No account → typed error, handler not run.
    let s2 = MockServer::start().await;
    s2.mock("GET", "/api/v3.1/connected_accounts", Reply::json(200, page(vec![])));
    let c2 = client(&s2);
    c2.register_custom_tool(
        CustomTool::new("GITHUB_ME", "me", "Who am I.", json!({"type": "object"}), ProxyingTool)
            .unwrap()
            .with_toolkit("github"),
    )
    .unwrap();
    let e =
        c2.tools().execute("GITHUB_ME", ToolExecuteParams::default(), &Modifiers::new()).await.unwrap_err();
    assert_eq!(e.code(), "CONNECTED_ACCOUNT_NOT_FOUND");
    assert!(e.to_string().contains("github") && e.to_string().contains("default"), "{e}");
    assert_eq!(s2.requests()[0].query_param("user_ids").as_deref(), Some("default"));
    assert_eq!(s2.hits("POST", "/api/v3.1/tools/execute/proxy"), 0);
}

// ---------------------------------------------------------------------------
// proxy

#[tokio::test]
async fn proxy_request_shape_and_validation() {
    let s = MockServer::start().await;
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/proxy",
        Reply::json(200, json!({"status": 201, "data": {"ok": 1}, "headers": {"x": "y"}, "binary_data": null, "more": true})),
    );
    let c = client(&s);
    let r = c
        .tools()
        .proxy(ProxyParams {
            endpoint: "https://api.github.com/repos".into(),
            method: "post".into(),
            body: Some(json!({"name": "r"})),
            connected_account_id: Some("ca_1".into()),
            parameters: vec![ProxyParameter::header("X-Trace", "1"), ProxyParameter::query("page", "2")],
            custom_connection_data: Some(
                json!({"authScheme": "BEARER_TOKEN", "toolkitSlug": "github", "val": {"token": "t"}}),
            ),
            binary_body: Some(composio_core::tools::ProxyBinaryBody::Url {
                url: "https://f/x.bin".into(),
                content_type: None,
            }),
        })
        .await
        .unwrap();
    assert_eq!(r.status, 201);
    assert_eq!(r.data, Some(json!({"ok": 1})));
    assert_eq!(r.headers.unwrap()["x"], "y");
    assert_eq!(r.extra["more"], true);
    assert_eq!(
        s.requests()[0].json(),
        json!({
            "endpoint": "https://api.github.com/repos", "method": "POST", "body": {"name": "r"},
            "connected_account_id": "ca_1",
            "parameters": [{"name": "X-Trace", "type": "header", "value": "1"}, {"name": "page", "type": "query", "value": "2"}],
            "custom_connection_data": {"authScheme": "BEARER_TOKEN", "toolkitSlug": "github", "val": {"token": "t"}},
            "binary_body": {"url": "https://f/x.bin"}
        })
    );

    // `in` is accepted from JSON (bindings), as is the wire's `type`.
    let p: ProxyParameter =
        serde_json::from_value(json!({"name": "a", "in": "query", "value": "1"})).unwrap();
    assert_eq!(p, ProxyParameter::query("a", "1"));

    s.clear_requests();
    let e = c.tools().proxy(ProxyParams::new("TRACE", "/x")).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(e.to_string().contains("TRACE"));
    let e = c.tools().proxy(ProxyParams::new("GET", " ")).await.unwrap_err();
    assert_eq!(e.code(), "VALIDATION_ERROR");
    assert!(s.requests().is_empty());
    c.tools().proxy(ProxyParams::new("head", "/x")).await.unwrap();
    assert_eq!(s.requests()[0].json(), json!({"endpoint": "/x", "method": "HEAD"}));
}
