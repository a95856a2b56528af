//! The skim route (`SkimBody`, `WebhookVerifier::verify_skim_at`): on every
//! body a strict JSON parser accepts, the plan is exactly the one made over
//! a full `serde_json::Value`; hostile and malformed bodies never panic, and
//! the bodies `serde_json` rejects while `JSON.parse` accepts are left to
//! the validating parse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::webhooks::{plan_event, sign_webhook, EventPlan, JsonView, SkimBody, WebhookVerifier};
use composio_core::Flavor;
use serde_json::{json, Value};

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/webhooks.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

fn by_value(body: &str, flavor: Flavor) -> Option<Result<EventPlan, String>> {
    let v: Value = serde_json::from_str(body).ok()?;
    Some(plan_event(&&v, flavor).map_err(|e| e.to_string()))
}

fn by_skim(body: &str, flavor: Flavor) -> Option<Result<EventPlan, String>> {
    let skim = SkimBody::parse(body)?;
    Some(plan_event(&skim.root(), flavor).map_err(|e| e.to_string()))
}

/// Where both the skim and `serde_json` take the body, the plans agree;
/// returns whether the skim took it.
fn agree(body: &str) -> bool {
    let mut skimmed = false;
    for flavor in [Flavor::Python, Flavor::TypeScript] {
        let (Some(skim), Some(value)) = (by_skim(body, flavor), by_value(body, flavor)) else { continue };
        assert_eq!(skim, value, "{flavor:?}: {body}");
        skimmed = true;
    }
    skimmed
}

fn v3(data: Value) -> Value {
    json!({"id": "msg_1", "type": "composio.trigger.message", "timestamp": "2026-01-01T00:00:00Z",
        "metadata": {"log_id": "log_1", "trigger_slug": "GMAIL_NEW_MESSAGE", "trigger_id": "ti_1",
                     "connected_account_id": "ca_1", "auth_config_id": "ac_1", "user_id": "u_1"},
        "data": data})
}

#[test]
fn skim_plans_every_vector_like_a_full_parse() {
    let mut skimmed = 0;
    for v in vectors() {
        if agree(v["payload"].as_str().unwrap()) {
            skimmed += 1;
        }
    }
    // Every vector that is JSON is skimmed (none is odd enough to give up).
    let json_vectors = vectors()
        .iter()
        .filter(|v| serde_json::from_str::<Value>(v["payload"].as_str().unwrap()).is_ok())
        .count();
    assert_eq!(skimmed, json_vectors);
    assert!(skimmed >= 25, "{skimmed}");
}

#[test]
fn escapes_in_keys_and_values_are_decoded() {
    // `"\u0074ype"` is the key `type`; values with escapes are decoded.
    let body = r#"{"id":"m\"1","\u0074ype":"composio.\u0074rigger.message","timestamp":"t","metadata":{"log_id":"l","trigger_slug":"GMAIL_\u00e9\n\ud83d\ude00","trigger_id":"t\\1","connected_account_id":"c\/a","auth_config_id":"a","user_id":"u\tx"},"data":{"k":"\"}"}}"#;
    assert!(agree(body));
    let skim = SkimBody::parse(body).unwrap();
    let plan = plan_event(&skim.root(), Flavor::TypeScript).unwrap();
    assert_eq!(plan.event.trigger_slug, "GMAIL_\u{e9}\n\u{1F600}");
    assert_eq!(plan.event.id, "t\\1");
    assert_eq!(plan.event.metadata.connected_account.id, "c/a");
    assert_eq!(skim.root().member("type").unwrap().as_str().unwrap(), "composio.trigger.message");
}

#[test]
fn duplicate_keys_take_the_last_value() {
    let body = r#"{"type":"x","id":"a","type":"composio.trigger.message","timestamp":"t","metadata":{"trigger_slug":"A_B","trigger_slug":"GITHUB_PUSH","log_id":"l","trigger_id":"t","connected_account_id":"c","auth_config_id":"a","user_id":"u"},"data":{},"metadata":{"log_id":"l2","trigger_slug":"SLACK_X","trigger_id":"t2","connected_account_id":"c2","auth_config_id":"a2","user_id":"u2"}}"#;
    assert!(agree(body));
    let skim = SkimBody::parse(body).unwrap();
    let plan = plan_event(&skim.root(), Flavor::Python).unwrap();
    assert_eq!(plan.event.trigger_slug, "SLACK_X");
    assert_eq!(plan.event.toolkit_slug, "SLACK");
    // An escaped spelling of a key is the same key.
    let body = r#"{"trigger_name":"a_b","connection_id":"c","trigger_id":"t","payload":{},"trigger\u005fname":"z_y"}"#;
    assert!(agree(body));
    assert_eq!(
        plan_event(&SkimBody::parse(body).unwrap().root(), Flavor::Python).unwrap().event.trigger_slug,
        "z_y"
    );
}

