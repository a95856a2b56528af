//! A small JSON Schema validator for tool arguments: the subset the built-in tools use
//! (`type`, `properties`, `required`, `additionalProperties: false`, `enum`, `items`,
//! `minimum`/`maximum`, `minLength`/`maxLength`, `minItems`/`maxItems`), and filling in `default`s.
//! Every error names the field by its path (e.g. `options.top_n`).

use serde_json::{Map, Value};

use crate::extract::type_name;

/// Validate `args` against an object schema, returning the arguments with defaults filled in,
/// or a message naming the first offending field.
pub fn validate_arguments(schema: &Value, args: &Map<String, Value>) -> Result<Map<String, Value>, String> {
    let value = Value::Object(args.clone());
    match validate(schema, &value, "")? {
        Value::Object(map) => Ok(map),
        _ => Ok(args.clone()),
    }
}

fn field_name(path: &str) -> String {
    if path.is_empty() {
        "arguments".to_owned()
    } else {
        format!("`{path}`")
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn type_matches(expected: &str, v: &Value) -> bool {
    match expected {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => match v {
            Value::Number(n) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
            _ => false,
        },
        _ => true,
    }
}

fn validate(schema: &Value, value: &Value, path: &str) -> Result<Value, String> {
    let Some(schema) = schema.as_object() else { return Ok(value.clone()) };
    if let Some(expected) = schema.get("type") {
        let ok = match expected {
            Value::String(t) => type_matches(t, value),
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| type_matches(t, value)),
            _ => true,
        };
        if !ok {
            let want = match expected {
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" or "),
                other => other.as_str().unwrap_or("?").to_owned(),
            };
            let article = if want.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            return Err(format!("{} must be {article} {want}, got {}", field_name(path), type_name(value)));
        }
    }
    if let Some(Value::Array(allowed)) = schema.get("enum") {
        if !allowed.contains(value) {
            let list = allowed.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ");
            return Err(format!("{} must be one of {list}, got {value}", field_name(path)));
        }
    }
    match value {
        Value::Object(map) => validate_object(schema, map, path),
        Value::Array(items) => {
            let n = items.len() as u64;
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                if n < min {
                    return Err(format!("{} must have at least {min} item(s), got {n}", field_name(path)));
                }
            }
            if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                if n > max {
                    return Err(format!("{} accepts at most {max} items, got {n}", field_name(path)));
                }
            }
            match schema.get("items") {
                Some(item_schema) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| validate(item_schema, item, &format!("{path}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array),
                None => Ok(value.clone()),
            }
        }
        Value::String(s) => {
            let n = s.chars().count() as u64;
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
                if n < min {
                    return Err(format!("{} must be at least {min} character(s) long", field_name(path)));
                }
            }
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                if n > max {
                    return Err(format!(
                        "{} must be at most {max} characters long, got {n}",
                        field_name(path)
                    ));
                }
            }
            Ok(value.clone())
        }
        Value::Number(num) => {
            let x = num.as_f64().unwrap_or(0.0);
            if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
                if x < min {
                    return Err(format!("{} must be at least {min}, got {num}", field_name(path)));
                }
            }
            if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
                if x > max {
                    return Err(format!("{} must be at most {max}, got {num}", field_name(path)));
                }
            }
            Ok(value.clone())
        }
        _ => Ok(value.clone()),
    }
}

