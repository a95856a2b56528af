//! JSON-Schema rewrites the official SDKs apply while wrapping tools.
//!
//! Each function mirrors one helper of `@composio/core` 0.21 / `composio`
//! 0.30 and keeps key order exactly as the official code produces it.

use serde_json::{Map, Value};

const MAX_REF_CHAIN_DEPTH: usize = 100;
const MAX_NODE_DEPTH: usize = 512;

/// Description put on the stand-in for a `$ref` that points nowhere.
pub const UNRESOLVED_REF_DESCRIPTION: &str =
    "Schema shape unresolved at the source — validate loosely. See https://github.com/ComposioHQ/composio/issues/3307.";

fn sentinel() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("type".into(), Value::from("object"));
    m.insert("additionalProperties".into(), Value::Bool(true));
    m
}

fn resolve_pointer<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer == "#" || pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix("#/")?;
    let mut cur = root;
    for seg in rest.split('/') {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        cur = match cur {
            Value::Object(o) => o.get(&seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

struct Deref<'a> {
    root: &'a Value,
    /// Root-based pointers of the nodes currently being walked (the
    /// official code tracks object identity; in a tree, identity is the path).
    visiting: Vec<String>,
}

impl Deref<'_> {
    fn walk(&mut self, node: &Value, path: Option<String>, refs: &[String], depth: usize) -> Value {
        if depth >= MAX_NODE_DEPTH {
            return Value::Object(sentinel());
        }
        if let Some(p) = &path {
            if matches!(node, Value::Object(_) | Value::Array(_)) && self.visiting.contains(p) {
                return Value::Object(sentinel());
            }
        }
        let pushed = match (&path, node) {
            (Some(p), Value::Object(_) | Value::Array(_)) => {
                self.visiting.push(p.clone());
                true
            }
            _ => false,
        };
        let child =
            |key: &str| path.as_ref().map(|p| format!("{p}/{}", key.replace('~', "~0").replace('/', "~1")));
        let out = match node {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.walk(v, child(&i.to_string()), refs, depth + 1))
                    .collect(),
            ),
            Value::Object(obj) => {
                let reference = obj.get("$ref").and_then(Value::as_str).filter(|r| r.starts_with('#'));
                match reference {
                    None => {
                        let mut out = Map::new();
                        for (k, v) in obj {
                            if matches!(k.as_str(), "__proto__" | "constructor" | "prototype") {
                                continue;
                            }
                            out.insert(k.clone(), self.walk(v, child(k), refs, depth + 1));
                        }
                        Value::Object(out)
                    }
                    Some(r) => self.resolve_ref(obj, r, &path, refs, depth),
                }
            }
            other => other.clone(),
        };
        if pushed {
            self.visiting.pop();
        }
        out
    }

    fn resolve_ref(
        &mut self,
        obj: &Map<String, Value>,
        r: &str,
        path: &Option<String>,
        refs: &[String],
        depth: usize,
    ) -> Value {
        if refs.len() >= MAX_REF_CHAIN_DEPTH || refs.iter().any(|x| x == r) {
            return Value::Object(sentinel());
        }
        let mut next = refs.to_vec();
        next.push(r.to_string());
        let resolved = match resolve_pointer(self.root, r) {
            Some(target) => {
                let target_path = Some(if r == "#" { "#".to_string() } else { r.to_string() });
                self.walk(target, target_path, &next, depth + 1)
            }
            None => {
                let mut s = sentinel();
                s.insert("description".into(), Value::from(UNRESOLVED_REF_DESCRIPTION));
                Value::Object(s)
            }
        };
        let siblings: Vec<(&String, &Value)> = obj.iter().filter(|(k, _)| k.as_str() != "$ref").collect();
        match resolved {
            Value::Object(mut merged) if !siblings.is_empty() => {
                for (k, v) in siblings {
                    if matches!(k.as_str(), "__proto__" | "constructor" | "prototype") {
                        continue;
                    }
                    let p = path.as_ref().map(|p| format!("{p}/{k}"));
                    merged.insert(k.clone(), self.walk(v, p, refs, depth + 1));
                }
                Value::Object(merged)
            }
            other => other,
        }
    }
}

