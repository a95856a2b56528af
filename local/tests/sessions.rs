//! Tool-router sessions: create, get, tools, execute, execute_meta, persistence.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{error_message, start, start_with, Local, TempDir};
use composio_local::LocalOptions;
use serde_json::{json, Value};

async fn create(local: &Local, body: Value) -> String {
    let (s, b) = local.post("/tool_router/session", body).await;
    assert_eq!(s, 200, "{b}");
    b["session_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn create_and_get_echo_the_renamed_config() {
    let local = start().await;
    let body = json!({
        "user_id": "u1",
        "manage_connections": {"enable": true, "callback_url": "https://app/cb", "enable_wait_for_connections": true},
        "tags": {"enable": ["readOnlyHint"]},
        "toolkits": {"enable": ["text"]},
        "tools": {"text": {"disable": ["TEXT_FIND_REPLACE"]}},
        "workbench": {"enable": true, "enable_proxy_execution": false},
    });
    let (s, created) = local.post("/tool_router/session", body).await;
    assert_eq!(s, 200, "{created}");
    let id = created["session_id"].as_str().unwrap();
    assert!(id.starts_with("trs_"), "{id}");
    assert_eq!(
        created["mcp"],
        json!({"type":"http","url": format!("{}/tool_router/{id}/mcp", local.server.url())})
    );
    assert_eq!(
        created["tool_router_tools"],
        json!([
            "COMPOSIO_SEARCH_TOOLS",
            "COMPOSIO_GET_TOOL_SCHEMAS",
            "COMPOSIO_MULTI_EXECUTE_TOOL",
            "COMPOSIO_MANAGE_CONNECTIONS"
        ])
    );
    let config = &created["config"];
    assert_eq!(config["user_id"], "u1");
    assert_eq!(config["toolkits"], json!({"enabled":["text"]}));
    assert_eq!(config["tags"], json!({"enabled":["readOnlyHint"],"disabled":[]}));
    assert_eq!(config["tools"], json!({"text":{"disabled":["TEXT_FIND_REPLACE"]}}));
    assert_eq!(
        config["manage_connections"],
        json!({"enabled":true,"callback_url":"https://app/cb","enable_wait_for_connections":true,"enable_connection_removal":null})
    );
    assert_eq!(config["workbench"]["proxy_execution_enabled"], false);

    let (s, got) = local.get(&format!("/tool_router/session/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(got, created);

    let (s, b) = local.get("/tool_router/session/trs_missing").await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("trs_missing"));

    // Disabling connection management removes the meta tool.
    let (_, b) = local.post("/tool_router/session", json!({"user_id":"u2","manage_connections":false})).await;
    assert_eq!(b["tool_router_tools"].as_array().unwrap().len(), 3);
    assert_eq!(b["config"]["manage_connections"]["enabled"], false);
}

#[tokio::test]
async fn create_validates_the_body() {
    let local = start().await;
    for (body, needle) in [
        (json!({}), "`user_id`"),
        (json!({"user_id": 7}), "`user_id` must be a string"),
        (json!({"user_id": ""}), "`user_id` must not be empty"),
        (json!({"user_id": "u", "toolkits": {"enable": ["github"]}}), "unknown toolkit `github`"),
        (
            json!({"user_id": "u", "toolkits": {"enable": ["text"], "disable": ["text"]}}),
            "mutually exclusive",
        ),
        (json!({"user_id": "u", "toolkits": "text"}), "`toolkits`"),
        (json!({"user_id": "u", "tags": ["speedy"]}), "unknown tag `speedy`"),
        (json!({"user_id": "u", "tools": {"text": ["TEXT_NOPE"]}}), "`TEXT_NOPE`"),
        (json!({"user_id": "u", "manage_connections": {"enabled": true}}), "`manage_connections.enabled`"),
    ] {
        let (s, b) = local.post("/tool_router/session", body.clone()).await;
        assert_eq!(s, 400, "{body}: {b}");
        let msg = error_message(&b, 400);
        assert!(msg.contains(needle), "{body}: {msg}");
    }
    let resp = local
        .http
        .post(local.url("/api/v3.1", "/tool_router/session"))
        .header("x-api-key", local.server.api_key())
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let b: Value = resp.json().await.unwrap();
    assert!(error_message(&b, 400).contains("malformed JSON"));
}

#[tokio::test]
async fn session_tools_are_the_meta_tools() {
    let local = start().await;
    let id = create(&local, json!({"user_id":"u1"})).await;
    let (s, b) = local.get(&format!("/tool_router/session/{id}/tools")).await;
    assert_eq!(s, 200);
    let items = b["items"].as_array().unwrap();
    let slugs: Vec<&str> = items.iter().map(|t| t["slug"].as_str().unwrap()).collect();
    assert_eq!(
        slugs,
        [
            "COMPOSIO_SEARCH_TOOLS",
            "COMPOSIO_GET_TOOL_SCHEMAS",
            "COMPOSIO_MULTI_EXECUTE_TOOL",
            "COMPOSIO_MANAGE_CONNECTIONS"
        ]
    );
    for t in items {
        assert_eq!(t["toolkit"]["slug"], "composio");
        assert_eq!(t["input_parameters"]["type"], "object");
        assert!(!t["input_parameters"]["required"].as_array().unwrap().is_empty());
        assert!(t["deprecated"]["displayName"].is_string());
    }
    assert_eq!(items[2]["input_parameters"]["properties"]["tools"]["maxItems"], 20);
    let (s, b) = local.get("/tool_router/session/trs_nope/tools").await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("trs_nope"));
}

#[tokio::test]
async fn session_execute_runs_tools_and_honours_toolkit_config() {
    let local = start().await;
    let id = create(&local, json!({"user_id":"u1"})).await;
    let path = format!("/tool_router/session/{id}/execute");
    let (s, b) =
        local.post(&path, json!({"tool_slug":"TEXT_WORD_COUNT","arguments":{"text":"one two three"}})).await;
    assert_eq!(s, 200);
    assert_eq!(b["data"]["words"], 3);
    assert_eq!(b["error"], Value::Null);
    assert!(b["log_id"].as_str().unwrap().starts_with("log_"));
    assert!(b.get("successful").is_none());

    let (_, b) = local.post(&path, json!({"tool_slug":"TEXT_WORD_COUNT","arguments":{"txt":"x"}})).await;
    assert!(b["error"].as_str().unwrap().contains("`text`"), "{b}");

    let (s, b) = local.post(&path, json!({"arguments":{}})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`tool_slug`"));
    let (s, b) = local.post(&path, json!({"tool_slug":"GMAIL_SEND_EMAIL"})).await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("GMAIL_SEND_EMAIL"));
    let (s, _) =
        local.post("/tool_router/session/trs_gone/execute", json!({"tool_slug":"TEXT_WORD_COUNT"})).await;
    assert_eq!(s, 404);

    // A disabled toolkit: the error field names it.
    let off = create(&local, json!({"user_id":"u1","toolkits":{"disable":["text"]}})).await;
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{off}/execute"),
            json!({"tool_slug":"TEXT_WORD_COUNT","arguments":{"text":"x"}}),
        )
        .await;
    assert_eq!(s, 200);
    let err = b["error"].as_str().unwrap();
    assert!(err.contains("`text`") && err.contains("disabled"), "{err}");
    assert_eq!(b["data"], json!({}));

    // Tag and per-tool rules.
    let ro = create(&local, json!({"user_id":"u1","tags":["readOnlyHint"]})).await;
    let (_, b) = local
        .post(
            &format!("/tool_router/session/{ro}/execute"),
            json!({"tool_slug":"TEXT_FIND_REPLACE","arguments":{"text":"a","find":"a","replace":"b"}}),
        )
        .await;
    assert!(b["error"].as_str().unwrap().contains("TEXT_FIND_REPLACE"), "{b}");
    let only =
        create(&local, json!({"user_id":"u1","tools":{"text":{"enable":["TEXT_TRANSFORM_CASE"]}}})).await;
    let (_, b) = local
        .post(
            &format!("/tool_router/session/{only}/execute"),
            json!({"tool_slug":"TEXT_WORD_COUNT","arguments":{"text":"x"}}),
        )
        .await;
    assert!(b["error"].as_str().unwrap().contains("not enabled"), "{b}");
}

