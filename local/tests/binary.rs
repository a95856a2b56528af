//! Runs the built `composio-local serve --port 0 --data <tmp>` binary.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::TempDir;
use serde_json::Value;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn read_env_lines(child: &mut Child, n: usize) -> Vec<(String, String)> {
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::new();
    for _ in 0..n {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read line");
        let (k, v) = line.trim_end().split_once('=').unwrap_or_else(|| panic!("unexpected line {line:?}"));
        out.push((k.to_owned(), v.to_owned()));
    }
    out
}

#[tokio::test]
async fn serve_prints_url_and_key_and_answers() {
    let dir = TempDir::new("bin");
    let child = Command::new(env!("CARGO_BIN_EXE_composio-local"))
        .args(["serve", "--port", "0", "--data"])
        .arg(&dir.0)
        .env("COMPOSIO_LOCAL_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start composio-local");
    let mut child = Killed(child);
    let lines = tokio::task::spawn_blocking(move || {
        let lines = read_env_lines(&mut child.0, 3);
        (lines, child)
    });
    let (lines, child) =
        tokio::time::timeout(std::time::Duration::from_secs(60), lines).await.expect("startup").unwrap();
    assert_eq!(lines[0].0, "COMPOSIO_BASE_URL");
    assert_eq!(lines[1].0, "COMPOSIO_API_KEY");
    assert_eq!(lines[2].0, "COMPOSIO_LOCAL_DATA_DIR");
    let url = &lines[0].1;
    let key = &lines[1].1;
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{url}");
    assert_eq!(std::fs::read_to_string(dir.0.join("api_key")).unwrap().trim(), key);

    let http = reqwest::Client::new();
    let resp =
        http.get(format!("{url}/api/v3.1/toolkits/text")).header("x-api-key", key).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["name"], "Text Utilities");
    drop(child);
}

