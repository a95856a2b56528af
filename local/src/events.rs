//! Publishing events: every event is queued for the webhook subscriptions that want it (see
//! [`crate::webhooks::delivery`]) and trigger messages are also pushed to realtime subscribers
//! (see [`crate::realtime`]).

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::{broadcast, Notify};

use crate::errors::ApiError;
use crate::realtime::RealtimeKeys;
use crate::webhooks::delivery;
use crate::webhooks::payloads::{self, EventPayloads};
use crate::webhooks::subscriptions::TRIGGER_MESSAGE;
use crate::AppState;

/// How many realtime events a slow WebSocket may fall behind before it misses some.
const REALTIME_BUFFER: usize = 1024;

/// Shared event plumbing of a running server.
pub struct Hub {
    /// Wakes the delivery worker when deliveries were queued.
    pub wake: Notify,
    /// The realtime (Pusher) identity of this server.
    pub keys: RealtimeKeys,
    realtime: broadcast::Sender<Arc<str>>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("keys", &self.keys).finish_non_exhaustive()
    }
}

impl Hub {
    /// A hub whose realtime identity is derived from the instance's API key.
    pub fn new(api_key: &str) -> Hub {
        let (realtime, _) = broadcast::channel(REALTIME_BUFFER);
        Hub { wake: Notify::new(), keys: RealtimeKeys::derive(api_key), realtime }
    }

    /// Receive the realtime payloads (JSON text of V3 trigger messages) published from now on.
    pub fn realtime_events(&self) -> broadcast::Receiver<Arc<str>> {
        self.realtime.subscribe()
    }
}

/// Queue `event` for delivery and push trigger messages to realtime subscribers. Returns the
/// number of webhook deliveries queued.
pub async fn publish(state: &AppState, event: EventPayloads) -> Result<usize, ApiError> {
    let stored = event.clone();
    let queued = state.db.call(move |c| delivery::enqueue(c, &stored)).await?;
    if queued > 0 {
        state.hub.wake.notify_one();
    }
    if event.event_type == TRIGGER_MESSAGE {
        // No realtime subscriber is not an error.
        let _ = state.hub.realtime.send(Arc::from(event.v3.to_string()));
    }
    tracing::debug!(event = %event.id, event_type = event.event_type, queued, "event published");
    Ok(queued)
}

/// Publish `composio.connected_account.expired` for `account` (its `GET /connected_accounts/{id}`
/// shape). Failures are logged: the expiry itself has already happened.
pub async fn connection_expired(state: &AppState, account: Value) {
    let keys = &state.hub.keys;
    let event = payloads::connection_expired(account, &keys.project_id, &keys.org_id);
    if let Err(e) = publish(state, event).await {
        tracing::error!(error = %e, "publishing a connected_account.expired event failed");
    }
}
