//! Reading option objects handed over by the TypeScript layer.
//!
//! The TypeScript layer renames the SDK's camelCase options to the engine's
//! snake_case names; this module reads them strictly: a value of the wrong
//! type or a key nobody reads is a validation error naming it, so nothing a
//! user passed is silently dropped.

use std::path::PathBuf;
use std::time::Duration;

use composio_core::config::ToolkitVersions;
use composio_core::{ComposioConfig, Error as CoreError, Result as CoreResult, Secret};
use serde_json::{Map, Value};

use crate::error::invalid;

/// An option object being read key by key.
pub struct Opts {
    what: String,
    map: Map<String, Value>,
}

impl Opts {
    /// Reads `value` (an object, or null/undefined for no options).
    pub fn new(what: impl Into<String>, value: Option<Value>) -> CoreResult<Self> {
        let what = what.into();
        match value {
            None | Some(Value::Null) => Ok(Self { what, map: Map::new() }),
            Some(Value::Object(map)) => Ok(Self { what, map }),
            Some(other) => Err(invalid(format!("{what} must be an object, got {}", kind(&other)))),
        }
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        match self.map.shift_remove(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    fn bad(&self, key: &str, expected: &str, got: &Value) -> CoreError {
        invalid(format!("{}.{key} must be {expected}, got {}", self.what, kind(got)))
    }

    /// A string option.
    pub fn str(&mut self, key: &str) -> CoreResult<Option<String>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.bad(key, "a string", &other)),
        }
    }

    /// A list of strings (a single string counts as a list of one).
    pub fn strs(&mut self, key: &str) -> CoreResult<Vec<String>> {
        match self.take(key) {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s]),
            Some(Value::Array(items)) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => Err(self.bad(key, "a list of strings", &other)),
                })
                .collect(),
            Some(other) => Err(self.bad(key, "a list of strings", &other)),
        }
    }

    /// A boolean option.
    pub fn bool(&mut self, key: &str) -> CoreResult<Option<bool>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(other) => Err(self.bad(key, "a boolean", &other)),
        }
    }

    /// A non-negative integer option.
    pub fn u64(&mut self, key: &str) -> CoreResult<Option<u64>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f <= u64::MAX as f64)
                    .map(|f| f as u64)
            }) {
                Some(u) => Ok(Some(u)),
                None => Err(invalid(format!("{}.{key} must be a non-negative integer, got {n}", self.what))),
            },
            Some(other) => Err(self.bad(key, "a number", &other)),
        }
    }

    /// A `u32` option.
    pub fn u32(&mut self, key: &str) -> CoreResult<Option<u32>> {
        match self.u64(key)? {
            None => Ok(None),
            Some(u) => u32::try_from(u)
                .map(Some)
                .map_err(|_| invalid(format!("{}.{key} is too large: {u}", self.what))),
        }
    }

    /// An object option.
    pub fn obj(&mut self, key: &str) -> CoreResult<Option<Map<String, Value>>> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(other) => Err(self.bad(key, "an object", &other)),
        }
    }

    /// Any JSON value.
    pub fn value(&mut self, key: &str) -> Option<Value> {
        self.take(key)
    }

    /// A value deserialised with serde.
    pub fn de<T: serde::de::DeserializeOwned>(&mut self, key: &str) -> CoreResult<Option<T>> {
        match self.take(key) {
            None => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| invalid(format!("{}.{key} is invalid: {e}", self.what))),
        }
    }

    /// Fails if any key was not read.
    /// Reads an option object with `f`, then checks that `f` used every
    /// key (see [`Opts::finish`]).
    pub fn read<T>(
        what: impl Into<String>,
        value: Option<Value>,
        f: impl FnOnce(&mut Opts) -> CoreResult<T>,
    ) -> CoreResult<T> {
        let mut o = Opts::new(what, value)?;
        let out = f(&mut o)?;
        o.finish()?;
        Ok(out)
    }

    /// Fails naming every key that was not read.
    pub fn finish(self) -> CoreResult<()> {
        let left: Vec<&String> = self.map.iter().filter(|(_, v)| !v.is_null()).map(|(k, _)| k).collect();
        if left.is_empty() {
            Ok(())
        } else {
            Err(invalid(format!(
                "{} has unsupported option(s): {}",
                self.what,
                left.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            )))
        }
    }
}

pub use composio_core::error::json_kind as kind;

/// `toolkitVersions`: a version string for every toolkit, or a map.
pub fn toolkit_versions(v: Value) -> CoreResult<ToolkitVersions> {
    match v {
        Value::String(s) => Ok(ToolkitVersions::global(s)),
        Value::Object(m) => {
            let mut entries = Vec::with_capacity(m.len());
            for (k, v) in m {
                match v {
                    Value::String(s) => entries.push((k, s)),
                    other => {
                        return Err(invalid(format!(
                            "toolkitVersions.{k} must be a version string, got {}",
                            kind(&other)
                        )))
                    }
                }
            }
            Ok(ToolkitVersions::per_toolkit(entries))
        }
        other => Err(invalid(format!("toolkitVersions must be a string or an object, got {}", kind(&other)))),
    }
}

