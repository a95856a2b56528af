//! The `tools.get` query cache for pinned toolkit versions, counted in
//! requests against a mock server (and checked for identical output against
//! a real composio-local): a repeated toolkit query whose every toolkit is
//! pinned makes no request at all and returns the same shared list;
//! `latest`, searches, auth-config queries and results at another version
//! are never cached; schema modifiers never touch the cached tools; the
//! automatic file rewrite copies only the tools it changes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::modifiers::{DeclarativeModifier, Modifier, Modifiers};
use composio_core::providers::format_tool_refs;
use composio_core::tools::GetToolsParams;
use composio_core::{Composio, ComposioConfig, Flavor, Provider, RetryPolicy, ToolkitVersions};
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
        "slug": slug, "name": slug, "description": format!("Does {slug}."),
        "input_parameters": {"type": "object", "properties": {
            "owner": {"type": "string", "description": "Who."},
            "nested": {"type": "object", "properties": {"deep": {"type": "array", "items": {"enum": ["a", "b"]}}}}
        }, "required": ["owner"]},
        "output_parameters": {"type": "object", "properties": {}},
        "toolkit": {"slug": toolkit, "name": toolkit, "logo": ""},
        "version": version, "available_versions": [version], "tags": [], "scopes": [],
        "no_auth": false, "is_deprecated": false, "status": "active"
    })
}

fn file_tool(slug: &str, toolkit: &str, version: &str) -> Value {
    let mut t = tool(slug, toolkit, version);
    t["input_parameters"]["properties"]["attachment"] = json!({"type": "object", "file_uploadable": true, "title": "Attachment", "description": "A file.",
               "properties": {"name": {"type": "string"}, "s3key": {"type": "string"}}});
    t
}

fn page(items: Vec<Value>) -> Value {
    let n = items.len();
    json!({"items": items, "next_cursor": null, "total_pages": 1, "current_page": 1, "total_items": n})
}

fn toolkit_query(toolkits: &[&str], limit: u32) -> GetToolsParams {
    GetToolsParams {
        toolkits: toolkits.iter().map(|t| t.to_string()).collect(),
        limit: Some(limit),
        ..Default::default()
    }
}

fn list_hits(s: &MockServer) -> usize {
    s.hits("GET", "/api/v3.1/tools")
}

#[tokio::test]
async fn a_repeated_pinned_toolkit_query_makes_no_request() {
    let s = MockServer::start().await;
    let items: Vec<Value> = (0..20).map(|i| tool(&format!("GITHUB_T{i}"), "github", PIN)).collect();
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(items)));
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    let p = toolkit_query(&["github"], 20);

    let first = c.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(first.is_cached());
    assert_eq!(first.len(), 20);
    assert_eq!(c.cached_query_count(), 1);
    let fresh_view = c.tools().get(&p, &Modifiers::new()).await.unwrap();
    for _ in 0..5 {
        let again = c.tools().get_list(&p, &Modifiers::new()).await.unwrap();
        assert!(again.is_cached() && again.same_list(&first));
    }
    assert_eq!(list_hits(&s), 1, "one request for seven identical pinned queries");
    let owned: Vec<_> = first.tools().unwrap().iter().map(|t| (**t).clone()).collect();
    assert_eq!(fresh_view, owned);
    assert_eq!(c.tools().get_shared(&p, &Modifiers::new()).await.unwrap().len(), 20);
    assert_eq!(list_hits(&s), 1);

    // Any other filter is another query.
    c.tools().get_list(&toolkit_query(&["github"], 5), &Modifiers::new()).await.unwrap();
    let tagged = GetToolsParams { tags: vec!["important".into()], ..p.clone() };
    c.tools().get_list(&tagged, &Modifiers::new()).await.unwrap();
    c.tools().get_list(&tagged, &Modifiers::new()).await.unwrap();
    assert_eq!(list_hits(&s), 3);
    assert_eq!(c.cached_query_count(), 3);
    // And another version is another query.
    let other = GetToolsParams {
        toolkit_versions: Some(ToolkitVersions::per_toolkit([("github", OTHER)])),
        ..p.clone()
    };
    let at_other = c.tools().get_list(&other, &Modifiers::new()).await.unwrap();
    assert!(!at_other.is_cached(), "the server answered at {PIN}, not the requested {OTHER}");
    c.tools().get_list(&other, &Modifiers::new()).await.unwrap();
    assert_eq!(list_hits(&s), 5);
    let last = s.requests_to("GET", "/api/v3.1/tools").pop().unwrap();
    assert_eq!(last.query_param("toolkit_versions[github]").as_deref(), Some(OTHER));
}

