//! Sessions with authenticated toolkits: link, toolkits, search, execute, COMPOSIO_MANAGE_CONNECTIONS.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{browser, error_message, oauth_connect, query_param, start, submit, Local};
use serde_json::{json, Value};

async fn session(local: &Local, body: Value) -> String {
    let (s, b) = local.post("/tool_router/session", body).await;
    assert_eq!(s, 200, "{b}");
    b["session_id"].as_str().unwrap().to_owned()
}

async fn finish_api_key(url: &str, key: &str) -> Option<String> {
    let (s, location, body) = submit(&browser(), url, &[("api_key", key)]).await;
    assert!(s == 302 || s == 200, "{body}");
    location
}

#[tokio::test]
async fn session_link_toolkits_and_execute() {
    let local = start().await;
    let sid = session(
        &local,
        json!({"user_id":"u1","manage_connections":{"enable":true,"callback_url":"https://app/session-cb"}}),
    )
    .await;

    // Toolkits before connecting.
    let (s, b) = local.get(&format!("/tool_router/session/{sid}/toolkits")).await;
    assert_eq!(s, 200, "{b}");
    let slugs: Vec<&str> =
        b["items"].as_array().unwrap().iter().map(|i| i["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["text", "notes", "tasks"]);
    let text = &b["items"][0];
    assert_eq!((text["is_no_auth"].as_bool(), text.get("connected_account")), (Some(true), None));
    assert_eq!(b["items"][1]["connected_account"], Value::Null);
    assert_eq!(b["items"][1]["composio_managed_auth_schemes"], json!(["API_KEY"]));
    assert!(!b["items"][1]["meta"]["description"].as_str().unwrap().is_empty());
    let (_, b) = local.get(&format!("/tool_router/session/{sid}/toolkits?is_connected=false")).await;
    assert_eq!(b["total_items"], 2);

    // Executing before connecting: 1803.
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{sid}/execute"),
            json!({"tool_slug":"NOTES_LIST_NOTES","arguments":{}}),
        )
        .await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["error"]["code"], 1803);

    // Link creates a Composio-managed auth config on first use, and uses the session's callback.
    let (s, link) = local.post(&format!("/tool_router/session/{sid}/link"), json!({"toolkit":"notes"})).await;
    assert_eq!(s, 200, "{link}");
    let account = link["connected_account_id"].as_str().unwrap().to_owned();
    assert!(link["link_token"].as_str().unwrap().starts_with("lk_"));
    let location =
        finish_api_key(link["redirect_url"].as_str().unwrap(), "session-key-123456").await.unwrap();
    assert!(location.starts_with("https://app/session-cb?"), "{location}");
    assert_eq!(query_param(&location, "connected_account_id").as_deref(), Some(account.as_str()));
    let (_, cfgs) = local.get("/auth_configs?toolkit_slug=notes").await;
    assert_eq!(cfgs["total_items"], 1);
    assert_eq!(cfgs["items"][0]["is_composio_managed"], true);

    // A second link reuses that auth config; a callback_url in the body wins.
    let (_, link2) = local
        .post(
            &format!("/tool_router/session/{sid}/link"),
            json!({"toolkit":"tasks","callback_url":"https://app/other"}),
        )
        .await;
    let (s, location, _) = oauth_connect(link2["redirect_url"].as_str().unwrap(), "u1-tasks", true).await;
    assert_eq!(s, 302);
    assert!(location.unwrap().starts_with("https://app/other?"));

    let (_, b) = local.get(&format!("/tool_router/session/{sid}/toolkits?toolkits=notes,tasks")).await;
    assert_eq!(b["total_items"], 2);
    let notes = &b["items"][0];
    assert_eq!(notes["connected_account"]["id"], account.as_str());
    assert_eq!(notes["connected_account"]["status"], "ACTIVE");
    assert_eq!(notes["connected_account"]["user_id"], "u1");
    assert_eq!(notes["connected_account"]["auth_config"]["auth_scheme"], "API_KEY");
    assert_eq!(notes["connected_account"]["auth_config"]["is_composio_managed"], true);
    let (_, b) = local.get(&format!("/tool_router/session/{sid}/toolkits?is_connected=true&limit=2")).await;
    assert_eq!((b["total_items"].as_u64(), b["items"].as_array().unwrap().len()), (Some(3), 2));
    let (_, b2) = local
        .get(&format!(
            "/tool_router/session/{sid}/toolkits?is_connected=true&limit=2&cursor={}",
            b["next_cursor"].as_str().unwrap()
        ))
        .await;
    assert_eq!(b2["items"][0]["slug"], "tasks");
    let (_, b) = local.get(&format!("/tool_router/session/{sid}/toolkits?search=task")).await;
    assert_eq!(b["total_items"], 1);

    // Execute through the session with the user's ACTIVE account.
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{sid}/execute"),
            json!({"tool_slug":"NOTES_CREATE_NOTE","arguments":{"title":"From session","content":"hi"}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["error"], Value::Null, "{b}");
    assert!(b["log_id"].as_str().unwrap().starts_with("log_"));
    // Multi-execute runs its calls concurrently, so a call in the batch must not rely on another's
    // effect: create a task in one batch, list it in the next.
    let multi = |tools: Value| json!({"slug":"COMPOSIO_MULTI_EXECUTE_TOOL","arguments":{"tools": tools}});
    let path = format!("/tool_router/session/{sid}/execute_meta");
    let (_, b) = local
        .post(
            &path,
            multi(json!([
                {"tool_slug":"NOTES_LIST_NOTES","arguments":{}},
                {"tool_slug":"TASKS_CREATE_TASK","arguments":{"title":"t1"}}])),
        )
        .await;
    assert_eq!(b["error"], Value::Null, "{b}");
    let results = &b["data"]["results"];
    assert_eq!(results[0]["response"]["data"]["total"], 1);
    assert_eq!(results[1]["response"]["successful"], true, "{b}");
    let (_, b) = local.post(&path, multi(json!([{"tool_slug":"TASKS_LIST_TASKS","arguments":{}}]))).await;
    assert_eq!(b["data"]["results"][0]["response"]["data"]["count"], 1, "{b}");

    // A session pinned to another user's account cannot use it; unknown pinned ids are 404 1803.
    let other = session(&local, json!({"user_id":"u2","connected_accounts":{"notes": account}})).await;
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{other}/execute"),
            json!({"tool_slug":"NOTES_LIST_NOTES","arguments":{}}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("another user"));
    let pinned = session(&local, json!({"user_id":"u1","connected_accounts":{"notes": "ca_missing"}})).await;
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{pinned}/execute"),
            json!({"tool_slug":"NOTES_LIST_NOTES","arguments":{}}),
        )
        .await;
    assert_eq!((s.as_u16(), &b["error"]["code"]), (404, &json!(1803)));
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{sid}/execute"),
            json!({"tool_slug":"NOTES_LIST_NOTES","account":"ca_nope"}),
        )
        .await;
    assert_eq!((s.as_u16(), &b["error"]["code"]), (404, &json!(1803)));

    // Link errors name the problem.
    let (s, b) = local.post(&format!("/tool_router/session/{sid}/link"), json!({"toolkit":"text"})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("needs no authentication"));
    let (s, b) = local.post(&format!("/tool_router/session/{sid}/link"), json!({"toolkit":"github"})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`github`"));
    let limited = session(&local, json!({"user_id":"u1","toolkits":["text"]})).await;
    let (s, b) =
        local.post(&format!("/tool_router/session/{limited}/link"), json!({"toolkit":"notes"})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("not enabled"));
}

