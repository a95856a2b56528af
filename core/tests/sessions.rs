//! Integration tests of tool-router sessions against a mock server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use composio_core::models::{
    AuthorizeOptions, ManageConnectionsConfig, MultiAccountConfig, SessionConfig, SessionProxyParameter,
    SessionProxyParams, SessionSearchParams, SessionTagSelection, SessionToolSelection,
    SessionToolkitSelection, SessionToolkitsParams, ToolExecuteParams, ToolExecuteResponse, WorkbenchConfig,
};
use composio_core::modifiers::{AfterFn, BeforeFn, DeclarativeModifier, Modifier, Modifiers};
use composio_core::sessions::Session;
use composio_core::{Composio, ComposioConfig};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Map, Value};

const SESSION_PATH: &str = "/api/v3.1/tool_router/session";

fn client(s: &MockServer) -> Composio {
    Composio::new(ComposioConfig::new("test-key").with_base_url(s.url())).unwrap()
}

fn session_json(id: &str) -> Value {
    json!({
        "session_id": id,
        "mcp": {"type": "http", "url": format!("https://backend.composio.dev/tool_router/{id}/mcp")},
        "tool_router_tools": ["COMPOSIO_SEARCH_TOOLS", "COMPOSIO_MULTI_EXECUTE_TOOL", "COMPOSIO_MANAGE_CONNECTIONS"],
        "config": {"user_id": "u1", "toolkits": {"enabled": ["github"]}, "manage_connections": {"enabled": true}},
        "experimental": {"assistive_prompt": "be nice"},
        "created_by": "someone"
    })
}

async fn started() -> (MockServer, Composio) {
    let s = MockServer::start().await;
    s.mock("POST", SESSION_PATH, Reply::json(201, session_json("trs_1")));
    let c = client(&s);
    (s, c)
}

async fn create_body(config: SessionConfig) -> Value {
    let (s, c) = started().await;
    c.create_session("u1", config).await.unwrap();
    let reqs = s.requests_to("POST", SESSION_PATH);
    assert_eq!(reqs.len(), 1);
    reqs[0].json()
}

