"""Mirror of ``composio_google`` / ``composio_gemini``."""

from .providers import GeminiProvider, GoogleProvider

__all__ = ["GoogleProvider", "GeminiProvider"]
