//! Masking of secrets (client secrets, API keys, tokens) in API responses: a stored secret is
//! never returned in full.

use serde_json::{Map, Value};

/// Whether a credential/state key holds a secret.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    if k.ends_with("_url")
        || k.ends_with("_uri")
        || k == "token_type"
        || k.ends_with("_at")
        || k == "expires_in"
    {
        return false;
    }
    ["secret", "password", "token", "api_key", "apikey", "verifier", "private"].iter().any(|s| k.contains(s))
        || k == "key"
        || k.ends_with("_key")
}

/// Mask a secret: the last four characters of long secrets stay visible, everything else is `*`.
pub fn mask(secret: &str) -> String {
    let n = secret.chars().count();
    if n >= 12 {
        let tail: String = secret.chars().skip(n - 4).collect();
        format!("{}{tail}", "*".repeat(8))
    } else {
        "*".repeat(8)
    }
}

/// A copy of `map` with every secret string (at any depth) masked.
pub fn mask_map(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter()
        .map(|(k, v)| {
            let masked = match v {
                Value::String(s) if is_secret_key(k) => Value::String(mask(s)),
                Value::Object(inner) => Value::Object(mask_map(inner)),
                other => other.clone(),
            };
            (k.clone(), masked)
        })
        .collect()
}

/// Whether `value` is what [`mask`] shows for some secret (used to ignore masked values sent back).
pub fn looks_masked(value: &str) -> bool {
    value.starts_with("********")
}

/// Constant-time comparison of two secrets.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn masks_secrets_only() {
        let m = json!({"client_id":"abc","client_secret":"supersecretvalue1234","token_url":"http://x/token",
            "api_key":"short","nested":{"access_token":"tok_abcdefghijkl"},"scopes":"a b"});
        let out = Value::Object(mask_map(m.as_object().unwrap()));
        assert_eq!(out["client_id"], "abc");
        assert_eq!(out["client_secret"], "********1234");
        assert_eq!(out["token_url"], "http://x/token");
        assert_eq!(out["api_key"], "********");
        assert_eq!(out["nested"]["access_token"], "********ijkl");
        assert_eq!(out["scopes"], "a b");
        assert!(looks_masked("********1234"));
    }
}
