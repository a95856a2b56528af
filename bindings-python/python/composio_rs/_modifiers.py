"""Modifiers: the official decorators and core's declarative modifiers."""

from __future__ import annotations

import functools
import typing as t

from ._types import AttrDict

__all__ = [
    "Modifier",
    "Modifiers",
    "schema_modifier",
    "before_execute",
    "after_execute",
    "before_execute_meta",
    "after_execute_meta",
    "before_file_upload",
    "BeforeFileUploadContext",
    "DeclarativeModifier",
    "HideParameter",
    "RenameParameter",
    "SetDefault",
    "FixValue",
    "MakeRequired",
    "ReplaceDescription",
    "AppendDescription",
    "SetParameterDescription",
    "KeepResultFields",
]

ModifierType = t.Literal[
    "schema", "before_execute", "after_execute", "before_execute_meta", "after_execute_meta", "before_file_upload"
]
F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class BeforeFileUploadContext(t.TypedDict):
    """What a context-form ``before_file_upload`` hook receives: ``path`` (a
    local path, or the URL when ``source`` is ``"url"``), ``source``
    (``"path"`` or ``"url"``) and the ``tool`` / ``toolkit`` slugs."""

    path: str
    source: str
    tool: str
    toolkit: str


class Modifier:
    """A callback modifier (what the decorators return)."""

    def __init__(
        self,
        modifier: t.Callable[..., t.Any],
        type_: ModifierType,
        tools: t.List[str],
        toolkits: t.List[str],
    ) -> None:
        self.modifier = modifier
        self.type = type_
        self.tools = list(tools)
        self.toolkits = list(toolkits)

    def __call__(self, *args: t.Any) -> t.Any:
        return self.modifier(*args)

    def applies(self, tool: str, toolkit: str) -> bool:
        """Whether this modifier applies to ``tool`` of ``toolkit`` (no
        filters, or an exact, case-sensitive match of either)."""
        return (not self.tools and not self.toolkits) or tool in self.tools or toolkit in self.toolkits

    def _spec(self) -> t.Tuple[str, t.Any, t.List[str], t.List[str]]:
        fn = self.modifier
        if self.type in ("before_execute_meta", "after_execute_meta"):

            def call_meta(tool: str, toolkit: str, session_id: str, data: t.Any) -> t.Any:
                return fn(tool, toolkit, session_id, AttrDict(data) if type(data) is dict else data)

            return (self.type, call_meta, self.tools, self.toolkits)

        def call(tool: str, toolkit: str, data: t.Any) -> t.Any:
            return fn(tool, toolkit, AttrDict(data) if type(data) is dict else data)

        return (self.type, call, self.tools, self.toolkits)

    def __repr__(self) -> str:
        return f"Modifier(type={self.type!r}, tools={self.tools!r}, toolkits={self.toolkits!r})"


def _decorator(type_: ModifierType) -> t.Any:
    def deco(
        modifier: t.Optional[t.Callable[..., t.Any]] = None,
        *,
        tools: t.Optional[t.List[str]] = None,
        toolkits: t.Optional[t.List[str]] = None,
    ) -> t.Any:
        if modifier is not None:
            return Modifier(modifier, type_, tools or [], toolkits or [])
        if tools is not None or toolkits is not None:
            return functools.partial(deco, tools=tools or [], toolkits=toolkits or [])
        raise ValueError("Either tools or toolkits must be provided")

    deco.__name__ = type_ if type_ != "schema" else "schema_modifier"
    return deco


def _positional_count(fn: t.Callable[..., t.Any]) -> int:
    import inspect

    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return -1
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in sig.parameters.values() if p.kind in kinds)


def _file_upload_hook(chain: t.List[Modifier]) -> t.Callable[[str, str, str, str], str]:
    """One engine callback for a list of ``before_file_upload`` modifiers:
    each applicable hook, in list order, gets the previous hook's path; a
    3-parameter hook is called the legacy way ``(path, tool, toolkit)``;
    ``False`` aborts with ``FileUploadAbortedError``; a string replaces the
    path; anything else keeps it."""
    hooks: t.List[t.Tuple[Modifier, bool]] = [(m, _positional_count(m.modifier) == 3) for m in chain]

    def run(path: str, source: str, tool: str, toolkit: str) -> str:
        for m, legacy in hooks:
            if not m.applies(tool, toolkit):
                continue
            if legacy:
                out = m.modifier(path, tool, toolkit)
            else:
                ctx: BeforeFileUploadContext = {"path": path, "source": source, "tool": tool, "toolkit": toolkit}
                out = m.modifier(ctx)
            if out is False:
                from .exceptions import FileUploadAbortedError

                raise FileUploadAbortedError("File upload was aborted because before_file_upload returned False.")
            if isinstance(out, str):
                path = out
        return path

    return run


