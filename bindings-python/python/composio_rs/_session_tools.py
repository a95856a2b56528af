"""Session custom tools and toolkits (``composio.experimental.tool`` /
``composio.experimental.Toolkit``), given to a session with
``composio.create(user_id=..., experimental={"custom_tools": [...],
"custom_toolkits": [...]})``.

The engine validates the slugs (``^[A-Za-z0-9_-]+$``, no ``LOCAL_`` /
``COMPOSIO_`` prefix, final ``LOCAL_[<TOOLKIT>_]SLUG`` at most 60
characters, no duplicates), announces the tools in the create body and runs
them in-process from ``session.execute``, the session's meta tools
(including ``COMPOSIO_MULTI_EXECUTE_TOOL`` items) and ``ctx.execute``.

A tool is ``def f(input: SomePydanticModel, ctx=None)`` (plain, not async;
at most two parameters; the docstring is the description unless one is
given). ``input`` may also be annotated ``dict`` (or left bare): the tool then
takes any object and receives the arguments as a dict.
"""

from __future__ import annotations

import inspect
import re
import sys
import typing as t

from ._types import AttrDict
from .exceptions import ValidationError

__all__ = ["SessionTool", "ExperimentalToolkit", "SessionContext", "build_session_tool"]

_SLUG = re.compile(r"^[A-Za-z0-9_-]+$")
_MAX = 60


def _check_slug(slug: str, what: str) -> None:
    if not isinstance(slug, str) or not _SLUG.match(slug):
        raise ValidationError(f"{what}: slug {slug!r} must match ^[A-Za-z0-9_-]+$")
    upper = slug.upper()
    for prefix in ("LOCAL_", "COMPOSIO_"):
        if upper.startswith(prefix):
            raise ValidationError(f"{what}: slug {slug!r} must not start with {prefix}")


def _final(slug: str, toolkit: t.Optional[str]) -> str:
    return ("LOCAL_" + (f"{toolkit}_" if toolkit else "") + slug).upper()


class SessionContext:
    """What a session tool gets as ``ctx``: ``user_id``, ``session_id``,
    ``execute(tool_slug, arguments)`` and ``proxy_execute(toolkit, endpoint,
    method, body=None, parameters=None)``."""

    def __init__(self, native: t.Any) -> None:
        self._native = native
        self.user_id: t.Optional[str] = native.user_id
        self.session_id: t.Optional[str] = native.session_id

    def execute(self, tool_slug: str, arguments: t.Optional[t.Dict[str, t.Any]] = None) -> AttrDict:
        """Runs another tool in this session (local tools in-process)."""
        return AttrDict(self._native.execute(tool_slug, arguments or {}))

    def proxy_execute(
        self,
        toolkit: str,
        endpoint: str,
        method: str,
        body: t.Any = None,
        parameters: t.Optional[t.Sequence[t.Dict[str, t.Any]]] = None,
    ) -> AttrDict:
        """A request to ``toolkit``'s API through the user's connected account."""
        return AttrDict(
            self._native.proxy_execute(toolkit, endpoint, method, body, list(parameters) if parameters else None)
        )

    def __repr__(self) -> str:
        return f"SessionContext(user_id={self.user_id!r}, session_id={self.session_id!r})"


class SessionTool:
    """A session custom tool; calling it calls the function directly."""

    def __init__(
        self,
        fn: t.Callable[..., t.Any],
        *,
        slug: str,
        name: str,
        description: str,
        input_schema: t.Dict[str, t.Any],
        output_schema: t.Optional[t.Dict[str, t.Any]],
        extends_toolkit: t.Optional[str],
        handler: t.Callable[[t.Dict[str, t.Any], t.Any], t.Any],
        preload: t.Optional[bool] = None,
    ) -> None:
        self.fn = fn
        self.preload = preload
        self.slug = slug
        self.name = name
        self.description = description
        self.input_schema = input_schema
        self.output_schema = output_schema
        self.extends_toolkit = extends_toolkit
        self._handler = handler
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    def _spec(self, in_toolkit: bool = False) -> t.Tuple[t.Any, ...]:
        return (
            self.slug,
            self.name,
            self.description,
            self.input_schema,
            self.output_schema,
            None if in_toolkit else self.extends_toolkit,
            self._handler,
            self.preload,
        )

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"SessionTool(slug={self.slug!r}, extends_toolkit={self.extends_toolkit!r})"