async fn meta(local: &Local, id: &str, slug: &str, arguments: Value) -> Value {
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{id}/execute_meta"),
            json!({"slug": slug, "arguments": arguments}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert!(b["log_id"].as_str().unwrap().starts_with("log_"));
    b
}

#[tokio::test]
async fn search_tools_ranks_the_obvious_match_first() {
    let local = start().await;
    let id = create(&local, json!({"user_id":"u1"})).await;
    let b = meta(
        &local,
        &id,
        "COMPOSIO_SEARCH_TOOLS",
        json!({"queries":[{"use_case":"count the words in my essay"},{"use_case":"find email addresses in this text"},
                          {"use_case":"convert a title to snake case"},{"use_case":"book a flight to Paris"}]}),
    )
    .await;
    assert_eq!(b["error"], Value::Null);
    let results = b["data"]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["primary_tool_slugs"][0], "TEXT_WORD_COUNT");
    assert_eq!(results[1]["primary_tool_slugs"][0], "TEXT_EXTRACT_EMAILS");
    assert_eq!(results[2]["primary_tool_slugs"][0], "TEXT_TRANSFORM_CASE");
    assert_eq!(results[3]["primary_tool_slugs"], json!([]));
    let schema = &b["data"]["tool_schemas"]["TEXT_WORD_COUNT"];
    assert_eq!(schema["toolkit"], "text");
    assert_eq!(schema["hasFullSchema"], true);
    assert_eq!(schema["input_schema"]["required"], json!(["text"]));
    let statuses = b["data"]["toolkit_connection_statuses"].as_array().unwrap();
    assert_eq!(statuses[0]["toolkit"], "text");
    assert_eq!(statuses[0]["has_active_connection"], true);

    // Only tools the session allows are searched.
    let ro = create(&local, json!({"user_id":"u1","tools":{"text":{"disable":["TEXT_WORD_COUNT"]}}})).await;
    let b = meta(&local, &ro, "COMPOSIO_SEARCH_TOOLS", json!({"queries":[{"use_case":"count words"}]})).await;
    let found: Vec<&Value> =
        b["data"]["results"][0]["primary_tool_slugs"].as_array().unwrap().iter().collect();
    assert!(!found.contains(&&json!("TEXT_WORD_COUNT")));

    // Invalid arguments name the field.
    let b = meta(&local, &id, "COMPOSIO_SEARCH_TOOLS", json!({"queries":[{"usecase":"x"}]})).await;
    assert!(b["error"].as_str().unwrap().contains("queries[0].use_case"), "{b}");
}

