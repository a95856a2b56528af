//! Events from real changes: after a tool of a built-in toolkit succeeds, the trigger types it
//! fires are matched against the enabled instances on the account it ran with (each instance's
//! `trigger_config` filtering the event data), and one event is published per matching instance.

use serde_json::Value;

use super::{instances, types};
use crate::webhooks::payloads;
use crate::AppState;

/// Fire the triggers of a successful run of `tool_slug` on `connected_account_id` with result
/// `data`. Failures are logged: the tool itself has succeeded.
pub async fn after_tool(state: &AppState, tool_slug: &str, connected_account_id: &str, data: &Value) {
    for def in types::fired_by(tool_slug) {
        let event_data = data.get(def.result_key).cloned().unwrap_or(Value::Null);
        if event_data.is_null() {
            tracing::warn!(
                tool = tool_slug,
                trigger = def.slug,
                "tool result has no event data; trigger not fired"
            );
            continue;
        }
        let account = connected_account_id.to_owned();
        let found = state.db.call(move |c| instances::enabled_for(c, &account, def.slug)).await;
        let matching = match found {
            Ok(list) => list,
            Err(e) => {
                tracing::error!(error = %e, trigger = def.slug, "looking up trigger instances failed");
                continue;
            }
        };
        for instance in matching.iter().filter(|i| (def.filter)(&i.config, &event_data)) {
            let event = payloads::trigger_message(instance, &event_data);
            if let Err(e) = crate::events::publish(state, event).await {
                tracing::error!(error = %e, trigger = %instance.id, "publishing a trigger event failed");
            }
        }
    }
}
