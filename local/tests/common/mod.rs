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
