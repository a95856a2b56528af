//! composio-core's v3.1 additions against a real in-process composio-local: attaching session
//! custom tools to an existing session, saved session configs, inbound webhook endpoints and
//! raw API calls.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use async_trait::async_trait;
use composio_core::custom_tools::{CustomTool, CustomToolContext, CustomToolHandler};
use composio_core::raw::RawRequest;
use composio_core::session_configs::SessionConfigListParams;
use composio_core::session_tools::SessionCustomToolkit;
use composio_core::{Composio, ComposioConfig, Error, SessionConfig};
use composio_local::{spawn, LocalOptions, RunningServer};
use serde_json::{json, Map, Value};

async fn local() -> (RunningServer, Composio) {
    let server = spawn(LocalOptions::default()).await.unwrap();
    let client = Composio::new(ComposioConfig::new(server.api_key()).with_base_url(server.url())).unwrap();
    (server, client)
}

/// Doubles `n`; reports the session it ran in.
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

fn schema() -> Value {
    json!({"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]})
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[tokio::test]
async fn attach_session_runs_custom_tools_on_a_restored_session() {
    let (_server, c) = local().await;
    let created = c.create_session("u7", SessionConfig::new()).await.unwrap();
    let id = created.session_id.clone();

    // Plain restore: no local tools.
    let plain = c.attach_session(&id, vec![], vec![]).await.unwrap();
    assert!(plain.custom_tools(None).is_empty());

    let double = CustomTool::new("double", "Double", "Doubles n.", schema(), Double).unwrap();
    let crm = SessionCustomToolkit::new("crm", "CRM", "Contacts.")
        .with_tool(CustomTool::new("find_contact", "Find", "Finds.", schema(), Double).unwrap());
    let session = c.attach_session(&id, vec![double], vec![crm]).await.unwrap();
    assert_eq!(session.session_id, id);
    assert_eq!(session.user_id(), Some("u7"));
    let slugs: Vec<String> = session.custom_tools(None).into_iter().map(|t| t.slug).collect();
    assert_eq!(slugs, ["LOCAL_DOUBLE", "LOCAL_CRM_FIND_CONTACT"]);

    // The tools run here, by final or original slug, with the session's context.
    let r = session.execute("LOCAL_DOUBLE", Some(args(json!({"n": 21})))).await.unwrap();
    assert_eq!(r.data["n"], 42, "{r:?}");
    assert_eq!(r.data["user"], "u7");
    assert_eq!(r.data["session"], id.as_str());
    let r = session.execute("find_contact", Some(args(json!({"n": 2})))).await.unwrap();
    assert_eq!(r.data["n"], 4);

    // The server kept them: a later plain restore sees them echoed.
    let again = c.use_session(&id).await.unwrap();
    let echoed = again.experimental().unwrap();
    assert_eq!(echoed["custom_tools"][0]["slug"], "LOCAL_DOUBLE");

    // Errors: unknown session (404 from the server), empty id, invalid definitions.
    let d = || CustomTool::new("double", "Double", "Doubles n.", schema(), Double).unwrap();
    let e = c.attach_session("trs_nope", vec![d()], vec![]).await.unwrap_err();
    assert_eq!(e.status(), Some(404), "{e}");
    let e = c.attach_session(" ", vec![d()], vec![]).await.unwrap_err();
    assert!(matches!(e, Error::Validation { .. }), "{e}");
    let e = c.attach_session(&id, vec![d(), d()], vec![]).await.unwrap_err();
    assert!(matches!(e, Error::Validation { .. }), "{e}");
}

#[tokio::test]
async fn session_configs_list_and_get() {
    let (server, c) = local().await;
    // Saved configs are made in the Dashboard; composio-local's stand-in is POST /session_configs.
    for name in ["Support", "Sales"] {
        c.raw_request(RawRequest::new("POST", "session_configs").body(json!({
            "name": name, "description": format!("{name} desk"),
            "config": {"toolkits": {"enable": ["notes"]}, "tools": {"notes": {"tags": {"disable": ["destructiveHint"]}}}},
        })))
        .await
        .unwrap();
    }
    let page = c.session_configs().list(SessionConfigListParams::default()).await.unwrap();
    let names: Vec<&str> = page.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Support", "Sales"]);
    assert_eq!(page.next_cursor, None);
    let first = c
        .session_configs()
        .list(SessionConfigListParams { limit: Some(1), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(first.items.len(), 1);
    let rest = c
        .session_configs()
        .list(SessionConfigListParams { cursor: first.next_cursor.clone(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(rest.items[0].name, "Sales");
    let found = c
        .session_configs()
        .list(SessionConfigListParams { search: Some("sal".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    let archived = c
        .session_configs()
        .list(SessionConfigListParams { archived: Some(true), ..Default::default() })
        .await
        .unwrap();
    assert!(archived.items.is_empty());

    let saved = c.session_configs().get(&page.items[0].id).await.unwrap();
    assert_eq!(saved.name, "Support");
    assert_eq!(saved.description.as_deref(), Some("Support desk"));
    assert_eq!(saved.config["tools"]["notes"]["tags"]["disable"], json!(["destructiveHint"]));
    assert!(!saved.created_at.is_empty());

    let e = c.session_configs().get("sc_missing").await.unwrap_err();
    assert_eq!(e.status(), Some(404), "{e}");
    let e = c.session_configs().get("").await.unwrap_err();
    assert!(matches!(e, Error::Validation { .. }), "{e}");
    let e = c
        .session_configs()
        .list(SessionConfigListParams { limit: Some(0), ..Default::default() })
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Validation { .. }) && e.to_string().contains("at least 1"), "{e}");
    drop(server);
}

#[tokio::test]
async fn webhook_endpoints_round_trip() {
    let (server, c) = local().await;
    let eps = c.webhook_endpoints();
    let ep = eps.create("notes", "app-1").await.unwrap();
    assert!(ep.id.starts_with("we_"));
    assert_eq!(ep.toolkit_slug, "notes");
    assert_eq!(ep.client_id.as_deref(), Some("app-1"));
    assert_eq!(ep.webhook_url, format!("{}/webhook_ingress/{}", server.url(), ep.id));
    assert_eq!(ep.data, None);
    assert_eq!(eps.create("notes", "app-1").await.unwrap().id, ep.id, "one endpoint per pair");
    eps.create("tasks", "app-2").await.unwrap();

    assert_eq!(eps.list(None).await.unwrap().len(), 2);
    let notes = eps.list(Some("notes")).await.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].id, ep.id);

    let data = BTreeMap::from([("signing_secret".to_string(), "whsec_abcdefghijkl9876".to_string())]);
    let set = eps.replace(&ep.id, data).await.unwrap();
    assert_eq!(set.data.unwrap()["signing_secret"], "****9876");
    let got = eps.get(&ep.id).await.unwrap();
    assert_eq!(got.data.unwrap()["signing_secret"], "****9876");
    let upd = eps
        .update(&ep.id, BTreeMap::from([("signing_secret".to_string(), "rotated-secret-0000".to_string())]))
        .await
        .unwrap();
    assert_eq!(upd.data.unwrap()["signing_secret"], "****0000");

    let e = eps.replace(&ep.id, BTreeMap::new()).await.unwrap_err();
    assert_eq!(e.status(), Some(400));
    assert!(e.to_string().contains("signing_secret"), "{e}");
    let e = eps.get("we_missing").await.unwrap_err();
    assert_eq!(e.status(), Some(404));
    let e = eps.create("notes", " ").await.unwrap_err();
    assert!(matches!(e, Error::Validation { .. }), "{e}");
}

#[tokio::test]
async fn raw_requests_use_the_clients_auth_and_typed_errors() {
    let (_server, c) = local().await;
    // Absolute path, relative path, query in the path and as pairs.
    let a = c.raw_request(RawRequest::new("GET", "/api/v3.1/toolkits").query("limit", "2")).await.unwrap();
    let b = c.raw_request(RawRequest::new("get", "toolkits?limit=2")).await.unwrap();
    assert_eq!(a["items"].as_array().unwrap().len(), 2, "{a}");
    assert_eq!(a["items"], b["items"]);
    // A body and an escaped path segment.
    let s = c
        .raw_request(RawRequest::new("POST", "tool_router/session").body(json!({"user_id": "raw user"})))
        .await
        .unwrap();
    let id = s["session_id"].as_str().unwrap();
    let got =
        c.raw_request(RawRequest::new("GET", format!("/api/v3/tool_router/session/{id}"))).await.unwrap();
    assert_eq!(got["config"]["user_id"], "raw user");
    let slug = c.raw_request(RawRequest::new("GET", "/api/v3.1/tools/NOTES%5FCREATE%5FNOTE")).await.unwrap();
    assert_eq!(slug["slug"], "NOTES_CREATE_NOTE", "{slug}");

    // Server errors are typed.
    let e = c.raw_request(RawRequest::new("GET", "tool_router/session/trs_nope")).await.unwrap_err();
    assert_eq!(e.status(), Some(404), "{e}");
    // Bad input is refused before sending.
    for (req, needle) in [
        (RawRequest::new("TRACE", "toolkits"), "unsupported method"),
        (RawRequest::new("GET", "/"), "names no endpoint"),
        (RawRequest::new("GET", "tools/%zz"), "percent-escape"),
        (RawRequest::new("GET", "tools#x"), "fragment"),
    ] {
        let e = c.raw_request(req).await.unwrap_err();
        assert!(matches!(e, Error::Validation { .. }) && e.to_string().contains(needle), "{e}");
    }
    // A wrong key is the server's 401.
    let bad = Composio::new(ComposioConfig::new("wrong").with_base_url(c.config().base_url.clone())).unwrap();
    let e = bad.raw_request(RawRequest::new("GET", "toolkits")).await.unwrap_err();
    assert_eq!(e.status(), Some(401), "{e}");
}
