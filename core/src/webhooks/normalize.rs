//! Version detection and normalisation, generic over the JSON tree.
//!
//! The rules (which version a body is, which fields of the normalised event
//! come from where, the Python and TypeScript differences) live here once.
//! They read the body through [`JsonView`], so they run over a
//! `serde_json::Value` or over a binding's own tree (Python objects, or the
//! [`ShallowBody`](super::ShallowBody) the Node binding uses next to
//! `JSON.parse`), and produce an [`EventPlan`]: the normalised event's
//! scalar fields, plus [`Part`]s saying which subtrees of the body become
//! `payload` and `original_payload`. A binding builds those subtrees from
//! the same tree it returns as `raw_payload`, so the body is parsed once.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{payload_error, ConnectionStatus};
use crate::error::{Error, Result};
use crate::models::{TriggerEvent, TriggerEventConnectedAccount, TriggerEventMetadata, WebhookVersion};
use crate::providers::Flavor;

/// The six metadata keys that make a V3 envelope a trigger message.
const V3_TRIGGER_METADATA_KEYS: [&str; 6] =
    ["trigger_id", "trigger_slug", "user_id", "connected_account_id", "auth_config_id", "log_id"];

/// The keys V2 mixes into `data` and that are removed from the payload.
pub const V2_METADATA_KEYS: [&str; 5] =
    ["connection_id", "connection_nano_id", "trigger_nano_id", "trigger_id", "user_id"];

/// The envelope keys the TypeScript SDK keeps as a non-trigger V3 event's
/// `originalPayload`, in its order.
pub const TS_V3_ENVELOPE_KEYS: [&str; 5] = ["id", "timestamp", "type", "metadata", "data"];

/// Read access to one node of a parsed JSON body, as the normaliser needs it.
///
/// Implemented for `&serde_json::Value`, for [`ShallowBody`](super::ShallowBody)
/// nodes, and by the bindings for their own trees. Implementations must agree
/// with `serde_json::Value` on every method (the bindings build their trees
/// with `serde_json`'s parser, so numbers and strings are the same).
pub trait JsonView: Sized {
    /// The member `key` of an object; `None` for absent keys and non-objects.
    fn member(&self, key: &str) -> Option<Self>;
    /// Whether this is an object.
    fn is_object(&self) -> bool;
    /// Whether this is a string.
    fn is_string(&self) -> bool;
    /// The text of a string; `None` for every other kind.
    fn as_str(&self) -> Option<Cow<'_, str>>;
    /// Python truthiness: `null`, `false`, `0`, `""`, `[]` and `{}` are false.
    fn truthy(&self) -> bool;
    /// Python's `str()` of the value with `null` as `""`: strings as they
    /// are, booleans `True`/`False`, numbers as `serde_json` prints them,
    /// arrays and objects as compact JSON.
    fn text(&self) -> String;
}

impl JsonView for &Value {
    fn member(&self, key: &str) -> Option<Self> {
        self.as_object().and_then(|o| o.get(key))
    }
    fn is_object(&self) -> bool {
        Value::is_object(self)
    }
    fn is_string(&self) -> bool {
        Value::is_string(self)
    }
    fn as_str(&self) -> Option<Cow<'_, str>> {
        Value::as_str(self).map(Cow::Borrowed)
    }
    fn truthy(&self) -> bool {
        match self {
            Value::Null | Value::Bool(false) => false,
            Value::Bool(true) => true,
            Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
        }
    }
    fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Bool(true) => "True".to_owned(),
            Value::Bool(false) => "False".to_owned(),
            Value::Number(n) => n.to_string(),
            other => other.to_string(),
        }
    }
}

