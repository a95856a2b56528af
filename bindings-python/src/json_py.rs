//! JSON text → Python objects: a hand-written recursive-descent decoder
//! over the bytes of the text, building `dict`/`list`/`str`/`int`/`float`
//! objects directly with the C API.
//!
//! The result is exactly what `serde_json` (with `preserve_order` and
//! `float_roundtrip`) parsing into a `Value` and converting with
//! [`crate::convert::to_py`] gives: `i64`/`u64` → `int`, every other number
//! (fractions, exponents, integers beyond 64 bits, `-0`) → the correctly
//! rounded `float`; dict key order as in the text, and for duplicate keys the
//! first position with the last value. The fast path accepts only what it
//! can decode with certainty; anything else (every invalid text, lone
//! surrogates, numbers out of range, nesting as deep as `serde_json`'s limit)
//! is handed to `serde_json` itself, which gives the result or the error.
//!
//! While decoding it can also keep a [`Shadow`]: the top two levels of the
//! body with the text of their strings, which the webhook normaliser reads
//! without going back through Python objects.
//!
//! Objects are made with the C API (`unsafe`: each call documents why it is
//! sound); every new reference is owned by a `Bound` at once, so an early
//! return releases everything made so far.
#![allow(unsafe_code)]

use std::borrow::Cow;
use std::sync::Mutex;

use composio_core::webhooks::{json_escape, json_number, surrogate_pair};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// `serde_json`'s nesting limit: the 128th nested container is an error.
const MAX_DEPTH: u32 = 128;

/// Sets of [`StrCache`] (a power of two), ways per set, and the longest
/// string it keeps.
const STR_CACHE_SET_BITS: u32 = 8;
const STR_CACHE_SETS: usize = 1 << STR_CACHE_SET_BITS;
const STR_CACHE_WAYS: usize = 2;
const STR_CACHE_MAX_LEN: usize = 24;

/// One way of a [`StrCache`] set: the UTF-8 bytes of the string inline, as
/// three little-endian words padded with zeros, and the string. The cache
/// keeps no string with a NUL byte, so the padding tells the length.
#[derive(Default)]
struct Way {
    words: [u64; 3],
    obj: Option<Py<PyString>>,
}

/// One set: its ways share a cache line (32 bytes each).
#[repr(align(64))]
#[derive(Default)]
struct Set {
    ways: [Way; STR_CACHE_WAYS],
}

/// A two-way set-associative cache of short Python strings made by earlier
/// decodes (a set holds the last two strings that hashed to it; a new one
/// goes first and pushes the older out). `str` is immutable, so sharing is
/// invisible except to `is`.
///
/// Strings it hands out borrowed stay alive until the end of the decode
/// (the [`Strs`] that took the cache): one evicted meanwhile waits in
/// `evicted`.
///
/// In front of the sets sits a trace: the cached strings of the last decode
/// in the order they were met (the `n`-th lookup of a decode checks the
/// `n`-th entry first). Bodies of one kind have the same keys in the same
/// order, so most lookups hit it with one sequential read and no hash; a
/// mismatch falls back to the sets and rewrites that entry.
pub struct StrCache {
    sets: Vec<Set>,
    trace: Vec<Way>,
    /// The position in `trace` of the next lookup of this decode.
    at: usize,
    evicted: Vec<Py<PyString>>,
}

/// The longest trace kept (longer decodes use the sets alone past it).
const TRACE_MAX: usize = 1024;

/// The process-wide string cache.
pub static STR_CACHE: Mutex<StrCache> =
    Mutex::new(StrCache { sets: Vec::new(), trace: Vec::new(), at: 0, evicted: Vec::new() });

