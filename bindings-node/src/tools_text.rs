//! `tools.get` for a built-in provider, and the lists kept for warm calls.
//!
//! * A list without a cache key (not of pinned versions): each tool is
//!   formatted and written straight into one JSON text, parsed once by
//!   `JSON.parse`; no list of formatted tools exists at any time.
//! * A list of pinned versions (the core's [`composio_core::tools::ToolList`]
//!   has a [`composio_core::tools::ToolList::key`]): each tool is formatted
//!   and kept compressed. Later calls for the same list find it kept: nothing
//!   is decoded, formatted or serialised. The first time a JavaScript thread
//!   shows a kept list, `JSON.parse` makes a *template* of it, tool by tool,
//!   which that thread keeps; every call, that one included, gets a copy of
//!   the template made by the TypeScript layer (`cloneJson`): fresh objects
//!   and arrays that share the template's strings (JavaScript strings are
//!   immutable, so the sharing cannot be observed). A copy costs about a
//!   third of a parse and allocates about 60% of its memory (on the
//!   benchmark's 2,000 tools: the objects, 8.7 MB, not the 6.4 MB of strings
//!   again).
//!
//! Kept lists are bounded ([`KEPT_LISTS`] lists, [`KEPT_BYTES`] bytes of
//! text, least recently used out first) and dropped once the core no longer
//! holds their list ([`composio_core::tools::CachedListKey::is_live`]). A
//! kept list is formatted tool by tool into LZ4-compressed texts
//! ([`PackedTool`], against the list's first tool) and never exists as one
//! text: a template is parsed tool by tool on the JavaScript thread. No
//! buffer of the whole list's size is made, so none is left in the
//! allocator's free memory afterwards (glibc keeps a worker thread's freed
//! memory resident). A thread drops the template of a list that is no
//! longer kept on its next call.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, Weak};

use composio_core::files::{needs_file_rewrite, rewrite_file_schema};
use composio_core::providers::{format_tool, Flavor, Provider};
use composio_core::tool_cache::{ListPacker, PackedTool};
use composio_core::tools::{CachedListKey, ToolList};
use composio_core::{Composio, Result as CoreResult};
use napi::bindgen_prelude::{ToNapiValue, TypeName};
use napi::{sys, ValueType};

use crate::convert::js::{self, check};

/// Most formatted lists kept.
pub const KEPT_LISTS: usize = 8;
/// Most bytes of formatted text kept (counted uncompressed, as it bounds the
/// templates made of the lists too).
pub const KEPT_BYTES: usize = 64 << 20;

struct Kept {
    key: CachedListKey,
    provider: Provider,
    auto_files: bool,
    /// Slugs whose schema the file handling rewrote: valid while none of
    /// them is a custom tool (custom tools are not rewritten).
    rewritten: Vec<String>,
    list: Arc<PackedList>,
}

/// A formatted list, tool by tool, each tool's JSON text compressed.
pub struct PackedList {
    tools: Vec<PackedTool>,
    /// Bytes of the texts, uncompressed.
    text_len: usize,
}

static KEPT: Mutex<Vec<Kept>> = Mutex::new(Vec::new());

/// The formatted tools of a `tools.get` call, as handed to JavaScript.
///
/// A list without a cache key becomes a fresh array (`JSON.parse` of its
/// text). A kept list becomes `{ kept: template }`: the template is this
/// thread's parsed copy of the list, which the TypeScript layer copies
/// (`cloneJson`) and never hands out itself. A list packed for keeping that
/// could not be kept becomes a fresh array.
///
/// Named `Value` so that the generated `native.d.ts` types it `any` (as
/// [`js::Value`]).
pub enum Value {
    /// The text of a list without a cache key.
    Fresh(js::Value),
    /// A list formatted tool by tool.
    Packed {
        /// The tools.
        list: Arc<PackedList>,
        /// Whether the list is kept (then a template is made of it).
        kept: bool,
    },
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
        let (list, kept) = match val {
            Value::Fresh(v) => return unsafe { js::Value::to_napi_value(env, v) },
            Value::Packed { list, kept } => (list, kept),
        };
        if !kept {
            return unsafe { parse_list(env, &list) };
        }
        let template = match unsafe { templates::find(env, &list) } {
            Some(t) => t,
            None => {
                let parsed = unsafe { parse_list(env, &list)? };
                unsafe { templates::keep(env, &list, parsed) };
                parsed
            }
        };
        let mut out = std::ptr::null_mut();
        check(unsafe { sys::napi_create_object(env, &mut out) }, "create an object")?;
        check(
            unsafe { sys::napi_set_named_property(env, out, c"kept".as_ptr(), template) },
            "set a property",
        )?;
        Ok(out)
    }
}

/// Tools parsed per handle scope: their texts' strings can be collected as
/// the list is built.
const TOOLS_PER_SCOPE: usize = 64;