@t.overload
def schema_modifier(modifier: t.Callable[..., t.Any]) -> Modifier: ...
@t.overload
def schema_modifier(
    *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
) -> t.Callable[[t.Callable[..., t.Any]], Modifier]: ...
def schema_modifier(modifier: t.Any = None, *, tools: t.Any = None, toolkits: t.Any = None) -> t.Any:
    """Decorates ``fn(tool, toolkit, schema) -> schema``; bare, or with
    ``tools=[...]`` / ``toolkits=[...]`` (neither → ``ValueError``)."""
    return _decorator("schema")(modifier, tools=tools, toolkits=toolkits)


@t.overload
def before_execute(modifier: t.Callable[..., t.Any]) -> Modifier: ...
@t.overload
def before_execute(
    *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
) -> t.Callable[[t.Callable[..., t.Any]], Modifier]: ...
def before_execute(modifier: t.Any = None, *, tools: t.Any = None, toolkits: t.Any = None) -> t.Any:
    """Decorates ``fn(tool, toolkit, params) -> params``."""
    return _decorator("before_execute")(modifier, tools=tools, toolkits=toolkits)


@t.overload
def after_execute(modifier: t.Callable[..., t.Any]) -> Modifier: ...
@t.overload
def after_execute(
    *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
) -> t.Callable[[t.Callable[..., t.Any]], Modifier]: ...
def after_execute(modifier: t.Any = None, *, tools: t.Any = None, toolkits: t.Any = None) -> t.Any:
    """Decorates ``fn(tool, toolkit, response) -> response``."""
    return _decorator("after_execute")(modifier, tools=tools, toolkits=toolkits)


@t.overload
def before_execute_meta(modifier: t.Callable[..., t.Any]) -> Modifier: ...
@t.overload
def before_execute_meta(
    *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
) -> t.Callable[[t.Callable[..., t.Any]], Modifier]: ...
def before_execute_meta(modifier: t.Any = None, *, tools: t.Any = None, toolkits: t.Any = None) -> t.Any:
    """Decorates ``fn(tool, toolkit, session_id, params) -> params`` for
    tools executed in a session: ``session.execute``/``session.execute_meta``
    with ``modifiers=`` and the tools of ``session.tools(modifiers)`` run by
    an agentic provider. ``params`` is ``{"arguments": {...}}``; only
    ``arguments`` is read back. (The official SDK defines this decorator
    but never invokes it.)"""
    return _decorator("before_execute_meta")(modifier, tools=tools, toolkits=toolkits)


@t.overload
def after_execute_meta(modifier: t.Callable[..., t.Any]) -> Modifier: ...
@t.overload
def after_execute_meta(
    *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
) -> t.Callable[[t.Callable[..., t.Any]], Modifier]: ...
def after_execute_meta(modifier: t.Any = None, *, tools: t.Any = None, toolkits: t.Any = None) -> t.Any:
    """Decorates ``fn(tool, toolkit, session_id, response) -> response``
    (``response`` is ``{"data", "error", "successful"}``); runs where
    :func:`before_execute_meta` does."""
    return _decorator("after_execute_meta")(modifier, tools=tools, toolkits=toolkits)


@t.overload
def before_file_upload(modifier: t.Callable[..., t.Any]) -> Modifier: ...
@t.overload
def before_file_upload(
    *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
) -> t.Callable[[t.Callable[..., t.Any]], Modifier]: ...
def before_file_upload(modifier: t.Any = None, *, tools: t.Any = None, toolkits: t.Any = None) -> t.Any:
    """Decorates a hook called before each automatic file upload (client
    built with ``dangerously_allow_auto_upload_download_files=True``) of
    ``tools.execute``, ``provider.handle_tool_calls`` and agentic tools from
    ``tools.get``: ``fn(context) -> str | bool`` with
    :class:`BeforeFileUploadContext`, or the legacy ``fn(path, tool, toolkit)``.
    A string replaces the path (or URL), ``False`` aborts the execution with
    ``FileUploadAbortedError``, anything else keeps the path. Hooks chain in
    list order."""
    return _decorator("before_file_upload")(modifier, tools=tools, toolkits=toolkits)


