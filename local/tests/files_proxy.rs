//! Proxy execution, the toolkit APIs it reaches, file upload/download, `/tools/enum` and
//! `/tools/execute/{slug}/input`, against an in-process server.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::{error_message, start, Local};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// An ACTIVE notes account of `user` with API key `key`.
async fn notes_account(local: &Local, user: &str, key: &str) -> String {
    let ac = local.managed("notes").await;
    let (s, b) = local
        .post(
            "/connected_accounts",
            json!({"auth_config":{"id": ac},"connection":{"user_id": user,
                "state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","api_key": key}}}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b["id"].as_str().unwrap().to_owned()
}

async fn proxy(local: &Local, prefix: &str, body: Value) -> (StatusCode, Value) {
    local.call_prefix(prefix, reqwest::Method::POST, "/tools/execute/proxy", Some(body)).await
}

#[tokio::test]
async fn proxy_reaches_the_notes_api_with_each_accounts_key() {
    let local = start().await;
    let ann = notes_account(&local, "ann", "ann-key-0123456789").await;
    let bob = notes_account(&local, "bob", "bob-key-0123456789").await;
    let (_, b) = local
        .exec(
            "NOTES_CREATE_NOTE",
            json!({"connected_account_id": ann, "arguments": {"title": "ann's", "content": "x"}}),
        )
        .await;
    assert_eq!(b["successful"], true, "{b}");

    for prefix in ["/api/v3", "/api/v3.1"] {
        let (s, b) = proxy(
            &local,
            prefix,
            json!({"endpoint": "/notes", "method": "GET", "connected_account_id": ann}),
        )
        .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["status"], 200, "{b}");
        assert_eq!(b["data"]["notes"][0]["title"], "ann's", "{b}");
        assert!(b["headers"]["content-type"].as_str().unwrap().contains("json"), "{b}");
    }
    let (_, b) =
        proxy(&local, "/api/v3", json!({"endpoint": "/notes", "method": "get", "connected_account_id": bob}))
            .await;
    assert_eq!(b["data"]["total"], 0, "bob does not see ann's notes: {b}");

    // POST through the proxy creates a note bob's tools then see; query parameters are forwarded.
    let (_, b) = proxy(
        &local,
        "/api/v3",
        json!({"endpoint": "notes", "method": "POST", "connected_account_id": bob,
               "body": {"title": "via proxy", "content": "hello", "tags": ["p"]}}),
    )
    .await;
    assert_eq!(b["status"], 201, "{b}");
    let note_id = b["data"]["note"]["id"].as_str().unwrap().to_owned();
    let (_, b) = local.exec("NOTES_LIST_NOTES", json!({"connected_account_id": bob, "arguments": {}})).await;
    assert_eq!(b["data"]["notes"][0]["title"], "via proxy", "{b}");
    let (_, b) = proxy(
        &local,
        "/api/v3",
        json!({"endpoint": "/notes", "method": "GET", "connected_account_id": bob,
               "parameters": [{"name": "tag", "type": "query", "value": "nope"}, {"name": "x-trace", "type": "header", "value": "1"}]}),
    )
    .await;
    assert_eq!(b["data"]["total"], 0, "{b}");
    let (_, b) = proxy(
        &local,
        "/api/v3",
        json!({"endpoint": format!("{}/toolkit-api/notes/notes/{note_id}", local.server.url()), "method": "DELETE", "connected_account_id": bob}),
    )
    .await;
    assert_eq!((b["status"].as_u64(), &b["data"]["deleted"]), (Some(200), &json!(true)), "{b}");
    let (_, b) = proxy(
        &local,
        "/api/v3",
        json!({"endpoint": format!("/notes/{note_id}"), "method": "GET", "connected_account_id": bob}),
    )
    .await;
    assert_eq!(b["status"], 404, "{b}");
    // The proxied API validates like the tool does.
    let (_, b) = proxy(&local, "/api/v3", json!({"endpoint": "/notes", "method": "POST", "connected_account_id": bob, "body": {"title": "no content"}})).await;
    assert_eq!(b["status"], 400, "{b}");
    assert!(b["data"]["error"]["message"].as_str().unwrap().contains("content"), "{b}");

    // The toolkit API itself refuses requests without the account's key.
    let resp = reqwest::Client::new()
        .get(format!("{}/toolkit-api/notes/notes", local.server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let resp = reqwest::Client::new()
        .get(format!("{}/toolkit-api/notes/notes", local.server.url()))
        .header("x-api-key", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
}

#[tokio::test]
async fn proxy_errors_name_the_problem() {
    let local = start().await;
    let ann = notes_account(&local, "ann", "ann-key-0123456789").await;
    let cases = [
        (json!({"method": "GET", "connected_account_id": ann}), 400, "`endpoint`"),
        (json!({"endpoint": "/notes", "connected_account_id": ann}), 400, "`method`"),
        (json!({"endpoint": "/notes", "method": "TRACE", "connected_account_id": ann}), 400, "`method`"),
        (json!({"endpoint": "/notes", "method": "GET"}), 400, "`connected_account_id`"),
        (
            json!({"endpoint": "/notes", "method": "GET", "connected_account_id": "ca_missing"}),
            404,
            "ca_missing",
        ),
        (
            json!({"endpoint": "https://example.com/x", "method": "GET", "connected_account_id": ann}),
            400,
            "`endpoint`",
        ),
        (
            json!({"endpoint": "/../../api/v3/tools", "method": "GET", "connected_account_id": ann}),
            400,
            "`endpoint`",
        ),
        (
            json!({"endpoint": "/notes", "method": "GET", "connected_account_id": ann, "bogus": 1}),
            400,
            "`bogus`",
        ),
        (
            json!({"endpoint": "/notes", "method": "GET", "connected_account_id": ann, "parameters": [{"name": "a", "type": "cookie", "value": "1"}]}),
            400,
            "`parameters[0].type`",
        ),
        (
            json!({"endpoint": "/notes", "method": "POST", "connected_account_id": ann, "body": {}, "binary_body": {"base64": "AA=="}}),
            400,
            "`binary_body`",
        ),
    ];
    for (body, status, needle) in cases {
        let (s, b) = proxy(&local, "/api/v3", body.clone()).await;
        assert_eq!(s.as_u16(), status, "{body} → {b}");
        let msg = error_message(&b, status);
        assert!(msg.contains(needle), "{body}: {msg}");
    }
    // A disabled account cannot be used.
    let (s, _) =
        local.patch(&format!("/connected_accounts/{ann}/status"), Some(json!({"enabled": false}))).await;
    assert_eq!(s, 200);
    let (s, b) =
        proxy(&local, "/api/v3", json!({"endpoint": "/notes", "method": "GET", "connected_account_id": ann}))
            .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("disabled"));
    // custom_connection_data supplies the credential directly.
    let bob = notes_account(&local, "bob", "bob-key-0123456789").await;
    let (s, b) = proxy(
        &local,
        "/api/v3",
        json!({"endpoint": "/notes", "method": "GET",
               "custom_connection_data": {"authScheme": "API_KEY", "toolkitSlug": "notes", "val": {"api_key": "bob-key-0123456789"}}}),
    )
    .await;
    assert_eq!((s.as_u16(), b["status"].as_u64()), (200, Some(200)), "{b}");
    let _ = bob;
}

#[tokio::test]
async fn oauth_tokens_are_injected_and_session_proxy_is_scoped_to_its_user() {
    let local = start().await;
    let carol = local.tasks_account("carol", "carol").await;
    let (_, b) = proxy(
        &local,
        "/api/v3",
        json!({"endpoint": "/tasks", "method": "POST", "connected_account_id": carol, "body": {"title": "from proxy"}}),
    )
    .await;
    assert_eq!(b["status"], 201, "{b}");
    let (_, b) =
        local.exec("TASKS_LIST_TASKS", json!({"connected_account_id": carol, "arguments": {}})).await;
    assert_eq!(b["data"]["tasks"][0]["title"], "from proxy", "{b}");
    let task = b["data"]["tasks"][0]["id"].as_str().unwrap().to_owned();
    let (_, b) = proxy(
        &local,
        "/api/v3",
        json!({"endpoint": format!("/tasks/{task}/complete"), "method": "POST", "connected_account_id": carol}),
    )
    .await;
    assert_eq!(b["status"], 200, "{b}");
    assert_eq!(b["data"]["task"]["status"], "completed", "{b}");

    // Sessions proxy with their own user's account.
    let dave = notes_account(&local, "dave", "dave-key-0123456789").await;
    local
        .exec(
            "NOTES_CREATE_NOTE",
            json!({"connected_account_id": dave, "arguments": {"title": "dave's", "content": "d"}}),
        )
        .await;
    let (_, s1) = local.post("/tool_router/session", json!({"user_id": "dave"})).await;
    let sid = s1["session_id"].as_str().unwrap().to_owned();
    for prefix in ["/api/v3", "/api/v3.1"] {
        let (s, b) = local
            .call_prefix(
                prefix,
                reqwest::Method::POST,
                &format!("/tool_router/session/{sid}/proxy_execute"),
                Some(json!({"toolkit_slug": "notes", "endpoint": "/notes", "method": "GET"})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["data"]["notes"][0]["title"], "dave's", "{b}");
    }
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{sid}/proxy_execute"),
            json!({"toolkit_slug": "tasks", "endpoint": "/tasks", "method": "GET"}),
        )
        .await;
    assert_eq!(s, 400, "dave has no tasks account: {b}");
    assert!(error_message(&b, 400).contains("dave"));
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{sid}/proxy_execute"),
            json!({"endpoint": "/tasks", "method": "GET"}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`toolkit_slug`"));
    let (s, b) = local
        .post(
            "/tool_router/session/trs_missing/proxy_execute",
            json!({"toolkit_slug": "notes", "endpoint": "/notes", "method": "GET"}),
        )
        .await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("trs_missing"));
    let (_, s2) = local
        .post("/tool_router/session", json!({"user_id": "dave", "toolkits": {"disable": ["notes"]}}))
        .await;
    let (s, b) = local
        .post(
            &format!("/tool_router/session/{}/proxy_execute", s2["session_id"].as_str().unwrap()),
            json!({"toolkit_slug": "notes", "endpoint": "/notes", "method": "GET"}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("disabled"));
}

async fn upload(local: &Local, name: &str, mimetype: &str, bytes: &[u8]) -> (String, String) {
    let md5 = composio_local::routes::files::md5_hex(bytes);
    let (s, b) = local
        .post(
            "/files/upload/request",
            json!({"filename": name, "mimetype": mimetype, "md5": md5, "tool_slug": "TEXT_FILE_STATS", "toolkit_slug": "text"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["type"], "new");
    assert_eq!(b["metadata"]["storage_backend"], "s3");
    assert_eq!(b["new_presigned_url"], b["newPresignedUrl"]);
    (b["key"].as_str().unwrap().to_owned(), b["new_presigned_url"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn uploaded_files_reach_tools_and_produced_files_download() {
    let local = start().await;
    let http = reqwest::Client::new();
    let content = b"one two\nthree\n";
    let (key, url) = upload(&local, "words.txt", "text/plain", content).await;

    // Not uploaded yet: the tool says so.
    let file = json!({"name": "words.txt", "mimetype": "text/plain", "s3key": key});
    let (_, b) = local.exec("TEXT_FILE_STATS", json!({"arguments": {"file": file}})).await;
    assert_eq!(b["successful"], false);
    assert!(b["error"].as_str().unwrap().contains("not uploaded"), "{b}");

    // The storage URL checks the signature, the MD5 and the content type.
    let unsigned = url.split('?').next().unwrap().to_owned();
    assert_eq!(http.put(&unsigned).body(content.to_vec()).send().await.unwrap().status(), 403);
    let tampered = url.replace("signature=", "signature=00");
    assert_eq!(http.put(&tampered).body(content.to_vec()).send().await.unwrap().status(), 403);
    let resp =
        http.put(&url).header("content-type", "text/plain").body(b"other".to_vec()).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("MD5"));
    let resp =
        http.put(&url).header("content-type", "image/png").body(content.to_vec()).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("Content-Type"));
    let resp =
        http.put(&url).header("content-type", "text/plain").body(content.to_vec()).send().await.unwrap();
    assert_eq!(resp.status(), 200);

    let (_, b) = local.exec("TEXT_FILE_STATS", json!({"arguments": {"file": file}})).await;
    assert_eq!(b["successful"], true, "{b}");
    assert_eq!(b["data"]["size"], content.len());
    assert_eq!(b["data"]["lines"], 2);
    assert_eq!(b["data"]["words"], 3);
    assert_eq!(b["data"]["md5"], composio_local::routes::files::md5_hex(content));

    let (s, b) = local.get("/files/list?toolkit_slug=text").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["total_items"], 1, "{b}");
    assert_eq!(b["items"][0]["filename"], "words.txt");
    assert_eq!(b["items"][0]["tool_slug"], "TEXT_FILE_STATS");
    let (_, b) =
        local.call_prefix("/api/v3.1", reqwest::Method::GET, "/files/list?tool_slug=OTHER", None).await;
    assert_eq!(b["total_items"], 0);

    // A tool that produces a file returns a download URL served here.
    let (_, b) = local
        .exec("TEXT_CREATE_FILE", json!({"arguments": {"text": "made by a tool", "filename": "out.txt"}}))
        .await;
    assert_eq!(b["successful"], true, "{b}");
    let f = &b["data"]["file"];
    assert_eq!((f["name"].as_str(), f["mimetype"].as_str()), (Some("out.txt"), Some("text/plain")));
    let resp = http.get(f["s3url"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "made by a tool");
    let put_with_get_url = http.put(f["s3url"].as_str().unwrap()).body("x").send().await.unwrap();
    assert_eq!(put_with_get_url.status(), 403, "a download URL does not allow uploads");

    for (body, needle) in [
        (
            json!({"filename": "a.txt", "mimetype": "text/plain", "tool_slug": "T", "toolkit_slug": "text"}),
            "`md5`",
        ),
        (
            json!({"filename": "a.txt", "mimetype": "text/plain", "md5": "xyz", "tool_slug": "T", "toolkit_slug": "text"}),
            "`md5`",
        ),
        (
            json!({"filename": "../a.txt", "mimetype": "text/plain", "md5": "d41d8cd98f00b204e9800998ecf8427e", "tool_slug": "T", "toolkit_slug": "text"}),
            "`filename`",
        ),
        (
            json!({"filename": "a.txt", "mimetype": "plain", "md5": "d41d8cd98f00b204e9800998ecf8427e", "tool_slug": "T", "toolkit_slug": "text"}),
            "`mimetype`",
        ),
        (
            json!({"filename": "a.txt", "mimetype": "text/plain", "md5": "d41d8cd98f00b204e9800998ecf8427e", "toolkit_slug": "text"}),
            "`tool_slug`",
        ),
    ] {
        let (s, b) = local.post("/files/upload/request", body).await;
        assert_eq!(s, 400, "{b}");
        assert!(error_message(&b, 400).contains(needle), "{b}");
    }
}

#[tokio::test]
async fn tools_enum_and_input() {
    let local = start().await;
    for prefix in ["/api/v3", "/api/v3.1"] {
        let (s, b) = local.call_prefix(prefix, reqwest::Method::GET, "/tools/enum", None).await;
        assert_eq!(s, 200, "{b}");
        let slugs: Vec<&str> = b.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(
            slugs.contains(&"TEXT_WORD_COUNT")
                && slugs.contains(&"NOTES_CREATE_NOTE")
                && slugs.contains(&"TEXT_FILE_STATS"),
            "{slugs:?}"
        );
    }
    let (s, b) = local
        .post(
            "/tools/execute/TEXT_FIND_REPLACE/input",
            json!({"text": "text: hello world; find: world; replace: there; case sensitive: no"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        b["arguments"],
        json!({"text": "hello world", "find": "world", "replace": "there", "case_sensitive": false})
    );
    assert_eq!(b["error"], Value::Null);
    // The derived arguments run.
    let (_, r) = local.exec("TEXT_FIND_REPLACE", json!({"arguments": b["arguments"]})).await;
    assert_eq!(r["data"]["result"], "hello there", "{r}");

    let (_, b) = local
        .post(
            "/tools/execute/TEXT_WORD_COUNT/input",
            json!({"text": "count these four words", "system_prompt": "x"}),
        )
        .await;
    assert_eq!(b["arguments"], json!({"text": "count these four words"}));
    let (_, b) = local
        .post("/tools/execute/NOTES_CREATE_NOTE/input", json!({"text": "title: Groceries, color: mauve"}))
        .await;
    let err = b["error"].as_str().unwrap();
    assert!(err.contains("`color`") && err.contains("`content`"), "{err}");
    assert_eq!(b["arguments"]["title"], "Groceries");

    let (s, b) = local.post("/tools/execute/NOPE_TOOL/input", json!({"text": "x"})).await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains("NOPE_TOOL"));
    let (s, b) = local.post("/tools/execute/TEXT_WORD_COUNT/input", json!({})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("`text`"));
    let (s, b) = local
        .post("/tools/execute/TEXT_WORD_COUNT/input", json!({"text": "x", "version": "19990101_00"}))
        .await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("19990101_00"));
}

/// The required fields of these endpoints' 200 responses in composio-v3-openapi.json.
#[tokio::test]
async fn new_endpoints_carry_the_openapi_required_fields() {
    let local = start().await;
    let has_all = |v: &Value, keys: &[&str]| {
        for k in keys {
            assert!(v.get(k).is_some(), "missing `{k}` in {v}");
        }
    };
    let (_, b) = local
        .post(
            "/files/upload/request",
            json!({"filename": "a.txt", "mimetype": "text/plain", "md5": "d41d8cd98f00b204e9800998ecf8427e",
                   "tool_slug": "TEXT_FILE_STATS", "toolkit_slug": "text"}),
        )
        .await;
    has_all(&b, &["id", "key", "new_presigned_url", "newPresignedUrl", "type", "metadata"]);
    has_all(&b["metadata"], &["storage_backend"]);
    let (_, b) = local.get("/files/list").await;
    has_all(&b, &["items", "total_pages", "current_page", "total_items"]);
    let ann = notes_account(&local, "ann", "ann-key-0123456789").await;
    let (_, b) =
        proxy(&local, "/api/v3", json!({"endpoint": "/notes", "method": "GET", "connected_account_id": ann}))
            .await;
    has_all(&b, &["status", "data", "headers"]);
    assert!(b["headers"].as_object().unwrap().values().all(Value::is_string));
    let (_, b) = local.post("/tools/execute/TEXT_WORD_COUNT/input", json!({"text": "x"})).await;
    has_all(&b, &["arguments", "error"]);
    let (_, b) = local.get("/tools/enum").await;
    assert!(b.as_array().unwrap().iter().all(Value::is_string));
}
