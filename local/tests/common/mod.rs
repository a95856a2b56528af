//! Shared helpers: an in-process server plus a reqwest client that sends the key.
#![allow(dead_code, missing_docs)]

use std::path::PathBuf;

use composio_local::{spawn, LocalOptions, RunningServer};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub struct Local {
    pub server: RunningServer,
    pub http: reqwest::Client,
}

pub async fn start() -> Local {
    start_with(LocalOptions::default()).await
}

pub async fn start_with(options: LocalOptions) -> Local {
    let server = spawn(options).await.expect("spawn composio-local");
    Local { server, http: reqwest::Client::new() }
}

impl Local {
    pub fn url(&self, prefix: &str, path: &str) -> String {
        format!("{}{prefix}{path}", self.server.url())
    }

    /// Request under /api/v3 with the right key; returns status, headers and JSON body.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_prefix("/api/v3", method, path, body).await
    }

    pub async fn call_prefix(
        &self,
        prefix: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req =
            self.http.request(method, self.url(prefix, path)).header("x-api-key", self.server.api_key());
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON body ({status}): {text}"));
        (status, json)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, body).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, None).await
    }

    /// Create an auth config and return its id.
    pub async fn auth_config(&self, body: Value) -> String {
        let (s, b) = self.post("/auth_configs", body).await;
        assert_eq!(s, 200, "{b}");
        b["auth_config"]["id"].as_str().expect("auth config id").to_owned()
    }

    /// A Composio-managed auth config for `toolkit`.
    pub async fn managed(&self, toolkit: &str) -> String {
        self.auth_config(serde_json::json!({"toolkit":{"slug":toolkit},"auth_config":{"type":"use_composio_managed_auth"}}))
            .await
    }

    /// Execute a tool directly; returns the whole response.
    pub async fn exec(&self, slug: &str, body: Value) -> (StatusCode, Value) {
        self.post(&format!("/tools/execute/{slug}"), body).await
    }
}

/// A browser stand-in: no cookies, redirects followed by hand.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// GET a URL without following redirects; returns status, Location header and body text.
pub async fn open(client: &reqwest::Client, url: &str) -> (StatusCode, Option<String>, String) {
    let resp = client.get(url).send().await.expect("GET");
    let status = resp.status();
    let location = resp.headers().get("location").map(|v| v.to_str().expect("location").to_owned());
    (status, location, resp.text().await.expect("text"))
}

/// POST a form without following redirects.
pub async fn submit(
    client: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Option<String>, String) {
    let resp = client.post(url).form(form).send().await.expect("POST");
    let status = resp.status();
    let location = resp.headers().get("location").map(|v| v.to_str().expect("location").to_owned());
    (status, location, resp.text().await.expect("text"))
}

/// The value of `name=` in a URL's query string.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The `value` of the hidden input `name` in an HTML form.
pub fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no input {name} in {html}")) + marker.len();
    html[start..].split('"').next().expect("value").to_owned()
}

/// Complete an OAuth2 connect link by hand: link → authorize → consent (approve or deny as
/// `login`) → callback. Returns the final Location (the app's callback URL) or the final page.
pub async fn oauth_connect(
    redirect_url: &str,
    login: &str,
    approve: bool,
) -> (StatusCode, Option<String>, String) {
    let b = browser();
    let (s, authorize, body) = open(&b, redirect_url).await;
    assert_eq!(s, 302, "link page: {body}");
    let authorize = authorize.expect("redirect to authorize");
    assert_eq!(query_param(&authorize, "code_challenge_method").as_deref(), Some("S256"));
    let (s, _, consent) = open(&b, &authorize).await;
    assert_eq!(s, 200, "consent page: {consent}");
    assert!(consent.contains("id=\"approve\"") && consent.contains("id=\"deny\""), "{consent}");
    let request_id = hidden_value(&consent, "request_id");
    let origin = authorize.split("/oauth2/authorize").next().expect("origin").to_owned();
    let decision = if approve { "approve" } else { "deny" };
    let (s, callback, body) = submit(
        &b,
        &format!("{origin}/oauth2/authorize"),
        &[("request_id", &request_id), ("login", login), ("decision", decision)],
    )
    .await;
    assert_eq!(s, 302, "consent decision: {body}");
    let callback = callback.expect("redirect to callback");
    open(&b, &callback).await
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir()
            .join(format!("composio-local-test-{tag}-{}", std::process::id()))
            .join(format!("{:x}", rand_suffix()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Assert the API error envelope and return its message.
pub fn error_message(body: &Value, status: u16) -> String {
    let err = &body["error"];
    assert_eq!(err["status"], status, "{body}");
    assert!(err["code"].is_number(), "{body}");
    assert!(err["request_id"].is_string(), "{body}");
    assert!(err.get("suggested_fix").is_some(), "{body}");
    err["message"].as_str().expect("message").to_owned()
}

pub mod receiver;

impl Local {
    /// An ACTIVE `notes` account of `user` (API key given up front).
    pub async fn notes_account(&self, user: &str) -> String {
        let ac = self.managed("notes").await;
        let (s, b) = self
            .post(
                "/connected_accounts",
                serde_json::json!({"auth_config":{"id": ac},"connection":{"user_id": user,
                    "state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","api_key":"k-123456789012"}}}}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["status"], "ACTIVE", "{b}");
        b["id"].as_str().expect("account id").to_owned()
    }

    /// An ACTIVE `tasks` account of `user`, connected through the built-in OAuth2 server.
    pub async fn tasks_account(&self, user: &str, login: &str) -> String {
        let ac = self.managed("tasks").await;
        let (s, b) = self
            .post("/connected_accounts/link", serde_json::json!({"auth_config_id": ac, "user_id": user}))
            .await;
        assert_eq!(s, 200, "{b}");
        let id = b["connected_account_id"].as_str().expect("id").to_owned();
        let url = b["redirect_url"].as_str().expect("url").to_owned();
        let (s, _, page) = oauth_connect(&url, login, true).await;
        assert!(s == 200 || s == 302, "{s} {page}");
        let (_, acct) = self.get(&format!("/connected_accounts/{id}")).await;
        assert_eq!(acct["status"], "ACTIVE", "{acct}");
        id
    }

    /// Create a trigger instance; returns its id.
    pub async fn trigger(&self, slug: &str, account: &str, config: Value) -> String {
        let (s, b) = self
            .post(
                &format!("/trigger_instances/{slug}/upsert"),
                serde_json::json!({"connected_account_id": account, "trigger_config": config, "toolkit_versions": "latest"}),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        b["trigger_id"].as_str().expect("trigger id").to_owned()
    }

    /// Create a webhook subscription to `url` for `events`; returns (id, secret).
    pub async fn subscribe(&self, url: &str, events: &[&str]) -> (String, String) {
        let (s, b) = self
            .post("/webhook_subscriptions", serde_json::json!({"webhook_url": url, "enabled_events": events}))
            .await;
        assert_eq!(s, 200, "{b}");
        (b["id"].as_str().expect("id").to_owned(), b["secret"].as_str().expect("secret").to_owned())
    }
}
