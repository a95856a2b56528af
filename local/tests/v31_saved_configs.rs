//! Saved session configs applied at session create (`experimental.session_config_id`), the
//! custom-tool `preload` hint of `@composio/core` 0.21, and schema migration 5 (the v3.1 tables).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{error_message, start, start_with, Local, TempDir};
use composio_local::LocalOptions;
use reqwest::Method;
use serde_json::{json, Value};

async fn save_config(local: &Local, name: &str, config: Value, archived: bool) -> String {
    let (s, b) = local
        .call_prefix(
            "/api/v3.1",
            Method::POST,
            "/session_configs",
            Some(json!({"name": name, "config": config, "archived": archived})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    b["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn session_create_applies_a_saved_config_and_records_its_id() {
    let local = start().await;
    let policy = json!({
        "toolkits": {"enable": ["notes"]},
        "tools": {"notes": {"disable": ["NOTES_DELETE_NOTE"]}},
        "tags": {"disable": ["destructiveHint"]},
    });
    let id = save_config(&local, "Notes only", policy, false).await;

    let (s, created) = local
        .post(
            "/tool_router/session",
            json!({"user_id": "u1", "manage_connections": false,
                   "experimental": {"session_config_id": id, "assistive_prompt_config": {"user_timezone": "UTC"}}}),
        )
        .await;
    assert_eq!(s, 200, "{created}");
    let cfg = &created["config"];
    assert_eq!(cfg["toolkits"], json!({"enabled": ["notes"]}), "{cfg}");
    assert_eq!(cfg["tools"]["notes"]["disabled"], json!(["NOTES_DELETE_NOTE"]), "{cfg}");
    assert_eq!(cfg["tags"]["disabled"], json!(["destructiveHint"]), "{cfg}");
    assert_eq!(cfg["manage_connections"]["enabled"], false, "per-session fields still apply: {cfg}");
    assert_eq!(created["experimental"]["source_session_config"], json!({"id": id}));
    assert!(created["experimental"]["assistive_prompt"].as_str().unwrap().contains("UTC"));

    // Stored with the session.
    let sid = created["session_id"].as_str().unwrap();
    let (_, got) = local.get(&format!("/tool_router/session/{sid}")).await;
    assert_eq!(got["experimental"]["source_session_config"], json!({"id": id}));
    assert_eq!(got["config"]["toolkits"], json!({"enabled": ["notes"]}));

    // The policy decides which tools a search finds: delete is disabled.
    let (s, found) = local
        .post(
            &format!("/tool_router/session/{sid}/search"),
            json!({"queries": [{"use_case": "delete a note"}]}),
        )
        .await;
    assert_eq!(s, 200, "{found}");
    let text = found.to_string();
    assert!(text.contains("NOTES_") && !text.contains("NOTES_DELETE_NOTE"), "{found}");

    // A session without the config has no source.
    let (_, plain) = local.post("/tool_router/session", json!({"user_id": "u1"})).await;
    assert!(plain.get("experimental").is_none_or(|e| e.get("source_session_config").is_none()), "{plain}");
}

#[tokio::test]
async fn saved_config_errors_name_the_problem() {
    let local = start().await;
    let id = save_config(&local, "Tasks", json!({"toolkits": {"enable": ["tasks"]}}), false).await;
    let archived = save_config(&local, "Old", json!({"toolkits": {"enable": ["tasks"]}}), true).await;
    let unknown_tk =
        save_config(&local, "Bad toolkit", json!({"toolkits": {"enable": ["nosuchkit"]}}), false).await;

    let (s, b) = local
        .post(
            "/tool_router/session",
            json!({"user_id": "u", "experimental": {"session_config_id": "sc_missing"}}),
        )
        .await;
    let msg = error_message(&b, 404);
    assert!(msg.contains("sc_missing"), "{s} {b}");
    assert_eq!(b["error"]["code"], 1225, "{b}");

    let (_, b) = local
        .post(
            "/tool_router/session",
            json!({"user_id": "u", "experimental": {"session_config_id": archived}}),
        )
        .await;
    let msg = error_message(&b, 400);
    assert!(msg.contains(&archived) && msg.contains("archived"), "{msg}");

    let (_, b) = local
        .post(
            "/tool_router/session",
            json!({"user_id": "u", "experimental": {"session_config_id": unknown_tk}}),
        )
        .await;
    let msg = error_message(&b, 400);
    assert!(msg.contains(&unknown_tk) && msg.contains("nosuchkit"), "{msg}");

    let tool = json!({"slug": "x", "name": "X", "description": "d", "input_schema": {"type": "object"}});
    for (body, needles) in [
        (
            json!({"user_id": "u", "toolkits": ["notes"], "tags": ["readOnlyHint"], "experimental": {"session_config_id": id}}),
            vec!["`toolkits`", "`tags`"],
        ),
        (
            json!({"user_id": "u", "tools": {"notes": ["NOTES_LIST_NOTES"]}, "experimental": {"session_config_id": id, "custom_tools": [tool]}}),
            vec!["`tools`", "`experimental.custom_tools`"],
        ),
        (
            json!({"user_id": "u", "experimental": {"session_config_id": 7}}),
            vec!["session_config_id", "string"],
        ),
        (
            json!({"user_id": "u", "experimental": {"session_config_id": ""}}),
            vec!["session_config_id", "empty"],
        ),
    ] {
        let (s, b) = local.post("/tool_router/session", body.clone()).await;
        let msg = error_message(&b, 400);
        for n in needles {
            assert!(msg.contains(n), "{body}: {s} {msg}");
        }
    }
    // `session_config_id: null` is the same as absent.
    let (s, b) = local
        .post("/tool_router/session", json!({"user_id": "u", "experimental": {"session_config_id": null}}))
        .await;
    assert_eq!(s, 200, "{b}");
}

#[tokio::test]
async fn the_custom_tool_preload_hint_is_stored_and_echoed() {
    let local = start().await;
    let tool = |slug: &str, preload: Option<bool>| {
        let mut t =
            json!({"slug": slug, "name": "T", "description": "d", "input_schema": {"type": "object"}});
        if let Some(p) = preload {
            t["preload"] = json!(p);
        }
        t
    };
    let (s, created) = local
        .post(
            "/tool_router/session",
            json!({"user_id": "u", "experimental": {
                "custom_tools": [tool("a", Some(true)), tool("b", None)],
                "custom_toolkits": [{"slug": "crm", "name": "CRM", "description": "d", "preload": true,
                                     "tools": [tool("find", Some(false))]}],
            }}),
        )
        .await;
    assert_eq!(s, 200, "{created}");
    let exp = &created["experimental"];
    assert_eq!(exp["custom_tools"][0]["preload"], true, "{exp}");
    assert!(exp["custom_tools"][1].get("preload").is_none(), "not sent, not invented: {exp}");
    assert_eq!(exp["custom_toolkits"][0]["preload"], true, "{exp}");
    assert_eq!(exp["custom_toolkits"][0]["tools"][0]["preload"], false, "{exp}");

    let sid = created["session_id"].as_str().unwrap();
    let (_, got) = local.get(&format!("/tool_router/session/{sid}")).await;
    assert_eq!(got["experimental"]["custom_tools"], exp["custom_tools"]);

    let (s, attached) = local
        .post(
            &format!("/tool_router/session/{sid}/attach"),
            json!({"experimental": {"custom_tools": [tool("c", Some(true))]}}),
        )
        .await;
    assert_eq!(s, 200, "{attached}");
    assert_eq!(attached["experimental"]["custom_tools"][0]["preload"], true);

    let (_, b) = local
        .post(
            &format!("/tool_router/session/{sid}/attach"),
            json!({"experimental": {"custom_tools": [{
            "slug": "d", "name": "D", "description": "d", "input_schema": {}, "preload": "yes"}]}}),
        )
        .await;
    let msg = error_message(&b, 400);
    assert!(msg.contains("custom_tools[0]") && msg.contains("preload") && msg.contains("boolean"), "{msg}");
}

fn user_version(dir: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(dir.join(composio_local::db::DB_FILE)).unwrap();
    c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap()
}

fn set_user_version(dir: &std::path::Path, version: i64, extra_sql: &str) {
    let c = rusqlite::Connection::open(dir.join(composio_local::db::DB_FILE)).unwrap();
    c.execute_batch(extra_sql).unwrap();
    c.pragma_update(None, "user_version", version).unwrap();
}

/// The schema version of this build.
const LATEST: i64 = 6;
/// Turns a version-6 database back into what version 5 wrote (no session config versions).
const UNDO_6: &str = "ALTER TABLE sessions DROP COLUMN config_version; DROP TABLE session_config_history;";

#[tokio::test]
async fn migration_5_upgrades_version_4_databases_with_or_without_the_lazy_tables() {
    let dir = TempDir::new("v31-migration");
    let (config_id, endpoint_id) = {
        let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
        let id = save_config(&local, "Kept", json!({"toolkits": {"enable": ["notes"]}}), false).await;
        let (s, ep) = local
            .call_prefix(
                "/api/v3.1",
                Method::POST,
                "/webhook_endpoints",
                Some(json!({"toolkit_slug": "notes", "client_id": "cli_1"})),
            )
            .await;
        assert_eq!(s, 201, "{ep}");
        (id, ep["id"].as_str().unwrap().to_owned())
    };
    assert_eq!(user_version(&dir.0), LATEST);

    // A database from a build that created the tables on first use but stopped at version 4.
    set_user_version(&dir.0, 4, UNDO_6);
    {
        let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
        let (s, b) =
            local.call_prefix("/api/v3.1", Method::GET, &format!("/session_configs/{config_id}"), None).await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["name"], "Kept");
        let (s, b) = local
            .call_prefix("/api/v3.1", Method::GET, &format!("/webhook_endpoints/{endpoint_id}"), None)
            .await;
        assert_eq!(s, 200, "{b}");
    }
    assert_eq!(user_version(&dir.0), LATEST);

    // A version-4 database that never had them.
    set_user_version(
        &dir.0,
        4,
        &format!("{UNDO_6} DROP TABLE session_configs; DROP TABLE webhook_endpoints;"),
    );
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    assert_eq!(user_version(&dir.0), LATEST);
    let (s, b) = local.call_prefix("/api/v3.1", Method::GET, "/session_configs", None).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["items"], json!([]));
    let (s, b) = local.call_prefix("/api/v3.1", Method::GET, "/webhook_endpoints", None).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["items"], json!([]));
    let (s, b) = local.call_prefix("/api/v3.1", Method::GET, "/webhook_endpoints/we_gone", None).await;
    assert!(error_message(&b, 404).contains("we_gone"), "{s} {b}");
    assert_eq!(b["error"]["code"], 1223);
}

#[tokio::test]
async fn migration_6_gives_existing_sessions_version_1_and_an_empty_history() {
    let dir = TempDir::new("v31-migration-6");
    let sid = {
        let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
        let (s, b) =
            local.post("/tool_router/session", json!({"user_id": "u1", "toolkits": ["notes"]})).await;
        assert_eq!(s, 200, "{b}");
        b["session_id"].as_str().unwrap().to_owned()
    };
    set_user_version(&dir.0, 5, UNDO_6);
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    assert_eq!(user_version(&dir.0), LATEST);
    let path = format!("/tool_router/session/{sid}");
    let (s, b) = local.get(&path).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["config_version"], 1);
    let (s, b) = local.patch(&path, Some(json!({"toolkits": null, "expected_config_version": 1}))).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["config_version"], 2);
    let (_, h) = local.get(&format!("{path}/config_history")).await;
    let versions: Vec<i64> =
        h["items"].as_array().unwrap().iter().map(|i| i["version"].as_i64().unwrap()).collect();
    assert_eq!(versions, [2, 1]);
    assert_eq!(h["items"][1]["config"]["toolkits"], json!({"enabled": ["notes"]}));
}
