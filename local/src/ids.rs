//! Random ids, API keys, cursors and ISO-8601 timestamps.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngExt;

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `len` random base62 characters from the OS-seeded thread RNG.
pub fn random_base62(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}

/// A new id with a Composio-style prefix, e.g. `trs_…`, `log_…`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_base62(14))
}

/// A new development API key (about 238 bits of randomness).
pub fn new_api_key() -> String {
    format!("ak_local_{}", random_base62(40))
}

/// A fresh request id in the shape the Python SDK sends (32 hex digits).
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// An opaque pagination cursor for an offset.
pub fn encode_cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

/// Decode a cursor made by [`encode_cursor`]; `None` if it is not one.
pub fn decode_cursor(cursor: &str) -> Option<usize> {
    let trimmed = cursor.trim_end_matches('=');
    let bytes = URL_SAFE_NO_PAD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed))
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix("offset:")?.parse().ok()
}

/// Seconds since the Unix epoch.
pub fn now_unix() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The current time as an ISO-8601 UTC string with milliseconds (`2026-01-01T00:00:00.000Z`).
pub fn now_iso() -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    iso_from_unix(now.as_secs(), now.subsec_millis())
}

/// Format Unix seconds (plus milliseconds) as ISO-8601 UTC.
pub fn iso_from_unix(secs: u64, millis: u32) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso_from_unix(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_unix(1_767_225_600, 5), "2026-01-01T00:00:00.005Z");
        assert_eq!(iso_from_unix(951_782_400 + 3661, 0), "2000-02-29T01:01:01.000Z");
    }

    #[test]
    fn cursor_round_trip() {
        assert_eq!(decode_cursor(&encode_cursor(40)), Some(40));
        assert_eq!(decode_cursor("not a cursor!"), None);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("offset:x")), None);
    }

    #[test]
    fn ids_are_random() {
        assert_ne!(new_api_key(), new_api_key());
        assert!(new_id("trs").starts_with("trs_"));
        assert_eq!(new_request_id().len(), 32);
    }
}
