//! The borrowed plan (`plan_fields` → `EventFields`) against the owned plan
//! (`plan_event` → `EventPlan`): on every shared vector, in both flavours
//! and over every view (`serde_json::Value`, `SkimBody`, `ShallowBody`),
//! `plan_fields(..).into_plan()` is exactly `plan_event`'s plan, and the
//! ordinary V3 trigger message is planned without copying any text.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::borrow::Cow;

use composio_core::webhooks::{
    plan_event, plan_fields, sign_webhook, EventFields, EventPlan, ShallowBody, SkimBody, WebhookVerifier,
};
use composio_core::Flavor;
use serde_json::{json, Value};

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/webhooks.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

type Planned = Result<EventPlan, String>;

fn owned(fields: Result<EventFields<'_>, composio_core::Error>) -> Planned {
    fields.map(EventFields::into_plan).map_err(|e| format!("{}: {e}", e.code()))
}

fn plain(plan: Result<EventPlan, composio_core::Error>) -> Planned {
    plan.map_err(|e| format!("{}: {e}", e.code()))
}

/// Checks every view of `body` in `flavor`; returns the plan made over the
/// `Value` (`None`: the body is not JSON).
fn check(body: &str, flavor: Flavor, what: &str) -> Option<Planned> {
    let value: Value = serde_json::from_str(body).ok()?;
    let expected = plain(plan_event(&&value, flavor));
    assert_eq!(owned(plan_fields(&&value, flavor)), expected, "{what} ({flavor:?}) over Value");
    let shallow = ShallowBody::parse(body).unwrap();
    assert_eq!(plain(plan_event(&shallow.root(), flavor)), expected, "{what} ({flavor:?}) shallow, owned");
    assert_eq!(owned(plan_fields(&shallow.root(), flavor)), expected, "{what} ({flavor:?}) shallow");
    if let Some(skim) = SkimBody::parse(body) {
        assert_eq!(plain(plan_event(&skim.root(), flavor)), expected, "{what} ({flavor:?}) skim, owned");
        assert_eq!(owned(plan_fields(&skim.root(), flavor)), expected, "{what} ({flavor:?}) skim");
    }
    Some(expected)
}

#[test]
fn borrowed_and_owned_plans_agree_on_every_vector_in_both_flavours() {
    let mut checked = 0;
    let mut planned = 0;
    for v in vectors() {
        let body = v["payload"].as_str().unwrap();
        let name = v["name"].as_str().unwrap();
        for flavor in [Flavor::Python, Flavor::TypeScript] {
            if let Some(plan) = check(body, flavor, name) {
                checked += 1;
                planned += usize::from(plan.is_ok());
            }
        }
    }
    // 40 of the 43 vectors are JSON; 73 of those 80 plans are some version.
    assert_eq!((checked, planned), (80, 73));
}

#[test]
fn borrowed_and_owned_plans_agree_on_edge_bodies() {
    let meta = |slug: Value| {
        json!({"log_id": "l", "trigger_slug": slug, "trigger_id": "ti", "connected_account_id": "ca",
               "auth_config_id": "ac", "user_id": "u"})
    };
    let bodies = [
        // Slugs: lower case, no `_`, non-ASCII, escapes, not a string.
        json!({"id": "m", "type": "composio.trigger.message", "timestamp": "t", "metadata": meta(json!("gmail_new")), "data": {}}),
        json!({"id": "m", "type": "composio.trigger.message", "timestamp": "t", "metadata": meta(json!("Slack")), "data": {}}),
        json!({"id": "m", "type": "composio.trigger.message", "timestamp": "t", "metadata": meta(json!("stra\u{df}e_x")), "data": {}}),
        json!({"id": "m", "type": "composio.trigger.message", "timestamp": "t", "metadata": meta(json!("\u{e9}t\u{e9}")), "data": {}}),
        json!({"id": "m", "type": "composio.trigger.message", "timestamp": "t", "metadata": meta(json!("a\"b_c\\d")), "data": {}}),
        json!({"id": "m", "type": "composio.trigger.message", "timestamp": "t", "metadata": meta(json!(12)), "data": {}}),
        json!({"id": 7, "type": "composio.connected_account.expired", "timestamp": "t", "metadata": {}, "data": {}}),
        json!({"id": "m", "type": "composio.x", "metadata": {"a": 1}, "data": [1]}),
        // V2: lower-case type, nano id present or not, odd kinds.
        json!({"type": "gmail_new_x", "timestamp": "t", "log_id": "l", "data": {"connection_id": "c", "connection_nano_id": "cn",
               "trigger_nano_id": "tn", "trigger_id": "ti", "user_id": "u", "x": 1}}),
        json!({"type": "slack", "timestamp": 1, "data": {"connection_id": "c", "trigger_id": "ti", "user_id": null}}),
        json!({"type": true, "timestamp": 1, "data": {"connection_id": 2, "trigger_nano_id": 3.5}}),
        json!({"type": 0, "timestamp": 1, "data": {"connection_id": [1, {"a": 2}]}}),
        // V1.
        json!({"trigger_name": "github_star_added", "connection_id": "c", "trigger_id": "t", "log_id": "l", "payload": {"a": 1}}),
        json!({"trigger_name": "ÉCOLE", "connection_id": {"a": [1]}, "trigger_id": false, "payload": 1}),
        // No version.
        json!({"nothing": 1}),
        json!([1, 2]),
    ];
    for body in bodies {
        let text = body.to_string();
        for flavor in [Flavor::Python, Flavor::TypeScript] {
            assert!(check(&text, flavor, &text).is_some(), "{text}");
        }
    }
}