fn validate_object(
    schema: &Map<String, Value>,
    map: &Map<String, Value>,
    path: &str,
) -> Result<Value, String> {
    let empty = Map::new();
    let props = schema.get("properties").and_then(Value::as_object).unwrap_or(&empty);
    if let Some(Value::Array(required)) = schema.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if map.get(name).is_none_or(Value::is_null) {
                return Err(format!("missing required field `{}`", join(path, name)));
            }
        }
    }
    if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
        let unknown: Vec<String> =
            map.keys().filter(|k| !props.contains_key(*k)).map(|k| format!("`{}`", join(path, k))).collect();
        if !unknown.is_empty() {
            let allowed = props.keys().map(|k| format!("`{}`", join(path, k))).collect::<Vec<_>>().join(", ");
            return Err(format!("unknown field(s) {}; allowed: {allowed}", unknown.join(", ")));
        }
    }
    let mut out = Map::new();
    for (name, prop_schema) in props {
        match map.get(name) {
            Some(Value::Null) if !prop_schema.get("type").is_some_and(type_matches_null) => {
                // An explicit null for an optional field means "not given".
                if let Some(default) = prop_schema.get("default") {
                    out.insert(name.clone(), default.clone());
                }
            }
            Some(v) => {
                out.insert(name.clone(), validate(prop_schema, v, &join(path, name))?);
            }
            None => {
                if let Some(default) = prop_schema.get("default") {
                    out.insert(name.clone(), default.clone());
                } else if prop_schema.get("type").and_then(Value::as_str) == Some("object")
                    && prop_schema.get("properties").is_some()
                {
                    // Fill nested defaults so tools always see a complete options object.
                    if let Value::Object(filled) =
                        validate(prop_schema, &Value::Object(Map::new()), &join(path, name))?
                    {
                        if !filled.is_empty() {
                            out.insert(name.clone(), Value::Object(filled));
                        }
                    }
                }
            }
        }
    }
    for (k, v) in map {
        if !props.contains_key(k) {
            out.insert(k.clone(), v.clone());
        }
    }
    Ok(Value::Object(out))
}

fn type_matches_null(t: &Value) -> bool {
    match t {
        Value::String(s) => s == "null",
        Value::Array(ts) => ts.iter().any(|t| t == "null"),
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use serde_json::json;

    use super::*;

    fn schema() -> Value {
        json!({"type":"object","additionalProperties":false,"required":["text"],"properties":{
            "text":{"type":"string","minLength":1},
            "mode":{"type":"string","enum":["a","b"],"default":"a"},
            "options":{"type":"object","additionalProperties":false,"properties":{
                "top_n":{"type":"integer","minimum":0,"maximum":10,"default":5},
                "flag":{"type":"boolean","default":true}}},
            "list":{"type":"array","maxItems":2,"items":{"type":"string"}}}})
    }

    fn check(args: Value) -> Result<Map<String, Value>, String> {
        let Value::Object(m) = args else { return Err("not an object".into()) };
        validate_arguments(&schema(), &m)
    }

    #[test]
    fn fills_defaults() {
        let out = check(json!({"text":"x"})).unwrap();
        assert_eq!(Value::Object(out), json!({"text":"x","mode":"a","options":{"top_n":5,"flag":true}}));
    }

    #[test]
    fn names_fields() {
        assert_eq!(check(json!({})).unwrap_err(), "missing required field `text`");
        assert_eq!(check(json!({"text":1})).unwrap_err(), "`text` must be a string, got integer");
        assert!(check(json!({"text":"x","mode":"c"})).unwrap_err().contains("`mode` must be one of"));
        assert_eq!(
            check(json!({"text":"x","options":{"top_n":"3"}})).unwrap_err(),
            "`options.top_n` must be an integer, got string"
        );
        assert!(check(json!({"text":"x","options":{"top_n":11}}))
            .unwrap_err()
            .contains("`options.top_n` must be at most 10"));
        assert!(check(json!({"text":"x","list":["a",2]}))
            .unwrap_err()
            .contains("`list[1]` must be a string"));
        assert!(check(json!({"text":"x","list":["a","b","c"]})).unwrap_err().contains("at most 2 items"));
        assert!(check(json!({"text":"x","bogus":1})).unwrap_err().contains("unknown field(s) `bogus`"));
        assert!(check(json!({"text":"x","options":{"nope":1}})).unwrap_err().contains("`options.nope`"));
    }
}
