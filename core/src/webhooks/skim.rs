//! A fast, non-validating skim of a webhook body for a host that parses the
//! body itself with a strict JSON parser (JavaScript's `JSON.parse`).
//!
//! [`SkimBody::parse`] walks the text once, byte by byte, without building
//! anything but a small index of the members of the top two levels of
//! objects (the only ones the normaliser reads); every other value is
//! skipped (strings by scanning for `"` and `\`, containers by depth
//! counting), and strings and keys are borrowed from the text (decoded only
//! when the normaliser reads one that has escapes).
//!
//! It is safe on any input: no recursion beyond the two indexed levels, no
//! panics, and it gives up (`None`) on anything it does not fully
//! understand, so that the caller falls back to the validating
//! [`ShallowBody`](super::ShallowBody). It never accepts a body that
//! `serde_json` would reject *and* a strict JSON parser would accept: it
//! gives up on nesting deeper than [`MAX_DEPTH`] levels, on numbers with an
//! exponent or of more than [`MAX_NUMBER_LEN`] characters (which could be
//! out of range for `serde_json`), and on invalid escapes or lone surrogate
//! escapes. Bodies that are not JSON at all may be skimmed without error:
//! the host's own parse rejects those.

use std::borrow::Cow;
use std::fmt;

use serde_json::{Number, Value};

use super::normalize::{JsonText, JsonView};

pub mod tape;

/// Deepest nesting the skim accepts (well within `serde_json`'s limit of 128).
pub const MAX_DEPTH: usize = 100;

/// Longest number the skim accepts (a longer one might be out of `f64`
/// range, which `serde_json` reports as an error).
pub const MAX_NUMBER_LEN: usize = 300;

/// Objects at levels below this (the root is level 0) have their members
/// indexed.
const INDEXED_LEVELS: usize = 2;

/// At most this many indexed members (more: give up and let the caller
/// fall back).
const MAX_ENTRIES: usize = 4096;

/// The kind of an indexed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    True,
    False,
    Number,
    /// A string; `escaped` when its text has a `\`.
    Str {
        escaped: bool,
    },
    Object {
        empty: bool,
    },
    Array {
        empty: bool,
    },
}

/// One indexed value: the root (entry 0) or a member of an indexed object.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Index of the object's first member's entry (0: none).
    first: u32,
    /// Index of the next member of the same object (0: none).
    next: u32,
    /// Byte span of the key's text, without quotes (empty for the root).
    key: (u32, u32),
    key_escaped: bool,
    /// Byte span of the value's text (strings without their quotes).
    value: (u32, u32),
    kind: Kind,
}

impl Entry {
    const EMPTY: Entry =
        Entry { first: 0, next: 0, key: (0, 0), key_escaped: false, value: (0, 0), kind: Kind::Null };
}

/// A body skimmed by [`SkimBody::parse`]; read it through [`SkimBody::root`].
#[derive(Debug)]
pub struct SkimBody<'a> {
    text: &'a str,
    entries: Vec<Entry>,
}

impl<'a> SkimBody<'a> {
    /// Skims `text` (one JSON value, optional surrounding whitespace).
    /// `None` when the skim gives up (see the module documentation): the
    /// caller then parses the body with a validating parser.
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut s = Scanner { b: text.as_bytes(), i: 0, entries: Vec::with_capacity(24) };
        s.ws();
        s.entries.push(Entry::EMPTY);
        let (kind, span) = s.value(0, 0)?;
        s.entries[0].kind = kind;
        s.entries[0].value = span;
        s.ws();
        if s.i != s.b.len() {
            return None;
        }
        Some(Self { text, entries: s.entries })
    }

    /// The root value.
    pub fn root(&self) -> SkimNode<'_> {
        SkimNode { body: self, index: 0 }
    }

    fn slice(&self, (start, end): (u32, u32)) -> &'a str {
        self.text.get(start as usize..end as usize).unwrap_or("")
    }
}

