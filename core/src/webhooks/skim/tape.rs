//! A validating parse of a webhook body for a JavaScript host: the skim's
//! index of the top two levels (for the normaliser) plus a *build tape*,
//! from which the host builds exactly the tree `JSON.parse` gives without
//! parsing the text again (`bindings-node/lib/tape.ts`).
//!
//! `JSON.parse` spends most of its time discovering the shape of every
//! object (its keys, one by one). The tape names each object's *shape* (its
//! key list) by a number instead; the host compiles one builder per shape
//! (an object literal, so V8 allocates the object with its final layout in
//! one go) and fills it with the values from the tape: strings and numbers
//! as spans of the host's own string, small integers inline.
//!
//! # The tape
//!
//! A sequence of `i32` units. Positions are in UTF-16 code units of the
//! host's string (not bytes of the Rust text). Units `0..HEADER`: the total
//! length, where the values end (the definitions follow them), and flags
//! ([`FLAG_RESET`]: forget every shape before reading). Then one value,
//! each one of:
//!
//! - [`tag::STR`] `start end`: a string without escapes, the text between
//!   its quotes (`body.slice(start, end)`);
//! - [`tag::ESTR`] `start end`: a string with escapes (the host decodes
//!   `body.slice(start - 1, end + 1)` with `JSON.parse`);
//! - [`tag::NUM`] `start end`: a number's text (`Number(text)` is the value
//!   `JSON.parse` gives);
//! - [`tag::INT`] `value`: an integer in `i32` range (never `-0`);
//! - [`tag::TRUE`], [`tag::FALSE`], [`tag::NULL`];
//! - [`tag::ARR`] `n`, then `n` values;
//! - [`tag::OBJ`] `shape`, then one value per key of the shape, in order.
//!
//! After the values, definitions of the shapes the host has not been sent
//! yet: `shape n` then `start end escaped` per key (the key's text as for
//! strings). Shape 0 is the empty object and is never defined.
//!
//! # Shapes
//!
//! A [`JsonTape`] keeps the shape table of one host context (the host keeps
//! the matching builders): shapes are nodes of a tree of key transitions,
//! as V8's hidden classes are, each remembering the transition taken last
//! so that objects of one kind (the messages of a list, the deliveries of
//! one trigger) find their shape with one comparison per key. A shape is
//! defined to the host once, in the first tape that uses it and that the
//! host accepts ([`JsonTape::commit`]). The table is bounded: past
//! [`MAX_SHAPES`] it starts again empty at the next parse, with
//! [`FLAG_RESET`] in that tape.
//!
//! # What is accepted
//!
//! Exactly JSON (RFC 8259, the grammar `JSON.parse` accepts), with the
//! skim's limits, so that every body accepted here is one the validating
//! path also accepts with the same result: the parse gives up (`None`; the
//! caller falls back to the skim and `JSON.parse`) on nesting deeper than
//! 100 levels (the skim's limit), numbers out of `f64` range, lone surrogate escapes, and
//! tapes longer than the host's buffer.

use std::collections::HashMap;
use std::hash::BuildHasher as _;

use super::{json_number, push_member, spaces, Entry, Kind, SkimBody, INDEXED_LEVELS, MAX_DEPTH};

/// Units before the values: total length, end of the values, flags.
pub const HEADER: usize = 3;

/// Header flag: the host forgets every shape before reading the tape.
pub const FLAG_RESET: i32 = 1;

/// Shapes kept before the table starts again (checked between parses).
pub const MAX_SHAPES: usize = 4096;

/// Shapes one parse may create (more: the parse gives up).
const HARD_MAX_SHAPES: usize = 65_536;

/// The value tags of a tape.
pub mod tag {
    /// A string without escapes: `start end`.
    pub const STR: i32 = 0;
    /// A string with escapes: `start end` (without the quotes).
    pub const ESTR: i32 = 1;
    /// A number's text: `start end`.
    pub const NUM: i32 = 2;
    /// An integer: `value`.
    pub const INT: i32 = 3;
    /// `true`.
    pub const TRUE: i32 = 4;
    /// `false`.
    pub const FALSE: i32 = 5;
    /// `null`.
    pub const NULL: i32 = 6;
    /// An array: `n`, then `n` values.
    pub const ARR: i32 = 7;
    /// An object: `shape`, then its values.
    pub const OBJ: i32 = 8;
}