#[test]
fn odd_member_kinds_print_like_python() {
    // Numbers, booleans, null, arrays and objects where strings are expected.
    for meta in [
        json!({"log_id": 1, "trigger_slug": 12.5, "trigger_id": true, "connected_account_id": null,
               "auth_config_id": [1, {"a": "b"}], "user_id": {"x": [1, 2], "y": {"z": null}}}),
        json!({"log_id": -0.0, "trigger_slug": "A", "trigger_id": 18446744073709551615u64,
               "connected_account_id": -9223372036854775808i64, "auth_config_id": "", "user_id": false}),
    ] {
        let mut body = v3(json!({"a": 1}));
        body["metadata"] = meta;
        assert!(agree(&body.to_string()));
    }
    // V2 and V1 shapes, with truthiness of odd `type` values.
    for kind in
        [json!("github_push"), json!(0), json!(1.5), json!(""), json!([]), json!([0]), json!({}), json!(null)]
    {
        let body = json!({"type": kind, "timestamp": "t", "log_id": "l",
            "data": {"connection_id": "c", "connection_nano_id": "cn", "trigger_nano_id": "tn",
                     "trigger_id": "t", "user_id": "u", "extra": [1, "x"]}});
        assert!(agree(&body.to_string()));
    }
    for body in [
        json!({"trigger_name": "slack_receive", "connection_id": "c", "trigger_id": "t", "payload": {"x": 1}, "log_id": "l"}),
        json!({"trigger_name": "slack_receive", "connection_id": "c", "trigger_id": "t", "payload": []}),
        json!([1, 2, 3]),
        json!("text"),
        json!(42),
        json!(null),
        json!({}),
    ] {
        assert!(agree(&body.to_string()));
    }
}

#[test]
fn whitespace_everywhere_is_fine() {
    let body = " \n{ \"id\" : \"m\" ,\t\"type\":\r\n\"composio.x\" , \"metadata\" : { } , \"data\" : [ 1 , { \"a\" : [ ] } ] , \"timestamp\" : \"t\" } \n";
    assert!(agree(body));
    assert!(agree(
        &serde_json::to_string_pretty(&v3(json!({"messages": [{"a": [1, 2, {"b": "c"}]}]}))).unwrap()
    ));
}

#[test]
fn bodies_serde_rejects_but_json_parse_accepts_are_left_to_the_validating_parse() {
    let deep = format!("{{\"data\":{}1{}}}", "[".repeat(200), "]".repeat(200));
    let deep_obj = format!("{}{}", "{\"a\":".repeat(150), "1".to_owned() + &"}".repeat(150));
    for body in [
        r#"{"data":"\ud800"}"#.to_owned(),
        r#"{"data":{"x":["\udc00"]}}"#.to_owned(),
        r#"{"data":{"x":{"y":"a\ud800b"}}}"#.to_owned(),
        r#"{"data":{"x":[1e400]}}"#.to_owned(),
        r#"{"data":1E400}"#.to_owned(),
        format!("{{\"data\":[{}]}}", "9".repeat(400)),
        format!("{{\"data\":{}}}", "9".repeat(400)),
        deep,
        deep_obj,
    ] {
        assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
        assert!(SkimBody::parse(&body).is_none(), "{body}");
    }
    // Nesting serde_json accepts is skimmed.
    let ok = format!("{{\"data\":{}1{}}}", "[".repeat(90), "]".repeat(90));
    assert!(serde_json::from_str::<Value>(&ok).is_ok());
    assert!(agree(&ok));
}