#[inline(always)]
fn load8(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// The low `n` bytes of a word (all of it from 8).
#[inline(always)]
const fn low_bytes(w: u64, n: usize) -> u64 {
    if n >= 8 {
        w
    } else {
        w & !(u64::MAX << (8 * n))
    }
}

/// For each length `n <= 24`, the masks keeping the first `n` bytes of
/// three words.
const WORD_MASKS: [[u64; 3]; STR_CACHE_MAX_LEN + 1] = {
    let mut m = [[0u64; 3]; STR_CACHE_MAX_LEN + 1];
    let mut n = 0;
    while n <= STR_CACHE_MAX_LEN {
        m[n] = [
            low_bytes(u64::MAX, n),
            low_bytes(u64::MAX, n.saturating_sub(8)),
            low_bytes(u64::MAX, n.saturating_sub(16)),
        ];
        n += 1;
    }
    m
};

/// The words of `buf[at..at + n]` (`n <= 24`) padded with zeros: three
/// unaligned loads when `buf` has 24 bytes from `at`, bytewise otherwise.
#[inline(always)]
fn words_at(buf: &[u8], at: usize, n: usize) -> [u64; 3] {
    if at + 24 <= buf.len() {
        let m = &WORD_MASKS[n];
        [load8(buf, at) & m[0], load8(buf, at + 8) & m[1], load8(buf, at + 16) & m[2]]
    } else {
        let mut padded = [0u8; 24];
        for (d, s) in padded.iter_mut().zip(&buf[at..at + n]) {
            *d = *s;
        }
        [load8(&padded, 0), load8(&padded, 8), load8(&padded, 16)]
    }
}

/// A set index from the words (one multiply: its top bits depend on every
/// bit of the mix).
#[inline(always)]
fn set_of(w: &[u64; 3]) -> usize {
    let mix = w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(43);
    (mix.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - STR_CACHE_SET_BITS)) as usize
}

/// Whether a way holds the words `w`, compared word by word in registers
/// (an array `==` becomes a 16-byte load of words just stored as 8-byte
/// halves, which the CPU cannot forward from its store buffer).
#[inline(always)]
fn same_words(way: &Way, w: &[u64; 3]) -> bool {
    ((way.words[0] ^ w[0]) | (way.words[1] ^ w[1]) | (way.words[2] ^ w[2])) == 0
}

/// A decoded value: a string borrowed from the [`StrCache`] (alive until the
/// end of the decode) or a new reference to any object.
pub enum Val<'py> {
    /// Held by the cache.
    Cached(CacheRef<'py>),
    /// Made for this use.
    New(Bound<'py, PyAny>),
}

/// A string object held by the cache for the whole decode.
pub struct CacheRef<'py> {
    ptr: *mut ffi::PyObject,
    py: Python<'py>,
}

impl<'py> Val<'py> {
    /// The object (borrowed).
    #[inline(always)]
    pub fn as_ptr(&self) -> *mut ffi::PyObject {
        match self {
            Val::Cached(b) => b.ptr,
            Val::New(o) => o.as_ptr(),
        }
    }

    /// A strong reference.
    #[inline]
    pub fn into_bound(self) -> Bound<'py, PyAny> {
        match self {
            // SAFETY: the cache keeps the object alive; take a new reference.
            Val::Cached(b) => unsafe { Bound::from_borrowed_ptr(b.py, b.ptr) },
            Val::New(o) => o,
        }
    }
}