/// No transition remembered.
const NONE: u32 = u32::MAX;

/// Whether the host has a shape's builder.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sent {
    No,
    /// Defined in the last tape, not yet committed.
    Pending,
    Yes,
}

/// A node of the shape tree: the shape of its parent plus one key.
struct Shape {
    parent: u32,
    /// The key's raw text (between the quotes): its first 16 bytes padded
    /// with zeros, its length, and all of it in the arena.
    words: [u64; 2],
    len: u32,
    key: (u32, u32),
    /// The children reached last from this shape, the latest first.
    expected: [u32; 4],
    sent: Sent,
}

impl Shape {
    /// Whether this shape's key is `key`, whose [`words16`] are `words`.
    #[inline(always)]
    fn has_key(&self, words: [u64; 2], key: &[u8], arena: &[u8]) -> bool {
        self.words == words
            && self.len as usize == key.len()
            && (key.len() <= 16 || arena.get(self.key.0 as usize + 16..self.key.1 as usize) == key.get(16..))
    }
}

/// The first 16 bytes of `b[at..at + len]`, padded with zeros.
#[inline(always)]
fn words16(b: &[u8], at: usize, len: usize) -> [u64; 2] {
    let mask = |w: u64, n: usize| if n >= 8 { w } else { w & !(u64::MAX << (8 * n)) };
    if at + 16 <= b.len() {
        [mask(load8(b, at), len), mask(load8(b, at + 8), len.saturating_sub(8))]
    } else {
        let mut padded = [0u8; 16];
        for (d, s) in padded.iter_mut().zip(b.get(at..at + len.min(16)).unwrap_or_default()) {
            *d = *s;
        }
        [load8(&padded, 0), load8(&padded, 8)]
    }
}

/// The shape table of one host context and the buffers of its tapes (see
/// the module documentation). One per JavaScript environment: the host
/// keeps the builders of the shapes this table has sent it.
pub struct JsonTape {
    shapes: Vec<Shape>,
    arena: Vec<u8>,
    /// Transitions by a hash of `(parent, key)`; candidates are compared.
    transitions: HashMap<u64, Vec<u32>>,
    hasher: std::collections::hash_map::RandomState,
    units: Vec<i32>,
    defs: Vec<i32>,
    /// Shapes defined by the last tape (to commit or forget).
    pending: Vec<u32>,
    /// Keys of the objects being read: `start end escaped`.
    keys: Vec<i32>,
    /// The next tape starts with [`FLAG_RESET`].
    reset: bool,
}

impl Default for JsonTape {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for JsonTape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonTape").field("shapes", &self.shapes.len()).finish_non_exhaustive()
    }
}

impl JsonTape {
    /// An empty table (only the empty shape, which the host always has).
    pub fn new() -> Self {
        Self {
            shapes: vec![Self::empty_shape()],
            arena: Vec::new(),
            transitions: HashMap::new(),
            hasher: Default::default(),
            units: Vec::new(),
            defs: Vec::new(),
            pending: Vec::new(),
            keys: Vec::new(),
            reset: false,
        }
    }

    fn empty_shape() -> Shape {
        Shape { parent: NONE, words: [0; 2], len: 0, key: (0, 0), expected: [NONE; 4], sent: Sent::Yes }
    }

    /// Forgets every shape; the next tape tells the host to do the same.
    pub fn reset(&mut self) {
        self.shapes.clear();
        self.shapes.push(Self::empty_shape());
        self.arena.clear();
        self.transitions.clear();
        self.pending.clear();
        self.reset = true;
    }

    /// The number of shapes in the table (the empty one included).
    pub fn shape_count(&self) -> usize {
        self.shapes.len()
    }

