//! `auth_configs` — filled in by its own change.
