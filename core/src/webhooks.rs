//! Webhook verification, signing, and payload normalisation.
//!
//! Composio signs every webhook delivery with three headers
//! (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The signature is
//! `v1,` followed by the standard base64 (with padding) of
//! `HMAC-SHA256(key = secret, msg = id + "." + timestamp + "." + raw_body)`.
//! The secret is used verbatim as UTF-8 bytes: a secret that starts with
//! `whsec_` is **not** stripped or base64-decoded (unlike the Svix libraries).
//!
//! [`verify_webhook`] checks a delivery exactly like the official Python SDK's
//! `triggers.verify_webhook` (same check order, same error classes, same
//! messages), then detects the payload version (V3, then V2, then V1) and
//! normalises it into a [`TriggerEvent`]. [`verify_webhook_headers`] reads the
//! three headers case-insensitively, like Python's `triggers.parse`.
//! [`sign_webhook`] produces the signature header value a backend must send.
//!
//! Where the official SDKs disagree, the Python behaviour is taken; each such
//! choice is documented on the function that makes it.
//!
//! ```
//! use composio_core::webhooks::{sign_webhook, verify_webhook_at, VerifyWebhookParams};
//!
//! let body = r#"{"trigger_name":"github_commit_event","trigger_id":"ti_1","connection_id":"ca_1","payload":{}}"#;
//! let signature = sign_webhook("msg_1", "1767225600", body, "my-secret");
//! let params = VerifyWebhookParams::new("msg_1", body, &signature, "1767225600", "my-secret");
//! let verified = verify_webhook_at(&params, 1767225600)?;
//! assert_eq!(verified.payload.trigger_slug, "github_commit_event");
//! # Ok::<(), composio_core::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::models::{TriggerEvent, WebhookVersion};
use crate::providers::Flavor;

mod normalize;
mod shallow;
mod skim;

pub use normalize::{
    plan_event, plan_fields, EventFields, EventPlan, JsonText, JsonView, Part, TS_V3_ENVELOPE_KEYS,
    V2_METADATA_KEYS,
};
pub use shallow::{ShallowBody, ShallowNode};
pub use skim::{json_escape, json_number, surrogate_pair, tape, SkimBody, SkimNode};

/// Default maximum age (and maximum clock skew into the future) of a webhook
/// timestamp, in seconds.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

/// Name of the header carrying the message id.
pub const HEADER_WEBHOOK_ID: &str = "webhook-id";
/// Name of the header carrying the Unix timestamp (seconds, decimal string).
pub const HEADER_WEBHOOK_TIMESTAMP: &str = "webhook-timestamp";
/// Name of the header carrying the signature(s) (`v1,<base64>` entries,
/// separated by single spaces).
pub const HEADER_WEBHOOK_SIGNATURE: &str = "webhook-signature";

// ---------------------------------------------------------------------------
// Event types and connection statuses
// ---------------------------------------------------------------------------

/// Known webhook event types (the V3 envelope's `type`).
///
/// Python `WebhookEventType`, TypeScript `WebhookEventTypes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WebhookEventType {
    /// A trigger fired: `composio.trigger.message`.
    #[serde(rename = "composio.trigger.message")]
    TriggerMessage,
    /// A connected account expired: `composio.connected_account.expired`
    /// (V3 only).
    #[serde(rename = "composio.connected_account.expired")]
    ConnectionExpired,
}

impl WebhookEventType {
    /// `"composio.trigger.message"`.
    pub const TRIGGER_MESSAGE: &'static str = "composio.trigger.message";
    /// `"composio.connected_account.expired"`.
    pub const CONNECTION_EXPIRED: &'static str = "composio.connected_account.expired";

    /// The wire spelling of this event type.
    pub fn as_str(&self) -> &'static str {
        match self {
            WebhookEventType::TriggerMessage => Self::TRIGGER_MESSAGE,
            WebhookEventType::ConnectionExpired => Self::CONNECTION_EXPIRED,
        }
    }

    /// Parses the wire spelling (exact match); unknown types are an
    /// [`Error::Validation`] naming the value.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            Self::TRIGGER_MESSAGE => Ok(WebhookEventType::TriggerMessage),
            Self::CONNECTION_EXPIRED => Ok(WebhookEventType::ConnectionExpired),
            other => Err(Error::validation(format!(
                "unknown webhook event type {other:?}; expected {:?} or {:?}",
                Self::TRIGGER_MESSAGE,
                Self::CONNECTION_EXPIRED
            ))),
        }
    }
}

impl fmt::Display for WebhookEventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WebhookEventType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

/// Whether a parsed webhook body is a `composio.connected_account.expired`
/// event (its top-level `type` equals [`WebhookEventType::CONNECTION_EXPIRED`]).
///
/// Non-objects and objects without a string `type` are not.
pub fn is_connection_expired_event(payload: &Value) -> bool {
    payload.get("type").and_then(Value::as_str) == Some(WebhookEventType::CONNECTION_EXPIRED)
}