def build_session_tool(
    fn: t.Callable[..., t.Any],
    *,
    slug: t.Optional[str] = None,
    name: t.Optional[str] = None,
    description: t.Optional[str] = None,
    extends_toolkit: t.Optional[str] = None,
    output_params: t.Any = None,
    preload: t.Optional[bool] = None,
    localns: t.Optional[t.Dict[str, t.Any]] = None,
    what: str = "experimental.tool",
) -> SessionTool:
    """Describes ``fn`` as a session tool (validating what can be checked
    before the session exists)."""
    if not callable(fn):
        raise TypeError(f"{what} decorates a function")
    if inspect.iscoroutinefunction(fn):
        raise ValidationError(f"{what}: {fn.__name__!r} must be a plain function, not async")
    params = list(inspect.signature(fn).parameters.values())
    if not params or len(params) > 2:
        raise ValidationError(
            f"{what}: {fn.__name__!r} must take (input) or (input, ctx), got {len(params)} parameters"
        )
    doc = inspect.cleandoc(fn.__doc__ or "")
    description = description or doc
    if not description:
        raise ValidationError(f"{what}: {fn.__name__!r} needs a description (a docstring or description=)")
    slug = slug or fn.__name__.upper()
    _check_slug(slug, what)
    if extends_toolkit is not None:
        _check_slug(extends_toolkit, f"{what} extends_toolkit")
    if len(_final(slug, extends_toolkit)) > _MAX:
        raise ValidationError(f"{what}: final slug {_final(slug, extends_toolkit)!r} is longer than {_MAX} characters")
    try:
        hints = t.get_type_hints(fn, localns=localns)
    except NameError as e:
        raise TypeError(f"cannot resolve the type hints of {fn.__name__!r} ({e})") from e
    model = hints.get(params[0].name)
    if model is not None and hasattr(model, "model_json_schema") and hasattr(model, "model_validate"):
        input_schema = model.model_json_schema()
    elif model in (None, dict, t.Dict[str, t.Any], t.Any):
        model = None
        input_schema = {"type": "object", "properties": {}}
    else:
        raise ValidationError(f"{what}: the input of {fn.__name__!r} must be a pydantic model or dict, not {model!r}")
    output_schema = None
    if output_params is not None:
        if not hasattr(output_params, "model_json_schema"):
            raise ValidationError(f"{what}: output_params must be a pydantic model class")
        output_schema = output_params.model_json_schema()
    takes_ctx = len(params) == 2

    def handler(arguments: t.Dict[str, t.Any], native_ctx: t.Any) -> t.Any:
        value = model.model_validate(arguments) if model is not None else dict(arguments)
        result = fn(value, SessionContext(native_ctx)) if takes_ctx else fn(value)
        if hasattr(result, "model_dump"):
            result = result.model_dump(mode="json")
        return result

    return SessionTool(
        fn,
        slug=slug,
        name=name or fn.__name__.replace("_", " ").title(),
        description=description,
        input_schema=input_schema,
        output_schema=output_schema,
        extends_toolkit=extends_toolkit,
        handler=handler,
        preload=preload,
    )