/// Where a subtree of the normalised event comes from in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The whole body, unchanged (shared, not copied, where the binding can).
    Body,
    /// The body's member `key`, unchanged (shared where the binding can).
    Member(&'static str),
    /// A new object: the body's object member `key` without the listed keys,
    /// in the member's key order.
    MemberWithout(&'static str, &'static [&'static str]),
    /// A new object: those of the listed body members that are present, in
    /// the list's order.
    BodyOnly(&'static [&'static str]),
}

impl Part {
    /// This part of `body` as a new `Value`.
    pub fn select(&self, body: &Value) -> Value {
        match *self {
            Part::Body => body.clone(),
            Part::Member(key) => body.get(key).cloned().unwrap_or(Value::Null),
            Part::MemberWithout(key, omit) => match body.get(key) {
                Some(Value::Object(m)) => Value::Object(
                    m.iter()
                        .filter(|(k, _)| !omit.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
                _ => Value::Null,
            },
            Part::BodyOnly(keys) => Value::Object(
                keys.iter().filter_map(|k| body.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect(),
            ),
        }
    }
}

/// A normalised event still to be completed with subtrees of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPlan {
    /// The detected payload version.
    pub version: WebhookVersion,
    /// The event with every scalar field set; `payload` is `null` and
    /// `original_payload` is `Some(null)` exactly when [`Self::original_payload`]
    /// is `Some`.
    pub event: TriggerEvent,
    /// What becomes `event.payload`.
    pub payload: Part,
    /// What becomes `event.original_payload` (`None`: it stays `None`).
    pub original_payload: Option<Part>,
}

impl EventPlan {
    /// The complete event, its subtrees copied from `body` (the tree the
    /// plan was made from).
    pub fn materialize(self, body: &Value) -> TriggerEvent {
        let mut event = self.event;
        event.payload = self.payload.select(body);
        event.original_payload = self.original_payload.map(|p| p.select(body));
        event
    }

    /// [`EventPlan::materialize`] on an owned body: a `payload` taken
    /// unchanged from the body is moved out of it instead of copied (when
    /// nothing else needs the body).
    pub fn materialize_owned(self, mut body: Value) -> TriggerEvent {
        if let (Part::Member(key), None) = (self.payload, self.original_payload) {
            let mut event = self.event;
            event.payload = body.get_mut(key).map(Value::take).unwrap_or(Value::Null);
            return event;
        }
        self.materialize(&body)
    }
}

/// Detects the version of a parsed body and plans its normalisation; see
/// [`parse_payload_as`](super::parse_payload_as) for the rules. Anything
/// that is no known version is an [`Error::WebhookPayload`].
pub fn plan_event<V: JsonView>(body: &V, flavor: Flavor) -> Result<EventPlan> {
    if !body.is_object() {
        return Err(no_version());
    }
    if is_v3(body, flavor) {
        return Ok(plan_v3(body, flavor));
    }
    if let Some(data) = v2_data(body, flavor) {
        return Ok(plan_v2(body, &data, flavor));
    }
    if is_v1(body, flavor) {
        return Ok(plan_v1(body, flavor));
    }
    Err(no_version())
}

pub(super) fn no_version() -> Error {
    payload_error(
        "Webhook payload does not match any known version (V1, V2, or V3). Please ensure the \
         payload structure is correct.",
    )
}

fn has<V: JsonView>(obj: &V, key: &str) -> bool {
    obj.member(key).is_some()
}

fn is_string_member<V: JsonView>(obj: &V, key: &str) -> bool {
    obj.member(key).is_some_and(|v| v.is_string())
}

fn all_strings<V: JsonView>(obj: &V, keys: &[&str]) -> bool {
    keys.iter().all(|k| is_string_member(obj, k))
}

/// `str()` of a member, `""` when absent.
fn text_of<V: JsonView>(obj: &V, key: &str) -> String {
    obj.member(key).map(|v| v.text()).unwrap_or_default()
}

fn is_v3<V: JsonView>(obj: &V, flavor: Flavor) -> bool {
    let base = obj.member("type").is_some_and(|t| t.as_str().is_some_and(|s| s.starts_with("composio.")))
        && obj.member("metadata").is_some_and(|m| m.is_object())
        && has(obj, "id")
        && has(obj, "data");
    match flavor {
        Flavor::Python => base,
        Flavor::TypeScript => {
            base && is_string_member(obj, "timestamp") && obj.member("data").is_some_and(|d| d.is_object())
        }
    }
}

fn v2_data<V: JsonView>(obj: &V, flavor: Flavor) -> Option<V> {
    let data = obj.member("data").filter(|d| d.is_object())?;
    let ok = match flavor {
        Flavor::Python => has(obj, "type") && has(obj, "timestamp") && has(&data, "connection_id"),
        Flavor::TypeScript => {
            all_strings(obj, &["type", "timestamp", "log_id"]) && all_strings(&data, &V2_METADATA_KEYS)
        }
    };
    ok.then_some(data)
}

fn is_v1<V: JsonView>(obj: &V, flavor: Flavor) -> bool {
    match flavor {
        Flavor::Python => {
            ["trigger_name", "connection_id", "trigger_id", "payload"].iter().all(|k| has(obj, k))
        }
        Flavor::TypeScript => {
            all_strings(obj, &["trigger_name", "connection_id", "trigger_id", "log_id"])
                && obj.member("payload").is_some_and(|p| p.is_object())
        }
    }
}

/// TypeScript's toolkit slug: the first `_` segment of the upper-cased slug.
fn first_segment_upper(slug: &str) -> String {
    slug.to_uppercase().split('_').next().unwrap_or_default().to_owned()
}

#[allow(clippy::too_many_arguments)]
fn event(
    id: String,
    uuid: String,
    user_id: String,
    toolkit_slug: String,
    trigger_slug: String,
    has_original: bool,
    connected_account: TriggerEventConnectedAccount,
    metadata_id: String,
) -> TriggerEvent {
    TriggerEvent {
        metadata: TriggerEventMetadata {
            id: metadata_id,
            uuid: uuid.clone(),
            toolkit_slug: toolkit_slug.clone(),
            trigger_slug: trigger_slug.clone(),
            trigger_data: None,
            trigger_config: Map::new(),
            connected_account,
        },
        id,
        uuid,
        user_id,
        toolkit_slug,
        trigger_slug,
        payload: Value::Null,
        original_payload: has_original.then_some(Value::Null),
    }
}

fn active_account(
    id: String,
    uuid: String,
    auth_config_id: String,
    user_id: String,
) -> TriggerEventConnectedAccount {
    TriggerEventConnectedAccount {
        id,
        uuid,
        auth_config_uuid: auth_config_id.clone(),
        auth_config_id,
        user_id,
        status: ConnectionStatus::Active.as_str().to_owned(),
    }
}

/// The V3 envelope's metadata when it makes the envelope a trigger message
/// (Python needs the six keys; TypeScript's schema also needs them to be
/// strings).
fn v3_trigger_metadata<V: JsonView>(obj: &V, flavor: Flavor) -> Option<V> {
    obj.member("metadata").filter(|m| {
        m.is_object()
            && V3_TRIGGER_METADATA_KEYS.iter().all(|k| match flavor {
                Flavor::Python => has(m, k),
                Flavor::TypeScript => is_string_member(m, k),
            })
    })
}

fn plan_v3<V: JsonView>(obj: &V, flavor: Flavor) -> EventPlan {
    let (event, original) = match v3_trigger_metadata(obj, flavor) {
        Some(m) => {
            let trigger_id = text_of(&m, "trigger_id");
            let trigger_slug = text_of(&m, "trigger_slug");
            let user_id = text_of(&m, "user_id");
            let toolkit_slug = match (trigger_slug.split_once('_'), flavor) {
                (Some((head, _)), _) => head.to_uppercase(),
                (None, Flavor::Python) => "UNKNOWN".to_owned(),
                (None, Flavor::TypeScript) => trigger_slug.to_uppercase(),
            };
            let original = (flavor == Flavor::TypeScript).then_some(Part::Member("data"));
            let account_id = text_of(&m, "connected_account_id");
            let account = active_account(
                account_id.clone(),
                account_id,
                text_of(&m, "auth_config_id"),
                user_id.clone(),
            );
            let e = event(
                trigger_id.clone(),
                trigger_id.clone(),
                user_id,
                toolkit_slug,
                trigger_slug,
                original.is_some(),
                account,
                trigger_id,
            );
            (e, original)
        }
        None => {
            let id = text_of(obj, "id");
            let account = active_account(String::new(), String::new(), String::new(), String::new());
            let original = match flavor {
                Flavor::Python => Part::Body,
                Flavor::TypeScript => Part::BodyOnly(&TS_V3_ENVELOPE_KEYS),
            };
            let e = event(
                id.clone(),
                id.clone(),
                String::new(),
                "COMPOSIO".to_owned(),
                text_of(obj, "type"),
                true,
                account,
                id,
            );
            (e, Some(original))
        }
    };
    EventPlan {
        version: WebhookVersion::V3,
        event,
        payload: Part::Member("data"),
        original_payload: original,
    }
}

fn plan_v2<V: JsonView>(obj: &V, data: &V, flavor: Flavor) -> EventPlan {
    let slug = match obj.member("type") {
        Some(kind) if kind.truthy() => kind.text().to_uppercase(),
        _ => String::new(),
    };
    let id = match (data.member("trigger_nano_id"), flavor) {
        (Some(v), _) => v.text(),
        (None, Flavor::Python) => text_of(data, "trigger_id"),
        (None, Flavor::TypeScript) => String::new(),
    };
    let user_id = text_of(data, "user_id");
    let account = active_account(
        text_of(data, "connection_nano_id"),
        text_of(data, "connection_id"),
        String::new(),
        user_id.clone(),
    );
    let payload = Part::MemberWithout("data", &V2_METADATA_KEYS);
    let (toolkit, original) = match flavor {
        Flavor::Python => (slug.clone(), None),
        Flavor::TypeScript => (first_segment_upper(&slug), Some(payload)),
    };
    let e = event(
        id,
        text_of(data, "trigger_id"),
        user_id,
        toolkit,
        slug,
        original.is_some(),
        account,
        text_of(data, "trigger_nano_id"),
    );
    EventPlan { version: WebhookVersion::V2, event: e, payload, original_payload: original }
}

fn plan_v1<V: JsonView>(obj: &V, flavor: Flavor) -> EventPlan {
    let trigger_id = text_of(obj, "trigger_id");
    let connection_id = text_of(obj, "connection_id");
    let account = active_account(connection_id.clone(), connection_id, String::new(), String::new());
    let trigger_name = text_of(obj, "trigger_name");
    let payload = Part::Member("payload");
    let (toolkit, original) = match flavor {
        Flavor::Python => (String::new(), None),
        Flavor::TypeScript => (first_segment_upper(&trigger_name), Some(payload)),
    };
    let e = event(
        trigger_id.clone(),
        trigger_id.clone(),
        String::new(),
        toolkit,
        trigger_name,
        original.is_some(),
        account,
        trigger_id,
    );
    EventPlan { version: WebhookVersion::V1, event: e, payload, original_payload: original }
}
