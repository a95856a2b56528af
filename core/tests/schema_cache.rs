//! The in-memory schema cache for pinned toolkit versions, counted in
//! requests against a mock server: repeated `tools.get` / `get_tool` /
//! `execute` for a pinned version make no schema request, `latest` is never
//! served from the cache, and a warm execute is exactly one request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::models::ToolExecuteParams;
use composio_core::modifiers::{BeforeFn, DeclarativeModifier, Modifier, Modifiers};
use composio_core::tools::GetToolsParams;
use composio_core::{Composio, ComposioConfig, RetryPolicy, ToolkitVersions};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Value};

const PIN: &str = "20250909_00";
const OTHER: &str = "20251001_00";

fn client_with(s: &MockServer, versions: ToolkitVersions) -> Composio {
    let config = ComposioConfig::new("test-key")
        .with_base_url(s.url())
        .with_retry(RetryPolicy::none())
        .with_toolkit_versions(versions);
    Composio::new(config).unwrap()
}

fn tool(slug: &str, toolkit: &str, version: &str) -> Value {
    json!({
        "slug": slug, "name": slug, "description": format!("Does {slug} at {version}."),
        "input_parameters": {"type": "object", "properties": {
            "owner": {"type": "string", "description": "Who."},
            "nested": {"type": "object", "properties": {"deep": {"type": "array", "items": {"enum": ["a", "b"]}}}}
        }, "required": ["owner"]},
        "output_parameters": {"type": "object", "properties": {"data": {"type": "object"}}},
        "toolkit": {"slug": toolkit, "name": toolkit, "logo": ""},
        "version": version, "available_versions": [version], "tags": [], "scopes": [],
        "no_auth": false, "is_deprecated": false, "status": "active"
    })
}

fn page(items: Vec<Value>) -> Value {
    let n = items.len();
    json!({"items": items, "next_cursor": null, "total_pages": 1, "current_page": 1, "total_items": n})
}

fn ok() -> Reply {
    Reply::json(200, json!({"data": {"ok": true}, "error": null, "successful": true, "log_id": "log_1"}))
}

fn params() -> ToolExecuteParams {
    ToolExecuteParams::new("u1", json!({"owner": "octo"}).as_object().cloned().unwrap())
}

fn schema_gets(s: &MockServer) -> usize {
    s.requests().iter().filter(|r| r.method == "GET").count()
}

fn posts(s: &MockServer) -> usize {
    s.requests().iter().filter(|r| r.method == "POST").count()
}

#[tokio::test]
async fn a_toolkit_listing_warms_the_cache_for_slugs_and_executes() {
    let s = MockServer::start().await;
    let items: Vec<Value> = (0..30).map(|i| tool(&format!("GITHUB_T{i}"), "github", PIN)).collect();
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(items)));
    s.mock("POST", "/api/v3.1/tools/execute/*", ok());
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));

    let listed = c
        .tools()
        .get(
            &GetToolsParams { toolkits: vec!["github".into()], limit: Some(30), ..Default::default() },
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 30);
    assert_eq!(c.cached_schema_count(), 30);
    assert_eq!(s.requests().len(), 1);

    // By slug (any case): answered from the cache, identical to what was listed.
    let by_slug = c
        .tools()
        .get(
            &GetToolsParams { tools: vec!["github_t3".into(), "GITHUB_T7".into()], ..Default::default() },
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert_eq!(by_slug, vec![listed[3].clone(), listed[7].clone()]);
    assert_eq!(c.tools().get_tool("GITHUB_T9", None).await.unwrap(), listed[9]);
    assert_eq!(s.requests().len(), 1, "no schema request for cached pinned tools");

    // Execute: the version comes from the cached schema; one POST, no GET.
    for i in 0..5 {
        c.tools().execute(&format!("GITHUB_T{i}"), params(), &Modifiers::new()).await.unwrap();
    }
    assert_eq!(schema_gets(&s), 1);
    assert_eq!(posts(&s), 5);
    for r in s.requests_to("POST", "/api/v3.1/tools/execute/GITHUB_T0") {
        assert_eq!(r.json()["version"], PIN);
    }
}

#[tokio::test]
async fn latest_is_never_served_from_the_cache() {
    let s = MockServer::start().await;
    // The server answers with a concrete version even for `latest`; it must
    // still not be cached, because `latest` may move.
    s.mock("GET", "/api/v3.1/tools/*", Reply::json(200, tool("SLACK_SEND", "slack", PIN)));
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(vec![tool("SLACK_SEND", "slack", PIN)])));
    s.mock("POST", "/api/v3.1/tools/execute/*", ok());
    // github is pinned, slack is not.
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    let p = GetToolsParams { tools: vec!["SLACK_SEND".into()], ..Default::default() };
    for _ in 0..3 {
        c.tools().get(&p, &Modifiers::new()).await.unwrap();
    }
    assert_eq!(s.hits("GET", "/api/v3.1/tools"), 3);
    c.tools().get_tool("SLACK_SEND", None).await.unwrap();
    c.tools().get_tool("SLACK_SEND", None).await.unwrap();
    assert_eq!(s.hits("GET", "/api/v3.1/tools/SLACK_SEND"), 2);
    assert_eq!(c.cached_schema_count(), 0);

    // A `latest` client with the skip flag executes with one request and no schema fetch.
    let s2 = MockServer::start().await;
    s2.mock("POST", "/api/v3.1/tools/execute/*", ok());
    let c2 = client_with(&s2, ToolkitVersions::Latest);
    let mut p = params();
    p.dangerously_skip_version_check = true;
    for _ in 0..3 {
        c2.tools().execute("SLACK_SEND", p.clone(), &Modifiers::new()).await.unwrap();
    }
    assert_eq!(s2.requests().len(), 3);
    assert_eq!(schema_gets(&s2), 0);
    assert_eq!(s2.requests()[0].json()["version"], "latest");
}

