"""The ``tools.custom_tool`` decorator: a Python function becomes a tool
registered in the engine's custom-tool registry and executed locally.

The input schema comes from a pydantic model annotated on the first
parameter (``def f(request: MyInput)``), or else from plain type hints
(``def f(a: int, b: int = 2)``). Toolkit tools may also take
``execute_request`` (an authenticated proxy call) and ``auth_credentials``
(the connected account's credentials) by name.
"""

from __future__ import annotations

import inspect
import typing as t

from ._types import AttrDict

__all__ = ["CustomTool", "build_custom_tool", "schema_from_hints"]

RESERVED = ("execute_request", "auth_credentials")

_SIMPLE = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object", list: "array"}


def _json_type(tp: t.Any) -> t.Tuple[t.Dict[str, t.Any], bool]:
    """JSON schema of a type hint, and whether it accepts None."""
    origin = t.get_origin(tp)
    args = t.get_args(tp)
    if tp is t.Any or tp is inspect.Parameter.empty:
        return {}, False
    if origin is t.Union or (origin is not None and getattr(origin, "__name__", "") == "UnionType"):
        non_none = [a for a in args if a is not type(None)]
        nullable = len(non_none) != len(args)
        if len(non_none) == 1:
            return _json_type(non_none[0])[0], nullable
        return {"anyOf": [_json_type(a)[0] for a in non_none]}, nullable
    if origin in (list, t.List, tuple, set):
        schema: t.Dict[str, t.Any] = {"type": "array"}
        if args:
            schema["items"] = _json_type(args[0])[0]
        return schema, False
    if origin in (dict, t.Dict):
        return {"type": "object"}, False
    if origin is t.Literal:
        return {"enum": list(args)}, False
    if hasattr(tp, "model_json_schema"):
        return tp.model_json_schema(), False
    if tp in _SIMPLE:
        return {"type": _SIMPLE[tp]}, False
    raise TypeError(f"custom tool parameter type {tp!r} cannot be described as JSON schema")


def _hints(fn: t.Callable[..., t.Any], localns: t.Optional[t.Dict[str, t.Any]]) -> t.Dict[str, t.Any]:
    """Type hints, resolving string annotations (``from __future__ import
    annotations``) against the defining scope too."""
    try:
        return t.get_type_hints(fn, localns=localns)
    except NameError as e:
        raise TypeError(
            f"cannot resolve the type hints of custom tool {fn.__name__!r} ({e}); "
            "define the types it uses before the tool"
        ) from e


def schema_from_hints(fn: t.Callable[..., t.Any], localns: t.Optional[t.Dict[str, t.Any]] = None) -> t.Dict[str, t.Any]:
    """An object schema from a function's parameters and type hints."""
    hints = _hints(fn, localns)
    props: t.Dict[str, t.Any] = {}
    required: t.List[str] = []
    for name, p in inspect.signature(fn).parameters.items():
        if name in RESERVED or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        schema, nullable = _json_type(hints.get(name, inspect.Parameter.empty))
        schema = dict(schema)
        schema.setdefault("title", name.replace("_", " ").title())
        if p.default is not inspect.Parameter.empty:
            schema["default"] = p.default
        elif not nullable:
            required.append(name)
        props[name] = schema
    out: t.Dict[str, t.Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    return out


def _credentials(account: t.Any) -> t.Dict[str, t.Any]:
    if not isinstance(account, dict):
        return {}
    state = account.get("state")
    if isinstance(state, dict) and isinstance(state.get("val"), dict):
        return dict(state["val"])
    data = account.get("data")
    return dict(data) if isinstance(data, dict) else {}


class CustomTool:
    """A registered custom tool; calling it calls the function directly."""

    def __init__(
        self,
        fn: t.Callable[..., t.Any],
        slug: str,
        name: str,
        description: str,
        toolkit: t.Optional[str],
        input_parameters: t.Dict[str, t.Any],
    ) -> None:
        self.fn = fn
        self.slug = slug
        self.name = name
        self.description = description
        self.toolkit = toolkit
        self.input_parameters = input_parameters
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    def __call__(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"CustomTool(slug={self.slug!r}, toolkit={self.toolkit!r})"


def build_custom_tool(
    fn: t.Callable[..., t.Any],
    *,
    toolkit: t.Optional[str] = None,
    slug: t.Optional[str] = None,
    name: t.Optional[str] = None,
    description: t.Optional[str] = None,
    localns: t.Optional[t.Dict[str, t.Any]] = None,
) -> t.Tuple[CustomTool, t.Callable[[t.Dict[str, t.Any], t.Any], t.Any]]:
    """The tool description and the handler the engine calls."""
    if inspect.iscoroutinefunction(fn):
        raise TypeError(f"custom tool {fn.__name__!r} must be a plain function, not async")
    sig = inspect.signature(fn)
    params = [p for p in sig.parameters.values() if p.name not in RESERVED]
    hints = _hints(fn, localns)
    model = None
    if params:
        first = hints.get(params[0].name)
        if first is not None and hasattr(first, "model_json_schema") and hasattr(first, "model_validate"):
            model = first
    if model is not None:
        schema = model.model_json_schema()
    else:
        schema = schema_from_hints(fn, localns)
    wants = {n: n in sig.parameters for n in RESERVED}
    tool = CustomTool(
        fn,
        slug=slug or fn.__name__.upper(),
        name=name or fn.__name__.replace("_", " ").title(),
        description=description or inspect.cleandoc(fn.__doc__ or "") or fn.__name__.replace("_", " "),
        toolkit=toolkit,
        input_parameters=schema,
    )

    def handler(arguments: t.Dict[str, t.Any], ctx: t.Any) -> t.Any:
        extra: t.Dict[str, t.Any] = {}
        if wants["execute_request"]:

            def execute_request(
                endpoint: str,
                method: str,
                body: t.Any = None,
                parameters: t.Any = None,
                connected_account_id: t.Optional[str] = None,
            ) -> AttrDict:
                return AttrDict(ctx.proxy(endpoint, method, body, parameters, connected_account_id))

            extra["execute_request"] = execute_request
        if wants["auth_credentials"]:
            extra["auth_credentials"] = _credentials(ctx.connected_account)
        if model is not None:
            result = fn(model.model_validate(arguments), **extra)
        else:
            result = fn(**arguments, **extra)
        if hasattr(result, "model_dump"):
            result = result.model_dump(mode="json")
        return result

    return tool, handler
