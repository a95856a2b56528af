//! The delivery queue: one row per (event, subscription) in SQLite, and the worker that POSTs
//! due deliveries, records every attempt, and reschedules failures with exponential backoff.
//! Because the queue is in the database, deliveries pending when composio-local stops are sent
//! after the next start (at least once: an attempt cut off by the shutdown is repeated).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection};
use serde_json::{json, Value};
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::payloads::EventPayloads;
use super::signing;
use super::subscriptions;
use super::RetryPolicy;
use crate::db::Db;
use crate::errors::ApiError;
use crate::events::Hub;

/// Most attempts in flight at once.
const MAX_IN_FLIGHT: usize = 16;
/// How long a shutdown waits for attempts in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);
/// Longest the worker sleeps without looking at the queue.
const IDLE_POLL: Duration = Duration::from_secs(30);

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Store the event and one pending delivery for each subscription that enabled its type (and
/// whose version has the event). Returns the number of deliveries queued.
pub fn enqueue(c: &mut Connection, event: &EventPayloads) -> Result<usize, ApiError> {
    let tx = c.transaction()?;
    let now = crate::ids::now_iso();
    tx.execute(
        "INSERT INTO events (id, type, payload, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![event.id, event.event_type, event.v3.to_string(), now],
    )?;
    let mut queued = 0;
    for sub in subscriptions::list(&tx)? {
        if !sub.wants(event.event_type) {
            continue;
        }
        let Some(body) = event.for_version(&sub.version) else { continue };
        tx.execute(
            "INSERT INTO webhook_deliveries (id, event_id, subscription_id, message_id, body, status, attempts,
             next_attempt_at, last_error, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, NULL, ?7, ?7)",
            params![crate::ids::new_id("dlv"), event.id, sub.id, event.id, body.to_string(), now_ms(), now],
        )?;
        queued += 1;
    }
    tx.commit()?;
    Ok(queued)
}

/// A delivery that is due, with what its attempt needs.
struct Due {
    id: String,
    url: String,
    secret: String,
    message_id: String,
    body: String,
}