/// Inlines internal `$ref` pointers (`#/$defs/...`, `#/definitions/...`),
/// breaking cycles and standing in for dangling refs with
/// `{"type":"object","additionalProperties":true}` (the official
/// `dereferenceJsonSchema(.., {onUnresolved: "sentinel"})` /
/// `dereference_json_schema(.., on_unresolved="sentinel")`), then drops the
/// root `$defs` / `definitions`. External refs are left as they are.
pub fn dereference(schema: &Value) -> Value {
    if !schema.is_object() {
        return schema.clone();
    }
    if !needs_deref(schema) {
        let mut out = schema.clone();
        strip_root_defs(&mut out);
        return out;
    }
    let mut d = Deref { root: schema, visiting: Vec::new() };
    let mut out = d.walk(schema, Some("#".to_string()), &[], 0);
    if let Value::Object(o) = &mut out {
        o.shift_remove("$defs");
        o.shift_remove("definitions");
    }
    out
}

/// [`dereference`] on an owned schema: without internal `$ref`s (and
/// without the keys the walk drops) this only removes the root
/// `$defs` / `definitions`, in place, with no copy.
pub(crate) fn dereference_owned(mut schema: Value) -> Value {
    if !schema.is_object() {
        return schema;
    }
    if needs_deref(&schema) {
        return dereference(&schema);
    }
    strip_root_defs(&mut schema);
    schema
}

fn strip_root_defs(v: &mut Value) {
    if let Value::Object(o) = v {
        o.shift_remove("$defs");
        o.shift_remove("definitions");
    }
}

/// Whether the dereferencing walk would change anything below the root:
/// an internal `$ref`, a key the walk drops (`__proto__`, `constructor`,
/// `prototype`), or nesting at the depth limit.
pub(crate) fn needs_deref(schema: &Value) -> bool {
    fn walk(v: &Value, depth: usize) -> bool {
        match v {
            Value::Object(o) => {
                if depth + 1 >= MAX_NODE_DEPTH {
                    return true;
                }
                o.iter().any(|(k, child)| {
                    (k == "$ref" && child.as_str().is_some_and(|r| r.starts_with('#')))
                        || matches!(k.as_str(), "__proto__" | "constructor" | "prototype")
                        || walk(child, depth + 1)
                })
            }
            Value::Array(a) => {
                if depth + 1 >= MAX_NODE_DEPTH {
                    return true;
                }
                a.iter().any(|x| walk(x, depth + 1))
            }
            _ => false,
        }
    }
    walk(schema, 0)
}

/// [`dedup_required`] in place.
pub(crate) fn dedup_required_in_place(schema: &mut Value) {
    fn walk(v: &mut Value, is_schema: bool) {
        match v {
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, is_schema)),
            Value::Object(o) => {
                for (k, child) in o.iter_mut() {
                    match child {
                        Value::Array(items) if is_schema && k == "required" => {
                            if items.len() > 1 {
                                let mut i = 1;
                                while i < items.len() {
                                    if items[..i].contains(&items[i]) {
                                        items.remove(i);
                                    } else {
                                        i += 1;
                                    }
                                }
                            }
                        }
                        _ => walk(child, is_schema && !INSTANCE_VALUE_KEYWORDS.contains(&k.as_str())),
                    }
                }
            }
            _ => {}
        }
    }
    walk(schema, true)
}

const INSTANCE_VALUE_KEYWORDS: [&str; 4] = ["const", "default", "enum", "examples"];