#[tokio::test]
async fn a_schema_cached_at_one_version_does_not_answer_another() {
    let s = MockServer::start().await;
    s.mock_fn("GET", "/api/v3.1/tools/*", |req| {
        let v = req
            .query_param("version")
            .or_else(|| req.query_param("toolkit_versions[github]"))
            .or_else(|| req.query_param("toolkit_versions"));
        Reply::json(200, tool("GITHUB_STAR", "github", v.as_deref().unwrap_or("latest")))
    });
    let pinned_a = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    let t = pinned_a.tools().get_tool("GITHUB_STAR", None).await.unwrap();
    assert_eq!(t.version.as_deref(), Some(PIN));
    // Explicitly asking for another version fetches it (and caches it too).
    let t = pinned_a.tools().get_tool("GITHUB_STAR", Some(OTHER)).await.unwrap();
    assert_eq!(t.version.as_deref(), Some(OTHER));
    assert_eq!(s.requests().len(), 2);
    assert_eq!(pinned_a.cached_schema_count(), 2);
    // Both are now served locally, each at its own version.
    assert_eq!(pinned_a.tools().get_tool("GITHUB_STAR", None).await.unwrap().version.as_deref(), Some(PIN));
    assert_eq!(
        pinned_a.tools().get_tool("GITHUB_STAR", Some(OTHER)).await.unwrap().version.as_deref(),
        Some(OTHER)
    );
    assert_eq!(s.requests().len(), 2);

    // A client pinned globally to OTHER has its own cache: it fetches once.
    let pinned_b = client_with(&s, ToolkitVersions::global(OTHER));
    pinned_b.tools().get_tool("GITHUB_STAR", None).await.unwrap();
    pinned_b.tools().get_tool("GITHUB_STAR", None).await.unwrap();
    assert_eq!(s.requests().len(), 3);
    assert_eq!(s.requests()[2].query_param("toolkit_versions").as_deref(), Some(OTHER));
}

#[tokio::test]
async fn a_response_at_a_different_version_than_pinned_is_not_cached() {
    let s = MockServer::start().await;
    // The server ignores the pin (answers OTHER): that schema must not be cached as PIN.
    s.mock("GET", "/api/v3.1/tools/*", Reply::json(200, tool("GITHUB_STAR", "github", OTHER)));
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    c.tools().get_tool("GITHUB_STAR", None).await.unwrap();
    c.tools().get_tool("GITHUB_STAR", None).await.unwrap();
    assert_eq!(s.requests().len(), 2);
    assert_eq!(c.cached_schema_count(), 0);
}

#[tokio::test]
async fn warm_executes_are_one_request_each_even_concurrently_and_with_toolkit_modifiers() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools/*", Reply::json(200, tool("GITHUB_STAR", "github", PIN)));
    s.mock("POST", "/api/v3.1/tools/execute/*", ok());
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    // Modifiers that need the toolkit slug (a callback, and a declarative
    // one filtered by toolkit) are served by the cached schema too.
    let mods: Modifiers = [
        Modifier::before_execute(BeforeFn(|_: &str, toolkit: &str, p: ToolExecuteParams| {
            assert_eq!(toolkit, "github");
            Ok(p)
        })),
        Modifier::declarative(DeclarativeModifier::SetDefault { name: "repo".into(), value: json!("x") })
            .for_toolkits(["github"]),
    ]
    .into_iter()
    .collect();
    c.tools().execute("GITHUB_STAR", params(), &mods).await.unwrap();
    assert_eq!((schema_gets(&s), posts(&s)), (1, 1), "cold: one schema fetch");

    s.clear_requests();
    let runs = (0..40).map(|_| {
        let c = c.clone();
        let mods = mods.clone();
        tokio::spawn(async move { c.tools().execute("GITHUB_STAR", params(), &mods).await })
    });
    for r in futures::future::join_all(runs).await {
        assert!(r.unwrap().unwrap().successful);
    }
    assert_eq!(schema_gets(&s), 0);
    assert_eq!(posts(&s), 40);
    assert!(s.requests().iter().all(|r| r.json()["arguments"]["repo"] == "x" && r.json()["version"] == PIN));
}

#[tokio::test]
async fn the_cache_is_bounded() {
    let s = MockServer::start().await;
    let n = 20_050;
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({"slug": format!("BIG_T{i}"), "toolkit": {"slug": "big"}, "version": PIN,
                   "input_parameters": {"type": "object", "properties": {}}})
        })
        .collect();
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(items)));
    let c = client_with(&s, ToolkitVersions::global(PIN));
    let got = c
        .tools()
        .get(&GetToolsParams { toolkits: vec!["big".into()], ..Default::default() }, &Modifiers::new())
        .await
        .unwrap();
    assert_eq!(got.len(), n);
    let cached = c.cached_schema_count();
    assert!(cached > 0 && cached <= 20_000, "cache holds {cached} schemas");
}