impl StrCache {
    /// A Python string of `s`: the cached one when `s` is short, has no NUL
    /// byte and was seen before, a new one (then cached) otherwise.
    #[inline]
    pub fn get<'py>(&mut self, py: Python<'py>, s: &str) -> PyResult<Val<'py>> {
        if s.len() > STR_CACHE_MAX_LEN || s.as_bytes().contains(&0) {
            return new_str(py, s).map(Val::New);
        }
        self.lookup(py, words_at(s.as_bytes(), 0, s.len()), || s)
    }

    /// [`StrCache::get`] of `text[from..to]`, which must be char boundaries
    /// and hold no NUL byte (the decoder has checked that the string has no
    /// control character); the bytes after `to` may be read, not used.
    #[inline(always)]
    fn get_in<'py>(&mut self, py: Python<'py>, text: &str, from: usize, to: usize) -> PyResult<Val<'py>> {
        let n = to - from;
        if n > STR_CACHE_MAX_LEN {
            return new_str(py, text.get(from..to).unwrap_or_default()).map(Val::New);
        }
        self.lookup(py, words_at(text.as_bytes(), from, n), || text.get(from..to).unwrap_or_default())
    }

    #[inline(always)]
    fn lookup<'py, 's>(
        &mut self,
        py: Python<'py>,
        words: [u64; 3],
        text: impl FnOnce() -> &'s str,
    ) -> PyResult<Val<'py>> {
        let at = self.at;
        self.at = at + 1;
        if let Some(way) = self.trace.get(at) {
            if same_words(way, &words) {
                if let Some(obj) = &way.obj {
                    return Ok(Val::Cached(CacheRef { ptr: obj.as_ptr(), py }));
                }
            }
        }
        self.lookup_sets(py, words, text(), at)
    }

    /// The sets' string for `words` (or a new one, then cached), recorded
    /// at position `at` of the trace.
    #[inline(never)]
    fn lookup_sets<'py>(
        &mut self,
        py: Python<'py>,
        words: [u64; 3],
        s: &str,
        at: usize,
    ) -> PyResult<Val<'py>> {
        if self.sets.is_empty() {
            self.sets.resize_with(STR_CACHE_SETS, Set::default);
        }
        let index = set_of(&words);
        let hit = self.sets[index].ways.iter().enumerate().find_map(|(i, w)| match &w.obj {
            Some(o) if same_words(w, &words) => Some((i, o.as_ptr())),
            _ => None,
        });
        let (val, way) = match hit {
            Some((way, ptr)) => (Val::Cached(CacheRef { ptr, py }), way),
            // `miss` puts the new string in way 0.
            None => (self.miss(py, index, words, s)?, 0),
        };
        // Past the end of the trace (beyond its limit) nothing is recorded.
        let fits = at < self.trace.len() || (at == self.trace.len() && at < TRACE_MAX);
        if fits {
            let entry = Way { words, obj: self.sets[index].ways[way].obj.as_ref().map(|o| o.clone_ref(py)) };
            if let Some(slot) = self.trace.get_mut(at) {
                // The replaced string may still be in use by this decode.
                if let Some(old) = std::mem::replace(slot, entry).obj {
                    self.evicted.push(old);
                }
            } else {
                self.trace.push(entry);
            }
        }
        Ok(val)
    }

    /// A new string for `words`, put first in set `index` (its set).
    fn miss<'py>(&mut self, py: Python<'py>, index: usize, words: [u64; 3], s: &str) -> PyResult<Val<'py>> {
        let made = new_str(py, s)?;
        let as_str = made.cast::<PyString>().map_err(PyErr::from)?.clone().unbind();
        let set = &mut self.sets[index];
        let older = std::mem::replace(&mut set.ways[0], Way { words, obj: Some(as_str) });
        let out = std::mem::replace(&mut set.ways[1], older);
        if let Some(obj) = out.obj {
            self.evicted.push(obj);
        }
        Ok(Val::New(made))
    }
}

/// The string cache of one decode, if it could be taken (`try_lock`: a
/// decode re-entered from a finaliser on this thread runs without it
/// instead of waiting for itself). Strings the cache evicted during the
/// decode are released when this is dropped.
pub struct Strs<'c> {
    cache: Option<&'c mut StrCache>,
}

impl Drop for Strs<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.cache.as_deref_mut() {
            // Deallocating a `str` runs no Python code.
            c.evicted.clear();
        }
    }
}

impl<'c> Strs<'c> {
    /// Wraps a cache taken for one decode (or none).
    pub fn new(mut cache: Option<&'c mut StrCache>) -> Self {
        if let Some(c) = cache.as_deref_mut() {
            c.at = 0;
        }
        Self { cache }
    }

    /// A Python string of `s`, shared with earlier decodes when short.
    #[inline]
    pub fn get<'py>(&mut self, py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
        self.get_str(py, s).map(Val::into_bound)
    }

    /// [`Strs::get`], borrowed from the cache when it is there (valid while
    /// `self` lives).
    #[inline]
    pub fn get_str<'py>(&mut self, py: Python<'py>, s: &str) -> PyResult<Val<'py>> {
        match self.cache.as_deref_mut() {
            Some(c) => c.get(py, s),
            None => new_str(py, s).map(Val::New),
        }
    }

    /// [`Strs::get_str`] of `text[from..to]` (char boundaries, no NUL).
    #[inline(always)]
    fn get_in<'py>(&mut self, py: Python<'py>, text: &str, from: usize, to: usize) -> PyResult<Val<'py>> {
        match self.cache.as_deref_mut() {
            Some(c) => c.get_in(py, text, from, to),
            None => new_str(py, text.get(from..to).unwrap_or_default()).map(Val::New),
        }
    }
}