/// Status of a connected account (Python `ConnectionStatusEnum`).
///
/// The six statuses of the v3 API. (Python 0.30 also lists `REVOKED`; the
/// v3-era SDKs and API schema do not.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConnectionStatus {
    /// `INITIALIZING`: created, nothing sent to the user yet.
    Initializing,
    /// `INITIATED`: waiting for the user (e.g. OAuth redirect pending).
    Initiated,
    /// `ACTIVE`: usable.
    Active,
    /// `FAILED`: the connection attempt failed.
    Failed,
    /// `EXPIRED`: credentials expired and could not be refreshed.
    Expired,
    /// `INACTIVE`: disabled.
    Inactive,
}

impl ConnectionStatus {
    /// All six statuses, in the API's order.
    pub const ALL: [ConnectionStatus; 6] = [
        ConnectionStatus::Initializing,
        ConnectionStatus::Initiated,
        ConnectionStatus::Active,
        ConnectionStatus::Failed,
        ConnectionStatus::Expired,
        ConnectionStatus::Inactive,
    ];

    /// The wire spelling (`"ACTIVE"`, ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            ConnectionStatus::Initializing => "INITIALIZING",
            ConnectionStatus::Initiated => "INITIATED",
            ConnectionStatus::Active => "ACTIVE",
            ConnectionStatus::Failed => "FAILED",
            ConnectionStatus::Expired => "EXPIRED",
            ConnectionStatus::Inactive => "INACTIVE",
        }
    }

    /// Parses the wire spelling (exact, upper-case); anything else is an
    /// [`Error::Validation`] naming the value.
    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| {
            Error::validation(format!(
                "unknown connection status {s:?}; expected one of INITIALIZING, INITIATED, \
                 ACTIVE, FAILED, EXPIRED, INACTIVE"
            ))
        })
    }
}

impl fmt::Display for ConnectionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ConnectionStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

// ---------------------------------------------------------------------------
// Verification
// ---------------------------------------------------------------------------

/// Inputs of [`verify_webhook`]: the three header values, the raw body and
/// the secret. All strings are borrowed, so verifying never copies the body.
///
/// `Debug` never shows the secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct VerifyWebhookParams<'a> {
    /// The `webhook-id` header (e.g. `msg_…`).
    pub id: &'a str,
    /// The raw request body exactly as received (re-serialised JSON will not
    /// verify).
    pub payload: &'a str,
    /// The `webhook-signature` header (`v1,<base64>`, possibly several
    /// entries separated by single spaces).
    pub signature: &'a str,
    /// The `webhook-timestamp` header (Unix seconds, decimal string).
    pub timestamp: &'a str,
    /// The webhook secret, used verbatim as the HMAC key.
    pub secret: &'a str,
    /// Maximum allowed distance, in seconds, between the timestamp and now
    /// (in both directions). `<= 0` disables the timestamp check. Default
    /// [`DEFAULT_TOLERANCE_SECS`] (300).
    pub tolerance_secs: i64,
    /// Which official SDK's rules to follow where they differ (timestamp
    /// parsing and normalisation; see [`parse_payload_as`]). Default Python.
    pub flavor: Flavor,
}

impl<'a> VerifyWebhookParams<'a> {
    /// Parameters with the default tolerance of 300 seconds.
    pub fn new(
        id: &'a str,
        payload: &'a str,
        signature: &'a str,
        timestamp: &'a str,
        secret: &'a str,
    ) -> Self {
        Self {
            id,
            payload,
            signature,
            timestamp,
            secret,
            tolerance_secs: DEFAULT_TOLERANCE_SECS,
            flavor: Flavor::Python,
        }
    }

    /// Follows the given SDK's rules where the official SDKs differ.
    pub fn with_flavor(mut self, flavor: Flavor) -> Self {
        self.flavor = flavor;
        self
    }

    /// Sets the tolerance in seconds (`<= 0` disables the timestamp check).
    pub fn with_tolerance(mut self, tolerance_secs: i64) -> Self {
        self.tolerance_secs = tolerance_secs;
        self
    }
}

impl Default for VerifyWebhookParams<'_> {
    fn default() -> Self {
        Self::new("", "", "", "", "")
    }
}

impl fmt::Debug for VerifyWebhookParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyWebhookParams")
            .field("id", &self.id)
            .field("payload_len", &self.payload.len())
            .field("signature", &self.signature)
            .field("timestamp", &self.timestamp)
            .field("secret", &if self.secret.is_empty() { "<empty>" } else { "<redacted>" })
            .field("tolerance_secs", &self.tolerance_secs)
            .field("flavor", &self.flavor)
            .finish()
    }
}

/// A verified webhook: its version, the normalised event and the parsed body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifiedWebhook {
    /// The detected payload version.
    pub version: WebhookVersion,
    /// The body normalised to the incoming-trigger shape.
    pub payload: TriggerEvent,
    /// The body as parsed JSON, unchanged.
    pub raw_payload: Value,
}

/// Verifies a webhook delivery against the current time; see
/// [`verify_webhook_at`] for the checks.
pub fn verify_webhook(params: &VerifyWebhookParams<'_>) -> Result<VerifiedWebhook> {
    verify_webhook_at(params, unix_now())
}

