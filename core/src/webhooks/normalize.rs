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

/// Read access to a body whose string text can be borrowed from the body
/// itself for the lifetime `'a` (rather than from one node, as
/// [`JsonView::as_str`]'s is): lets [`plan_fields`] make a plan that copies
/// no text.
///
/// Implemented for `&'a serde_json::Value`, [`SkimNode`](super::SkimNode)
/// and [`ShallowNode`](super::ShallowNode) nodes, and by the bindings.
pub trait JsonText<'a>: JsonView {
    /// [`JsonView::text`], borrowed where the text is in the body as it is.
    fn text_cow(&self) -> Cow<'a, str>;
}

impl<'a> JsonText<'a> for &'a Value {
    fn text_cow(&self) -> Cow<'a, str> {
        match *self {
            Value::String(s) => Cow::Borrowed(s.as_str()),
            other => Cow::Owned(JsonView::text(&other)),
        }
    }
}

/// Any [`JsonView`] as a [`JsonText`] whose text is always owned: how
/// [`plan_event`] runs [`plan_fields`]'s rules over views that cannot lend
/// their text.
enum Owning<'v, V> {
    Root(&'v V),
    Node(V),
}

impl<V> Owning<'_, V> {
    fn get(&self) -> &V {
        match self {
            Owning::Root(v) => v,
            Owning::Node(v) => v,
        }
    }
}

impl<V: JsonView> JsonView for Owning<'_, V> {
    fn member(&self, key: &str) -> Option<Self> {
        self.get().member(key).map(Owning::Node)
    }
    fn is_object(&self) -> bool {
        self.get().is_object()
    }
    fn is_string(&self) -> bool {
        self.get().is_string()
    }
    fn as_str(&self) -> Option<Cow<'_, str>> {
        self.get().as_str()
    }
    fn truthy(&self) -> bool {
        self.get().truthy()
    }
    fn text(&self) -> String {
        self.get().text()
    }
}

impl<V: JsonView> JsonText<'static> for Owning<'_, V> {
    fn text_cow(&self) -> Cow<'static, str> {
        Cow::Owned(self.get().text())
    }
}

/// A normalised event's distinct strings, borrowed from the body where they
/// are in it unchanged, and the [`Part`]s of the body still to fill in: what
/// [`plan_fields`] returns. [`EventFields::into_plan`] makes the owned
/// [`EventPlan`]; the event's other strings repeat these (see each field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFields<'a> {
    /// The detected payload version.
    pub version: WebhookVersion,
    /// `event.id`.
    pub id: Cow<'a, str>,
    /// `event.uuid`, also `event.metadata.uuid`.
    pub uuid: Cow<'a, str>,
    /// `event.metadata.id`.
    pub metadata_id: Cow<'a, str>,
    /// `event.user_id`, also `event.metadata.connected_account.user_id`.
    pub user_id: Cow<'a, str>,
    /// `event.toolkit_slug`, also `event.metadata.toolkit_slug`.
    pub toolkit_slug: Cow<'a, str>,
    /// `event.trigger_slug`, also `event.metadata.trigger_slug`.
    pub trigger_slug: Cow<'a, str>,
    /// `event.metadata.connected_account.id`.
    pub account_id: Cow<'a, str>,
    /// `event.metadata.connected_account.uuid`.
    pub account_uuid: Cow<'a, str>,
    /// `event.metadata.connected_account.auth_config_id`, also its
    /// `auth_config_uuid`.
    pub auth_config_id: Cow<'a, str>,
    /// `event.metadata.connected_account.status`.
    pub status: &'static str,
    /// What becomes `event.payload`.
    pub payload: Part,
    /// What becomes `event.original_payload` (`None`: it stays `None`).
    pub original_payload: Option<Part>,
}

