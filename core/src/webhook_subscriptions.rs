//! `webhook_subscriptions` — filled in by its own change.
