//! Hot paths: webhook verification with cached verifiers and JSON text
//! decoded straight into Python objects. (`tools.get` conversion lives in
//! `tools_fast`.)

use std::borrow::Cow;
use std::fmt;
use std::sync::Mutex;

use crate::convert::{ser_to_py, to_py};
use composio_core::webhooks::{plan_event, EventPlan, JsonView, Part, WebhookVerifier};
use composio_core::Flavor;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// JSON text → Python objects in one pass (no intermediate
/// `serde_json::Value`). The result is exactly what parsing into a `Value`
/// and converting with [`crate::convert::to_py`] gives: the same numbers (`i64`/`u64` →
/// `int`, otherwise `float`), dict key order, and for duplicate keys the
/// first position with the last value. Short strings (keys, enum-like
/// values) are shared with earlier decodes through [`StrCache`]: `str` is
/// immutable, so this is invisible except to `is`.
pub fn json_text_to_py(py: Python<'_>, text: &str) -> Result<Py<PyAny>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    // `try_lock`: a decode re-entered from a finaliser on this thread runs
    // without the cache instead of waiting for itself.
    let mut guard = STR_CACHE.try_lock().ok();
    let mut strs = Strs { cache: guard.as_deref_mut() };
    let v = PySeed(py, &mut strs).deserialize(&mut de)?;
    de.end()?;
    Ok(v.unbind())
}

/// Slots of [`StrCache`] (a power of two) and the longest string it keeps.
const STR_CACHE_SLOTS: usize = 1024;
const STR_CACHE_MAX_LEN: usize = 24;

/// A direct-mapped cache of short Python strings made by earlier decodes
/// (a slot holds the last string that hashed to it).
struct StrCache {
    slots: Vec<Option<(Box<str>, Py<PyString>)>>,
}

static STR_CACHE: Mutex<StrCache> = Mutex::new(StrCache { slots: Vec::new() });

/// The string cache of one decode, if it could be taken.
struct Strs<'c> {
    cache: Option<&'c mut StrCache>,
}

impl Strs<'_> {
    fn get<'py>(&mut self, py: Python<'py>, s: &str) -> Bound<'py, PyString> {
        let Some(cache) = self.cache.as_deref_mut().filter(|_| s.len() <= STR_CACHE_MAX_LEN) else {
            return PyString::new(py, s);
        };
        if cache.slots.is_empty() {
            cache.slots.resize_with(STR_CACHE_SLOTS, || None);
        }
        // FNV-1a.
        let h = s
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        let slot = &mut cache.slots[(h as usize) & (STR_CACHE_SLOTS - 1)];
        if let Some((k, v)) = slot {
            if **k == *s {
                return v.bind(py).clone();
            }
        }
        let made = PyString::new(py, s);
        *slot = Some((s.into(), made.clone().unbind()));
        made
    }
}

/// An object key, borrowed from the text when it has no escapes (serde's
/// own `Cow` always copies).
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_owned()))
    }
}

struct PySeed<'m, 'c>(Python<'m>, &'m mut Strs<'c>);

impl<'m, 'c, 'de> DeserializeSeed<'de> for PySeed<'m, 'c> {
    type Value = Bound<'m, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(PyVisitor(self.0, self.1))
    }
}

struct PyVisitor<'m, 'c>(Python<'m>, &'m mut Strs<'c>);

fn py_err<E: serde::de::Error>(e: PyErr) -> E {
    E::custom(e)
}

impl<'m, 'c, 'de> Visitor<'de> for PyVisitor<'m, 'c> {
    type Value = Bound<'m, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.None().into_bound(self.0))
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.0, v).to_owned().into_any())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match v.into_pyobject(self.0) {
            Ok(o) => Ok(o.into_any()),
            Err(e) => match e {},
        }
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match v.into_pyobject(self.0) {
            Ok(o) => Ok(o.into_any()),
            Err(e) => match e {},
        }
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        match v.into_pyobject(self.0) {
            Ok(o) => Ok(o.into_any()),
            Err(e) => match e {},
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.1.get(self.0, v).into_any())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(item) = seq.next_element_seed(PySeed(self.0, &mut *self.1))? {
            list.append(item).map_err(py_err)?;
        }
        Ok(list.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let key = self.1.get(self.0, &key);
            let value = map.next_value_seed(PySeed(self.0, &mut *self.1))?;
            dict.set_item(key, value).map_err(py_err)?;
        }
        Ok(dict.into_any())
    }
}