/// One value of a [`SkimBody`].
#[derive(Clone, Copy)]
pub struct SkimNode<'b> {
    body: &'b SkimBody<'b>,
    index: u32,
}

impl fmt::Debug for SkimNode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SkimNode").field("index", &self.index).finish_non_exhaustive()
    }
}

impl<'b> SkimNode<'b> {
    fn entry(&self) -> Entry {
        // `index` always comes from the body's own entries.
        self.body.entries.get(self.index as usize).copied().unwrap_or(Entry::EMPTY)
    }

    /// The value's JSON text (for strings, without quotes).
    fn raw(&self) -> &'b str {
        self.body.slice(self.entry().value)
    }
}

impl<'b> JsonView for SkimNode<'b> {
    fn member(&self, key: &str) -> Option<Self> {
        let me = self.entry();
        if !matches!(me.kind, Kind::Object { .. }) {
            return None;
        }
        // The last member with this key wins, as in `JSON.parse` and
        // `serde_json::Value`. Members are indexed after their object, so
        // the links only go forward.
        let mut found = None;
        let mut at = me.first;
        while at != 0 {
            let Some(e) = self.body.entries.get(at as usize) else { break };
            let same = if e.key_escaped {
                unescape(self.body.slice(e.key)) == key
            } else {
                (e.key.1 - e.key.0) as usize == key.len() && self.body.slice(e.key) == key
            };
            if same {
                found = Some(at);
            }
            at = e.next;
        }
        found.map(|index| SkimNode { body: self.body, index })
    }
    fn is_object(&self) -> bool {
        matches!(self.entry().kind, Kind::Object { .. })
    }
    fn is_string(&self) -> bool {
        matches!(self.entry().kind, Kind::Str { .. })
    }
    fn as_str(&self) -> Option<Cow<'_, str>> {
        match self.entry().kind {
            Kind::Str { escaped: false } => Some(Cow::Borrowed(self.raw())),
            Kind::Str { escaped: true } => Some(Cow::Owned(unescape(self.raw()))),
            _ => None,
        }
    }
    fn truthy(&self) -> bool {
        match self.entry().kind {
            Kind::Null | Kind::False => false,
            Kind::True => true,
            Kind::Number => number(self.raw()).and_then(|n| n.as_f64()).is_some_and(|f| f != 0.0),
            Kind::Str { .. } => !self.raw().is_empty(),
            Kind::Object { empty } | Kind::Array { empty } => !empty,
        }
    }
    fn text(&self) -> String {
        match self.entry().kind {
            Kind::Null => String::new(),
            Kind::True => "True".to_owned(),
            Kind::False => "False".to_owned(),
            Kind::Str { escaped: false } => self.raw().to_owned(),
            Kind::Str { escaped: true } => unescape(self.raw()),
            Kind::Number => number(self.raw()).map(|n| n.to_string()).unwrap_or_default(),
            // Containers are printed only for odd bodies: parse the subtree.
            Kind::Object { .. } | Kind::Array { .. } => {
                serde_json::from_str::<Value>(self.raw()).map(|v| v.to_string()).unwrap_or_default()
            }
        }
    }
}

impl<'b> JsonText<'b> for SkimNode<'b> {
    fn text_cow(&self) -> Cow<'b, str> {
        match self.entry().kind {
            Kind::Str { escaped: false } => Cow::Borrowed(self.raw()),
            _ => Cow::Owned(self.text()),
        }
    }
}

/// A number's text as `serde_json` reads it.
fn number(raw: &str) -> Option<Number> {
    serde_json::from_str::<Number>(raw).ok()
}

