//! Wire types of the `sessions` domain.