/// The client configuration: the environment first, then the options.
pub fn config(options: Option<Value>) -> CoreResult<ComposioConfig> {
    let mut o = Opts::new("Composio options", options)?;
    let mut config = ComposioConfig::from_env();
    if let Some(key) = o.str("api_key")? {
        config.api_key = Some(Secret::new(key));
    }
    if let Some(url) = o.str("base_url")? {
        config.base_url = url;
    }
    if let Some(prefix) = o.str("api_prefix")? {
        config.api_prefix = prefix;
    }
    if let Some(v) = o.value("toolkit_versions") {
        config = config.with_toolkit_versions(toolkit_versions(v)?);
    }
    if let Some(headers) = o.obj("default_headers")? {
        for (k, v) in headers {
            match v {
                Value::String(s) => config.extra_headers.push((k, s)),
                Value::Null => {}
                other => {
                    return Err(invalid(format!("defaultHeaders.{k} must be a string, got {}", kind(&other))))
                }
            }
        }
    }
    if let Some(b) = o.bool("auto_upload_download_files")? {
        config.auto_upload_download_files = b;
    }
    if let Some(d) = o.str("file_download_dir")? {
        config.file_download_dir = Some(PathBuf::from(d));
    }
    if let Some(b) = o.bool("sensitive_file_upload_protection")? {
        config.sensitive_file_upload_protection = b;
    }
    let deny = o.strs("file_upload_path_deny_segments")?;
    if !deny.is_empty() {
        config.file_upload_path_deny_segments = deny;
    }
    if let Some(dirs) = o.value("file_upload_dirs") {
        let dirs: Vec<String> = serde_json::from_value(dirs)
            .map_err(|e| invalid(format!("fileUploadDirs must be a list of paths: {e}")))?;
        config.file_upload_dirs = Some(dirs.into_iter().map(PathBuf::from).collect());
    }
    if let Some(f) = o.str("framework")? {
        config.framework = Some(f);
    }
    if let Some(s) = o.str("source")? {
        config.source = s;
    }
    if let Some(v) = o.str("sdk_version")? {
        config.sdk_version = v;
    }
    if let Some(ms) = o.u64("timeout_ms")? {
        config.request_timeout = Duration::from_millis(ms);
    }
    if let Some(n) = o.u32("max_retries")? {
        config.retry.max_retries = n;
    }
    o.finish()?;
    Ok(config)
}

/// Results handed to JavaScript.
pub mod js {
    use std::io;

    use composio_core::Result as CoreResult;
    use napi::bindgen_prelude::{ToNapiValue, TypeName};
    use napi::{sys, ValueType};
    use serde::Serialize;
    use serde_json::ser::{CompactFormatter, Formatter};

    /// The largest integer a JavaScript number holds exactly (2^53 - 1).
    const MAX_SAFE_INT: u64 = 9_007_199_254_740_991;

    /// A JSON result on its way to JavaScript.
    ///
    /// It is serialised to JSON text where it is made (on a worker thread,
    /// so the engine's values are dropped there), and the JavaScript thread
    /// only builds the objects, with V8's `JSON.parse`: far faster than
    /// creating every property through N-API, and it makes compact objects.
    /// `JSON.parse` keeps the insertion order of keys exactly like property
    /// creation does (integer-like keys first, as V8 orders them either way).
    ///
    /// An integer beyond ±(2^53 - 1) has no exact JavaScript number: such a
    /// result is built property by property as before (it becomes a
    /// `BigInt`), so numbers are the same whichever path a result takes.
    ///
    /// Named `Value` so that the generated `native.d.ts` types it `any`,
    /// exactly as a `serde_json::Value` result.
    pub struct Value(Repr);

    enum Repr {
        /// Compact JSON text with only exactly representable numbers.
        Text(String),
        /// A value built property by property.
        Tree(serde_json::Value),
    }

    impl Value {
        /// Serialises `v` (an engine model or a `serde_json::Value`).
        pub fn of<T: Serialize + ?Sized>(v: &T) -> CoreResult<Self> {
            let mut out = Vec::with_capacity(256);
            let mut unsafe_int = false;
            let mut ser =
                serde_json::Serializer::with_formatter(&mut out, SafeInts { unsafe_int: &mut unsafe_int });
            v.serialize(&mut ser)
                .map_err(|e| composio_core::Error::internal(format!("could not serialise a result: {e}")))?;
            if unsafe_int {
                let tree = serde_json::to_value(v).map_err(|e| {
                    composio_core::Error::internal(format!("could not serialise a result: {e}"))
                })?;
                return Ok(Self(Repr::Tree(tree)));
            }
            // ASCII only (see `SafeInts`).
            match String::from_utf8(out) {
                Ok(text) => Ok(Self(Repr::Text(text))),
                Err(e) => Err(composio_core::Error::internal(format!("could not serialise a result: {e}"))),
            }
        }
    }