/// Verifies a webhook delivery as if the current time were `now_unix_secs`.
///
/// Checks, in this order (the first failure wins; messages are the Python
/// SDK's):
///
/// 1. only if `tolerance_secs > 0`: the timestamp must be an integer as
///    Python's `int()` reads it ([`Error::WebhookPayload`] otherwise), and
///    `|now − timestamp| <= tolerance_secs` ([`Error::WebhookSignature`]);
///    future timestamps are rejected too;
/// 2. payload, signature, secret, id and timestamp must be non-empty
///    ([`Error::WebhookSignature`], in that order);
/// 3. the signature header must have at least one `v1,` entry, and one of
///    them must equal the expected signature (constant-time comparison)
///    ([`Error::WebhookSignature`]);
/// 4. the body must be JSON and match a known version
///    ([`Error::WebhookPayload`]).
///
/// Timestamps follow Python's `int()`: surrounding whitespace, a sign and
/// single underscores between digits are accepted; `"12.5"`, `"12abc"` and
/// `""` are not (TypeScript's `parseInt` would accept the first two). Unlike
/// Python, only ASCII digits are accepted, and a timestamp too large for
/// 128 bits is reported as outside the tolerance without the exact distance.
///
/// The body is parsed once with `serde_json` (key order kept). Python's
/// `json.loads` additionally accepts `NaN`/`Infinity` literals and lone
/// surrogate escapes, which are rejected here as invalid JSON, and keeps
/// integers beyond 64 bits exact where `serde_json` stores them as floats.
pub fn verify_webhook_at(params: &VerifyWebhookParams<'_>, now_unix_secs: i64) -> Result<VerifiedWebhook> {
    if params.tolerance_secs > 0 {
        check_timestamp(params.timestamp, params.tolerance_secs, now_unix_secs, params.flavor)?;
    }
    check_signature(params)?;
    let raw_payload = parse_json(params.payload)?;
    let (version, payload) = parse_payload_as(&raw_payload, params.flavor)?;
    Ok(VerifiedWebhook { version, payload, raw_payload })
}

/// A verifier bound to one webhook secret: the HMAC key schedule is
/// computed once and reused for every delivery (verifying many webhooks
/// with the same secret skips re-keying). Checks, order and messages are
/// those of [`verify_webhook_at`].
///
/// `Debug` never shows the secret.
///
/// ```
/// use composio_core::webhooks::{sign_webhook, WebhookVerifier};
///
/// let body = r#"{"trigger_name":"x","trigger_id":"ti_1","connection_id":"ca_1","payload":{}}"#;
/// let signature = sign_webhook("msg_1", "1767225600", body, "my-secret");
/// let verifier = WebhookVerifier::new("my-secret");
/// let (_, event) = verifier.verify_event_at("msg_1", body, &signature, "1767225600", 1767225600)?;
/// assert_eq!(event.trigger_slug, "x");
/// # Ok::<(), composio_core::Error>(())
/// ```
#[derive(Clone)]
pub struct WebhookVerifier {
    mac: Hmac<Sha256>,
    has_secret: bool,
    tolerance_secs: i64,
    flavor: Flavor,
}

impl fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("secret", &if self.has_secret { "<redacted>" } else { "<empty>" })
            .field("tolerance_secs", &self.tolerance_secs)
            .field("flavor", &self.flavor)
            .finish()
    }
}

/// How many verifiers [`WebhookVerifier::cached`] keeps.
const VERIFIER_CACHE: usize = 8;

/// A cached verifier, keyed by a 128-bit keyed digest of its secret (the
/// secret itself is not kept).
struct CachedVerifier {
    secret_digest: [u64; 2],
    tolerance_secs: i64,
    flavor: Flavor,
    verifier: Arc<WebhookVerifier>,
}

static VERIFIERS: Mutex<Vec<CachedVerifier>> = Mutex::new(Vec::new());

/// Two independent random SipHash keys, drawn once per process.
static SECRET_KEYS: std::sync::OnceLock<[std::collections::hash_map::RandomState; 2]> =
    std::sync::OnceLock::new();

/// The cache key of a secret: SipHash under two random per-process keys
/// (128 bits, a keyed PRF: far cheaper than SHA-256 for a cache lookup, and
/// neither the secret nor anything derived from it with a known key is kept).
fn secret_digest(secret: &str) -> [u64; 2] {
    use std::hash::BuildHasher as _;
    let keys = SECRET_KEYS.get_or_init(Default::default);
    [keys[0].hash_one(secret.as_bytes()), keys[1].hash_one(secret.as_bytes())]
}