/// The end of the JSON number starting at `start` (strict grammar:
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, and no digit right
/// after it, which would make a leading zero like `01`): `(end, int_end,
/// plain)`, `int_end` where the integer part ends and `plain` when there is
/// neither a fraction nor an exponent. `None` when there is no valid number
/// at `start`.
pub fn json_number(b: &[u8], start: usize) -> Option<(usize, usize, bool)> {
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = start;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match b.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(i + 1),
        _ => return None,
    };
    let int_end = i;
    if b.get(i) == Some(&b'.') {
        let f = digits(i + 1);
        if f == i + 1 {
            return None;
        }
        i = f;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let f = digits(i);
        if f == i {
            return None;
        }
        i = f;
    }
    if b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((i, int_end, i == int_end))
}

/// Adds a member entry (key span, whether the key has escapes) to the
/// object whose entry is `me`, after its member `prev` (the last one added,
/// if any); returns the new entry's index, `None` past [`MAX_ENTRIES`].
fn push_member(
    entries: &mut Vec<Entry>,
    me: usize,
    prev: &mut Option<usize>,
    key: (u32, u32),
    key_escaped: bool,
) -> Option<usize> {
    if entries.len() >= MAX_ENTRIES {
        return None;
    }
    let slot = entries.len();
    let link = u32::try_from(slot).ok()?;
    match *prev {
        Some(p) => entries.get_mut(p)?.next = link,
        None => entries.get_mut(me)?.first = link,
    }
    *prev = Some(slot);
    entries.push(Entry { key, key_escaped, ..Entry::EMPTY });
    Some(slot)
}

/// The character of a one-letter JSON escape (`\n` → newline, the letter
/// after the backslash given); `None` for `u` and for letters JSON does not
/// define.
pub fn json_escape(letter: u8) -> Option<char> {
    Some(match letter {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    })
}

/// The code point of a UTF-16 surrogate pair (`hi` in `D800..DC00`, `lo` in
/// `DC00..E000`).
pub fn surrogate_pair(hi: u32, lo: u32) -> u32 {
    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
}

/// Decodes the text of a string whose escapes the scanner validated.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(pos) = rest.find('\\') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let Some(&c) = after.as_bytes().first() else { break };
        let mut used = 1;
        match c {
            b'u' => {
                let hi = hex4(after.as_bytes().get(1..5)).unwrap_or(0xFFFD);
                used = 5;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    let lo = match after.as_bytes().get(5..7) {
                        Some(b"\\u") => hex4(after.as_bytes().get(7..11)),
                        _ => None,
                    };
                    match lo {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            used = 11;
                            surrogate_pair(hi, lo)
                        }
                        _ => 0xFFFD,
                    }
                } else {
                    hi
                };
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            _ => out.push(json_escape(c).unwrap_or(char::from(c))),
        }
        rest = after.get(used..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The value of four hex digits.
fn hex4(digits: Option<&[u8]>) -> Option<u32> {
    let digits = digits?;
    let mut v = 0u32;
    for &d in digits {
        v = v * 16 + char::from(d).to_digit(16)?;
    }
    Some(v)
}

/// The position of the first `"` or `\\` in `b`, eight bytes at a time.
fn quote_or_backslash(b: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTES: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASHES: u64 = u64::from_ne_bytes([b'\\'; 8]);
    // A byte of `v` is zero: its high bit in the result (exact for the
    // lowest zero byte, which is the one used).
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let hits = zero(w ^ QUOTES) | zero(w ^ BACKSLASHES);
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&c| c == b'"' || c == b'\\').map(|n| at + n)
}

