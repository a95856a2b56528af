//! The caches of pinned toolkit versions keep each tool's JSON text
//! compressed (`composio_core::tool_cache`): what they give back must be
//! exactly what an uncached call decodes, for schemas full of escapes and
//! non-ASCII text and for a large list packed against a shared dictionary,
//! and a compressed schema must still spare executions their schema
//! request.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::models::{Tool, ToolExecuteParams};
use composio_core::modifiers::Modifiers;
use composio_core::providers::format_tool_refs;
use composio_core::tool_cache::{ListPacker, PackedTool};
use composio_core::tools::GetToolsParams;
use composio_core::{Composio, ComposioConfig, Flavor, Provider, RetryPolicy, ToolkitVersions};
use composio_testkit::{MockServer, Reply};
use serde_json::{json, Value};

const PIN: &str = "20250909_00";

fn client_with(url: &str, key: &str, versions: ToolkitVersions, auto_files: bool) -> Composio {
    let mut config = ComposioConfig::new(key)
        .with_base_url(url)
        .with_retry(RetryPolicy::none())
        .with_toolkit_versions(versions);
    config.auto_upload_download_files = auto_files;
    Composio::new(config).unwrap()
}

/// A tool whose texts use every kind of JSON escape and non-ASCII text,
/// written as raw JSON (escapes as sent, not as a serializer would write
/// them).
fn escaped_tool(i: usize) -> String {
    format!(
        r#"{{"slug":"INTL_T{i}","name":"T\u00e9l\u00e9charger {i}","description":"Line one\nline two\t\"quoted\" \\ back\/slash \u0001 caf\u00e9 日本語 \ud83c\udf89 🎉 {i}","input_parameters":{{"type":"object","properties":{{"clé_{i}":{{"type":"string","description":"Ünïcödé key \u2028 sep","enum":["a\"b","c\\d","€","\ud834\udd1e"]}},"count":{{"type":"integer","default":12345678901234,"minimum":-1.5e-7}},"attachment":{{"type":"object","file_uploadable":true,"description":"A file.","properties":{{"name":{{"type":"string"}},"s3key":{{"type":"string"}}}}}}}},"required":["clé_{i}"]}},"output_parameters":{{"type":"object","properties":{{"data":{{"type":"object"}}}}}},"toolkit":{{"slug":"intl","name":"Intl","logo":""}},"version":"{PIN}","available_versions":["{PIN}"],"tags":["ünï"],"scopes":[],"no_auth":false,"is_deprecated":false,"status":"active"}}"#
    )
}

fn escaped_page(n: usize) -> String {
    let items: Vec<String> = (0..n).map(escaped_tool).collect();
    format!(
        r#"{{"items":[{}],"next_cursor":null,"total_pages":1,"current_page":1,"total_items":{n}}}"#,
        items.join(",")
    )
}

fn query(toolkit: &str, limit: u32) -> GetToolsParams {
    GetToolsParams { toolkits: vec![toolkit.into()], limit: Some(limit), ..Default::default() }
}

fn owned(list: &composio_core::tools::ToolList) -> Vec<Tool> {
    list.tools().unwrap().iter().map(|t| (**t).clone()).collect()
}

#[test]
fn packed_text_round_trips_byte_for_byte() {
    let mut packer = ListPacker::new();
    for i in 0..40 {
        let text = escaped_tool(i);
        let alone = PackedTool::pack(&text);
        let shared = packer.pack(&text);
        assert_eq!(alone.text().unwrap(), text);
        assert_eq!(shared.text().unwrap(), text);
        assert_eq!(shared.text_len(), text.len());
        let expected: Tool = serde_json::from_str(&text).unwrap();
        assert_eq!(shared.decode().unwrap(), expected);
        assert_eq!(alone.decode().unwrap(), expected);
        if i > 0 {
            assert!(shared.packed_len() < alone.packed_len(), "the dictionary helps tool {i}");
        }
    }
}

