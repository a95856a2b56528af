//! A validating, shallow parse of a webhook body: the whole text is checked
//! exactly as `serde_json::from_str::<Value>` checks it (same errors), but
//! only the top two levels of objects are kept, which is all the
//! normaliser reads. Strings without escapes are borrowed from the text.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::normalize::{JsonText, JsonView};

/// Objects nested deeper than this (the root is level 0) are validated but
/// not kept.
const KEPT_LEVELS: usize = 2;

/// A body parsed by [`ShallowBody::parse`]; read it through [`ShallowBody::root`].
#[derive(Debug)]
pub struct ShallowBody<'a> {
    text: &'a str,
    root: Node<'a>,
}

#[derive(Debug)]
enum Node<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Str(Cow<'a, str>),
    /// An object at a kept level: members in first-seen order, a repeated
    /// key keeping its first position and its last value (like `Value`).
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
    /// An array, or an object below the kept levels.
    Deep {
        object: bool,
        empty: bool,
    },
}

impl<'a> ShallowBody<'a> {
    /// Parses and validates `text` (one JSON value, optional surrounding
    /// whitespace). The error is `serde_json`'s, exactly as parsing into a
    /// `Value` reports it.
    pub fn parse(text: &'a str) -> Result<Self, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let root = Seed { level: 0 }.deserialize(&mut de)?;
        de.end()?;
        Ok(Self { text, root })
    }

    /// The root value.
    pub fn root(&self) -> ShallowNode<'_> {
        ShallowNode { body: self, node: &self.root, path: [None, None] }
    }
}

/// One value of a [`ShallowBody`].
#[derive(Clone, Copy)]
pub struct ShallowNode<'b> {
    body: &'b ShallowBody<'b>,
    node: &'b Node<'b>,
    /// The keys leading here from the root (at most two: kept levels).
    path: [Option<&'b str>; 2],
}

impl fmt::Debug for ShallowNode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ShallowNode").field("path", &self.path).finish_non_exhaustive()
    }
}

impl<'b> ShallowNode<'b> {
    /// The full value, by parsing the body again and walking to this node
    /// (only needed to print a container, which the normaliser does only for
    /// odd bodies).
    fn full(&self) -> Value {
        let mut v: Value = serde_json::from_str(self.body.text).unwrap_or(Value::Null);
        for key in self.path.iter().flatten() {
            v = v.get_mut(*key).map(Value::take).unwrap_or(Value::Null);
        }
        v
    }
}

impl<'b> JsonView for ShallowNode<'b> {
    fn member(&self, key: &str) -> Option<Self> {
        let Node::Object(members) = self.node else { return None };
        let (k, node) = members.iter().find(|(k, _)| k == key)?;
        let mut path = self.path;
        if let Some(slot) = path.iter_mut().find(|p| p.is_none()) {
            *slot = Some(k.as_ref());
        }
        Some(ShallowNode { body: self.body, node, path })
    }
    fn is_object(&self) -> bool {
        matches!(self.node, Node::Object(_) | Node::Deep { object: true, .. })
    }
    fn is_string(&self) -> bool {
        matches!(self.node, Node::Str(_))
    }
    fn as_str(&self) -> Option<Cow<'_, str>> {
        match self.node {
            Node::Str(s) => Some(Cow::Borrowed(s.as_ref())),
            _ => None,
        }
    }
    fn truthy(&self) -> bool {
        match self.node {
            Node::Null | Node::Bool(false) => false,
            Node::Bool(true) => true,
            Node::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
            Node::Str(s) => !s.is_empty(),
            Node::Object(m) => !m.is_empty(),
            Node::Deep { empty, .. } => !empty,
        }
    }
    fn text(&self) -> String {
        match self.node {
            Node::Null => String::new(),
            Node::Str(s) => s.clone().into_owned(),
            Node::Bool(true) => "True".to_owned(),
            Node::Bool(false) => "False".to_owned(),
            Node::Number(n) => n.to_string(),
            Node::Object(_) | Node::Deep { .. } => self.full().to_string(),
        }
    }
}

impl<'b> JsonText<'b> for ShallowNode<'b> {
    fn text_cow(&self) -> Cow<'b, str> {
        match self.node {
            Node::Str(s) => Cow::Borrowed(s.as_ref()),
            _ => Cow::Owned(self.text()),
        }
    }
}

/// Parses one value at `level`.
struct Seed {
    level: usize,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Node<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(NodeVisitor { level: self.level })
    }
}

struct NodeVisitor {
    level: usize,
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(Node::Null)
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Node::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // serde_json only produces finite floats.
        Ok(Number::from_f64(v).map(Node::Number).unwrap_or(Node::Null))
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Node::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Node::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut empty = true;
        while seq.next_element_seed(Skip)?.is_some() {
            empty = false;
        }
        Ok(Node::Deep { object: false, empty })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if self.level >= KEPT_LEVELS {
            let mut empty = true;
            while map.next_key_seed(Skip)?.is_some() {
                map.next_value_seed(Skip)?;
                empty = false;
            }
            return Ok(Node::Deep { object: true, empty });
        }
        let mut members: Vec<(Cow<'de, str>, Node<'de>)> = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(Seed { level: self.level + 1 })?;
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key, value)),
            }
        }
        Ok(Node::Object(members))
    }
}

/// An object key, borrowed from the text when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// Validates one value the way parsing into a `Value` does (strings are
/// decoded, so bad escapes and lone surrogates are errors, unlike
/// `serde::de::IgnoredAny`) and keeps nothing.
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}