#[tokio::test]
async fn get_tool_schemas_and_manage_connections() {
    let local = start().await;
    let id = create(&local, json!({"user_id":"u1"})).await;
    let b = meta(
        &local,
        &id,
        "COMPOSIO_GET_TOOL_SCHEMAS",
        json!({"tool_slugs":["TEXT_TRANSFORM_CASE","NOPE_TOOL"]}),
    )
    .await;
    assert!(b["data"]["tool_schemas"]["TEXT_TRANSFORM_CASE"]["input_schema"]["properties"]["case"]["enum"]
        .is_array());
    assert!(b["error"].as_str().unwrap().contains("NOPE_TOOL"));

    let b = meta(&local, &id, "COMPOSIO_MANAGE_CONNECTIONS", json!({"toolkits":["text"]})).await;
    assert_eq!(b["error"], Value::Null);
    assert_eq!(b["data"]["results"]["text"]["status"], "no_auth_required");
    assert!(b["data"]["results"]["text"]["message"].as_str().unwrap().contains("no connection"));
    let b = meta(&local, &id, "COMPOSIO_MANAGE_CONNECTIONS", json!({"toolkits":["github"]})).await;
    assert!(b["error"].as_str().unwrap().contains("`github`"));

    for slug in ["COMPOSIO_REMOTE_WORKBENCH", "COMPOSIO_REMOTE_BASH_TOOL", "SOMETHING_ELSE"] {
        let b = meta(&local, &id, slug, json!({})).await;
        let err = b["error"].as_str().unwrap();
        assert!(err.contains(slug) && err.contains("not available in composio-local"), "{err}");
    }
    let (s, b) =
        local.post(&format!("/tool_router/session/{id}/execute_meta"), json!({"arguments":{}})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`slug`"));
}

#[tokio::test]
async fn multi_execute_keeps_order_and_enforces_the_limit() {
    let local = start().await;
    let id = create(&local, json!({"user_id":"u1","toolkits":{"enable":["text"]}})).await;
    let b = meta(
        &local,
        &id,
        "COMPOSIO_MULTI_EXECUTE_TOOL",
        json!({"thought":"three things","tools":[
            {"tool_slug":"TEXT_TRANSFORM_CASE","arguments":{"text":"abc","case":"upper"}},
            {"tool_slug":"TEXT_WORD_COUNT","arguments":{"text":"a b c d"}},
            {"tool_slug":"TEXT_WORD_COUNT","arguments":{}},
            {"tool_slug":"TEXT_EXTRACT_EMAILS","arguments":{"text":"x@y.io"}}]}),
    )
    .await;
    let results = b["data"]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["tool_slug"], "TEXT_TRANSFORM_CASE");
    assert_eq!(results[0]["response"]["data"]["result"], "ABC");
    assert_eq!(results[1]["response"]["data"]["words"], 4);
    assert_eq!(results[2]["response"]["successful"], false);
    assert!(results[2]["response"]["error"].as_str().unwrap().contains("`text`"));
    assert_eq!(results[3]["response"]["data"]["emails"], json!(["x@y.io"]));
    assert_eq!(b["data"]["success_count"], 3);
    assert_eq!(b["data"]["error_count"], 1);
    assert!(b["error"].as_str().unwrap().contains("1 of 4"));

    let many: Vec<Value> = (0..21)
        .map(|i| json!({"tool_slug":"TEXT_WORD_COUNT","arguments":{"text": format!("w{i}")}}))
        .collect();
    let b = meta(&local, &id, "COMPOSIO_MULTI_EXECUTE_TOOL", json!({"tools": many})).await;
    let err = b["error"].as_str().unwrap();
    assert!(err.contains("20") && err.contains("21") && err.contains("`tools`"), "{err}");
    let twenty: Vec<Value> = (0..20)
        .map(|i| json!({"tool_slug":"TEXT_WORD_COUNT","arguments":{"text": "w ".repeat(i + 1)}}))
        .collect();
    let b = meta(&local, &id, "COMPOSIO_MULTI_EXECUTE_TOOL", json!({"tools": twenty})).await;
    assert_eq!(b["error"], Value::Null);
    let words: Vec<u64> = b["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["response"]["data"]["words"].as_u64().unwrap())
        .collect();
    assert_eq!(words, (1..=20).collect::<Vec<u64>>());

    // A disabled toolkit inside multi-execute.
    let off = create(&local, json!({"user_id":"u1","toolkits":{"disable":["text"]}})).await;
    let b = meta(
        &local,
        &off,
        "COMPOSIO_MULTI_EXECUTE_TOOL",
        json!({"tools":[{"tool_slug":"TEXT_WORD_COUNT","arguments":{"text":"x"}}]}),
    )
    .await;
    assert!(b["data"]["results"][0]["response"]["error"].as_str().unwrap().contains("disabled"));
}

#[tokio::test]
async fn state_persists_across_restarts() {
    let dir = TempDir::new("persist");
    let first = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let key = first.server.api_key().to_owned();
    assert!(key.len() > 30, "key looks random");
    let id = create(&first, json!({"user_id":"persisted-user","toolkits":["text"]})).await;
    let (_, before) = first.get(&format!("/tool_router/session/{id}")).await;
    first.server.shutdown().await;

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.0.join("api_key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let second = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    assert_eq!(second.server.api_key(), key);
    let (s, after) = second.get(&format!("/tool_router/session/{id}")).await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(after["config"], before["config"]);
    assert_eq!(after["session_id"], id.as_str());
    let (_, b) = second
        .post(
            &format!("/tool_router/session/{id}/execute"),
            json!({"tool_slug":"TEXT_WORD_COUNT","arguments":{"text":"a"}}),
        )
        .await;
    assert_eq!(b["data"]["words"], 1);
    second.server.shutdown().await;

    // A different data folder has a different key.
    let other = start().await;
    assert_ne!(other.server.api_key(), key);
    let temp = other.server.data_dir().to_path_buf();
    other.server.shutdown().await;
    assert!(!temp.exists(), "temporary data folder is removed on shutdown");
}

/// Session custom tools (wire-contract §11.3): checked, given final slugs, echoed on create and get.
#[tokio::test]
async fn custom_tools_get_final_slugs_and_are_echoed() {
    let local = start().await;
    let tool = |slug: &str| {
        json!({"slug": slug, "name": "Weather", "description": "Gets the weather",
               "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}})
    };
    let body = json!({
        "user_id": "u1",
        "experimental": {
            "custom_tools": [tool("get_weather"), {
                "slug": "summarise", "name": "S", "description": "Summarises notes",
                "input_schema": {"type": "object"}, "extends_toolkit": "notes"}],
            "custom_toolkits": [{"slug": "crm", "name": "CRM", "description": "Contacts",
                                 "tools": [tool("find_contact")]}],
        },
    });
    let (s, created) = local.post("/tool_router/session", body).await;
    assert_eq!(s, 200, "{created}");
    let exp = &created["experimental"];
    assert_eq!(exp["custom_tools"][0]["slug"], "LOCAL_GET_WEATHER");
    assert_eq!(exp["custom_tools"][0]["original_slug"], "get_weather");
    assert_eq!(exp["custom_tools"][0]["input_schema"]["properties"]["city"]["type"], "string");
    assert_eq!(exp["custom_tools"][1]["slug"], "LOCAL_NOTES_SUMMARISE");
    assert_eq!(exp["custom_toolkits"][0]["tools"][0]["slug"], "LOCAL_CRM_FIND_CONTACT");
    let id = created["session_id"].as_str().unwrap();
    let (s, got) = local.get(&format!("/tool_router/session/{id}")).await;
    assert_eq!(s, 200);
    assert_eq!(got["experimental"], *exp);

    for (bad, needle) in [
        (json!({"custom_tools": [tool("composio_x")]}), "reserved prefix COMPOSIO_"),
        (json!({"custom_tools": [tool("x"), tool("X")]}), "duplicate custom tool slug"),
        (json!({"custom_tools": [{"slug": "x", "name": "n", "description": "d"}]}), "input_schema"),
        (
            json!({"custom_toolkits": [{"slug": "k", "name": "n", "description": "d", "tools": []}]}),
            "no tools",
        ),
    ] {
        let (s, b) = local.post("/tool_router/session", json!({"user_id": "u1", "experimental": bad})).await;
        assert!(error_message(&b, 400).contains(needle), "{s} {b}");
    }
}