    impl From<serde_json::Value> for Value {
        /// Serialises and drops `v`.
        fn from(v: serde_json::Value) -> Self {
            Self::of(&v).unwrap_or(Self(Repr::Tree(v)))
        }
    }

    /// The compact formatter, noting integers JavaScript cannot hold and
    /// writing every non-ASCII character as a `\uXXXX` escape: the text is
    /// then ASCII, so V8 makes a one-byte string of it with a plain copy (no
    /// UTF-8 decoding, no two-byte string for one accented letter), and
    /// `JSON.parse` restores the same characters.
    struct SafeInts<'a> {
        unsafe_int: &'a mut bool,
    }

    impl Formatter for SafeInts<'_> {
        fn write_string_fragment<W: ?Sized + io::Write>(
            &mut self,
            w: &mut W,
            fragment: &str,
        ) -> io::Result<()> {
            if fragment.is_ascii() {
                return w.write_all(fragment.as_bytes());
            }
            let mut start = 0;
            for (i, c) in fragment.char_indices() {
                if c.is_ascii() {
                    continue;
                }
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
            w.write_all(&fragment.as_bytes()[start..])
        }

        fn write_i64<W: ?Sized + io::Write>(&mut self, w: &mut W, v: i64) -> io::Result<()> {
            if v.unsigned_abs() > MAX_SAFE_INT {
                *self.unsafe_int = true;
            }
            CompactFormatter.write_i64(w, v)
        }

        fn write_u64<W: ?Sized + io::Write>(&mut self, w: &mut W, v: u64) -> io::Result<()> {
            if v > MAX_SAFE_INT {
                *self.unsafe_int = true;
            }
            CompactFormatter.write_u64(w, v)
        }

        fn write_i128<W: ?Sized + io::Write>(&mut self, w: &mut W, v: i128) -> io::Result<()> {
            if v.unsigned_abs() > u128::from(MAX_SAFE_INT) {
                *self.unsafe_int = true;
            }
            CompactFormatter.write_i128(w, v)
        }

        fn write_u128<W: ?Sized + io::Write>(&mut self, w: &mut W, v: u128) -> io::Result<()> {
            if v > u128::from(MAX_SAFE_INT) {
                *self.unsafe_int = true;
            }
            CompactFormatter.write_u128(w, v)
        }
    }

    impl TypeName for Value {
        fn type_name() -> &'static str {
            "any"
        }

        fn value_type() -> ValueType {
            ValueType::Unknown
        }
    }

    impl ToNapiValue for Value {
        unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
            match val.0 {
                Repr::Tree(v) => unsafe { serde_json::Value::to_napi_value(env, v) },
                Repr::Text(text) => unsafe { parse(env, text) },
            }
        }
    }

    /// Fails unless `status` is `napi_ok`.
    fn check(status: sys::napi_status, what: &str) -> napi::Result<()> {
        if status == sys::Status::napi_ok {
            Ok(())
        } else {
            Err(napi::Error::new(napi::Status::from(status), format!("could not {what}")))
        }
    }

    /// `JSON.parse(text)` in `env`.
    unsafe fn parse(env: sys::napi_env, text: String) -> napi::Result<sys::napi_value> {
        let mut string = std::ptr::null_mut();
        // The text is ASCII, hence Latin-1: V8 copies it as is.
        let status = unsafe {
            sys::napi_create_string_latin1(env, text.as_ptr().cast(), text.len() as isize, &mut string)
        };
        if status != sys::Status::napi_ok {
            // Longer than a JavaScript string can be: build it property by property.
            let tree: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                napi::Error::new(napi::Status::GenericFailure, format!("could not read a result: {e}"))
            })?;
            drop(text);
            return unsafe { serde_json::Value::to_napi_value(env, tree) };
        }
        drop(text);
        let mut global = std::ptr::null_mut();
        check(unsafe { sys::napi_get_global(env, &mut global) }, "reach the global object")?;
        let mut json = std::ptr::null_mut();
        check(
            unsafe { sys::napi_get_named_property(env, global, c"JSON".as_ptr(), &mut json) },
            "reach JSON",
        )?;
        let mut parse = std::ptr::null_mut();
        check(
            unsafe { sys::napi_get_named_property(env, json, c"parse".as_ptr(), &mut parse) },
            "reach JSON.parse",
        )?;
        let mut out = std::ptr::null_mut();
        let status = unsafe { sys::napi_call_function(env, json, parse, 1, &string, &mut out) };
        if status == sys::Status::napi_pending_exception {
            let mut exception = std::ptr::null_mut();
            unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) };
        }
        check(status, "parse a result")?;
        Ok(out)
    }
}
