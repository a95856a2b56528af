//! Hot paths: webhook verification with cached verifiers, the body
//! decoded straight into Python objects ([`crate::json_py`]) and the
//! finished `VerifiedWebhook` built here. (`tools.get` conversion lives in
//! `tools_fast`.)

use std::borrow::Cow;

use crate::json_py::{borrow_str, decode_with_shadow, Decoded, Shadow, Strs, STR_CACHE};
use composio_core::webhooks::{plan_fields, EventFields, JsonText, JsonView, Part, WebhookVerifier};
use composio_core::Flavor;
use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyCFunction, PyDict, PyModule, PyString, PyTuple, PyType};

/// A JSON decoding error as the `WebhookPayload` error the core reports.
pub fn payload_error(e: serde_json::Error) -> composio_core::Error {
    composio_core::webhooks::json_payload_error(e)
}

/// Verifies a webhook with the cached verifier for `(secret, tolerance)`
/// and returns `(version, payload, raw_payload)` (`payload` a plain dict).
///
/// The signature is checked over the raw text, the body is decoded once
/// straight into Python objects (`raw_payload`), and the engine's
/// normalisation plan ([`plan_fields`], its strings borrowed from the
/// decoder's shadow of the top levels) builds `payload` from the same
/// objects: the event data is shared with `raw_payload`, as the official SDK
/// shares it, not copied.
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
    let v = verified(py, id, payload, secret, signature, timestamp, tolerance, now, None)?;
    Ok((v.version, v.event.into_any().unbind(), v.raw.unbind()))
}

/// Verifies a webhook like [`verify_webhook`] and returns the finished
/// `composio_rs.webhooks.VerifiedWebhook` (its `payload` a `WebhookEvent`,
/// its `version` the `WebhookVersion` member). Every call builds new objects.
#[pyfunction]
#[pyo3(signature = (id, payload, secret, signature, timestamp, tolerance=300, now=None))]
pub fn verify_webhook_event(
    py: Python<'_>,
    id: &Bound<'_, PyString>,
    payload: &Bound<'_, PyString>,
    secret: &Bound<'_, PyString>,
    signature: &Bound<'_, PyString>,
    timestamp: &Bound<'_, PyString>,
    tolerance: i64,
    now: Option<i64>,
) -> PyResult<Py<PyAny>> {
    verify_event(py, id, payload, secret, signature, timestamp, tolerance, now)
}

/// [`verify_webhook_event`]'s work.
fn verify_event(
    py: Python<'_>,
    id: &Bound<'_, PyString>,
    payload: &Bound<'_, PyString>,
    secret: &Bound<'_, PyString>,
    signature: &Bound<'_, PyString>,
    timestamp: &Bound<'_, PyString>,
    tolerance: i64,
    now: Option<i64>,
) -> PyResult<Py<PyAny>> {
    let (id, payload, secret) = (borrow_str(id)?, borrow_str(payload)?, borrow_str(secret)?);
    let (signature, timestamp) = (borrow_str(signature)?, borrow_str(timestamp)?);
    let classes = classes(py)?;
    let v = verified(py, id, payload, secret, signature, timestamp, tolerance, now, Some(classes))?;
    let out = new_dict(py, classes.verified.bind(py))?;
    let version = match v.version {
        "V1" => &classes.versions[0],
        "V2" => &classes.versions[1],
        _ => &classes.versions[2],
    };
    set(&out, intern!(py, "version"), version.bind(py))?;
    set(&out, intern!(py, "payload"), &v.event)?;
    set(&out, intern!(py, "raw_payload"), &v.raw)?;
    Ok(out.into_any().unbind())
}

/// The keyword-only parameters of [`verify_webhook_kw`], in order.
const KW_NAMES: [&str; 6] = ["id", "payload", "secret", "signature", "timestamp", "tolerance"];

