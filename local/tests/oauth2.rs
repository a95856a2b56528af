//! The built-in OAuth2 server and the OAuth2 connect flow, driven over HTTP by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::time::Duration;

use common::{browser, error_message, oauth_connect, open, query_param, start, start_with, submit, Local};
use composio_local::LocalOptions;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn link(local: &Local, ac: &str, user: &str, callback: Option<&str>) -> (String, String) {
    let mut body = json!({"auth_config_id": ac, "user_id": user});
    if let Some(cb) = callback {
        body["callback_url"] = json!(cb);
    }
    let (s, b) = local.post("/connected_accounts/link", body).await;
    assert_eq!(s, 200, "{b}");
    (b["connected_account_id"].as_str().unwrap().to_owned(), b["redirect_url"].as_str().unwrap().to_owned())
}

async fn task_exec(local: &Local, slug: &str, account: &str, args: Value) -> Value {
    let (s, b) = local.exec(slug, json!({"connected_account_id": account, "arguments": args})).await;
    assert_eq!(s, 200, "{b}");
    b
}

#[tokio::test]
async fn oauth2_flow_approve_deny_and_per_account_tasks() {
    let local = start().await;
    let ac = local.managed("tasks").await;

    let (alice, url) = link(&local, &ac, "alice", Some("https://app.example/done")).await;
    let (s, location, body) = oauth_connect(&url, "alice-home", true).await;
    assert_eq!(s, 302, "{body}");
    let location = location.unwrap();
    assert!(location.starts_with("https://app.example/done?"), "{location}");
    assert_eq!(query_param(&location, "status").as_deref(), Some("success"));
    assert_eq!(query_param(&location, "connected_account_id").as_deref(), Some(alice.as_str()));

    let (_, acct) = local.get(&format!("/connected_accounts/{alice}")).await;
    assert_eq!(acct["status"], "ACTIVE");
    assert_eq!(acct["state"]["authScheme"], "OAUTH2");
    let val = &acct["state"]["val"];
    assert_eq!(val["token_type"], "Bearer");
    assert_eq!(val["scope"], "tasks.read tasks.write");
    assert!(val["access_token"].as_str().unwrap().starts_with("********"), "tokens are masked: {val}");
    assert!(val["refresh_token"].as_str().unwrap().starts_with("********"));

    // Two accounts of one user with different provider logins, and another user.
    let (alice_work, url) = link(&local, &ac, "alice", None).await;
    let (s, _, page) = oauth_connect(&url, "alice-work", true).await;
    assert_eq!(s, 200, "no callback_url: a success page");
    assert!(page.contains("data-status=\"success\""), "{page}");
    let (bob, url) = link(&local, &ac, "bob", None).await;
    oauth_connect(&url, "bob", true).await;

    let b = task_exec(
        &local,
        "TASKS_CREATE_TASK",
        &alice,
        json!({"title":"Pay rent","due_date":"2026-03-01","priority":"high","labels":["Home"]}),
    )
    .await;
    assert_eq!(b["successful"], true, "{b}");
    let task_id = b["data"]["task"]["id"].as_str().unwrap().to_owned();
    assert_eq!(b["data"]["task"]["labels"], json!(["home"]));
    task_exec(&local, "TASKS_CREATE_TASK", &alice, json!({"title":"Call mum","due_date":"2026-02-01"})).await;
    let b = task_exec(&local, "TASKS_LIST_TASKS", &alice, json!({})).await;
    assert_eq!(b["data"]["count"], 2);
    assert_eq!(b["data"]["tasks"][0]["title"], "Call mum", "soonest due first");
    let b = task_exec(
        &local,
        "TASKS_LIST_TASKS",
        &alice,
        json!({"priority":"high","label":"home","due_before":"2026-12-31"}),
    )
    .await;
    assert_eq!(b["data"]["count"], 1);
    let b =
        task_exec(&local, "TASKS_CREATE_TASK", &alice, json!({"title":"x","due_date":"2026-02-30"})).await;
    assert_eq!(b["successful"], false);
    assert!(b["error"].as_str().unwrap().contains("due_date"));

    for other in [&alice_work, &bob] {
        let b = task_exec(&local, "TASKS_LIST_TASKS", other, json!({"status":"all"})).await;
        assert_eq!(b["data"]["count"], 0, "{other}");
        let b = task_exec(&local, "TASKS_COMPLETE_TASK", other, json!({"task_id": task_id})).await;
        assert_eq!(b["successful"], false);
        assert!(b["error"].as_str().unwrap().contains("not found"));
    }
    let b = task_exec(&local, "TASKS_COMPLETE_TASK", &alice, json!({"task_id": task_id})).await;
    assert_eq!(b["data"]["task"]["status"], "completed", "{b}");
    let b = task_exec(&local, "TASKS_COMPLETE_TASK", &alice, json!({"task_id": task_id})).await;
    assert!(b["error"].as_str().unwrap().contains("already completed"));
    let b = task_exec(&local, "TASKS_LIST_TASKS", &alice, json!({"status":"completed"})).await;
    assert_eq!(b["data"]["count"], 1);

    // Deny → FAILED with a reason, and status=failed on the callback.
    let (carol, url) = link(&local, &ac, "carol", Some("https://app.example/done")).await;
    let (s, location, _) = oauth_connect(&url, "carol", false).await;
    assert_eq!(s, 302);
    let location = location.unwrap();
    assert_eq!(query_param(&location, "status").as_deref(), Some("failed"));
    assert_eq!(query_param(&location, "connected_account_id").as_deref(), Some(carol.as_str()));
    let (_, acct) = local.get(&format!("/connected_accounts/{carol}")).await;
    assert_eq!(acct["status"], "FAILED");
    assert!(acct["status_reason"].as_str().unwrap().contains("denied"), "{acct}");
    assert_eq!(acct["state"]["val"]["error"], "access_denied");
    let (s, b) = local.exec("TASKS_LIST_TASKS", json!({"user_id":"carol","arguments":{}})).await;
    assert_eq!((s.as_u16(), &b["error"]["code"]), (400, &json!(1803)));
    // The link cannot be replayed.
    let (s, _, page) = open(&browser(), &url).await;
    assert_eq!(s, 410);
    assert!(page.contains("already used"));
}