/// A new array of `list`'s tools, each parsed with `JSON.parse`.
///
/// # Safety
/// `env` is the current environment, on its thread.
unsafe fn parse_list(env: sys::napi_env, list: &PackedList) -> napi::Result<sys::napi_value> {
    let mut array = std::ptr::null_mut();
    check(
        unsafe { sys::napi_create_array_with_length(env, list.tools.len(), &mut array) },
        "create an array",
    )?;
    let parse = unsafe { js::JsonParse::new(env)? };
    let mut buf = Vec::new();
    for (chunk_no, chunk) in list.tools.chunks(TOOLS_PER_SCOPE).enumerate() {
        let mut scope = std::ptr::null_mut();
        check(unsafe { sys::napi_open_handle_scope(env, &mut scope) }, "open a handle scope")?;
        let mut filled = Ok(());
        for (i, tool) in chunk.iter().enumerate() {
            filled = tool
                .text_into(&mut buf)
                .map_err(|e| napi::Error::from_reason(e.to_string()))
                .and_then(|()| {
                    std::str::from_utf8(&buf)
                        .map_err(|e| napi::Error::from_reason(format!("a kept tool is not UTF-8: {e}")))
                })
                .and_then(|text| unsafe { parse.ascii(env, text) })
                .and_then(|value| {
                    let index = (chunk_no * TOOLS_PER_SCOPE + i) as u32;
                    check(unsafe { sys::napi_set_element(env, array, index, value) }, "set an element")
                });
            if filled.is_err() {
                break;
            }
        }
        let closed = check(unsafe { sys::napi_close_handle_scope(env, scope) }, "close a handle scope");
        filled.and(closed)?;
    }
    Ok(array)
}

/// The templates of kept lists made on this thread (see the module docs).
mod templates {
    use super::*;

    /// One list's template in one environment.
    struct Template {
        env: sys::napi_env,
        /// The kept list it was made of (dead once the list is dropped).
        list: Weak<PackedList>,
        /// A strong reference to the parsed array.
        value: sys::napi_ref,
    }

    thread_local! {
        /// Templates made on this thread; the environments with a cleanup
        /// hook registered.
        static TEMPLATES: RefCell<(Vec<Template>, Vec<usize>)> = const { RefCell::new((Vec::new(), Vec::new())) };
    }

    /// The template of `list` in `env`, if this thread made one. Deletes
    /// the templates of `env` whose list is no longer kept.
    ///
    /// # Safety
    /// `env` is the current environment, on its own thread.
    pub(super) unsafe fn find(env: sys::napi_env, list: &Arc<PackedList>) -> Option<sys::napi_value> {
        TEMPLATES
            .try_with(|cell| {
                let mut guard = cell.try_borrow_mut().ok()?;
                let (all, _) = &mut *guard;
                all.retain(|t| {
                    if t.env == env && t.list.strong_count() == 0 {
                        // SAFETY: a reference made in `env`, deleted once.
                        unsafe { sys::napi_delete_reference(env, t.value) };
                        false
                    } else {
                        true
                    }
                });
                let t =
                    all.iter().find(|t| t.env == env && std::ptr::eq(t.list.as_ptr(), Arc::as_ptr(list)))?;
                let mut value = std::ptr::null_mut();
                // SAFETY: a live reference made in `env`.
                let status = unsafe { sys::napi_get_reference_value(env, t.value, &mut value) };
                (status == sys::Status::napi_ok && !value.is_null()).then_some(value)
            })
            .ok()
            .flatten()
    }

    /// Keeps `value` as the template of `list` in `env` (nothing happens
    /// when the reference cannot be made: the next call parses again).
    ///
    /// # Safety
    /// `env` is the current environment, on its own thread; `value` a value
    /// of it.
    pub(super) unsafe fn keep(env: sys::napi_env, list: &Arc<PackedList>, value: sys::napi_value) {
        let mut reference = std::ptr::null_mut();
        // SAFETY: `value` belongs to `env`.
        if unsafe { sys::napi_create_reference(env, value, 1, &mut reference) } != sys::Status::napi_ok {
            return;
        }
        let kept = TEMPLATES.try_with(|cell| {
            let Ok(mut guard) = cell.try_borrow_mut() else { return false };
            let (all, hooked) = &mut *guard;
            if !hooked.contains(&(env as usize)) {
                // SAFETY: registered once per environment; the hook only
                // forgets this environment's entries.
                if unsafe { sys::napi_add_env_cleanup_hook(env, Some(forget_env), env.cast()) }
                    != sys::Status::napi_ok
                {
                    return false;
                }
                hooked.push(env as usize);
            }
            all.push(Template { env, list: Arc::downgrade(list), value: reference });
            true
        });
        if kept != Ok(true) {
            // SAFETY: the reference just made, deleted once.
            unsafe { sys::napi_delete_reference(env, reference) };
        }
    }

    /// Forgets the templates of an environment being torn down (its
    /// references go with it).
    unsafe extern "C" fn forget_env(arg: *mut std::ffi::c_void) {
        let env = arg as usize;
        let _ = TEMPLATES.try_with(|cell| {
            if let Ok(mut guard) = cell.try_borrow_mut() {
                let (all, hooked) = &mut *guard;
                all.retain(|t| t.env as usize != env);
                hooked.retain(|e| *e != env);
            }
        });
    }
}

