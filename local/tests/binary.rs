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
