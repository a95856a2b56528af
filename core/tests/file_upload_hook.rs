//! The file-upload hook as a stage of core's execute pipeline
//! (`Modifiers::with_before_file_upload`): `Tools::execute`,
//! `Composio::handle_tool_calls` and the session execute paths, against an
//! in-process composio-local over real HTTP (it serves
//! `/files/upload/request`, `TEXT_FILE_STATS` and `TEXT_CREATE_FILE`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use composio_core::models::{Tool, ToolExecuteParams, ToolExecuteResponse};
use composio_core::modifiers::{AfterFn, BeforeFn, DeclarativeModifier, Modifier, Modifiers};
use composio_core::providers::HandleToolCallsOptions;
use composio_core::{Composio, ComposioConfig, Error, Flavor, Provider, SessionConfig, ToolkitVersions};
use composio_local::{spawn, LocalOptions, RunningServer};
use serde_json::{json, Map, Value};

struct Tmp(PathBuf);

impl Tmp {
    fn new(tag: &str) -> Tmp {
        let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let dir = std::env::temp_dir().join(format!("core-upload-hook-{tag}-{}-{t:x}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Tmp(dir)
    }

    /// Writes a file and returns its path as a string.
    fn file(&self, name: &str, content: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, content).unwrap();
        p.to_string_lossy().into_owned()
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A client of a fresh composio-local; `auto_files` sets the configuration
/// switch. Downloads go under the temp dir either way.
async fn local(tmp: &Tmp, auto_files: bool) -> (RunningServer, Composio) {
    let server = spawn(LocalOptions::default()).await.unwrap();
    let mut config = ComposioConfig::new(server.api_key())
        .with_base_url(server.url())
        .with_toolkit_versions(ToolkitVersions::per_toolkit([("text", "20251201_00")]));
    config.auto_upload_download_files = auto_files;
    config.file_download_dir = Some(tmp.0.join("downloads"));
    (server, Composio::new(config).unwrap())
}

fn args(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

/// Every hook call as `(path, source, tool, toolkit)`.
type Calls = Arc<Mutex<Vec<(String, String, String, String)>>>;

/// A hook that records its calls and answers `replace(path)`.
fn recording_hook(
    calls: &Calls,
    replace: impl Fn(&str) -> String + Send + Sync + 'static,
) -> impl Fn(&str, &str, &str, &str) -> composio_core::Result<String> + Send + Sync + 'static {
    let calls = calls.clone();
    move |path: &str, source: &str, tool: &str, toolkit: &str| {
        calls.lock().unwrap().push((path.into(), source.into(), tool.into(), toolkit.into()));
        Ok(replace(path))
    }
}

fn is_uploaded(v: &Value) -> bool {
    v.get("s3key").and_then(Value::as_str).is_some_and(|k| !k.is_empty())
}

#[tokio::test]
async fn hook_runs_once_per_file_argument_and_can_replace_the_path() {
    let tmp = Tmp::new("replace");
    let (_server, c) = local(&tmp, true).await;
    let a = tmp.file("a.txt", "hello world\n");
    let b = tmp.file("b.txt", "one two three\nfour\n");
    let calls: Calls = Arc::default();
    let b2 = b.clone();
    let mods = Modifiers::new().with_before_file_upload(recording_hook(&calls, move |_| b2.clone()));

    let r = c
        .tools()
        .execute("TEXT_FILE_STATS", ToolExecuteParams::new("u1", args(json!({"file": a}))), &mods)
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    assert_eq!(r.data["name"], "b.txt");
    assert_eq!(r.data["words"], 4);
    assert_eq!(r.data["lines"], 2);
    assert_eq!(
        *calls.lock().unwrap(),
        vec![(a.clone(), "path".to_string(), "TEXT_FILE_STATS".to_string(), "text".to_string())]
    );

    // Two file arguments (a schema modifier marks a second one): the hook
    // runs once for each, in schema order, and both are uploaded before the
    // before-execute stage (which drops the extra one: the tool has no such
    // parameter).
    calls.lock().unwrap().clear();
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let seen2 = seen.clone();
    let mods = Modifiers::new()
        .with(Modifier::schema(|_: &str, _: &str, mut t: Tool| {
            t.input_parameters["properties"]["extra"] = json!({"type": "string", "file_uploadable": true});
            Ok(t)
        }))
        .with(Modifier::before_execute(BeforeFn(move |_: &str, _: &str, mut p: ToolExecuteParams| {
            seen2.lock().unwrap().push(Value::Object(p.arguments.clone()));
            p.arguments.shift_remove("extra");
            Ok(p)
        })))
        .with_before_file_upload(recording_hook(&calls, |p| p.to_string()));
    let r = c
        .tools()
        .execute("TEXT_FILE_STATS", ToolExecuteParams::new("u1", args(json!({"file": a, "extra": b}))), &mods)
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    assert_eq!(r.data["name"], "a.txt");
    let paths: Vec<String> = calls.lock().unwrap().iter().map(|c| c.0.clone()).collect();
    assert_eq!(paths, vec![a.clone(), b.clone()]);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert!(is_uploaded(&seen[0]["file"]) && is_uploaded(&seen[0]["extra"]), "{}", seen[0]);
    assert_eq!(seen[0]["extra"]["name"], "b.txt");
}

#[tokio::test]
async fn hook_error_aborts_before_anything_runs() {
    let tmp = Tmp::new("abort");
    let (server, c) = local(&tmp, true).await;
    let a = tmp.file("a.txt", "secret-ish\n");
    let before_calls = Arc::new(AtomicUsize::new(0));
    let bc = before_calls.clone();
    let mods = Modifiers::new()
        .with(Modifier::before_execute(BeforeFn(move |_: &str, _: &str, p: ToolExecuteParams| {
            bc.fetch_add(1, Ordering::SeqCst);
            Ok(p)
        })))
        .with_before_file_upload(|path: &str, _: &str, _: &str, _: &str| -> composio_core::Result<String> {
            Err(Error::File { message: format!("upload of {path} refused by the hook") })
        });
    let err = c
        .tools()
        .execute("TEXT_FILE_STATS", ToolExecuteParams::new("u1", args(json!({"file": a}))), &mods)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::File { .. }), "{err:?}");
    assert_eq!(err.code(), "FILE_ERROR");
    assert!(err.to_string().contains("refused by the hook"), "{err}");
    assert_eq!(before_calls.load(Ordering::SeqCst), 0, "before_execute must not run after an abort");

    // Nothing was uploaded either.
    let list: Value = reqwest::Client::new()
        .get(format!("{}/api/v3/files/list?tool_slug=TEXT_FILE_STATS", server.url()))
        .header("x-api-key", server.api_key())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"], json!([]), "{list}");

    // An empty replacement is a typed file error naming the argument.
    let mods = Modifiers::new()
        .with_before_file_upload(|_: &str, _: &str, _: &str, _: &str| Ok::<String, Error>("  ".to_string()));
    let err = c
        .tools()
        .execute("TEXT_FILE_STATS", ToolExecuteParams::new("u1", args(json!({"file": a}))), &mods)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::File { .. }) && err.to_string().contains("empty path"), "{err}");
}

