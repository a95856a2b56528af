"""Mirror of ``composio_openai``: ``from composio_rs.openai import OpenAIProvider``."""

from .providers import OpenAIProvider, OpenAIResponsesProvider

__all__ = ["OpenAIProvider", "OpenAIResponsesProvider"]
