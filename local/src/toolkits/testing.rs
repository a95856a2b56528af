//! A toolkit that exists only in this crate's unit tests: `TESTING_RENDEZVOUS` blocks until
//! `parties` calls with the same `key` are inside it at once, which proves that
//! COMPOSIO_MULTI_EXECUTE_TOOL runs its calls concurrently without measuring time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

use serde_json::{json, Map, Value};

use super::{output_schema, Runner, ToolDef, ToolResult, Toolkit};

/// Calls inside the tool right now, and the most there ever were.
pub static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
/// The largest value [`IN_FLIGHT`] reached.
pub static MAX_IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

fn arrivals() -> &'static (Mutex<HashMap<String, usize>>, Condvar) {
    static A: OnceLock<(Mutex<HashMap<String, usize>>, Condvar)> = OnceLock::new();
    A.get_or_init(|| (Mutex::new(HashMap::new()), Condvar::new()))
}

/// The toolkit definition (unlisted).
pub fn toolkit() -> Toolkit {
    Toolkit {
        slug: "testing",
        name: "Testing",
        description: "Unit-test helpers.",
        logo: "",
        categories: vec![],
        version: "20250101_00",
        available_versions: vec!["20250101_00"],
        no_auth: true,
        auth_schemes: vec![],
        listed: false,
        created_at: "2025-01-01T00:00:00.000Z",
        updated_at: "2025-01-01T00:00:00.000Z",
        tools: vec![ToolDef {
            slug: "TESTING_RENDEZVOUS",
            name: "Rendezvous",
            description: "Waits until `parties` calls with the same key are running at once.",
            input_parameters: json!({
                "type": "object",
                "properties": {
                    "key": {"type": "string", "description": "Rendezvous key."},
                    "parties": {"type": "integer", "description": "How many calls must meet."},
                },
                "required": ["key", "parties"],
            }),
            output_parameters: output_schema(json!({"type": "object"})),
            tags: vec![],
            scopes: vec![],
            important: false,
            run: Runner::Pure(rendezvous),
        }],
    }
}

fn rendezvous(args: &Map<String, Value>) -> ToolResult {
    let key = args.get("key").and_then(Value::as_str).unwrap_or_default().to_owned();
    let parties = args.get("parties").and_then(Value::as_u64).unwrap_or(2) as usize;
    let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
    MAX_IN_FLIGHT.fetch_max(now, Ordering::SeqCst);
    let (lock, cvar) = arrivals();
    let result = (|| {
        let mut map = lock.lock().map_err(|_| "poisoned".to_owned())?;
        *map.entry(key.clone()).or_insert(0) += 1;
        cvar.notify_all();
        // A generous bound so a sequential implementation fails instead of hanging forever.
        let (map, timeout) = cvar
            .wait_timeout_while(map, Duration::from_secs(60), |m| m.get(&key).copied().unwrap_or(0) < parties)
            .map_err(|_| "poisoned".to_owned())?;
        if timeout.timed_out() {
            return Err(format!(
                "only {} of {parties} calls arrived: they did not run concurrently",
                map[&key]
            ));
        }
        Ok(json!({"met": parties}))
    })();
    IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    result
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn multi_execute_runs_its_calls_concurrently() {
        let server = crate::spawn(crate::LocalOptions::default()).await.unwrap();
        let http = reqwest::Client::new();
        let post = |path: &str, body: Value| {
            http.post(format!("{}/api/v3{path}", server.url()))
                .header("x-api-key", server.api_key())
                .json(&body)
                .send()
        };
        let session: Value =
            post("/tool_router/session", json!({"user_id": "u"})).await.unwrap().json().await.unwrap();
        let id = session["session_id"].as_str().unwrap().to_owned();
        let parties = 3;
        let calls: Vec<Value> = (0..parties)
            .map(|_| json!({"tool_slug": "TESTING_RENDEZVOUS", "arguments": {"key": "multi", "parties": parties}}))
            .collect();
        let resp = post(
            &format!("/tool_router/session/{id}/execute_meta"),
            json!({"slug": "COMPOSIO_MULTI_EXECUTE_TOOL", "arguments": {"tools": calls}}),
        )
        .await
        .unwrap();
        assert_eq!(resp.status(), 200);
        let b: Value = resp.json().await.unwrap();
        assert_eq!(b["error"], Value::Null, "{b}");
        assert_eq!(b["data"]["success_count"], parties, "{b}");
        let results = b["data"]["results"].as_array().unwrap();
        let indexes: Vec<u64> = results.iter().map(|r| r["index"].as_u64().unwrap()).collect();
        assert_eq!(indexes, [0, 1, 2], "results stay in request order");
        assert!(MAX_IN_FLIGHT.load(Ordering::SeqCst) >= parties as usize);
        server.shutdown().await;
    }
}
