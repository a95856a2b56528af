//! `tools.get` into Python objects, fast.
//!
//! * Cold: each tool is formatted by the core and converted on its own
//!   (equal short strings shared through [`StrMemo`]), so at most one
//!   formatted copy exists at a time.
//! * Warm: when the core answers a query from its cache of pinned toolkit
//!   versions ([`ToolList::is_cached`]), the same shared list comes back.
//!   The Python objects made for it the first time are kept as a private
//!   template (per list, provider and raw/formatted), and every call returns
//!   a fresh copy of the template's dicts and lists that shares its strings,
//!   numbers and `None`s (immutable, so sharing is invisible). No schema is
//!   formatted or converted again, and a result costs only its containers.
//!
//! The cyclic garbage collector is paused while a large result is built
//! (thousands of new dicts would otherwise trigger collections that walk
//! every object in the process) and restored to its previous state after.

use std::collections::HashMap;
use std::sync::Mutex;

use composio_core::models::Tool;
use composio_core::providers::{self, Flavor, Provider};
use composio_core::tools::{CachedListKey, ToolList};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};

use crate::convert::{ser_to_py, to_py};

/// How many templates are kept (most recently used). Entries whose list the
/// core no longer caches are dropped first.
const TEMPLATES: usize = 8;

/// Results with fewer tools are built without pausing the collector.
const GC_PAUSE_MIN_TOOLS: usize = 64;

struct Template {
    key: CachedListKey,
    provider: Provider,
    raw: bool,
    objects: Py<PyList>,
}

static CACHE: Mutex<Vec<Template>> = Mutex::new(Vec::new());

/// Strings already made during one conversion, shared by later equal
/// strings (Python `str` is immutable, so sharing is invisible; `json.loads`
/// shares dict keys the same way). Only short strings are kept.
#[derive(Default)]
pub struct StrMemo {
    seen: HashMap<Box<str>, Py<PyString>>,
}

/// Longest string (in bytes) [`StrMemo`] keeps.
const MEMO_MAX_LEN: usize = 48;

impl StrMemo {
    fn get(&mut self, py: Python<'_>, s: &str) -> Py<PyString> {
        if s.len() > MEMO_MAX_LEN {
            return PyString::new(py, s).unbind();
        }
        if let Some(hit) = self.seen.get(s) {
            return hit.clone_ref(py);
        }
        let made = PyString::new(py, s).unbind();
        self.seen.insert(s.into(), made.clone_ref(py));
        made
    }
}

/// [`to_py`] with equal short strings (dict keys, enum values, type names)
/// shared through `memo`: the same Python values, far fewer objects for
/// large, repetitive schemas.
pub fn to_py_memo(py: Python<'_>, v: &serde_json::Value, memo: &mut StrMemo) -> PyResult<Py<PyAny>> {
    use serde_json::Value;
    Ok(match v {
        Value::String(s) => memo.get(py, s).into_any(),
        Value::Array(a) => {
            let mut items = Vec::with_capacity(a.len());
            for item in a {
                items.push(to_py_memo(py, item, memo)?);
            }
            PyList::new(py, items)?.into_any().unbind()
        }
        Value::Object(o) => {
            let d = PyDict::new(py);
            for (k, item) in o {
                d.set_item(memo.get(py, k), to_py_memo(py, item, memo)?)?;
            }
            d.into_any().unbind()
        }
        other => to_py(py, other)?,
    })
}

/// A fresh copy of every dict and list in `obj` (exact `dict`/`list`
/// only, which is all the converters make); everything else is shared.
fn copy_containers<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    if let Ok(d) = obj.cast_exact::<PyDict>() {
        // `dict.copy()` clones the key table in one go; only nested
        // containers are then replaced by their copies.
        let out = d.copy()?;
        for (k, v) in d.iter() {
            if is_container(&v) {
                out.set_item(k, copy_containers(&v)?)?;
            }
        }
        return Ok(out.into_any());
    }
    if let Ok(l) = obj.cast_exact::<PyList>() {
        let mut items = Vec::with_capacity(l.len());
        for v in l.iter() {
            items.push(if is_container(&v) { copy_containers(&v)? } else { v });
        }
        return Ok(PyList::new(py, items)?.into_any());
    }
    Ok(obj.clone())
}

fn is_container(v: &Bound<'_, PyAny>) -> bool {
    v.is_exact_instance_of::<PyDict>() || v.is_exact_instance_of::<PyList>()
}

/// Runs `f` with the cyclic collector paused when `big` (restored to its
/// previous state afterwards, also on error).
fn with_gc_paused<T>(py: Python<'_>, big: bool, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    static GC: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    if !big {
        return f();
    }
    let gc = GC.get_or_try_init(py, || py.import("gc").map(Bound::unbind))?.bind(py);
    let was_enabled: bool = gc.call_method0("isenabled")?.extract()?;
    if was_enabled {
        gc.call_method0("disable")?;
    }
    let out = f();
    if was_enabled {
        gc.call_method0("enable")?;
    }
    out
}