#[test]
fn hostile_and_truncated_bodies_never_panic() {
    let body = v3(json!({"thread_id": "t1", "messages": [{"id": "m\"1", "labels": ["a", "b\\"], "n": 1.5, "t": true, "f": false, "z": null}]})).to_string();
    // Every prefix, and every single-byte replacement by a structural byte.
    for end in 0..=body.len() {
        if body.is_char_boundary(end) {
            agree(&body[..end]);
        }
    }
    for (i, _) in body.char_indices() {
        for c in ["\"", "\\", "{", "}", "[", "]", ",", ":", "e", " ", "\u{0}"] {
            let mut b = body.clone();
            b.replace_range(i..i + body[i..].chars().next().unwrap().len_utf8(), c);
            agree(&b);
        }
    }
    for junk in [
        "",
        " ",
        "{",
        "}",
        "[",
        "\"",
        "\"\\",
        "\"\\u",
        "\"\\u12",
        "{\"a\"",
        "{\"a\":",
        "{\"a\":}",
        "{,}",
        "[,]",
        "{\"a\":1,}",
        "nul",
        "tru",
        "-",
        "{\"a\" 1}",
        "{1:2}",
        "\u{feff}{}",
        "{}x",
        "{\"a\":\"\\ud83d\\u\"}",
    ] {
        agree(junk);
    }
    let deep = "[".repeat(100_000);
    assert!(SkimBody::parse(&deep).is_none());
    let deep = format!("{{\"a\":{{\"b\":{}", "{\"c\":".repeat(100_000));
    assert!(SkimBody::parse(&deep).is_none());
}

/// The bench-sized body (long skipped containers),
/// with strings holding brackets, quotes, escapes and digits.
fn big_body() -> String {
    let messages: Vec<Value> = (0..12)
        .map(|i| json!({"id": format!("m{i}"), "from": "alice@example.com", "subject": format!("Re: [x] {{y}} part {i}"),
            "labels": ["INBOX", "IMPORTANT"], "n": [i, 1.5, -0.25, true, false, null], "e": {}, "f": [], "s": "2e5 \"q\" \\ \u{e9}"}))
        .collect();
    v3(json!({"thread_id": "t1", "messages": messages, "tail": {"a": [[[]]], "b": "}]"}})).to_string()
}

#[test]
fn long_skipped_containers_are_skimmed() {
    let body = big_body();
    assert!(body.len() > 1500);
    assert!(agree(&body));
    // Strings without escapes, and pretty-printed.
    let plain = body.replace(r#"2e5 \"q\" \\ é"#, "plain");
    assert!(!plain.contains('\\'));
    assert!(agree(&plain));
    assert!(agree(&serde_json::to_string_pretty(&serde_json::from_str::<Value>(&body).unwrap()).unwrap()));
    // Single-byte changes all over: no panic, and the
    // same plan wherever both take the body.
    for (i, _) in plain.char_indices().filter(|(i, _)| i % 7 == 0 || (400..560).contains(i)) {
        for c in ["\"", "\\", "{", "}", "[", "]", "e", "5"] {
            let mut b = plain.clone();
            b.replace_range(i..i + 1, c);
            agree(&b);
        }
    }
    // An exponent or a long number deep in a long container: left to serde.
    for bad in ["1e400", "1E400", "2.5e-400", &"9".repeat(400)] {
        let b = plain.replacen("1.5", bad, 1);
        assert!(SkimBody::parse(&b).is_none(), "{bad}");
    }
    let b = plain.replacen("\"m7\"", "\"\\ud800\"", 1);
    assert!(SkimBody::parse(&b).is_none());
}

#[test]
fn verify_skim_at_matches_verify_plan_at_and_falls_back_for_odd_bodies() {
    let verifier = WebhookVerifier::new("whsec_x").with_flavor(Flavor::TypeScript);
    let bodies = [
        v3(json!({"messages": [1, 2]})).to_string(),
        // Not JSON: the fallback gives serde_json's error.
        "{\"data\":\"\\ud800\"}".to_owned(),
        "{\"a\":1e400}".to_owned(),
        "{\"a\":\"\\x\"}".to_owned(),
        "{\"a\":".to_owned(),
    ];
    for body in &bodies {
        let sig = sign_webhook("msg_1", "1000", body, "whsec_x");
        let skim = verifier.verify_skim_at("msg_1", body, &sig, "1000", 1000).map_err(|e| e.to_string());
        let plan = verifier.verify_plan_at("msg_1", body, &sig, "1000", 1000).map_err(|e| e.to_string());
        assert_eq!(skim, plan, "{body}");
        // A bad signature is reported before anything about the body.
        let bad = verifier.verify_skim_at("msg_1", body, "v1,AAAA", "1000", 1000).unwrap_err();
        assert_eq!(
            bad.to_string(),
            verifier.verify_plan_at("msg_1", body, "v1,AAAA", "1000", 1000).unwrap_err().to_string()
        );
    }
    assert!(verifier
        .verify_skim_at(
            "msg_1",
            &bodies[2],
            &sign_webhook("msg_1", "1000", &bodies[2], "whsec_x"),
            "1000",
            1000
        )
        .unwrap_err()
        .to_string()
        .contains("Failed to parse webhook payload as JSON"));
}
