//! `tools.get` into Python objects, fast.
//!
//! * Cold: each tool is formatted by the core and converted on its own
//!   (equal strings up to 4 KB shared through [`StrMemo`]), so at most one
//!   formatted copy exists at a time.
//! * Warm: when the core answers a query from its cache of pinned toolkit
//!   versions ([`ToolList::is_cached`]), the same shared list comes back.
//!   The first result converted for it is remembered compactly as a private
//!   template (per list, provider and raw/formatted; [`Compact`]): its
//!   leaf objects (strings, numbers, `None`s; immutable, so sharing is
//!   invisible) and the shape of its dicts and lists as 4-byte codes, not
//!   the Python containers themselves. Every later call builds fresh dicts
//!   and lists around the shared leaves: no schema is decoded, formatted or
//!   converted again, and a result costs only its containers.
//!
//! The cyclic garbage collector is paused while a large result is built
//! (thousands of new dicts would otherwise trigger collections that walk
//! every object in the process) and restored to its previous state after.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    compact: Arc<Compact>,
}

static CACHE: Mutex<Vec<Template>> = Mutex::new(Vec::new());

/// Strings already made during one conversion, shared by later equal
/// strings (Python `str` is immutable, so sharing is invisible; `json.loads`
/// shares dict keys the same way). Schemas repeat keys, type names, enum
/// values and whole descriptions across tools, so sharing all but very long
/// strings makes a large list's strings a fraction of their text.
#[derive(Default)]
pub struct StrMemo {
    seen: HashMap<Box<str>, Py<PyString>>,
}

/// Longest string (in bytes) [`StrMemo`] keeps.
const MEMO_MAX_LEN: usize = 4096;

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

/// A converted list kept compactly (see the module docs): every distinct
/// leaf object (`str`, `int`, `float`, `bool`, `None`) once, one prototype
/// dict per distinct sequence of keys (schemas repeat a few dozen key
/// sequences thousands of times), and the shape as a flat pre-order sequence
/// of 4-byte codes. A fresh result is built from it with new containers
/// around the shared leaves: each dict is a copy of its prototype (one block
/// copy of the key table) whose values are then filled in.
struct Compact {
    /// Pre-order codes: [`LEAF`] + leaf index, [`DICT`] + key set index
    /// (the dict's values follow in key order), or [`LIST`] + length (the
    /// items follow).
    shape: Vec<u32>,
    leaves: Vec<Py<PyAny>>,
    key_sets: Vec<KeySet>,
}

/// The keys of some dicts, in order, and a dict with those keys (values
/// `None`) to copy.
struct KeySet {
    keys: Vec<Py<PyAny>>,
    proto: Py<PyDict>,
}

const TAG: u32 = 0b11 << 30;
const LEAF: u32 = 0;
const DICT: u32 = 0b01 << 30;
const LIST: u32 = 0b10 << 30;
/// Largest index or length a code can hold.
const CODE_MAX: usize = (1 << 30) - 1;

/// Dicts and lists nested deeper than this are not kept compactly (the
/// converters never make them: JSON decoding stops at 128 levels).
const MAX_DEPTH: usize = 200;

type Ptr = *mut pyo3::ffi::PyObject;

/// Indexes used while a [`Compact`] is made.
#[derive(Default)]
struct Indexes {
    leaves: HashMap<Ptr, u32>,
    key_sets: HashMap<Vec<Ptr>, u32>,
}

impl Compact {
    /// The compact form of `obj` (made of exact dicts and lists, as the
    /// converters make them), or `None` when it does not fit (too large or
    /// too deep), in which case no template is kept.
    fn of(obj: &Bound<'_, PyAny>) -> PyResult<Option<Compact>> {
        let mut out = Compact { shape: Vec::new(), leaves: Vec::new(), key_sets: Vec::new() };
        let mut index = Indexes::default();
        if out.add(obj, &mut index, 0)?.is_none() {
            return Ok(None);
        }
        out.shape.shrink_to_fit();
        out.leaves.shrink_to_fit();
        Ok(Some(out))
    }

    fn code(tag: u32, n: usize) -> Option<u32> {
        u32::try_from(n).ok().filter(|_| n <= CODE_MAX).map(|n| tag | n)
    }

