//! The plan-based webhook API (`WebhookVerifier::check_at`,
//! `WebhookVerifier::verify_plan_at`, `plan_event`, `ShallowBody`) gives
//! exactly what `WebhookVerifier::verify_at` gives, for every shared vector
//! in both flavours and for bodies chosen to stress the shallow parser.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use composio_core::webhooks::{
    json_payload_error, plan_event, sign_webhook, JsonView, Part, ShallowBody, WebhookVerifier,
};
use composio_core::Flavor;
use serde_json::{json, Value};

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/webhooks.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

/// `verify_at` and the plan route, as comparable text (`Ok` JSON of version,
/// event and raw body, or the error's code and message).
fn both_ways(
    verifier: &WebhookVerifier,
    id: &str,
    body: &str,
    sig: &str,
    ts: &str,
    now: i64,
) -> (String, String) {
    let full = match verifier.verify_at(id, body, sig, ts, now) {
        Ok(v) => json!({"version": v.version, "payload": v.payload, "raw": v.raw_payload}).to_string(),
        Err(e) => format!("{}: {e}", e.code()),
    };
    let plan = match verifier.verify_plan_at(id, body, sig, ts, now) {
        Ok(plan) => {
            // The host parses the body itself; here with serde_json.
            let raw: Value = serde_json::from_str(body).unwrap();
            let version = plan.version;
            json!({"version": version, "payload": plan.materialize(&raw), "raw": raw}).to_string()
        }
        Err(e) => format!("{}: {e}", e.code()),
    };
    (full, plan)
}

#[test]
fn plan_route_matches_verify_at_on_every_vector_in_both_flavours() {
    let mut checked = 0;
    for v in vectors() {
        let s = |k: &str| v[k].as_str().unwrap().to_owned();
        for flavor in [Flavor::Python, Flavor::TypeScript] {
            let verifier = WebhookVerifier::new(&s("secret"))
                .with_tolerance(v["tolerance"].as_i64().unwrap())
                .with_flavor(flavor);
            let (full, plan) = both_ways(
                &verifier,
                &s("id"),
                &s("payload"),
                &s("signature"),
                &s("timestamp"),
                v["now"].as_i64().unwrap(),
            );
            assert_eq!(full, plan, "{} ({flavor:?})", s("name"));
            // check_at + a full parse + plan_event over the Value: the same.
            let now = v["now"].as_i64().unwrap();
            let via_value = verifier
                .check_at(&s("id"), &s("payload"), &s("signature"), &s("timestamp"), now)
                .and_then(|()| serde_json::from_str::<Value>(&s("payload")).map_err(json_payload_error))
                .and_then(|raw| {
                    let plan = plan_event(&&raw, flavor)?;
                    let version = plan.version;
                    Ok(json!({"version": version, "payload": plan.materialize(&raw), "raw": raw}).to_string())
                })
                .unwrap_or_else(|e| format!("{}: {e}", e.code()));
            assert_eq!(full, via_value, "{} ({flavor:?}) via Value", s("name"));
            checked += 1;
        }
    }
    assert_eq!(checked, 86);
}

