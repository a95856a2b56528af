//! Session `preload` (`@composio/core` 0.21 / `composio` 0.30) against a real in-process
//! composio-local: preloaded app tools in `Session::tools` and the MCP `tools/list`, the
//! `"all"` positive-filter rule, and the `preload` flags of session custom tools (wire and
//! listing).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::custom_tools::{CustomTool, CustomToolContext};
use composio_core::models::{SessionPreload, SessionPreloadTools};
use composio_core::modifiers::Modifiers;
use composio_core::session_tools::{SessionCustomToolkit, DIRECT_CUSTOM_TOOL_DESCRIPTION_PREFIX};
use composio_core::tools::ToolListParams;
use composio_core::{Composio, ComposioConfig, Error, SessionConfig};
use composio_local::{spawn, LocalOptions, RunningServer};
use serde_json::{json, Map, Value};

async fn local() -> (RunningServer, Composio) {
    let server = spawn(LocalOptions::default()).await.unwrap();
    let client = Composio::new(ComposioConfig::new(server.api_key()).with_base_url(server.url())).unwrap();
    (server, client)
}

fn tool(slug: &str) -> CustomTool {
    CustomTool::new(
        slug,
        format!("{slug} tool"),
        format!("Does {slug}"),
        json!({"type": "object", "properties": {}}),
        |_: Map<String, Value>, _: CustomToolContext| Ok(json!({"ok": true})),
    )
    .unwrap()
}

fn text() -> SessionConfig {
    SessionConfig::new().toolkits(vec!["text".to_string()])
}

#[tokio::test]
async fn listed_tools_are_preloaded_into_tools_and_mcp() {
    let (_server, c) = local().await;
    let session =
        c.create_session("u1", text().preload(SessionPreload::tools(["text_word_count"]))).await.unwrap();
    assert_eq!(session.config()["preload"], json!({"tools": ["TEXT_WORD_COUNT"]}));
    let slugs: Vec<String> =
        session.tools(&Modifiers::default()).await.unwrap().into_iter().map(|t| t.slug).collect();
    assert_eq!(&slugs[..session.tool_router_tools().len()], &session.tool_router_tools()[..], "{slugs:?}");
    assert_eq!(slugs.last().map(String::as_str), Some("TEXT_WORD_COUNT"), "{slugs:?}");

    // The MCP tool list is the same set.
    let headers = &session.mcp.headers;
    let mut req = reqwest::Client::new()
        .post(&session.mcp.url)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-06-18")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}));
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let body: Value = req.send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> =
        body["result"]["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, slugs.iter().map(String::as_str).collect::<Vec<_>>());

    // Restoring the session keeps the stored preload.
    let restored = c.use_session(&session.session_id).await.unwrap();
    assert_eq!(restored.config()["preload"], json!({"tools": ["TEXT_WORD_COUNT"]}));
    assert_eq!(restored.tools(&Modifiers::default()).await.unwrap().len(), slugs.len());
}

#[tokio::test]
async fn all_needs_a_positive_filter_and_lists_every_allowed_tool() {
    let (_server, c) = local().await;
    let err = c.create_session("u1", SessionConfig::new().preload(SessionPreload::all())).await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err}");
    assert!(
        err.to_string().contains("preload.tools") && err.to_string().contains("positive filter"),
        "{err}"
    );

    let session = c.create_session("u1", text().preload(SessionPreload::all())).await.unwrap();
    assert_eq!(session.config()["preload"], json!({"tools": "all"}));
    let listed: Vec<String> = session
        .tools(&Modifiers::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.toolkit.slug == "text")
        .map(|t| t.slug)
        .collect();
    let params =
        ToolListParams { toolkit_slugs: vec!["text".into()], limit: Some(100), ..Default::default() };
    let mut all: Vec<String> =
        c.tools().list(&params).await.unwrap().items.into_iter().map(|t| t.slug).collect();
    let mut sorted = listed.clone();
    sorted.sort();
    all.sort();
    assert_eq!(sorted, all);
}