/// The number of `' '` bytes at the start of `b`, eight at a time (the
/// indentation of pretty-printed JSON).
fn spaces(b: &[u8]) -> usize {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // The lowest byte that is not a space has the lowest set bit.
        let other = u64::from_le_bytes(word) ^ SPACES;
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + chunks.remainder().iter().take_while(|&&c| c == b' ').count()
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    entries: Vec<Entry>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(c @ (b' ' | b'\t' | b'\n' | b'\r')) = self.peek() {
            self.i += 1;
            if c == b'\n' {
                self.indent();
            }
        }
    }

    /// Skips the spaces after a newline.
    fn indent(&mut self) {
        self.i += spaces(self.b.get(self.i..).unwrap_or_default());
    }

    fn pos(&self) -> Option<u32> {
        u32::try_from(self.i).ok()
    }

    /// One value at `level` (`depth` containers around it); returns its kind
    /// and span, the cursor after it.
    fn value(&mut self, level: usize, depth: usize) -> Option<(Kind, (u32, u32))> {
        let start = self.pos()?;
        let kind = match self.peek()? {
            b'{' if level < INDEXED_LEVELS => {
                let empty = self.object(level, depth + 1)?;
                Kind::Object { empty }
            }
            b'{' | b'[' => {
                let (object, empty) = self.skip_container(depth)?;
                if object {
                    Kind::Object { empty }
                } else {
                    Kind::Array { empty }
                }
            }
            b'"' => {
                self.i += 1;
                let escaped = self.string()?;
                let end = self.pos()?;
                // Exclude the quotes.
                return Some((Kind::Str { escaped }, (start + 1, end - 1)));
            }
            b't' => self.literal(b"true", Kind::True)?,
            b'f' => self.literal(b"false", Kind::False)?,
            b'n' => self.literal(b"null", Kind::Null)?,
            b'-' | b'0'..=b'9' => {
                self.number()?;
                Kind::Number
            }
            _ => return None,
        };
        Some((kind, (start, self.pos()?)))
    }

    fn literal(&mut self, word: &[u8], kind: Kind) -> Option<Kind> {
        if self.b.get(self.i..self.i + word.len())? != word {
            return None;
        }
        self.i += word.len();
        Some(kind)
    }

    fn number(&mut self) -> Option<()> {
        let start = self.i;
        while let Some(c) = self.peek() {
            match c {
                b'0'..=b'9' | b'-' | b'+' | b'.' => self.i += 1,
                // An exponent could put the number out of range.
                b'e' | b'E' => return None,
                _ => break,
            }
        }
        (self.i - start <= MAX_NUMBER_LEN).then_some(())
    }

    /// The rest of a string after its opening quote; the cursor ends after
    /// the closing quote. Returns whether it had escapes (all validated).
    #[inline(always)]
    fn string(&mut self) -> Option<bool> {
        let mut escaped = false;
        loop {
            let rest = self.b.get(self.i..)?;
            self.i += quote_or_backslash(rest)?;
            if self.b.get(self.i) == Some(&b'"') {
                self.i += 1;
                return Some(escaped);
            }
            escaped = true;
            self.escape()?;
        }
    }

    /// One escape at the cursor (a `\`), validated as `serde_json` does:
    /// a known escape, `\u` with four hex digits, surrogates in pairs.
    #[cold]
    #[inline(never)]
    fn escape(&mut self) -> Option<()> {
        match self.b.get(self.i + 1)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                self.i += 2;
                Some(())
            }
            b'u' => {
                let hi = hex4(self.b.get(self.i + 2..self.i + 6))?;
                self.i += 6;
                if (0xDC00..0xE000).contains(&hi) {
                    return None;
                }
                if (0xD800..0xDC00).contains(&hi) {
                    if self.b.get(self.i..self.i + 2)? != b"\\u" {
                        return None;
                    }
                    let lo = hex4(self.b.get(self.i + 2..self.i + 6))?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    self.i += 6;
                }
                Some(())
            }
            _ => None,
        }
    }

    /// An indexed object at `level` (cursor on `{`); returns whether it is
    /// empty.
    fn object(&mut self, level: usize, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        // The entry of this object is the last one pushed (the root, or the
        // member whose value this is), see below.
        let me = self.entries.len().checked_sub(1)?;
        let mut prev: Option<usize> = None;
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
            let key_start = self.pos()?;
            let key_escaped = self.string()?;
            let key = (key_start, self.pos()? - 1);
            self.ws();
            if self.peek()? != b':' {
                return None;
            }
            self.i += 1;
            self.ws();
            let slot = push_member(&mut self.entries, me, &mut prev, key, key_escaped)?;
            let (kind, value) = self.value(level + 1, depth)?;
            let e = self.entries.get_mut(slot)?;
            e.kind = kind;
            e.value = value;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b'}' => {
                    self.i += 1;
                    return Some(false);
                }
                _ => return None,
            }
        }
    }

    /// Skips a container (cursor on `{` or `[`) nested in `depth` others;
    /// returns whether it is an object and whether it is empty. Structure
    /// is only checked by bracket counting (the host's parser validates).
    fn skip_container(&mut self, depth: usize) -> Option<(bool, bool)> {
        let object = self.peek()? == b'{';
        self.i += 1;
        self.ws();
        let empty = matches!(self.peek()?, b'}' | b']');
        let mut open = 1usize;
        if depth + open > MAX_DEPTH {
            return None;
        }
        while open > 0 {
            let c = *self.b.get(self.i)?;
            self.i += 1;
            match c {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    open += 1;
                    if depth + open > MAX_DEPTH {
                        return None;
                    }
                }
                b'}' | b']' => open -= 1,
                b'\n' => self.indent(),
                // An exponent (after a digit or `.`; `true`/`false` have
                // letters before their `e`) could be out of range.
                b'e' | b'E' if matches!(self.b.get(self.i.wrapping_sub(2)), Some(b'0'..=b'9' | b'.')) => {
                    return None
                }
                b'0'..=b'9' => {
                    let start = self.i - 1;
                    while let Some(b'0'..=b'9') = self.peek() {
                        self.i += 1;
                    }
                    if self.i - start > MAX_NUMBER_LEN {
                        return None;
                    }
                }
                _ => {}
            }
        }
        Some((object, empty))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_decodes_every_escape() {
        assert_eq!(unescape(r#"a\"b\\c\/d\b\f\n\r\t"#), "a\"b\\c/d\u{8}\u{c}\n\r\t");
        assert_eq!(unescape(r"\u0074ype"), "type");
        assert_eq!(unescape(r"x\ud83d\ude00y"), "x\u{1F600}y");
        assert_eq!(unescape(r"\u00e9"), "\u{e9}");
    }

    #[test]
    fn quote_or_backslash_finds_the_first_at_any_offset() {
        for len in 0..40 {
            for at in 0..len {
                for c in [b'"', b'\\'] {
                    let mut b = vec![b'a'; len];
                    // Bytes next to the targets that the word trick could misread.
                    b.iter_mut()
                        .enumerate()
                        .for_each(|(i, x)| *x = [b'!', b'#', b'[', b']', 0x01, 0xff][i % 6]);
                    b[at] = c;
                    if at + 1 < len {
                        b[at + 1] = b'"';
                    }
                    assert_eq!(quote_or_backslash(&b), Some(at), "{len} {at}");
                }
            }
            assert_eq!(quote_or_backslash(&vec![b'x'; len]), None);
        }
    }

    #[test]
    fn spaces_counts_the_leading_spaces() {
        for len in 0..30 {
            for n in 0..=len {
                let mut b = vec![b' '; n];
                b.extend(std::iter::repeat_n(b'x', len - n));
                assert_eq!(spaces(&b), n, "{len} {n}");
                if n < len {
                    // Bytes one bit away from a space.
                    for c in [b'\0', 0x21, 0xa0, b'\t', b'\n', 0x30] {
                        b[n] = c;
                        assert_eq!(spaces(&b), n, "{len} {n} {c}");
                    }
                }
            }
        }
    }

    #[test]
    fn scanner_rejects_bad_escapes() {
        for bad in [r#""\x""#, r#""\u12""#, r#""\ud800""#, r#""\udc00""#, r#""\ud800\u0041""#, r#""abc"#] {
            assert!(SkimBody::parse(bad).is_none(), "{bad}");
        }
        assert!(SkimBody::parse(r#""\ud83d\ude00""#).is_some());
    }

    /// The members of the root that the skim indexed, as `serde_json` reads
    /// their text.
    fn root_members(body: &str) -> Option<Vec<(String, Value)>> {
        let skim = SkimBody::parse(body)?;
        let v: Value = serde_json::from_str(body).unwrap();
        let keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        Some(
            keys.into_iter()
                .map(|k| {
                    let node = skim.root().member(&k).unwrap();
                    let e = node.entry();
                    let raw = node.raw();
                    let value = match e.kind {
                        Kind::Str { .. } => Value::String(node.as_str().unwrap().into_owned()),
                        _ => serde_json::from_str(raw).unwrap(),
                    };
                    (k, value)
                })
                .collect(),
        )
    }

    #[test]
    fn skipped_containers_end_at_their_own_bracket() {
        let bodies = [
            // Brackets, quotes and backslashes inside strings of skipped containers.
            r#"{"a": {"b": ["x]}\"", {"c": "}]{["}], "d": 1}, "z": "end"}"#,
            r#"{"a": {"b": [[[["\\"]]], "\\\\", "\"]"]}, "z": "e"}"#,
            r#"{"a": {"b": {"k]": {"\"}": [true, false, null, "e", 1.5, -2]}}}, "z": [1,{"q":"]"}]}"#,
            // Escapes of every kind in skipped strings, surrogate pairs too.
            r#"{"a": {"b": ["\u00e9\ud83d\ude00\n\t\/\b\f\r", "\u005d"]}, "z": 0}"#,
            // Non-ASCII text around the brackets.
            "{\"a\": {\"b\": [\"é€😀]\", {\"}\": \"ü\"}], \"c\": \"ß\"}, \"z\": \"😀\"}",
            // Whitespace everywhere, long strings.
            "{ \"a\" : { \"b\" : [ \n\t { } , [ ] , \"\" , \"x\" ] \r\n } , \"z\" : [ ] }",
            &format!(
                r#"{{"a": {{"b": ["{}", {{"c": "{}\"]"}}]}}, "z": true}}"#,
                "y".repeat(1000),
                "w".repeat(77)
            ),
            // A number of exactly the longest length, in a skipped container.
            &format!(r#"{{"a": {{"b": [{}]}}, "z": false}}"#, "7".repeat(MAX_NUMBER_LEN)),
        ];
        for body in bodies {
            let expected: Value = serde_json::from_str(body).unwrap();
            let members = root_members(body).unwrap_or_else(|| panic!("skim gave up on {body}"));
            let got: serde_json::Map<String, Value> = members.into_iter().collect();
            assert_eq!(Value::Object(got), expected, "{body}");
        }
    }

    #[test]
    fn skipped_containers_give_up_where_serde_json_might_not_agree() {
        let deep = format!(r#"{{"a": {{"b": {}{}}}}}"#, "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let long = format!(r#"{{"a": {{"b": [{}]}}}}"#, "7".repeat(MAX_NUMBER_LEN + 1));
        for bad in [
            r#"{"a": {"b": [1e400]}}"#,
            r#"{"a": {"b": [1.5E3]}}"#,
            r#"{"a": {"b": [{"c": 2e1}]}}"#,
            r#"{"a": {"b": ["\x"]}}"#,
            r#"{"a": {"b": ["\ud800"]}}"#,
            r#"{"a": {"b": ["unterminated]}}"#,
            r#"{"a": {"b": [1, 2"#,
            deep.as_str(),
            long.as_str(),
        ] {
            assert!(SkimBody::parse(bad).is_none(), "{bad}");
        }
        // Just within the depth limit: accepted.
        let ok = format!(r#"{{"a": {{"b": {}{}}}}}"#, "[".repeat(MAX_DEPTH - 3), "]".repeat(MAX_DEPTH - 3));
        assert!(SkimBody::parse(&ok).is_some());
    }
}
