//! Wire types of the `toolkits` domain.