#[tokio::test]
async fn bad_preload_lists_are_refused_with_the_reason() {
    let (_server, c) = local().await;
    let unknown = c.create_session("u1", text().preload(SessionPreload::tools(["NO_SUCH_TOOL"]))).await;
    let msg = unknown.unwrap_err().to_string();
    assert!(msg.contains("preload.tools[0]") && msg.contains("NO_SUCH_TOOL"), "{msg}");
    let outside = c.create_session("u1", text().preload(SessionPreload::tools(["NOTES_LIST_NOTES"]))).await;
    let msg = outside.unwrap_err().to_string();
    assert!(msg.contains("NOTES_LIST_NOTES") && msg.contains("not enabled"), "{msg}");

    // Custom tools are never named in preload.tools (checked before any request).
    let local_slug = text().preload(SessionPreload::tools(["LOCAL_X"]));
    assert!(matches!(local_slug.to_request_body("u1"), Err(Error::Validation { .. })));
    let custom = text().custom_tool(tool("greet")).preload(SessionPreload::tools(["greet"]));
    let msg = custom.to_request_body("u1").unwrap_err().to_string();
    assert!(msg.contains("greet") && msg.contains("preload.tools"), "{msg}");
    // A flag naming no custom tool is refused, not ignored.
    let stray = text().custom_tool(tool("greet")).preload_custom_tool("other", true);
    let msg = stray.to_request_body("u1").unwrap_err().to_string();
    assert!(msg.contains("\"other\""), "{msg}");
    let no_tools = text().preload_custom_tool("greet", true);
    assert!(matches!(no_tools.to_request_body("u1"), Err(Error::Validation { .. })));
    // Only "all" or a list decodes.
    let bad: Result<SessionPreloadTools, _> = serde_json::from_value(json!("some"));
    assert!(bad.unwrap_err().to_string().contains("\"all\""));
}

#[tokio::test]
async fn custom_tool_preload_flags_go_on_the_wire_and_list_the_tools() {
    let (_server, c) = local().await;
    let kit = SessionCustomToolkit::new("crm", "CRM", "Customer records")
        .with_tool(tool("find"))
        .with_tool(tool("hide"));
    let config = text()
        .custom_tool(tool("greet"))
        .custom_tool(tool("quiet"))
        .custom_toolkit(kit)
        .preload_custom_tool("greet", true)
        .preload_custom_toolkit("crm", true)
        .preload_custom_tool("hide", false);
    let body = config.to_request_body("u1").unwrap();
    assert_eq!(body["experimental"]["custom_tools"][0]["preload"], json!(true));
    assert!(body["experimental"]["custom_tools"][1].get("preload").is_none(), "unset flags are omitted");
    assert_eq!(body["experimental"]["custom_toolkits"][0]["preload"], json!(true));
    // A toolkit tool without its own flag carries the inherited one.
    assert_eq!(body["experimental"]["custom_toolkits"][0]["tools"][0]["preload"], json!(true));
    assert_eq!(body["experimental"]["custom_toolkits"][0]["tools"][1]["preload"], json!(false));
    assert!(body.get("preload").is_none());

    let session = c.create_session("u1", config).await.unwrap();
    let tools = session.tools(&Modifiers::default()).await.unwrap();
    let custom: Vec<_> = tools.iter().filter(|t| t.slug.starts_with("LOCAL_")).collect();
    let slugs: Vec<&str> = custom.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["LOCAL_GREET", "LOCAL_CRM_FIND"]);
    assert_eq!(custom[0].description, format!("{DIRECT_CUSTOM_TOOL_DESCRIPTION_PREFIX}\nDoes greet"));
    assert_eq!(
        (custom[0].toolkit.slug.as_str(), custom[0].toolkit.name.as_deref()),
        ("custom", Some("Custom"))
    );
    assert_eq!((custom[1].toolkit.slug.as_str(), custom[1].toolkit.name.as_deref()), ("crm", Some("CRM")));
    // A listed custom tool runs in-process.
    let run = session.execute("LOCAL_GREET", Some(Map::new())).await.unwrap();
    assert_eq!(run.data, json!({"ok": true}));
}

#[tokio::test]
async fn preload_all_preloads_custom_tools_unless_they_opt_out() {
    let (_server, c) = local().await;
    let config = text()
        .preload(SessionPreload::all())
        .custom_tool(tool("greet"))
        .custom_tool(tool("quiet"))
        .preload_custom_tool("quiet", false);
    let body = config.to_request_body("u1").unwrap();
    assert_eq!(body["preload"], json!({"tools": "all"}));
    assert_eq!(body["experimental"]["custom_tools"][0]["preload"], json!(true));
    assert_eq!(body["experimental"]["custom_tools"][1]["preload"], json!(false));
    let session = c.create_session("u1", config).await.unwrap();
    let slugs: Vec<String> = session
        .tools(&Modifiers::default())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.slug)
        .filter(|s| s.starts_with("LOCAL_"))
        .collect();
    assert_eq!(slugs, ["LOCAL_GREET"]);

    // Attaching tools to a stored "all" session preloads them too.
    let attached = c.attach_session(&session.session_id, vec![tool("late")], vec![]).await.unwrap();
    let slugs: Vec<String> = attached
        .tools(&Modifiers::default())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.slug)
        .filter(|s| s.starts_with("LOCAL_"))
        .collect();
    assert_eq!(slugs, ["LOCAL_LATE"]);
}

