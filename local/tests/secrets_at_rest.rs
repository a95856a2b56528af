//! Secrets are encrypted at rest: the SQLite file never holds credentials, tokens or signing
//! secrets in the clear; restarts keep them usable; a wrong key file stops the server at start.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::path::Path;

use common::{browser, open, start_with, submit, Local, TempDir};
use composio_local::vault::{Vault, KEY_FILE, PREFIX, SECRET_COLUMNS};
use composio_local::{spawn, LocalError, LocalOptions};
use serde_json::{json, Value};

const TYPED_KEY: &str = "typed-on-the-page-9f8e7d6c5b4a";
const CUSTOM_CLIENT_SECRET: &str = "custom-client-secret-a1b2c3d4e5";

/// Connect a `notes` account through the connect page, typing `key`.
async fn connect_notes(local: &Local, user: &str, key: &str) -> String {
    let ac = local.managed("notes").await;
    let (s, b) = local.post("/connected_accounts/link", json!({"auth_config_id": ac, "user_id": user})).await;
    assert_eq!(s, 200, "{b}");
    let url = b["redirect_url"].as_str().unwrap().to_owned();
    let client = browser();
    let (s, _, page) = open(&client, &url).await;
    assert_eq!(s, 200, "{page}");
    let (s, _, page) = submit(&client, &url, &[("api_key", key)]).await;
    assert!(s == 302 || s == 200, "{s} {page}");
    b["connected_account_id"].as_str().unwrap().to_owned()
}

async fn exec(local: &Local, slug: &str, account: &str, args: Value) -> Value {
    let (s, b) = local.exec(slug, json!({"connected_account_id": account, "arguments": args})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["successful"], true, "{b}");
    b
}

/// Every text value of every table of the database file.
fn all_text(db: &Path) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                if let Ok(Some(text)) = r.get::<_, Option<String>>(i) {
                    out.push((t.clone(), text));
                }
            }
        }
    }
    out
}