#[allow(clippy::ptr_arg)] // the variant is the point
fn is_borrowed(c: &Cow<'_, str>) -> bool {
    matches!(c, Cow::Borrowed(_))
}

#[test]
fn an_ordinary_v3_trigger_message_is_planned_without_copying_text() {
    let body = json!({"id": "msg_1", "type": "composio.trigger.message", "timestamp": "2026-01-01T00:00:00Z",
        "metadata": {"log_id": "log_1", "trigger_slug": "GMAIL_NEW_GMAIL_MESSAGE", "trigger_id": "ti_1",
                     "connected_account_id": "ca_1", "auth_config_id": "ac_1", "user_id": "user_1"},
        "data": {"thread_id": "t1"}})
    .to_string();
    for flavor in [Flavor::Python, Flavor::TypeScript] {
        let skim = SkimBody::parse(&body).unwrap();
        let f = plan_fields(&skim.root(), flavor).unwrap();
        for c in [
            &f.id,
            &f.uuid,
            &f.metadata_id,
            &f.user_id,
            &f.toolkit_slug,
            &f.trigger_slug,
            &f.account_id,
            &f.account_uuid,
            &f.auth_config_id,
        ] {
            assert!(is_borrowed(c), "{c} ({flavor:?})");
        }
        assert_eq!(f.toolkit_slug, "GMAIL");
        assert_eq!(f.user_id, "user_1");
        assert_eq!(f.status, "ACTIVE");
        // A lower-case slug must be upper-cased: that one field is copied.
        let lower = body.replace("GMAIL_NEW_GMAIL_MESSAGE", "gmail_new_gmail_message");
        let skim = SkimBody::parse(&lower).unwrap();
        let f = plan_fields(&skim.root(), flavor).unwrap();
        assert_eq!(f.toolkit_slug, "GMAIL");
        assert!(!is_borrowed(&f.toolkit_slug));
        assert!(is_borrowed(&f.trigger_slug));
    }
}

#[test]
fn verify_skim_fields_matches_verify_skim_and_reports_the_same_errors() {
    let body = json!({"id": "msg_1", "type": "composio.trigger.message", "timestamp": "2026-01-01T00:00:00Z",
        "metadata": {"log_id": "log_1", "trigger_slug": "GMAIL_NEW", "trigger_id": "ti_1",
                     "connected_account_id": "ca_1", "auth_config_id": "ac_1", "user_id": "user_1"},
        "data": {"thread_id": "t1"}})
    .to_string();
    let sig = sign_webhook("msg_1", "1763634600", &body, "whsec_x");
    for flavor in [Flavor::Python, Flavor::TypeScript] {
        let verifier = WebhookVerifier::new("whsec_x").with_flavor(flavor);
        let now = 1_763_634_610;
        let skim = verifier.verify_skim_at("msg_1", &body, &sig, "1763634600", now).unwrap();
        let fields = verifier
            .verify_skim_fields_at("msg_1", &body, &sig, "1763634600", now, |f| f.into_plan())
            .unwrap();
        assert_eq!(fields, skim);
        assert_eq!(fields, verifier.verify_plan_at("msg_1", &body, &sig, "1763634600", now).unwrap());
        // A bad signature, and a body the skim gives up on (an exponent)
        // that is not a known version: the same errors either way.
        let bad =
            verifier.verify_skim_fields_at("msg_1", &body, "v1,AAAA", "1763634600", now, |_| ()).unwrap_err();
        let bad_skim = verifier.verify_skim_at("msg_1", &body, "v1,AAAA", "1763634600", now).unwrap_err();
        assert_eq!(bad.to_string(), bad_skim.to_string());
        let odd = r#"{"a": 1e5}"#;
        let sig = sign_webhook("msg_1", "1763634600", odd, "whsec_x");
        let e = verifier.verify_skim_fields_at("msg_1", odd, &sig, "1763634600", now, |_| ()).unwrap_err();
        assert_eq!(e.code(), "WEBHOOK_PAYLOAD_INVALID", "{e}");
        assert_eq!(
            e.to_string(),
            verifier.verify_plan_at("msg_1", odd, &sig, "1763634600", now).unwrap_err().to_string()
        );
    }
}