impl EventFields<'_> {
    /// The owned plan: the event with every scalar field set (no trigger
    /// data or config), `payload` `null` and `original_payload` `Some(null)`
    /// exactly when [`Self::original_payload`] is `Some`.
    pub fn into_plan(self) -> EventPlan {
        let uuid = self.uuid.into_owned();
        let toolkit_slug = self.toolkit_slug.into_owned();
        let trigger_slug = self.trigger_slug.into_owned();
        let user_id = self.user_id.into_owned();
        let auth_config_id = self.auth_config_id.into_owned();
        let event = TriggerEvent {
            metadata: TriggerEventMetadata {
                id: self.metadata_id.into_owned(),
                uuid: uuid.clone(),
                toolkit_slug: toolkit_slug.clone(),
                trigger_slug: trigger_slug.clone(),
                trigger_data: None,
                trigger_config: Map::new(),
                connected_account: TriggerEventConnectedAccount {
                    id: self.account_id.into_owned(),
                    uuid: self.account_uuid.into_owned(),
                    auth_config_uuid: auth_config_id.clone(),
                    auth_config_id,
                    user_id: user_id.clone(),
                    status: self.status.to_owned(),
                },
            },
            id: self.id.into_owned(),
            uuid,
            user_id,
            toolkit_slug,
            trigger_slug,
            payload: Value::Null,
            original_payload: self.original_payload.is_some().then_some(Value::Null),
        };
        EventPlan {
            version: self.version,
            event,
            payload: self.payload,
            original_payload: self.original_payload,
        }
    }
}

/// Detects the version of a parsed body and plans its normalisation; see
/// [`parse_payload_as`](super::parse_payload_as) for the rules. Anything
/// that is no known version is an [`Error::WebhookPayload`].
///
/// [`plan_fields`] with the strings owned: the same rules, the same result.
pub fn plan_event<V: JsonView>(body: &V, flavor: Flavor) -> Result<EventPlan> {
    plan_fields(&Owning::Root(body), flavor).map(EventFields::into_plan)
}

/// [`plan_event`] without copying text: the event's strings are borrowed
/// from the body where they appear in it unchanged (so a V3 trigger message
/// whose strings have no escapes, over a view that lends its text, plans
/// without allocating). `plan_fields(body, f)?.into_plan()` is exactly
/// `plan_event(body, f)?`.
pub fn plan_fields<'a, V: JsonText<'a>>(body: &V, flavor: Flavor) -> Result<EventFields<'a>> {
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
fn text_of<'a, V: JsonText<'a>>(obj: &V, key: &str) -> Cow<'a, str> {
    obj.member(key).map(|v| v.text_cow()).unwrap_or(Cow::Borrowed(""))
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

/// `s.to_uppercase()`, still borrowed when that changes nothing.
fn upper(s: Cow<'_, str>) -> Cow<'_, str> {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_lowercase()) {
        return s;
    }
    Cow::Owned(s.to_uppercase())
}

/// The text before the first `_` of `s` (`None` when it has none), still
/// borrowed when `s` is.
fn before_underscore<'a>(s: &Cow<'a, str>) -> Option<Cow<'a, str>> {
    match s {
        Cow::Borrowed(b) => b.split_once('_').map(|(head, _)| Cow::Borrowed(head)),
        Cow::Owned(o) => o.split_once('_').map(|(head, _)| Cow::Owned(head.to_owned())),
    }
}

/// TypeScript's toolkit slug: the first `_` segment of the upper-cased slug.
fn first_segment_upper<'a>(slug: &Cow<'a, str>) -> Cow<'a, str> {
    let up = upper(slug.clone());
    before_underscore(&up).unwrap_or(up)
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

/// Every connected account the normaliser makes is `ACTIVE`.
fn active() -> &'static str {
    ConnectionStatus::Active.as_str()
}

