"""Providers: the model-native tool formats, produced by the engine with
the official Python SDK's output (``tools.get`` formatting and
``handle_tool_calls`` results)."""

from __future__ import annotations

import abc
import typing as t

__all__ = [
    "Provider",
    "AgenticProvider",
    "NonAgenticProvider",
    "OpenAIProvider",
    "OpenAIResponsesProvider",
    "AnthropicProvider",
    "GoogleProvider",
    "GeminiProvider",
]


class Provider:
    """Base of the built-in providers. ``name`` is sent as ``x-framework``."""

    name: t.ClassVar[str] = ""
    _strict: bool = False
    _cache_tools: bool = False

    def __init__(self) -> None:
        self._client: t.Any = None

    def __init_subclass__(cls, name: t.Optional[str] = None, **kwargs: t.Any) -> None:
        # The official SDK declares a provider's name with a class keyword:
        # ``class P(AgenticProvider[Tool, list[Tool]], name="myframework")``.
        super().__init_subclass__(**kwargs)
        if name is not None:
            cls.name = name

    def __class_getitem__(cls, params: t.Any) -> t.Any:
        # ``AgenticProvider[Tool, list[Tool]]`` as in the official SDK (the
        # type parameters are for type checkers only).
        return cls

    #: Agentic providers wrap raw tools into framework objects that execute
    #: through the engine (``wrap_tools(tools, execute_tool)``).
    _agentic: t.ClassVar[bool] = False

    def _spec(self) -> t.Dict[str, t.Any]:
        return {"provider": self.name, "strict": self._strict, "cache_tools": self._cache_tools}

    def _bind(self, native: t.Any, aio: bool = False) -> None:
        self._client = native
        self._aio = aio

    def wrap_tool(self, tool: t.Any) -> t.Any:
        """One raw tool (dict) in this provider's format."""
        return self.wrap_tools([tool])[0]

    def wrap_tools(self, tools: t.Sequence[t.Any]) -> t.List[t.Any]:
        """Raw tools (dicts) in this provider's format (no description
        enhancement; ``tools.get`` adds it)."""
        from . import _native

        return t.cast(t.List[t.Any], _native.wrap_tools(list(tools), **self._spec()))

    def handle_tool_calls(
        self,
        user_id: str,
        response: t.Any,
        modifiers: t.Optional[t.Sequence[t.Any]] = None,
        *,
        connected_account_id: t.Optional[str] = None,
    ) -> t.Any:
        """Executes every tool call of a model response (a dict or an object
        with ``model_dump()``) and returns ``[{data, error, successful}, ...]``."""
        from ._modifiers import to_native

        if self._client is None:
            raise ValueError("this provider is not attached to a client; pass it as Composio(provider=...)")
        if hasattr(response, "model_dump"):
            response = response.model_dump(mode="json")
        return self._client.handle_tool_calls(
            user_id,
            response,
            modifiers=to_native(modifiers),
            connected_account_id=connected_account_id,
            aio=getattr(self, "_aio", False),
            **self._spec(),
        )

    def handle_response(self, user_id: str, response: t.Any, modifiers: t.Optional[t.Sequence[t.Any]] = None) -> t.Any:
        """Alias of ``handle_tool_calls`` (the Google/Gemini provider name)."""
        return self.handle_tool_calls(user_id, response, modifiers)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class OpenAIProvider(Provider):
    """OpenAI Chat Completions (the default)."""

    name = "openai"


class OpenAIResponsesProvider(Provider):
    """OpenAI Responses API."""

    name = "openai_responses"

    def __init__(self, strict: bool = False) -> None:
        super().__init__()
        self._strict = strict


class AnthropicProvider(Provider):
    """Anthropic Messages API."""

    name = "anthropic"

    def __init__(self, cache_tools: bool = False) -> None:
        super().__init__()
        self._cache_tools = cache_tools


class GoogleProvider(Provider):
    """Google Gemini / Vertex AI function declarations (as dicts)."""

    name = "google"

    def execute_tool_call(
        self, user_id: str, function_call: t.Any, modifiers: t.Optional[t.Sequence[t.Any]] = None
    ) -> t.Any:
        """Executes one Gemini ``FunctionCall`` (an object with ``.name`` and
        ``.args``, or a dict) → ``{"data", "error", "successful"}``."""
        from ._modifiers import to_native

        if self._client is None:
            raise ValueError("this provider is not attached to a client; pass it as Composio(provider=...)")
        if isinstance(function_call, dict):
            name, args = function_call.get("name"), function_call.get("args")
        else:
            name, args = getattr(function_call, "name", None), getattr(function_call, "args", None)
        if not isinstance(name, str) or not name:
            raise ValueError("function_call has no name")
        return self._client.tools_execute(
            name,
            dict(args or {}),
            user_id,
            None,
            None,
            None,
            None,
            None,
            None,
            to_native(modifiers),
            aio=getattr(self, "_aio", False),
        )


GeminiProvider = GoogleProvider


NonAgenticProvider = Provider

#: ``execute_tool(slug, arguments) -> {"data", "error", "successful"}``.
AgenticProviderExecuteFn = t.Callable[[str, t.Dict[str, t.Any]], t.Dict[str, t.Any]]


class AgenticProvider(Provider, abc.ABC):
    """Base of framework providers (LangChain, ...): ``tools.get`` and
    ``session.tools()`` return ``wrap_tools(raw_tools, execute_tool)``,
    whose objects execute through this SDK's engine when the framework
    calls them."""

    _agentic = True

    def _spec(self) -> t.Dict[str, t.Any]:
        # The engine only formats for model providers; agentic tools are
        # built from raw schemas, so the engine-side format is irrelevant.
        return {"provider": "openai", "strict": False, "cache_tools": False}

    @abc.abstractmethod
    def wrap_tool(self, tool: t.Any, execute_tool: AgenticProviderExecuteFn) -> t.Any:  # type: ignore[override]
        """One raw tool as a framework object (each framework provider defines it; the
        base class cannot be instantiated without it)."""

    def wrap_tools(  # type: ignore[override]
        self, tools: t.Sequence[t.Any], execute_tool: AgenticProviderExecuteFn
    ) -> t.Any:
        """Raw tools as framework objects."""
        return [self.wrap_tool(tool, execute_tool) for tool in tools]
