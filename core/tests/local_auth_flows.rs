//! End-to-end connection flows through composio-core against a real
//! composio-local: an API-key connect page, OAuth2 consent (approve and
//! deny) with PKCE and the token exchange, `wait_for_connection`, and
//! tools acting on each account's own data. The pages are driven over HTTP
//! like a browser without JavaScript would (redirects followed by hand).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use composio_core::models::{
    AuthConfigCreate, AuthorizeOptions, InitiateOptions, SessionToolkitsParams, ToolExecuteParams,
};
use composio_core::modifiers::Modifiers;
use composio_core::{Composio, ComposioConfig, SessionConfig, ToolkitVersions};
use composio_local::{spawn, LocalOptions, RunningServer};
use serde_json::{json, Map, Value};

async fn local() -> (RunningServer, Composio) {
    let server = spawn(LocalOptions::default()).await.unwrap();
    let client = Composio::new(
        ComposioConfig::new(server.api_key())
            .with_base_url(server.url())
            .with_toolkit_versions(ToolkitVersions::global("20251201_00")),
    )
    .unwrap();
    (server, client)
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned).expect("a redirect")
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} in page")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

/// Follows a connect link through the OAuth2 consent page; returns where the
/// browser ends up (the app's callback URL).
async fn oauth_consent(redirect_url: &str, login: &str, approve: bool) -> String {
    let b = browser();
    let r = b.get(redirect_url).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let authorize = location(&r);
    let consent = b.get(&authorize).send().await.unwrap().text().await.unwrap();
    let origin = authorize.split("/oauth2/authorize").next().unwrap();
    let decision = if approve { "approve" } else { "deny" };
    let r = b
        .post(format!("{origin}/oauth2/authorize"))
        .form(&[
            ("request_id", hidden(&consent, "request_id").as_str()),
            ("login", login),
            ("decision", decision),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    let callback = location(&r);
    let r = b.get(&callback).send().await.unwrap();
    assert_eq!(r.status(), 302, "callback should redirect to the app");
    location(&r)
}

#[tokio::test]
async fn api_key_connection_through_the_connect_page() {
    let (_server, c) = local().await;
    let ac =
        c.auth_configs().create("notes", AuthConfigCreate::composio_managed()).await.unwrap().auth_config.id;
    let req = c
        .connected_accounts()
        .initiate(
            "alice",
            &ac,
            InitiateOptions { callback_url: Some("https://app.example/cb".into()), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(req.status, "INITIATED");
    let page_url = req.redirect_url.clone().expect("a connect link");

    // Not connected yet: waiting briefly times out with the last status.
    let e = req
        .wait_for_connection_with(Duration::from_millis(300), Duration::from_millis(100))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "CONNECTION_REQUEST_TIMEOUT");

    let b = browser();
    let page = b.get(&page_url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("api_key"));
    let r = b.post(&page_url).form(&[("api_key", "my-notes-key")]).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let back = location(&r);
    assert!(back.starts_with("https://app.example/cb?"), "{back}");
    assert!(back.contains("status=success") && back.contains(&req.id), "{back}");

    let account = req.wait_for_connection(Duration::from_secs(10)).await.unwrap();
    assert_eq!(account.status, "ACTIVE");
    assert!(!format!("{account:?}").contains("my-notes-key"), "Debug must not show the key");

    let note = c
        .tools()
        .execute(
            "NOTES_CREATE_NOTE",
            ToolExecuteParams::new("alice", args(json!({"title": "Groceries", "content": "milk"}))),
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert!(note.successful, "{note:?}");
    let list = c
        .tools()
        .execute("NOTES_LIST_NOTES", ToolExecuteParams::new("alice", Map::new()), &Modifiers::new())
        .await
        .unwrap();
    assert!(list.data.to_string().contains("Groceries"), "{}", list.data);

    // A second ACTIVE account needs allow_multiple.
    let e = c.connected_accounts().initiate("alice", &ac, InitiateOptions::default()).await.unwrap_err();
    assert_eq!(e.code(), "MULTIPLE_CONNECTED_ACCOUNTS");

    // Another user has no account for notes.
    let e = c
        .tools()
        .execute("NOTES_LIST_NOTES", ToolExecuteParams::new("bob", Map::new()), &Modifiers::new())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "CONNECTED_ACCOUNT_NOT_FOUND");
}

#[tokio::test]
async fn oauth2_session_authorize_consent_and_isolated_data() {
    let (_server, c) = local().await;
    let session =
        c.create_session("bob", SessionConfig::new().toolkits(vec!["tasks".to_string()])).await.unwrap();
    let before = session.toolkits(SessionToolkitsParams::default()).await.unwrap();
    let tasks = before.items.iter().find(|t| t.slug == "tasks").expect("tasks toolkit listed");
    assert!(!tasks.connection.as_ref().unwrap().is_active);

    let req = session
        .authorize(
            "tasks",
            AuthorizeOptions { callback_url: Some("https://app.example/done".into()), alias: None },
        )
        .await
        .unwrap();
    let landed = oauth_consent(req.redirect_url.as_deref().unwrap(), "bob-provider-login", true).await;
    assert!(landed.starts_with("https://app.example/done?") && landed.contains("status=success"), "{landed}");
    let account = req.wait_for_connection(Duration::from_secs(10)).await.unwrap();
    assert_eq!(account.status, "ACTIVE");

    let created =
        session.execute("TASKS_CREATE_TASK", Some(args(json!({"title": "Ship composio-rs"})))).await.unwrap();
    assert!(created.error.is_none(), "{created:?}");
    let listed = session.execute("TASKS_LIST_TASKS", Some(Map::new())).await.unwrap();
    assert!(listed.data.to_string().contains("Ship composio-rs"));

    let after = session.toolkits(SessionToolkitsParams::default()).await.unwrap();
    let tasks = after.items.iter().find(|t| t.slug == "tasks").unwrap();
    assert!(tasks.connection.as_ref().unwrap().is_active);

    // Another user connecting to the same provider sees none of bob's tasks.
    let other =
        c.create_session("carol", SessionConfig::new().toolkits(vec!["tasks".to_string()])).await.unwrap();
    let req = other.authorize("tasks", AuthorizeOptions::default()).await.unwrap();
    let b = browser();
    let r = b.get(req.redirect_url.as_deref().unwrap()).send().await.unwrap();
    let authorize = location(&r);
    let consent = b.get(&authorize).send().await.unwrap().text().await.unwrap();
    let origin = authorize.split("/oauth2/authorize").next().unwrap();
    let r = b
        .post(format!("{origin}/oauth2/authorize"))
        .form(&[
            ("request_id", hidden(&consent, "request_id").as_str()),
            ("login", "carol"),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap();
    b.get(location(&r)).send().await.unwrap();
    req.wait_for_connection(Duration::from_secs(10)).await.unwrap();
    let theirs = other.execute("TASKS_LIST_TASKS", Some(Map::new())).await.unwrap();
    assert!(!theirs.data.to_string().contains("Ship composio-rs"), "{}", theirs.data);
}

#[tokio::test]
async fn refused_consent_fails_the_wait_fast() {
    let (_server, c) = local().await;
    let session =
        c.create_session("dave", SessionConfig::new().toolkits(vec!["tasks".to_string()])).await.unwrap();
    let req = session
        .authorize(
            "tasks",
            AuthorizeOptions { callback_url: Some("https://app.example/done".into()), alias: None },
        )
        .await
        .unwrap();
    let landed = oauth_consent(req.redirect_url.as_deref().unwrap(), "dave", false).await;
    assert!(landed.contains("status=failed"), "{landed}");
    let started = std::time::Instant::now();
    let e = req.wait_for_connection(Duration::from_secs(30)).await.unwrap_err();
    assert_eq!(e.code(), "CONNECTION_REQUEST_FAILED");
    assert!(started.elapsed() < Duration::from_secs(10), "FAILED must end the wait at once");
}