/// Formats (unless `raw`) and converts tools one at a time into a new list.
fn convert<T: AsRef<Tool>>(
    py: Python<'_>,
    provider: &Provider,
    tools: &[T],
    raw: bool,
) -> PyResult<Py<PyList>> {
    if !raw && matches!(provider, Provider::Anthropic { cache_tools: true }) {
        // `cache_control` only on the last tool: the core's list formatter
        // decides that.
        let formatted = providers::format_tool_refs(provider, tools, Flavor::Python);
        let mut memo = StrMemo::default();
        let mut items = Vec::with_capacity(formatted.len());
        for v in &formatted {
            items.push(to_py_memo(py, v, &mut memo)?);
        }
        return Ok(PyList::new(py, items)?.unbind());
    }
    let mut conv = OneByOne::new(provider, raw, tools.len());
    for t in tools {
        conv.push(py, t.as_ref())?;
    }
    conv.finish(py)
}

/// Converts tools one at a time (each formatted copy is dropped right
/// after it is converted).
struct OneByOne<'a> {
    provider: &'a Provider,
    raw: bool,
    memo: StrMemo,
    items: Vec<Py<PyAny>>,
}

impl<'a> OneByOne<'a> {
    fn new(provider: &'a Provider, raw: bool, n: usize) -> Self {
        Self { provider, raw, memo: StrMemo::default(), items: Vec::with_capacity(n) }
    }

    fn push(&mut self, py: Python<'_>, tool: &Tool) -> PyResult<()> {
        let item = if self.raw {
            ser_to_py(py, tool)?
        } else {
            let v = providers::format_tool(self.provider, tool, Flavor::Python);
            to_py_memo(py, &v, &mut self.memo)?
        };
        self.items.push(item);
        Ok(())
    }

    fn finish(self, py: Python<'_>) -> PyResult<Py<PyList>> {
        Ok(PyList::new(py, self.items)?.unbind())
    }
}

/// Converts a core list, decoding a cached one tool by tool.
fn convert_list(py: Python<'_>, provider: &Provider, list: &ToolList, raw: bool) -> PyResult<Py<PyList>> {
    if !raw && matches!(provider, Provider::Anthropic { cache_tools: true }) {
        let tools = list.tools().map_err(|e| internal(py, e))?;
        return convert(py, provider, &tools, raw);
    }
    let mut conv = OneByOne::new(provider, raw, list.len());
    list.visit(|t| conv.push(py, t).map_err(Failure::Py)).map_err(|e| match e {
        Failure::Py(e) => e,
        Failure::Core(e) => internal(py, e),
    })?;
    conv.finish(py)
}

enum Failure {
    Py(PyErr),
    Core(composio_core::Error),
}

impl From<composio_core::Error> for Failure {
    fn from(e: composio_core::Error) -> Self {
        Failure::Core(e)
    }
}

/// The kept template for this list, if any (marks it most recently used and
/// drops templates of lists the core no longer caches).
fn cached_template(py: Python<'_>, list: &ToolList, provider: &Provider, raw: bool) -> Option<Py<PyList>> {
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    cache.retain(|e| e.key.is_live());
    let pos = cache.iter().position(|e| e.key.matches(list) && e.provider == *provider && e.raw == raw)?;
    let hit = cache.remove(pos);
    let objects = hit.objects.clone_ref(py);
    cache.push(hit);
    Some(objects)
}

fn keep_template(key: CachedListKey, provider: Provider, raw: bool, objects: Py<PyList>) {
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if cache.len() >= TEMPLATES {
        cache.remove(0);
    }
    cache.push(Template { key, provider, raw, objects });
}

fn internal(py: Python<'_>, e: composio_core::Error) -> PyErr {
    crate::errors::to_pyerr(py, e)
}

/// A core [`ToolList`] → the Python list `tools.get` returns
/// (provider-formatted, or raw dicts when `raw`), through a kept template
/// when the list is the core's cached result (see the module docs): a warm
/// call neither decodes nor formats anything.
pub fn tool_list_to_py(
    py: Python<'_>,
    provider: &Provider,
    list: ToolList,
    raw: bool,
) -> PyResult<Py<PyAny>> {
    let big = list.len() >= GC_PAUSE_MIN_TOOLS;
    let Some(key) = list.key() else {
        let tools = list.tools().map_err(|e| internal(py, e))?;
        drop(list);
        return with_gc_paused(py, big, || Ok(convert(py, provider, &tools, raw)?.into_any()));
    };
    with_gc_paused(py, big, || {
        let template = match cached_template(py, &list, provider, raw) {
            Some(t) => t,
            None => {
                let made = convert_list(py, provider, &list, raw)?;
                keep_template(key, *provider, raw, made.clone_ref(py));
                made
            }
        };
        drop(list);
        Ok(copy_containers(template.bind(py).as_any())?.unbind())
    })
}

/// Tools → the Python list `tools.get` returns (provider-formatted, or raw
/// dicts when `raw`), converted without a template.
pub fn tools_to_py<T: AsRef<Tool>>(
    py: Python<'_>,
    provider: &Provider,
    tools: Vec<T>,
    raw: bool,
) -> PyResult<Py<PyAny>> {
    let big = tools.len() >= GC_PAUSE_MIN_TOOLS;
    with_gc_paused(py, big, || Ok(convert(py, provider, &tools, raw)?.into_any()))
}