/// The formatted tools of `list` for `provider` (TypeScript flavour);
/// with `auto_files`, file parameters of non-custom tools are rewritten
/// for the automatic file handling.
pub fn formatted(
    client: &Composio,
    list: ToolList,
    provider: &Provider,
    auto_files: bool,
) -> CoreResult<Value> {
    let Some(key) = list.key() else {
        // Not cacheable: one text, parsed once.
        let mut out = Vec::with_capacity(2 + list.len() * 1024);
        out.push(b'[');
        let mut first = true;
        list.visit(|tool| {
            if !first {
                out.push(b',');
            }
            first = false;
            let (v, _) = format_one(client, provider, auto_files, tool);
            js::write_json(&mut out, &v)
        })?;
        out.push(b']');
        return Ok(Value::Fresh(js::Value::from_text(js::ascii_text(out))));
    };
    if let Some(list) = lookup(client, &list, provider, auto_files) {
        return Ok(Value::Packed { list, kept: true });
    }
    let mut packer = ListPacker::new();
    let mut tools = Vec::with_capacity(list.len());
    let mut text_len = 0;
    let mut rewritten = Vec::new();
    let mut unkeepable = false;
    let mut one = Vec::with_capacity(16 * 1024);
    list.visit(|tool| {
        let (v, how) = format_one(client, provider, auto_files, tool);
        match how {
            Rewrite::None => {}
            Rewrite::Done => rewritten.push(tool.slug.clone()),
            Rewrite::SkippedCustom => unkeepable = true,
        }
        one.clear();
        js::write_json(&mut one, &v)?;
        let text = std::str::from_utf8(&one)
            .map_err(|e| composio_core::Error::internal(format!("a formatted tool is not UTF-8: {e}")))?;
        text_len += text.len();
        tools.push(packer.pack(text));
        Ok::<(), composio_core::Error>(())
    })?;
    let packed = Arc::new(PackedList { tools, text_len });
    let kept = !unkeepable && text_len <= KEPT_BYTES;
    if kept {
        keep(&list, Kept { key, provider: *provider, auto_files, rewritten, list: packed.clone() });
    }
    Ok(Value::Packed { list: packed, kept })
}

/// What the automatic file handling did to one tool.
enum Rewrite {
    /// Nothing to rewrite (or the handling is off).
    None,
    /// Its file parameters were rewritten.
    Done,
    /// Left as is: a custom tool has its slug (the list is not kept).
    SkippedCustom,
}

/// One tool formatted for `provider`, its file parameters rewritten when
/// `auto_files` asks for it (custom tools are never rewritten).
fn format_one(
    client: &Composio,
    provider: &Provider,
    auto_files: bool,
    tool: &composio_core::models::Tool,
) -> (serde_json::Value, Rewrite) {
    if !auto_files || !needs_file_rewrite(&tool.input_parameters) {
        return (format_tool(provider, tool, Flavor::TypeScript), Rewrite::None);
    }
    if client.custom_tools().get(&tool.slug).is_some() {
        return (format_tool(provider, tool, Flavor::TypeScript), Rewrite::SkippedCustom);
    }
    let mut t = tool.clone();
    rewrite_file_schema(&mut t.input_parameters);
    (format_tool(provider, &t, Flavor::TypeScript), Rewrite::Done)
}

/// Whether `k` was kept for `list` formatted this way.
fn is_for(k: &Kept, list: &ToolList, provider: &Provider, auto_files: bool) -> bool {
    k.key.matches(list) && k.provider == *provider && k.auto_files == auto_files
}

/// The kept text of `list` formatted this way, if still valid (marks it
/// most recently used; drops texts of lists the core no longer holds).
fn lookup(
    client: &Composio,
    list: &ToolList,
    provider: &Provider,
    auto_files: bool,
) -> Option<Arc<PackedList>> {
    let mut kept = KEPT.lock().unwrap_or_else(|p| p.into_inner());
    kept.retain(|k| k.key.is_live());
    let pos = kept.iter().position(|k| is_for(k, list, provider, auto_files))?;
    let hit = kept.remove(pos);
    let custom = client.custom_tools();
    if !custom.is_empty() && hit.rewritten.iter().any(|slug| custom.get(slug).is_some()) {
        // A custom tool now has the slug of a rewritten tool.
        return None;
    }
    let list = hit.list.clone();
    kept.push(hit);
    Some(list)
}

/// Keeps the text of `list` (replacing an older one of it), within the bounds.
fn keep(list: &ToolList, entry: Kept) {
    let mut kept = KEPT.lock().unwrap_or_else(|p| p.into_inner());
    kept.retain(|k| k.key.is_live() && !is_for(k, list, &entry.provider, entry.auto_files));
    let mut bytes: usize = kept.iter().map(|k| k.list.text_len).sum::<usize>() + entry.list.text_len;
    while !kept.is_empty() && (kept.len() >= KEPT_LISTS || bytes > KEPT_BYTES) {
        bytes -= kept.remove(0).list.text_len;
    }
    kept.push(entry);
}
