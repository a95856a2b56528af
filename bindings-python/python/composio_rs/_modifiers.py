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

ModifierType = t.Literal["schema", "before_execute", "after_execute"]
F = t.TypeVar("F", bound=t.Callable[..., t.Any])


class Modifier:
    """A callback modifier (what the decorators return)."""

    def __init__(
        self,
        modifier: t.Callable[[str, str, t.Any], t.Any],
        type_: ModifierType,
        tools: t.List[str],
        toolkits: t.List[str],
    ) -> None:
        self.modifier = modifier
        self.type = type_
        self.tools = list(tools)
        self.toolkits = list(toolkits)

    def __call__(self, tool: str, toolkit: str, data: t.Any) -> t.Any:
        return self.modifier(tool, toolkit, data)

    def _spec(self) -> t.Tuple[str, t.Any, t.List[str], t.List[str]]:
        fn = self.modifier

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

    def __init__(self, name: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name)


class RenameParameter(DeclarativeModifier):
    """Shows a parameter under another name and maps it back on execution."""

    _type = "rename_parameter"

    def __init__(self, from_: str, to: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None) -> None:
        super().__init__(tools=tools, toolkits=toolkits, **{"from": from_, "to": to})


class SetDefault(DeclarativeModifier):
    """Sets a default in the schema and fills it in when missing."""

    _type = "set_default"

    def __init__(self, name: str, value: t.Any, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name, value=value)


class FixValue(DeclarativeModifier):
    """Hides a parameter and always sends this value."""

    _type = "fix_value"

    def __init__(self, name: str, value: t.Any, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name, value=value)


class MakeRequired(DeclarativeModifier):
    """Marks a parameter as required."""

    _type = "make_required"

    def __init__(self, name: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name)


class ReplaceDescription(DeclarativeModifier):
    """Replaces the tool's description."""

    _type = "replace_description"

    def __init__(self, description: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None) -> None:
        super().__init__(tools=tools, toolkits=toolkits, description=description)


class AppendDescription(DeclarativeModifier):
    """Appends text to the tool's description."""

    _type = "append_description"

    def __init__(self, text: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None) -> None:
        super().__init__(tools=tools, toolkits=toolkits, text=text)


class SetParameterDescription(DeclarativeModifier):
    """Replaces one parameter's description."""

    _type = "set_parameter_description"

    def __init__(self, name: str, description: str, *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None) -> None:
        super().__init__(tools=tools, toolkits=toolkits, name=name, description=description)


class KeepResultFields(DeclarativeModifier):
    """Keeps only these JSON pointers of a result's ``data``."""

    _type = "keep_result_fields"

    def __init__(self, pointers: t.List[str], *, tools: t.Optional[t.List[str]] = None, toolkits: t.Optional[t.List[str]] = None) -> None:
        super().__init__(tools=tools, toolkits=toolkits, pointers=list(pointers))


Modifiers = t.List[t.Union[Modifier, DeclarativeModifier]]


def to_native(modifiers: t.Optional[t.Sequence[t.Any]]) -> t.Optional[t.List[t.Any]]:
    """The engine's form of a modifier list."""
    if not modifiers:
        return None
    out = []
    for m in modifiers:
        spec = getattr(m, "_spec", None)
        if spec is None:
            raise TypeError(
                f"modifiers must be created with schema_modifier/before_execute/after_execute "
                f"or be declarative modifiers, got {type(m).__name__}"
            )
        out.append(spec())
    return out
