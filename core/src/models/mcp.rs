//! Wire types of the `mcp` domain.