#[tokio::test]
async fn schema_modifiers_run_once_per_execute_and_shape_the_upload() {
    let tmp = Tmp::new("schema");
    let (_server, c) = local(&tmp, true).await;
    let a = tmp.file("a.txt", "alpha beta\n");
    let schema_calls = Arc::new(AtomicUsize::new(0));
    let sc = schema_calls.clone();
    let calls: Calls = Arc::default();
    // The model sees `document` instead of `file`: the upload must find the
    // file argument under the new name, and the rename maps it back after.
    let mods = Modifiers::new()
        .with(Modifier::schema(move |_: &str, _: &str, t: Tool| {
            sc.fetch_add(1, Ordering::SeqCst);
            Ok(t)
        }))
        .with(Modifier::declarative(DeclarativeModifier::RenameParameter {
            from: "file".into(),
            to: "document".into(),
        }))
        .with_before_file_upload(recording_hook(&calls, |p| p.to_string()));
    for round in 1..=3 {
        let r = c
            .tools()
            .execute("TEXT_FILE_STATS", ToolExecuteParams::new("u1", args(json!({"document": a}))), &mods)
            .await
            .unwrap();
        assert!(r.successful, "{:?}", r.error);
        assert_eq!(r.data["name"], "a.txt");
        assert_eq!(schema_calls.load(Ordering::SeqCst), round, "one schema stage per execute");
        assert_eq!(calls.lock().unwrap().len(), round, "one hook call per execute");
    }
}

