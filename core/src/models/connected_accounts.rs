//! Wire types of the `connected_accounts` domain.
