//! v3.1 session PATCH, config history and DELETE.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::start;
use serde_json::{json, Value};

#[tokio::test]
async fn patch_is_partial_versioned_and_preconditioned() {
    let local = start().await;
    let (s, b) = local
        .post(
            "/tool_router/session",
            json!({"user_id":"u1","toolkits":{"enable":["notes"]},"auth_configs":{"notes":"ac_1"},"tags":["readOnlyHint"]}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["config_version"], 1);
    let sid = b["session_id"].as_str().unwrap().to_owned();
    let path = format!("/tool_router/session/{sid}");

    // Partial: only auth_configs changes (the map is replaced), toolkits and tags stay.
    let (s, b) = local.patch(&path, Some(json!({"auth_configs":{"tasks":"ac_2"}}))).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["config_version"], 2);
    assert_eq!(b["config"]["auth_configs"], json!({"tasks":"ac_2"}));
    assert_eq!(b["config"]["toolkits"], json!({"enabled":["notes"]}));
    assert_eq!(b["config"]["tags"]["enabled"], json!(["readOnlyHint"]));

    // null removes the stored override; echoed blocks are stored.
    let (s, b) = local
        .patch(&path, Some(json!({"toolkits":null,"search":{"enable":false},"expected_config_version":2})))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["config_version"], 3);
    assert!(b["config"].get("toolkits").is_none(), "{b}");
    assert_eq!(b["config"]["search"], json!({"enable": false}));
    let (_, got) = local.get(&path).await;
    assert_eq!(got["config_version"], 3);
    assert_eq!(got["config"]["search"], json!({"enable": false}));

    // Stale precondition: 409 naming both versions; nothing changes.
    let (s, b) = local.patch(&path, Some(json!({"tags":null,"expected_config_version":2}))).await;
    assert_eq!(s, 409, "{b}");
    let msg = b["error"]["message"].as_str().unwrap();
    assert!(msg.contains("version 3") && msg.contains("version 2"), "{msg}");
    let (_, got) = local.get(&path).await;
    assert_eq!(got["config_version"], 3);
    assert!(got["config"].get("tags").is_some());

    // Bad versions and bad fields: 400.
    for bad in [json!(0), json!(-1), json!(1.5), json!("3"), json!(true)] {
        let (s, b) = local.patch(&path, Some(json!({"expected_config_version": bad}))).await;
        assert_eq!(s, 400, "{bad}: {b}");
        assert!(b["error"]["message"].as_str().unwrap().contains("expected_config_version"));
    }
    let (s, _) = local.patch(&path, Some(json!({"instant":null}))).await;
    assert_eq!(s, 400);
    let (s, b) = local.patch(&path, Some(json!({"bogus":1}))).await;
    assert_eq!(s, 400);
    assert!(b["error"]["message"].as_str().unwrap().contains("bogus"));
    let (s, _) = local.patch(&path, Some(json!({"toolkits":{"enable":["nope"]}}))).await;
    assert_eq!(s, 400);
    let (_, got) = local.get(&path).await;
    assert_eq!(got["config_version"], 3);

    // History: newest first, paginated with a cursor.
    let (s, h) = local.get(&format!("{path}/config_history?limit=2")).await;
    assert_eq!(s, 200, "{h}");
    let versions: Vec<i64> =
        h["items"].as_array().unwrap().iter().map(|i| i["version"].as_i64().unwrap()).collect();
    assert_eq!(versions, [3, 2]);
    assert_eq!(h["items"][0]["is_current"], true);
    assert_eq!(h["items"][1]["is_current"], false);
    assert_eq!(h["items"][1]["config"]["toolkits"], json!({"enabled":["notes"]}));
    assert!(h["items"][0]["created_at"].is_string());
    assert_eq!(h["total_items"], 3);
    let cursor = h["next_cursor"].as_str().unwrap();
    let (_, h2) = local.get(&format!("{path}/config_history?limit=2&cursor={cursor}")).await;
    assert_eq!(h2["items"][0]["version"], 1);
    assert_eq!(h2["items"][0]["config"]["auth_configs"], json!({"notes":"ac_1"}));
    assert_eq!(h2["next_cursor"], Value::Null);
    let (s, _) = local.get(&format!("{path}/config_history?limit=101")).await;
    assert_eq!(s, 400);
}

#[tokio::test]
async fn history_of_a_fresh_session_and_delete() {
    let local = start().await;
    let (_, b) = local.post("/tool_router/session", json!({"user_id":"u2"})).await;
    let sid = b["session_id"].as_str().unwrap().to_owned();
    let path = format!("/tool_router/session/{sid}");
    let (s, h) = local.get(&format!("{path}/config_history")).await;
    assert_eq!(s, 200, "{h}");
    assert_eq!(h["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        (h["items"][0]["version"].as_i64(), h["items"][0]["is_current"].as_bool()),
        (Some(1), Some(true))
    );

    let (s, d) = local.delete(&path).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d, json!({"session_id": sid, "deleted": true}));
    for p in [path.clone(), format!("{path}/tools"), format!("{path}/config_history")] {
        let (s, _) = local.get(&p).await;
        assert_eq!(s, 404, "{p}");
    }
    let (s, _) = local.post(&format!("{path}/execute"), json!({"tool_slug":"TEXT_ECHO"})).await;
    assert_eq!(s, 404);
    let (s, _) = local.patch(&path, Some(json!({"tags":null}))).await;
    assert_eq!(s, 404);
    let (s, b) = local.delete(&path).await;
    assert_eq!(s, 404, "{b}");
}

#[tokio::test]
async fn patch_applies_a_saved_config_and_stores_premium_usage() {
    let local = start().await;
    let (s, sc) = local
        .call_prefix(
            "/api/v3.1",
            reqwest::Method::POST,
            "/session_configs",
            Some(json!({"name": "Tasks only", "config": {"toolkits": {"enable": ["tasks"]}}})),
        )
        .await;
    assert_eq!(s, 201, "{sc}");
    let scid = sc["id"].as_str().unwrap().to_owned();
    let (_, b) = local.post("/tool_router/session", json!({"user_id":"u3","toolkits":["notes"]})).await;
    let sid = b["session_id"].as_str().unwrap().to_owned();
    let path = format!("/tool_router/session/{sid}");

    // The saved policy replaces toolkit access; the id itself is not stored as a setting.
    let (s, b) = local.patch(&path, Some(json!({"experimental": {"session_config_id": scid}}))).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["config"]["toolkits"], json!({"enabled": ["tasks"]}));
    assert_eq!(b["config_version"], 2);

    // An unknown saved config: 404 naming it, and nothing changes.
    let (s, b) = local.patch(&path, Some(json!({"experimental": {"session_config_id": "sc_missing"}}))).await;
    assert_eq!(s, 404, "{b}");
    assert!(b["error"]["message"].as_str().unwrap().contains("sc_missing"), "{b}");

    // premium_usage is stored as given and kept by later updates; null is refused.
    let policy = json!({"toolkits": {"enable": ["tasks"]}, "return_premium_charge": true});
    let (s, b) = local.patch(&path, Some(json!({"premium_usage": policy}))).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["config"]["premium_usage"], policy);
    let (_, b) = local.patch(&path, Some(json!({"search": {"enable": true}}))).await;
    assert_eq!(b["config"]["premium_usage"], policy);
    let (s, b) = local.patch(&path, Some(json!({"premium_usage": null}))).await;
    assert_eq!(s, 400, "{b}");
    let (_, got) = local.get(&path).await;
    assert_eq!(got["config_version"], 4);
}