/// A JSON decoding error as the `WebhookPayload` error the core reports.
pub fn payload_error(e: serde_json::Error) -> composio_core::Error {
    composio_core::webhooks::json_payload_error(e)
}

/// Verifies a webhook with the cached verifier for `(secret, tolerance)`
/// and returns `(version, payload, raw_payload)`.
///
/// The signature is checked over the raw text, the body is decoded once
/// straight into Python objects (`raw_payload`), and the engine's
/// normalisation plan ([`plan_event`] over those objects) builds `payload`
/// from the same objects: the event data is shared with `raw_payload`, as
/// the official SDK shares it, not copied.
#[allow(clippy::too_many_arguments)]
pub fn verify_webhook(
    py: Python<'_>,
    id: &str,
    payload: &str,
    secret: &str,
    signature: &str,
    timestamp: &str,
    tolerance: i64,
    now: Option<i64>,
) -> PyResult<(&'static str, Py<PyAny>, Py<PyAny>)> {
    let verifier = WebhookVerifier::cached(secret, tolerance, Flavor::Python);
    match now {
        Some(n) => verifier.check_at(id, payload, signature, timestamp, n),
        None => verifier.check(id, payload, signature, timestamp),
    }
    .map_err(|e| crate::errors::to_pyerr(py, e))?;
    let raw = json_text_to_py(py, payload).map_err(|e| crate::errors::to_pyerr(py, payload_error(e)))?;
    let raw = raw.into_bound(py);
    let plan =
        plan_event(&PyNode(raw.clone()), Flavor::Python).map_err(|e| crate::errors::to_pyerr(py, e))?;
    let event = event_to_py(py, &plan, &raw)?;
    Ok((plan.version.as_str(), event, raw.unbind()))
}

/// A Python object decoded from JSON (`dict`, `list`, `str`, `int`,
/// `float`, `bool`, `None`), read by the engine's normaliser.
struct PyNode<'py>(Bound<'py, PyAny>);

impl<'py> JsonView for PyNode<'py> {
    fn member(&self, key: &str) -> Option<Self> {
        let dict = self.0.cast::<PyDict>().ok()?;
        dict.get_item(key).ok().flatten().map(PyNode)
    }
    fn is_object(&self) -> bool {
        self.0.is_instance_of::<PyDict>()
    }
    fn is_string(&self) -> bool {
        self.0.is_instance_of::<PyString>()
    }
    fn as_str(&self) -> Option<Cow<'_, str>> {
        self.0.cast::<PyString>().ok().and_then(|s| s.to_cow().ok()).map(|c| Cow::Owned(c.into_owned()))
    }
    fn truthy(&self) -> bool {
        self.0.is_truthy().unwrap_or(false)
    }
    fn text(&self) -> String {
        if let Ok(s) = self.0.cast::<PyString>() {
            if let Ok(c) = s.to_cow() {
                return c.into_owned();
            }
        }
        // Numbers, booleans, null and containers print as the engine prints
        // the same JSON value (the objects came from serde_json's parser).
        match crate::convert::from_py(&self.0) {
            Ok(v) => JsonView::text(&&v),
            Err(_) => self.0.str().map(|s| s.to_string()).unwrap_or_default(),
        }
    }
}