#[tokio::test]
async fn cached_escaped_schemas_decode_exactly_like_uncached_ones() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::text(200, &escaped_page(30)));
    let pinned = client_with(&s.url(), "k", ToolkitVersions::per_toolkit([("intl", PIN)]), false);
    let uncached = client_with(&s.url(), "k", ToolkitVersions::Latest, false);
    let p = query("intl", 30);

    let cold = pinned.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    let warm = pinned.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    let fresh = uncached.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(cold.is_cached() && warm.same_list(&cold));
    assert!(!fresh.is_cached(), "latest is never cached");
    assert_eq!(s.hits("GET", "/api/v3.1/tools"), 2);

    let expected: Vec<Tool> = (0..30).map(|i| serde_json::from_str(&escaped_tool(i)).unwrap()).collect();
    assert_eq!(owned(&fresh), expected);
    assert_eq!(owned(&warm), expected, "decoded from the compressed cache = decoded as sent");
    assert_eq!(expected[3].name, "Télécharger 3");
    assert!(expected[3].description.contains("日本語 🎉 🎉 3"));
    let mut visited = Vec::new();
    warm.visit(|t| {
        visited.push(t.clone());
        Ok::<(), composio_core::Error>(())
    })
    .unwrap();
    assert_eq!(visited, expected);
    for provider in [Provider::OpenAI, Provider::Anthropic { cache_tools: true }, Provider::Google] {
        for flavor in [Flavor::Python, Flavor::TypeScript] {
            assert_eq!(
                format_tool_refs(&provider, warm.tools().unwrap().iter(), flavor),
                format_tool_refs(&provider, fresh.tools().unwrap().iter(), flavor),
                "{provider} {flavor:?}"
            );
        }
    }
    // The per-tool schema cache gives the same tools, with no request.
    for i in [0, 17, 29] {
        assert_eq!(pinned.tools().get_tool(&format!("intl_t{i}"), None).await.unwrap(), expected[i]);
    }
    assert_eq!(s.requests().len(), 2);
}

#[tokio::test]
async fn executes_after_a_listing_make_no_schema_request_even_when_the_schema_is_decoded() {
    let s = MockServer::start().await;
    s.mock("GET", "/api/v3.1/tools", Reply::text(200, &escaped_page(300)));
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/*",
        Reply::json(200, json!({"data": {"ok": true}, "error": null, "successful": true, "log_id": "l"})),
    );
    let versions = ToolkitVersions::per_toolkit([("intl", PIN)]);
    // Without file handling only the toolkit is needed; with it the whole
    // schema is decoded from the cache (the attachment argument is a file).
    for auto_files in [false, true] {
        s.clear_requests();
        let c = client_with(&s.url(), "k", versions.clone(), auto_files);
        let listed = c.tools().get_list(&query("intl", 300), &Modifiers::new()).await.unwrap();
        assert_eq!(listed.len(), 300);
        assert_eq!(c.cached_schema_count(), 300);
        for i in [0, 150, 299] {
            let args: Value = json!({format!("clé_{i}"): "x", "count": 1});
            let params = ToolExecuteParams::new("u1", args.as_object().cloned().unwrap());
            c.tools().execute(&format!("INTL_T{i}"), params, &Modifiers::new()).await.unwrap();
        }
        assert_eq!(s.requests().iter().filter(|r| r.method == "GET").count(), 1, "auto_files={auto_files}");
        let posts = s.requests_to("POST", "/api/v3.1/tools/execute/INTL_T150");
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].json()["version"], PIN);
        assert_eq!(posts[0].json()["arguments"]["clé_150"], "x");
    }
}

#[tokio::test]
async fn a_large_benchmark_list_is_identical_cached_and_uncached_against_composio_local() {
    composio_local::toolkits::bench::enable();
    let server = composio_local::spawn(composio_local::LocalOptions::default()).await.unwrap();
    let version = composio_local::toolkits::bench::VERSION;
    let pinned = client_with(
        server.url(),
        server.api_key(),
        ToolkitVersions::per_toolkit([("bench500", version)]),
        false,
    );
    let uncached = client_with(server.url(), server.api_key(), ToolkitVersions::Latest, false);
    let p = query("bench500", 500);
    let cached = pinned.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(cached.is_cached() && cached.len() == 500);
    let again = pinned.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(again.same_list(&cached));
    let fresh = uncached.tools().get_list(&p, &Modifiers::new()).await.unwrap();
    assert!(!fresh.is_cached());
    assert_eq!(owned(&again), owned(&fresh));
    let slug = fresh.tools().unwrap()[321].slug.clone();
    assert_eq!(pinned.tools().get_tool(&slug, None).await.unwrap(), *fresh.tools().unwrap()[321]);
}
