"""Small result types: dicts with attribute access."""

from __future__ import annotations

import typing as t

__all__ = ["AttrDict", "Page", "wrap"]


class AttrDict(t.Dict[str, t.Any]):
    """A ``dict`` whose keys are also attributes (``r.data`` == ``r["data"]``).

    Nested plain dicts are wrapped the first time they are read through an
    attribute, in place, so changes made through either spelling stick.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> t.Any:
        try:
            value = self[name]
        except KeyError:
            raise AttributeError(name) from None
        if type(value) is dict:
            value = AttrDict(value)
            self[name] = value
        return value

    def __setattr__(self, name: str, value: t.Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def model_dump(self, **_: t.Any) -> t.Dict[str, t.Any]:
        """The plain-dict form (pydantic-style)."""
        return dict(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"


class _Items(t.List[t.Any]):
    """A page's ``items`` list that is also callable as ``dict.items()``."""

    __slots__ = ("_owner",)
    _owner: t.Any

    def __call__(self) -> t.Any:
        return dict.items(self._owner)


class Page(AttrDict):
    """A list page: ``.items`` (the list; ``.items()`` still works as the
    dict method), ``.next_cursor``, ``.total_pages``, ``.current_page``,
    ``.total_items``."""

    __slots__ = ()

    @property  # type: ignore[override]
    def items(self) -> t.Any:
        value = self.get("items")
        if not isinstance(value, list):
            return lambda: dict.items(self)
        out = _Items(AttrDict(v) if type(v) is dict else v for v in value)
        out._owner = self
        return out


def wrap(value: t.Any) -> t.Any:
    """Wraps a dict (or each dict of a list) as ``AttrDict``."""
    if type(value) is dict:
        return AttrDict(value)
    if type(value) is list:
        return [AttrDict(v) if type(v) is dict else v for v in value]
    return value