async fn session(s: &MockServer) -> Session {
    s.mock("GET", "/api/v3.1/tool_router/session/trs_1", Reply::json(200, session_json("trs_1")));
    client(s).use_session("trs_1").await.unwrap()
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[tokio::test]
async fn create_matches_the_captured_official_body() {
    let config = SessionConfig::new()
        .toolkits(["github"])
        .tools("github", ["GITHUB_STAR_REPO"])
        .tags(["readOnlyHint"])
        .manage_connections(ManageConnectionsConfig {
            callback_url: Some("https://app/cb".into()),
            wait_for_connections: Some(true),
            ..Default::default()
        })
        .workbench(WorkbenchConfig { enable_proxy_execution: Some(false), ..Default::default() });
    let captured: Value = serde_json::from_str(
        r#"{"user_id":"u1","manage_connections":{"enable":true,"callback_url":"https://app/cb","enable_wait_for_connections":true},"tags":{"enable":["readOnlyHint"]},"toolkits":{"enable":["github"]},"tools":{"github":{"enable":["GITHUB_STAR_REPO"]}},"workbench":{"enable":true,"enable_proxy_execution":false}}"#,
    )
    .unwrap();
    assert_eq!(create_body(config).await, captured);
}

#[tokio::test]
async fn create_decodes_the_session_and_sets_mcp_headers() {
    let (s, c) = started().await;
    let session = c.create_session("u1", SessionConfig::new()).await.unwrap();
    let req = &s.requests_to("POST", SESSION_PATH)[0];
    assert_eq!(req.header("x-api-key"), Some("test-key"));
    assert_eq!(session.session_id, "trs_1");
    assert_eq!(session.mcp.r#type, "http");
    assert_eq!(session.mcp.url, "https://backend.composio.dev/tool_router/trs_1/mcp");
    assert_eq!(session.mcp.headers.get("x-api-key").map(String::as_str), Some("test-key"));
    assert_eq!(session.mcp.headers.len(), 1);
    assert_eq!(session.tool_router_tools().len(), 3);
    assert_eq!(session.config()["toolkits"]["enabled"], json!(["github"]));
    assert_eq!(session.experimental(), Some(json!({"assistive_prompt": "be nice"})));
    assert_eq!(session.extra.get("created_by"), Some(&json!("someone")));
}

#[tokio::test]
async fn default_body_always_sends_manage_connections() {
    assert_eq!(
        create_body(SessionConfig::new()).await,
        json!({"user_id": "u1", "manage_connections": {"enable": true}})
    );
    assert_eq!(
        create_body(SessionConfig::new().manage_connections(false)).await,
        json!({"user_id": "u1", "manage_connections": {"enable": false}})
    );
}

#[tokio::test]
async fn create_body_with_every_field() {
    let config = SessionConfig::new()
        .toolkits(SessionToolkitSelection::disable(["exa", "firecrawl"]))
        .tools("gmail", SessionToolSelection::disable(["GMAIL_DELETE"]))
        .tools("slack", SessionToolSelection::tags(SessionTagSelection::from(["readOnlyHint"])))
        .tools("github", SessionToolSelection::enable(["GITHUB_STAR_REPO"]))
        .tags(SessionTagSelection::Filter(composio_core::models::SessionEnableDisable {
            enable: Some(vec!["readOnlyHint".into()]),
            disable: Some(vec!["destructiveHint".into()]),
        }))
        .manage_connections(ManageConnectionsConfig {
            enable: Some(false),
            enable_connection_removal: Some(true),
            ..Default::default()
        })
        .auth_config("github", "ac_1")
        .connected_account("gmail", "ca_work")
        .workbench(WorkbenchConfig { enable: Some(false), enable_proxy_execution: None, auto_offload_threshold: Some(20000) })
        .multi_account(MultiAccountConfig {
            enable: Some(true),
            max_accounts_per_toolkit: Some(3),
            require_explicit_selection: Some(false),
        })
        .experimental(json!({"assistive_prompt_config": {"user_timezone": "Europe/Paris"}, "custom_tools": [{"slug": "X"}]}));
    assert_eq!(
        create_body(config).await,
        json!({
            "user_id": "u1",
            "toolkits": {"disable": ["exa", "firecrawl"]},
            "tools": {
                "github": {"enable": ["GITHUB_STAR_REPO"]},
                "gmail": {"disable": ["GMAIL_DELETE"]},
                "slack": {"tags": {"enable": ["readOnlyHint"]}}
            },
            "tags": {"enable": ["readOnlyHint"], "disable": ["destructiveHint"]},
            "manage_connections": {"enable": false, "enable_connection_removal": true},
            "auth_configs": {"github": "ac_1"},
            "connected_accounts": {"gmail": "ca_work"},
            "workbench": {"enable": false, "auto_offload_threshold": 20000},
            "multi_account": {"enable": true, "max_accounts_per_toolkit": 3, "require_explicit_selection": false},
            "experimental": {"assistive_prompt_config": {"user_timezone": "Europe/Paris"}, "custom_tools": [{"slug": "X"}]}
        })
    );
}

#[tokio::test]
async fn create_body_from_sdk_shaped_json_input() {
    // What a binding hands over after converting a Python dict / JS object.
    let config: SessionConfig = serde_json::from_value(json!({
        "toolkits": {"enable": ["gmail", "slack"]},
        "tools": {"gmail": ["GMAIL_SEND_EMAIL"], "slack": {"tags": {"disable": ["destructiveHint"]}}},
        "tags": {"disable": ["openWorldHint"]},
        "manage_connections": {"callback_url": "https://cb", "wait_for_connections": false},
        "workbench": {"auto_offload_threshold": 5000},
        "multi_account": {},
    }))
    .unwrap();
    assert_eq!(
        create_body(config).await,
        json!({
            "user_id": "u1",
            "toolkits": {"enable": ["gmail", "slack"]},
            "tools": {"gmail": {"enable": ["GMAIL_SEND_EMAIL"]}, "slack": {"tags": {"disable": ["destructiveHint"]}}},
            "tags": {"disable": ["openWorldHint"]},
            "manage_connections": {"enable": true, "callback_url": "https://cb", "enable_wait_for_connections": false},
            "workbench": {"enable": true, "auto_offload_threshold": 5000}
        })
    );
    // Unknown keys are rejected rather than dropped.
    assert!(serde_json::from_value::<SessionConfig>(json!({"toolkit": ["github"]})).is_err());
    assert!(
        serde_json::from_value::<SessionConfig>(json!({"manage_connections": {"enabled": true}})).is_err()
    );
}

#[tokio::test]
async fn invalid_configs_are_validation_errors_and_send_nothing() {
    let (s, c) = started().await;
    let both = SessionToolkitSelection::Filter(composio_core::models::SessionEnableDisable {
        enable: Some(vec!["a".into()]),
        disable: Some(vec!["b".into()]),
    });
    let two_keys: SessionToolSelection =
        serde_json::from_value(json!({"enable": ["A"], "disable": ["B"]})).unwrap();
    let no_keys: SessionToolSelection = serde_json::from_value(json!({})).unwrap();
    let cases: Vec<(&str, SessionConfig, &str)> = vec![
        ("", SessionConfig::new(), "user_id"),
        ("u1", SessionConfig::new().toolkits(both), "not both"),
        (
            "u1",
            SessionConfig::new().toolkits(SessionToolkitSelection::Filter(Default::default())),
            "toolkits",
        ),
        ("u1", SessionConfig::new().tools("github", two_keys), "only one of"),
        ("u1", SessionConfig::new().tools("github", no_keys), "tools.github"),
        ("u1", SessionConfig::new().tags(["notAHint"]), "unknown tag"),
        (
            "u1",
            SessionConfig::new()
                .tools("slack", SessionToolSelection::tags(SessionTagSelection::from(["bad"]))),
            "tools.slack.tags",
        ),
        (
            "u1",
            SessionConfig::new().multi_account(MultiAccountConfig {
                max_accounts_per_toolkit: Some(1),
                ..Default::default()
            }),
            "between 2 and 10",
        ),
        (
            "u1",
            SessionConfig::new().multi_account(MultiAccountConfig {
                max_accounts_per_toolkit: Some(11),
                ..Default::default()
            }),
            "between 2 and 10",
        ),
        ("u1", SessionConfig::new().experimental(json!(["x"])), "experimental"),
    ];
    for (user, config, needle) in cases {
        let e = c.create_session(user, config).await.unwrap_err();
        assert_eq!(e.code(), "VALIDATION_ERROR", "{e}");
        assert!(e.to_string().contains(needle), "{e} should mention {needle}");
    }
    assert_eq!(s.requests().len(), 0);
    // max 2 and 10 are accepted.
    for n in [2, 10] {
        let body = SessionConfig::new()
            .multi_account(MultiAccountConfig { max_accounts_per_toolkit: Some(n), ..Default::default() })
            .to_request_body("u1")
            .unwrap();
        assert_eq!(body["multi_account"], json!({"max_accounts_per_toolkit": n}));
    }
}

#[tokio::test]
async fn use_session_gets_by_id_and_maps_errors() {
    let s = MockServer::start().await;
    let session = session(&s).await;
    assert_eq!(s.hits("GET", "/api/v3.1/tool_router/session/trs_1"), 1);
    assert_eq!(session.session_id, "trs_1");
    assert_eq!(session.mcp.headers["x-api-key"], "test-key");
    s.mock("GET", "/api/v3.1/tool_router/session/missing", Reply::api_error(404, "Session not found"));
    let e = client(&s).use_session("missing").await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND");
    assert!(e.to_string().contains("Session not found"));
    assert_eq!(client(&s).use_session(" ").await.unwrap_err().code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn tools_applies_schema_modifiers_with_toolkit_composio() {
    let s = MockServer::start().await;
    let session = session(&s).await;
    s.mock(
        "GET",
        "/api/v3.1/tool_router/session/trs_1/tools",
        Reply::json(
            200,
            json!({"items": [
                {"slug": "COMPOSIO_SEARCH_TOOLS", "name": "Search", "description": "Find tools.",
                 "input_parameters": {"type": "object", "properties": {"queries": {"type": "array"}}},
                 "toolkit": {"slug": "composio", "name": "Composio"}},
                {"slug": "COMPOSIO_MANAGE_CONNECTIONS", "description": "Connect."}
            ]}),
        ),
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen2 = seen.clone();
    let modifiers = Modifiers::new()
        .with(
            Modifier::declarative(DeclarativeModifier::AppendDescription { text: "(meta)".into() })
                .for_toolkits(["composio"]),
        )
        .with(Modifier::schema(move |tool: &str, toolkit: &str, t| {
            seen2.lock().unwrap().push(format!("{tool}/{toolkit}"));
            Ok(t)
        }));
    let tools = session.tools(&modifiers).await.unwrap();
    assert_eq!(tools.len(), 2);
    assert_eq!(tools[0].description, "Find tools. (meta)");
    assert_eq!(tools[1].toolkit.slug, "composio");
    assert_eq!(tools[1].description, "Connect. (meta)");
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            "COMPOSIO_SEARCH_TOOLS/composio".to_string(),
            "COMPOSIO_MANAGE_CONNECTIONS/composio".to_string()
        ]
    );
}

#[tokio::test]
async fn execute_sends_slug_and_optional_arguments() {
    let s = MockServer::start().await;
    let session = session(&s).await;
    let path = "/api/v3.1/tool_router/session/trs_1/execute";
    s.mock(
        "POST",
        path,
        Reply::json(200, json!({"data": {"starred": true}, "error": null, "log_id": "log_1", "x": 1})),
    );
    let r = session.execute("GITHUB_STAR_REPO", Some(args(json!({"owner": "a"})))).await.unwrap();
    assert_eq!(r.data, json!({"starred": true}));
    assert_eq!(r.error, None);
    assert_eq!(r.log_id.as_deref(), Some("log_1"));
    assert_eq!(r.extra.get("x"), Some(&json!(1)));
    session.execute("GITHUB_STAR_REPO", None).await.unwrap();
    let reqs = s.requests_to("POST", path);
    assert_eq!(reqs[0].json(), json!({"tool_slug": "GITHUB_STAR_REPO", "arguments": {"owner": "a"}}));
    assert_eq!(reqs[1].json(), json!({"tool_slug": "GITHUB_STAR_REPO"}));

    s.mock(
        "POST",
        path,
        Reply::json(200, json!({"data": {}, "error": "Repository not found", "log_id": "log_2"})),
    );
    let r = session.execute("GITHUB_STAR_REPO", None).await.unwrap();
    assert_eq!(r.error.as_deref(), Some("Repository not found"));
    assert_eq!(session.execute("", None).await.unwrap_err().code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn execute_meta_runs_modifiers_and_converts_the_result() {
    let s = MockServer::start().await;
    let session = session(&s).await;
    let path = "/api/v3.1/tool_router/session/trs_1/execute_meta";
    s.mock("POST", path, Reply::json(200, json!({"data": null, "error": null, "log_id": "log_m"})));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (b, a) = (seen.clone(), seen.clone());
    let modifiers = Modifiers::new()
        .with(Modifier::before_execute(BeforeFn(
            move |tool: &str, toolkit: &str, mut p: ToolExecuteParams| {
                b.lock().unwrap().push(format!("before {tool}/{toolkit}"));
                p.arguments.insert("session".into(), json!({"generate_id": true}));
                Ok(p)
            },
        )))
        .with(Modifier::after_execute(AfterFn(
            move |tool: &str, toolkit: &str, mut r: ToolExecuteResponse| {
                a.lock().unwrap().push(format!("after {tool}/{toolkit}"));
                r.data["touched"] = json!(true);
                Ok(r)
            },
        )));
    let r = session
        .execute_meta(
            "COMPOSIO_SEARCH_TOOLS",
            args(json!({"queries": [{"use_case": "star a repo"}]})),
            &modifiers,
        )
        .await
        .unwrap();
    assert!(r.successful);
    assert_eq!(r.error, None);
    assert_eq!(r.data, json!({"touched": true}));
    assert_eq!(r.log_id.as_deref(), Some("log_m"));
    assert_eq!(
        s.requests_to("POST", path)[0].json(),
        json!({"slug": "COMPOSIO_SEARCH_TOOLS", "arguments": {
            "queries": [{"use_case": "star a repo"}], "session": {"generate_id": true}}})
    );
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            "before COMPOSIO_SEARCH_TOOLS/composio".to_string(),
            "after COMPOSIO_SEARCH_TOOLS/composio".to_string()
        ]
    );

    s.mock(
        "POST",
        path,
        Reply::json(200, json!({"data": {"partial": 1}, "error": "boom", "log_id": "log_n"})),
    );
    let r = session.execute_meta("COMPOSIO_MULTI_EXECUTE_TOOL", Map::new(), &Modifiers::new()).await.unwrap();
    assert!(!r.successful);
    assert_eq!(r.error.as_deref(), Some("boom"));
    assert_eq!(r.data, json!({"partial": 1}));
    assert_eq!(
        s.requests_to("POST", path)[1].json(),
        json!({"slug": "COMPOSIO_MULTI_EXECUTE_TOOL", "arguments": {}})
    );
}

#[tokio::test]
async fn search_sends_queries_and_keeps_camel_case_fields() {
    let s = MockServer::start().await;
    let session = session(&s).await;
    let path = "/api/v3.1/tool_router/session/trs_1/search";
    s.mock(
        "POST",
        path,
        Reply::json(
            200,
            json!({
                "success": true,
                "results": [{"index": 0, "use_case": "star a repo", "primary_tool_slugs": ["GITHUB_STAR_REPO"],
                             "related_tool_slugs": [], "toolkits": ["github"], "difficulty": "easy"}],
                "tool_schemas": {"GITHUB_STAR_REPO": {"tool_slug": "GITHUB_STAR_REPO", "toolkit": "github",
                    "hasFullSchema": false,
                    "schemaRef": {"tool": "COMPOSIO_GET_TOOL_SCHEMAS", "args": {"tool_slugs": ["GITHUB_STAR_REPO"]}}}},
                "toolkit_connection_statuses": [{"toolkit": "github", "has_active_connection": false}],
                "next_steps_guidance": ["connect github"],
                "session": {"id": "trs_1", "generate_id": false, "instructions": "x"},
                "time_info": {"current_time_utc": "2026-01-01T00:00:00Z"},
                "new_field": 7
            }),
        ),
    );
    let r = session.search(SessionSearchParams::new("star a repo")).await.unwrap();
    assert!(r.success);
    assert_eq!(r.results[0].primary_tool_slugs, vec!["GITHUB_STAR_REPO"]);
    assert_eq!(r.results[0].extra["difficulty"], json!("easy"));
    let schema = &r.tool_schemas["GITHUB_STAR_REPO"];
    assert_eq!(schema.has_full_schema, Some(false));
    assert_eq!(schema.schema_ref.as_ref().unwrap()["tool"], json!("COMPOSIO_GET_TOOL_SCHEMAS"));
    let back = serde_json::to_value(schema).unwrap();
    assert_eq!(back["hasFullSchema"], json!(false));
    assert!(back.get("schemaRef").is_some() && back.get("schema_ref").is_none());
    assert_eq!(r.next_steps_guidance, vec!["connect github"]);
    assert_eq!(r.extra["new_field"], json!(7));

    let params = SessionSearchParams {
        query: "send mail".into(),
        model: Some("gpt-5".into()),
        toolkits: vec!["gmail".into()],
    };
    session.search(params).await.unwrap();
    let reqs = s.requests_to("POST", path);
    assert_eq!(reqs[0].json(), json!({"queries": [{"use_case": "star a repo"}]}));
    assert_eq!(
        reqs[1].json(),
        json!({"queries": [{"use_case": "send mail"}], "model": "gpt-5", "toolkits": ["gmail"]})
    );
    assert_eq!(session.search(SessionSearchParams::new("")).await.unwrap_err().code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn authorize_links_and_returns_a_connection_request() {
    let s = MockServer::start().await;
    let session = session(&s).await;
    let path = "/api/v3.1/tool_router/session/trs_1/link";
    s.mock(
        "POST",
        path,
        Reply::json(
            201,
            json!({"connected_account_id": "ca_7Yt", "link_token": "lk_Qw9",
                   "redirect_url": "https://connect.composio.dev/link/lk_Qw9"}),
        ),
    );
    let req = session
        .authorize("github", AuthorizeOptions { callback_url: Some("https://app/cb2".into()), alias: None })
        .await
        .unwrap();
    assert_eq!(req.id, "ca_7Yt");
    assert_eq!(req.status, "INITIATED");
    assert_eq!(req.redirect_url.as_deref(), Some("https://connect.composio.dev/link/lk_Qw9"));
    session
        .authorize(
            "gmail",
            AuthorizeOptions { callback_url: Some(String::new()), alias: Some("work".into()) },
        )
        .await
        .unwrap();
    session.authorize("slack", AuthorizeOptions::default()).await.unwrap();
    let reqs = s.requests_to("POST", path);
    assert_eq!(reqs[0].json(), json!({"toolkit": "github", "callback_url": "https://app/cb2"}));
    assert_eq!(reqs[1].json(), json!({"toolkit": "gmail", "alias": "work"}));
    assert_eq!(reqs[2].json(), json!({"toolkit": "slack"}));
    assert_eq!(
        session.authorize("", AuthorizeOptions::default()).await.unwrap_err().code(),
        "VALIDATION_ERROR"
    );
}

#[tokio::test]
async fn toolkits_sends_query_and_transforms_items() {
    let s = MockServer::start().await;
    let session = session(&s).await;
    let path = "/api/v3.1/tool_router/session/trs_1/toolkits";
    s.mock(
        "GET",
        path,
        Reply::json(
            200,
            json!({
                "items": [
                    {"slug": "hackernews", "name": "Hacker News", "enabled": true, "is_no_auth": true,
                     "composio_managed_auth_schemes": [], "meta": {"logo": "https://l/hn.png", "description": "HN"}},
                    {"slug": "github", "name": "GitHub", "enabled": true, "is_no_auth": false,
                     "composio_managed_auth_schemes": ["OAUTH2"], "meta": {"logo": "https://l/gh.png", "description": "Code"},
                     "connected_account": {"id": "ca_7Yt", "status": "ACTIVE", "user_id": "u1",
                        "created_at": "2026-01-01T00:00:00Z",
                        "auth_config": {"id": "ac_1", "auth_scheme": "OAUTH2", "is_composio_managed": true}}},
                    {"slug": "gmail", "name": "Gmail", "enabled": true, "is_no_auth": false,
                     "composio_managed_auth_schemes": ["OAUTH2"], "meta": {"logo": null}},
                    {"slug": "slack", "name": "Slack", "is_no_auth": false, "meta": {},
                     "connected_account": {"id": "ca_2", "status": "INITIATED"}}
                ],
                "next_cursor": "c2", "total_pages": 3, "current_page": 1, "total_items": 9
            }),
        ),
    );
    let page = session
        .toolkits(SessionToolkitsParams {
            toolkits: vec!["github".into(), "gmail".into()],
            cursor: Some("c1".into()),
            limit: Some(4),
            is_connected: Some(false),
            search: Some("mail".into()),
        })
        .await
        .unwrap();
    let req = &s.requests_to("GET", path)[0];
    assert_eq!(req.query_param("toolkits").as_deref(), Some("github,gmail"));
    assert_eq!(req.query_param("cursor").as_deref(), Some("c1"));
    assert_eq!(req.query_param("limit").as_deref(), Some("4"));
    assert_eq!(req.query_param("is_connected").as_deref(), Some("false"));
    assert_eq!(req.query_param("search").as_deref(), Some("mail"));

    assert_eq!(page.next_cursor.as_deref(), Some("c2"));
    assert_eq!(page.total_pages, Some(3.0));
    let [hn, gh, gmail, slack] = &page.items[..] else { panic!("4 items expected") };
    assert_eq!(
        (hn.slug.as_str(), hn.logo.as_deref(), hn.is_no_auth),
        ("hackernews", Some("https://l/hn.png"), true)
    );
    assert!(hn.connection.is_none());

    let c = gh.connection.as_ref().unwrap();
    assert!(c.is_active);
    let ac = c.auth_config.as_ref().unwrap();
    assert_eq!((ac.id.as_str(), ac.mode.as_str(), ac.is_composio_managed), ("ac_1", "OAUTH2", true));
    let ca = c.connected_account.as_ref().unwrap();
    assert_eq!((ca.id.as_str(), ca.status.as_str()), ("ca_7Yt", "ACTIVE"));
    assert_eq!(gh.raw.connected_account.as_ref().unwrap().user_id.as_deref(), Some("u1"));
    assert_eq!(gh.raw.composio_managed_auth_schemes, vec!["OAUTH2"]);

    let c = gmail.connection.as_ref().unwrap();
    assert!(!c.is_active && c.auth_config.is_none() && c.connected_account.is_none());
    assert_eq!(gmail.logo, None);

    let c = slack.connection.as_ref().unwrap();
    assert!(!c.is_active);
    assert!(c.auth_config.is_none());
    assert_eq!(c.connected_account.as_ref().unwrap().status, "INITIATED");

    // No parameters: no query string at all.
    session.toolkits(SessionToolkitsParams::default()).await.unwrap();
    assert_eq!(s.requests_to("GET", path)[1].query, None);
}

#[tokio::test]
async fn proxy_execute_builds_the_body_and_validates_method() {
    let s = MockServer::start().await;
    let session = session(&s).await;
    let path = "/api/v3.1/tool_router/session/trs_1/proxy_execute";
    s.mock(
        "POST",
        path,
        Reply::json(
            200,
            json!({"status": 201, "data": {"ok": true}, "headers": {"content-type": "application/json"},
                   "binary_data": {"content_type": "image/png", "size": 12, "url": "https://f", "expires_at": "later"}}),
        ),
    );
    let r = session
        .proxy_execute(SessionProxyParams {
            toolkit: "github".into(),
            endpoint: "/repos/a/b/issues".into(),
            method: "post".into(),
            body: Some(json!({"title": "x"})),
            parameters: vec![
                SessionProxyParameter::header("X-Trace", "abc"),
                SessionProxyParameter::query("per_page", 5),
            ],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(r.status, 201);
    assert_eq!(r.data, Some(json!({"ok": true})));
    assert_eq!(r.headers.as_ref().unwrap()["content-type"], json!("application/json"));
    assert_eq!(r.binary_data.as_ref().unwrap().size, Some(12));
    assert_eq!(
        s.requests_to("POST", path)[0].json(),
        json!({"toolkit_slug": "github", "endpoint": "/repos/a/b/issues", "method": "POST", "body": {"title": "x"},
               "parameters": [{"name": "X-Trace", "type": "header", "value": "abc"},
                              {"name": "per_page", "type": "query", "value": "5"}]})
    );
    // SDK-shaped input: `in` or `type`.
    let p: SessionProxyParams = serde_json::from_value(json!({"toolkit": "gmail", "endpoint": "/me", "method": "GET",
        "parameters": [{"name": "a", "in": "query", "value": "1"}, {"name": "b", "type": "header", "value": true}]}))
    .unwrap();
    session.proxy_execute(p).await.unwrap();
    assert_eq!(
        s.requests_to("POST", path)[1].json(),
        json!({"toolkit_slug": "gmail", "endpoint": "/me", "method": "GET",
               "parameters": [{"name": "a", "type": "query", "value": "1"}, {"name": "b", "type": "header", "value": "true"}]})
    );
    for method in ["HEAD", "OPTIONS", ""] {
        let e = session
            .proxy_execute(SessionProxyParams {
                toolkit: "github".into(),
                endpoint: "/x".into(),
                method: method.into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(e.code(), "VALIDATION_ERROR");
        assert!(e.to_string().contains("GET, POST, PUT, DELETE, PATCH"));
    }
    assert_eq!(s.hits("POST", path), 2);
}

#[tokio::test]
async fn debug_output_hides_the_api_key() {
    let s = MockServer::start().await;
    let session = session(&s).await;
    let d = format!("{session:?}");
    assert!(!d.contains("test-key"), "{d}");
    assert!(d.contains("x-api-key") && d.contains("***") && d.contains("trs_1"), "{d}");
    let d = format!("{:#?}", session.mcp);
    assert!(!d.contains("test-key"), "{d}");
    // The key is still there for MCP clients that need it.
    assert_eq!(session.mcp.headers["x-api-key"], "test-key");
}