#[tokio::test]
async fn latest_searches_and_auth_config_queries_are_never_cached() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/tools",
        Reply::json(200, page(vec![tool("GITHUB_A", "github", PIN), tool("SLACK_B", "slack", PIN)])),
    );
    // github pinned, slack not: a query over both is not cached.
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    let both = toolkit_query(&["github", "slack"], 10);
    let search = GetToolsParams { search: Some("star".into()), ..toolkit_query(&["github"], 10) };
    let by_auth = GetToolsParams { auth_config_ids: vec!["ac_1".into()], ..toolkit_query(&["github"], 10) };
    for p in [&both, &search, &by_auth] {
        for _ in 0..2 {
            let l = c.tools().get_list(p, &Modifiers::new()).await.unwrap();
            assert!(!l.is_cached());
        }
    }
    assert_eq!(list_hits(&s), 6);
    assert_eq!(c.cached_query_count(), 0);

    // A client on `latest` caches nothing, even when the server names a version.
    let latest = client_with(&s, ToolkitVersions::Latest);
    for _ in 0..3 {
        latest.tools().get_list(&toolkit_query(&["github"], 10), &Modifiers::new()).await.unwrap();
    }
    assert_eq!(list_hits(&s), 9);
    assert_eq!(latest.cached_query_count(), 0);

    // A global version pins every toolkit.
    let global = client_with(&s, ToolkitVersions::Global(PIN.into()));
    for _ in 0..3 {
        global.tools().get_list(&both, &Modifiers::new()).await.unwrap();
    }
    assert_eq!(list_hits(&s), 10);
}

#[tokio::test]
async fn schema_modifiers_never_change_the_cached_tools() {
    let s = MockServer::start().await;
    let items: Vec<Value> = (0..3).map(|i| tool(&format!("GITHUB_T{i}"), "github", PIN)).collect();
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(items)));
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    let p = toolkit_query(&["github"], 3);
    let hide = Modifiers::new()
        .with(Modifier::declarative(DeclarativeModifier::HideParameter { name: "owner".into() }));

    for _ in 0..2 {
        let modified = c.tools().get_list(&p, &hide).await.unwrap();
        assert!(!modified.is_cached(), "a modified result is the caller's own copy");
        for t in modified.tools().unwrap().iter() {
            assert!(t.input_parameters["properties"].get("owner").is_none());
        }
    }
    let plain = c.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(plain.is_cached());
    for t in plain.tools().unwrap().iter() {
        assert_eq!(t.input_parameters["properties"]["owner"]["type"], "string");
    }
    assert_eq!(list_hits(&s), 1, "the query part came from the cache every time");
}

#[tokio::test]
async fn the_file_rewrite_copies_only_the_tools_it_changes() {
    let s = MockServer::start().await;
    s.mock(
        "GET",
        "/api/v3.1/tools",
        Reply::json(200, page(vec![tool("GMAIL_LIST", "gmail", PIN), file_tool("GMAIL_SEND", "gmail", PIN)])),
    );
    let config = |files: bool| {
        let mut config = ComposioConfig::new("test-key")
            .with_base_url(s.url())
            .with_toolkit_versions(ToolkitVersions::per_toolkit([("gmail", PIN)]));
        config.auto_upload_download_files = files;
        config
    };
    let c = Composio::new(config(true)).unwrap();
    let p = toolkit_query(&["gmail"], 10);
    let listed = c.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    let tools = listed.tools().unwrap();
    let (plain, with_file) = (&tools[0], &tools[1]);
    assert_eq!(
        with_file.input_parameters["properties"]["attachment"],
        json!({"type": "string", "format": "path", "description": "A file.", "title": "Attachment", "file_uploadable": true})
    );

    // The tool without file arguments is untouched; the cached schema of
    // the rewritten one keeps its API form, and a warm list decodes to the
    // same result.
    assert_eq!(plain.input_parameters, tool("GMAIL_LIST", "gmail", PIN)["input_parameters"]);
    let warm = c.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(warm.same_list(&listed));
    assert_eq!(warm.tools().unwrap().to_vec(), tools.to_vec());
    let raw = c.tools().get_tool("GMAIL_SEND", None).await.unwrap();
    assert_eq!(raw.input_parameters["properties"]["attachment"]["type"], "object");
    assert_eq!(list_hits(&s), 1);

    // With file handling off the API form is returned, still cached.
    let off = Composio::new(config(false)).unwrap();
    let l = off.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(l.is_cached());
    assert_eq!(l.tools().unwrap()[1].input_parameters["properties"]["attachment"]["type"], "object");
}