/// A new Python `str` of `s`.
#[inline]
pub fn new_str<'py>(py: Python<'py>, s: &str) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: `s` is valid UTF-8 of the given length; the result is a new
    // reference or NULL with an exception set.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyUnicode_FromStringAndSize(s.as_ptr().cast(), s.len() as ffi::Py_ssize_t),
        )
    }
}

extern "C" {
    // In the limited API from 3.10 and in the full API of every CPython 3
    // (so present on 3.9 too, which the abi3-py39 build also loads on);
    // pyo3 declares it only for `Py_3_10` builds.
    #[link_name = "PyUnicode_AsUTF8AndSize"]
    fn unicode_as_utf8_and_size(o: *mut ffi::PyObject, size: *mut ffi::Py_ssize_t)
        -> *const std::ffi::c_char;
}

/// The UTF-8 text of a Python `str`, borrowed from the object (CPython keeps
/// the UTF-8 form inside it; for ASCII text it is the text itself), where
/// pyo3's `&str` extraction under the 3.9 limited API copies it into a new
/// `bytes`. Strings with lone surrogates raise `UnicodeEncodeError`, as that
/// extraction does.
pub fn borrow_str<'a>(s: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
    let mut size: ffi::Py_ssize_t = 0;
    // SAFETY: `s` is a live `str`; the call returns a pointer to `size` bytes
    // owned by the object (valid while it lives, which `'a` ensures: the
    // object is immutable and the buffer is never freed before it) or NULL
    // with an exception set.
    let ptr = unsafe { unicode_as_utf8_and_size(s.as_ptr(), &mut size) };
    if ptr.is_null() {
        return Err(PyErr::fetch(s.py()));
    }
    // SAFETY: as above; CPython's UTF-8 encoder is strict, so the bytes are
    // valid UTF-8.
    Ok(unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr.cast::<u8>(), size as usize)) })
}

/// [`Parser::string`]'s result for a string with escapes.
const ESCAPED: usize = usize::MAX;

/// Why the fast path stopped.
enum Fail {
    /// The text is not something the fast path decodes: ask `serde_json`.
    Fallback,
    /// Python raised (out of memory, ...). Boxed, so parse results stay
    /// two words (a `PyErr` inline would make every result larger).
    Py(Box<PyErr>),
}

impl From<PyErr> for Fail {
    #[cold]
    fn from(e: PyErr) -> Self {
        Fail::Py(Box::new(e))
    }
}

/// A value of the top levels of the body kept by [`Shadow`].
pub struct ShadowNode<'py, 't> {
    /// The Python object (a strong reference).
    pub obj: Option<Bound<'py, PyAny>>,
    /// The text of a string.
    pub text: Option<Cow<'t, str>>,
    /// Whether this is an object whose members are listed in
    /// [`Shadow::members`].
    pub has_members: bool,
    /// Whether this is an object.
    pub is_object: bool,
}