/// The raw bytes of every file of the data folder except the key files.
fn raw_files(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_file() && name != KEY_FILE && name != "api_key" {
            out.extend(std::fs::read(&p).unwrap());
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn db_file(dir: &Path) -> std::path::PathBuf {
    dir.join(composio_local::db::DB_FILE)
}

#[tokio::test]
async fn secrets_are_encrypted_on_disk_and_survive_a_restart() {
    let dir = TempDir::new("vault");
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let notes = connect_notes(&local, "ann", TYPED_KEY).await;
    exec(&local, "NOTES_CREATE_NOTE", &notes, json!({"title": "first", "content": "c"})).await;
    let tasks = local.tasks_account("ann", "ann").await;
    exec(&local, "TASKS_CREATE_TASK", &tasks, json!({"title": "t1"})).await;
    let custom = local
        .auth_config(
            json!({"toolkit":{"slug":"tasks"},"auth_config":{"type":"use_custom_auth","authScheme":"OAUTH2",
            "credentials":{"client_id":"my-client","client_secret": CUSTOM_CLIENT_SECRET}}}),
        )
        .await;
    let (sub, webhook_secret) =
        local.subscribe("http://127.0.0.1:9/hook", &["composio.trigger.message"]).await;
    let (_, listed) = local.get(&format!("/auth_configs/{custom}")).await;
    assert_ne!(listed["credentials"]["client_secret"], CUSTOM_CLIENT_SECRET, "still masked: {listed}");
    local.server.shutdown().await;

    // The key file is the owner's only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.0.join(KEY_FILE)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::metadata(dir.0.join(KEY_FILE)).unwrap().len(), 32);
    }

    // Recover the OAuth2 tokens through the key, to know what to look for.
    let vault = Vault::load_or_create(&dir.0).unwrap();
    let c = rusqlite::Connection::open(db_file(&dir.0)).unwrap();
    let stored_state: String =
        c.query_row("SELECT state FROM connected_accounts WHERE id = ?1", [&tasks], |r| r.get(0)).unwrap();
    assert!(stored_state.starts_with(PREFIX), "{stored_state}");
    let state: Value = serde_json::from_str(&vault.decrypt(&stored_state).unwrap()).unwrap();
    let access = state["access_token"].as_str().unwrap().to_owned();
    let refresh = state["refresh_token"].as_str().unwrap().to_owned();
    let builtin_secret: String =
        c.query_row("SELECT client_secret FROM oauth_clients WHERE builtin = 1", [], |r| r.get(0)).unwrap();
    let builtin_secret = vault.decrypt(&builtin_secret).unwrap();
    for (table, column) in SECRET_COLUMNS {
        let values: Vec<String> = c
            .prepare(&format!("SELECT {column} FROM {table}"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for v in values {
            assert!(v.starts_with(PREFIX), "{table}.{column} is not encrypted");
        }
    }
    drop(c);

    let secrets =
        [TYPED_KEY, CUSTOM_CLIENT_SECRET, webhook_secret.as_str(), &access, &refresh, &builtin_secret];
    for (table, text) in all_text(&db_file(&dir.0)) {
        for s in secrets {
            assert!(!text.contains(s), "a secret is stored in the clear in table {table}");
        }
    }
    let raw = raw_files(&dir.0);
    assert!(!raw.is_empty());
    for s in secrets {
        assert!(!contains(&raw, s), "a secret appears in the raw files of the data folder");
    }

    // Restart: tokens, typed keys and secrets still work.
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let b = exec(&local, "TASKS_LIST_TASKS", &tasks, json!({})).await;
    assert_eq!(b["data"]["tasks"][0]["title"], "t1", "{b}");
    let b = exec(&local, "NOTES_LIST_NOTES", &notes, json!({})).await;
    assert!(b["data"].to_string().contains("first"), "{b}");
    let (_, acct) = local.get(&format!("/connected_accounts/{notes}")).await;
    assert_eq!(acct["state"]["val"]["api_key"], format!("********{}", &TYPED_KEY[TYPED_KEY.len() - 4..]));
    let (_, s) = local.get(&format!("/webhook_subscriptions/{sub}")).await;
    assert_eq!(s["secret"], format!("********{}", &webhook_secret[webhook_secret.len() - 4..]), "{s}");
    local.server.shutdown().await;
}

#[tokio::test]
async fn plaintext_rows_of_an_older_data_folder_are_migrated() {
    let dir = TempDir::new("vault-legacy");
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let notes = local.notes_account("bob").await;
    exec(&local, "NOTES_CREATE_NOTE", &notes, json!({"title": "legacy", "content": "c"})).await;
    let (sub, secret) = local.subscribe("http://127.0.0.1:9/hook", &["composio.trigger.message"]).await;
    local.server.shutdown().await;

    // Rewrite the rows as an older composio-local stored them: plaintext.
    let c = rusqlite::Connection::open(db_file(&dir.0)).unwrap();
    let legacy_key = "legacy-plain-key-000111222";
    c.execute(
        "UPDATE connected_accounts SET state = ?1 WHERE id = ?2",
        [json!({"api_key": legacy_key}).to_string(), notes.clone()],
    )
    .unwrap();
    c.execute("UPDATE webhook_subscriptions SET secret = ?1 WHERE id = ?2", [&secret, &sub]).unwrap();
    drop(c);

    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let b = exec(&local, "NOTES_LIST_NOTES", &notes, json!({})).await;
    assert!(b["data"].to_string().contains("legacy"), "{b}");
    let (_, acct) = local.get(&format!("/connected_accounts/{notes}")).await;
    assert_eq!(acct["state"]["val"]["api_key"], "********1222", "{acct}");
    local.server.shutdown().await;
    let c = rusqlite::Connection::open(db_file(&dir.0)).unwrap();
    let state: String =
        c.query_row("SELECT state FROM connected_accounts WHERE id = ?1", [&notes], |r| r.get(0)).unwrap();
    let stored_secret: String =
        c.query_row("SELECT secret FROM webhook_subscriptions WHERE id = ?1", [&sub], |r| r.get(0)).unwrap();
    assert!(state.starts_with(PREFIX) && !state.contains(legacy_key));
    assert!(stored_secret.starts_with(PREFIX) && !stored_secret.contains(&secret));
}

async fn start_err(dir: &Path) -> String {
    match spawn(LocalOptions::default().with_data_dir(dir)).await {
        Ok(_) => panic!("composio-local started with a bad key file"),
        Err(e @ LocalError::DataDir { .. }) => e.to_string(),
        Err(other) => panic!("unexpected error kind: {other}"),
    }
}

#[tokio::test]
async fn a_wrong_key_file_is_a_clear_startup_error() {
    let dir = TempDir::new("vault-wrong");
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    local.notes_account("cy").await;
    local.server.shutdown().await;
    let key_path = dir.0.join(KEY_FILE);
    let original = std::fs::read(&key_path).unwrap();

    // Another 32-byte key: the stored secrets do not open.
    let mut other = original.clone();
    other[0] ^= 0xff;
    std::fs::write(&key_path, &other).unwrap();
    let msg = start_err(&dir.0).await;
    assert!(msg.contains(KEY_FILE) && msg.contains("not the key"), "{msg}");

    // Wrong length.
    std::fs::write(&key_path, b"short").unwrap();
    let msg = start_err(&dir.0).await;
    assert!(msg.contains(KEY_FILE) && msg.contains("32 bytes"), "{msg}");

    // Readable by others.
    std::fs::write(&key_path, &original).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let msg = start_err(&dir.0).await;
        assert!(msg.contains(KEY_FILE) && msg.contains("644") && msg.contains("chmod 600"), "{msg}");
        std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }

    // The original key works again.
    let local = start_with(LocalOptions::default().with_data_dir(&dir.0)).await;
    let (s, b) = local.get("/connected_accounts").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["items"].as_array().unwrap().len(), 1);
    local.server.shutdown().await;
}