/// `verify_webhook(*, id, payload, secret, signature, timestamp,
/// tolerance=300)`: [`verify_webhook_event`] with the keyword-only signature
/// of `Triggers.verify_webhook`, which is this function itself (a
/// `staticmethod`), so a call makes no Python frame. Its arguments are read
/// straight from the keyword dict (names compared by identity with the
/// interned parameter names first), where pyo3's keyword parsing under the
/// 3.9 limited API copies every keyword name into a new `bytes`.
fn verify_webhook_kw<'py, 'k>(
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'k, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let py = args.py();
    if !args.is_empty() {
        return Err(PyTypeError::new_err(format!(
            "verify_webhook() takes 0 positional arguments but {} were given",
            args.len()
        )));
    }
    let names = [
        intern!(py, "id"),
        intern!(py, "payload"),
        intern!(py, "secret"),
        intern!(py, "signature"),
        intern!(py, "timestamp"),
        intern!(py, "tolerance"),
    ];
    let mut given: [Option<Bound<'py, PyAny>>; 6] = Default::default();
    if let Some(kwargs) = kwargs {
        let mut pos: ffi::Py_ssize_t = 0;
        let mut key: *mut ffi::PyObject = std::ptr::null_mut();
        let mut value: *mut ffi::PyObject = std::ptr::null_mut();
        // SAFETY: `kwargs` is a dict, not changed while it is walked (only
        // borrowed references are read, each taken as a new reference).
        #[allow(unsafe_code)]
        while unsafe { ffi::PyDict_Next(kwargs.as_ptr(), &mut pos, &mut key, &mut value) } != 0 {
            // SAFETY: borrowed references from the dict, valid here.
            #[allow(unsafe_code)]
            let (key, value) =
                unsafe { (Bound::from_borrowed_ptr(py, key), Bound::from_borrowed_ptr(py, value)) };
            let slot = match names.iter().position(|n| n.as_ptr() == key.as_ptr()) {
                Some(i) => i,
                None => {
                    let name = key
                        .cast::<PyString>()
                        .map_err(|_| PyTypeError::new_err("keywords must be strings"))?
                        .to_cow()?;
                    KW_NAMES.iter().position(|n| *n == name).ok_or_else(|| {
                        PyTypeError::new_err(format!(
                            "verify_webhook() got an unexpected keyword argument '{name}'"
                        ))
                    })?
                }
            };
            given[slot] = Some(value);
        }
    }
    let [id, payload, secret, signature, timestamp, tolerance] = given;
    let missing: Vec<String> = [&id, &payload, &secret, &signature, &timestamp]
        .iter()
        .zip(KW_NAMES)
        .filter(|(v, _)| v.is_none())
        .map(|(_, n)| format!("'{n}'"))
        .collect();
    let text = |v: Option<Bound<'py, PyAny>>, name: &str| -> PyResult<Bound<'py, PyString>> {
        match v {
            Some(v) => v.cast_into::<PyString>().map_err(|e| {
                PyTypeError::new_err(format!("argument '{name}': {}", PyErr::from(e).value(py)))
            }),
            None => Err(PyTypeError::new_err(format!(
                "verify_webhook() missing {} required keyword-only argument{}: {}",
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ))),
        }
    };
    let (id, payload, secret) = (text(id, "id")?, text(payload, "payload")?, text(secret, "secret")?);
    let (signature, timestamp) = (text(signature, "signature")?, text(timestamp, "timestamp")?);
    let tolerance = match tolerance {
        Some(t) => t
            .extract::<i64>()
            .map_err(|e| PyTypeError::new_err(format!("argument 'tolerance': {}", e.value(py))))?,
        None => 300,
    };
    verify_event(py, &id, &payload, &secret, &signature, &timestamp, tolerance, None)
}

/// Adds `verify_webhook_kw` (see [`verify_webhook_kw`]) to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let f = PyCFunction::new_closure(
        m.py(),
        Some(c"verify_webhook"),
        Some(
            c"verify_webhook(*, id, payload, secret, signature, timestamp, tolerance=300)\n--\n\n\
Verifies a webhook delivery (CPU only, never blocks on I/O) and returns the\n\
VerifiedWebhook: the signature over the raw text first, then the body decoded\n\
and normalised. Raises WebhookSignatureVerificationError or\n\
WebhookPayloadError.",
        ),
        verify_webhook_kw,
    )?;
    m.add("verify_webhook_kw", f)
}

/// The Python classes a verified webhook is made of (looked up once).
struct Classes {
    verified: Py<PyType>,
    event: Py<PyType>,
    /// `WebhookVersion.V1`, `.V2`, `.V3`.
    versions: [Py<PyAny>; 3],
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&'static Classes> {
    CLASSES.get_or_try_init(py, || {
        let m = py.import("composio_rs.webhooks")?;
        let dict_class = |name: &str| -> PyResult<Py<PyType>> {
            let t = m.getattr(name)?.cast_into::<PyType>().map_err(PyErr::from)?;
            if !t.is_subclass_of::<PyDict>()? {
                return Err(PyTypeError::new_err(format!(
                    "composio_rs.webhooks.{name} must be a dict subclass"
                )));
            }
            Ok(t.unbind())
        };
        let version = m.getattr("WebhookVersion")?;
        Ok(Classes {
            verified: dict_class("VerifiedWebhook")?,
            event: dict_class("WebhookEvent")?,
            versions: [
                version.getattr("V1")?.unbind(),
                version.getattr("V2")?.unbind(),
                version.getattr("V3")?.unbind(),
            ],
        })
    })
}

