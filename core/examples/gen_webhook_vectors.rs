//! Writes the shared webhook test vectors to `tests/fixtures/webhooks.json`
//! (or to the path given as the first argument).
//!
//! Deterministic: fixed ids, timestamps and secrets. Signatures are computed
//! with `composio_core::webhooks::sign_webhook`; every expectation
//! (`ok`, error code and message fragment, version, normalised event) is
//! written out by hand below, not computed by the code under test.
//!
//! ```text
//! cargo run -p composio-core --example gen_webhook_vectors
//! ```

use std::path::PathBuf;

use composio_core::webhooks::sign_webhook;
use serde_json::{json, Map, Value};

const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const TS: &str = "1767225590"; // ten seconds before NOW
const ID: &str = "msg_2Xk9PqT7vLmN4rYw";
const SECRET: &str = "composio-test-secret-7f3a9c1e";
const OTHER_SECRET: &str = "composio-test-secret-other";

const SIG: &str = "WEBHOOK_SIGNATURE_VERIFICATION_FAILED";
const PAYLOAD: &str = "WEBHOOK_PAYLOAD_INVALID";

const V3_TRIGGER: &str = r#"{"id":"msg_2Xk9PqT7vLmN4rYw","type":"composio.trigger.message","timestamp":"2026-01-01T00:00:00Z","metadata":{"log_id":"log_3hJ9aB","trigger_slug":"GITHUB_COMMIT_EVENT","trigger_id":"ti_xyz789","connected_account_id":"ca_7YtQw2","auth_config_id":"ac_1Lm8","user_id":"user-42"},"data":{"author":"octocat","message":"Fix the flux capacitor","sha":"c0ffee1234","url":"https://github.com/octo/repo/commit/c0ffee1234","files":["src/main.rs","README.md"],"stats":{"additions":12,"deletions":3}}}"#;

const V3_EXPIRED: &str = r#"{"id":"evt_9KdP2mQx","type":"composio.connected_account.expired","timestamp":"2026-01-01T00:00:00Z","metadata":{"project_id":"pr_abc123","org_id":"ok_def456"},"data":{"id":"ca_7YtQw2","user_id":"user-42","status":"EXPIRED","status_reason":"Refresh token was revoked","is_disabled":false,"toolkit":{"slug":"github"},"auth_config":{"id":"ac_1Lm8","auth_scheme":"OAUTH2","is_composio_managed":true,"is_disabled":false},"state":{"authScheme":"OAUTH2","val":{"status":"EXPIRED","expired_at":"2026-01-01T00:00:00Z"}},"data":{},"params":{},"created_at":"2025-12-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}}"#;

const V3_NO_UNDERSCORE: &str = r#"{"id":"msg_nu1","type":"composio.trigger.message","timestamp":"2026-01-01T00:00:00Z","metadata":{"log_id":"log_nu1","trigger_slug":"WEBHOOK","trigger_id":"ti_nu1","connected_account_id":"ca_nu1","auth_config_id":"ac_nu1","user_id":"u1"},"data":{"ok":true}}"#;

const V3_COERCED: &str = r#"{"id":"msg_co1","type":"composio.trigger.message","timestamp":"2026-01-01T00:00:00Z","metadata":{"log_id":"log_co1","trigger_slug":"slack_receive_message","trigger_id":"ti_co1","connected_account_id":12345,"auth_config_id":"ac_co1","user_id":null},"data":{"text":"hi"}}"#;

const V3_MISSING_LOG_ID: &str = r#"{"id":"msg_ml1","type":"composio.trigger.message","timestamp":"2026-01-01T00:00:00Z","metadata":{"trigger_slug":"GITHUB_STAR_ADDED","trigger_id":"ti_ml1","connected_account_id":"ca_ml1","auth_config_id":"ac_ml1","user_id":"u1"},"data":{"starred":true}}"#;

const V3_UNICODE: &str = r#"{"id":"msg_uni","type":"composio.trigger.message","timestamp":"2026-01-01T00:00:00Z","metadata":{"log_id":"log_uni","trigger_slug":"SLACK_RECEIVE_MESSAGE","trigger_id":"ti_uni","connected_account_id":"ca_uni","auth_config_id":"ac_uni","user_id":"usér-ü"},"data":{"text":"héllo wörld 🌍 日本語 — “quotes” \u00e9\n","escaped":"\u2603 snowman"}}"#;