/// Removes repeated entries from every schema `required` array, keeping the
/// first occurrence (`deduplicateJsonSchemaRequiredArrays`). Instance values
/// (`const`, `default`, `enum`, `examples`) are left untouched.
pub fn dedup_required(schema: &Value) -> Value {
    fn walk(v: &Value, is_schema: bool) -> Value {
        match v {
            Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, is_schema)).collect()),
            Value::Object(o) => {
                let mut out = Map::new();
                for (k, child) in o {
                    let nv = match child {
                        Value::Array(items) if is_schema && k == "required" => {
                            let mut seen: Vec<Value> = Vec::new();
                            for item in items {
                                let item = walk(item, false);
                                if !seen.contains(&item) {
                                    seen.push(item);
                                }
                            }
                            Value::Array(seen)
                        }
                        _ => walk(child, is_schema && !INSTANCE_VALUE_KEYWORDS.contains(&k.as_str())),
                    };
                    out.insert(k.clone(), nv);
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }
    walk(schema, true)
}

const SCHEMA_KEYWORDS: [&str; 11] = [
    "additionalItems",
    "additionalProperties",
    "contains",
    "contentSchema",
    "else",
    "if",
    "not",
    "propertyNames",
    "then",
    "unevaluatedItems",
    "unevaluatedProperties",
];
const SCHEMA_ARRAY_KEYWORDS: [&str; 4] = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_MAP_KEYWORDS: [&str; 5] =
    ["$defs", "definitions", "dependentSchemas", "patternProperties", "properties"];

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Schema,
    SchemaArray,
    SchemaMap,
    DependenciesMap,
    Value,
}