impl WebhookVerifier {
    /// A shared verifier for this secret, tolerance and flavour from a small
    /// most-recently-used cache (8 entries), so bindings that verify many
    /// deliveries with the same secret do not rebuild the HMAC key per call.
    ///
    /// ```
    /// use composio_core::{webhooks::WebhookVerifier, Flavor};
    /// let a = WebhookVerifier::cached("whsec", 300, Flavor::Python);
    /// let b = WebhookVerifier::cached("whsec", 300, Flavor::Python);
    /// assert!(std::sync::Arc::ptr_eq(&a, &b));
    /// ```
    pub fn cached(secret: &str, tolerance_secs: i64, flavor: Flavor) -> Arc<WebhookVerifier> {
        let secret_digest = secret_digest(secret);
        let mut cache = VERIFIERS.lock().unwrap_or_else(|p| p.into_inner());
        let hit = cache.iter().position(|e| {
            e.tolerance_secs == tolerance_secs
                && e.flavor == flavor
                && ((e.secret_digest[0] ^ secret_digest[0]) | (e.secret_digest[1] ^ secret_digest[1])) == 0
        });
        if let Some(pos) = hit {
            let entry = cache.remove(pos);
            let v = entry.verifier.clone();
            cache.push(entry);
            return v;
        }
        let v = Arc::new(WebhookVerifier::new(secret).with_tolerance(tolerance_secs).with_flavor(flavor));
        if cache.len() >= VERIFIER_CACHE {
            cache.remove(0);
        }
        cache.push(CachedVerifier { secret_digest, tolerance_secs, flavor, verifier: v.clone() });
        v
    }

    /// A verifier for this secret (used verbatim as the HMAC key), with the
    /// default tolerance of 300 seconds and Python rules.
    pub fn new(secret: &str) -> Self {
        Self {
            mac: keyed_mac(secret),
            has_secret: !secret.is_empty(),
            tolerance_secs: DEFAULT_TOLERANCE_SECS,
            flavor: Flavor::Python,
        }
    }

    /// Sets the tolerance in seconds (`<= 0` disables the timestamp check).
    pub fn with_tolerance(mut self, tolerance_secs: i64) -> Self {
        self.tolerance_secs = tolerance_secs;
        self
    }

    /// Follows this SDK's rules where the official SDKs differ.
    pub fn with_flavor(mut self, flavor: Flavor) -> Self {
        self.flavor = flavor;
        self
    }

    /// Steps 1 to 3 of [`verify_webhook_at`] only: the timestamp, the
    /// inputs and the signature, over the raw text (the body is not parsed).
    /// A binding that parses the body itself follows this with its own
    /// parse (reporting errors with [`json_payload_error`]) and
    /// [`plan_event`], and gets exactly [`WebhookVerifier::verify_at`]'s
    /// results and errors.
    pub fn check_at(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
        now_unix_secs: i64,
    ) -> Result<()> {
        if self.tolerance_secs > 0 {
            check_timestamp(timestamp, self.tolerance_secs, now_unix_secs, self.flavor)?;
        }
        check_signature_with(id, payload, signature, timestamp, self.has_secret, || self.mac.clone())
    }

    /// [`WebhookVerifier::check_at`] against the current time.
    pub fn check(&self, id: &str, payload: &str, signature: &str, timestamp: &str) -> Result<()> {
        self.check_at(id, payload, signature, timestamp, unix_now())
    }

    /// Verifies a delivery and plans its normalisation without building the
    /// body as a tree: the body is validated exactly as
    /// [`WebhookVerifier::verify_at`] parses it (same errors) but only its
    /// top two levels are kept ([`ShallowBody`]). For a binding whose host
    /// language parses the body itself (e.g. JavaScript's `JSON.parse`) and
    /// completes the event from the returned [`EventPlan`]: the results are
    /// exactly [`WebhookVerifier::verify_at`]'s.
    pub fn verify_plan_at(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
        now_unix_secs: i64,
    ) -> Result<EventPlan> {
        self.check_at(id, payload, signature, timestamp, now_unix_secs)?;
        let body = ShallowBody::parse(payload).map_err(json_payload_error)?;
        plan_fields(&body.root(), self.flavor).map(|f| f.into_plan())
    }

    /// Like [`WebhookVerifier::verify_plan_at`], but the body is only
    /// skimmed ([`SkimBody`]), not validated, when it looks ordinary: the
    /// cheapest route for a host that parses the body with its own strict
    /// JSON parser anyway (JavaScript's `JSON.parse`). Bodies the skim does
    /// not fully understand go through [`WebhookVerifier::verify_plan_at`]'s
    /// validating parse (same errors).
    ///
    /// The contract: when the host's strict parse of the body succeeds, the
    /// returned plan is exactly [`WebhookVerifier::verify_plan_at`]'s; when
    /// it fails, the host calls [`WebhookVerifier::verify_plan_at`] (or
    /// [`WebhookVerifier::verify_at`]) for the error to report.
    pub fn verify_skim_at(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
        now_unix_secs: i64,
    ) -> Result<EventPlan> {
        self.verify_skim_fields_at(id, payload, signature, timestamp, now_unix_secs, |f| f.into_plan())
    }

