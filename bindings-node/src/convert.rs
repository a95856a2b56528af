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
    use std::sync::Arc;

    use composio_core::Result as CoreResult;
    use napi::bindgen_prelude::{ToNapiValue, TypeName};
    use napi::{sys, ValueType};
    use serde::Serialize;
    use serde_json::ser::Formatter;

    /// A JSON result on its way to JavaScript.
    ///
    /// It is serialised to JSON text where it is made (on a worker thread,
    /// so the engine's values are dropped there), and the JavaScript thread
    /// only builds the objects, with V8's `JSON.parse`: far faster than
    /// creating every property through N-API, and it makes compact objects.
    /// `JSON.parse` keeps the insertion order of keys exactly like property
    /// creation does (integer-like keys first, as V8 orders them either way).
    ///
    /// Numbers are what `JSON.parse` makes of them, like `@composio/core`
    /// (which parses responses with `JSON.parse`): an integer beyond
    /// ±(2^53 - 1) becomes the nearest JavaScript number, never a `BigInt`
    /// (a `BigInt` would make `JSON.stringify(result)` throw).
    ///
    /// Named `Value` so that the generated `native.d.ts` types it `any`,
    /// exactly as a `serde_json::Value` result.
    pub struct Value(Repr);

    enum Repr {
        /// Compact ASCII JSON text.
        Text(String),
        /// Compact ASCII JSON text kept for later calls too.
        Shared(Arc<String>),
    }

    /// A serialisation failure (not expected for engine values).
    fn failed(e: impl std::fmt::Display) -> composio_core::Error {
        composio_core::Error::internal(format!("could not serialise a result: {e}"))
    }

    impl Value {
        /// Serialises `v` (an engine model or a `serde_json::Value`).
        pub fn of<T: Serialize + ?Sized>(v: &T) -> CoreResult<Self> {
            let mut out = Vec::with_capacity(256);
            write_json(&mut out, v)?;
            Ok(Self(Repr::Text(ascii_text(out))))
        }

        /// Already serialised text (ASCII JSON, as [`write_json`] writes).
        pub fn from_text(text: String) -> Self {
            Self(Repr::Text(text))
        }
    }

    impl From<serde_json::Value> for Value {
        /// Serialises and drops `v`.
        fn from(v: serde_json::Value) -> Self {
            let mut out = Vec::with_capacity(256);
            // Writing a `serde_json::Value` to memory cannot fail.
            let _ = write_json(&mut out, &v);
            drop(v);
            Self(Repr::Text(ascii_text(out)))
        }
    }

    /// Appends `v` to `out` as compact JSON text in ASCII (non-ASCII characters as `\uXXXX`).
    pub fn write_json<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> CoreResult<()> {
        let mut ser = serde_json::Serializer::with_formatter(out, Ascii);
        v.serialize(&mut ser).map_err(failed)
    }

    /// Text written by [`write_json`] (ASCII, so valid UTF-8).
    pub fn ascii_text(out: Vec<u8>) -> String {
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// The compact formatter writing every non-ASCII character as a
    /// `\uXXXX` escape: the text is then ASCII, so V8 makes a one-byte
    /// string of it with a plain copy (no UTF-8 decoding, no two-byte string
    /// for one accented letter), and `JSON.parse` restores the same
    /// characters.
    struct Ascii;

    impl Formatter for Ascii {
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
    }

    impl TypeName for Value {
        fn type_name() -> &'static str {
            "any"
        }

        fn value_type() -> ValueType {
            ValueType::Unknown
        }
    }

    impl Value {
        fn text(&self) -> &str {
            match &self.0 {
                Repr::Text(text) => text,
                Repr::Shared(text) => text,
            }
        }

        fn into_shared(self) -> Arc<String> {
            match self.0 {
                Repr::Text(text) => Arc::new(text),
                Repr::Shared(text) => text,
            }
        }
    }

    impl ToNapiValue for Value {
        unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
            let val = if (EXTERNAL_MIN..=EXTERNAL_MAX).contains(&val.text().len()) {
                let shared = val.into_shared();
                if let Some(string) = unsafe { external_string(env, &shared) } {
                    drop(shared);
                    return unsafe { json_parse(env, string) };
                }
                Self(Repr::Shared(shared))
            } else {
                val
            };
            match unsafe { js_string(env, val.text()) } {
                // V8 has its own copy: free a one-use text before the
                // objects are built.
                Some(string) => {
                    drop(val);
                    unsafe { json_parse(env, string) }
                }
                // Longer than a JavaScript string can be: build it property
                // by property (numbers as `JSON.parse` makes them).
                None => {
                    let tree: serde_json::Value = serde_json::from_str(val.text()).map_err(|e| {
                        napi::Error::new(
                            napi::Status::GenericFailure,
                            format!("could not read a result: {e}"),
                        )
                    })?;
                    drop(val);
                    unsafe { serde_json::Value::to_napi_value(env, number_safe(tree)) }
                }
            }
        }
    }

    /// Texts at least this long are handed to V8 without a copy (an
    /// external string) where Node offers it.
    const EXTERNAL_MIN: usize = 64 * 1024;
    /// Well below V8's longest string (2^29 - 24 one-byte characters on
    /// 64-bit), so that creating an external string cannot fail for length.
    const EXTERNAL_MAX: usize = 1 << 28;

    /// `node_api_create_external_string_latin1` (Node 20.4+).
    type CreateExternalLatin1 = unsafe extern "C" fn(
        sys::napi_env,
        *const std::ffi::c_char,
        isize,
        Option<unsafe extern "C" fn(sys::napi_env, *mut std::ffi::c_void, *mut std::ffi::c_void)>,
        *mut std::ffi::c_void,
        *mut sys::napi_value,
        *mut bool,
    ) -> sys::napi_status;

    /// The running Node's `node_api_create_external_string_latin1`, looked
    /// up once (absent before Node 20.4: texts are then copied).
    fn create_external_latin1() -> Option<CreateExternalLatin1> {
        static FOUND: std::sync::OnceLock<Option<CreateExternalLatin1>> = std::sync::OnceLock::new();
        *FOUND.get_or_init(|| {
            #[cfg(unix)]
            {
                // SAFETY: looks a symbol up in the process's global scope;
                // a found symbol is this N-API function, whose C signature
                // `CreateExternalLatin1` repeats.
                let p = unsafe {
                    libc::dlsym(libc::RTLD_DEFAULT, c"node_api_create_external_string_latin1".as_ptr())
                };
                if p.is_null() {
                    None
                } else {
                    Some(unsafe { std::mem::transmute::<*mut libc::c_void, CreateExternalLatin1>(p) })
                }
            }
            #[cfg(not(unix))]
            {
                None
            }
        })
    }

    /// Releases the text an external string was made of.
    unsafe extern "C" fn release_text(
        _env: sys::napi_env,
        _data: *mut std::ffi::c_void,
        hint: *mut std::ffi::c_void,
    ) {
        // SAFETY: `hint` is the `Box<Arc<String>>` made in `external_string`,
        // released exactly once, here.
        drop(unsafe { Box::from_raw(hint.cast::<Arc<String>>()) });
    }

    /// A JavaScript string over ASCII `text` itself (no copy; V8 keeps a
    /// reference to the text until the string is collected), or `None`
    /// where Node cannot make one.
    unsafe fn external_string(env: sys::napi_env, text: &Arc<String>) -> Option<sys::napi_value> {
        let create = create_external_latin1()?;
        let hint = Box::into_raw(Box::new(Arc::clone(text)));
        let mut string = std::ptr::null_mut();
        let mut copied = false;
        let status = unsafe {
            create(
                env,
                text.as_ptr().cast(),
                text.len() as isize,
                Some(release_text),
                hint.cast(),
                &mut string,
                &mut copied,
            )
        };
        if status == sys::Status::napi_ok {
            // When V8 copied the text, the finalizer has already run.
            Some(string)
        } else {
            // Whether the finalizer ran is not documented for a failure:
            // the reference is left (never freed twice).
            let mut exception = std::ptr::null_mut();
            unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) };
            None
        }
    }

    /// Fails unless `status` is `napi_ok`.
    pub fn check(status: sys::napi_status, what: &str) -> napi::Result<()> {
        if status == sys::Status::napi_ok {
            Ok(())
        } else {
            Err(napi::Error::new(napi::Status::from(status), format!("could not {what}")))
        }
    }

    /// A JavaScript string of ASCII `text`, or `None` when V8 refuses it
    /// (longer than a string can be).
    unsafe fn js_string(env: sys::napi_env, text: &str) -> Option<sys::napi_value> {
        let mut string = std::ptr::null_mut();
        // ASCII, hence Latin-1: V8 copies it as is into a one-byte string.
        let status = unsafe {
            sys::napi_create_string_latin1(env, text.as_ptr().cast(), text.len() as isize, &mut string)
        };
        if status == sys::Status::napi_ok {
            Some(string)
        } else {
            let mut exception = std::ptr::null_mut();
            unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) };
            None
        }
    }

    /// `JSON.parse(string)` in `env`.
    unsafe fn json_parse(env: sys::napi_env, string: sys::napi_value) -> napi::Result<sys::napi_value> {
        let parser = unsafe { JsonParse::new(env) }?;
        unsafe { parser.call(env, string) }
    }

    /// `JSON.parse`, looked up once for many texts.
    pub struct JsonParse {
        json: sys::napi_value,
        parse: sys::napi_value,
    }

    impl JsonParse {
        /// Looks `JSON.parse` up in `env` (valid in the current handle scope).
        ///
        /// # Safety
        /// `env` is the current environment, on its thread.
        pub unsafe fn new(env: sys::napi_env) -> napi::Result<Self> {
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
            Ok(Self { json, parse })
        }

        /// `JSON.parse(string)`.
        ///
        /// # Safety
        /// `env` is the environment `self` was made in, in the same handle
        /// scope or one inside it; `string` a value of it.
        pub unsafe fn call(
            &self,
            env: sys::napi_env,
            string: sys::napi_value,
        ) -> napi::Result<sys::napi_value> {
            let mut out = std::ptr::null_mut();
            let status = unsafe { sys::napi_call_function(env, self.json, self.parse, 1, &string, &mut out) };
            if status == sys::Status::napi_pending_exception {
                let mut exception = std::ptr::null_mut();
                unsafe { sys::napi_get_and_clear_last_exception(env, &mut exception) };
            }
            check(status, "parse a result")?;
            Ok(out)
        }

        /// `JSON.parse` of ASCII JSON text (as [`write_json`] writes).
        ///
        /// # Safety
        /// As [`JsonParse::call`].
        pub unsafe fn ascii(&self, env: sys::napi_env, text: &str) -> napi::Result<sys::napi_value> {
            let string = unsafe { js_string(env, text) }.ok_or_else(|| {
                napi::Error::from_reason("a text is longer than a JavaScript string can be")
            })?;
            unsafe { self.call(env, string) }
        }
    }

    /// `v` with every integer beyond ±(2^53 - 1) as the nearest float, as
    /// `JSON.parse` reads it (napi would otherwise make a `BigInt`).
    fn number_safe(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value as V;
        const MAX_SAFE_INT: u64 = 9_007_199_254_740_991;
        match v {
            V::Number(n)
                if n.as_u64().is_some_and(|u| u > MAX_SAFE_INT)
                    || n.as_i64().is_some_and(|i| i.unsigned_abs() > MAX_SAFE_INT) =>
            {
                n.as_f64().and_then(serde_json::Number::from_f64).map_or(V::Null, V::Number)
            }
            V::Array(items) => V::Array(items.into_iter().map(number_safe).collect()),
            V::Object(map) => V::Object(map.into_iter().map(|(k, v)| (k, number_safe(v))).collect()),
            other => other,
        }
    }
}