#[tokio::test]
async fn pipeline_order_is_upload_before_execute_download_after() {
    let tmp = Tmp::new("order");
    let (_server, c) = local(&tmp, true).await;
    let a = tmp.file("a.txt", "x y z\n");
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let (l1, l2, l3) = (log.clone(), log.clone(), log.clone());
    let mods = Modifiers::new()
        .with(Modifier::before_execute(BeforeFn(move |tool: &str, _: &str, p: ToolExecuteParams| {
            let state = match p.arguments.get("file") {
                Some(v) if is_uploaded(v) => "uploaded",
                Some(_) => "raw",
                None => "none",
            };
            l2.lock().unwrap().push(format!("before_execute:{tool}:{state}"));
            Ok(p)
        })))
        .with(Modifier::after_execute(AfterFn(move |tool: &str, _: &str, r: ToolExecuteResponse| {
            let file = &r.data["file"];
            let state = if file.is_string() { "downloaded" } else { "not-downloaded" };
            l3.lock().unwrap().push(format!("after_execute:{tool}:{state}"));
            Ok(r)
        })))
        .with_before_file_upload(move |path: &str, _: &str, tool: &str, _: &str| {
            l1.lock().unwrap().push(format!("upload:{tool}"));
            Ok::<String, Error>(path.to_string())
        });
    let r = c
        .tools()
        .execute("TEXT_FILE_STATS", ToolExecuteParams::new("u1", args(json!({"file": a}))), &mods)
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    let r = c
        .tools()
        .execute(
            "TEXT_CREATE_FILE",
            ToolExecuteParams::new("u1", args(json!({"text": "made here", "filename": "made.txt"}))),
            &mods,
        )
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    assert_eq!(
        *log.lock().unwrap(),
        vec![
            "upload:TEXT_FILE_STATS",
            "before_execute:TEXT_FILE_STATS:uploaded",
            "after_execute:TEXT_FILE_STATS:not-downloaded",
            "before_execute:TEXT_CREATE_FILE:none",
            "after_execute:TEXT_CREATE_FILE:downloaded",
        ]
    );
}

#[tokio::test]
async fn hook_is_not_called_without_automatic_file_handling() {
    let tmp = Tmp::new("off");
    let (_server, c) = local(&tmp, false).await;
    let a = tmp.file("a.txt", "a\n");
    let calls: Calls = Arc::default();
    let mods = Modifiers::new().with_before_file_upload(recording_hook(&calls, |p| p.to_string()));
    let r = c
        .tools()
        .execute("TEXT_FILE_STATS", ToolExecuteParams::new("u1", args(json!({"file": a}))), &mods)
        .await
        .unwrap();
    assert!(!r.successful, "the raw path reaches the tool, which needs an uploaded file");
    assert!(calls.lock().unwrap().is_empty());
}

#[tokio::test]
async fn typescript_override_turns_files_on_with_the_ts_download_shape() {
    let tmp = Tmp::new("ts");
    let (_server, c) = local(&tmp, false).await;
    let a = tmp.file("a.txt", "one two\n");
    let calls: Calls = Arc::default();
    let after_saw: Arc<Mutex<Option<Value>>> = Arc::default();
    let saw = after_saw.clone();
    let mods = Modifiers::new()
        .with(Modifier::after_execute(AfterFn(move |_: &str, _: &str, r: ToolExecuteResponse| {
            *saw.lock().unwrap() = Some(r.data.clone());
            Ok(r)
        })))
        .with_before_file_upload(recording_hook(&calls, |p| p.to_string()))
        .with_auto_files(Flavor::TypeScript);
    assert_eq!(mods.file_handling(&c), Some(Flavor::TypeScript));
    assert_eq!(Modifiers::new().file_handling(&c), None);

    let r = c
        .tools()
        .execute("TEXT_FILE_STATS", ToolExecuteParams::new("u1", args(json!({"file": a}))), &mods)
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    assert_eq!(r.data["name"], "a.txt");
    assert_eq!(calls.lock().unwrap().len(), 1);

    let r = c
        .tools()
        .execute(
            "TEXT_CREATE_FILE",
            ToolExecuteParams::new("u1", args(json!({"text": "ts shape", "filename": "t.txt"}))),
            &mods,
        )
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    let file = &r.data["file"];
    assert_eq!(file["file_downloaded"], true, "{file}");
    assert_eq!(file["mimeType"], "text/plain", "{file}");
    let uri = file["uri"].as_str().unwrap();
    assert!(PathBuf::from(uri).starts_with(tmp.0.join("downloads")), "{uri}");
    assert_eq!(std::fs::read_to_string(uri).unwrap(), "ts shape");
    // The after-execute stage saw the downloaded shape.
    assert_eq!(after_saw.lock().unwrap().as_ref().unwrap()["file"], *file);
}

