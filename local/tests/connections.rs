//! Auth configs, connected accounts and the API-key connect page, against an in-process server.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{browser, error_message, open, query_param, start, start_with, submit, Local, TempDir};
use composio_local::LocalOptions;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Link a `notes` account for `user` through the connect page with API key `key`.
async fn connect_notes(local: &Local, ac: &str, user: &str, key: &str) -> String {
    let (s, b) = local
        .post(
            "/connected_accounts/link",
            json!({"auth_config_id": ac, "user_id": user, "callback_url": "https://app.example/cb?x=1"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let url = b["redirect_url"].as_str().unwrap().to_owned();
    let id = b["connected_account_id"].as_str().unwrap().to_owned();
    let (_, acct) = local.get(&format!("/connected_accounts/{id}")).await;
    assert_eq!(acct["status"], "INITIATED");
    let client = browser();
    let (s, _, page) = open(&client, &url).await;
    assert_eq!(s, 200);
    assert!(page.contains("name=\"api_key\"") && page.contains("Local Notes"), "{page}");
    let (s, location, _) = submit(&client, &url, &[("api_key", key)]).await;
    assert_eq!(s, 302);
    let location = location.unwrap();
    assert!(location.starts_with("https://app.example/cb?x=1&"), "{location}");
    assert_eq!(query_param(&location, "status").as_deref(), Some("success"));
    assert_eq!(query_param(&location, "connected_account_id").as_deref(), Some(id.as_str()));
    id
}

#[tokio::test]
async fn api_key_flow_makes_accounts_active_and_notes_are_isolated_per_account() {
    let local = start().await;
    let ac = local.managed("notes").await;
    assert!(ac.starts_with("ac_"));

    // Before any connection: the tool needs an account (code 1803).
    let (s, b) = local.exec("NOTES_LIST_NOTES", json!({"user_id":"alice","arguments":{}})).await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["error"]["code"], 1803);
    assert!(error_message(&b, 400).contains("alice"));

    // Initiate returns the camelCase connectionData and a link page.
    let (s, init) = local
        .post("/connected_accounts", json!({"auth_config":{"id": ac},"connection":{"user_id":"alice","callback_url":"https://app/cb"}}))
        .await;
    assert_eq!(s, 200, "{init}");
    assert_eq!(init["status"], "INITIATED");
    assert_eq!(init["connectionData"]["authScheme"], "API_KEY");
    assert_eq!(init["connectionData"]["val"]["status"], "INITIATED");
    assert_eq!(init["connectionData"]["val"]["redirectUrl"], init["redirect_url"]);
    assert!(init["redirect_url"].as_str().unwrap().starts_with(&format!("{}/link/lk_", local.server.url())));

    let alice = connect_notes(&local, &ac, "alice", "alice-secret-key-123456").await;
    let alice2 = connect_notes(&local, &ac, "alice", "alice-second-key-98765").await;
    let bob = connect_notes(&local, &ac, "bob", "bob-secret-key-1234567").await;

    let (_, acct) = local.get(&format!("/connected_accounts/{alice}")).await;
    assert_eq!(acct["status"], "ACTIVE");
    assert_eq!(acct["state"]["authScheme"], "API_KEY");
    assert_eq!(acct["state"]["val"]["api_key"], "********3456", "the key is masked");
    assert!(!acct.to_string().contains("alice-secret-key"));
    assert_eq!(acct["auth_config"]["id"], ac.as_str());
    assert_eq!(acct["auth_config"]["is_composio_managed"], true);
    assert_eq!(acct["toolkit"]["slug"], "notes");

    // Notes tools, pinned to explicit accounts.
    let (s, b) = local
        .exec(
            "NOTES_CREATE_NOTE",
            json!({"connected_account_id": alice, "arguments":{"title":"Groceries","content":"Milk and eggs","tags":["Shopping","home"],"pinned":true}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["successful"], true, "{b}");
    let note_id = b["data"]["note"]["id"].as_str().unwrap().to_owned();
    assert_eq!(b["data"]["note"]["tags"], json!(["shopping", "home"]));
    let (_, b) = local
        .exec(
            "NOTES_CREATE_NOTE",
            json!({"connected_account_id": alice, "arguments":{"title":"Ideas","content":"Write a book"}}),
        )
        .await;
    assert_eq!(b["successful"], true, "{b}");

    let list = |account: &str, args: Value| json!({"connected_account_id": account, "arguments": args});
    let (_, b) = local.exec("NOTES_LIST_NOTES", list(&alice, json!({}))).await;
    assert_eq!(b["data"]["total"], 2);
    assert_eq!(b["data"]["notes"][0]["title"], "Groceries", "pinned first");
    let (_, b) = local.exec("NOTES_LIST_NOTES", list(&alice, json!({"query":"book"}))).await;
    assert_eq!(b["data"]["notes"][0]["title"], "Ideas");
    assert_eq!(b["data"]["total"], 1);
    let (_, b) = local.exec("NOTES_LIST_NOTES", list(&alice, json!({"tag":"SHOPPING","pinned":true}))).await;
    assert_eq!(b["data"]["total"], 1);
    let (_, b) = local
        .exec("NOTES_LIST_NOTES", list(&alice, json!({"sort_by":"title","order":"asc","limit":1})))
        .await;
    assert_eq!((b["data"]["notes"].as_array().unwrap().len(), &b["data"]["has_more"]), (1, &json!(true)));
    let (_, b) = local.exec("NOTES_LIST_NOTES", list(&alice, json!({"created_after":"2999-01-01"}))).await;
    assert_eq!(b["data"]["total"], 0);
    let (_, b) = local.exec("NOTES_LIST_NOTES", list(&alice, json!({"order":"sideways"}))).await;
    assert_eq!(b["successful"], false);
    assert!(b["error"].as_str().unwrap().contains("`order`"), "{b}");

    // Other accounts, including alice's second one, see nothing of it.
    for other in [&alice2, &bob] {
        let (_, b) = local.exec("NOTES_LIST_NOTES", list(other, json!({}))).await;
        assert_eq!(b["data"]["total"], 0, "{other}: {b}");
        let (_, b) = local.exec("NOTES_GET_NOTE", list(other, json!({"note_id": note_id}))).await;
        assert_eq!(b["successful"], false);
        assert!(b["error"].as_str().unwrap().contains("not found"));
    }
    // By user id: bob's newest ACTIVE account.
    let (_, b) = local.exec("NOTES_LIST_NOTES", json!({"user_id":"bob","arguments":{}})).await;
    assert_eq!((b["successful"].clone(), b["data"]["total"].clone()), (json!(true), json!(0)), "{b}");
    // An account of another user cannot be used for bob.
    let (s, b) = local
        .exec("NOTES_LIST_NOTES", json!({"user_id":"bob","connected_account_id": alice,"arguments":{}}))
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("another user"));

    let (_, b) = local.exec("NOTES_GET_NOTE", list(&alice, json!({"note_id": note_id}))).await;
    assert_eq!(b["data"]["note"]["content"], "Milk and eggs");
    let (_, b) = local.exec("NOTES_DELETE_NOTE", list(&alice, json!({"note_id": note_id}))).await;
    assert_eq!(b["data"], json!({"deleted": true, "note_id": note_id}));
    let (_, b) = local.exec("NOTES_DELETE_NOTE", list(&alice, json!({"note_id": note_id}))).await;
    assert_eq!(b["successful"], false);

    // Disabled accounts cannot run tools; re-enabled ones can.
    let (s, b) =
        local.patch(&format!("/connected_accounts/{alice}/status"), Some(json!({"enabled": false}))).await;
    assert_eq!((s.as_u16(), &b["success"]), (200, &json!(true)));
    let (_, acct) = local.get(&format!("/connected_accounts/{alice}")).await;
    assert_eq!((acct["status"].as_str(), acct["is_disabled"].as_bool()), (Some("INACTIVE"), Some(true)));
    let (s, b) = local.exec("NOTES_LIST_NOTES", list(&alice, json!({}))).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("disabled"));
    local.patch(&format!("/connected_accounts/{alice}/status"), Some(json!({"enabled": true}))).await;
    let (_, b) = local.exec("NOTES_LIST_NOTES", list(&alice, json!({}))).await;
    assert_eq!(b["data"]["total"], 1);

    // Used links cannot be reused.
    let (s, b) =
        local.post("/connected_accounts/link", json!({"auth_config_id": ac, "user_id": "carol"})).await;
    assert_eq!(s, 200);
    let url = b["redirect_url"].as_str().unwrap().to_owned();
    let client = browser();
    let (s, _, page) = submit(&client, &url, &[("api_key", "")]).await;
    assert_eq!(s, 400);
    assert!(page.contains("Enter your API key"));
    let (s, location, page) = submit(&client, &url, &[("api_key", "carol-key")]).await;
    assert_eq!((s, location), (StatusCode::OK, None), "no callback_url: a success page");
    assert!(page.contains("data-status=\"success\""), "{page}");
    let (s, _, page) = open(&client, &url).await;
    assert_eq!(s, 410);
    assert!(page.contains("already used"));
}

#[tokio::test]
async fn initiate_with_credentials_is_active_and_expired_links_show_an_error_page() {
    let local = start_with(LocalOptions::default().with_link_ttl(std::time::Duration::from_secs(1))).await;
    let ac = local.managed("notes").await;
    let (s, b) = local
        .post(
            "/connected_accounts",
            json!({"auth_config":{"id": ac},"connection":{"user_id":"u1","state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","api_key":"k-123456789012"}}}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "ACTIVE");
    assert_eq!(b["redirect_url"], Value::Null);
    let (_, r) = local
        .exec("NOTES_CREATE_NOTE", json!({"user_id":"u1","arguments":{"title":"t","content":"c"}}))
        .await;
    assert_eq!(r["successful"], true, "{r}");

    // Scheme mismatch and missing fields are named.
    let (s, b) = local
        .post("/connected_accounts", json!({"auth_config":{"id": ac},"connection":{"user_id":"u1","state":{"authScheme":"OAUTH2","val":{}}}}))
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("authScheme"));
    let (s, b) = local.post("/connected_accounts", json!({"auth_config":{"id": ac},"connection":{}})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`connection.user_id`"));
    let (s, b) = local
        .post("/connected_accounts", json!({"auth_config":{"id": "ac_nope"},"connection":{"user_id":"u"}}))
        .await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("ac_nope"));

    // PATCH with new state credentials, and alias.
    let (s, link) =
        local.post("/connected_accounts/link", json!({"auth_config_id": ac, "user_id": "u2"})).await;
    assert_eq!(s, 200);
    assert!(link["link_token"].as_str().unwrap().starts_with("lk_"));
    assert!(link["expires_at"].as_str().unwrap().ends_with('Z'));
    let id = link["connected_account_id"].as_str().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let (s, _, page) = open(&browser(), link["redirect_url"].as_str().unwrap()).await;
    assert_eq!(s, 410);
    assert!(page.contains("Link expired") && page.contains("expired"), "{page}");
    let (s, b) = local
        .patch(&format!("/connected_accounts/{id}"), Some(json!({"alias":"work","connection":{"state":{"authScheme":"API_KEY","val":{"api_key":"patched-key-0000"}}}})))
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!((b["status"].as_str(), b["alias"].as_str()), (Some("ACTIVE"), Some("work")));

    // Refresh re-initiates an API-key account with a fresh link.
    let (s, b) = local
        .call(
            reqwest::Method::POST,
            &format!("/connected_accounts/{id}/refresh?redirect_url=https://app/again"),
            None,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "INITIATED");
    assert!(b["redirect_url"].as_str().unwrap().contains("/link/lk_"));

    let (s, b) = local.delete(&format!("/connected_accounts/{id}")).await;
    assert_eq!((s.as_u16(), &b["success"]), (200, &json!(true)));
    let (s, b) = local.get(&format!("/connected_accounts/{id}")).await;
    assert_eq!((s.as_u16(), &b["error"]["code"]), (404, &json!(1803)));
}

#[tokio::test]
async fn auth_config_crud_and_masking() {
    let local = start().await;
    let (s, b) = local.post("/auth_configs", json!({"toolkit":{"slug":"text"}})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("needs no authentication"));
    let (s, b) = local
        .post("/auth_configs", json!({"toolkit":{"slug":"tasks"},"auth_config":{"type":"use_custom_auth","authScheme":"OAUTH2","credentials":{"client_id":"cid"}}}))
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`auth_config.credentials.client_secret`"));
    let (s, b) = local
        .post("/auth_configs", json!({"toolkit":{"slug":"tasks"},"auth_config":{"type":"use_custom_auth","authScheme":"API_KEY"}}))
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("does not support `API_KEY`"));
    let (s, b) =
        local.post("/auth_configs", json!({"toolkit":{"slug":"tasks"},"auth_config":{"type":"magic"}})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`auth_config.type`"));

    let (s, b) = local
        .post(
            "/auth_configs",
            json!({"toolkit":{"slug":"tasks"},"auth_config":{"type":"use_custom_auth","authScheme":"OAUTH2","name":"My Tasks App",
                "credentials":{"client_id":"cid-1","client_secret":"very-secret-client-value","scopes":["tasks.read","tasks.write"],
                               "authorization_url":"https://provider.example/authorize","token_url":"https://provider.example/token"}}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["auth_config"]["auth_scheme"], "OAUTH2");
    assert_eq!(b["auth_config"]["is_composio_managed"], false);
    assert_eq!(b["toolkit"]["slug"], "tasks");
    let custom = b["auth_config"]["id"].as_str().unwrap().to_owned();
    let managed = local.managed("tasks").await;
    let notes = local.managed("notes").await;

    let (s, cfg) = local.get(&format!("/auth_configs/{custom}")).await;
    assert_eq!(s, 200);
    assert_eq!(cfg["type"], "custom");
    assert_eq!(cfg["status"], "ENABLED");
    assert_eq!(cfg["name"], "My Tasks App");
    assert_eq!(cfg["credentials"]["client_id"], "cid-1");
    assert_eq!(cfg["credentials"]["client_secret"], "********alue");
    assert_eq!(cfg["credentials"]["scopes"], "tasks.read tasks.write");
    assert_eq!(cfg["credentials"]["token_url"], "https://provider.example/token");
    assert_eq!(cfg["no_of_connections"], 0);
    assert_eq!(cfg["toolkit"]["slug"], "tasks");
    assert!(!cfg.to_string().contains("very-secret"));

    // Lists: newest first, filters, pagination.
    let (_, all) = local.get("/auth_configs").await;
    let ids: Vec<&str> = all["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [notes.as_str(), managed.as_str(), custom.as_str()]);
    let (_, b) = local.get("/auth_configs?toolkit_slug=tasks&is_composio_managed=false").await;
    assert_eq!(b["total_items"], 1);
    let (_, b) = local.get("/auth_configs?search=my%20tasks").await;
    assert_eq!(b["items"][0]["id"], custom.as_str());
    let (_, p1) = local.get("/auth_configs?limit=2").await;
    assert_eq!(p1["items"].as_array().unwrap().len(), 2);
    let (_, p2) =
        local.get(&format!("/auth_configs?limit=2&cursor={}", p1["next_cursor"].as_str().unwrap())).await;
    assert_eq!(p2["items"][0]["id"], custom.as_str());
    assert_eq!(p2["next_cursor"], Value::Null);

    // Update: masked secret sent back is kept; a new one replaces it; wrong type is named.
    let (s, b) = local
        .patch(
            &format!("/auth_configs/{custom}"),
            Some(json!({"type":"custom","credentials":{"client_secret":"********alue","client_id":"cid-2"}})),
        )
        .await;
    assert_eq!((s.as_u16(), b), (200, json!({})));
    let (_, cfg) = local.get(&format!("/auth_configs/{custom}")).await;
    assert_eq!(
        (cfg["credentials"]["client_id"].as_str(), cfg["credentials"]["client_secret"].as_str()),
        (Some("cid-2"), Some("********alue"))
    );
    let (s, b) = local
        .patch(&format!("/auth_configs/{custom}"), Some(json!({"type":"default","scopes":"tasks.read"})))
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`type`"));
    let (s, _) = local
        .patch(&format!("/auth_configs/{managed}"), Some(json!({"type":"default","scopes":["tasks.read"]})))
        .await;
    assert_eq!(s, 200);
    let (_, cfg) = local.get(&format!("/auth_configs/{managed}")).await;
    assert_eq!(cfg["credentials"]["scopes"], "tasks.read");

    // Enable / disable via the path segment.
    let (s, b) = local.patch(&format!("/auth_configs/{notes}/DISABLED"), None).await;
    assert_eq!((s.as_u16(), b), (200, json!({})));
    let (_, b) = local.get("/auth_configs").await;
    assert_eq!(b["total_items"], 2, "disabled configs are hidden by default");
    let (_, b) = local.get("/auth_configs?show_disabled=true").await;
    assert_eq!(b["total_items"], 3);
    let (s, b) =
        local.post("/connected_accounts/link", json!({"auth_config_id": notes, "user_id": "u"})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("disabled"));
    let (s, b) = local.patch(&format!("/auth_configs/{notes}/enabled"), None).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("ENABLED"));
    local.patch(&format!("/auth_configs/{notes}/ENABLED"), None).await;

    // Delete takes the accounts with it.
    let (_, link) =
        local.post("/connected_accounts/link", json!({"auth_config_id": notes, "user_id": "u"})).await;
    let (_, cfg) = local.get(&format!("/auth_configs/{notes}")).await;
    assert_eq!(cfg["no_of_connections"], 1);
    let (s, b) = local.delete(&format!("/auth_configs/{notes}")).await;
    assert_eq!((s.as_u16(), b), (200, json!({})));
    let (s, _) =
        local.get(&format!("/connected_accounts/{}", link["connected_account_id"].as_str().unwrap())).await;
    assert_eq!(s, 404);
    let (s, b) = local.get(&format!("/auth_configs/{notes}")).await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains(&notes));

    // Toolkit retrieve describes the auth fields.
    let (_, tk) = local.get("/toolkits/notes").await;
    assert_eq!(tk["auth_config_details"][0]["mode"], "API_KEY");
    assert_eq!(
        tk["auth_config_details"][0]["fields"]["connected_account_initiation"]["required"][0]["name"],
        "api_key"
    );
    assert_eq!(
        tk["auth_config_details"][0]["fields"]["connected_account_initiation"]["required"][0]["displayName"],
        "API Key"
    );
    // The proxy base URL is the toolkit API composio-local serves (the proxy endpoints call it).
    let proxy_base =
        |tk: &Value| tk["auth_config_details"][0]["proxy"]["base_url"].as_str().unwrap().to_owned();
    assert_eq!(proxy_base(&tk), format!("{}/toolkit-api/notes", local.server.url()));
    let (_, tk) = local.get("/toolkits/tasks").await;
    assert_eq!(proxy_base(&tk), format!("{}/toolkit-api/tasks", local.server.url()));
    assert_eq!(tk["auth_config_details"][0]["mode"], "OAUTH2");
    assert_eq!(
        tk["auth_config_details"][0]["deprecated_auth_provider_details"]["token_url"],
        format!("{}/oauth2/token", local.server.url())
    );
    assert_eq!(tk["composio_managed_auth_schemes"], json!(["OAUTH2"]));
}

#[tokio::test]
async fn connected_account_list_filters_order_and_pagination() {
    let local = start().await;
    let notes = local.managed("notes").await;
    let tasks = local.managed("tasks").await;
    let mut ids = Vec::new();
    for (user, ac) in [("u1", &notes), ("u2", &notes), ("u1", &tasks), ("u3", &tasks), ("u1", &notes)] {
        let (_, b) =
            local.post("/connected_accounts/link", json!({"auth_config_id": ac, "user_id": user})).await;
        ids.push(b["connected_account_id"].as_str().unwrap().to_owned());
    }
    local
        .patch(
            &format!("/connected_accounts/{}", ids[4]),
            Some(json!({"connection":{"state":{"authScheme":"API_KEY","val":{"api_key":"abc"}}}})),
        )
        .await;
    let got = |b: &Value| {
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };

    let (_, b) = local.get("/connected_accounts").await;
    assert_eq!(got(&b), ids.iter().rev().cloned().collect::<Vec<_>>(), "newest first by default");
    let (_, b) = local.get("/connected_accounts?order_direction=asc").await;
    assert_eq!(got(&b), ids);
    let (_, b) = local.get("/connected_accounts?order_by=updated_at&order_direction=desc&limit=1").await;
    assert_eq!(got(&b), [ids[4].clone()]);
    let (_, b) = local.get("/connected_accounts?user_ids=u1").await;
    assert_eq!(b["total_items"], 3);
    let (_, b) = local.get("/connected_accounts?user_ids=u1,u3&toolkit_slugs=TASKS").await;
    assert_eq!(got(&b), [ids[3].clone(), ids[2].clone()]);
    let (_, b) = local.get(&format!("/connected_accounts?auth_config_ids={notes}&statuses=ACTIVE")).await;
    assert_eq!(got(&b), [ids[4].clone()]);
    let (_, b) = local.get(&format!("/connected_accounts?connected_account_ids={},{}", ids[0], ids[1])).await;
    assert_eq!(b["total_items"], 2);
    let (_, b) = local.get("/connected_accounts?statuses=INITIATED&user_ids=u1").await;
    assert_eq!(b["total_items"], 2);

    let mut seen = Vec::new();
    let mut path = "/connected_accounts?limit=2&order_direction=asc".to_owned();
    loop {
        let (s, b) = local.get(&path).await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["total_items"], 5);
        assert_eq!(b["total_pages"], 3);
        seen.extend(got(&b));
        match b["next_cursor"].as_str() {
            Some(c) => path = format!("/connected_accounts?limit=2&order_direction=asc&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    for (query, needle) in [
        ("statuses=DONE", "`statuses`"),
        ("order_by=name", "`order_by`"),
        ("order_direction=up", "`order_direction`"),
        ("limit=0", "`limit`"),
    ] {
        let (s, b) = local.get(&format!("/connected_accounts?{query}")).await;
        assert_eq!(s, 400, "{query}");
        assert!(error_message(&b, 400).contains(needle), "{query}");
    }
}

#[tokio::test]
async fn everything_persists_across_restart() {
    let dir = TempDir::new("persist2");
    let (ac, account, note_id) = {
        let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
        let ac = local.managed("notes").await;
        let account = connect_notes(&local, &ac, "dana", "dana-key-1234567890").await;
        let (_, b) = local
            .exec(
                "NOTES_CREATE_NOTE",
                json!({"user_id":"dana","arguments":{"title":"Remember","content":"me"}}),
            )
            .await;
        let note = b["data"]["note"]["id"].as_str().unwrap().to_owned();
        local.server.shutdown().await;
        (ac, account, note)
    };
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let (s, cfg) = local.get(&format!("/auth_configs/{ac}")).await;
    assert_eq!((s.as_u16(), &cfg["no_of_connections"]), (200, &json!(1)));
    let (_, acct) = local.get(&format!("/connected_accounts/{account}")).await;
    assert_eq!(acct["status"], "ACTIVE");
    let (_, b) =
        local.exec("NOTES_GET_NOTE", json!({"user_id":"dana","arguments":{"note_id": note_id}})).await;
    assert_eq!(b["data"]["note"]["title"], "Remember", "{b}");
}
