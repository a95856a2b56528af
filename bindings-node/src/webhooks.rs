//! Webhook verification for the TypeScript layer.
//!
//! [`WebhookTape::verify`] is the fast path: the engine checks the
//! timestamp and signature over the raw text, parses the body into a build
//! tape and returns the normalisation plan as a short NUL-separated text.
//! The TypeScript layer builds the body from the tape (`lib/tape.ts`, far
//! cheaper than `JSON.parse` or building the objects through napi) and the
//! event from the plan and that one tree (`lib/webhooks.ts`: a plan
//! interpreter, no webhook rules).
//! [`verify_webhook`] is the general path (any params object, with the
//! engine's validation messages and a full parse).

use std::cell::RefCell;

use composio_core::models::TriggerEvent;
use composio_core::webhooks::tape::JsonTape;
use composio_core::webhooks::{EventFields, EventPlan, Part, WebhookVerifier, DEFAULT_TOLERANCE_SECS};
use composio_core::Flavor;
use napi::bindgen_prelude::{FromNapiValue, Int32ArraySlice, TypeName, ValidateNapiValue};
use napi::{sys, ValueType};
use napi_derive::napi;
use serde::Serialize;
use serde_json::{json, Value};

use crate::convert::{self, Opts};
use crate::error::{guard_sync, invalid};

/// Verifies a webhook (`{id, payload, secret, signature, timestamp,
/// tolerance}`) with the official TypeScript SDK's rules and returns
/// `{version, payload, rawPayload}`, the payload in its
/// `IncomingTriggerPayload` shape. `now` (Unix seconds) replaces
/// the clock, for tests.
#[napi(catch_unwind)]
pub fn verify_webhook(params: Value, now: Option<i64>) -> napi::Result<Value> {
    guard_sync(|| {
        let mut o = Opts::new("verifyWebhook params", Some(params))?;
        let id = o.str("id")?.unwrap_or_default();
        let payload = o.str("payload")?.unwrap_or_default();
        let secret = o.str("secret")?.unwrap_or_default();
        let signature = o.str("signature")?.unwrap_or_default();
        let timestamp = o.str("timestamp")?.unwrap_or_default();
        let tolerance = match o.value("tolerance") {
            None => DEFAULT_TOLERANCE_SECS,
            Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)).unwrap_or(0),
            Some(other) => {
                return Err(invalid(format!("tolerance must be a number, got {}", convert::kind(&other))))
            }
        };
        o.finish()?;
        let verifier = WebhookVerifier::cached(&secret, tolerance, Flavor::TypeScript);
        let plan = match now {
            Some(now) => verifier.verify_plan_at(&id, &payload, &signature, &timestamp, now)?,
            None => verifier.verify_plan(&id, &payload, &signature, &timestamp)?,
        };
        // The body was validated; this parse cannot fail.
        let raw: Value =
            serde_json::from_str(&payload).map_err(composio_core::webhooks::json_payload_error)?;
        let version = plan.version;
        let event = plan.materialize(&raw);
        Ok(json!({ "version": version.as_str(), "payload": event.to_ts_json(), "rawPayload": raw }))
    })
}

/// The fast path of `triggers.verifyWebhook`: the build-tape context of one
/// JavaScript environment (`lib/tape.ts` keeps one per module instance,
/// with the builders of the shapes it has been sent).
/// [`WebhookTape::verify`] checks the timestamp and signature, parses the
/// body into a build tape ([`composio_core::webhooks::tape`]) from which
/// JavaScript builds exactly `JSON.parse`'s tree several times faster than
/// `JSON.parse` itself, and returns the normalisation plan as a short text.
#[napi]
pub struct WebhookTape {
    inner: JsonTape,
}

impl Default for WebhookTape {
    fn default() -> Self {
        Self::new()
    }
}

#[napi]
impl WebhookTape {
    /// An empty shape table.
    #[napi(constructor)]
    pub fn new() -> Self {
        Self { inner: JsonTape::new() }
    }

