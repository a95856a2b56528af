//! Integration tests of automatic file upload and download against a mock server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use composio_core::models::ToolExecuteParams;
use composio_core::modifiers::{DeclarativeModifier, Modifier, Modifiers};
use composio_core::tools::GetToolsParams;
use composio_core::{Composio, ComposioConfig, RetryPolicy, ToolkitVersions};
use composio_testkit::{MockServer, Reply};
use md5::{Digest, Md5};
use serde_json::{json, Map, Value};

const PIN: &str = "20250909_00";

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let p = std::env::temp_dir().join(format!("composio-rs-files-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
    fn path(&self) -> &Path {
        &self.0
    }
    fn file(&self, rel: &str, content: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn client(s: &MockServer, download_dir: &Path) -> Composio {
    let mut c = ComposioConfig::new("test-key")
        .with_base_url(s.url())
        .with_retry(RetryPolicy::none())
        .with_toolkit_versions(ToolkitVersions::global(PIN));
    c.auto_upload_download_files = true;
    c.file_download_dir = Some(download_dir.to_path_buf());
    Composio::new(c).unwrap()
}

fn file_tool() -> Value {
    json!({
        "slug": "GITHUB_UPLOAD", "name": "Upload", "description": "Uploads.",
        "toolkit": {"slug": "github", "name": "GitHub"}, "version": PIN,
        "input_parameters": {"type": "object", "properties": {
            "file": {"type": "object", "title": "File", "description": "The file", "file_uploadable": true,
                     "properties": {"name": {"type": "string"}, "s3key": {"type": "string"}}},
            "extra": {"anyOf": [{"type": "object", "properties": {"attachment": {"file_uploadable": true}}}, {"type": "null"}]},
            "optional_file": {"file_uploadable": true},
            "note": {"type": "string"}
        }, "required": ["file"]},
        "output_parameters": {"type": "object", "properties": {
            "data": {"type": "object", "properties": {
                "report": {"type": "object", "file_downloadable": true},
                "list": {"type": "array", "items": {"type": "object", "file_downloadable": true}}
            }},
            "successful": {"type": "boolean"}, "error": {"type": "string"}
        }}
    })
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn md5_hex(b: &[u8]) -> String {
    Md5::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}

fn mock_tool_and_execute(s: &MockServer, data: Value) {
    s.mock("GET", "/api/v3.1/tools/GITHUB_UPLOAD", Reply::json(200, file_tool()));
    s.mock(
        "POST",
        "/api/v3.1/tools/execute/GITHUB_UPLOAD",
        Reply::json(200, json!({"data": data, "error": null, "successful": true})),
    );
}

#[tokio::test]
async fn local_files_are_uploaded_end_to_end() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    let content = b"hello composio file";
    let path = dir.file("docs/report.txt", content);
    let other = dir.file("a/pic.png", b"\x89PNG....");
    mock_tool_and_execute(&s, json!({}));
    let put_url = format!("{}/storage/put/abc?X-Amz-Signature=secret", s.url());
    s.mock_fn("POST", "/api/v3.1/files/upload/request", move |r| {
        let filename = r.json()["filename"].as_str().unwrap().to_string();
        Reply::json(
            200,
            json!({"id": "req_1", "key": format!("projects/p/{filename}"), "type": "new",
            "new_presigned_url": put_url, "newPresignedUrl": put_url, "metadata": {"storage_backend": "s3"}}),
        )
    });
    s.mock("PUT", "/storage/put/abc", Reply::text(200, ""));
    let c = client(&s, dir.path());

    let p = ToolExecuteParams::new(
        "u1",
        args(json!({"file": path.to_str().unwrap(), "extra": {"attachment": other.to_str().unwrap()},
                    "optional_file": null, "note": "n"})),
    );
    let r = c.tools().execute("GITHUB_UPLOAD", p, &Modifiers::new()).await.unwrap();
    assert!(r.successful);

    let reqs = s.requests_to("POST", "/api/v3.1/files/upload/request");
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[0].json(),
        json!({"filename": "report.txt", "mimetype": "text/plain", "md5": md5_hex(content),
               "tool_slug": "GITHUB_UPLOAD", "toolkit_slug": "github"})
    );
    assert_eq!(reqs[1].json()["mimetype"], "image/png");
    let puts = s.requests_to("PUT", "/storage/put/abc");
    assert_eq!(puts.len(), 2);
    assert_eq!(puts[0].body, content);
    assert_eq!(puts[0].header("content-type"), Some("text/plain"));
    assert_eq!(puts[0].query.as_deref(), Some("X-Amz-Signature=secret"));
    assert_eq!(puts[0].header("x-api-key"), None, "the API key never goes to storage");

    let exec = &s.requests_to("POST", "/api/v3.1/tools/execute/GITHUB_UPLOAD")[0];
    assert_eq!(
        exec.json()["arguments"],
        json!({"file": {"name": "report.txt", "mimetype": "text/plain", "s3key": "projects/p/report.txt"},
               "extra": {"attachment": {"name": "pic.png", "mimetype": "image/png", "s3key": "projects/p/pic.png"}},
               "note": "n"})
    );
    assert_eq!(exec.json()["version"], PIN);
}

#[tokio::test]
async fn existing_files_skip_the_put_and_urls_are_fetched_without_redirects() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    mock_tool_and_execute(&s, json!({}));
    s.mock(
        "POST",
        "/api/v3.1/files/upload/request",
        Reply::json(
            200,
            json!({"id": "r", "key": "k/existing.csv", "type": "existing", "existing_url": "https://x"}),
        ),
    );
    s.mock(
        "GET",
        "/remote/data%20set.csv",
        Reply::Full {
            status: 200,
            headers: vec![("content-type".into(), "text/csv; charset=utf-8".into())],
            body: b"a,b\n1,2\n".to_vec(),
        },
    );
    s.mock("GET", "/remote/moved", Reply::text(302, "").with_header("location", "/remote/data%20set.csv"));
    s.mock("GET", "/remote/missing", Reply::text(404, "nope"));
    let c = client(&s, dir.path());

    let url = format!("{}/remote/data%20set.csv?token=abc", s.url());
    let r = c
        .tools()
        .execute("GITHUB_UPLOAD", ToolExecuteParams::new("u1", args(json!({"file": url}))), &Modifiers::new())
        .await
        .unwrap();
    assert!(r.successful);
    let up = &s.requests_to("POST", "/api/v3.1/files/upload/request")[0];
    assert_eq!(up.json()["filename"], "data set.csv");
    assert_eq!(up.json()["mimetype"], "text/csv");
    assert_eq!(up.json()["md5"], md5_hex(b"a,b\n1,2\n"));
    assert_eq!(s.requests().iter().filter(|r| r.method == "PUT").count(), 0);
    let exec = &s.requests_to("POST", "/api/v3.1/tools/execute/GITHUB_UPLOAD")[0];
    assert_eq!(
        exec.json()["arguments"]["file"],
        json!({"name": "data set.csv", "mimetype": "text/csv", "s3key": "k/existing.csv"})
    );

    s.clear_requests();
    let e = c
        .tools()
        .execute(
            "GITHUB_UPLOAD",
            ToolExecuteParams::new("u1", args(json!({"file": format!("{}/remote/moved", s.url())}))),
            &Modifiers::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "FILE_ERROR");
    assert!(e.to_string().contains("/remote/moved") && e.to_string().contains("redirect"), "{e}");
    assert_eq!(s.hits("GET", "/remote/data%20set.csv"), 0, "redirect not followed");
    assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/*"), 0);

    let e = c
        .tools()
        .execute(
            "GITHUB_UPLOAD",
            ToolExecuteParams::new(
                "u1",
                args(json!({"file": format!("{}/remote/missing?sig=SECRET", s.url())})),
            ),
            &Modifiers::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "FILE_ERROR");
    assert!(e.to_string().contains("404") && !e.to_string().contains("SECRET"), "{e}");
}

#[tokio::test]
async fn sensitive_and_missing_paths_are_refused() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    mock_tool_and_execute(&s, json!({}));
    s.mock("POST", "/api/v3.1/files/upload/request", Reply::api_error(500, "must not be called"));
    let c = client(&s, dir.path());
    let key = dir.file(".ssh/id_ed25519", b"PRIVATE");
    let env = dir.file("project/.env", b"SECRET=1");
    let link = dir.path().join("innocent.txt");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&key, &link).unwrap();
    #[cfg(not(unix))]
    std::fs::copy(&key, &link).unwrap();

    let mut cases: Vec<(String, &str)> = vec![
        (key.to_string_lossy().into_owned(), ".ssh"),
        (env.to_string_lossy().into_owned(), ".env"),
        (dir.path().join("nope.txt").to_string_lossy().into_owned(), "not found"),
        (dir.path().to_string_lossy().into_owned(), "not a regular file"),
    ];
    if cfg!(unix) {
        cases.push((link.to_string_lossy().into_owned(), "sensitive"));
        cases.push(("/etc/shadow".into(), "/etc/shadow"));
    }
    for (path, needle) in cases {
        let e = c
            .tools()
            .execute(
                "GITHUB_UPLOAD",
                ToolExecuteParams::new("u1", args(json!({"file": path}))),
                &Modifiers::new(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "FILE_ERROR", "{path}");
        let msg = e.to_string();
        assert!(msg.contains(needle), "{path}: {msg}");
        assert!(!msg.contains("PRIVATE"));
    }
    assert_eq!(s.hits("POST", "/api/v3.1/files/upload/request"), 0);
    assert_eq!(s.hits("POST", "/api/v3.1/tools/execute/*"), 0);

    // A number is not a file.
    let e = c
        .tools()
        .execute("GITHUB_UPLOAD", ToolExecuteParams::new("u1", args(json!({"file": 3}))), &Modifiers::new())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "FILE_ERROR");
    assert!(e.to_string().contains("file"));
}

#[tokio::test]
async fn file_results_are_downloaded_to_the_download_dir() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    let data = json!({
        "report": {"name": "out.txt", "mimetype": "text/plain", "s3url": format!("{}/s3/bucket/out.txt?sig=1", s.url())},
        "list": [{"name": "../../evil.bin", "mimetype": "application/octet-stream", "s3url": format!("{}/s3/bucket/b", s.url())},
                 {"no_url": true}],
        "untouched": {"s3url": "https://not-in-schema"}
    });
    mock_tool_and_execute(&s, data);
    s.mock("GET", "/s3/bucket/out.txt", Reply::text(200, "downloaded text"));
    s.mock("GET", "/s3/bucket/b", Reply::Full { status: 200, headers: vec![], body: vec![0, 1, 2] });
    let c = client(&s, dir.path());
    let mut p = ToolExecuteParams::new("u1", args(json!({"note": "x"})));
    p.arguments.insert("file".into(), json!({"name": "already.txt", "mimetype": "text/plain", "s3key": "k"}));
    let m = Modifiers::new().with(Modifier::after_execute(composio_core::modifiers::AfterFn(
        |_: &str, _: &str, r: composio_core::models::ToolExecuteResponse| {
            // After-execute modifiers see local paths.
            assert!(r.data["report"].is_string());
            Ok(r)
        },
    )));
    let r = c.tools().execute("GITHUB_UPLOAD", p, &m).await.unwrap();

    let expected = dir.path().join("github").join("GITHUB_UPLOAD").join("out.txt");
    assert_eq!(r.data["report"], json!(expected.to_string_lossy()));
    assert_eq!(std::fs::read_to_string(&expected).unwrap(), "downloaded text");
    let evil = dir.path().join("github").join("GITHUB_UPLOAD").join("evil.bin");
    assert_eq!(r.data["list"][0], json!(evil.to_string_lossy()), "names cannot escape the directory");
    assert_eq!(std::fs::read(&evil).unwrap(), vec![0, 1, 2]);
    assert_eq!(r.data["list"][1], json!({"no_url": true}));
    assert_eq!(r.data["untouched"], json!({"s3url": "https://not-in-schema"}));
    // An already-uploaded file object is passed through unchanged.
    let exec = &s.requests_to("POST", "/api/v3.1/tools/execute/*")[0];
    assert_eq!(exec.json()["arguments"]["file"]["s3key"], "k");
    assert_eq!(s.hits("POST", "/api/v3.1/files/upload/request"), 0);
}

#[tokio::test]
async fn failed_downloads_name_the_file() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    mock_tool_and_execute(
        &s,
        json!({"report": {"name": "gone.pdf", "s3url": format!("{}/s3/gone?X-Sig=SECRET", s.url())}}),
    );
    s.mock("GET", "/s3/gone", Reply::text(403, "denied"));
    let c = client(&s, dir.path());
    let e = c
        .tools()
        .execute(
            "GITHUB_UPLOAD",
            ToolExecuteParams::new("u1", args(json!({"file": {"name": "a", "mimetype": "b", "s3key": "c"}}))),
            &Modifiers::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), "FILE_ERROR");
    let msg = e.to_string();
    assert!(msg.contains("gone.pdf") && msg.contains("403") && !msg.contains("SECRET"), "{msg}");
}

#[tokio::test]
async fn get_rewrites_file_schemas_and_renamed_file_params_still_upload() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    s.mock("GET", "/api/v3.1/tools", Reply::json(200, json!({"items": [file_tool()], "next_cursor": null})));
    mock_tool_and_execute(&s, json!({}));
    s.mock(
        "POST",
        "/api/v3.1/files/upload/request",
        Reply::json(
            200,
            json!({"key": "k1", "type": "update", "update_presigned_url": format!("{}/put/u", s.url())}),
        ),
    );
    s.mock("PUT", "/put/u", Reply::text(200, ""));
    let c = client(&s, dir.path());

    let tools = c
        .tools()
        .get(&GetToolsParams { toolkits: vec!["github".into()], ..Default::default() }, &Modifiers::new())
        .await
        .unwrap();
    let props = &tools[0].input_parameters["properties"];
    assert_eq!(
        props["file"],
        json!({"type": "string", "format": "path", "description": "The file", "title": "File", "file_uploadable": true})
    );
    assert_eq!(props["extra"]["anyOf"][0]["properties"]["attachment"]["format"], "path");
    assert_eq!(props["optional_file"]["description"], "Path to file.");

    // A declarative rename of the file parameter: the model sends `document`.
    let m = Modifiers::new().with(Modifier::declarative(DeclarativeModifier::RenameParameter {
        from: "file".into(),
        to: "document".into(),
    }));
    let path = dir.file("x/notes.md", b"# hi");
    let r = c
        .tools()
        .execute(
            "GITHUB_UPLOAD",
            ToolExecuteParams::new("u1", args(json!({"document": path.to_str().unwrap()}))),
            &m,
        )
        .await
        .unwrap();
    assert!(r.successful);
    assert_eq!(s.hits("PUT", "/put/u"), 1);
    let exec = &s.requests_to("POST", "/api/v3.1/tools/execute/*")[0];
    assert_eq!(
        exec.json()["arguments"],
        json!({"file": {"name": "notes.md", "mimetype": "text/markdown", "s3key": "k1"}})
    );
}

fn client_with(s: &MockServer, download_dir: &Path, tweak: impl FnOnce(&mut ComposioConfig)) -> Composio {
    let mut c = ComposioConfig::new("test-key")
        .with_base_url(s.url())
        .with_retry(RetryPolicy::none())
        .with_toolkit_versions(ToolkitVersions::global(PIN));
    c.auto_upload_download_files = true;
    c.file_download_dir = Some(download_dir.to_path_buf());
    tweak(&mut c);
    Composio::new(c).unwrap()
}

fn mock_upload(s: &MockServer) {
    let put_url = format!("{}/storage/put/x", s.url());
    s.mock_fn("POST", "/api/v3.1/files/upload/request", move |_| {
        Reply::json(200, json!({"key": "k/1", "type": "new", "new_presigned_url": put_url}))
    });
    s.mock("PUT", "/storage/put/x", Reply::text(200, ""));
}

async fn upload(c: &Composio, path: &Path) -> Result<(), composio_core::Error> {
    c.tools()
        .execute(
            "GITHUB_UPLOAD",
            ToolExecuteParams::new("u1", args(json!({"file": path.to_str().unwrap()}))),
            &Modifiers::new(),
        )
        .await
        .map(|_| ())
}

#[tokio::test]
async fn upload_dirs_allow_list_is_enforced() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    mock_tool_and_execute(&s, json!({}));
    mock_upload(&s);
    let inside = dir.file("allowed/ok.txt", b"ok");
    let outside = dir.file("elsewhere/no.txt", b"no");
    let allowed = dir.path().join("allowed");
    let c = client_with(&s, dir.path(), |cfg| cfg.file_upload_dirs = Some(vec![allowed.clone()]));
    upload(&c, &inside).await.unwrap();
    let e = upload(&c, &outside).await.unwrap_err();
    assert_eq!(e.code(), "FILE_ERROR");
    assert!(e.to_string().contains("file_upload_dirs"), "{e}");
    assert_eq!(s.hits("POST", "/api/v3.1/files/upload/request"), 1, "only the allowed file was uploaded");
}

#[tokio::test]
async fn deny_segments_add_to_the_built_in_list_and_protection_can_be_turned_off() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    mock_tool_and_execute(&s, json!({}));
    mock_upload(&s);
    let private = dir.file("Private/notes.txt", b"mine");
    let c = client_with(&s, dir.path(), |cfg| cfg.file_upload_path_deny_segments = vec!["private".into()]);
    let e = upload(&c, &private).await.unwrap_err();
    assert!(e.to_string().contains("file_upload_path_deny_segments"), "{e}");

    let key = dir.file(".ssh/config", b"Host x");
    let open = client_with(&s, dir.path(), |cfg| cfg.sensitive_file_upload_protection = false);
    upload(&open, &key).await.unwrap();
    upload(&open, &private).await.unwrap();
    assert_eq!(s.hits("PUT", "/storage/put/x"), 2);
}

// ---------------------------------------------------------------------------
// TypeScript result shape (`@composio/core`)

fn ts_client(s: &MockServer, download_dir: &Path) -> Composio {
    client_with(s, download_dir, |_| {})
}

fn file_name_of(v: &Value) -> String {
    Path::new(v["uri"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned()
}

#[tokio::test]
async fn typescript_shape_replaces_every_s3url_object_and_reports_failures_in_place() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    s.mock("GET", "/s3/ok", Reply::text(200, "pdf bytes"));
    s.mock("GET", "/s3/raw", Reply::Full { status: 200, headers: vec![], body: vec![9, 8, 7] });
    s.mock("GET", "/s3/gone", Reply::text(403, "denied"));
    let c = ts_client(&s, dir.path());
    let ok_url = format!("{}/s3/ok?X-Amz-Signature=SECRET", s.url());
    let data = json!({
        "deep": {"list": [
            {"name": "r.pdf", "mimetype": "application/pdf", "s3url": ok_url},
            {"s3url": format!("{}/s3/raw", s.url())},
            "plain"
        ]},
        "broken": {"mimetype": "image/png", "s3url": format!("{}/s3/gone", s.url())},
        "not_a_file": {"s3url": 42, "x": 1},
        "n": 3
    });
    let out = composio_core::files::hydrate_file_results(&c, "GMAIL_GET_ATTACHMENT", data).await;

    let pdf = &out["deep"]["list"][0];
    assert_eq!(pdf["file_downloaded"], true);
    assert_eq!(pdf["s3url"], json!(ok_url));
    assert_eq!(pdf["mimeType"], "application/pdf");
    assert_eq!(pdf.as_object().unwrap().len(), 4, "exactly {{uri, file_downloaded, s3url, mimeType}}: {pdf}");
    let name = file_name_of(pdf);
    let rest = name.strip_prefix("GMAIL_GET_ATTACHMENT_").unwrap_or_else(|| panic!("{name}"));
    assert!(rest.ends_with(".pdf") && rest[..13].chars().all(|c| c.is_ascii_digit()), "{name}");
    assert_eq!(
        Path::new(pdf["uri"].as_str().unwrap()).parent().unwrap(),
        dir.path(),
        "flat in the download dir"
    );
    assert_eq!(std::fs::read_to_string(pdf["uri"].as_str().unwrap()).unwrap(), "pdf bytes");

    let raw = &out["deep"]["list"][1];
    assert_eq!(raw["mimeType"], "application/octet-stream");
    assert!(file_name_of(raw).ends_with(".bin"), "{raw}");
    assert_eq!(std::fs::read(raw["uri"].as_str().unwrap()).unwrap(), vec![9, 8, 7]);
    assert_ne!(raw["uri"], pdf["uri"]);

    assert_eq!(
        out["broken"],
        json!({"uri": "", "file_downloaded": false, "s3url": format!("{}/s3/gone", s.url()), "mimeType": "image/png"})
    );
    assert_eq!(out["deep"]["list"][2], "plain");
    assert_eq!(out["not_a_file"], json!({"s3url": 42, "x": 1}));
    assert_eq!(out["n"], 3);
    assert_eq!(s.hits("GET", "/s3/ok"), 1);
}

#[tokio::test]
async fn download_results_as_selects_the_shape_by_flavor() {
    use composio_core::models::{Tool, ToolExecuteResponse};
    use composio_core::Flavor;
    let s = MockServer::start().await;
    let dir = TempDir::new();
    s.mock("GET", "/s3/bucket/out.txt", Reply::text(200, "downloaded text"));
    let c = ts_client(&s, dir.path());
    let tool: Tool = serde_json::from_value(file_tool()).unwrap();
    let data = json!({"report": {"name": "out.txt", "mimetype": "text/plain", "s3url": format!("{}/s3/bucket/out.txt", s.url())}});
    let response = |d: Value| -> ToolExecuteResponse {
        serde_json::from_value(json!({"data": d, "error": null, "successful": true})).unwrap()
    };

    let mut py = response(data.clone());
    composio_core::files::download_file_results_as(&c, &tool, &mut py, Flavor::Python).await.unwrap();
    let expected = dir.path().join("github").join("GITHUB_UPLOAD").join("out.txt");
    assert_eq!(py.data["report"], json!(expected.to_string_lossy()));

    let mut ts = response(data);
    composio_core::files::download_file_results_as(&c, &tool, &mut ts, Flavor::TypeScript).await.unwrap();
    assert_eq!(ts.data["report"]["file_downloaded"], true);
    assert!(file_name_of(&ts.data["report"]).starts_with("GITHUB_UPLOAD_"));
    assert!(file_name_of(&ts.data["report"]).ends_with(".txt"));
    assert_eq!(
        std::fs::read_to_string(ts.data["report"]["uri"].as_str().unwrap()).unwrap(),
        "downloaded text"
    );
    assert!(ts.successful);
}

#[tokio::test]
async fn single_typescript_download_names_the_url_without_its_query() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    s.mock("GET", "/s3/gone", Reply::text(404, "no"));
    let c = ts_client(&s, dir.path());
    let e = composio_core::files::download_file_ts(
        &c,
        "T",
        &format!("{}/s3/gone?sig=SECRET", s.url()),
        "text/plain",
    )
    .await
    .unwrap_err();
    assert_eq!(e.code(), "FILE_ERROR");
    let msg = e.to_string();
    assert!(msg.contains("/s3/gone") && msg.contains("404") && !msg.contains("SECRET"), "{msg}");
    let e = composio_core::files::download_file_ts(&c, "T", "not a url", "text/plain").await.unwrap_err();
    assert!(e.to_string().contains("not a valid URL"), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written on failure");
}

struct Redirect {
    to: PathBuf,
    seen: std::sync::Mutex<Vec<(String, String, String, String)>>,
}

#[async_trait::async_trait]
impl composio_core::files::BeforeFileUpload for Redirect {
    async fn before_file_upload(
        &self,
        path: &str,
        source: &str,
        tool: &str,
        toolkit: &str,
    ) -> composio_core::Result<String> {
        self.seen.lock().unwrap().push((path.into(), source.into(), tool.into(), toolkit.into()));
        if path.ends_with("abort.txt") {
            return Err(composio_core::Error::validation("aborted by the hook"));
        }
        Ok(self.to.to_string_lossy().into_owned())
    }
}

#[tokio::test]
async fn before_file_upload_can_replace_the_path_or_abort() {
    let s = MockServer::start().await;
    let dir = TempDir::new();
    mock_upload(&s);
    let replacement = dir.file("replacement.txt", b"replaced bytes");
    let c = client(&s, dir.path());
    let tool: composio_core::models::Tool = serde_json::from_value(file_tool()).unwrap();
    let hook = Redirect { to: replacement.clone(), seen: Default::default() };

    let mut a = args(json!({"file": "/original/never-read.txt", "note": "n"}));
    composio_core::files::upload_file_arguments_with(&c, &tool, &mut a, Some(&hook)).await.unwrap();
    assert_eq!(a["file"], json!({"name": "replacement.txt", "mimetype": "text/plain", "s3key": "k/1"}));
    let put = &s.requests_to("PUT", "/storage/put/x")[0];
    assert_eq!(put.body, b"replaced bytes".to_vec());
    let req = &s.requests_to("POST", "/api/v3.1/files/upload/request")[0];
    assert_eq!(req.json()["md5"], md5_hex(b"replaced bytes"));
    assert_eq!(
        hook.seen.lock().unwrap()[0],
        ("/original/never-read.txt".into(), "path".into(), "GITHUB_UPLOAD".into(), "github".into())
    );

    let mut b = args(json!({"file": "https://example.invalid/abort.txt"}));
    let e =
        composio_core::files::upload_file_arguments_with(&c, &tool, &mut b, Some(&hook)).await.unwrap_err();
    assert!(e.to_string().contains("aborted by the hook"), "{e}");
    assert_eq!(hook.seen.lock().unwrap()[1].1, "url");
    assert_eq!(s.hits("POST", "/api/v3.1/files/upload/request"), 1, "nothing uploaded after an abort");
}
