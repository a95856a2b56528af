//! Realtime trigger events over the Pusher Channels protocol, served by composio-local itself:
//! the identity (app key, secret, project) derived from the instance's API key, channel
//! authorisation signatures, and the WebSocket endpoint ([`pusher`]).

pub mod pusher;

use crate::webhooks::signing::hmac_sha256;

/// The realtime identity of an instance. Derived from the API key, so it is stable across
/// restarts and differs between data folders. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct RealtimeKeys {
    /// The Pusher app key (public).
    pub pusher_key: String,
    /// The Pusher app secret (signs channel authorisations; never sent).
    pub pusher_secret: String,
    /// The project id (`pr_…`); the channel is `private-<project_id>_triggers`.
    pub project_id: String,
    /// The organisation id shown in event metadata.
    pub org_id: String,
}

impl std::fmt::Debug for RealtimeKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RealtimeKeys")
            .field("pusher_key", &self.pusher_key)
            .field("pusher_secret", &"<redacted>")
            .field("project_id", &self.project_id)
            .finish()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl RealtimeKeys {
    /// Derive the identity from the API key.
    pub fn derive(api_key: &str) -> RealtimeKeys {
        let part = |label: &str| hex(&hmac_sha256(api_key.as_bytes(), label.as_bytes()));
        RealtimeKeys {
            pusher_key: format!("local{}", &part("composio-local pusher key")[..20]),
            pusher_secret: part("composio-local pusher secret"),
            project_id: format!("pr_{}", &part("composio-local project")[..14]),
            org_id: format!("ok_{}", &part("composio-local org")[..14]),
        }
    }

    /// The project's trigger channel.
    pub fn channel(&self) -> String {
        format!("private-{}_triggers", self.project_id)
    }

    /// The channel authorisation `<key>:<hex HMAC-SHA256(secret, "socket_id:channel")>`.
    pub fn auth(&self, socket_id: &str, channel: &str) -> String {
        let sig = hmac_sha256(self.pusher_secret.as_bytes(), format!("{socket_id}:{channel}").as_bytes());
        format!("{}:{}", self.pusher_key, hex(&sig))
    }

    /// Whether `auth` authorises `socket_id` on `channel`.
    pub fn verify(&self, socket_id: &str, channel: &str, auth: &str) -> bool {
        crate::secrets::same_secret(&self.auth(socket_id, channel), auth)
    }
}

/// Whether `socket_id` has the Pusher shape `<digits>.<digits>`.
pub fn valid_socket_id(socket_id: &str) -> bool {
    match socket_id.split_once('.') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stable_and_auth_verifies() {
        let a = RealtimeKeys::derive("ak_1");
        assert_eq!(a, RealtimeKeys::derive("ak_1"));
        assert_ne!(a.pusher_key, RealtimeKeys::derive("ak_2").pusher_key);
        let auth = a.auth("1.2", &a.channel());
        assert!(auth.starts_with(&format!("{}:", a.pusher_key)));
        assert!(a.verify("1.2", &a.channel(), &auth));
        assert!(!a.verify("1.3", &a.channel(), &auth));
        assert!(valid_socket_id("123.456") && !valid_socket_id("1.") && !valid_socket_id("a.1"));
        assert!(!format!("{a:?}").contains(&a.pusher_secret));
    }
}