    /// Verifies a webhook with the official TypeScript SDK's rules and
    /// writes the body's tape into `tape`: `tape[0]` is its length, `0` when
    /// none was written (a body the tape parse does not take: the caller
    /// parses it with `JSON.parse`, and when that fails calls
    /// [`verify_webhook`] for the error to report). A tape is written only
    /// when it fits in `tape` (`2 * payload.length + 64` units always
    /// suffice) and counts as delivered: the caller builds from it or calls
    /// [`WebhookTape::reset`].
    ///
    /// Returns the plan as fields joined by `"\0"`: the version, the ten
    /// distinct strings of the event in [`PLAN_FIELDS`] order, then the part
    /// for `payload` and the part for `originalPayload` (`""` when there is
    /// none); a part is `"b"` (the body), `"m" + key` (a member),
    /// `"w" + key + "\x01" + omitted keys joined by "\x01"` (a member without
    /// some keys) or `"o" + keys joined by "\x01"` (only those body members). A
    /// plan this text cannot carry (a field with a NUL) is returned as JSON
    /// text instead (which starts with `{`): `{"version", "event", "fill"}`,
    /// `event` the `IncomingTriggerPayload` with `null` where subtrees of the
    /// body go, `fill` the `[key, part]` pairs naming the subtree of the
    /// parsed body that becomes `event[key]` (`"body"`, `{"member": k}`,
    /// `{"member_without": [k, [keys]]}` or `{"body_only": [keys]}`).
    /// `tolerance` defaults to 300 (a finite number, truncated to whole
    /// seconds); `now` (Unix seconds) replaces the clock, for tests. Errors
    /// are exactly [`verify_webhook`]'s.
    #[napi(catch_unwind)]
    #[allow(clippy::too_many_arguments)]
    pub fn verify(
        &mut self,
        #[napi(ts_arg_type = "string")] id: JsText,
        #[napi(ts_arg_type = "string")] payload: JsText,
        #[napi(ts_arg_type = "string")] secret: JsText,
        #[napi(ts_arg_type = "string")] signature: JsText,
        #[napi(ts_arg_type = "string")] timestamp: JsText,
        tolerance: Option<f64>,
        now: Option<i64>,
        mut tape: Int32ArraySlice<'_>,
    ) -> napi::Result<String> {
        guard_sync(|| {
            // SAFETY: JavaScript runs on this thread only and is inside this
            // call, so nothing else reads or writes the array's memory now.
            let out = unsafe { tape.as_mut() };
            if let Some(first) = out.first_mut() {
                *first = 0;
            }
            let (id, payload, secret, signature, timestamp) =
                (id.0, payload.0, secret.0, signature.0, timestamp.0);
            let tolerance = tolerance.map_or(DEFAULT_TOLERANCE_SECS, |f| f as i64);
            let verifier = WebhookVerifier::cached(&secret, tolerance, Flavor::TypeScript);
            let encode = |fields: EventFields<'_>, written: bool| {
                let text = match fields_text(&fields) {
                    Some(text) => Ok(text),
                    None => plan_text(fields.into_plan()),
                };
                (text, written)
            };
            let max = out.len();
            let (text, written) = match now {
                Some(now) => verifier.verify_tape_fields_at(
                    &id,
                    &payload,
                    &signature,
                    &timestamp,
                    now,
                    &mut self.inner,
                    max,
                    encode,
                )?,
                None => verifier.verify_tape_fields(
                    &id,
                    &payload,
                    &signature,
                    &timestamp,
                    &mut self.inner,
                    max,
                    encode,
                )?,
            };
            let text = text?;
            let units = self.inner.units();
            if written && units.len() <= out.len() {
                out[..units.len()].copy_from_slice(units);
                self.inner.commit();
            }
            Ok(text)
        })
    }

    /// Forgets every shape: the next tape tells JavaScript to drop its
    /// builders too (after a tape could not be used).
    #[napi]
    pub fn reset(&mut self) {
        self.inner.reset();
    }
}