#[allow(unsafe_code)] // the C API: `tp_new` of a dict subclass
/// A new, empty instance of a `dict` subclass, made by the class's
/// `__new__` slot alone (its `__init__` is not run).
fn new_dict<'py>(py: Python<'py>, class: &Bound<'py, PyType>) -> PyResult<Bound<'py, PyDict>> {
    // SAFETY: `class` is a heap type (a Python class) whose `tp_new` slot is
    // `dict`'s (checked to be a dict subclass when looked up), called with an
    // empty argument tuple; the result is a new reference or NULL with an
    // exception set.
    let obj = unsafe {
        let slot = ffi::PyType_GetSlot(class.as_type_ptr(), ffi::Py_tp_new);
        if slot.is_null() {
            return Err(PyTypeError::new_err("the class has no __new__"));
        }
        let tp_new: ffi::newfunc = std::mem::transmute::<*mut std::ffi::c_void, ffi::newfunc>(slot);
        let args = PyTuple::empty(py);
        Bound::from_owned_ptr_or_err(py, tp_new(class.as_type_ptr(), args.as_ptr(), std::ptr::null_mut()))?
    };
    obj.cast_into::<PyDict>().map_err(PyErr::from)
}

/// `dict[key] = value` without going through `__setitem__`.
#[allow(unsafe_code)] // the C API: `PyDict_SetItem`
#[inline]
fn set<K, V>(d: &Bound<'_, PyDict>, key: &Bound<'_, K>, value: &Bound<'_, V>) -> PyResult<()> {
    // SAFETY: valid objects; `PyDict_SetItem` takes its own references.
    if unsafe { ffi::PyDict_SetItem(d.as_ptr(), key.as_ptr(), value.as_ptr()) } != 0 {
        return Err(PyErr::fetch(d.py()));
    }
    Ok(())
}

/// A verified, decoded and normalised webhook.
struct Verified<'py> {
    version: &'static str,
    event: Bound<'py, PyDict>,
    raw: Bound<'py, PyAny>,
}

#[allow(clippy::too_many_arguments)]
fn verified<'py>(
    py: Python<'py>,
    id: &str,
    payload: &str,
    secret: &str,
    signature: &str,
    timestamp: &str,
    tolerance: i64,
    now: Option<i64>,
    classes: Option<&Classes>,
) -> PyResult<Verified<'py>> {
    let verifier = WebhookVerifier::cached(secret, tolerance, Flavor::Python);
    match now {
        Some(n) => verifier.check_at(id, payload, signature, timestamp, n),
        None => verifier.check(id, payload, signature, timestamp),
    }
    .map_err(|e| crate::errors::to_pyerr(py, e))?;
    // `try_lock`: a decode re-entered from a finaliser on this thread runs
    // without the cache instead of waiting for itself.
    let mut guard = STR_CACHE.try_lock().ok();
    let mut strs = Strs::new(guard.as_deref_mut());
    let mut shadow = Shadow::default();
    let decoded = decode_with_shadow(py, payload, &mut strs, Some(&mut shadow))?
        .map_err(|e| crate::errors::to_pyerr(py, payload_error(e)))?;
    let (raw, plan) = match decoded {
        Decoded::Fast(raw) => {
            let plan = plan_fields(&View::Kept(&shadow, 0), Flavor::Python);
            (raw, plan)
        }
        Decoded::Exact(raw) => {
            let plan = plan_fields(&View::Py(raw.clone()), Flavor::Python);
            (raw, plan)
        }
    };
    let plan = plan.map_err(|e| crate::errors::to_pyerr(py, e))?;
    let event = match classes {
        Some(c) => new_dict(py, c.event.bind(py))?,
        None => PyDict::new(py),
    };
    fill_event(py, &event, &plan, &raw, &mut strs)?;
    Ok(Verified { version: plan.version.as_str(), event, raw })
}