    /// Parses `text` (one JSON value, optional surrounding whitespace),
    /// writing the tape (read it with [`JsonTape::units`]) and returning the
    /// skim of the top two levels. `None` when the parse gives up (see the
    /// module documentation) or the tape would be longer than `max_units`.
    /// Shapes defined by the tape count as sent only after
    /// [`JsonTape::commit`]; a tape not committed is forgotten by the next
    /// parse.
    pub fn parse<'a>(&mut self, text: &'a str, max_units: usize) -> Option<SkimBody<'a>> {
        self.forget_pending();
        if self.shapes.len() > MAX_SHAPES {
            self.reset();
        }
        self.units.clear();
        self.defs.clear();
        self.keys.clear();
        self.units.extend_from_slice(&[0; HEADER]);
        self.units.reserve(text.len() / 2);
        let mut s = Scan { b: text.as_bytes(), i: 0, adj: 0, entries: Vec::with_capacity(24), t: self };
        s.ws();
        s.entries.push(Entry::EMPTY);
        let parsed = s.value(0, 0).and_then(|(kind, span)| {
            s.ws();
            (s.i == s.b.len()).then_some((kind, span))
        });
        let entries = std::mem::take(&mut s.entries);
        let Some((kind, span)) = parsed else {
            self.forget_pending();
            return None;
        };
        let values_end = self.units.len();
        self.units.extend_from_slice(&self.defs);
        let total = self.units.len();
        if total > max_units || i32::try_from(total).is_err() {
            self.forget_pending();
            return None;
        }
        self.units[0] = total as i32;
        self.units[1] = values_end as i32;
        self.units[2] = if self.reset { FLAG_RESET } else { 0 };
        let mut entries = entries;
        entries[0].kind = kind;
        entries[0].value = span;
        Some(SkimBody { text, entries })
    }

    /// The last tape (header, values, definitions).
    pub fn units(&self) -> &[i32] {
        &self.units
    }

    /// The host has the last tape: its shapes count as sent, and a reset it
    /// carried is done.
    pub fn commit(&mut self) {
        for &id in &self.pending {
            if let Some(s) = self.shapes.get_mut(id as usize) {
                s.sent = Sent::Yes;
            }
        }
        self.pending.clear();
        self.reset = false;
    }

    fn forget_pending(&mut self) {
        for &id in &self.pending {
            if let Some(s) = self.shapes.get_mut(id as usize) {
                s.sent = Sent::No;
            }
        }
        self.pending.clear();
    }

    /// The shape reached from `from` by adding `key` (raw text, whose
    /// [`words16`] are `words`), made if new.
    #[inline(always)]
    fn transition(&mut self, from: u32, words: [u64; 2], key: &[u8]) -> Option<u32> {
        let expected = self.shapes.get(from as usize)?.expected;
        for e in expected {
            if let Some(child) = self.shapes.get(e as usize) {
                if child.has_key(words, key, &self.arena) {
                    return Some(e);
                }
            }
        }
        self.transition_slow(from, words, key)
    }

    #[inline(never)]
    fn transition_slow(&mut self, from: u32, words: [u64; 2], key: &[u8]) -> Option<u32> {
        let hash = self.hasher.hash_one((from, key));
        let found = self.transitions.get(&hash).and_then(|ids| {
            ids.iter().copied().find(|&id| {
                self.shapes
                    .get(id as usize)
                    .is_some_and(|s| s.parent == from && s.has_key(words, key, &self.arena))
            })
        });
        let id = match found {
            Some(id) => id,
            None => {
                if self.shapes.len() >= HARD_MAX_SHAPES {
                    return None;
                }
                let id = self.shapes.len() as u32;
                let start = u32::try_from(self.arena.len()).ok()?;
                self.arena.extend_from_slice(key);
                let end = u32::try_from(self.arena.len()).ok()?;
                let len = u32::try_from(key.len()).ok()?;
                let expected = [NONE; 4];
                self.shapes.push(Shape {
                    parent: from,
                    words,
                    len,
                    key: (start, end),
                    expected,
                    sent: Sent::No,
                });
                self.transitions.entry(hash).or_default().push(id);
                id
            }
        };
        let parent = self.shapes.get_mut(from as usize)?;
        let e = parent.expected;
        parent.expected = [id, e[0], e[1], e[2]];
        Some(id)
    }
}

#[inline(always)]
fn load8(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

const HIGH: u64 = 0x8080_8080_8080_8080;

/// The bytes of `x` that are `"`, `\` or below 0x20, as their high bits
/// (the lowest one is exact; higher ones may be false hits).
#[inline(always)]
fn stop8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v;
    let quote = zero(x ^ (ONES * u64::from(b'"')));
    let slash = zero(x ^ (ONES * u64::from(b'\\')));
    let below = x.wrapping_sub(ONES * 0x20) & !x;
    (quote | slash | below) & HIGH
}

