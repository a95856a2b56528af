//! `Session::update` / `config_history` / `delete` against an in-process composio-local.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::{Composio, ComposioConfig, Error, SessionConfig};
use composio_local::{spawn, LocalOptions, RunningServer};
use serde_json::{json, Map, Value};

async fn local() -> (RunningServer, Composio) {
    let server = spawn(LocalOptions::default()).await.unwrap();
    let client = Composio::new(ComposioConfig::new(server.api_key()).with_base_url(server.url())).unwrap();
    (server, client)
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[tokio::test]
async fn update_refreshes_history_and_conflict() {
    let (_server, c) = local().await;
    let s = c.create_session("u1", SessionConfig::new().toolkits(vec!["notes".to_string()])).await.unwrap();
    assert_eq!(s.config_version(), 1);
    // A clone is a handle to the same session: it sees the update too.
    let twin = s.clone();

    let up = s.update(&obj(json!({"toolkits": null, "proxy_execute": true}))).await.unwrap();
    assert_eq!(up.config_version, 2);
    assert_eq!(s.config_version(), 2);
    assert_eq!(twin.config_version(), 2);
    assert_eq!(twin.config(), s.config());
    assert!(s.config().get("toolkits").is_none(), "{}", s.config());
    assert_eq!(s.config()["proxy_execute"], json!({"enable": true}));

    let up =
        s.update(&obj(json!({"sandbox": {"enable": false}, "expected_config_version": 2}))).await.unwrap();
    assert_eq!(up.config_version, 3);
    assert_eq!(s.config()["workbench"]["enable"], false);

    // A stale precondition: SESSION_CONFIG_CONFLICT with the session and version; s unchanged.
    let err = s.update(&obj(json!({"tags": null, "expected_config_version": 1}))).await.unwrap_err();
    assert_eq!(err.code(), "SESSION_CONFIG_CONFLICT");
    assert_eq!(err.status(), Some(409));
    match &err {
        Error::SessionConfigConflict { session_id, expected_config_version, .. } => {
            assert_eq!(session_id, &s.session_id);
            assert_eq!(*expected_config_version, Some(1));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(s.config_version(), 3);

    // Validation happens before any request.
    for bad in [
        json!({"sandbox": {}, "workbench": {}}),
        json!({"instant": null}),
        json!({"hooks": null, "experimental": {"session_config_id": "sc_1"}}),
        json!({"toolkits": ["notes"], "experimental": {"session_config_id": "sc_1"}}),
        json!({"tags": null, "experimental": {"session_config_id": "sc_1"}}),
        json!({"premium_usage": null}),
        json!({"expected_config_version": 0}),
        json!({"expected_config_version": true}),
        json!({"expected_config_version": 1.5}),
        json!({"nope": 1}),
    ] {
        let e = s.update(&obj(bad.clone())).await.unwrap_err();
        assert_eq!(e.code(), "VALIDATION_ERROR", "{bad}: {e}");
    }
    // false means no precondition.
    let up = s.update(&obj(json!({"expected_config_version": false, "tags": null}))).await.unwrap();
    assert_eq!(up.config_version, 4);

    let h = s.config_history(None, Some(3)).await.unwrap();
    let versions: Vec<i64> = h.items.iter().map(|i| i["version"].as_i64().unwrap()).collect();
    assert_eq!(versions, [4, 3, 2]);
    assert_eq!(h.items[0]["is_current"], true);
    let h2 = s.config_history(h.next_cursor.as_deref(), Some(3)).await.unwrap();
    assert_eq!(h2.items.len(), 1);
    assert_eq!(h2.items[0]["config"]["toolkits"], json!({"enabled": ["notes"]}));
    assert_eq!(s.config_history(None, Some(0)).await.unwrap_err().code(), "VALIDATION_ERROR");

    let restored = c.use_session(&s.session_id).await.unwrap();
    assert_eq!(restored.config_version(), 4);
    // The version is read out of the response, not left behind in `extra`
    // where an update would make it stale.
    assert!(!restored.extra.contains_key("config_version"), "{:?}", restored.extra.keys());
    assert!(!s.extra.contains_key("config_version"), "{:?}", s.extra.keys());
}

#[tokio::test]
async fn delete_session() {
    let (_server, c) = local().await;
    let s = c.create_session("u1", SessionConfig::new()).await.unwrap();
    let d = s.delete().await.unwrap();
    assert_eq!((d.session_id.as_str(), d.deleted), (s.session_id.as_str(), true));
    assert_eq!(c.use_session(&s.session_id).await.unwrap_err().code(), "NOT_FOUND");
    assert_eq!(c.delete_session(&s.session_id).await.unwrap_err().code(), "NOT_FOUND");
    assert_eq!(c.delete_session(" ").await.unwrap_err().code(), "VALIDATION_ERROR");
}

#[tokio::test]
async fn shorthands_are_spelled_out_and_saved_config_conflicts_name_the_config() {
    let (server, c) = local().await;
    let s = c.create_session("u2", SessionConfig::new()).await.unwrap();
    // Arrays and booleans travel as {"enable": ...}; a single account id as a list.
    s.update(&obj(json!({
        "toolkits": ["notes"],
        "tags": ["readOnlyHint"],
        "tools": {"notes": ["NOTES_CREATE_NOTE"]},
        "manage_connections": false,
    })))
    .await
    .unwrap();
    assert_eq!(s.config()["toolkits"], json!({"enabled": ["notes"]}), "{}", s.config());
    assert_eq!(s.config()["tags"]["enabled"], json!(["readOnlyHint"]), "{}", s.config());
    assert_eq!(s.config()["tools"]["notes"]["enabled"], json!(["NOTES_CREATE_NOTE"]), "{}", s.config());
    assert_eq!(s.config()["manage_connections"]["enabled"], false, "{}", s.config());

    // A 409 while applying a saved config names the config in the message and the error.
    let http = reqwest::Client::new();
    let sc: Value = http
        .post(format!("{}/api/v3.1/session_configs", server.url()))
        .header("x-api-key", server.api_key())
        .json(&json!({"name": "Tasks", "config": {"toolkits": {"enable": ["tasks"]}}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let scid = sc["id"].as_str().unwrap();
    let err = s
        .update(&obj(json!({"experimental": {"session_config_id": scid}, "expected_config_version": 1})))
        .await
        .unwrap_err();
    assert!(err.to_string().contains(scid), "{err}");
    match &err {
        Error::SessionConfigConflict { session_config_id, expected_config_version, .. } => {
            assert_eq!(session_config_id.as_deref(), Some(scid));
            assert_eq!(*expected_config_version, Some(1));
        }
        other => panic!("unexpected {other:?}"),
    }
    let up = s.update(&obj(json!({"experimental": {"session_config_id": scid}}))).await.unwrap();
    assert_eq!(up.config()["toolkits"], json!({"enabled": ["tasks"]}));
}