/// A value of the decoded body as the engine's normaliser reads it: from
/// the decoder's [`Shadow`] (the top levels, with their strings' text) or
/// from the Python objects.
enum View<'s, 'py, 't> {
    Kept(&'s Shadow<'py, 't>, u32),
    Py(Bound<'py, PyAny>),
}

impl<'py> View<'_, 'py, '_> {
    fn py_node(&self) -> Option<PyNode<'py>> {
        match self {
            View::Kept(sh, n) => sh.nodes.get(*n as usize).and_then(|n| n.obj.clone()).map(PyNode),
            View::Py(o) => Some(PyNode(o.clone())),
        }
    }
}

impl<'s, 'py, 't> JsonView for View<'s, 'py, 't> {
    fn member(&self, key: &str) -> Option<Self> {
        if let View::Kept(sh, n) = self {
            if let Some(found) = sh.member(*n, key) {
                return found.map(|c| View::Kept(sh, c));
            }
        }
        self.py_node()?.member(key).map(|p| View::Py(p.0))
    }
    fn is_object(&self) -> bool {
        match self {
            View::Kept(sh, n) => sh.nodes.get(*n as usize).is_some_and(|n| n.is_object),
            View::Py(o) => o.is_instance_of::<PyDict>(),
        }
    }
    fn is_string(&self) -> bool {
        match self {
            View::Kept(sh, n) => sh.nodes.get(*n as usize).is_some_and(|n| n.text.is_some()),
            View::Py(o) => o.is_instance_of::<PyString>(),
        }
    }
    fn as_str(&self) -> Option<Cow<'_, str>> {
        match self {
            View::Kept(sh, n) => sh.nodes.get(*n as usize)?.text.as_deref().map(Cow::Borrowed),
            View::Py(o) => PyNode(o.clone()).as_str().map(|c| Cow::Owned(c.into_owned())),
        }
    }
    fn truthy(&self) -> bool {
        if let View::Kept(sh, n) = self {
            if let Some(t) = sh.nodes.get(*n as usize).and_then(|n| n.text.as_deref()) {
                return !t.is_empty();
            }
        }
        self.py_node().is_some_and(|p| p.truthy())
    }
    fn text(&self) -> String {
        if let View::Kept(sh, n) = self {
            if let Some(t) = sh.nodes.get(*n as usize).and_then(|n| n.text.as_deref()) {
                return t.to_owned();
            }
        }
        self.py_node().map(|p| p.text()).unwrap_or_default()
    }
}