#[tokio::test]
async fn preloaded_app_tools_run_through_execute_meta_like_providers_call_them() {
    let (_server, c) = local().await;
    let session =
        c.create_session("u1", text().preload(SessionPreload::tools(["TEXT_WORD_COUNT"]))).await.unwrap();
    let args: Map<String, Value> = json!({"text": "one two three"}).as_object().cloned().unwrap();
    let r = session.execute_meta("TEXT_WORD_COUNT", args, &Modifiers::default()).await.unwrap();
    assert!(r.successful, "{r:?}");
    assert_eq!(r.data["words"], json!(3), "{:?}", r.data);
}

#[tokio::test]
async fn attach_honours_each_tools_own_preload_flag() {
    use composio_core::session_tools::CustomToolPreload;
    let (_server, c) = local().await;
    let session = c.create_session("u1", text()).await.unwrap();
    // No stored "all": only flagged tools (or tools of a flagged toolkit) are listed.
    let mut flags = CustomToolPreload::default();
    flags.tools.insert("late".into(), true);
    flags.toolkits.insert("crm".into(), true);
    flags.tools.insert("skip".into(), false);
    let kit = SessionCustomToolkit::new("crm", "CRM", "Customer records")
        .with_tool(tool("find"))
        .with_tool(tool("skip"));
    let attached = c
        .attach_session_with_preload(
            &session.session_id,
            vec![tool("late"), tool("other")],
            vec![kit],
            &flags,
        )
        .await
        .unwrap();
    assert_eq!(local_slugs(&attached).await, ["LOCAL_LATE", "LOCAL_CRM_FIND"]);
    // Every attached tool runs in-process whether it is listed or not.
    let run = attached.execute("LOCAL_OTHER", Some(Map::new())).await.unwrap();
    assert_eq!(run.data, json!({"ok": true}));

    // A flag that names nothing attached is refused before any request.
    let mut bad = CustomToolPreload::default();
    bad.tools.insert("missing".into(), true);
    let err = c
        .attach_session_with_preload(&session.session_id, vec![tool("late")], vec![], &bad)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("\"missing\""), "{err}");
    let err = c.attach_session_with_preload(&session.session_id, vec![], vec![], &bad).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");

    // Under a stored "all", an explicit `false` still opts out.
    let all = c.create_session("u1", text().preload(SessionPreload::all())).await.unwrap();
    let mut off = CustomToolPreload::default();
    off.tools.insert("quiet".into(), false);
    let attached = c
        .attach_session_with_preload(&all.session_id, vec![tool("loud"), tool("quiet")], vec![], &off)
        .await
        .unwrap();
    assert_eq!(local_slugs(&attached).await, ["LOCAL_LOUD"]);
}

async fn local_slugs(s: &composio_core::sessions::Session) -> Vec<String> {
    s.tools(&Modifiers::default())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.slug)
        .filter(|s| s.starts_with("LOCAL_"))
        .collect()
}

#[tokio::test]
async fn definitions_carry_their_own_preload_flags() {
    let (_server, c) = local().await;
    let kit = SessionCustomToolkit::new("crm", "CRM", "Customer records")
        .with_preload(true)
        .with_tool(tool("find"))
        .with_tool(tool("skip").with_preload(false));
    let config =
        text().custom_tool(tool("greet").with_preload(true)).custom_tool(tool("quiet")).custom_toolkit(kit);
    let body = config.to_request_body("u1").unwrap();
    assert_eq!(body["experimental"]["custom_tools"][0]["preload"], json!(true));
    assert!(body["experimental"]["custom_tools"][1].get("preload").is_none(), "{body}");
    assert_eq!(body["experimental"]["custom_toolkits"][0]["preload"], json!(true));
    assert_eq!(body["experimental"]["custom_toolkits"][0]["tools"][1]["preload"], json!(false));
    let session = c.create_session("u1", config).await.unwrap();
    assert_eq!(local_slugs(&session).await, ["LOCAL_GREET", "LOCAL_CRM_FIND"]);

    // Through attach as well.
    let attached =
        c.attach_session(&session.session_id, vec![tool("late").with_preload(true)], vec![]).await.unwrap();
    assert_eq!(local_slugs(&attached).await, ["LOCAL_LATE"]);

    // The same flag given on the definition and in the config's map must agree.
    let agree = text().custom_tool(tool("greet").with_preload(true)).preload_custom_tool("greet", true);
    assert!(agree.to_request_body("u1").is_ok());
    let clash = text().custom_tool(tool("greet").with_preload(true)).preload_custom_tool("GREET", false);
    let err = clash.to_request_body("u1").unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("\"greet\""), "{err}");
}
