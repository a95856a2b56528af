//! `serde_json::Value` ⇄ Python objects, directly (no JSON text round
//! trip). Dict key order is preserved both ways (`serde_json` is built with
//! `preserve_order`).
//!
//! Python → JSON accepts `None`, `bool`, `int` (64-bit; larger integers are
//! sent as floats like `json.dumps` would not — they are rejected with a
//! `ValidationError` naming the path instead), `float` (finite), `str`,
//! `dict` with `str` keys, `list`/`tuple`, and objects with `model_dump()`
//! (pydantic models, dumped with `mode="json"`). Anything else is a
//! `ValidationError` naming where it was found.

use composio_core::Error;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::to_pyerr;

/// JSON → Python.
pub fn to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any().unbind(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any().unbind()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any().unbind()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any().unbind()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any().unbind(),
        Value::Array(a) => {
            let list = PyList::empty(py);
            for item in a {
                list.append(to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(o) => map_to_py(py, o)?.into_any().unbind(),
    })
}

/// A JSON object as a Python dict.
pub fn map_to_py<'py>(py: Python<'py>, o: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in o {
        d.set_item(k, to_py(py, v)?)?;
    }
    Ok(d)
}

fn bad(py: Python<'_>, path: &str, what: String) -> PyErr {
    to_pyerr(py, Error::validation(format!("{}: {what}", if path.is_empty() { "value" } else { path })))
}

/// Python → JSON.
pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    from_py_at(obj, "", 0)
}

fn from_py_at(obj: &Bound<'_, PyAny>, path: &str, depth: usize) -> PyResult<Value> {
    let py = obj.py();
    if depth > 256 {
        return Err(bad(py, path, "nested too deeply (more than 256 levels)".into()));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::from(v));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::from(v));
        }
        return Err(bad(py, path, "integer does not fit in 64 bits".into()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| bad(py, path, format!("{v} is not a finite number")));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = match k.cast::<PyString>() {
                Ok(s) => s.to_cow()?.into_owned(),
                Err(_) => {
                    return Err(bad(py, path, format!("dict keys must be str, got {}", k.get_type().name()?)))
                }
            };
            let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            m.insert(key, from_py_at(&v, &child, depth + 1)?);
        }
        return Ok(Value::Object(m));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        let mut out = Vec::with_capacity(l.len());
        for (i, v) in l.iter().enumerate() {
            out.push(from_py_at(&v, &format!("{path}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        let mut out = Vec::with_capacity(t.len());
        for (i, v) in t.iter().enumerate() {
            out.push(from_py_at(&v, &format!("{path}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if obj.hasattr("model_dump")? {
        let kwargs = PyDict::new(py);
        kwargs.set_item("mode", "json")?;
        let dumped = obj.call_method("model_dump", (), Some(&kwargs))?;
        return from_py_at(&dumped, path, depth + 1);
    }
    Err(bad(py, path, format!("{} is not JSON-serialisable", obj.get_type().name()?)))
}

/// Python → JSON object (a dict or a pydantic model); `None` → empty.
pub fn object_from_py(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Map<String, Value>> {
    match obj {
        None => Ok(Map::new()),
        Some(o) if o.is_none() => Ok(Map::new()),
        Some(o) => match from_py(o)? {
            Value::Object(m) => Ok(m),
            other => Err(to_pyerr(
                o.py(),
                Error::validation(format!("{what} must be a dict, got {}", kind(&other))),
            )),
        },
    }
}

/// Optional Python value → optional JSON (None stays None).
pub fn opt_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Value>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => from_py(o).map(Some),
    }
}

/// The JSON kind of a value, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "None",
        Value::Bool(_) => "bool",
        Value::Number(_) => "a number",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// Any serialisable engine value → Python.
pub fn ser_to_py<T: serde::Serialize>(py: Python<'_>, v: &T) -> PyResult<Py<PyAny>> {
    let value = serde_json::to_value(v)
        .map_err(|e| to_pyerr(py, Error::internal(format!("could not serialise a result: {e}"))))?;
    to_py(py, &value)
}

/// JSON → a typed engine value, as a validation error naming `what`.
pub fn de<T: serde::de::DeserializeOwned>(py: Python<'_>, v: Value, what: &str) -> PyResult<T> {
    serde_json::from_value(v).map_err(|e| to_pyerr(py, Error::validation(format!("{what}: {e}"))))
}
