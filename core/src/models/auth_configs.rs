//! Wire types of the `auth_configs` domain.