/// The body's root, its members and their members, with the text of their
/// strings (filled by [`decode_with_shadow`]).
#[derive(Default)]
pub struct Shadow<'py, 't> {
    /// Node 0 is the root.
    pub nodes: Vec<ShadowNode<'py, 't>>,
    /// `(parent node, key, child node)` in text order (duplicates kept; the
    /// last one is the dict's value).
    pub members: Vec<(u32, Cow<'t, str>, u32)>,
}

impl<'py, 't> Shadow<'py, 't> {
    /// The member `key` of node `node` when its members were kept: `Some(None)`
    /// for an absent key, `None` when they were not kept.
    pub fn member(&self, node: u32, key: &str) -> Option<Option<u32>> {
        let n = self.nodes.get(node as usize)?;
        if !n.has_members {
            return None;
        }
        // Lengths and first bytes first: most keys differ there, and a full
        // comparison is a call.
        let first = key.as_bytes().first();
        Some(
            self.members
                .iter()
                .rev()
                .find(|(p, k, _)| {
                    *p == node && k.len() == key.len() && k.as_bytes().first() == first && k == key
                })
                .map(|(_, _, c)| *c),
        )
    }
}

struct Parser<'a, 'py, 't, 'c> {
    py: Python<'py>,
    text: &'t str,
    b: &'t [u8],
    pos: usize,
    /// Items of the lists being decoded.
    stack: Vec<Bound<'py, PyAny>>,
    /// The text of the last string read when it had escapes.
    escaped: String,
    strs: &'a mut Strs<'c>,
    shadow: Option<&'a mut Shadow<'py, 't>>,
}

/// `v.push(x)`, inlined (the capacity is reserved ahead, so growing is the
/// rare case).
#[inline(always)]
fn push<T>(v: &mut Vec<T>, x: T) {
    if v.len() == v.capacity() {
        grow(v);
    }
    let len = v.len();
    // SAFETY: `len < capacity`, so the slot is allocated and unused; it is
    // written before the length covers it.
    unsafe {
        v.as_mut_ptr().add(len).write(x);
        v.set_len(len + 1);
    }
}

/// Makes room in `v` for more items.
#[cold]
#[inline(never)]
fn grow<T>(v: &mut Vec<T>) {
    v.reserve(v.len().max(8));
}

/// The high bit of each byte of `x` that is `"`, `\` or below 0x20: exact
/// for the lowest such byte (bytes above it may be flagged falsely, by
/// borrows), so `trailing_zeros() / 8` is its index; 0 when there is none.
#[inline(always)]
fn special8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let quote = x ^ (ONES * u64::from(b'"'));
    let slash = x ^ (ONES * u64::from(b'\\'));
    let zero = |v: u64| v.wrapping_sub(ONES) & !v;
    let below = x.wrapping_sub(ONES * 0x20) & !x;
    (zero(quote) | zero(slash) | below) & HIGH
}

impl<'a, 'py, 't, 'c> Parser<'a, 'py, 't, 'c> {
    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if c == b' ' || c == b'\n' || c == b'\r' || c == b'\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn own(&self, p: *mut ffi::PyObject) -> Result<Bound<'py, PyAny>, Fail> {
        // SAFETY: `p` is a new reference or NULL with an exception set.
        Ok(unsafe { Bound::from_owned_ptr_or_err(self.py, p) }?)
    }