/// Bodies that exercise the shallow parser: invalid JSON deep inside (the
/// same error text as a full parse), odd metadata values that must be
/// printed from below the kept levels, duplicate keys, escapes.
#[test]
fn shallow_parse_agrees_with_a_full_parse() {
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let bodies: Vec<String> = vec![
        // Invalid JSON at various depths.
        r#"{"type":"composio.trigger.message","data":{"a":{"b":"\ud800"}}}"#.into(),
        r#"{"data":{"a":[{"b":"\x"}]}}"#.into(),
        r#"{"data":{"a":[1,2,]}}"#.into(),
        r#"{"data":{"a":{"b":1e400}}}"#.into(),
        r#"{"data":{"a":{"b":"x"}}} trailing"#.into(),
        "{\"data\":{\"a\":\"tab\tinside\"}}".into(),
        format!(r#"{{"data":{{"x":{deep}}}}}"#),
        r#"{"a":1"#.into(),
        "".into(),
        // Valid bodies with odd shapes.
        r#"{"id":"e1","type":"composio.trigger.message","timestamp":"t","metadata":{"trigger_id":{"n":[1,{"z":"\u00e9"}]},"trigger_slug":"A_B","user_id":12.5e3,"connected_account_id":true,"auth_config_id":null,"log_id":[1,"x"]},"data":{"k":1}}"#.into(),
        r#"{"id":{"deep":{"er":[1]}},"type":"composio.other","timestamp":"t","metadata":{"m":{}},"data":[1,2],"extra":1}"#.into(),
        r#"{"type":"composio.x","metadata":{},"id":"1","data":{},"type":"composio.y","data":{"k":"last"}}"#.into(),
        r#"{"type":"gmail_new","timestamp":"t","log_id":"l","data":{"connection_id":"c","connection_nano_id":"cn","trigger_nano_id":"tn","trigger_id":"ti","user_id":"u","rest":{"a":[1]},"n":-0}}"#.into(),
        r#"{"type":0,"timestamp":1,"data":{"connection_id":{"x":1},"trigger_id":[true]}}"#.into(),
        r#"{"type":{"a":{"b":1}},"timestamp":1,"data":{"connection_id":1}}"#.into(),
        r#"{"trigger_name":"slack_x","connection_id":"c","trigger_id":"t","log_id":"l","payload":{"p":{"q":[{}]}}}"#.into(),
        r#"{"trigger_name":{"o":{"p":1}},"connection_id":18446744073709551615,"trigger_id":-9223372036854775808,"payload":null}"#.into(),
        r#"{"\u0074ype":"composio.trigger.message","id":"x","metadata":{"trig\u0067er_id":"t"},"data":"d"}"#.into(),
        r#"  [1, {"a": 2}]  "#.into(),
        r#""just a string""#.into(),
        "null".into(),
    ];
    let (id, ts, secret) = ("msg_1", "1767225600", "whsec_x");
    for body in &bodies {
        let shallow = ShallowBody::parse(body).map(|_| ()).map_err(|e| e.to_string());
        let full = serde_json::from_str::<Value>(body).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(shallow, full, "parse verdict for {body:?}");
        if body.is_empty() {
            continue;
        }
        let sig = sign_webhook(id, ts, body, secret);
        for flavor in [Flavor::Python, Flavor::TypeScript] {
            let verifier = WebhookVerifier::new(secret).with_flavor(flavor);
            let (a, b) = both_ways(&verifier, id, body, &sig, ts, 1_767_225_600);
            assert_eq!(a, b, "{body} ({flavor:?})");
        }
    }
}

#[test]
fn shallow_nodes_read_like_values() {
    let text =
        r#"{"s":"x\n","n":0,"f":1.5,"b":false,"z":null,"a":[],"o":{"k":{"deep":[1,{"e":"é"}]},"e":{}}}"#;
    let body = ShallowBody::parse(text).unwrap();
    let value: Value = serde_json::from_str(text).unwrap();
    let root = body.root();
    for key in ["s", "n", "f", "b", "z", "a", "o", "missing"] {
        let (x, y) = (root.member(key), (&value).member(key));
        assert_eq!(x.is_some(), y.is_some(), "{key}");
        if let (Some(x), Some(y)) = (x, y) {
            assert_eq!(x.text(), y.text(), "{key}");
            assert_eq!(x.truthy(), y.truthy(), "{key}");
            assert_eq!(x.is_object(), y.is_object(), "{key}");
            assert_eq!(x.is_string(), y.is_string(), "{key}");
            assert_eq!(JsonView::as_str(&x), JsonView::as_str(&y), "{key}");
        }
    }
    let o = root.member("o").unwrap();
    assert_eq!(o.member("k").unwrap().text(), r#"{"deep":[1,{"e":"é"}]}"#);
    assert!(o.member("k").unwrap().is_object() && o.member("k").unwrap().truthy());
    assert!(!o.member("e").unwrap().truthy());
    assert!(o.member("k").unwrap().member("deep").is_none(), "below the kept levels");
}

#[test]
fn plan_parts_select_the_right_subtrees() {
    let body = json!({"id": "1", "type": "t", "extra": 1, "data": {"a": 1, "user_id": "u", "b": 2}});
    assert_eq!(Part::Body.select(&body), body);
    assert_eq!(Part::Member("data").select(&body), body["data"]);
    assert_eq!(Part::Member("absent").select(&body), Value::Null);
    assert_eq!(Part::MemberWithout("data", &["user_id"]).select(&body).to_string(), r#"{"a":1,"b":2}"#);
    assert_eq!(Part::BodyOnly(&["type", "id", "nope"]).select(&body).to_string(), r#"{"type":"t","id":"1"}"#);
    assert_eq!(serde_json::to_string(&Part::Member("data")).unwrap(), r#"{"member":"data"}"#);
    assert_eq!(serde_json::to_string(&Part::Body).unwrap(), r#""body""#);
    assert_eq!(
        serde_json::to_string(&Part::MemberWithout("data", &["a", "b"])).unwrap(),
        r#"{"member_without":["data",["a","b"]]}"#
    );
    assert_eq!(serde_json::to_string(&Part::BodyOnly(&["id"])).unwrap(), r#"{"body_only":["id"]}"#);
}

#[test]
fn plans_reference_the_body_instead_of_copying_it() {
    let body = r#"{"id":"e","type":"composio.trigger.message","timestamp":"t","metadata":{"trigger_id":"ti","trigger_slug":"GMAIL_X","user_id":"u","connected_account_id":"ca","auth_config_id":"ac","log_id":"l"},"data":{"k":[1,2,3]}}"#;
    let sig = sign_webhook("m", "100", body, "s");
    let py = WebhookVerifier::new("s").verify_plan_at("m", body, &sig, "100", 100).unwrap();
    assert_eq!(py.payload, Part::Member("data"));
    assert_eq!(py.original_payload, None);
    assert_eq!(py.event.payload, Value::Null);
    assert_eq!(py.event.toolkit_slug, "GMAIL");
    let ts = WebhookVerifier::new("s")
        .with_flavor(Flavor::TypeScript)
        .verify_plan_at("m", body, &sig, "100", 100)
        .unwrap();
    assert_eq!(ts.original_payload, Some(Part::Member("data")));
    assert_eq!(ts.event.original_payload, Some(Value::Null));
    let err = WebhookVerifier::new("other").verify_plan_at("m", body, &sig, "100", 100).unwrap_err();
    assert_eq!(err.code(), "WEBHOOK_SIGNATURE_VERIFICATION_FAILED");
    assert!(!format!("{err} {err:?}").contains("other"));
}