#[test]
fn bad_arguments_exit_with_usage() {
    let out = Command::new(env!("CARGO_BIN_EXE_composio-local"))
        .args(["serve", "--port", "http"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`--port`"));
    let out = Command::new(env!("CARGO_BIN_EXE_composio-local")).arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("composio-local serve"));
}

/// Start `composio-local serve --port 0 --data <dir>`; returns the process, URL and key.
async fn serve(dir: &std::path::Path, env: &[(&str, &str)]) -> (Killed, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_composio-local"));
    cmd.args(["serve", "--port", "0", "--data"])
        .arg(dir)
        .env("COMPOSIO_LOCAL_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = Killed(cmd.spawn().expect("start composio-local"));
    let lines = tokio::task::spawn_blocking(move || {
        let lines = read_env_lines(&mut child.0, 3);
        (lines, child)
    });
    let (lines, child) =
        tokio::time::timeout(std::time::Duration::from_secs(60), lines).await.expect("startup").unwrap();
    (child, lines[0].1.clone(), lines[1].1.clone())
}

/// Send `signal` (e.g. "TERM") to the process and wait (up to 30 s) for it to exit.
async fn stop_with(child: &mut Killed, signal: &str) -> std::process::ExitStatus {
    let status = Command::new("kill")
        .args([format!("-{signal}"), child.0.id().to_string()])
        .status()
        .expect("run kill (procps)");
    assert!(status.success(), "kill -{signal} failed");
    for _ in 0..300 {
        if let Some(status) = child.0.try_wait().unwrap() {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("composio-local did not exit within 30 s of SIG{signal}");
}

async fn api(url: &str, key: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let mut req =
        reqwest::Client::new().request(method, format!("{url}/api/v3{path}")).header("x-api-key", key);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let body: Value = resp.json().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

#[tokio::test]
async fn sigterm_stops_cleanly_and_pending_deliveries_survive() {
    use reqwest::Method;
    use serde_json::json;

    let dir = TempDir::new("bin-sigterm");
    // A webhook endpoint that refuses connections: the first attempt fails, the retry waits 10 min.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hook = format!("http://{}/hook", closed.local_addr().unwrap());
    drop(closed);
    let env = [("COMPOSIO_LOCAL_WEBHOOK_RETRY_INITIAL_MS", "600000")];
    let (mut child, url, key) = serve(&dir.0, &env).await;
    let sub = api(
        &url,
        &key,
        Method::POST,
        "/webhook_subscriptions",
        Some(json!({"webhook_url": hook, "enabled_events": ["composio.trigger.message"]})),
    )
    .await;
    let sub = sub["id"].as_str().unwrap().to_owned();
    let ac = api(
        &url,
        &key,
        Method::POST,
        "/auth_configs",
        Some(json!({"toolkit":{"slug":"notes"},"auth_config":{"type":"use_composio_managed_auth"}})),
    )
    .await;
    let acct = api(
        &url,
        &key,
        Method::POST,
        "/connected_accounts",
        Some(json!({"auth_config":{"id": ac["auth_config"]["id"]},"connection":{"user_id":"sig",
            "state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","api_key":"k-123456789012"}}}})),
    )
    .await;
    let acct = acct["id"].as_str().unwrap().to_owned();
    api(
        &url,
        &key,
        Method::POST,
        "/trigger_instances/NOTES_NOTE_CREATED/upsert",
        Some(json!({"connected_account_id": acct, "trigger_config": {}})),
    )
    .await;
    let b = api(
        &url,
        &key,
        Method::POST,
        "/tools/execute/NOTES_CREATE_NOTE",
        Some(json!({"connected_account_id": acct, "arguments": {"title": "kept", "content": "c"}})),
    )
    .await;
    assert_eq!(b["successful"], true, "{b}");
    let mut d = Value::Null;
    for _ in 0..100 {
        d = api(&url, &key, Method::GET, &format!("/webhook_subscriptions/{sub}/deliveries"), None).await;
        if d["items"][0]["attempts"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(d["items"][0]["status"], "pending", "{d}");
    assert_eq!(d["items"][0]["attempts"], 1, "{d}");

    let status = stop_with(&mut child, "TERM").await;
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    let reqwest_err = reqwest::Client::new().get(format!("{url}/api/v3/toolkits")).send().await;
    assert!(reqwest_err.is_err(), "the port is closed after the exit");

    // Restart on the same folder: the account, its notes and the pending retry are all there.
    let (mut child, url, key) = serve(&dir.0, &env).await;
    let b = api(
        &url,
        &key,
        Method::POST,
        "/tools/execute/NOTES_LIST_NOTES",
        Some(json!({"connected_account_id": acct, "arguments": {}})),
    )
    .await;
    assert!(b["data"].to_string().contains("kept"), "{b}");
    let d = api(&url, &key, Method::GET, &format!("/webhook_subscriptions/{sub}/deliveries"), None).await;
    assert_eq!(d["items"].as_array().unwrap().len(), 1, "{d}");
    assert_eq!((&d["items"][0]["status"], &d["items"][0]["attempts"]), (&json!("pending"), &json!(1)), "{d}");

    // SIGINT (Ctrl-C) stops it cleanly too.
    let status = stop_with(&mut child, "INT").await;
    assert!(status.success(), "exit status after SIGINT: {status:?}");
    let (mut child, url, key) = serve(&dir.0, &env).await;
    let accounts = api(&url, &key, Method::GET, "/connected_accounts", None).await;
    assert_eq!(accounts["items"][0]["id"], acct.as_str());
    let status = stop_with(&mut child, "TERM").await;
    assert!(status.success());
}

/// A launcher that hands the process SIGTERM/SIGINT *blocked* (as Foundation's `Process` does from
/// XCTest threads) must still be able to stop it: `serve` unblocks both at start.
#[tokio::test]
async fn sigterm_stops_serve_started_with_signals_blocked() {
    let dir = TempDir::new("bin-blocked");
    // python3 blocks the signals, then execs composio-local, which inherits the mask.
    let launcher = "import os, signal, sys\n\
                    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})\n\
                    os.execv(sys.argv[1], sys.argv[1:])";
    let child = Command::new("python3")
        .args(["-c", launcher, env!("CARGO_BIN_EXE_composio-local"), "serve", "--port", "0", "--data"])
        .arg(&dir.0)
        .env("COMPOSIO_LOCAL_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start python3 (launcher) and composio-local");
    let mut child = Killed(child);
    let lines = tokio::task::spawn_blocking(move || {
        let lines = read_env_lines(&mut child.0, 3);
        (lines, child)
    });
    let (lines, mut child) =
        tokio::time::timeout(std::time::Duration::from_secs(60), lines).await.expect("startup").unwrap();
    assert_eq!(lines[0].0, "COMPOSIO_BASE_URL");
    let status = stop_with(&mut child, "TERM").await;
    assert!(
        status.success(),
        "exit status after SIGTERM with the signal blocked by the launcher: {status:?}"
    );
}