/// Due deliveries (oldest first), and when the next not-yet-due one falls due.
fn load_due(c: &Connection, now: i64) -> Result<(Vec<Due>, Option<i64>), ApiError> {
    let mut stmt = c.prepare(
        "SELECT d.id, s.webhook_url, secret_dec(s.secret), d.message_id, d.body FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 ORDER BY d.next_attempt_at, d.rowid LIMIT 64",
    )?;
    let due = stmt
        .query_map(params![now], |r| {
            Ok(Due {
                id: r.get(0)?,
                url: r.get(1)?,
                secret: r.get(2)?,
                message_id: r.get(3)?,
                body: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let next: Option<i64> = c.query_row(
        "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at > ?1",
        params![now],
        |r| r.get(0),
    )?;
    Ok((due, next))
}

/// What one attempt came to.
struct AttemptResult {
    status_code: Option<u16>,
    error: Option<String>,
    duration_ms: i64,
}

fn record(c: &mut Connection, id: &str, result: &AttemptResult, retry: &RetryPolicy) -> Result<(), ApiError> {
    let tx = c.transaction()?;
    let attempts: u32 =
        tx.query_row("SELECT attempts FROM webhook_deliveries WHERE id = ?1", params![id], |r| {
            r.get::<_, u32>(0)
        })?;
    let attempt = attempts + 1;
    let now = crate::ids::now_iso();
    tx.execute(
        "INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, attempt, now, result.status_code, result.error, result.duration_ms],
    )?;
    let (status, next) = if result.error.is_none() {
        ("delivered", now_ms())
    } else if attempt >= retry.max_attempts {
        ("failed", now_ms())
    } else {
        ("pending", now_ms() + retry.delay_after(attempt).as_millis() as i64)
    };
    tx.execute(
        "UPDATE webhook_deliveries SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5, updated_at = ?6
         WHERE id = ?1",
        params![id, status, attempt, next, result.error, now],
    )?;
    tx.commit()?;
    Ok(())
}

async fn attempt(http: &reqwest::Client, due: &Due, timeout: Duration) -> AttemptResult {
    let timestamp = crate::ids::now_unix().to_string();
    let signature = signing::sign(&due.message_id, &timestamp, &due.body, &due.secret);
    let started = Instant::now();
    let sent = http
        .post(&due.url)
        .timeout(timeout)
        .header("content-type", "application/json")
        .header("webhook-id", &due.message_id)
        .header("webhook-timestamp", &timestamp)
        .header("webhook-signature", signature)
        .body(due.body.clone())
        .send()
        .await;
    let (status_code, error) = match sent {
        Ok(resp) => {
            let status = resp.status();
            // Read (and discard) the body so the connection can be reused.
            let _ = tokio::time::timeout(timeout, resp.bytes()).await;
            if status.is_success() {
                (Some(status.as_u16()), None)
            } else {
                (Some(status.as_u16()), Some(format!("the endpoint answered HTTP {}", status.as_u16())))
            }
        }
        Err(e) if e.is_timeout() => (None, Some(format!("no answer within {} ms", timeout.as_millis()))),
        Err(e) if e.is_connect() => (None, Some("could not connect to the endpoint".to_owned())),
        Err(e) => (None, Some(format!("the request failed: {}", e.without_url()))),
    };
    AttemptResult { status_code, error, duration_ms: started.elapsed().as_millis() as i64 }
}

/// The background sender. Runs until `stop` turns true; attempts in flight then are abandoned
/// (and repeated after the next start).
pub async fn run(
    db: Db,
    http: reqwest::Client,
    retry: RetryPolicy,
    hub: Arc<Hub>,
    mut stop: watch::Receiver<bool>,
) {
    let mut tasks: JoinSet<(String, Result<(), ApiError>)> = JoinSet::new();
    let mut in_flight: HashSet<String> = HashSet::new();
    let mut by_task: HashMap<tokio::task::Id, String> = HashMap::new();
    loop {
        let now = now_ms();
        let (due, next) = match db.call(move |c| load_due(c, now)).await {
            Ok(found) => found,
            Err(e) => {
                tracing::error!(error = %e, "reading the webhook delivery queue failed");
                (Vec::new(), Some(now + 1000))
            }
        };
        let mut more_due = false;
        for d in due {
            if in_flight.contains(&d.id) {
                continue;
            }
            if in_flight.len() >= MAX_IN_FLIGHT {
                more_due = true;
                break;
            }
            in_flight.insert(d.id.clone());
            let key = d.id.clone();
            let (db, http) = (db.clone(), http.clone());
            let handle = tasks.spawn(async move {
                let result = attempt(&http, &d, retry.timeout).await;
                if let Some(e) = &result.error {
                    tracing::info!(delivery = %d.id, error = %e, "webhook delivery attempt failed");
                }
                let id = d.id.clone();
                let recorded = db.call(move |c| record(c, &id, &result, &retry)).await;
                (d.id, recorded)
            });
            by_task.insert(handle.id(), key);
        }
        let wait = if more_due {
            IDLE_POLL
        } else {
            next.map_or(IDLE_POLL, |t| Duration::from_millis((t - now).max(0) as u64).min(IDLE_POLL))
        };
        tokio::select! {
            _ = crate::realtime::pusher::stopped(&mut stop) => break,
            _ = hub.wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                match done {
                    Ok((task, (id, recorded))) => {
                        by_task.remove(&task);
                        in_flight.remove(&id);
                        if let Err(e) = recorded {
                            tracing::error!(delivery = %id, error = %e, "recording a webhook delivery attempt failed");
                        }
                    }
                    Err(e) => {
                        if let Some(id) = by_task.remove(&e.id()) {
                            in_flight.remove(&id);
                        }
                        tracing::error!(error = %e, "a webhook delivery task failed");
                    }
                }
            }
        }
    }
    // Let attempts in flight finish and be recorded (briefly); the rest are repeated after the
    // next start.
    let drain = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(SHUTDOWN_GRACE, drain).await.is_err() {
        tasks.abort_all();
    }
}

/// The deliveries of a subscription, newest first, with their attempts (for
/// `GET /webhook_subscriptions/{id}/deliveries`, a composio-local extension).
pub fn list_for(c: &Connection, subscription_id: &str) -> Result<Vec<Value>, ApiError> {
    let mut stmt = c.prepare(
        "SELECT d.id, d.event_id, e.type, d.message_id, d.status, d.attempts, d.next_attempt_at, d.last_error,
         d.created_at, d.updated_at FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
         WHERE d.subscription_id = ?1 ORDER BY d.rowid DESC",
    )?;
    let rows = stmt
        .query_map(params![subscription_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, String>(9)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut attempts_stmt = c.prepare(
        "SELECT attempt, attempted_at, status_code, error, duration_ms FROM webhook_attempts
         WHERE delivery_id = ?1 ORDER BY attempt",
    )?;
    let mut out = Vec::new();
    for (id, event_id, event_type, message_id, status, attempts, next_at, last_error, created, updated) in
        rows
    {
        let history = attempts_stmt
            .query_map(params![id], |r| {
                Ok(json!({
                    "attempt": r.get::<_, i64>(0)?,
                    "attempted_at": r.get::<_, String>(1)?,
                    "status_code": r.get::<_, Option<i64>>(2)?,
                    "error": r.get::<_, Option<String>>(3)?,
                    "duration_ms": r.get::<_, i64>(4)?,
                }))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let next_attempt_at = (status == "pending").then(|| {
            crate::ids::iso_from_unix((next_at / 1000).max(0) as u64, (next_at % 1000).max(0) as u32)
        });
        out.push(json!({
            "id": id,
            "event_id": event_id,
            "event_type": event_type,
            "message_id": message_id,
            "status": status,
            "attempts": attempts,
            "next_attempt_at": next_attempt_at,
            "last_error": last_error,
            "created_at": created,
            "updated_at": updated,
            "attempt_history": history,
        }));
    }
    Ok(out)
}