/// A string argument read as text, quickly when it is ASCII (webhook
/// bodies nearly always are): its UTF-16 code units are copied out in one
/// go and narrowed, where the general conversion has V8 measure and then
/// encode the UTF-8. Any other string is read by that general conversion
/// (`napi_get_value_string_utf8`, lone surrogates becoming U+FFFD), so the
/// text is always exactly what a `String` argument would be.
pub struct JsText(pub String);

thread_local! {
    /// The code units of the last [`JsText`] read on this thread (reused).
    static UNITS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

impl TypeName for JsText {
    fn type_name() -> &'static str {
        "String"
    }
    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ValidateNapiValue for JsText {}

impl FromNapiValue for JsText {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        let ascii = UNITS.with(|units| {
            let mut units = units.try_borrow_mut().ok()?;
            let mut len = 0usize;
            // SAFETY: a null buffer asks for the length only.
            let status =
                unsafe { sys::napi_get_value_string_utf16(env, value, std::ptr::null_mut(), 0, &mut len) };
            if status != sys::Status::napi_ok {
                return None;
            }
            let size = len.checked_add(1)?;
            if units.len() < size {
                units.resize(size, 0);
            }
            let mut copied = 0usize;
            // SAFETY: the buffer holds at least `len + 1` units (the copy
            // ends with a NUL).
            let status = unsafe {
                sys::napi_get_value_string_utf16(env, value, units.as_mut_ptr(), size, &mut copied)
            };
            let units = units.get(..copied)?;
            if status != sys::Status::napi_ok || copied != len || units.iter().fold(0, |a, &c| a | c) >= 0x80
            {
                return None;
            }
            Some(units.iter().map(|&c| c as u8).collect::<Vec<u8>>())
        });
        match ascii {
            // SAFETY: every byte is below 0x80, so this is UTF-8 (ASCII).
            Some(bytes) => Ok(JsText(unsafe { String::from_utf8_unchecked(bytes) })),
            // SAFETY: the caller's `env` and `value`.
            None => unsafe { String::from_napi_value(env, value) }.map(JsText),
        }
    }
}

/// The order of the event's distinct strings in [`WebhookTape::verify`]'s
/// text: `id, uuid, triggerSlug, toolkitSlug, userId, metadata.id`, then
/// `metadata.connectedAccount.`'s `id, uuid, authConfigId, status`. The
/// event repeats some of them: `metadata.uuid` is `uuid`,
/// `metadata.toolkitSlug` and `metadata.triggerSlug` are the event's, and
/// the account's `authConfigUUID` is its `authConfigId` and its `userId` the
/// event's.
pub const PLAN_FIELDS: usize = 10;

/// The fields text of a borrowed plan (`None`: a string has a NUL). A plan
/// made by the normaliser has no trigger data or config.
fn fields_text(f: &EventFields<'_>) -> Option<String> {
    let strings: [&str; PLAN_FIELDS] = [
        &f.id,
        &f.uuid,
        &f.trigger_slug,
        &f.toolkit_slug,
        &f.user_id,
        &f.metadata_id,
        &f.account_id,
        &f.account_uuid,
        &f.auth_config_id,
        f.status,
    ];
    let mut out = String::with_capacity(160 + strings.iter().map(|s| s.len()).sum::<usize>());
    out.push_str(f.version.as_str());
    for s in strings {
        if s.contains('\0') {
            return None;
        }
        out.push('\0');
        out.push_str(s);
    }
    out.push('\0');
    push_part(&mut out, f.payload);
    out.push('\0');
    if let Some(p) = f.original_payload {
        push_part(&mut out, p);
    }
    Some(out)
}