    /// [`WebhookVerifier::verify_skim_at`] without copying the event's
    /// strings: the borrowed plan ([`plan_fields`]), its text borrowed from
    /// `payload` where it appears there unchanged, is handed to `use_plan`
    /// and its result returned. `verify_skim_fields_at(.., |f| f.into_plan())`
    /// is exactly [`WebhookVerifier::verify_skim_at`] (same plans, same
    /// errors, same contract).
    pub fn verify_skim_fields_at<R>(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
        now_unix_secs: i64,
        use_plan: impl FnOnce(EventFields<'_>) -> R,
    ) -> Result<R> {
        self.check_at(id, payload, signature, timestamp, now_unix_secs)?;
        self.skim_plan(payload, use_plan)
    }

    /// The plan of a checked body: skimmed when it looks ordinary, else
    /// parsed by the validating [`ShallowBody`] (same errors).
    fn skim_plan<R>(&self, payload: &str, use_plan: impl FnOnce(EventFields<'_>) -> R) -> Result<R> {
        match SkimBody::parse(payload) {
            Some(body) => plan_fields(&body.root(), self.flavor).map(use_plan),
            None => {
                let body = ShallowBody::parse(payload).map_err(json_payload_error)?;
                plan_fields(&body.root(), self.flavor).map(use_plan)
            }
        }
    }

    /// [`WebhookVerifier::verify_skim_fields_at`] that also writes a build
    /// tape of the body into `tape` ([`tape::JsonTape::parse`], at most
    /// `max_units` long) for a JavaScript host to build the parsed body
    /// from instead of calling `JSON.parse`. `use_plan` is told whether the
    /// tape was written: when it was, the body is valid JSON and the tape
    /// builds exactly `JSON.parse`'s tree (the caller then hands the tape
    /// to the host and calls [`tape::JsonTape::commit`]); when it was not,
    /// this is exactly [`WebhookVerifier::verify_skim_fields_at`] (same
    /// plans, errors and contract).
    #[allow(clippy::too_many_arguments)]
    pub fn verify_tape_fields_at<R>(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
        now_unix_secs: i64,
        tape: &mut tape::JsonTape,
        max_units: usize,
        use_plan: impl FnOnce(EventFields<'_>, bool) -> R,
    ) -> Result<R> {
        self.check_at(id, payload, signature, timestamp, now_unix_secs)?;
        match tape.parse(payload, max_units) {
            Some(body) => plan_fields(&body.root(), self.flavor).map(|f| use_plan(f, true)),
            None => self.skim_plan(payload, |f| use_plan(f, false)),
        }
    }

    /// [`WebhookVerifier::verify_tape_fields_at`] against the current time.
    #[allow(clippy::too_many_arguments)]
    pub fn verify_tape_fields<R>(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
        tape: &mut tape::JsonTape,
        max_units: usize,
        use_plan: impl FnOnce(EventFields<'_>, bool) -> R,
    ) -> Result<R> {
        self.verify_tape_fields_at(id, payload, signature, timestamp, unix_now(), tape, max_units, use_plan)
    }

    /// [`WebhookVerifier::verify_skim_at`] against the current time.
    pub fn verify_skim(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
    ) -> Result<EventPlan> {
        self.verify_skim_at(id, payload, signature, timestamp, unix_now())
    }

    /// [`WebhookVerifier::verify_plan_at`] against the current time.
    pub fn verify_plan(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
    ) -> Result<EventPlan> {
        self.verify_plan_at(id, payload, signature, timestamp, unix_now())
    }

    /// Verifies a delivery against the current time (see [`verify_webhook_at`]).
    pub fn verify(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
    ) -> Result<VerifiedWebhook> {
        self.verify_at(id, payload, signature, timestamp, unix_now())
    }

    /// Verifies a delivery as if the current time were `now_unix_secs`; the
    /// result is exactly [`verify_webhook_at`]'s.
    pub fn verify_at(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
        now_unix_secs: i64,
    ) -> Result<VerifiedWebhook> {
        self.check_at(id, payload, signature, timestamp, now_unix_secs)?;
        let raw_payload = parse_json(payload)?;
        let (version, payload) = parse_payload_as(&raw_payload, self.flavor)?;
        Ok(VerifiedWebhook { version, payload, raw_payload })
    }

    /// Verifies a delivery and returns only the normalised event, built
    /// from the one parse of the body with no copy of the event data (the
    /// cheapest way to verify and read a webhook). Same checks and errors
    /// as [`WebhookVerifier::verify_at`].
    pub fn verify_event_at(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
        now_unix_secs: i64,
    ) -> Result<(WebhookVersion, TriggerEvent)> {
        self.check_at(id, payload, signature, timestamp, now_unix_secs)?;
        parse_payload_owned(parse_json(payload)?, self.flavor)
    }

    /// [`WebhookVerifier::verify_event_at`] against the current time.
    pub fn verify_event(
        &self,
        id: &str,
        payload: &str,
        signature: &str,
        timestamp: &str,
    ) -> Result<(WebhookVersion, TriggerEvent)> {
        self.verify_event_at(id, payload, signature, timestamp, unix_now())
    }
}

fn parse_json(payload: &str) -> Result<Value> {
    serde_json::from_str::<Value>(payload).map_err(json_payload_error)
}

/// The [`Error::WebhookPayload`] verification reports for a body that is not
/// JSON (`serde_json`'s message, as parsing into a `Value` gives it), for
/// bindings that parse the body with `serde_json` into their own objects.
pub fn json_payload_error(e: serde_json::Error) -> Error {
    Error::WebhookPayload { message: format!("Failed to parse webhook payload as JSON: {e}") }
}

/// Verifies a webhook from request headers (read case-insensitively:
/// `webhook-id`, `webhook-timestamp`, `webhook-signature`), the raw body,
/// the secret and the tolerance, against the current time.
///
/// See [`verify_webhook_headers_at`].
pub fn verify_webhook_headers<I, K, V>(
    headers: I,
    body: &str,
    secret: &str,
    tolerance_secs: i64,
) -> Result<VerifiedWebhook>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    verify_webhook_headers_at(headers, body, secret, tolerance_secs, unix_now())
}

/// Like [`verify_webhook_headers`], as if the current time were
/// `now_unix_secs`.
///
/// Mirrors Python 0.30 `triggers.parse(body=…, headers=…, verify_secret=…)`:
/// an empty secret is refused first, then every missing (or empty) header is
/// named in one error; then [`verify_webhook_at`] runs. When a header appears
/// several times, the first occurrence is used. Python raises its
/// `ValidationError` for these two cases; this SDK reports them as
/// [`Error::WebhookSignature`] so that every failure to verify has one error
/// code.
pub fn verify_webhook_headers_at<I, K, V>(
    headers: I,
    body: &str,
    secret: &str,
    tolerance_secs: i64,
    now_unix_secs: i64,
) -> Result<VerifiedWebhook>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    if secret.is_empty() {
        return Err(sig_error(
            "Cannot verify webhook: the webhook secret is empty (is COMPOSIO_WEBHOOK_SECRET \
             set?). You can find your webhook secret in your Composio dashboard.",
        ));
    }
    let names = [HEADER_WEBHOOK_ID, HEADER_WEBHOOK_TIMESTAMP, HEADER_WEBHOOK_SIGNATURE];
    let mut found: [Option<V>; 3] = [None, None, None];
    for (k, v) in headers {
        let key = k.as_ref();
        for (slot, name) in found.iter_mut().zip(names) {
            if slot.is_none() && key.eq_ignore_ascii_case(name) {
                *slot = Some(v);
                break;
            }
        }
    }
    let value = |i: usize| found[i].as_ref().map(|v| v.as_ref()).unwrap_or("");
    let missing: Vec<String> =
        (0..3).filter(|&i| value(i).is_empty()).map(|i| format!("'{}'", names[i])).collect();
    if !missing.is_empty() {
        return Err(sig_error(format!(
            "Cannot verify webhook: missing signature header(s) {}. Pass the raw, unparsed \
             request body and forward the Composio signature headers (webhook-id, \
             webhook-timestamp, webhook-signature).",
            missing.join(", ")
        )));
    }
    let params = VerifyWebhookParams {
        id: value(0),
        payload: body,
        signature: value(2),
        timestamp: value(1),
        secret,
        tolerance_secs,
        flavor: Flavor::Python,
    };
    verify_webhook_at(&params, now_unix_secs)
}

/// Signs a webhook the way Composio does and returns the
/// `webhook-signature` header value, `"v1,<base64>"`.
///
/// The signed content is `id + "." + timestamp + "." + payload`; the key is
/// the secret's UTF-8 bytes, verbatim.
pub fn sign_webhook(id: &str, timestamp: &str, payload: &str, secret: &str) -> String {
    let mut buf = [0u8; 44];
    let sig = expected_signature(id, timestamp, payload, secret, &mut buf);
    let mut out = String::with_capacity(3 + sig.len());
    out.push_str("v1,");
    out.push_str(sig);
    out
}

fn unix_now() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

fn sig_error(message: impl Into<String>) -> Error {
    Error::WebhookSignature { message: message.into() }
}

fn payload_error(message: impl Into<String>) -> Error {
    Error::WebhookPayload { message: message.into() }
}

/// Step 1: Python `int(timestamp)` (or JavaScript `parseInt`) and the
/// tolerance window.
fn check_timestamp(timestamp: &str, tolerance: i64, now: i64, flavor: Flavor) -> Result<()> {
    let parsed = match flavor {
        Flavor::Python => parse_py_int(timestamp),
        Flavor::TypeScript => parse_js_int(timestamp),
    };
    let Some(ts) = parsed else {
        return Err(payload_error(format!(
            "Invalid webhook timestamp: {timestamp}. Expected Unix timestamp in seconds."
        )));
    };
    let diff = ts.and_then(|ts| i128::from(now).checked_sub(ts)).map(i128::unsigned_abs);
    match diff {
        Some(d) if d <= u128::from(tolerance.unsigned_abs()) => Ok(()),
        Some(d) => Err(sig_error(format!(
            "The webhook timestamp is outside the allowed tolerance. The webhook was sent {d} \
             seconds ago, but the maximum allowed age is {tolerance} seconds."
        ))),
        None => Err(sig_error(format!(
            "The webhook timestamp is outside the allowed tolerance. The webhook timestamp is \
             out of range, but the maximum allowed age is {tolerance} seconds."
        ))),
    }
}

/// Parses an integer the way Python's `int(str)` does (ASCII digits only).
///
/// Returns `None` when the text is not an integer, `Some(None)` when it is
/// one but does not fit in an `i128`.
fn parse_py_int(s: &str) -> Option<Option<i128>> {
    let is_py_space = |c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c);
    let t = s.trim_matches(is_py_space);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let bytes = digits.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() || !bytes[bytes.len() - 1].is_ascii_digit() {
        return None;
    }
    let mut value: Option<i128> = Some(0);
    let mut prev_underscore = false;
    for &b in bytes {
        match b {
            b'0'..=b'9' => {
                prev_underscore = false;
                let d = i128::from(b - b'0');
                value = value.and_then(|v| v.checked_mul(10)).and_then(|v| {
                    if negative {
                        v.checked_sub(d)
                    } else {
                        v.checked_add(d)
                    }
                });
            }
            b'_' if !prev_underscore => prev_underscore = true,
            _ => return None,
        }
    }
    Some(value)
}

/// Parses an integer the way JavaScript's `parseInt(str, 10)` does: leading
/// whitespace, an optional sign, then the longest run of ASCII digits
/// (`"12.5"` and `"12abc"` are 12); no digits is not a number.
fn parse_js_int(s: &str) -> Option<Option<i128>> {
    let t = s.trim_start();
    let (negative, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    if digits.is_empty() {
        return None;
    }
    let value = digits.parse::<i128>().ok().map(|v| if negative { -v } else { v });
    Some(value)
}

/// Steps 2–8: non-empty inputs, `v1,` entries, constant-time match.
fn check_signature(p: &VerifyWebhookParams<'_>) -> Result<()> {
    check_signature_with(p.id, p.payload, p.signature, p.timestamp, !p.secret.is_empty(), || {
        keyed_mac(p.secret)
    })
}

/// [`check_signature`] with the keyed MAC supplied by the caller (built
/// fresh from the secret, or cloned from a [`WebhookVerifier`]).
fn check_signature_with(
    id: &str,
    payload: &str,
    signature: &str,
    timestamp: &str,
    has_secret: bool,
    mac: impl FnOnce() -> Hmac<Sha256>,
) -> Result<()> {
    if payload.is_empty() {
        return Err(sig_error("No webhook payload was provided."));
    }
    if signature.is_empty() {
        return Err(sig_error(
            "No signature header value was provided. Please pass the value of the webhook \
             signature header.",
        ));
    }
    if !has_secret {
        return Err(sig_error(
            "No webhook secret was provided. You can find your webhook secret in your Composio \
             dashboard.",
        ));
    }
    if id.is_empty() {
        return Err(sig_error(
            "No webhook ID was provided. Please pass the value of the 'webhook-id' header.",
        ));
    }
    if timestamp.is_empty() {
        return Err(sig_error(
            "No webhook timestamp was provided. Please pass the value of the 'webhook-timestamp' \
             header.",
        ));
    }
    let mut candidates = signature.split(' ').filter_map(|e| e.strip_prefix("v1,")).peekable();
    if candidates.peek().is_none() {
        return Err(sig_error(
            "No valid v1 signature found in the signature header. Expected format: \
             'v1,base64EncodedSignature'",
        ));
    }
    let mut buf = [0u8; 44];
    let expected = signature_with(mac(), id, timestamp, payload, &mut buf).as_bytes();
    let mut matched = false;
    for candidate in candidates {
        // Every entry is compared (no early exit), each in constant time.
        matched |= constant_time_eq(candidate.as_bytes(), expected);
    }
    if matched {
        Ok(())
    } else {
        Err(sig_error("The signature provided is invalid."))
    }
}

/// HMAC-SHA256 keyed with the secret's UTF-8 bytes.
fn keyed_mac(secret: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail; the fallback
    // (an empty key) is unreachable but keeps the function total.
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| <Hmac<Sha256> as KeyInit>::new(&Default::default()))
}

/// Base64 of the HMAC-SHA256 over `id.timestamp.payload`, written into `buf`.
fn expected_signature<'b>(
    id: &str,
    timestamp: &str,
    payload: &str,
    secret: &str,
    buf: &'b mut [u8; 44],
) -> &'b str {
    signature_with(keyed_mac(secret), id, timestamp, payload, buf)
}