/// Bytes minus UTF-16 units of the UTF-8 in `x`, counted at its lead bytes
/// (0xC0 and up: one less unit than bytes; 0xE0 and up: two less), for
/// words of whole characters or parts that the count is split over.
#[inline(always)]
fn adj8(x: u64) -> usize {
    if x & HIGH == 0 {
        return 0;
    }
    let two = x & (x << 1) & HIGH;
    let three = two & (x << 2);
    (two.count_ones() + three.count_ones()) as usize
}

/// The value of four hex digits at `at`.
fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let mut v = 0u32;
    for &d in b.get(at..at + 4)? {
        v = v * 16 + char::from(d).to_digit(16)?;
    }
    Some(v)
}

struct Scan<'a, 't> {
    b: &'a [u8],
    /// Byte position.
    i: usize,
    /// Bytes minus UTF-16 units before `i`.
    adj: usize,
    entries: Vec<Entry>,
    t: &'t mut JsonTape,
}

impl Scan<'_, '_> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// The UTF-16 position of byte `i` (valid for positions from the start
    /// of the current token on: no multi-byte character lies between).
    #[inline(always)]
    fn unit(&self, i: usize) -> i32 {
        (i - self.adj) as i32
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(c @ (b' ' | b'\t' | b'\n' | b'\r')) = self.peek() {
            self.i += 1;
            if c == b'\n' {
                self.i += spaces(self.b.get(self.i..).unwrap_or_default());
            }
        }
    }

    #[inline(always)]
    fn pos(&self) -> Option<u32> {
        u32::try_from(self.i).ok()
    }

    #[inline(always)]
    fn emit1(&mut self, a: i32) {
        self.t.units.push(a);
    }

    #[inline(always)]
    fn emit2(&mut self, a: i32, b: i32) {
        self.t.units.push(a);
        self.t.units.push(b);
    }

    #[inline(always)]
    fn emit3(&mut self, a: i32, b: i32, c: i32) {
        self.t.units.push(a);
        self.t.units.push(b);
        self.t.units.push(c);
    }

    /// One value at an indexed level (`depth` containers around it),
    /// written to the tape; returns its kind and byte span (strings without
    /// quotes).
    fn value(&mut self, level: usize, depth: usize) -> Option<(Kind, (u32, u32))> {
        let start = self.pos()?;
        let kind = match self.peek()? {
            b'"' => {
                let escaped = self.string_value()?;
                return Some((Kind::Str { escaped }, (start + 1, self.pos()? - 1)));
            }
            b'{' => Kind::Object { empty: self.object(level, depth + 1)? },
            b'[' => Kind::Array { empty: self.array(depth + 1)? },
            b't' => self.literal(b"true", tag::TRUE, Kind::True)?,
            b'f' => self.literal(b"false", tag::FALSE, Kind::False)?,
            b'n' => self.literal(b"null", tag::NULL, Kind::Null)?,
            b'-' | b'0'..=b'9' => {
                self.number()?;
                Kind::Number
            }
            _ => return None,
        };
        Some((kind, (start, self.pos()?)))
    }

    /// One value below the indexed levels, written to the tape only.
    fn deep_value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'"' => self.string_value().map(drop),
            b'{' => self.object(INDEXED_LEVELS, depth + 1).map(drop),
            b'[' => self.array(depth + 1).map(drop),
            b't' => self.literal(b"true", tag::TRUE, Kind::True).map(drop),
            b'f' => self.literal(b"false", tag::FALSE, Kind::False).map(drop),
            b'n' => self.literal(b"null", tag::NULL, Kind::Null).map(drop),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    /// A string value (cursor on its opening quote), written to the tape;
    /// whether it had escapes.
    #[inline(always)]
    fn string_value(&mut self) -> Option<bool> {
        self.i += 1;
        let su = self.unit(self.i);
        let escaped = self.string()?;
        // `self.i` is past the closing quote.
        let eu = self.unit(self.i - 1);
        self.emit3(if escaped { tag::ESTR } else { tag::STR }, su, eu);
        Some(escaped)
    }

    fn literal(&mut self, word: &[u8], t: i32, kind: Kind) -> Option<Kind> {
        if self.b.get(self.i..self.i + word.len())? != word {
            return None;
        }
        self.i += word.len();
        self.emit1(t);
        Some(kind)
    }

    /// A number (strict JSON grammar), as [`tag::INT`] when it is a plain
    /// integer in `i32` range other than `-0`, else as its text; gives up
    /// when it is out of `f64` range (`serde_json` rejects those).
    fn number(&mut self) -> Option<()> {
        let b = self.b;
        let start = self.i;
        let (i, _, plain) = json_number(b, start)?;
        self.i = i;
        // ASCII digits and signs: always a `str`.
        let text = std::str::from_utf8(b.get(start..i)?).ok()?;
        if plain && i - start <= 11 {
            if let Ok(v) = text.parse::<i32>() {
                if !(v == 0 && text.starts_with('-')) {
                    self.emit2(tag::INT, v);
                    return Some(());
                }
            }
        }
        if !text.parse::<f64>().ok()?.is_finite() {
            return None;
        }
        let (su, eu) = (self.unit(start), self.unit(i));
        self.emit3(tag::NUM, su, eu);
        Some(())
    }

    /// The rest of a string after its opening quote; the cursor ends after
    /// the closing quote. Returns whether it had escapes (all validated).
    #[inline(always)]
    fn string(&mut self) -> Option<bool> {
        let b = self.b;
        let mut i = self.i;
        let mut escaped = false;
        loop {
            if i + 8 <= b.len() {
                let x = load8(b, i);
                let stop = stop8(x);
                if stop == 0 {
                    self.adj += adj8(x);
                    i += 8;
                    continue;
                }
                // The lowest flagged byte is a true hit.
                let k = (stop.trailing_zeros() / 8) as usize;
                if k > 0 {
                    self.adj += adj8(x & !(u64::MAX << (8 * k)));
                    i += k;
                }
            }
            let c = *b.get(i)?;
            match c {
                b'"' => {
                    self.i = i + 1;
                    return Some(escaped);
                }
                b'\\' => {
                    escaped = true;
                    i = escape(b, i)?;
                }
                0..=0x1f => return None,
                0x80..=0xff => {
                    // A lead byte: 2 bytes -> 1 unit, 3 -> 1, 4 -> 2.
                    self.adj += usize::from(c >= 0xC0) + usize::from(c >= 0xE0);
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }

    /// An object (cursor on `{`) at `level`; its members are indexed when
    /// `level` is one of the indexed levels. Returns whether it is empty.
    fn object(&mut self, level: usize, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let indexed = level < INDEXED_LEVELS;
        // The entry of this object is the last one pushed (the root, or the
        // member whose value this is).
        let me = self.entries.len().checked_sub(1)?;
        let mut prev: Option<usize> = None;
        let slot = self.t.units.len();
        self.emit2(tag::OBJ, 0);
        let keys_base = self.t.keys.len();
        let mut shape = 0u32;
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(true);
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            self.i += 1;
            let key_start = self.i;
            let ku = self.unit(key_start);
            let key_escaped = self.string()?;
            let key_end = self.i - 1;
            let kue = self.unit(key_end);
            let words = words16(self.b, key_start, key_end - key_start);
            shape = self.t.transition(shape, words, self.b.get(key_start..key_end)?)?;
            let keys = &mut self.t.keys;
            keys.push(ku);
            keys.push(kue);
            keys.push(i32::from(key_escaped));
            self.ws();
            if self.peek()? != b':' {
                return None;
            }
            self.i += 1;
            self.ws();
            if indexed {
                let key = (u32::try_from(key_start).ok()?, u32::try_from(key_end).ok()?);
                let at = push_member(&mut self.entries, me, &mut prev, key, key_escaped)?;
                let (kind, value) = self.value(level + 1, depth)?;
                let e = self.entries.get_mut(at)?;
                e.kind = kind;
                e.value = value;
            } else {
                self.deep_value(depth)?;
            }
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b'}' => {
                    self.i += 1;
                    break;
                }
                _ => return None,
            }
        }
        *self.t.units.get_mut(slot + 1)? = shape as i32;
        let s = self.t.shapes.get_mut(shape as usize)?;
        if s.sent == Sent::No {
            s.sent = Sent::Pending;
            self.t.pending.push(shape);
            let n = (self.t.keys.len() - keys_base) / 3;
            self.t.defs.extend_from_slice(&[shape as i32, n as i32]);
            let JsonTape { keys, defs, .. } = &mut *self.t;
            defs.extend_from_slice(keys.get(keys_base..)?);
        }
        self.t.keys.truncate(keys_base);
        Some(false)
    }

    /// An array (cursor on `[`); returns whether it is empty. Its items are
    /// never indexed.
    fn array(&mut self, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let slot = self.t.units.len();
        self.emit2(tag::ARR, 0);
        self.i += 1;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(true);
        }
        let mut n = 0i32;
        loop {
            self.deep_value(depth)?;
            n += 1;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b']' => {
                    self.i += 1;
                    break;
                }
                _ => return None,
            }
        }
        *self.t.units.get_mut(slot + 1)? = n;
        Some(false)
    }
}