fn plan_v3<'a, V: JsonText<'a>>(obj: &V, flavor: Flavor) -> EventFields<'a> {
    match v3_trigger_metadata(obj, flavor) {
        Some(m) => {
            let trigger_id = text_of(&m, "trigger_id");
            let trigger_slug = text_of(&m, "trigger_slug");
            let toolkit_slug = match (before_underscore(&trigger_slug), flavor) {
                (Some(head), _) => upper(head),
                (None, Flavor::Python) => Cow::Borrowed("UNKNOWN"),
                (None, Flavor::TypeScript) => upper(trigger_slug.clone()),
            };
            let account_id = text_of(&m, "connected_account_id");
            EventFields {
                version: WebhookVersion::V3,
                id: trigger_id.clone(),
                uuid: trigger_id.clone(),
                metadata_id: trigger_id,
                user_id: text_of(&m, "user_id"),
                toolkit_slug,
                trigger_slug,
                account_id: account_id.clone(),
                account_uuid: account_id,
                auth_config_id: text_of(&m, "auth_config_id"),
                status: active(),
                payload: Part::Member("data"),
                original_payload: (flavor == Flavor::TypeScript).then_some(Part::Member("data")),
            }
        }
        None => {
            let id = text_of(obj, "id");
            let original = match flavor {
                Flavor::Python => Part::Body,
                Flavor::TypeScript => Part::BodyOnly(&TS_V3_ENVELOPE_KEYS),
            };
            EventFields {
                version: WebhookVersion::V3,
                id: id.clone(),
                uuid: id.clone(),
                metadata_id: id,
                user_id: Cow::Borrowed(""),
                toolkit_slug: Cow::Borrowed("COMPOSIO"),
                trigger_slug: text_of(obj, "type"),
                account_id: Cow::Borrowed(""),
                account_uuid: Cow::Borrowed(""),
                auth_config_id: Cow::Borrowed(""),
                status: active(),
                payload: Part::Member("data"),
                original_payload: Some(original),
            }
        }
    }
}

fn plan_v2<'a, V: JsonText<'a>>(obj: &V, data: &V, flavor: Flavor) -> EventFields<'a> {
    let slug = match obj.member("type") {
        Some(kind) if kind.truthy() => upper(kind.text_cow()),
        _ => Cow::Borrowed(""),
    };
    let id = match (data.member("trigger_nano_id"), flavor) {
        (Some(v), _) => v.text_cow(),
        (None, Flavor::Python) => text_of(data, "trigger_id"),
        (None, Flavor::TypeScript) => Cow::Borrowed(""),
    };
    let payload = Part::MemberWithout("data", &V2_METADATA_KEYS);
    let (toolkit_slug, original_payload) = match flavor {
        Flavor::Python => (slug.clone(), None),
        Flavor::TypeScript => (first_segment_upper(&slug), Some(payload)),
    };
    EventFields {
        version: WebhookVersion::V2,
        id,
        uuid: text_of(data, "trigger_id"),
        metadata_id: text_of(data, "trigger_nano_id"),
        user_id: text_of(data, "user_id"),
        toolkit_slug,
        trigger_slug: slug,
        account_id: text_of(data, "connection_nano_id"),
        account_uuid: text_of(data, "connection_id"),
        auth_config_id: Cow::Borrowed(""),
        status: active(),
        payload,
        original_payload,
    }
}

fn plan_v1<'a, V: JsonText<'a>>(obj: &V, flavor: Flavor) -> EventFields<'a> {
    let trigger_id = text_of(obj, "trigger_id");
    let connection_id = text_of(obj, "connection_id");
    let trigger_name = text_of(obj, "trigger_name");
    let payload = Part::Member("payload");
    let (toolkit_slug, original_payload) = match flavor {
        Flavor::Python => (Cow::Borrowed(""), None),
        Flavor::TypeScript => (first_segment_upper(&trigger_name), Some(payload)),
    };
    EventFields {
        version: WebhookVersion::V1,
        id: trigger_id.clone(),
        uuid: trigger_id.clone(),
        metadata_id: trigger_id,
        user_id: Cow::Borrowed(""),
        toolkit_slug,
        trigger_slug: trigger_name,
        account_id: connection_id.clone(),
        account_uuid: connection_id,
        auth_config_id: Cow::Borrowed(""),
        status: active(),
        payload,
        original_payload,
    }
}