    /// One value; `depth` counts the containers around it; `node` is the
    /// shadow node to fill, if this value is kept.
    fn value(&mut self, depth: u32, node: Option<u32>) -> Result<Val<'py>, Fail> {
        self.skip_ws();
        let Some(c) = self.peek() else { return Err(Fail::Fallback) };
        match c {
            b'"' => {
                self.pos += 1;
                let start = self.string().ok_or(Fail::Fallback)?;
                let obj = self.string_obj(start)?;
                if let Some(n) = node {
                    let s = self.string_text(start);
                    let py = self.py;
                    if let Some(sh) = self.shadow.as_deref_mut() {
                        let slot = &mut sh.nodes[n as usize];
                        slot.text = Some(s);
                        // SAFETY: a live object; take a new reference.
                        slot.obj = Some(unsafe { Bound::from_borrowed_ptr(py, obj.as_ptr()) });
                    }
                }
                Ok(obj)
            }
            b'{' => self.object(depth + 1, node).map(Val::New),
            b'[' => {
                let obj = self.array(depth + 1)?;
                self.keep(node, &obj);
                Ok(Val::New(obj))
            }
            b't' => self.literal(b"true", node, || unsafe { ffi::Py_True() }),
            b'f' => self.literal(b"false", node, || unsafe { ffi::Py_False() }),
            b'n' => self.literal(b"null", node, || unsafe { ffi::Py_None() }),
            b'-' | b'0'..=b'9' => {
                let obj = self.number()?;
                self.keep(node, &obj);
                Ok(Val::New(obj))
            }
            _ => Err(Fail::Fallback),
        }
    }

    #[inline]
    fn keep(&mut self, node: Option<u32>, obj: &Bound<'py, PyAny>) {
        if let (Some(n), Some(sh)) = (node, self.shadow.as_deref_mut()) {
            sh.nodes[n as usize].obj = Some(obj.clone());
        }
    }

    fn literal(
        &mut self,
        word: &[u8],
        node: Option<u32>,
        singleton: impl FnOnce() -> *mut ffi::PyObject,
    ) -> Result<Val<'py>, Fail> {
        if !self.b[self.pos..].starts_with(word) {
            return Err(Fail::Fallback);
        }
        self.pos += word.len();
        // SAFETY: the singletons are immortal or borrowed; take a reference.
        let obj = unsafe { Bound::from_borrowed_ptr(self.py, singleton()) };
        self.keep(node, &obj);
        Ok(Val::New(obj))
    }

    fn object(&mut self, depth: u32, node: Option<u32>) -> Result<Bound<'py, PyAny>, Fail> {
        if depth >= MAX_DEPTH {
            return Err(Fail::Fallback);
        }
        self.pos += 1;
        // SAFETY: a new dict or NULL with an exception set.
        let dict = self.own(unsafe { ffi::PyDict_New() })?;
        // Members are kept for the root and its members.
        let keep_members = node.is_some() && depth <= 2;
        if let (Some(n), Some(sh)) = (node, self.shadow.as_deref_mut()) {
            let slot = &mut sh.nodes[n as usize];
            slot.obj = Some(dict.clone());
            slot.is_object = true;
            slot.has_members = keep_members;
        }
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(dict);
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(Fail::Fallback);
            }
            self.pos += 1;
            let start = self.string().ok_or(Fail::Fallback)?;
            let key = self.string_obj(start)?;
            let key_text = if keep_members { Some(self.string_text(start)) } else { None };
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(Fail::Fallback);
            }
            self.pos += 1;
            let child = match (key_text, node, self.shadow.as_deref_mut()) {
                (Some(key_text), Some(parent), Some(sh)) => {
                    let id = sh.nodes.len() as u32;
                    push(
                        &mut sh.nodes,
                        ShadowNode { obj: None, text: None, has_members: false, is_object: false },
                    );
                    push(&mut sh.members, (parent, key_text, id));
                    Some(id)
                }
                _ => None,
            };
            self.skip_ws();
            let value = match child {
                None if self.peek() == Some(b'"') => self.plain_string()?,
                _ => self.value(depth, child)?,
            };
            // SAFETY: valid objects; `PyDict_SetItem` takes its own references.
            if unsafe { ffi::PyDict_SetItem(dict.as_ptr(), key.as_ptr(), value.as_ptr()) } != 0 {
                return Err(PyErr::fetch(self.py).into());
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(dict);
                }
                _ => return Err(Fail::Fallback),
            }
        }
    }

    fn array(&mut self, depth: u32) -> Result<Bound<'py, PyAny>, Fail> {
        if depth >= MAX_DEPTH {
            return Err(Fail::Fallback);
        }
        self.pos += 1;
        let base = self.stack.len();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                let v =
                    if self.peek() == Some(b'"') { self.plain_string()? } else { self.value(depth, None)? };
                push(&mut self.stack, v.into_bound());
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(Fail::Fallback),
                }
            }
        }
        let n = self.stack.len() - base;
        // SAFETY: a new list of `n` empty slots or NULL with an exception set.
        let list = self.own(unsafe { ffi::PyList_New(n as ffi::Py_ssize_t) })?;
        for (i, item) in self.stack.drain(base..).enumerate() {
            // SAFETY: `i < n`; `PyList_SetItem` steals the item's reference
            // (it cannot fail for an in-range index of a list).
            unsafe { ffi::PyList_SetItem(list.as_ptr(), i as ffi::Py_ssize_t, item.into_ptr()) };
        }
        Ok(list)
    }

    /// The string after an opening quote, up to and past its closing quote
    /// (so it ends at `self.pos - 1`): its start, or [`ESCAPED`] when it had
    /// escapes and its text is in `self.escaped`. (A plain index keeps the
    /// result in registers.)
    #[inline(always)]
    fn string(&mut self) -> Option<usize> {
        let b = self.b;
        let start = self.pos;
        let mut i = start;
        loop {
            if i + 8 <= b.len() {
                let m = special8(load8(b, i));
                if m == 0 {
                    i += 8;
                    continue;
                }
                i += (m.trailing_zeros() / 8) as usize;
            } else {
                while b.get(i).is_some_and(|&c| c != b'"' && c != b'\\' && c >= 0x20) {
                    i += 1;
                }
            }
            return match *b.get(i)? {
                b'"' => {
                    self.pos = i + 1;
                    Some(start)
                }
                b'\\' => self.escaped_string(start, i),
                _ => None,
            };
        }
    }

    /// The Python string of the string [`Parser::string`] just read.
    #[inline(always)]
    fn string_obj(&mut self, start: usize) -> Result<Val<'py>, Fail> {
        if start == ESCAPED {
            return self.escaped_obj();
        }
        Ok(self.strs.get_in(self.py, self.text, start, self.pos - 1)?)
    }

    /// [`Parser::string_obj`] of a string with escapes.
    #[cold]
    #[inline(never)]
    fn escaped_obj(&mut self) -> Result<Val<'py>, Fail> {
        Ok(self.strs.get_str(self.py, &self.escaped)?)
    }

    /// A string value not kept in the shadow, its opening quote at
    /// `self.pos` (read here rather than through [`Parser::value`], the
    /// common case inside objects and lists).
    #[inline(always)]
    fn plain_string(&mut self) -> Result<Val<'py>, Fail> {
        self.pos += 1;
        let start = self.string().ok_or(Fail::Fallback)?;
        self.string_obj(start)
    }

    /// The text of the string [`Parser::string`] just read.
    fn string_text(&mut self, start: usize) -> Cow<'t, str> {
        if start == ESCAPED {
            Cow::Owned(std::mem::take(&mut self.escaped))
        } else {
            Cow::Borrowed(self.text.get(start..self.pos - 1).unwrap_or_default())
        }
    }

    #[inline]
    fn slice(&self, from: usize, to: usize) -> Result<&'t str, Fail> {
        // Both ends are at ASCII bytes, so these are char boundaries.
        self.text.get(from..to).ok_or(Fail::Fallback)
    }

    /// The rest of a string whose first escape is at `i`.
    #[cold]
    fn escaped_string(&mut self, start: usize, i: usize) -> Option<usize> {
        let out = self.unescape(start, i).ok()?;
        self.escaped = out;
        Some(ESCAPED)
    }

    fn unescape(&mut self, start: usize, mut i: usize) -> Result<String, Fail> {
        let b = self.b;
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(self.slice(start, i)?);
        let mut run = i;
        loop {
            let Some(&c) = b.get(i) else { return Err(Fail::Fallback) };
            match c {
                b'"' => {
                    out.push_str(self.slice(run, i)?);
                    self.pos = i + 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(self.slice(run, i)?);
                    let Some(&e) = b.get(i + 1) else { return Err(Fail::Fallback) };
                    i += 2;
                    match e {
                        b'u' => {
                            let hi = hex4(b, i)?;
                            i += 4;
                            let code = match hi {
                                0xD800..=0xDBFF => {
                                    if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
                                        return Err(Fail::Fallback);
                                    }
                                    let lo = hex4(b, i + 2)?;
                                    if !(0xDC00..=0xDFFF).contains(&lo) {
                                        return Err(Fail::Fallback);
                                    }
                                    i += 6;
                                    surrogate_pair(hi, lo)
                                }
                                0xDC00..=0xDFFF => return Err(Fail::Fallback),
                                _ => hi,
                            };
                            out.push(char::from_u32(code).ok_or(Fail::Fallback)?);
                        }
                        other => out.push(json_escape(other).ok_or(Fail::Fallback)?),
                    }
                    run = i;
                }
                0..=0x1f => return Err(Fail::Fallback),
                _ => i += 1,
            }
        }
    }

    fn number(&mut self) -> Result<Bound<'py, PyAny>, Fail> {
        let b = self.b;
        let start = self.pos;
        let negative = b[start] == b'-';
        let digits = start + usize::from(negative);
        let (i, int_end, plain) = json_number(b, start).ok_or(Fail::Fallback)?;
        let is_float = !plain;
        self.pos = i;
        if !is_float {
            let mut sig: u64 = 0;
            let mut fits = true;
            for &d in &b[digits..int_end] {
                match sig.checked_mul(10).and_then(|s| s.checked_add(u64::from(d - b'0'))) {
                    Some(s) => sig = s,
                    None => {
                        fits = false;
                        break;
                    }
                }
            }
            if fits {
                if !negative {
                    // SAFETY: a new int or NULL with an exception set.
                    return self.own(unsafe { ffi::PyLong_FromUnsignedLongLong(sig) });
                }
                if sig != 0 && sig <= 1 << 63 {
                    let v = (sig as i64).wrapping_neg();
                    // SAFETY: as above.
                    return self.own(unsafe { ffi::PyLong_FromLongLong(v) });
                }
            }
            // `-0`, negatives below `i64::MIN` and integers beyond `u64`
            // are floats, as `serde_json` makes them.
        }
        let v: f64 = self.slice(start, i)?.parse().map_err(|_| Fail::Fallback)?;
        if !v.is_finite() {
            return Err(Fail::Fallback);
        }
        // SAFETY: a new float or NULL with an exception set.
        self.own(unsafe { ffi::PyFloat_FromDouble(v) })
    }
}