/// One escape at `i` (a `\`), validated as `serde_json` does (a known
/// escape, `\u` with four hex digits, surrogates in pairs); the position
/// after it.
#[cold]
#[inline(never)]
fn escape(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i + 1)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(i + 2),
        b'u' => {
            let hi = hex4(b, i + 2)?;
            if (0xDC00..0xE000).contains(&hi) {
                return None;
            }
            if (0xD800..0xDC00).contains(&hi) {
                if b.get(i + 6..i + 8)? != b"\\u" {
                    return None;
                }
                let lo = hex4(b, i + 8)?;
                if !(0xDC00..0xE000).contains(&lo) {
                    return None;
                }
                return Some(i + 12);
            }
            Some(i + 6)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::{json, Value};

    use super::*;
    use crate::webhooks::JsonView;

    /// What the JavaScript host does with a tape (bindings-node/lib/tape.ts),
    /// with `serde_json` standing in for `JSON.parse`.
    struct Host {
        shapes: HashMap<i32, Vec<String>>,
    }

    impl Host {
        fn new() -> Self {
            Self { shapes: HashMap::new() }
        }

        fn build(&mut self, text: &str, tape: &[i32]) -> Value {
            let units: Vec<u16> = text.encode_utf16().collect();
            let slice = |s: i32, e: i32| String::from_utf16(&units[s as usize..e as usize]).unwrap();
            let string = |escaped: i32, s: i32, e: i32| {
                if escaped != 0 {
                    serde_json::from_str::<String>(&slice(s - 1, e + 1)).unwrap()
                } else {
                    slice(s, e)
                }
            };
            assert_eq!(tape[0] as usize, tape.len());
            if tape[2] & FLAG_RESET != 0 {
                self.shapes.clear();
            }
            let mut i = tape[1] as usize;
            while i < tape.len() {
                let (shape, n) = (tape[i], tape[i + 1] as usize);
                i += 2;
                let keys = (0..n)
                    .map(|k| string(tape[i + 3 * k + 2], tape[i + 3 * k], tape[i + 3 * k + 1]))
                    .collect();
                i += 3 * n;
                assert!(self.shapes.insert(shape, keys).is_none(), "shape {shape} defined twice");
            }
            let mut at = HEADER;
            let v = self.value(tape, &mut at, &slice, &string);
            assert_eq!(at, tape[1] as usize);
            v
        }

        fn value(
            &self,
            t: &[i32],
            at: &mut usize,
            slice: &dyn Fn(i32, i32) -> String,
            string: &dyn Fn(i32, i32, i32) -> String,
        ) -> Value {
            let tag = t[*at];
            *at += 1;
            let mut next = || {
                *at += 1;
                t[*at - 1]
            };
            match tag {
                tag::STR | tag::ESTR => {
                    let (s, e) = (next(), next());
                    Value::String(string(tag, s, e))
                }
                tag::NUM => {
                    let (s, e) = (next(), next());
                    serde_json::from_str(&slice(s, e)).unwrap()
                }
                tag::INT => json!(next()),
                tag::TRUE => json!(true),
                tag::FALSE => json!(false),
                tag::NULL => Value::Null,
                tag::ARR => {
                    let n = next();
                    (0..n).map(|_| self.value(t, at, slice, string)).collect()
                }
                tag::OBJ => {
                    let shape = next();
                    let keys = if shape == 0 { &[][..] } else { &self.shapes[&shape][..] };
                    let mut o = serde_json::Map::new();
                    for k in keys {
                        let v = self.value(t, at, slice, string);
                        o.insert(k.clone(), v);
                    }
                    Value::Object(o)
                }
                other => panic!("bad tag {other}"),
            }
        }
    }

    /// Parses, builds as the host would, commits; the built tree.
    fn round_trip(tape: &mut JsonTape, host: &mut Host, text: &str) -> Value {
        let skim = tape
            .parse(text, 2 * text.encode_utf16().count() + 64)
            .unwrap_or_else(|| panic!("declined {text}"));
        let expected: Value = serde_json::from_str(text).unwrap();
        // The index agrees with the full parse on the root's members.
        if let Value::Object(o) = &expected {
            for (k, v) in o {
                let node = skim.root().member(k).unwrap();
                assert_eq!(node.is_string(), v.is_string(), "{k}");
                assert_eq!(node.is_object(), v.is_object(), "{k}");
                if let Value::String(s) = v {
                    assert_eq!(node.as_str().unwrap(), s.as_str());
                }
            }
        }
        let built = host.build(text, tape.units());
        tape.commit();
        assert_eq!(built, expected, "{text}");
        // Same order of keys everywhere (Value equality ignores it).
        assert_eq!(built.to_string(), expected.to_string());
        built
    }

    #[test]
    fn builds_exactly_the_parsed_tree() {
        let bodies = [
            r#"{"id":"msg_1","type":"composio.trigger.message","data":{"a":[1,2,{"b":null}],"c":true,"d":false}}"#,
            r#"[]"#,
            r#"{}"#,
            r#""just a string""#,
            r#"0"#,
            r#"-0"#,
            r#"  {"a" : [ ] , "b" : { } }  "#,
            "{\n  \"a\": {\n    \"b\": [\n      1,\n      \"x\"\n    ]\n  },\n\t\"c\": \"\\u00e9\"\r\n}",
            r#"{"n":[0,-1,1.5,-0.25,1e5,1E+2,-1e-7,2147483647,2147483648,-2147483648,-2147483649,12345678901234567890,0.1,-0.0,-0]}"#,
            r#"{"esc":"a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\ud83d\ude00","k\"ey":1,"\u0061":2}"#,
            "{\"é\":\"ü€😀\",\"x\":[\"😀😀\",\"a😀b€c\"],\"€uro\":{\"ß\":\"日本語のテキスト\"}}",
            r#"{"dup":1,"other":2,"dup":3}"#,
            r#"{"__proto__":{"polluted":true},"constructor":"c","0":"zero","10":"ten","1":"one"}"#,
            r#"{"a":{"b":{"c":{"d":{"e":{"f":[[[["deep"]]]]}}}}}}"#,
            r#"{"long":"0123456789abcdef0123456789abcdef0123456789","keys_longer_than_sixteen_bytes":1}"#,
        ];
        let mut tape = JsonTape::new();
        let mut host = Host::new();
        for body in bodies {
            round_trip(&mut tape, &mut host, body);
        }
        // Again, with every shape known to the host: no definitions.
        for body in bodies {
            round_trip(&mut tape, &mut host, body);
            assert_eq!(tape.units()[0], tape.units()[1], "{body} defined shapes again");
        }
    }

    #[test]
    fn non_ascii_positions_are_utf16_units() {
        let mut tape = JsonTape::new();
        let mut host = Host::new();
        // Characters of 2, 3 and 4 bytes at every offset around the 8-byte words.
        for pad in 0..20 {
            for ch in ["é", "€", "😀", "a"] {
                let s = format!("{}{}{}", "x".repeat(pad), ch.repeat(pad % 5 + 1), "y".repeat(20 - pad));
                let body = json!({ "k": s, "after": "z", &s: [s.clone(), 1] }).to_string();
                round_trip(&mut tape, &mut host, &body);
            }
        }
    }

    /// A small deterministic generator of JSON values.
    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    fn random_value(seed: &mut u64, depth: u32) -> Value {
        let next = |seed: &mut u64| xorshift(seed);
        let strings = [
            "",
            "a",
            "id",
            "from",
            "é",
            "😀x",
            "quote\"",
            "back\\slash",
            "tab\t",
            "nul\u{0}",
            "€€€€€€€€€",
            "long key name here!",
        ];
        match next(seed) % if depth > 3 { 6 } else { 8 } {
            0 => Value::Null,
            1 => json!(next(seed) % 2 == 0),
            2 => json!((next(seed) % 2_000_000) as i64 - 1_000_000),
            3 => json!(f64::from_bits(next(seed) >> 2) / 1e10),
            4 => json!((next(seed) as i64) >> (next(seed) % 64)),
            5 => json!(strings[(next(seed) % strings.len() as u64) as usize]),
            6 => (0..next(seed) % 5).map(|_| random_value(seed, depth + 1)).collect(),
            _ => {
                let n = next(seed) % 5;
                let mut o = serde_json::Map::new();
                for _ in 0..n {
                    let k = strings[(next(seed) % strings.len() as u64) as usize].to_owned();
                    o.insert(k, random_value(seed, depth + 1));
                }
                Value::Object(o)
            }
        }
    }

    #[test]
    fn random_bodies_build_exactly_compact_and_pretty() {
        let mut tape = JsonTape::new();
        let mut host = Host::new();
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            let v = random_value(&mut seed, 0);
            if v.as_f64().is_some_and(|f| !f.is_finite()) {
                continue;
            }
            round_trip(&mut tape, &mut host, &v.to_string());
            round_trip(&mut tape, &mut host, &serde_json::to_string_pretty(&v).unwrap());
        }
    }

    #[test]
    fn declines_what_it_must_not_accept() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let mut tape = JsonTape::new();
        for bad in [
            "",
            " ",
            "{",
            "{\"a\":1,}",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "01",
            "1.",
            ".5",
            "1e",
            "+1",
            "-",
            "1e400",
            "-1e400",
            "tru",
            "nul",
            "\"unterminated",
            "\"tab\tinside\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "{} {}",
            "{}x",
            "\u{feff}{}",
            "[\"a\"]\u{a0}",
            "'single'",
            "NaN",
            "[Infinity]",
            deep.as_str(),
        ] {
            assert!(tape.parse(bad, usize::MAX).is_none(), "{bad:?}");
            assert!(
                serde_json::from_str::<Value>(bad).is_err()
                    || bad == deep
                    || bad.contains("ud800")
                    || bad.contains("udc00"),
                "{bad:?} is JSON"
            );
        }
        // Just within the depth limit.
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(tape.parse(&ok, usize::MAX).is_some());
        // A tape longer than the host's buffer.
        assert!(tape.parse("[1,2,3]", 8).is_none());
        assert!(tape.parse("[1,2,3]", 11).is_some());
    }

    #[test]
    fn shapes_are_defined_once_committed_and_again_when_not() {
        let mut tape = JsonTape::new();
        let body = r#"[{"a":1,"b":2},{"a":3,"b":4},{"b":5,"a":6}]"#;
        tape.parse(body, usize::MAX).unwrap();
        let first = tape.units().to_vec();
        // Two shapes (a,b and b,a), each defined once.
        assert_eq!(first[0] - first[1], 2 * (2 + 2 * 3));
        // Not committed: defined again.
        tape.parse(body, usize::MAX).unwrap();
        assert_eq!(tape.units(), &first[..]);
        tape.commit();
        tape.parse(body, usize::MAX).unwrap();
        assert_eq!(tape.units()[0], tape.units()[1]);
        // A declined parse does not disturb what was sent.
        assert!(tape.parse(r#"[{"a":1,"b":2},{"c":1}"#, usize::MAX).is_none());
        tape.parse(r#"[{"a":1,"b":2},{"c":1}]"#, usize::MAX).unwrap();
        let u = tape.units();
        assert_eq!(u[0] - u[1], 2 + 3, "only the new shape {{c}}");
    }

    #[test]
    fn the_table_starts_again_past_its_bound() {
        let mut tape = JsonTape::new();
        let mut host = Host::new();
        let many: Vec<Value> = (0..MAX_SHAPES + 10).map(|i| json!({ format!("k{i}"): i })).collect();
        let body = Value::Array(many).to_string();
        round_trip(&mut tape, &mut host, &body);
        assert!(tape.shape_count() > MAX_SHAPES);
        assert_eq!(tape.units()[2], 0);
        let small = r#"{"k1":1}"#;
        round_trip(&mut tape, &mut host, small);
        assert_eq!(tape.units()[2], FLAG_RESET);
        assert_eq!(tape.shape_count(), 2);
        // After the reset the host rebuilt what it needs.
        round_trip(&mut tape, &mut host, &body);
    }
}
