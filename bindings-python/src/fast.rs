//! Hot paths: webhook verification with cached verifiers and JSON text
//! decoded straight into Python objects. (`tools.get` conversion lives in
//! `tools_fast`.)

use std::fmt;
use std::sync::{Arc, Mutex};

use composio_core::webhooks::WebhookVerifier;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// How many `(secret, tolerance)` verifiers are kept (most recently used).
const VERIFIER_CACHE: usize = 8;

struct CachedVerifier {
    secret: Box<str>,
    tolerance: i64,
    verifier: Arc<WebhookVerifier>,
}

static VERIFIERS: Mutex<Vec<CachedVerifier>> = Mutex::new(Vec::new());

/// The verifier for this secret and tolerance: reused from a small
/// most-recently-used cache, so the HMAC key is not rebuilt per call.
pub fn verifier(secret: &str, tolerance: i64) -> Arc<WebhookVerifier> {
    let mut cache = VERIFIERS.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(pos) = cache.iter().position(|e| e.tolerance == tolerance && *e.secret == *secret) {
        let hit = cache.remove(pos);
        let v = hit.verifier.clone();
        cache.push(hit);
        return v;
    }
    let v = Arc::new(WebhookVerifier::new(secret).with_tolerance(tolerance));
    if cache.len() >= VERIFIER_CACHE {
        cache.remove(0);
    }
    cache.push(CachedVerifier { secret: secret.into(), tolerance, verifier: v.clone() });
    v
}

/// JSON text → Python objects in one pass (no intermediate
/// `serde_json::Value`). The result is exactly what parsing into a `Value`
/// and converting with [`crate::convert::to_py`] gives: the same numbers (`i64`/`u64` →
/// `int`, otherwise `float`), dict key order, and for duplicate keys the
/// first position with the last value.
pub fn json_text_to_py(py: Python<'_>, text: &str) -> Result<Py<PyAny>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = PySeed(py).deserialize(&mut de)?;
    de.end()?;
    Ok(v.unbind())
}

struct PySeed<'py>(Python<'py>);

impl<'de, 'py> DeserializeSeed<'de> for PySeed<'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(PyVisitor(self.0))
    }
}

struct PyVisitor<'py>(Python<'py>);

fn py_err<E: serde::de::Error>(e: PyErr) -> E {
    E::custom(e)
}

impl<'de, 'py> Visitor<'de> for PyVisitor<'py> {
    type Value = Bound<'py, PyAny>;

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
        Ok(PyString::new(self.0, v).into_any())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(item) = seq.next_element_seed(PySeed(self.0))? {
            list.append(item).map_err(py_err)?;
        }
        Ok(list.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let value = map.next_value_seed(PySeed(self.0))?;
            dict.set_item(PyString::new(self.0, &key), value).map_err(py_err)?;
        }
        Ok(dict.into_any())
    }
}

/// Any serialisable engine value → Python through compact JSON text and
/// [`json_text_to_py`]: the same objects as [`crate::convert::ser_to_py`] without building
/// an intermediate `serde_json::Value` (no per-object hash maps).
pub fn ser_text_to_py<T: serde::Serialize>(py: Python<'_>, v: &T) -> PyResult<Py<PyAny>> {
    let internal = |e: serde_json::Error| {
        crate::errors::to_pyerr(
            py,
            composio_core::Error::internal(format!("could not serialise a result: {e}")),
        )
    };
    let text = serde_json::to_string(v).map_err(internal)?;
    json_text_to_py(py, &text).map_err(internal)
}

/// A JSON decoding error as the `WebhookPayload` error the core reports.
pub fn payload_error(e: serde_json::Error) -> composio_core::Error {
    composio_core::Error::WebhookPayload {
        message: format!("Failed to parse webhook payload as JSON: {}", e),
    }
}