impl<'s, 'py, 't> JsonText<'s> for View<'s, 'py, 't> {
    fn text_cow(&self) -> Cow<'s, str> {
        if let View::Kept(sh, n) = *self {
            if let Some(t) = sh.nodes.get(n as usize).and_then(|n| n.text.as_deref()) {
                return Cow::Borrowed(t);
            }
        }
        Cow::Owned(self.text())
    }
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
fn part_to_py<'py>(
    py: Python<'py>,
    part: Part,
    raw: &Bound<'py, PyAny>,
    strs: &mut Strs<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    // The key from the string cache: the body's own key object, its hash
    // already computed.
    let mut member = |key: &str| -> PyResult<Option<Bound<'py, PyAny>>> {
        match raw.cast::<PyDict>() {
            Ok(d) => d.get_item(strs.get(py, key)?),
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

/// Dicts with the keys of the event's dicts in order (values `None`): a
/// fresh dict takes a copy of one (CPython copies a template's key table
/// whole when the target is empty) and then has every value replaced, which
/// keeps the key order and skips the growth of a dict built key by key.
struct Templates {
    account: Py<PyDict>,
    meta: Py<PyDict>,
    event: Py<PyDict>,
}

static TEMPLATES: PyOnceLock<Templates> = PyOnceLock::new();

fn templates(py: Python<'_>) -> PyResult<&'static Templates> {
    TEMPLATES.get_or_try_init(py, || {
        let make = |keys: &[&Bound<'_, PyString>]| -> PyResult<Py<PyDict>> {
            let d = PyDict::new(py);
            for k in keys {
                set(&d, k, &py.None().into_bound(py))?;
            }
            Ok(d.unbind())
        };
        Ok(Templates {
            account: make(&[
                intern!(py, "id"),
                intern!(py, "uuid"),
                intern!(py, "auth_config_id"),
                intern!(py, "auth_config_uuid"),
                intern!(py, "user_id"),
                intern!(py, "status"),
            ])?,
            meta: make(&[
                intern!(py, "id"),
                intern!(py, "uuid"),
                intern!(py, "toolkit_slug"),
                intern!(py, "trigger_slug"),
                intern!(py, "trigger_data"),
                intern!(py, "trigger_config"),
                intern!(py, "connected_account"),
            ])?,
            event: make(&[
                intern!(py, "id"),
                intern!(py, "uuid"),
                intern!(py, "user_id"),
                intern!(py, "toolkit_slug"),
                intern!(py, "trigger_slug"),
                intern!(py, "payload"),
                intern!(py, "original_payload"),
                intern!(py, "metadata"),
            ])?,
        })
    })
}

/// Gives the empty dict `d` the keys of `template` (values `None`), in
/// order.
#[allow(unsafe_code)] // the C API: `PyDict_Update`
fn prefill(d: &Bound<'_, PyDict>, template: &Py<PyDict>) -> PyResult<()> {
    // SAFETY: two valid dicts; `PyDict_Update` takes its own references.
    if unsafe { ffi::PyDict_Update(d.as_ptr(), template.as_ptr()) } != 0 {
        return Err(PyErr::fetch(d.py()));
    }
    Ok(())
}

/// Fills `out` with the normalised event as the dict `TriggerEvent`
/// serialises to (same keys, same order), its `payload`/`original_payload`
/// taken from `raw`; short strings come from the decoder's string cache, and
/// a string the event repeats is made once.
fn fill_event<'py>(
    py: Python<'py>,
    out: &Bound<'py, PyDict>,
    f: &EventFields<'_>,
    raw: &Bound<'py, PyAny>,
    strs: &mut Strs<'_>,
) -> PyResult<()> {
    let templates = templates(py)?;
    let mut s = |v: &str| strs.get(py, v);
    let id = s(&f.id)?;
    let uuid = if f.uuid == f.id { id.clone() } else { s(&f.uuid)? };
    let metadata_id = if f.metadata_id == f.id { id.clone() } else { s(&f.metadata_id)? };
    let user_id = s(&f.user_id)?;
    let toolkit_slug = s(&f.toolkit_slug)?;
    let trigger_slug = s(&f.trigger_slug)?;
    let account_id = s(&f.account_id)?;
    let account_uuid = if f.account_uuid == f.account_id { account_id.clone() } else { s(&f.account_uuid)? };
    let auth_config_id = s(&f.auth_config_id)?;
    // Every key of each template is set below (`trigger_data` stays `None`).
    let account = PyDict::new(py);
    prefill(&account, &templates.account)?;
    set(&account, intern!(py, "id"), &account_id)?;
    set(&account, intern!(py, "uuid"), &account_uuid)?;
    set(&account, intern!(py, "auth_config_id"), &auth_config_id)?;
    set(&account, intern!(py, "auth_config_uuid"), &auth_config_id)?;
    set(&account, intern!(py, "user_id"), &user_id)?;
    set(&account, intern!(py, "status"), &s(f.status)?)?;
    let meta = PyDict::new(py);
    prefill(&meta, &templates.meta)?;
    set(&meta, intern!(py, "id"), &metadata_id)?;
    set(&meta, intern!(py, "uuid"), &uuid)?;
    set(&meta, intern!(py, "toolkit_slug"), &toolkit_slug)?;
    set(&meta, intern!(py, "trigger_slug"), &trigger_slug)?;
    // The normaliser sets no trigger data (the template's `None`) or config.
    set(&meta, intern!(py, "trigger_config"), &PyDict::new(py))?;
    set(&meta, intern!(py, "connected_account"), &account)?;
    prefill(out, &templates.event)?;
    set(out, intern!(py, "id"), &id)?;
    set(out, intern!(py, "uuid"), &uuid)?;
    set(out, intern!(py, "user_id"), &user_id)?;
    set(out, intern!(py, "toolkit_slug"), &toolkit_slug)?;
    set(out, intern!(py, "trigger_slug"), &trigger_slug)?;
    set(out, intern!(py, "payload"), &part_to_py(py, f.payload, raw, strs)?)?;
    match f.original_payload {
        Some(p) => set(out, intern!(py, "original_payload"), &part_to_py(py, p, raw, strs)?)?,
        None => set(out, intern!(py, "original_payload"), &py.None().into_bound(py))?,
    }
    set(out, intern!(py, "metadata"), &meta)?;
    Ok(())
}