    fn add(&mut self, obj: &Bound<'_, PyAny>, index: &mut Indexes, depth: usize) -> PyResult<Option<()>> {
        if depth > MAX_DEPTH {
            return Ok(None);
        }
        if let Ok(d) = obj.cast_exact::<PyDict>() {
            let keys: Vec<Ptr> = d.keys().iter().map(|k| k.as_ptr()).collect();
            let i = match index.key_sets.get(&keys) {
                Some(i) => *i,
                None => {
                    let i = self.key_sets.len();
                    let proto = PyDict::new(obj.py());
                    let mut kept = Vec::with_capacity(keys.len());
                    for k in d.keys() {
                        proto.set_item(&k, obj.py().None())?;
                        kept.push(k.unbind());
                    }
                    self.key_sets.push(KeySet { keys: kept, proto: proto.unbind() });
                    let Ok(i) = u32::try_from(i) else { return Ok(None) };
                    index.key_sets.insert(keys, i);
                    i
                }
            };
            let Some(code) = Self::code(DICT, i as usize) else { return Ok(None) };
            self.shape.push(code);
            for v in d.values() {
                if self.add(&v, index, depth + 1)?.is_none() {
                    return Ok(None);
                }
            }
            return Ok(Some(()));
        }
        if let Ok(l) = obj.cast_exact::<PyList>() {
            let Some(code) = Self::code(LIST, l.len()) else { return Ok(None) };
            self.shape.push(code);
            for v in l.iter() {
                if self.add(&v, index, depth + 1)?.is_none() {
                    return Ok(None);
                }
            }
            return Ok(Some(()));
        }
        let next = self.leaves.len();
        let i = *index.leaves.entry(obj.as_ptr()).or_insert_with(|| next as u32);
        if i as usize == next {
            self.leaves.push(obj.clone().unbind());
        }
        let Some(code) = Self::code(LEAF, i as usize) else { return Ok(None) };
        self.shape.push(code);
        Ok(Some(()))
    }

    /// A fresh object of this shape: new dicts and lists, shared leaves.
    fn build<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut pos = 0;
        self.build_at(py, &mut pos)
    }

    fn build_at<'py>(&self, py: Python<'py>, pos: &mut usize) -> PyResult<Bound<'py, PyAny>> {
        let code = self.shape.get(*pos).copied().ok_or_else(|| corrupt(py))?;
        *pos += 1;
        let n = (code & !TAG) as usize;
        match code & TAG {
            LEAF => self.leaves.get(n).map(|o| o.bind(py).clone()).ok_or_else(|| corrupt(py)),
            DICT => {
                let set = self.key_sets.get(n).ok_or_else(|| corrupt(py))?;
                let d = set.proto.bind(py).copy()?;
                for k in &set.keys {
                    d.set_item(k.bind(py), self.build_at(py, pos)?)?;
                }
                Ok(d.into_any())
            }
            _ => {
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.build_at(py, pos)?);
                }
                Ok(PyList::new(py, items)?.into_any())
            }
        }
    }
}

/// Cannot happen (a [`Compact`] is only built by [`Compact::of`]); an
/// internal error rather than a panic.
fn corrupt(py: Python<'_>) -> PyErr {
    internal(py, composio_core::Error::internal("a kept tools.get template is inconsistent"))
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
fn cached_template(list: &ToolList, provider: &Provider, raw: bool) -> Option<Arc<Compact>> {
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    cache.retain(|e| e.key.is_live());
    let pos = cache.iter().position(|e| e.key.matches(list) && e.provider == *provider && e.raw == raw)?;
    let hit = cache.remove(pos);
    let compact = hit.compact.clone();
    cache.push(hit);
    Some(compact)
}

fn keep_template(key: CachedListKey, provider: Provider, raw: bool, compact: Compact) {
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if cache.len() >= TEMPLATES {
        cache.remove(0);
    }
    cache.push(Template { key, provider, raw, compact: Arc::new(compact) });
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
        if let Some(compact) = cached_template(&list, provider, raw) {
            drop(list);
            return Ok(compact.build(py)?.unbind());
        }
        let made = convert_list(py, provider, &list, raw)?;
        drop(list);
        if let Some(compact) = Compact::of(made.bind(py).as_any())? {
            keep_template(key, *provider, raw, compact);
        }
        Ok(made.into_any())
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