/// Adds `"type": "object"` (as the last key) to every schema node that has
/// `properties` but no `type` (`ensureObjectTypeOnProperties`, used by the
/// TypeScript Google provider).
pub fn ensure_object_type(schema: &Value) -> Value {
    fn walk(v: &Value, mode: Mode) -> Value {
        match v {
            Value::Array(a) => {
                let m = if mode == Mode::SchemaArray { Mode::Schema } else { Mode::Value };
                Value::Array(a.iter().map(|x| walk(x, m)).collect())
            }
            Value::Object(o) => {
                let mut out = Map::new();
                for (k, child) in o {
                    let k = k.as_str();
                    let m = match mode {
                        Mode::SchemaMap => Mode::Schema,
                        Mode::DependenciesMap if child.is_array() => Mode::Value,
                        Mode::DependenciesMap => Mode::Schema,
                        Mode::Schema if SCHEMA_MAP_KEYWORDS.contains(&k) => Mode::SchemaMap,
                        Mode::Schema
                            if SCHEMA_ARRAY_KEYWORDS.contains(&k) || (k == "items" && child.is_array()) =>
                        {
                            Mode::SchemaArray
                        }
                        Mode::Schema if SCHEMA_KEYWORDS.contains(&k) || k == "items" => Mode::Schema,
                        Mode::Schema if k == "dependencies" => Mode::DependenciesMap,
                        _ => Mode::Value,
                    };
                    out.insert(k.to_string(), walk(child, m));
                }
                if mode == Mode::Schema && out.contains_key("properties") && !out.contains_key("type") {
                    out.insert("type".into(), Value::from("object"));
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }
    walk(schema, Mode::Schema)
}

/// [`ensure_object_type`] in place.
pub(crate) fn ensure_object_type_in_place(schema: &mut Value) {
    fn walk(v: &mut Value, mode: Mode) {
        match v {
            Value::Array(a) => {
                let m = if mode == Mode::SchemaArray { Mode::Schema } else { Mode::Value };
                a.iter_mut().for_each(|x| walk(x, m));
            }
            Value::Object(o) => {
                for (k, child) in o.iter_mut() {
                    let k = k.as_str();
                    let m = match mode {
                        Mode::SchemaMap => Mode::Schema,
                        Mode::DependenciesMap if child.is_array() => Mode::Value,
                        Mode::DependenciesMap => Mode::Schema,
                        Mode::Schema if SCHEMA_MAP_KEYWORDS.contains(&k) => Mode::SchemaMap,
                        Mode::Schema
                            if SCHEMA_ARRAY_KEYWORDS.contains(&k) || (k == "items" && child.is_array()) =>
                        {
                            Mode::SchemaArray
                        }
                        Mode::Schema if SCHEMA_KEYWORDS.contains(&k) || k == "items" => Mode::Schema,
                        Mode::Schema if k == "dependencies" => Mode::DependenciesMap,
                        _ => Mode::Value,
                    };
                    walk(child, m);
                }
                if mode == Mode::Schema && o.contains_key("properties") && !o.contains_key("type") {
                    o.insert("type".into(), Value::from("object"));
                }
            }
            _ => {}
        }
    }
    walk(schema, Mode::Schema)
}

/// TypeScript strict mode (`removeNonRequiredProperties`): when the object
/// lists required properties, keeps only those; always sets
/// `additionalProperties: false`.
pub fn remove_non_required(schema: &Value) -> Value {
    let mut s = schema.clone();
    if let Value::Object(o) = &mut s {
        let required: Vec<String> = o
            .get("required")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        let has_required = o.get("required").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
        if o.get("type").and_then(Value::as_str) == Some("object") && has_required {
            let props = match o.get("properties") {
                Some(Value::Object(p)) => p
                    .iter()
                    .filter(|(k, _)| required.contains(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                _ => Map::new(),
            };
            o.insert("properties".into(), Value::Object(props));
        }
        o.insert("additionalProperties".into(), Value::Bool(false));
    }
    s
}

/// Key order of `@composio/core`'s zod `JSONSchemaPropertySchema`.
const TS_PROPERTY_KEYS: [&str; 41] = [
    "type",
    "description",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
    "title",
    "default",
    "nullable",
    "properties",
    "required",
    "file_uploadable",
    "file_downloadable",
    "items",
    "enum",
    "const",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "patternProperties",
    "additionalProperties",
    "examples",
    "readOnly",
    "writeOnly",
    "if",
    "then",
    "else",
    "$ref",
    "definitions",
    "$defs",
];

/// Key order of `@composio/core`'s zod `ParametersSchema` (the root).
const TS_ROOT_KEYS: [&str; 15] = [
    "type",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
    "properties",
    "required",
    "title",
    "default",
    "nullable",
    "description",
    "patternProperties",
    "additionalProperties",
    "$defs",
    "definitions",
];

fn ts_property(v: &Value) -> Value {
    ts_object(v, &TS_PROPERTY_KEYS)
}

fn ts_object(v: &Value, keys: &[&str]) -> Value {
    let Value::Object(o) = v else { return v.clone() };
    let mut out = Map::new();
    for &k in keys {
        let Some(child) = o.get(k) else { continue };
        let nv = match k {
            "anyOf" | "oneOf" | "allOf" => match child {
                Value::Array(a) => Value::Array(a.iter().map(ts_property).collect()),
                other => other.clone(),
            },
            "not" | "if" | "then" | "else" => ts_property(child),
            "properties" | "patternProperties" | "definitions" | "$defs" => match child {
                Value::Object(m) => {
                    Value::Object(m.iter().map(|(k, v)| (k.clone(), ts_property(v))).collect())
                }
                other => other.clone(),
            },
            "items" => match child {
                Value::Array(a) => Value::Array(a.iter().map(ts_property).collect()),
                other => ts_property(other),
            },
            "additionalProperties" => match child {
                Value::Bool(b) => Value::Bool(*b),
                other => ts_property(other),
            },
            _ => child.clone(),
        };
        out.insert(k.to_string(), nv);
    }
    Value::Object(out)
}

/// The shape `@composio/core` gives a tool's `inputParameters` when it parses
/// the API's tool object: required lists deduplicated, then every schema
/// node rebuilt with the SDK's known JSON-Schema keys in the SDK's order and
/// unknown keys dropped. An empty or null schema becomes `None`.
pub fn ts_normalize_parameters(schema: &Value) -> Option<Value> {
    match schema {
        Value::Null => None,
        Value::Object(o) if o.is_empty() => None,
        Value::Object(_) => {
            // Rebuilding keeps every kept node at the same path, so
            // deduplicating afterwards (in place) gives the same result as
            // deduplicating first, with one copy instead of two.
            let mut out = ts_object(schema, &TS_ROOT_KEYS);
            dedup_required_in_place(&mut out);
            Some(out)
        }
        other => Some(other.clone()),
    }
}
