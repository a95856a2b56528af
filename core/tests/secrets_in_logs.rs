//! No API key or secret may appear in log output: every log line the engine
//! (and the HTTP stack under it) emits at any level is captured while it
//! succeeds, retries and fails, then searched for the key.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use composio_core::models::ToolExecuteParams;
use composio_core::modifiers::Modifiers;
use composio_core::{Composio, ComposioConfig, RetryPolicy};
use composio_testkit::{MockServer, Reply};
use serde_json::json;

const KEY: &str = "sk_live_logs_must_never_show_this_0451";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_api_key_never_reaches_the_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let s = MockServer::start().await;
    s.mock_seq(
        "GET",
        "/api/v3.1/tools/T",
        vec![Reply::api_error(503, "busy"), Reply::json(200, json!({"slug": "T", "toolkit": {"slug": "t"}}))],
    );
    s.mock("POST", "/api/v3.1/tools/execute/T", Reply::api_error(401, "bad key"));
    let c = Composio::new(
        ComposioConfig::new(KEY)
            .with_base_url(s.url())
            .with_retry(RetryPolicy { initial_backoff: Duration::from_millis(1), ..RetryPolicy::default() }),
    )
    .unwrap();
    c.tools().get_tool("T", None).await.unwrap();
    let mut p = ToolExecuteParams::new("u", Default::default());
    p.dangerously_skip_version_check = true;
    let e = c.tools().execute("T", p, &Modifiers::new()).await.unwrap_err();
    tracing::error!(error = %e, debug = ?e, client = ?c, "logged by the application");

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("composio request"), "the transport logged nothing: {logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(!logs.contains(KEY), "API key found in logs:\n{logs}");
    assert!(s.requests()[0].header("x-api-key") == Some(KEY), "the key was still sent");
}
