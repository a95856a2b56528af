//! The SQLite store: one file in the data folder, migrated on open. Blocking SQLite calls run on
//! tokio's blocking pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use crate::errors::{ApiError, LocalError};

/// File name of the database inside the data folder.
pub const DB_FILE: &str = "composio-local.sqlite3";

const MIGRATIONS: &[&str] = &[
    // 1: sessions and tool-execution logs.
    "CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        config TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(user_id);
    CREATE TABLE tool_executions (
        log_id TEXT PRIMARY KEY,
        tool_slug TEXT NOT NULL,
        session_id TEXT,
        user_id TEXT,
        successful INTEGER NOT NULL,
        error TEXT,
        created_at TEXT NOT NULL
    );",
    // 2: auth configs, connected accounts, connect links, the built-in OAuth2 server, notes and tasks.
    "CREATE TABLE auth_configs (
        id TEXT PRIMARY KEY,
        uuid TEXT NOT NULL,
        toolkit TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        auth_scheme TEXT NOT NULL,
        status TEXT NOT NULL,
        credentials TEXT NOT NULL,
        settings TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX auth_configs_toolkit ON auth_configs(toolkit);
    CREATE TABLE connected_accounts (
        id TEXT PRIMARY KEY,
        uuid TEXT NOT NULL,
        user_id TEXT NOT NULL,
        toolkit TEXT NOT NULL,
        auth_config_id TEXT NOT NULL REFERENCES auth_configs(id) ON DELETE CASCADE,
        status TEXT NOT NULL,
        status_reason TEXT,
        is_disabled INTEGER NOT NULL DEFAULT 0,
        alias TEXT,
        callback_url TEXT,
        state TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX connected_accounts_user ON connected_accounts(user_id, toolkit);
    CREATE TABLE link_tokens (
        token TEXT PRIMARY KEY,
        connected_account_id TEXT NOT NULL REFERENCES connected_accounts(id) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL,
        completed INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE oauth_pending (
        state TEXT PRIMARY KEY,
        connected_account_id TEXT NOT NULL REFERENCES connected_accounts(id) ON DELETE CASCADE,
        code_verifier TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE oauth_clients (
        client_id TEXT PRIMARY KEY,
        client_secret TEXT NOT NULL,
        name TEXT NOT NULL,
        redirect_uris TEXT NOT NULL,
        builtin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE TABLE oauth_requests (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        scope TEXT NOT NULL,
        state TEXT,
        code_challenge TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE TABLE oauth_codes (
        code_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        redirect_uri TEXT NOT NULL,
        subject TEXT NOT NULL,
        scope TEXT NOT NULL,
        code_challenge TEXT NOT NULL,
        grant_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        used INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE oauth_tokens (
        token_hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        grant_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        scope TEXT NOT NULL,
        expires_at INTEGER,
        revoked INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX oauth_tokens_grant ON oauth_tokens(grant_id);
    CREATE TABLE notes (
        id TEXT PRIMARY KEY,
        connected_account_id TEXT NOT NULL REFERENCES connected_accounts(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        content TEXT NOT NULL,
        tags TEXT NOT NULL,
        pinned INTEGER NOT NULL,
        color TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX notes_account ON notes(connected_account_id);
    CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        due_date TEXT,
        priority TEXT NOT NULL,
        labels TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at TEXT NOT NULL,
        completed_at TEXT
    );
    CREATE INDEX tasks_owner ON tasks(owner);",
    // 3: trigger instances, webhook subscriptions, events and the delivery queue.
    "CREATE TABLE trigger_instances (
        id TEXT PRIMARY KEY,
        uuid TEXT NOT NULL,
        trigger_slug TEXT NOT NULL,
        connected_account_id TEXT NOT NULL REFERENCES connected_accounts(id) ON DELETE CASCADE,
        config TEXT NOT NULL,
        config_key TEXT NOT NULL,
        version TEXT NOT NULL,
        disabled_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX trigger_instances_key ON trigger_instances(connected_account_id, trigger_slug, config_key);
    CREATE TABLE webhook_subscriptions (
        id TEXT PRIMARY KEY,
        webhook_url TEXT NOT NULL,
        version TEXT NOT NULL,
        enabled_events TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE webhook_deliveries (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
        message_id TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
    CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(subscription_id);
    CREATE TABLE webhook_attempts (
        delivery_id TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        attempted_at TEXT NOT NULL,
        status_code INTEGER,
        error TEXT,
        duration_ms INTEGER NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
    );",
    // 4: MCP servers and their per-user instances.
    "CREATE TABLE mcp_servers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        toolkits TEXT NOT NULL,
        auth_config_ids TEXT NOT NULL,
        allowed_tools TEXT NOT NULL,
        managed_auth INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE mcp_server_instances (
        id TEXT PRIMARY KEY,
        server_id TEXT NOT NULL REFERENCES mcp_servers(id) ON DELETE CASCADE,
        instance_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX mcp_server_instances_key ON mcp_server_instances(server_id, instance_id);",
    // 5: v3.1 saved session configs and inbound webhook endpoints. `IF NOT EXISTS` because
    // databases written by composio-local builds between 4 and 5 created these tables lazily.
    "CREATE TABLE IF NOT EXISTS session_configs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT,
        archived INTEGER NOT NULL DEFAULT 0,
        config TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS webhook_endpoints (
        id TEXT PRIMARY KEY,
        toolkit_slug TEXT NOT NULL,
        client_id TEXT NOT NULL,
        data TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (toolkit_slug, client_id)
    );",
    // 6: v3.1 session PATCH: the config version and the history of configs.
    "ALTER TABLE sessions ADD COLUMN config_version INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE session_config_history (
        session_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        config TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (session_id, version)
    );",
];

/// A stored tool-router session.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// `trs_…` id.
    pub id: String,
    /// The session's user.
    pub user_id: String,
    /// The normalised configuration (see [`crate::sessions::SessionConfig`]).
    pub config: Value,
    /// ISO-8601 creation time.
    pub created_at: String,
}

/// One tool execution, for the log.
#[derive(Debug, Clone)]
pub struct ExecutionLog<'a> {
    /// `log_…` id returned to the caller.
    pub log_id: &'a str,
    /// Tool slug.
    pub tool_slug: &'a str,
    /// Session, if run through one.
    pub session_id: Option<&'a str>,
    /// User, if known.
    pub user_id: Option<&'a str>,
    /// Whether it succeeded.
    pub successful: bool,
    /// The error, if any.
    pub error: Option<&'a str>,
}

/// Handle to the database, cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl Db {
    /// Open (creating and migrating) the database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Db, LocalError> {
        let path = data_dir.join(DB_FILE);
        let db_err = |source| LocalError::Database { path: path.clone(), source };
        let mut conn = Connection::open(&path).map_err(db_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(db_err)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(db_err)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(db_err)?;
        let vault = crate::vault::Vault::load_or_create(data_dir)?;
        vault.install(&conn).map_err(db_err)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(db_err)?;
        if version > MIGRATIONS.len() as i64 {
            return Err(LocalError::DataDir {
                path: data_dir.to_path_buf(),
                message: format!(
                    "database schema version {version} is newer than this composio-local understands ({}); upgrade composio-local",
                    MIGRATIONS.len()
                ),
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction().map_err(db_err)?;
            tx.execute_batch(sql).map_err(db_err)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64).map_err(db_err)?;
            tx.commit().map_err(db_err)?;
        }
        crate::vault::migrate(&mut conn, &vault, data_dir)?;
        crate::oauth2::store::ensure_builtin_client(&conn).map_err(db_err)?;
        Ok(Db { conn: Arc::new(Mutex::new(conn)), path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` with the connection on the blocking pool.
    pub async fn call<R, F>(&self, f: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R, ApiError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| ApiError::internal("database lock poisoned"))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| ApiError::internal(format!("database task failed: {e}")))?
    }

    /// Store a new session.
    pub async fn insert_session(&self, row: SessionRow) -> Result<(), ApiError> {
        self.call(move |c| {
            c.execute(
                "INSERT INTO sessions (id, user_id, config, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![row.id, row.user_id, row.config.to_string(), row.created_at],
            )?;
            Ok(())
        })
        .await
    }

    /// Load a session by id.
    pub async fn get_session(&self, id: &str) -> Result<Option<SessionRow>, ApiError> {
        let id = id.to_owned();
        self.call(move |c| {
            let row = c
                .query_row(
                    "SELECT id, user_id, config, created_at FROM sessions WHERE id = ?1",
                    params![id],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                        ))
                    },
                )
                .optional()?;
            row.map(|(id, user_id, config, created_at)| {
                let config = serde_json::from_str(&config).map_err(|e| {
                    ApiError::internal(format!("stored config of session {id} is not JSON: {e}"))
                })?;
                Ok(SessionRow { id, user_id, config, created_at })
            })
            .transpose()
        })
        .await
    }

    /// Record a tool execution.
    pub async fn log_execution(&self, log: ExecutionLog<'_>) -> Result<(), ApiError> {
        let values = (
            log.log_id.to_owned(),
            log.tool_slug.to_owned(),
            log.session_id.map(str::to_owned),
            log.user_id.map(str::to_owned),
            log.successful,
            log.error.map(str::to_owned),
            crate::ids::now_iso(),
        );
        self.call(move |c| {
            c.execute(
                "INSERT INTO tool_executions (log_id, tool_slug, session_id, user_id, successful, error, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![values.0, values.1, values.2, values.3, values.4, values.5, values.6],
            )?;
            Ok(())
        })
        .await
    }

    /// Number of logged executions (for tests and diagnostics).
    pub async fn execution_count(&self) -> Result<i64, ApiError> {
        self.call(|c| Ok(c.query_row("SELECT COUNT(*) FROM tool_executions", [], |r| r.get(0))?)).await
    }
}