const V2: &str = r#"{"type":"github_commit_event","timestamp":"2026-01-01T00:00:00Z","log_id":"log_v2a","data":{"connection_id":"5f0c7a1e-0000-4000-8000-000000000001","connection_nano_id":"ca_7YtQw2","trigger_nano_id":"ti_xyz789","trigger_id":"9e1d2b3c-0000-4000-8000-000000000002","user_id":"user-42","author":"octocat","message":"Fix the flux capacitor"}}"#;

const V2_NO_NANO: &str = r#"{"type":"gmail_new_gmail_message","timestamp":"2026-01-01T00:00:00Z","log_id":"log_v2b","data":{"connection_id":"5f0c7a1e-0000-4000-8000-000000000003","trigger_id":"9e1d2b3c-0000-4000-8000-000000000004","subject":"Hello"}}"#;

const V1: &str = r#"{"trigger_name":"github_commit_event","trigger_id":"ti_v1abc","connection_id":"ca_v1def","payload":{"author":"octocat","message":"Initial commit"},"log_id":"log_v1"}"#;

struct Vector {
    name: &'static str,
    description: &'static str,
    id: String,
    timestamp: String,
    now: i64,
    tolerance: i64,
    secret: String,
    payload: String,
    signature: String,
    expect: Value,
}

/// A vector signed correctly with the defaults; fields are overridden after.
fn base(name: &'static str, description: &'static str, payload: &str) -> Vector {
    Vector {
        name,
        description,
        id: ID.into(),
        timestamp: TS.into(),
        now: NOW,
        tolerance: 300,
        secret: SECRET.into(),
        payload: payload.into(),
        signature: sign_webhook(ID, TS, payload, SECRET),
        expect: Value::Null,
    }
}

fn resign(mut v: Vector) -> Vector {
    v.signature = sign_webhook(&v.id, &v.timestamp, &v.payload, &v.secret);
    v
}

fn ok(version: &str, normalized: Value) -> Value {
    json!({"ok": true, "version": version, "normalized": normalized})
}

fn err(code: &str, contains: &str) -> Value {
    json!({"ok": false, "error_code": code, "error_contains": contains})
}

fn account(id: &str, uuid: &str, auth: &str, user: &str) -> Value {
    json!({"id": id, "uuid": uuid, "auth_config_id": auth, "auth_config_uuid": auth,
           "user_id": user, "status": "ACTIVE"})
}

#[allow(clippy::too_many_arguments)]
fn normalized(
    id: &str,
    uuid: &str,
    user_id: &str,
    toolkit: &str,
    trigger: &str,
    payload: Value,
    original: Value,
    meta_id: &str,
    acct: Value,
) -> Value {
    json!({
        "id": id, "uuid": uuid, "user_id": user_id, "toolkit_slug": toolkit, "trigger_slug": trigger,
        "payload": payload, "original_payload": original,
        "metadata": {"id": meta_id, "uuid": uuid, "toolkit_slug": toolkit, "trigger_slug": trigger,
                     "trigger_data": null, "trigger_config": {}, "connected_account": acct}
    })
}

fn data_of(body: &str) -> Value {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    v.get("data").cloned().unwrap_or(Value::Null)
}

fn v3_trigger_normalized() -> Value {
    normalized(
        "ti_xyz789",
        "ti_xyz789",
        "user-42",
        "GITHUB",
        "GITHUB_COMMIT_EVENT",
        data_of(V3_TRIGGER),
        Value::Null,
        "ti_xyz789",
        account("ca_7YtQw2", "ca_7YtQw2", "ac_1Lm8", "user-42"),
    )
}