#[tokio::test]
async fn the_query_cache_is_bounded_and_keeps_recent_queries() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(vec![tool("GITHUB_A", "github", PIN)])));
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    let recent = toolkit_query(&["github"], 1);
    c.tools().get_list(&recent, &Modifiers::new()).await.unwrap();
    for limit in 2..60 {
        c.tools().get_list(&toolkit_query(&["github"], limit), &Modifiers::new()).await.unwrap();
        // Used between every insertion: never the least recently used.
        c.tools().get_list(&recent, &Modifiers::new()).await.unwrap();
    }
    assert!(c.cached_query_count() <= 32, "{}", c.cached_query_count());
    assert_eq!(list_hits(&s), 59, "one request per distinct query, none for the recent one");
    // The oldest of the others was evicted: asking again is a request.
    c.tools().get_list(&toolkit_query(&["github"], 2), &Modifiers::new()).await.unwrap();
    assert_eq!(list_hits(&s), 60);
}

#[tokio::test]
async fn cached_results_format_exactly_like_fresh_ones_against_composio_local() {
    let server = composio_local::spawn(composio_local::LocalOptions::default()).await.unwrap();
    let version = "20251201_00";
    let make = || {
        let mut config = ComposioConfig::new(server.api_key())
            .with_base_url(server.url())
            .with_toolkit_versions(ToolkitVersions::per_toolkit([("text", version)]));
        config.auto_upload_download_files = true;
        Composio::new(config).unwrap()
    };
    let (warm, fresh) = (make(), make());
    let p = toolkit_query(&["text"], 100);
    let cold = warm.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(cold.is_cached(), "composio-local answers at the pinned version");
    assert!(cold.len() > 3);
    assert!(
        cold.tools().unwrap().iter().any(|t| t.input_parameters.to_string().contains("\"format\":\"path\"")),
        "the text toolkit has a file argument, rewritten"
    );
    let hot = warm.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(hot.same_list(&cold));
    let key = cold.key().unwrap();
    assert!(key.matches(&hot) && key.is_live());
    assert_eq!(hot.tools().unwrap().to_vec(), cold.tools().unwrap().to_vec(), "decoded warm = fetched cold");
    let mut visited = Vec::new();
    hot.visit(|t| {
        visited.push(t.clone());
        Ok::<(), composio_core::Error>(())
    })
    .unwrap();
    let decoded: Vec<_> = hot.tools().unwrap().iter().map(|t| (**t).clone()).collect();
    assert_eq!(visited, decoded, "visiting one by one = decoding all");
    let other = fresh.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(!other.same_list(&hot));
    for provider in [
        Provider::OpenAI,
        Provider::OpenAIResponses { strict: false },
        Provider::Anthropic { cache_tools: true },
        Provider::Google,
    ] {
        for flavor in [Flavor::Python, Flavor::TypeScript] {
            assert_eq!(
                format_tool_refs(&provider, hot.tools().unwrap().iter(), flavor),
                format_tool_refs(&provider, other.tools().unwrap().iter(), flavor),
                "{provider} {flavor:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_list_item_that_is_not_a_tool_is_a_decode_error() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, page(vec![tool("GITHUB_A", "github", PIN), json!(7)])));
    let c = client_with(&s, ToolkitVersions::per_toolkit([("github", PIN)]));
    let e = c.tools().get_list(&toolkit_query(&["github"], 10), &Modifiers::new()).await.unwrap_err();
    assert!(matches!(e, composio_core::Error::Decode { .. }), "{e:?}");
    assert!(e.to_string().contains("not a tool object"), "{e}");
    assert_eq!(c.cached_query_count(), 0);
}