#[tokio::test]
async fn handle_tool_calls_gets_the_hook_through_the_modifiers() {
    let tmp = Tmp::new("htc");
    let (_server, c) = local(&tmp, true).await;
    let a = tmp.file("a.txt", "a\n");
    let b = tmp.file("b.txt", "b b b\n");
    let calls: Calls = Arc::default();
    let b2 = b.clone();
    let mods = Modifiers::new().with_before_file_upload(recording_hook(&calls, move |_| b2.clone()));
    let response = json!({"choices": [{"message": {"role": "assistant", "tool_calls": [
        {"id": "call_1", "type": "function",
         "function": {"name": "TEXT_FILE_STATS", "arguments": json!({"file": a}).to_string()}},
        {"id": "call_2", "type": "function",
         "function": {"name": "TEXT_WORD_COUNT", "arguments": json!({"text": "no files here"}).to_string()}}
    ]}}]});
    let out = c
        .handle_tool_calls(
            "u1",
            &Provider::OpenAI,
            &response,
            Flavor::Python,
            HandleToolCallsOptions::default(),
            &mods,
        )
        .await
        .unwrap();
    assert_eq!(out[0]["successful"], true, "{out}");
    assert_eq!(out[0]["data"]["name"], "b.txt", "{out}");
    assert_eq!(out[1]["successful"], true, "{out}");
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 1, "one file argument in two calls");
    assert_eq!(calls[0].0, a);
}

#[tokio::test]
async fn session_agentic_paths_upload_with_the_hook_direct_execute_does_not() {
    let tmp = Tmp::new("session");
    let (_server, c) = local(&tmp, true).await;
    let a = tmp.file("a.txt", "s e s s i o n\n");
    let session = c.create_session("u-files", SessionConfig::new().toolkits(["text"])).await.unwrap();
    let calls: Calls = Arc::default();
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let (l1, l2) = (log.clone(), log.clone());
    let calls2 = calls.clone();
    let mods = Modifiers::new()
        .with(Modifier::before_execute(BeforeFn(move |_: &str, toolkit: &str, p: ToolExecuteParams| {
            let up = p.arguments.get("file").is_some_and(is_uploaded);
            l2.lock().unwrap().push(format!("before_execute:{toolkit}:{up}"));
            Ok(p)
        })))
        .with_before_file_upload(move |path: &str, source: &str, tool: &str, toolkit: &str| {
            calls2.lock().unwrap().push((path.into(), source.into(), tool.into(), toolkit.into()));
            l1.lock().unwrap().push("upload".into());
            Ok::<String, Error>(path.to_string())
        });

    // The agentic session path (`POST …/execute` with modifiers).
    let r = session
        .execute_with_modifiers("TEXT_FILE_STATS", Some(args(json!({"file": a}))), &mods)
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    assert_eq!(r.data["name"], "a.txt");
    assert_eq!(*log.lock().unwrap(), vec!["upload", "before_execute:composio:true"]);
    assert_eq!(
        calls.lock().unwrap()[0],
        (a.clone(), "path".to_string(), "TEXT_FILE_STATS".to_string(), "text".to_string())
    );

    // `execute_meta` (agentic providers' path) uploads the same way.
    log.lock().unwrap().clear();
    let r = session.execute_meta("TEXT_FILE_STATS", args(json!({"file": a})), &mods).await.unwrap();
    assert!(r.successful, "{:?}", r.error);
    assert_eq!(r.data["name"], "a.txt");
    assert_eq!(*log.lock().unwrap(), vec!["upload", "before_execute:composio:true"]);

    // A meta tool without file parameters: no hook call.
    log.lock().unwrap().clear();
    let r = session
        .execute_meta("COMPOSIO_SEARCH_TOOLS", args(json!({"queries": [{"use_case": "count words"}]})), &mods)
        .await
        .unwrap();
    assert!(r.successful, "{:?}", r.error);
    assert_eq!(*log.lock().unwrap(), vec!["before_execute:composio:false"]);

    // A hook error aborts the session paths too.
    let deny = Modifiers::new().with_before_file_upload(|_: &str, _: &str, _: &str, _: &str| {
        Err::<String, Error>(Error::File { message: "denied".into() })
    });
    let err = session.execute_meta("TEXT_FILE_STATS", args(json!({"file": a})), &deny).await.unwrap_err();
    assert_eq!(err.code(), "FILE_ERROR");

    // Direct `session.execute` sends the arguments as given (both official
    // SDKs): the raw path reaches the tool, which fails.
    let before = calls.lock().unwrap().len();
    let r = session.execute("TEXT_FILE_STATS", Some(args(json!({"file": a})))).await.unwrap();
    assert!(r.error.is_some(), "{:?}", r.data);
    assert_eq!(calls.lock().unwrap().len(), before);
}
