//! A tiny webhook receiver: records every request and answers with scripted statuses.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Router;
use tokio::sync::Notify;

#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HashMap<String, String>,
    pub body: String,
    pub at: Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map(String::as_str).unwrap_or("")
    }

    /// Verify with the real SDK's `verify_webhook`.
    pub fn verify(&self, secret: &str) -> composio_core::Result<composio_core::webhooks::VerifiedWebhook> {
        let params = composio_core::webhooks::VerifyWebhookParams::new(
            self.header("webhook-id"),
            &self.body,
            self.header("webhook-signature"),
            self.header("webhook-timestamp"),
            secret,
        );
        composio_core::webhooks::verify_webhook(&params)
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

#[derive(Clone, Default)]
struct Inner {
    log: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<u16>>>,
    notify: Arc<Notify>,
}

pub struct Receiver {
    pub url: String,
    inner: Inner,
    task: tokio::task::JoinHandle<()>,
}

async fn handle(State(inner): State<Inner>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let headers = headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
        .collect();
    let body = String::from_utf8(body.to_vec()).expect("UTF-8 body");
    inner.log.lock().unwrap().push(Received { headers, body, at: Instant::now() });
    let status = inner.script.lock().unwrap().pop_front().unwrap_or(200);
    inner.notify.notify_waiters();
    StatusCode::from_u16(status).unwrap()
}

impl Receiver {
    /// Start on a free port; the first requests get `script`'s statuses, later ones 200.
    pub async fn start(script: &[u16]) -> Receiver {
        let inner = Inner::default();
        inner.script.lock().unwrap().extend(script.iter().copied());
        let app = Router::new().fallback(handle).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, inner, task }
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.log.lock().unwrap().clone()
    }

    /// Wait (up to `secs`) until at least `n` requests arrived.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let notified = self.inner.notify.notified();
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!("expected {n} webhook requests within {secs} s, got {}: {got:?}", got.len());
            }
            let _ = tokio::time::timeout(left.min(Duration::from_millis(200)), notified).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}