fn vectors() -> Vec<Vector> {
    let mut out = Vec::new();

    // --- valid deliveries, one per version ---
    let mut v = base("v3_trigger_message", "V3 composio.trigger.message, valid signature", V3_TRIGGER);
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v = base(
        "v3_connection_expired",
        "V3 composio.connected_account.expired: non-trigger event, original_payload is the whole envelope",
        V3_EXPIRED,
    );
    let envelope: Value = serde_json::from_str(V3_EXPIRED).unwrap_or(Value::Null);
    v.expect = ok(
        "V3",
        normalized(
            "evt_9KdP2mQx",
            "evt_9KdP2mQx",
            "",
            "COMPOSIO",
            "composio.connected_account.expired",
            data_of(V3_EXPIRED),
            envelope,
            "evt_9KdP2mQx",
            account("", "", "", ""),
        ),
    );
    out.push(v);

    let mut v = base(
        "v3_trigger_slug_without_underscore",
        "V3 trigger whose slug has no '_': toolkit_slug is UNKNOWN (Python)",
        V3_NO_UNDERSCORE,
    );
    v.expect = ok(
        "V3",
        normalized(
            "ti_nu1",
            "ti_nu1",
            "u1",
            "UNKNOWN",
            "WEBHOOK",
            json!({"ok": true}),
            Value::Null,
            "ti_nu1",
            account("ca_nu1", "ca_nu1", "ac_nu1", "u1"),
        ),
    );
    out.push(v);

    let mut v = base(
        "v3_trigger_non_string_metadata",
        "V3 trigger with null user_id and numeric connected_account_id: coerced like Python str() (null -> \"\"); lower-case slug upper-cased for toolkit only",
        V3_COERCED,
    );
    v.expect = ok(
        "V3",
        normalized(
            "ti_co1",
            "ti_co1",
            "",
            "SLACK",
            "slack_receive_message",
            json!({"text": "hi"}),
            Value::Null,
            "ti_co1",
            account("12345", "12345", "ac_co1", ""),
        ),
    );
    out.push(v);

    let mut v = base(
        "v3_trigger_message_missing_log_id",
        "V3 composio.trigger.message whose metadata lacks log_id: not all six trigger keys, so normalised as a non-trigger event (py012/ts08 rule; Python 0.30 keys on type instead and would treat it as a trigger)",
        V3_MISSING_LOG_ID,
    );
    let envelope: Value = serde_json::from_str(V3_MISSING_LOG_ID).unwrap_or(Value::Null);
    v.expect = ok(
        "V3",
        normalized(
            "msg_ml1",
            "msg_ml1",
            "",
            "COMPOSIO",
            "composio.trigger.message",
            json!({"starred": true}),
            envelope,
            "msg_ml1",
            account("", "", "", ""),
        ),
    );
    out.push(v);

    let mut v = base(
        "v2_trigger",
        "V2 legacy: metadata mixed into data and stripped from payload; toolkit_slug is the whole upper-cased type (Python)",
        V2,
    );
    v.expect = ok(
        "V2",
        normalized(
            "ti_xyz789",
            "9e1d2b3c-0000-4000-8000-000000000002",
            "user-42",
            "GITHUB_COMMIT_EVENT",
            "GITHUB_COMMIT_EVENT",
            json!({"author": "octocat", "message": "Fix the flux capacitor"}),
            Value::Null,
            "ti_xyz789",
            account("ca_7YtQw2", "5f0c7a1e-0000-4000-8000-000000000001", "", "user-42"),
        ),
    );
    out.push(v);

    let mut v = base(
        "v2_without_trigger_nano_id",
        "V2 without trigger_nano_id/connection_nano_id/user_id: id falls back to trigger_id, metadata.id is empty (Python)",
        V2_NO_NANO,
    );
    v.expect = ok(
        "V2",
        normalized(
            "9e1d2b3c-0000-4000-8000-000000000004",
            "9e1d2b3c-0000-4000-8000-000000000004",
            "",
            "GMAIL_NEW_GMAIL_MESSAGE",
            "GMAIL_NEW_GMAIL_MESSAGE",
            json!({"subject": "Hello"}),
            Value::Null,
            "",
            account("", "5f0c7a1e-0000-4000-8000-000000000003", "", ""),
        ),
    );
    out.push(v);

    let mut v = base("v1_trigger", "V1 legacy: trigger_name kept as is, toolkit_slug empty (Python)", V1);
    v.expect = ok(
        "V1",
        normalized(
            "ti_v1abc",
            "ti_v1abc",
            "",
            "",
            "github_commit_event",
            json!({"author": "octocat", "message": "Initial commit"}),
            Value::Null,
            "ti_v1abc",
            account("ca_v1def", "ca_v1def", "", ""),
        ),
    );
    out.push(v);

    let mut v = base(
        "unicode_body",
        "Non-ASCII body (accents, emoji, CJK, escaped and raw): signed over its UTF-8 bytes",
        V3_UNICODE,
    );
    v.expect = ok(
        "V3",
        normalized(
            "ti_uni",
            "ti_uni",
            "usér-ü",
            "SLACK",
            "SLACK_RECEIVE_MESSAGE",
            json!({"text": "héllo wörld 🌍 日本語 — “quotes” é\n", "escaped": "☃ snowman"}),
            Value::Null,
            "ti_uni",
            account("ca_uni", "ca_uni", "ac_uni", "usér-ü"),
        ),
    );
    out.push(v);

    // --- signature header shapes ---
    let good = sign_webhook(ID, TS, V3_TRIGGER, SECRET);
    let wrong = sign_webhook(ID, TS, V3_TRIGGER, OTHER_SECRET);

    let mut v = base(
        "multiple_signatures_second_matches",
        "Two v1 entries separated by a space; the first is wrong, the second matches",
        V3_TRIGGER,
    );
    v.signature = format!("{wrong} {good}");
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v = base(
        "non_v1_entries_ignored",
        "Entries not starting with 'v1,' (v0, v2, v1a) are ignored; the v1 entry matches",
        V3_TRIGGER,
    );
    let b64 = good.trim_start_matches("v1,");
    v.signature = format!("v0,{b64} v2,AAAA v1a,{b64} {good}");
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v = base(
        "double_space_between_entries",
        "Split is on single spaces: the empty entry between two spaces is ignored",
        V3_TRIGGER,
    );
    v.signature = format!("{wrong}  {good}");
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v =
        base("no_v1_entry", "Only a v2 entry (carrying the correct value): no v1 entry at all", V3_TRIGGER);
    v.signature = format!("v2,{b64}");
    v.expect = err(SIG, "No valid v1 signature found");
    out.push(v);

    let mut v = base("v1_without_comma", "Entry 'v1' without a comma is not a v1 entry", V3_TRIGGER);
    v.signature = "v1".into();
    v.expect = err(SIG, "No valid v1 signature found");
    out.push(v);

    let mut v = base("v1_empty_value", "Entry 'v1,' with an empty value never matches", V3_TRIGGER);
    v.signature = "v1,".into();
    v.expect = err(SIG, "The signature provided is invalid.");
    out.push(v);

    let mut v = base(
        "signature_without_padding",
        "The correct signature with its base64 '=' padding removed does not match (exact string comparison)",
        V3_TRIGGER,
    );
    v.signature = good.trim_end_matches('=').to_owned();
    v.expect = err(SIG, "The signature provided is invalid.");
    out.push(v);

    let mut v = base("wrong_secret", "Signed with a different secret", V3_TRIGGER);
    v.signature = wrong.clone();
    v.expect = err(SIG, "The signature provided is invalid.");
    out.push(v);

    let mut v = base(
        "tampered_body",
        "Signature of the original body, one character of the body changed",
        V3_TRIGGER,
    );
    v.payload = V3_TRIGGER.replace("octocat", "octocaT");
    v.expect = err(SIG, "The signature provided is invalid.");
    out.push(v);

    let mut v = base("tampered_id", "Signature made for a different webhook-id", V3_TRIGGER);
    v.id = "msg_someone_else".into();
    v.expect = err(SIG, "The signature provided is invalid.");
    out.push(v);

    // --- secrets ---
    let mut v = base(
        "whsec_secret_used_verbatim",
        "A secret starting with 'whsec_' is used whole as UTF-8 bytes (no prefix stripping, no base64 decoding)",
        V3_TRIGGER,
    );
    v.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into();
    v = resign(v);
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v = base(
        "whsec_secret_stripped_signature_rejected",
        "Signature made Svix-style with the 'whsec_' prefix stripped: rejected",
        V3_TRIGGER,
    );
    v.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into();
    v.signature = sign_webhook(ID, TS, V3_TRIGGER, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    v.expect = err(SIG, "The signature provided is invalid.");
    out.push(v);

    // --- timestamps ---
    let mut v = base("stale_timestamp", "Timestamp 301 s before now with tolerance 300", V3_TRIGGER);
    v.timestamp = (NOW - 301).to_string();
    v = resign(v);
    v.expect = err(SIG, "The webhook was sent 301 seconds ago, but the maximum allowed age is 300 seconds.");
    out.push(v);

    let mut v = base(
        "timestamp_at_tolerance_boundary",
        "Timestamp exactly 300 s old with tolerance 300 is accepted (the check is '> tolerance')",
        V3_TRIGGER,
    );
    v.timestamp = (NOW - 300).to_string();
    v = resign(v);
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v = base(
        "future_timestamp",
        "Timestamp 301 s in the future is rejected too (absolute difference)",
        V3_TRIGGER,
    );
    v.timestamp = (NOW + 301).to_string();
    v = resign(v);
    v.expect = err(SIG, "outside the allowed tolerance");
    out.push(v);

    let mut v = base(
        "tolerance_zero_old_timestamp",
        "Tolerance 0 disables the timestamp check: a 2001 timestamp is accepted",
        V3_TRIGGER,
    );
    v.timestamp = "1000000000".into();
    v.tolerance = 0;
    v = resign(v);
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v = base(
        "tolerance_negative_old_timestamp",
        "A negative tolerance also disables the timestamp check",
        V3_TRIGGER,
    );
    v.timestamp = "1000000000".into();
    v.tolerance = -1;
    v = resign(v);
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v = base(
        "timestamp_decimal",
        "'12.5' is not an integer (Python int() rejects it; TS parseInt would read 12)",
        V3_TRIGGER,
    );
    v.timestamp = "12.5".into();
    v = resign(v);
    v.expect = err(PAYLOAD, "Invalid webhook timestamp: 12.5. Expected Unix timestamp in seconds.");
    out.push(v);

    let mut v = base("timestamp_not_a_number", "'abc' is not an integer", V3_TRIGGER);
    v.timestamp = "abc".into();
    v = resign(v);
    v.expect = err(PAYLOAD, "Invalid webhook timestamp: abc.");
    out.push(v);

    let mut v = base(
        "timestamp_numeric_prefix",
        "'1767225590abc' is not an integer (checked before the signature)",
        V3_TRIGGER,
    );
    v.timestamp = "1767225590abc".into();
    v = resign(v);
    v.expect = err(PAYLOAD, "Invalid webhook timestamp: 1767225590abc.");
    out.push(v);

    let mut v = base(
        "timestamp_with_underscores",
        "'1_767_225_590' is an integer for Python int(); the signature covers the raw header text",
        V3_TRIGGER,
    );
    v.timestamp = "1_767_225_590".into();
    v = resign(v);
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v = base(
        "non_integer_timestamp_tolerance_disabled",
        "With tolerance 0 the timestamp is not parsed; 'abc' is only part of the signed content",
        V3_TRIGGER,
    );
    v.timestamp = "abc".into();
    v.tolerance = 0;
    v = resign(v);
    v.expect = ok("V3", v3_trigger_normalized());
    out.push(v);

    let mut v =
        base("empty_timestamp", "Empty timestamp with tolerance 300: int('') fails first", V3_TRIGGER);
    v.timestamp = String::new();
    v.expect = err(PAYLOAD, "Invalid webhook timestamp");
    out.push(v);

    let mut v = base(
        "empty_timestamp_tolerance_disabled",
        "Empty timestamp with tolerance 0: reported by the empty-input checks",
        V3_TRIGGER,
    );
    v.timestamp = String::new();
    v.tolerance = 0;
    v.expect = err(SIG, "No webhook timestamp was provided.");
    out.push(v);

    // --- empty inputs (checked in the order payload, signature, secret, id) ---
    let mut v = base("empty_payload", "Empty body", "");
    v.expect = err(SIG, "No webhook payload was provided.");
    out.push(v);

    let mut v = base("empty_signature", "Empty webhook-signature value", V3_TRIGGER);
    v.signature = String::new();
    v.expect = err(SIG, "No signature header value was provided.");
    out.push(v);

    let mut v = base("empty_secret", "Empty secret", V3_TRIGGER);
    v.secret = String::new();
    v.expect = err(SIG, "No webhook secret was provided.");
    out.push(v);

    let mut v = base("empty_id", "Empty webhook-id value", V3_TRIGGER);
    v.id = String::new();
    v.expect = err(SIG, "No webhook ID was provided.");
    out.push(v);

    let mut v = base("empty_payload_and_secret", "Several empty inputs: the payload is reported first", "");
    v.secret = String::new();
    v.expect = err(SIG, "No webhook payload was provided.");
    out.push(v);

    let mut v = base(
        "stale_timestamp_and_bad_signature",
        "The timestamp check runs before the signature check",
        V3_TRIGGER,
    );
    v.timestamp = (NOW - 1000).to_string();
    v.signature = wrong.clone();
    v.expect = err(SIG, "The webhook was sent 1000 seconds ago");
    out.push(v);

    // --- bodies that verify but do not parse ---
    let mut v = base("non_json_body", "Correctly signed body that is not JSON", "this is not json");
    v.expect = err(PAYLOAD, "Failed to parse webhook payload as JSON");
    out.push(v);

    let mut v = base(
        "json_matching_no_version",
        "Correctly signed JSON object that matches none of V3, V2, V1",
        r#"{"hello":"world","type":"something"}"#,
    );
    v.expect = err(PAYLOAD, "does not match any known version (V1, V2, or V3)");
    out.push(v);

    let mut v = base("json_array_body", "Correctly signed JSON array: no version", "[1,2,3]");
    v.expect = err(PAYLOAD, "does not match any known version (V1, V2, or V3)");
    out.push(v);

    let mut v = base(
        "v3_like_with_non_object_metadata",
        "type starts with 'composio.' but metadata is not an object and no V2/V1 keys: no version",
        r#"{"id":"msg_x","type":"composio.trigger.message","timestamp":"2026-01-01T00:00:00Z","metadata":"oops","data":{}}"#,
    );
    v.expect = err(PAYLOAD, "does not match any known version (V1, V2, or V3)");
    out.push(v);

    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/webhooks.json"));
    let vectors: Vec<Value> = vectors()
        .into_iter()
        .map(|v| {
            let mut m = Map::new();
            m.insert("name".into(), v.name.into());
            m.insert("description".into(), v.description.into());
            m.insert("id".into(), v.id.into());
            m.insert("timestamp".into(), v.timestamp.into());
            m.insert("now".into(), v.now.into());
            m.insert("tolerance".into(), v.tolerance.into());
            m.insert("secret".into(), v.secret.into());
            m.insert("payload".into(), v.payload.into());
            m.insert("signature".into(), v.signature.into());
            m.insert("expect".into(), v.expect);
            Value::Object(m)
        })
        .collect();
    let doc = json!({
        "description": "Composio webhook verification vectors, shared by the Rust, Python, Node and Swift test suites. \
    For each vector, call verify_webhook(id, payload, signature, timestamp, secret, tolerance) with the clock fixed at `now` \
    (Unix seconds). Signature = 'v1,' + base64-standard-with-padding(HMAC-SHA256(key = UTF-8 bytes of secret, verbatim; \
    message = id + '.' + timestamp + '.' + payload)); the signature header is split on single spaces and any 'v1,' entry may match. \
    `payload` is the raw body string exactly as signed. `expect.ok` true: `expect.version` is the detected version and \
    `expect.normalized` the full normalised trigger event (raw_payload is the JSON parse of `payload`). `expect.ok` false: \
    `expect.error_code` is the stable error code (WEBHOOK_SIGNATURE_VERIFICATION_FAILED = Python WebhookSignatureVerificationError / \
    TS ComposioWebhookSignatureVerificationError; WEBHOOK_PAYLOAD_INVALID = Python WebhookPayloadError / TS ComposioWebhookPayloadError) \
    and `expect.error_contains` a fragment of the Python SDK's message. Behaviour follows the official Python SDK where the official SDKs differ. \
    Generated by core/examples/gen_webhook_vectors.rs; do not edit by hand.",
        "generator": "core/examples/gen_webhook_vectors.rs",
        "vectors": vectors,
    });
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, text)?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
