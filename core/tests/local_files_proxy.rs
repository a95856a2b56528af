//! composio-core's file upload/download (wire contract §12) and proxy clients (§3.7, §2.8)
//! against an in-process composio-local over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use composio_core::models::SessionProxyParams;
use composio_core::models::ToolExecuteParams;
use composio_core::modifiers::Modifiers;
use composio_core::tools::{ProxyParameter, ProxyParams};
use composio_core::{Composio, ComposioConfig, Error, SessionConfig, ToolkitVersions};
use composio_local::{spawn, LocalOptions, RunningServer};
use serde_json::{json, Map, Value};

struct Tmp(PathBuf);

impl Tmp {
    fn new(tag: &str) -> Tmp {
        let dir = std::env::temp_dir().join(format!("core-files-{tag}-{}", uuid_like()));
        std::fs::create_dir_all(&dir).unwrap();
        Tmp(dir)
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn uuid_like() -> String {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{}-{t:x}", std::process::id())
}

async fn local(files: Option<&Tmp>) -> (RunningServer, Composio) {
    let server = spawn(LocalOptions::default()).await.unwrap();
    let mut config = ComposioConfig::new(server.api_key()).with_base_url(server.url()).with_toolkit_versions(
        ToolkitVersions::per_toolkit([("text", "20251201_00"), ("notes", "20251201_00")]),
    );
    if let Some(dir) = files {
        config.auto_upload_download_files = true;
        config.file_download_dir = Some(dir.0.join("downloads"));
    }
    (server, Composio::new(config).unwrap())
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

/// An ACTIVE notes account of `user` with API key `key`, made over plain HTTP.
async fn notes_account(server: &RunningServer, user: &str, key: &str) -> String {
    let http = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        http.post(format!("{}/api/v3{path}", server.url()))
            .header("x-api-key", server.api_key())
            .json(&body)
            .send()
    };
    let ac: Value = post(
        "/auth_configs",
        json!({"toolkit":{"slug":"notes"},"auth_config":{"type":"use_composio_managed_auth"}}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let acct: Value = post(
        "/connected_accounts",
        json!({"auth_config":{"id": ac["auth_config"]["id"]},"connection":{"user_id": user,
            "state":{"authScheme":"API_KEY","val":{"status":"ACTIVE","api_key": key}}}}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    acct["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn local_files_are_uploaded_and_results_downloaded() {
    let tmp = Tmp::new("auto");
    let (server, c) = local(Some(&tmp)).await;
    let path = tmp.0.join("poem.txt");
    let content = "roses are red\nviolets are blue\n";
    std::fs::write(&path, content).unwrap();

    let r = c
        .tools()
        .execute(
            "TEXT_FILE_STATS",
            ToolExecuteParams::new("u1", args(json!({"file": path.to_string_lossy()}))),
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    assert_eq!(r.data["name"], "poem.txt");
    assert_eq!(r.data["size"], content.len());
    assert_eq!(r.data["lines"], 2);
    assert_eq!(r.data["words"], 6);

    // The upload is listed.
    let http = reqwest::Client::new();
    let list: Value = http
        .get(format!("{}/api/v3/files/list?tool_slug=TEXT_FILE_STATS", server.url()))
        .header("x-api-key", server.api_key())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["filename"], "poem.txt", "{list}");
    assert_eq!(list["items"][0]["md5"], r.data["md5"]);

    // A produced file is downloaded to <download_dir>/<toolkit>/<tool>/<name>.
    let r = c
        .tools()
        .execute(
            "TEXT_CREATE_FILE",
            ToolExecuteParams::new(
                "u1",
                args(json!({"text": "written by composio-local", "filename": "made.txt"})),
            ),
            &Modifiers::new(),
        )
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    let local_path = r.data["file"].as_str().expect("the file value is replaced by its local path");
    assert_eq!(
        PathBuf::from(local_path),
        tmp.0.join("downloads").join("text").join("TEXT_CREATE_FILE").join("made.txt")
    );
    assert_eq!(std::fs::read_to_string(local_path).unwrap(), "written by composio-local");

    // A missing local file is a typed file error naming the path.
    let missing = tmp.0.join("nope.txt");
    let err = c
        .tools()
        .execute(
            "TEXT_FILE_STATS",
            ToolExecuteParams::new("u1", args(json!({"file": missing.to_string_lossy()}))),
            &Modifiers::new(),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::File { .. }), "{err:?}");
    assert!(err.to_string().contains("nope.txt"), "{err}");
}

#[tokio::test]
async fn tools_proxy_uses_the_accounts_credentials() {
    let (server, c) = local(None).await;
    let ann = notes_account(&server, "ann", "ann-key-0123456789").await;
    let bob = notes_account(&server, "bob", "bob-key-0123456789").await;

    let mut create = ProxyParams::new("post", "/notes");
    create.connected_account_id = Some(ann.clone());
    create.body = Some(json!({"title": "proxied", "content": "via core", "tags": ["core"]}));
    let r = c.tools().proxy(create).await.unwrap();
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.data.as_ref().unwrap()["note"]["title"], "proxied");

    let mut list = ProxyParams::new("GET", "/notes");
    list.connected_account_id = Some(ann.clone());
    list.parameters = vec![ProxyParameter::query("tag", "core"), ProxyParameter::header("x-request", "1")];
    let r = c.tools().proxy(list.clone()).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.data.as_ref().unwrap()["total"], 1);
    assert!(r.headers.as_ref().unwrap().contains_key("content-type"));
    list.connected_account_id = Some(bob);
    let r = c.tools().proxy(list).await.unwrap();
    assert_eq!(r.data.as_ref().unwrap()["total"], 0, "bob's key sees bob's notes only");

    let mut missing = ProxyParams::new("GET", "/notes");
    missing.connected_account_id = Some("ca_nope".into());
    match c.tools().proxy(missing).await.unwrap_err() {
        Error::Api(e) => {
            assert_eq!(e.status, 404);
            assert!(e.message.contains("ca_nope"), "{}", e.message);
        }
        other => panic!("unexpected error {other:?}"),
    }

    // The session flavour uses the session user's account.
    let session = c.create_session("ann", SessionConfig::default()).await.unwrap();
    let r = session
        .proxy_execute(SessionProxyParams {
            toolkit: "notes".into(),
            endpoint: "/notes".into(),
            method: "GET".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.data.as_ref().unwrap()["notes"][0]["title"], "proxied");
}
