//! Webhook subscriptions (§7.4) and signed deliveries (§8): trigger events from real tool runs,
//! verified with the SDK's `verify_webhook`; retries with backoff; restart mid-retry; secret
//! rotation; the connected_account.expired event.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::time::Duration;

use common::receiver::Receiver;
use common::{error_message, start, start_with, Local, TempDir};
use composio_core::models::WebhookVersion;
use composio_local::{LocalOptions, RetryPolicy};
use serde_json::{json, Value};

const TRIGGER: &str = "composio.trigger.message";
const EXPIRED: &str = "composio.connected_account.expired";

fn fast_retry(initial_ms: u64) -> RetryPolicy {
    RetryPolicy {
        initial_delay: Duration::from_millis(initial_ms),
        max_delay: Duration::from_secs(5),
        max_attempts: 8,
        timeout: Duration::from_secs(5),
    }
}

async fn create_note(local: &Local, account: &str, title: &str, tags: Value) -> Value {
    let (s, b) = local
        .exec(
            "NOTES_CREATE_NOTE",
            json!({"connected_account_id": account, "arguments": {"title": title, "content": "body", "tags": tags}}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["successful"], true, "{b}");
    b["data"]["note"].clone()
}

async fn deliveries(local: &Local, sub: &str) -> Vec<Value> {
    let (s, b) = local.get(&format!("/webhook_subscriptions/{sub}/deliveries")).await;
    assert_eq!(s, 200, "{b}");
    b["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn subscription_crud_masks_the_secret_and_validates() {
    let local = start().await;
    let (s, created) = local
        .post(
            "/webhook_subscriptions",
            json!({"webhook_url": "https://example.com/hook", "enabled_events": [TRIGGER, TRIGGER]}),
        )
        .await;
    assert_eq!(s, 200, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.len() >= 32);
    assert_eq!(created["version"], "V3");
    assert_eq!(created["enabled_events"], json!([TRIGGER]));
    assert!(created["created_at"].is_string() && created["updated_at"].is_string());

    let (_, got) = local.get(&format!("/webhook_subscriptions/{id}")).await;
    let shown = got["secret"].as_str().unwrap();
    assert!(shown.starts_with("********") && !shown.contains(&secret[..8]), "{shown}");
    let (_, list) = local.get("/webhook_subscriptions").await;
    assert_eq!(list["total_items"], 1);
    assert!(!list.to_string().contains(&secret));

    let (s, b) = local
        .patch(
            &format!("/webhook_subscriptions/{id}"),
            Some(json!({"enabled_events": [TRIGGER, EXPIRED], "version": "v3"})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["enabled_events"], json!([TRIGGER, EXPIRED]));
    assert!(!b.to_string().contains(&secret));
    let (s, b) = local.patch(&format!("/webhook_subscriptions/{id}"), Some(json!({"version": "V2"}))).await;
    assert_eq!(s, 400);
    assert!(error_message(&b, 400).contains(EXPIRED));

    for (body, needle) in [
        (json!({"enabled_events": [TRIGGER]}), "webhook_url"),
        (json!({"webhook_url": "ftp://x/y", "enabled_events": [TRIGGER]}), "webhook_url"),
        (json!({"webhook_url": "not a url", "enabled_events": [TRIGGER]}), "webhook_url"),
        (json!({"webhook_url": "http://x/y"}), "enabled_events"),
        (json!({"webhook_url": "http://x/y", "enabled_events": []}), "enabled_events"),
        (json!({"webhook_url": "http://x/y", "enabled_events": ["composio.nope"]}), "composio.nope"),
        (json!({"webhook_url": "http://x/y", "enabled_events": [TRIGGER], "version": "V9"}), "V9"),
        (json!({"webhook_url": "http://x/y", "enabled_events": [TRIGGER], "secret": "mine"}), "secret"),
    ] {
        let (s, b) = local.post("/webhook_subscriptions", body.clone()).await;
        assert_eq!(s, 400, "{body}");
        assert!(error_message(&b, 400).contains(needle), "{needle}: {b}");
    }

    let (s, b) = local.post(&format!("/webhook_subscriptions/{id}/rotate_secret"), json!({})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["id"], id.as_str());
    assert_ne!(b["secret"], secret.as_str());

    let (_, types) = local.get("/webhook_subscriptions/event_types").await;
    let names: Vec<&str> =
        types["items"].as_array().unwrap().iter().map(|t| t["event_type"].as_str().unwrap()).collect();
    assert_eq!(names, [TRIGGER, EXPIRED]);
    assert_eq!(types["items"][1]["supported_versions"], json!(["V3"]));

    let (s, b) = local.delete(&format!("/webhook_subscriptions/{id}")).await;
    assert_eq!((s.as_u16(), b), (200, json!({"success": true})));
    let (s, b) = local.get(&format!("/webhook_subscriptions/{id}")).await;
    assert_eq!(s, 404);
    assert!(error_message(&b, 404).contains(&id));
    let (s, _) = local.post("/webhook_subscriptions/ws_nope/rotate_secret", json!({})).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn created_note_is_delivered_signed_and_filters_are_honoured() {
    let local = start().await;
    let receiver = Receiver::start(&[]).await;
    let (sub, secret) = local.subscribe(&receiver.url, &[TRIGGER]).await;
    // A subscription for another event type gets nothing.
    let other = Receiver::start(&[]).await;
    let (other_sub, _) = local.subscribe(&other.url, &[EXPIRED]).await;

    let alice = local.notes_account("alice").await;
    let home = local.trigger("NOTES_NOTE_CREATED", &alice, json!({"tag": "home"})).await;
    let disabled = local.trigger("NOTES_NOTE_CREATED", &alice, json!({"tag": "work"})).await;
    let (s, _) = local
        .patch(&format!("/trigger_instances/manage/{disabled}"), Some(json!({"status": "disable"})))
        .await;
    assert_eq!(s, 200);
    // Bob's notes never reach alice's triggers.
    let bob = local.notes_account("bob").await;

    create_note(&local, &alice, "office", json!(["work"])).await; // only the disabled instance matches
    create_note(&local, &alice, "no tags", json!([])).await;
    create_note(&local, &bob, "bob's", json!(["home"])).await;
    let note = create_note(&local, &alice, "groceries", json!(["Home", "shopping"])).await;

    let got = receiver.wait_for(1, 20).await;
    assert_eq!(deliveries(&local, &sub).await.len(), 1, "only the matching note was queued");
    assert!(deliveries(&local, &other_sub).await.is_empty());
    let r = &got[0];
    assert_eq!(r.header("content-type"), "application/json");
    assert!(r.header("webhook-id").starts_with("msg_"));
    assert!(r.header("webhook-signature").starts_with("v1,"));
    let verified = r.verify(&secret).unwrap();
    assert_eq!(verified.version, WebhookVersion::V3);
    assert_eq!(verified.payload.trigger_slug, "NOTES_NOTE_CREATED");
    assert_eq!(verified.payload.id, home);
    assert_eq!(verified.payload.user_id, "alice");
    assert_eq!(verified.payload.metadata.connected_account.id, alice);
    assert_eq!(verified.payload.payload, note);
    let body = r.json();
    assert_eq!(body["id"], r.header("webhook-id"));
    assert_eq!(body["type"], TRIGGER);
    let meta = body["metadata"].as_object().unwrap();
    let mut keys: Vec<&str> = meta.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["auth_config_id", "connected_account_id", "log_id", "trigger_id", "trigger_slug", "user_id"]
    );
    assert!(meta["auth_config_id"].as_str().unwrap().starts_with("ac_"));
    // A wrong secret does not verify.
    assert!(r.verify("not-the-secret").is_err());

    let d = deliveries(&local, &sub).await;
    assert_eq!(d[0]["status"], "delivered", "{d:?}");
    assert_eq!(d[0]["attempts"], 1);
    assert_eq!(d[0]["attempt_history"][0]["status_code"], 200);
    assert!(other.received().is_empty());

    // Re-enabled, the work-tag instance fires too.
    let (s, _) = local
        .patch(&format!("/trigger_instances/manage/{disabled}"), Some(json!({"status": "enable"})))
        .await;
    assert_eq!(s, 200);
    create_note(&local, &alice, "standup", json!(["work"])).await;
    let got = receiver.wait_for(2, 20).await;
    assert_eq!(got[1].verify(&secret).unwrap().payload.id, disabled);
}

#[tokio::test]
async fn failing_endpoint_is_retried_with_backoff_and_legacy_versions_verify() {
    let local = start_with(LocalOptions::default().with_webhook_retry(fast_retry(300))).await;
    let receiver = Receiver::start(&[500, 503]).await;
    let (sub, secret) = local.subscribe(&receiver.url, &[TRIGGER]).await;
    let v2 = Receiver::start(&[]).await;
    let (s, b) = local
        .post(
            "/webhook_subscriptions",
            json!({"webhook_url": v2.url, "enabled_events": [TRIGGER], "version": "V2"}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let v2_secret = b["secret"].as_str().unwrap().to_owned();
    let tasks = local.tasks_account("carol", "carol-login").await;
    local.trigger("TASKS_TASK_CREATED", &tasks, json!({"priority": "high"})).await;
    let (s, b) = local
        .exec(
            "TASKS_CREATE_TASK",
            json!({"connected_account_id": tasks, "arguments": {"title": "file taxes", "priority": "high"}}),
        )
        .await;
    assert_eq!((s.as_u16(), &b["successful"]), (200, &json!(true)), "{b}");

    let got = receiver.wait_for(3, 30).await;
    assert_eq!(got.len(), 3);
    let id = got[0].header("webhook-id").to_owned();
    assert!(got.iter().all(|r| r.header("webhook-id") == id), "retries keep the message id");
    assert!(got.iter().all(|r| r.body == got[0].body), "retries resend the same body");
    for r in &got {
        let v = r.verify(&secret).unwrap();
        assert_eq!(v.payload.trigger_slug, "TASKS_TASK_CREATED");
        assert_eq!(v.payload.payload["title"], "file taxes");
    }
    // Backoff: ≥ 300 ms, then ≥ 600 ms (lower bounds only).
    assert!(got[1].at - got[0].at >= Duration::from_millis(250), "{:?}", got[1].at - got[0].at);
    assert!(got[2].at - got[1].at >= Duration::from_millis(500), "{:?}", got[2].at - got[1].at);

    // The attempts are recorded.
    let mut d = deliveries(&local, &sub).await;
    for _ in 0..50 {
        if d[0]["status"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        d = deliveries(&local, &sub).await;
    }
    assert_eq!(d[0]["status"], "delivered", "{d:?}");
    assert_eq!(d[0]["attempts"], 3);
    let codes: Vec<Value> =
        d[0]["attempt_history"].as_array().unwrap().iter().map(|a| a["status_code"].clone()).collect();
    assert_eq!(codes, [json!(500), json!(503), json!(200)]);
    assert!(d[0]["attempt_history"][0]["error"].as_str().unwrap().contains("500"));

    // The V2 subscription got the legacy shape, which the SDK recognises.
    let got = v2.wait_for(1, 20).await;
    let v = got[0].verify(&v2_secret).unwrap();
    assert_eq!(v.version, WebhookVersion::V2);
    assert_eq!(v.payload.metadata.connected_account.id, tasks);
    assert_eq!(v.payload.payload["title"], "file taxes");
}

#[tokio::test]
async fn pending_delivery_survives_a_restart() {
    let dir = TempDir::new("webhook-restart");
    // The first attempt fails; the retry is due 2 s later — after the restart.
    let options = LocalOptions::default().with_data_dir(&dir.0).with_webhook_retry(fast_retry(2000));
    let local = start_with(options.clone()).await;
    let receiver = Receiver::start(&[500]).await;
    let (sub, secret) = local.subscribe(&receiver.url, &[TRIGGER]).await;
    let alice = local.notes_account("alice").await;
    local.trigger("NOTES_NOTE_CREATED", &alice, json!({})).await;
    create_note(&local, &alice, "before restart", json!([])).await;
    let first = receiver.wait_for(1, 20).await;
    // Wait until the failed attempt is recorded, then stop while the retry is pending.
    let mut d = deliveries(&local, &sub).await;
    for _ in 0..50 {
        if d[0]["attempts"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        d = deliveries(&local, &sub).await;
    }
    assert_eq!((&d[0]["status"], &d[0]["attempts"]), (&json!("pending"), &json!(1)), "{d:?}");
    assert!(d[0]["next_attempt_at"].is_string());
    local.server.shutdown().await;
    assert_eq!(receiver.received().len(), 1, "nothing is sent while composio-local is down");

    let local = start_with(options).await;
    let got = receiver.wait_for(2, 30).await;
    assert_eq!(got[1].header("webhook-id"), first[0].header("webhook-id"));
    let v = got[1].verify(&secret).unwrap();
    assert_eq!(v.payload.payload["title"], "before restart");
    let mut d = deliveries(&local, &sub).await;
    for _ in 0..50 {
        if d[0]["status"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        d = deliveries(&local, &sub).await;
    }
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["status"], "delivered", "{d:?}");
    assert_eq!(d[0]["attempts"], 2);
    local.server.shutdown().await;
}

#[tokio::test]
async fn rotated_secret_signs_later_deliveries() {
    let local = start().await;
    let receiver = Receiver::start(&[]).await;
    let (sub, old) = local.subscribe(&receiver.url, &[TRIGGER]).await;
    let alice = local.notes_account("alice").await;
    local.trigger("NOTES_NOTE_CREATED", &alice, json!({})).await;
    create_note(&local, &alice, "one", json!([])).await;
    let got = receiver.wait_for(1, 20).await;
    assert!(got[0].verify(&old).is_ok());

    let (s, b) = local.post(&format!("/webhook_subscriptions/{sub}/rotate_secret"), json!({})).await;
    assert_eq!(s, 200);
    let new = b["secret"].as_str().unwrap().to_owned();
    create_note(&local, &alice, "two", json!([])).await;
    let got = receiver.wait_for(2, 20).await;
    assert_eq!(got[1].verify(&new).unwrap().payload.payload["title"], "two");
    let err = got[1].verify(&old).unwrap_err();
    assert_eq!(err.code(), "WEBHOOK_SIGNATURE_VERIFICATION_FAILED");
}

#[tokio::test]
async fn failed_refresh_sends_connected_account_expired() {
    let local = start().await;
    let receiver = Receiver::start(&[]).await;
    let (_, secret) = local.subscribe(&receiver.url, &[EXPIRED]).await;
    // A custom OAuth2 auth config whose client secret can be broken.
    let base = local.server.url().to_owned();
    let resp = local
        .http
        .post(format!("{base}/oauth2/register"))
        .header("x-api-key", local.server.api_key())
        .json(&json!({"client_name": "T", "redirect_uris": [format!("{base}/oauth2/callback")]}))
        .send()
        .await
        .unwrap();
    let client: Value = resp.json().await.unwrap();
    let ac = local
        .auth_config(
            json!({"toolkit":{"slug":"tasks"},"auth_config":{"type":"use_custom_auth","authScheme":"OAUTH2",
            "credentials":{"client_id": client["client_id"], "client_secret": client["client_secret"],
            "scopes": "tasks.read tasks.write"}}}),
        )
        .await;
    let (s, b) =
        local.post("/connected_accounts/link", json!({"auth_config_id": ac, "user_id": "dave"})).await;
    assert_eq!(s, 200, "{b}");
    let id = b["connected_account_id"].as_str().unwrap().to_owned();
    let (s, _, page) = common::oauth_connect(b["redirect_url"].as_str().unwrap(), "dave", true).await;
    assert!(s == 200 || s == 302, "{page}");
    let (s, _) = local
        .patch(
            &format!("/auth_configs/{ac}"),
            Some(json!({"type":"custom","credentials":{"client_secret":"wrong-secret-value"}})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = local.post(&format!("/connected_accounts/{id}/refresh"), json!({})).await;
    assert_eq!(s, 200, "{b}");

    let got = receiver.wait_for(1, 20).await;
    let r = &got[0];
    assert!(r.verify(&secret).is_ok());
    let body = r.json();
    assert_eq!(body["type"], EXPIRED);
    assert!(body["id"].as_str().unwrap().starts_with("evt_"));
    assert!(body["metadata"]["project_id"].as_str().unwrap().starts_with("pr_"));
    assert!(body["metadata"]["org_id"].is_string());
    assert_eq!(body["data"]["id"], id.as_str());
    assert_eq!(body["data"]["status"], "EXPIRED");
    assert_eq!(body["data"]["user_id"], "dave");
    assert!(body["data"]["status_reason"].as_str().unwrap().contains("refresh"));
    assert_eq!(body["data"]["auth_config"]["id"], ac.as_str());
    assert!(!r.body.contains("wrong-secret-value"));
    assert!(composio_core::webhooks::is_connection_expired_event(&body));
}
