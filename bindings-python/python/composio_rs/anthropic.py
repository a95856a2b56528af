"""Mirror of ``composio_anthropic``: ``from composio_rs.anthropic import AnthropicProvider``."""

from .providers import AnthropicProvider

__all__ = ["AnthropicProvider"]