/// Base64 of `mac` over `id.timestamp.payload` (the exact bytes, no copy),
/// written into `buf`.
fn signature_with<'b>(
    mut mac: Hmac<Sha256>,
    id: &str,
    timestamp: &str,
    payload: &str,
    buf: &'b mut [u8; 44],
) -> &'b str {
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    let tag = mac.finalize().into_bytes();
    // 32 bytes encode to exactly 44 base64 characters (with padding).
    let n = base64::engine::general_purpose::STANDARD.encode_slice(tag, &mut buf[..]).unwrap_or(0);
    std::str::from_utf8(&buf[..n]).unwrap_or("")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

// ---------------------------------------------------------------------------
// Version detection and normalisation
// ---------------------------------------------------------------------------

/// Detects the version of a parsed webhook body (V3, then V2, then V1) and
/// normalises it to a [`TriggerEvent`].
///
/// Detection (py012 rules, first match wins):
/// * **V3**: an object whose `type` is a string starting with `composio.`,
///   whose `metadata` is an object, and which has `id` and `data` keys;
/// * **V2**: an object with `type` and `timestamp` keys and a `data` object
///   containing a `connection_id` key;
/// * **V1**: an object with `trigger_name`, `connection_id`, `trigger_id` and
///   `payload` keys.
///
/// Anything else is an [`Error::WebhookPayload`].
///
/// Normalisation follows the Python SDK where the SDKs differ:
/// * a V3 envelope is a trigger message when its `metadata` has all six keys
///   `trigger_id`, `trigger_slug`, `user_id`, `connected_account_id`,
///   `auth_config_id`, `log_id` (py012 and ts08; Python 0.30 instead looks
///   at `type == "composio.trigger.message"`); otherwise it is a non-trigger
///   event (id = envelope `id`, toolkit `COMPOSIO`, trigger slug = `type`,
///   `original_payload` = the whole envelope);
/// * V3 toolkit slug: the part of the trigger slug before the first `_`,
///   upper-cased, or `UNKNOWN` when there is no `_` (TS: the whole slug);
/// * V2 toolkit slug and trigger slug are both the whole `type`, upper-cased
///   (TS takes the first `_` segment for the toolkit); V2 id falls back to
///   `data.trigger_id` when `data.trigger_nano_id` is absent; the payload is
///   `data` without the five metadata keys;
/// * V1 toolkit slug is `""` (TS: first `_` segment, upper-cased);
/// * `original_payload` is `None` for V3 trigger messages, V2 and V1 (TS
///   fills it);
/// * string fields taken from the body are coerced like Python's `str()`:
///   `null` or absent becomes `""`, numbers their decimal text, booleans
///   `True`/`False`; arrays and objects become compact JSON (Python would
///   print its own repr, and py012 would keep non-strings unchanged).
pub fn parse_payload(value: &Value) -> Result<(WebhookVersion, TriggerEvent)> {
    parse_payload_as(value, Flavor::Python)
}