fn hex4(b: &[u8], at: usize) -> Result<u32, Fail> {
    let digits = b.get(at..at + 4).ok_or(Fail::Fallback)?;
    let mut v = 0u32;
    for &d in digits {
        let x = match d {
            b'0'..=b'9' => d - b'0',
            b'a'..=b'f' => d - b'a' + 10,
            b'A'..=b'F' => d - b'A' + 10,
            _ => return Err(Fail::Fallback),
        };
        v = v << 4 | u32::from(x);
    }
    Ok(v)
}

/// How a decode ended.
pub enum Decoded<'py> {
    /// Decoded by the fast path (the shadow, if asked for, is filled).
    Fast(Bound<'py, PyAny>),
    /// Decoded by `serde_json` (the shadow is empty).
    Exact(Bound<'py, PyAny>),
}

/// Decodes `text`, keeping its top levels in `shadow` when given.
pub fn decode_with_shadow<'py, 't>(
    py: Python<'py>,
    text: &'t str,
    strs: &mut Strs<'_>,
    mut shadow: Option<&mut Shadow<'py, 't>>,
) -> PyResult<Result<Decoded<'py>, serde_json::Error>> {
    if let Some(sh) = shadow.as_deref_mut() {
        sh.nodes.reserve(32);
        sh.members.reserve(32);
        sh.nodes.clear();
        sh.members.clear();
        sh.nodes.push(ShadowNode { obj: None, text: None, has_members: false, is_object: false });
    }
    let root = shadow.is_some().then_some(0);
    let mut p = Parser {
        py,
        text,
        b: text.as_bytes(),
        pos: 0,
        stack: Vec::with_capacity(32),
        escaped: String::new(),
        strs,
        shadow: shadow.as_deref_mut(),
    };
    let fast = p.value(0, root).and_then(|v| {
        p.skip_ws();
        if p.pos == p.b.len() {
            Ok(v.into_bound())
        } else {
            Err(Fail::Fallback)
        }
    });
    drop(p);
    match fast {
        Ok(v) => Ok(Ok(Decoded::Fast(v))),
        Err(Fail::Py(e)) => Err(*e),
        Err(Fail::Fallback) => {
            if let Some(sh) = shadow {
                sh.nodes.clear();
                sh.members.clear();
            }
            Ok(exact(py, text))
        }
    }
}

