"""LangChain provider (drop-in for ``composio_langchain.LangchainProvider``).

``composio.tools.get(...)`` / ``session.tools()`` return
``langchain_core.tools.StructuredTool`` objects whose ``args_schema`` is the
tool's JSON schema and whose invocation executes the tool through this
SDK's engine. ``langchain_core`` is imported only when tools are wrapped.
"""

from __future__ import annotations

import typing as t

from .providers import AgenticProvider, AgenticProviderExecuteFn

__all__ = ["LangchainProvider"]

_EMPTY_SCHEMA: t.Dict[str, t.Any] = {"type": "object", "properties": {}}


class LangchainProvider(AgenticProvider):
    """Composio tools as LangChain ``StructuredTool`` objects."""

    name = "langchain"

    def wrap_tool(self, tool: t.Any, execute_tool: AgenticProviderExecuteFn) -> t.Any:  # type: ignore[override]
        """One raw tool (dict) as a ``StructuredTool``."""
        try:
            from langchain_core.tools import StructuredTool
        except ImportError as e:  # pragma: no cover - exercised without langchain
            raise ImportError("LangchainProvider needs langchain-core: pip install langchain-core") from e

        slug = str(tool["slug"])
        schema = tool.get("input_parameters") or _EMPTY_SCHEMA
        description = tool.get("description") or slug

        def run(**arguments: t.Any) -> t.Dict[str, t.Any]:
            return execute_tool(slug, arguments)

        run.__name__ = slug
        run.__doc__ = description
        return StructuredTool.from_function(
            func=run,
            name=slug,
            description=description,
            args_schema=dict(schema),
            handle_tool_error=True,
            handle_validation_error=True,
        )
