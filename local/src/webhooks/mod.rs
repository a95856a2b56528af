//! Webhook subscriptions and signed deliveries (wire contract §7.4, §8).
//!
//! Every event (a fired trigger, an expired connected account) is stored with one delivery row
//! per subscription that enabled its event type, in the same SQLite transaction; a background
//! worker ([`delivery`]) POSTs each delivery, signed with the subscription's current secret, and
//! retries failures with exponential backoff. Pending deliveries live in SQLite, so a restart
//! mid-retry loses nothing.
//!
//! Secrets: a subscription's signing secret is returned in full only by create and
//! `rotate_secret`; list, get and update show it masked (`********` plus its last four
//! characters). It is stored in the database file (the data folder is owner-only), because
//! signing needs the secret itself.

pub mod delivery;
pub mod payloads;
pub mod signing;
pub mod subscriptions;

use std::time::Duration;

/// When failed deliveries are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Delay after the first failed attempt; doubled after each further failure.
    pub initial_delay: Duration,
    /// Upper bound of the delay.
    pub max_delay: Duration,
    /// Attempts in all (the first try included) before a delivery is given up as `failed`.
    pub max_attempts: u32,
    /// How long one attempt may take.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_attempts: 8,
            timeout: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The delay after `failed_attempts` failed attempts (1 → `initial_delay`, 2 → twice that, …),
    /// capped at `max_delay`.
    pub fn delay_after(&self, failed_attempts: u32) -> Duration {
        let factor = 2u32.saturating_pow(failed_attempts.saturating_sub(1).min(30));
        self.initial_delay.saturating_mul(factor).min(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let p = RetryPolicy {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        let delays: Vec<u64> = (1..=5).map(|n| p.delay_after(n).as_secs()).collect();
        assert_eq!(delays, vec![1, 2, 4, 5, 5]);
        assert_eq!(p.delay_after(100).as_secs(), 5);
    }
}