/// `serde_json`'s own decode of `text` into Python objects.
pub fn exact<'py>(py: Python<'py>, text: &str) -> Result<Decoded<'py>, serde_json::Error> {
    let v: serde_json::Value = serde_json::from_str(text)?;
    crate::convert::to_py(py, &v)
        .map(|o| Decoded::Exact(o.into_bound(py)))
        .map_err(<serde_json::Error as serde::de::Error>::custom)
}

/// Decodes `text` with the fast path (`exact=False`) or with `serde_json`
/// alone (`exact=True`), for tests comparing the two.
#[pyfunction]
#[pyo3(signature = (text, exact=false))]
pub fn _decode_json_for_tests(py: Python<'_>, text: &str, exact: bool) -> PyResult<(Py<PyAny>, bool)> {
    let to_err = |e: serde_json::Error| crate::errors::to_pyerr(py, crate::fast::payload_error(e));
    if exact {
        return match self::exact(py, text) {
            Ok(Decoded::Fast(v) | Decoded::Exact(v)) => Ok((v.unbind(), false)),
            Err(e) => Err(to_err(e)),
        };
    }
    let mut guard = STR_CACHE.try_lock().ok();
    let mut strs = Strs::new(guard.as_deref_mut());
    match decode_with_shadow(py, text, &mut strs, None)? {
        Ok(Decoded::Fast(v)) => Ok((v.unbind(), true)),
        Ok(Decoded::Exact(v)) => Ok((v.unbind(), false)),
        Err(e) => Err(to_err(e)),
    }
}