class DeclarativeModifier:
    """A modifier that runs entirely in the engine (no Python callback)."""

    _type: t.ClassVar[str] = ""

    def __init__(
        self,
        *,
        tools: t.Optional[t.List[str]] = None,
        toolkits: t.Optional[t.List[str]] = None,
        **fields: t.Any,
    ) -> None:
        self.tools = list(tools or [])
        self.toolkits = list(toolkits or [])
        self.fields = fields

    def _spec(self) -> t.Tuple[str, t.Any, t.List[str], t.List[str]]:
        return ("declarative", {"type": self._type, **self.fields}, self.tools, self.toolkits)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fields!r}, tools={self.tools!r}, toolkits={self.toolkits!r})"


class HideParameter(DeclarativeModifier):
    """Removes a parameter from the schema and drops it from arguments."""

    _type = "hide_parameter"

    def __init__(
        self, name: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
    ) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name)


class RenameParameter(DeclarativeModifier):
    """Shows a parameter under another name and maps it back on execution."""

    _type = "rename_parameter"

    def __init__(
        self, from_: str, to: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
    ) -> None:
        super().__init__(tools=tools, toolkits=toolkits, **{"from": from_, "to": to})


class SetDefault(DeclarativeModifier):
    """Sets a default in the schema and fills it in when missing."""

    _type = "set_default"

    def __init__(
        self,
        name: str,
        value: t.Any,
        *,
        tools: t.Optional[t.List[str]] = None,
        toolkits: t.Optional[t.List[str]] = None,
    ) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name, value=value)


class FixValue(DeclarativeModifier):
    """Hides a parameter and always sends this value."""

    _type = "fix_value"

    def __init__(
        self,
        name: str,
        value: t.Any,
        *,
        tools: t.Optional[t.List[str]] = None,
        toolkits: t.Optional[t.List[str]] = None,
    ) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name, value=value)


class MakeRequired(DeclarativeModifier):
    """Marks a parameter as required."""

    _type = "make_required"

    def __init__(
        self, name: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
    ) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name)


class ReplaceDescription(DeclarativeModifier):
    """Replaces the tool's description."""

    _type = "replace_description"

    def __init__(
        self, description: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
    ) -> None:
        super().__init__(tools=tools, toolkits=toolkits, description=description)


class AppendDescription(DeclarativeModifier):
    """Appends text to the tool's description."""

    _type = "append_description"

    def __init__(
        self, text: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
    ) -> None:
        super().__init__(tools=tools, toolkits=toolkits, text=text)


class SetParameterDescription(DeclarativeModifier):
    """Replaces one parameter's description."""

    _type = "set_parameter_description"

    def __init__(
        self,
        name: str,
        description: str,
        *,
        tools: t.Optional[t.List[str]] = None,
        toolkits: t.Optional[t.List[str]] = None,
    ) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name, description=description)


class KeepResultFields(DeclarativeModifier):
    """Keeps only these JSON pointers of a result's ``data``."""

    _type = "keep_result_fields"

    def __init__(
        self, pointers: t.List[str], *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None
    ) -> None:
        super().__init__(tools=tools, toolkits=toolkits, pointers=list(pointers))


Modifiers = t.List[t.Union[Modifier, DeclarativeModifier]]


def to_native(modifiers: t.Optional[t.Sequence[t.Any]]) -> t.Optional[t.List[t.Any]]:
    """The engine's form of a modifier list."""
    if not modifiers:
        return None
    out: t.List[t.Any] = []
    uploads: t.List[Modifier] = []
    for m in modifiers:
        spec = getattr(m, "_spec", None)
        if spec is None:
            raise TypeError(
                f"modifiers must be created with schema_modifier/before_execute/after_execute/"
                f"before_execute_meta/after_execute_meta/before_file_upload "
                f"or be declarative modifiers, got {type(m).__name__}"
            )
        if isinstance(m, Modifier) and m.type == "before_file_upload":
            uploads.append(m)
        else:
            out.append(spec())
    if uploads:
        out.append(("before_file_upload", _file_upload_hook(uploads), [], []))
    return out