#[tokio::test]
async fn session_auth_config_override_search_and_manage_connections() {
    let local = start().await;
    let custom = local
        .auth_config(json!({"toolkit":{"slug":"notes"},"auth_config":{"type":"use_custom_auth","authScheme":"API_KEY","name":"Team notes"}}))
        .await;
    let sid = session(&local, json!({"user_id":"u9","auth_configs":{"notes": custom}})).await;

    // COMPOSIO_MANAGE_CONNECTIONS returns a real connect link for the session's auth config.
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{sid}/execute_meta"),
            json!({"slug":"COMPOSIO_MANAGE_CONNECTIONS","arguments":{"toolkits":["notes","text"]}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["error"], Value::Null, "{b}");
    let notes = &b["data"]["results"]["notes"];
    assert_eq!(notes["status"], "initiated");
    let account = notes["connected_account_id"].as_str().unwrap().to_owned();
    let url = notes["redirect_url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/link/lk_", local.server.url())));
    assert_eq!(b["data"]["results"]["text"]["status"], "no_auth_required");
    let (_, acct) = local.get(&format!("/connected_accounts/{account}")).await;
    assert_eq!(acct["auth_config"]["id"], custom.as_str());
    assert_eq!(acct["auth_config"]["is_composio_managed"], false);
    finish_api_key(&url, "team-key-12345678").await;

    let (_, b) = local
        .post(
            &format!("/tool_router/session/{sid}/execute_meta"),
            json!({"slug":"COMPOSIO_MANAGE_CONNECTIONS","arguments":{"toolkits":["notes"]}}),
        )
        .await;
    assert_eq!(b["data"]["results"]["notes"]["status"], "active");
    assert_eq!(b["data"]["results"]["notes"]["connected_account_id"], account.as_str());

    // Search (§2.8): ranked results, schemas and connection statuses.
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{sid}/search"),
            json!({"queries":[{"use_case":"create a note"},{"use_case":"add a new task with a due date"}]}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["success"], true);
    assert_eq!(b["results"][0]["primary_tool_slugs"][0], "NOTES_CREATE_NOTE");
    assert_eq!(b["results"][1]["primary_tool_slugs"][0], "TASKS_CREATE_TASK");
    assert_eq!(b["tool_schemas"]["NOTES_CREATE_NOTE"]["hasFullSchema"], true);
    assert_eq!(b["tool_schemas"]["NOTES_CREATE_NOTE"]["toolkit"], "notes");
    let statuses = b["toolkit_connection_statuses"].as_array().unwrap();
    let status = |slug: &str| statuses.iter().find(|s| s["toolkit"] == slug).cloned().unwrap();
    assert_eq!(status("notes")["has_active_connection"], true);
    assert_eq!(status("tasks")["has_active_connection"], false);
    assert!(b["next_steps_guidance"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g.as_str().unwrap().contains("COMPOSIO_MANAGE_CONNECTIONS")));
    assert!(b["time_info"]["current_time_utc_epoch_seconds"].is_u64());
    assert!(b["session"]["id"].is_string());
    let (_, b) = local
        .post(
            &format!("/tool_router/session/{sid}/search"),
            json!({"queries":[{"use_case":"create"}],"toolkits":["tasks"]}),
        )
        .await;
    assert_eq!(b["results"][0]["primary_tool_slugs"], json!(["TASKS_CREATE_TASK"]));
    let (s, b) = local.post(&format!("/tool_router/session/{sid}/search"), json!({"queries":[]})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`queries`"));
    let (s, b) =
        local.post(&format!("/tool_router/session/{sid}/search"), json!({"queries":[{"usecase":"x"}]})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("queries[0].usecase"));

    // The same search through the meta tool.
    let (_, b) = local
        .post(
            &format!("/tool_router/session/{sid}/execute_meta"),
            json!({"slug":"COMPOSIO_SEARCH_TOOLS","arguments":{"queries":[{"use_case":"list my notes"}]}}),
        )
        .await;
    assert_eq!(b["data"]["results"][0]["primary_tool_slugs"][0], "NOTES_LIST_NOTES", "{b}");
}