/// A [`Part`] of the decoded body: shared when taken unchanged, a new dict
/// otherwise.
fn part_to_py<'py>(py: Python<'py>, part: Part, raw: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let member = |key: &str| -> PyResult<Option<Bound<'py, PyAny>>> {
        match raw.cast::<PyDict>() {
            Ok(d) => d.get_item(key),
            Err(_) => Ok(None),
        }
    };
    Ok(match part {
        Part::Body => raw.clone(),
        Part::Member(key) => member(key)?.unwrap_or_else(|| py.None().into_bound(py)),
        Part::MemberWithout(key, omit) => match member(key)? {
            Some(m) => match m.cast::<PyDict>() {
                Ok(d) => {
                    let out = PyDict::new(py);
                    for (k, v) in d.iter() {
                        let skip = match k.cast::<PyString>() {
                            Ok(ks) => omit.iter().any(|o| ks.to_cow().is_ok_and(|c| c == *o)),
                            Err(_) => false,
                        };
                        if !skip {
                            out.set_item(k, v)?;
                        }
                    }
                    out.into_any()
                }
                Err(_) => py.None().into_bound(py),
            },
            None => py.None().into_bound(py),
        },
        Part::BodyOnly(keys) => {
            let out = PyDict::new(py);
            for k in keys {
                if let Some(v) = member(k)? {
                    out.set_item(*k, v)?;
                }
            }
            out.into_any()
        }
    })
}

/// The normalised event as the dict `TriggerEvent` serialises to (same
/// keys, same order), its `payload`/`original_payload` taken from `raw`.
fn event_to_py<'py>(py: Python<'py>, plan: &EventPlan, raw: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
    let e = &plan.event;
    let m = &e.metadata;
    let a = &m.connected_account;
    let account = PyDict::new(py);
    account.set_item(intern!(py, "id"), a.id.as_str())?;
    account.set_item(intern!(py, "uuid"), a.uuid.as_str())?;
    account.set_item(intern!(py, "auth_config_id"), a.auth_config_id.as_str())?;
    account.set_item(intern!(py, "auth_config_uuid"), a.auth_config_uuid.as_str())?;
    account.set_item(intern!(py, "user_id"), a.user_id.as_str())?;
    account.set_item(intern!(py, "status"), a.status.as_str())?;
    let meta = PyDict::new(py);
    meta.set_item(intern!(py, "id"), m.id.as_str())?;
    meta.set_item(intern!(py, "uuid"), m.uuid.as_str())?;
    meta.set_item(intern!(py, "toolkit_slug"), m.toolkit_slug.as_str())?;
    meta.set_item(intern!(py, "trigger_slug"), m.trigger_slug.as_str())?;
    match &m.trigger_data {
        Some(d) => meta.set_item(intern!(py, "trigger_data"), to_py(py, d)?)?,
        None => meta.set_item(intern!(py, "trigger_data"), py.None())?,
    }
    meta.set_item(intern!(py, "trigger_config"), ser_to_py(py, &m.trigger_config)?)?;
    meta.set_item(intern!(py, "connected_account"), account)?;
    let out = PyDict::new(py);
    out.set_item(intern!(py, "id"), e.id.as_str())?;
    out.set_item(intern!(py, "uuid"), e.uuid.as_str())?;
    out.set_item(intern!(py, "user_id"), e.user_id.as_str())?;
    out.set_item(intern!(py, "toolkit_slug"), e.toolkit_slug.as_str())?;
    out.set_item(intern!(py, "trigger_slug"), e.trigger_slug.as_str())?;
    out.set_item(intern!(py, "payload"), part_to_py(py, plan.payload, raw)?)?;
    match plan.original_payload {
        Some(p) => out.set_item(intern!(py, "original_payload"), part_to_py(py, p, raw)?)?,
        None => out.set_item(intern!(py, "original_payload"), py.None())?,
    }
    out.set_item(intern!(py, "metadata"), meta)?;
    Ok(out.into_any().unbind())
}