/// Register a client directly with the authorization server.
async fn register(local: &Local, redirect: &str) -> (String, String) {
    let resp = local
        .http
        .post(format!("{}/oauth2/register", local.server.url()))
        .header("x-api-key", local.server.api_key())
        .json(&json!({"client_name":"Test App","redirect_uris":[redirect]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let b: Value = resp.json().await.unwrap();
    (b["client_id"].as_str().unwrap().to_owned(), b["client_secret"].as_str().unwrap().to_owned())
}

fn challenge(verifier: &str) -> String {
    composio_local::oauth2::pkce::challenge(verifier)
}

async fn authorize_code(local: &Local, client_id: &str, redirect: &str, verifier: &str) -> String {
    let b = browser();
    let url = format!(
        "{}/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri={}&scope=tasks.read&state=xyz&code_challenge={}&code_challenge_method=S256",
        local.server.url(),
        form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>(),
        challenge(verifier)
    );
    let (s, _, page) = open(&b, &url).await;
    assert_eq!(s, 200, "{page}");
    assert!(page.contains("Test App"));
    let rid = common::hidden_value(&page, "request_id");
    let (s, location, _) = submit(
        &b,
        &format!("{}/oauth2/authorize", local.server.url()),
        &[("request_id", &rid), ("login", "pk"), ("decision", "approve")],
    )
    .await;
    assert_eq!(s, 302);
    let location = location.unwrap();
    assert!(location.starts_with(redirect));
    assert_eq!(query_param(&location, "state").as_deref(), Some("xyz"));
    query_param(&location, "code").unwrap()
}

async fn token(local: &Local, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let resp =
        local.http.post(format!("{}/oauth2/token", local.server.url())).form(form).send().await.unwrap();
    let s = resp.status();
    (s, resp.json().await.unwrap())
}

#[tokio::test]
async fn authorization_server_pkce_codes_and_refresh_rotation() {
    let local = start().await;
    let redirect = "http://127.0.0.1:9/cb";
    let (cid, secret) = register(&local, redirect).await;
    let verifier = "v".repeat(43) + "erifier-one";

    // Bad requests to /authorize: unknown client / redirect are pages; missing PKCE redirects with an error.
    let b = browser();
    let base = local.server.url();
    let (s, _, page) = open(&b, &format!("{base}/oauth2/authorize?client_id=nope&redirect_uri=x")).await;
    assert_eq!(s, 400);
    assert!(page.contains("Unknown client_id"));
    let (s, _, page) =
        open(&b, &format!("{base}/oauth2/authorize?client_id={cid}&redirect_uri=http://evil/cb")).await;
    assert_eq!(s, 400);
    assert!(page.contains("not registered"));
    let (s, location, _) = open(
        &b,
        &format!(
            "{base}/oauth2/authorize?response_type=code&client_id={cid}&redirect_uri={redirect}&state=s1"
        ),
    )
    .await;
    assert_eq!(s, 302);
    let location = location.unwrap();
    assert_eq!(query_param(&location, "error").as_deref(), Some("invalid_request"));
    assert!(query_param(&location, "error_description").unwrap().contains("PKCE"));

    // PKCE mismatch is rejected, and the code is spent.
    let code = authorize_code(&local, &cid, redirect, &verifier).await;
    let wrong = "w".repeat(50);
    let (s, b) = token(
        &local,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", &wrong),
            ("client_id", &cid),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(b["error"], "invalid_grant");
    assert!(b["error_description"].as_str().unwrap().contains("PKCE"), "{b}");
    let (s, b) = token(
        &local,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", &verifier),
            ("client_id", &cid),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!((s.as_u16(), b["error"].as_str()), (400, Some("invalid_grant")));

    // A fresh code with the right verifier; wrong secret is invalid_client (401).
    let code = authorize_code(&local, &cid, redirect, &verifier).await;
    let (s, b) = token(
        &local,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", &verifier),
            ("client_id", &cid),
            ("client_secret", "nope"),
        ],
    )
    .await;
    assert_eq!((s.as_u16(), b["error"].as_str()), (401, Some("invalid_client")));
    let code = authorize_code(&local, &cid, redirect, &verifier).await;
    let resp = local
        .http
        .post(format!("{base}/oauth2/token"))
        .basic_auth(&cid, Some(&secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let t1: Value = resp.json().await.unwrap();
    assert_eq!(
        (t1["token_type"].as_str(), t1["expires_in"].as_u64(), t1["scope"].as_str()),
        (Some("Bearer"), Some(3600), Some("tasks.read"))
    );
    let me = local
        .http
        .get(format!("{base}/oauth2/userinfo"))
        .bearer_auth(t1["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<Value>().await.unwrap()["sub"], "pk");
    // Code replay is rejected and revokes the grant's tokens.
    let (s, _) = token(
        &local,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", &verifier),
            ("client_id", &cid),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(s, 400);
    let me = local
        .http
        .get(format!("{base}/oauth2/userinfo"))
        .bearer_auth(t1["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);

    // Refresh tokens rotate; reusing an old one fails and revokes the grant.
    let code = authorize_code(&local, &cid, redirect, &verifier).await;
    let (_, t) = token(
        &local,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", redirect),
            ("code_verifier", &verifier),
            ("client_id", &cid),
            ("client_secret", &secret),
        ],
    )
    .await;
    let r1 = t["refresh_token"].as_str().unwrap().to_owned();
    let (s, t2) = token(
        &local,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &r1),
            ("client_id", &cid),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(s, 200, "{t2}");
    let r2 = t2["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    let (s, b) = token(
        &local,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &r1),
            ("client_id", &cid),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!((s.as_u16(), b["error"].as_str()), (400, Some("invalid_grant")));
    let (s, _) = token(
        &local,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &r2),
            ("client_id", &cid),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(s, 400, "the whole grant was revoked after reuse");
    let (s, b) =
        token(&local, &[("grant_type", "password"), ("client_id", &cid), ("client_secret", &secret)]).await;
    assert_eq!((s.as_u16(), b["error"].as_str()), (400, Some("unsupported_grant_type")));

    // Registration needs the API key.
    let resp = local
        .http
        .post(format!("{base}/oauth2/register"))
        .json(&json!({"redirect_uris":[redirect]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let meta: Value = local
        .http
        .get(format!("{base}/.well-known/oauth-authorization-server"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(meta["code_challenge_methods_supported"], json!(["S256"]));
}

#[tokio::test]
async fn expired_tokens_are_refreshed_and_a_failed_refresh_expires_the_account() {
    let local = start_with(LocalOptions::default().with_access_token_ttl(Duration::from_secs(1))).await;
    let callback = format!("{}/oauth2/callback", local.server.url());
    let (cid, secret) = register(&local, &callback).await;
    // A custom auth config goes through the same code path as a real provider's URLs.
    let ac = local
        .auth_config(
            json!({"toolkit":{"slug":"tasks"},"auth_config":{"type":"use_custom_auth","authScheme":"OAUTH2",
            "credentials":{"client_id": cid, "client_secret": secret, "scopes": "tasks.read tasks.write",
                           "authorization_url": format!("{}/oauth2/authorize", local.server.url()),
                           "token_url": format!("{}/oauth2/token", local.server.url())}}}),
        )
        .await;
    let (id, url) = link(&local, &ac, "erin", None).await;
    let (s, _, page) = oauth_connect(&url, "erin", true).await;
    assert_eq!(s, 200, "{page}");
    let (_, before) = local.get(&format!("/connected_accounts/{id}")).await;
    assert_eq!(before["status"], "ACTIVE");
    tokio::time::sleep(Duration::from_millis(1500)).await;

    // The stored access token has expired: the executor refreshes it and the tool works.
    let b = task_exec(&local, "TASKS_CREATE_TASK", &id, json!({"title":"after expiry"})).await;
    assert_eq!(b["successful"], true, "{b}");
    let (_, after) = local.get(&format!("/connected_accounts/{id}")).await;
    assert_eq!(after["status"], "ACTIVE");
    assert_ne!(
        after["state"]["val"]["refresh_token"], before["state"]["val"]["refresh_token"],
        "refresh tokens rotate"
    );

    // POST /refresh also refreshes OAuth2 tokens.
    let (s, b) = local.post(&format!("/connected_accounts/{id}/refresh"), json!({})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!((b["status"].as_str(), &b["redirect_url"]), (Some("ACTIVE"), &Value::Null));

    // Break the client secret: the next refresh fails and the account turns EXPIRED.
    let (s, _) = local
        .patch(
            &format!("/auth_configs/{ac}"),
            Some(json!({"type":"custom","credentials":{"client_secret":"wrong-secret-value"}})),
        )
        .await;
    assert_eq!(s, 200);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let b = task_exec(&local, "TASKS_LIST_TASKS", &id, json!({})).await;
    assert_eq!(b["successful"], false);
    let err = b["error"].as_str().unwrap();
    assert!(err.contains("expired") && err.contains("invalid_client"), "{err}");
    assert!(!err.contains("wrong-secret-value"));
    let (_, acct) = local.get(&format!("/connected_accounts/{id}")).await;
    assert_eq!(acct["status"], "EXPIRED");
    assert!(acct["status_reason"].as_str().unwrap().contains("refresh"), "{acct}");
    assert!(acct["state"]["val"]["expired_at"].is_string());
    let (s, b) = local.exec("TASKS_LIST_TASKS", json!({"connected_account_id": id, "arguments":{}})).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains("EXPIRED"));
}