def tool_decorator(
    fn: t.Optional[t.Callable[..., t.Any]],
    register: t.Optional[t.Callable[[SessionTool], None]] = None,
    what: str = "experimental.tool",
    **options: t.Any,
) -> t.Any:
    """The bare/parametrised decorator behind ``experimental.tool`` and
    ``Toolkit.tool``."""
    preload = options.get("preload")
    if preload is not None and not isinstance(preload, bool):
        raise ValidationError(f"{what}: preload must be a bool, not {type(preload).__name__}")
    caller = sys._getframe(2)
    localns = {**caller.f_globals, **caller.f_locals}

    def make(f: t.Callable[..., t.Any]) -> SessionTool:
        tool = build_session_tool(f, localns=localns, what=what, **options)
        if register is not None:
            register(tool)
        return tool

    if fn is not None:
        return make(fn)
    return make


class ExperimentalToolkit:
    """A toolkit of session tools: ``Toolkit(slug=, name=, description=)``
    and ``@toolkit.tool()``; pass it in ``experimental={"custom_toolkits":
    [...]}``."""

    def __init__(self, *, slug: str, name: str, description: str, preload: t.Optional[bool] = None) -> None:
        _check_slug(slug, "experimental.Toolkit")
        if preload is not None and not isinstance(preload, bool):
            raise ValidationError(f"experimental.Toolkit: preload must be a bool, not {type(preload).__name__}")
        if not name:
            raise ValidationError("experimental.Toolkit: name is required")
        if not description:
            raise ValidationError("experimental.Toolkit: description is required")
        self.slug = slug
        self.name = name
        self.description = description
        self.preload = preload
        self._tools: t.List[SessionTool] = []

    @property
    def tools(self) -> t.Tuple[SessionTool, ...]:
        return tuple(self._tools)

    def _add(self, tool: SessionTool) -> None:
        if len(_final(tool.slug, self.slug)) > _MAX:
            raise ValidationError(
                f'experimental.Toolkit("{self.slug}").tool: final slug {_final(tool.slug, self.slug)!r} '
                f"is longer than {_MAX} characters"
            )
        self._tools.append(tool)

    def tool(
        self,
        fn: t.Optional[t.Callable[..., t.Any]] = None,
        *,
        slug: t.Optional[str] = None,
        name: t.Optional[str] = None,
        description: t.Optional[str] = None,
        output_params: t.Any = None,
        preload: t.Optional[bool] = None,
    ) -> t.Any:
        """Adds a tool to this toolkit (bare or with options)."""
        return tool_decorator(
            fn,
            self._add,
            f'experimental.Toolkit("{self.slug}").tool',
            slug=slug,
            name=name,
            description=description,
            output_params=output_params,
            preload=preload,
        )

    def _spec(self) -> t.Tuple[t.Any, ...]:
        return (
            self.slug,
            self.name,
            self.description,
            [tool._spec(in_toolkit=True) for tool in self._tools],
            self.preload,
        )

    def __repr__(self) -> str:
        return f"Toolkit(slug={self.slug!r}, tools={len(self._tools)})"


def split_experimental(
    experimental: t.Any,
) -> t.Tuple[t.Any, t.Optional[t.List[t.Any]], t.Optional[t.List[t.Any]]]:
    """Takes the session tools out of ``experimental``: returns the rest (sent
    as given), the tool specs and the toolkit specs for the engine."""
    if not isinstance(experimental, dict):
        return experimental, None, None
    rest = dict(experimental)
    tools = rest.pop("custom_tools", None)
    toolkits = rest.pop("custom_toolkits", None)
    tool_specs = None
    kit_specs = None
    if tools is not None:
        if not isinstance(tools, (list, tuple)) or not all(isinstance(x, SessionTool) for x in tools):
            raise ValidationError("experimental.custom_tools must be a list of @composio.experimental.tool tools")
        tool_specs = [x._spec() for x in tools]
    if toolkits is not None:
        if not isinstance(toolkits, (list, tuple)) or not all(isinstance(x, ExperimentalToolkit) for x in toolkits):
            raise ValidationError("experimental.custom_toolkits must be a list of composio.experimental.Toolkit")
        kit_specs = [x._spec() for x in toolkits]
    return (rest or None), tool_specs, kit_specs
