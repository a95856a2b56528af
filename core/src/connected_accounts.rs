//! Connected accounts: initiate, link, get, list, delete, enable/disable,
//! refresh, update, and [`ConnectionRequest::wait_for_connection`].

use crate::Composio;

/// A connection that was started (by `initiate`, `link` or a session's
/// `authorize`) and may still need the user to finish it at
/// [`ConnectionRequest::redirect_url`].
#[derive(Clone)]
pub struct ConnectionRequest {
    /// The connected account id (`ca_…`).
    pub id: String,
    /// Status when the request was made (usually `INITIATED`).
    pub status: String,
    /// Where the user completes the connection, if anywhere.
    pub redirect_url: Option<String>,
    pub(crate) client: Composio,
}

impl std::fmt::Debug for ConnectionRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionRequest")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}

impl ConnectionRequest {
    /// A connection request bound to a client.
    pub fn new(
        client: &Composio,
        id: impl Into<String>,
        status: impl Into<String>,
        redirect_url: Option<String>,
    ) -> Self {
        Self { id: id.into(), status: status.into(), redirect_url, client: client.clone() }
    }
}