fn push_part(out: &mut String, part: Part) {
    match part {
        Part::Body => out.push('b'),
        Part::Member(key) => {
            out.push('m');
            out.push_str(key);
        }
        Part::MemberWithout(key, omit) => {
            out.push('w');
            out.push_str(key);
            for k in omit {
                out.push('\x01');
                out.push_str(k);
            }
        }
        Part::BodyOnly(keys) => {
            out.push('o');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push('\x01');
                }
                out.push_str(k);
            }
        }
    }
}

/// A plan as JSON text (see [`WebhookTape::verify`]).
fn plan_text(plan: EventPlan) -> composio_core::Result<String> {
    let mut fill = vec![("payload", plan.payload)];
    if let Some(p) = plan.original_payload {
        fill.push(("originalPayload", p));
    }
    let out = PlanText { version: plan.version.as_str(), event: TsEvent::new(&plan.event), fill };
    serde_json::to_string(&out)
        .map_err(|e| composio_core::Error::internal(format!("could not serialise a webhook plan: {e}")))
}

#[derive(Serialize)]
struct PlanText<'a> {
    version: &'static str,
    event: TsEvent<'a>,
    fill: Vec<(&'static str, Part)>,
}

/// [`TriggerEvent::to_ts_json`] written straight to text (no intermediate
/// `Value`): the same keys in the same order, `originalPayload` and
/// `triggerData` only when present. The vectors' JSON text is compared with
/// the official SDK's in test/webhooks.test.mjs.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TsEvent<'a> {
    id: &'a str,
    uuid: &'a str,
    trigger_slug: &'a str,
    toolkit_slug: &'a str,
    user_id: &'a str,
    payload: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_payload: Option<&'a Value>,
    metadata: TsMetadata<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TsMetadata<'a> {
    id: &'a str,
    uuid: &'a str,
    toolkit_slug: &'a str,
    trigger_slug: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    trigger_data: Option<&'a Value>,
    trigger_config: &'a serde_json::Map<String, Value>,
    connected_account: TsAccount<'a>,
}

#[derive(Serialize)]
struct TsAccount<'a> {
    id: &'a str,
    uuid: &'a str,
    #[serde(rename = "authConfigId")]
    auth_config_id: &'a str,
    #[serde(rename = "authConfigUUID")]
    auth_config_uuid: &'a str,
    #[serde(rename = "userId")]
    user_id: &'a str,
    status: &'a str,
}

impl<'a> TsEvent<'a> {
    fn new(e: &'a TriggerEvent) -> Self {
        let m = &e.metadata;
        let a = &m.connected_account;
        Self {
            id: &e.id,
            uuid: &e.uuid,
            trigger_slug: &e.trigger_slug,
            toolkit_slug: &e.toolkit_slug,
            user_id: &e.user_id,
            payload: &e.payload,
            original_payload: e.original_payload.as_ref(),
            metadata: TsMetadata {
                id: &m.id,
                uuid: &m.uuid,
                toolkit_slug: &m.toolkit_slug,
                trigger_slug: &m.trigger_slug,
                trigger_data: m.trigger_data.as_ref(),
                trigger_config: &m.trigger_config,
                connected_account: TsAccount {
                    id: &a.id,
                    uuid: &a.uuid,
                    auth_config_id: &a.auth_config_id,
                    auth_config_uuid: &a.auth_config_uuid,
                    user_id: &a.user_id,
                    status: &a.status,
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ts_event_text_is_to_ts_json() {
        let mut e = TriggerEvent {
            id: "i".into(),
            payload: json!({"a": [1, {"b": "\u{e9}"}]}),
            ..Default::default()
        };
        e.metadata.connected_account.auth_config_uuid = "u".into();
        for original in [None, Some(json!({"x": 1}))] {
            e.original_payload = original;
            for data in [None, Some(json!("d"))] {
                e.metadata.trigger_data = data;
                assert_eq!(serde_json::to_string(&TsEvent::new(&e)).unwrap(), e.to_ts_json().to_string());
            }
        }
    }
}