/// Like [`parse_payload`], following the given SDK where the official SDKs
/// normalise differently. With [`Flavor::TypeScript`] (ts08):
/// * `original_payload` is filled for trigger messages (V3: `data`; V2: the
///   stripped `data`; V1: `payload`);
/// * a V3 trigger slug without `_` gives the whole slug upper-cased as the
///   toolkit (Python: `UNKNOWN`);
/// * V2 and V1 toolkits are the first `_` segment of the upper-cased type or
///   trigger name (Python: the whole V2 type, and `""` for V1);
/// * a V2 id does not fall back to `data.trigger_id`.
pub fn parse_payload_as(value: &Value, flavor: Flavor) -> Result<(WebhookVersion, TriggerEvent)> {
    let plan = plan_fields(&value, flavor)?.into_plan();
    Ok((plan.version, plan.materialize(value)))
}

/// [`parse_payload_as`] on an owned body: the event data is moved into the
/// event instead of copied when it is taken unchanged (Python V3 and V1
/// events; other shapes are copied as [`parse_payload_as`] does).
pub fn parse_payload_owned(value: Value, flavor: Flavor) -> Result<(WebhookVersion, TriggerEvent)> {
    let plan = plan_fields(&&value, flavor)?.into_plan();
    Ok((plan.version, plan.materialize_owned(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn py_int_parsing() {
        assert_eq!(parse_py_int("12"), Some(Some(12)));
        assert_eq!(parse_py_int(" -12\n"), Some(Some(-12)));
        assert_eq!(parse_py_int("+1_000"), Some(Some(1000)));
        assert_eq!(parse_py_int("0012"), Some(Some(12)));
        for bad in ["", " ", "12.5", "12abc", "abc", "1__0", "_1", "1_", "- 1", "0x10", "1e3", "+"] {
            assert_eq!(parse_py_int(bad), None, "{bad:?}");
        }
        assert_eq!(parse_py_int(&"9".repeat(60)), Some(None));
    }

    #[test]
    fn constant_time_eq_works() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn debug_hides_secret() {
        let p = VerifyWebhookParams::new("msg", "{}", "v1,x", "1", "super-secret-value");
        let d = format!("{p:?}");
        assert!(!d.contains("super-secret-value"));
        assert!(d.contains("<redacted>"));
    }

    #[test]
    fn py_str_and_truthiness() {
        assert_eq!((&Value::Bool(true)).text(), "True");
        assert_eq!((&serde_json::json!(42)).text(), "42");
        assert_eq!((&Value::Null).text(), "");
        assert!(!(&serde_json::json!(0)).truthy());
        assert!((&serde_json::json!("x")).truthy());
        assert!(!(&serde_json::json!({})).truthy());
    }
}
