"""Session ``preload`` (composio 0.30): ``preload=`` on ``composio.create``
exposes app tools directly in ``session.tools()``; ``preload=True`` on a
session custom tool or toolkit lists it there too (nothing is dropped)."""

from __future__ import annotations

from typing import Any

import pytest

from composio_rs import exceptions


def _names(session: Any) -> list:
    return [t["function"]["name"] for t in session.tools()]


def test_preload_lists_app_and_custom_tools(composio: Any) -> None:
    @composio.experimental.tool(preload=True)
    def greet(input: dict) -> Any:
        """Says hello."""
        return {"hello": input.get("name", "you")}

    @composio.experimental.tool(preload=False)
    def quiet(input: dict) -> Any:
        """Stays search-only."""
        return {}

    kit = composio.experimental.Toolkit(slug="crm", name="CRM", description="Records", preload=True)

    @kit.tool()
    def find(input: dict) -> Any:
        """Finds a record."""
        return {"found": True}

    session = composio.create(
        user_id="preload-user",
        toolkits=["text"],
        preload={"tools": ["TEXT_WORD_COUNT"]},
        experimental={"custom_tools": [greet, quiet], "custom_toolkits": [kit]},
    )
    assert session.config["preload"] == {"tools": ["TEXT_WORD_COUNT"]}
    exp = session.experimental
    assert exp["custom_tools"][0]["preload"] is True
    assert "preload" not in exp["custom_tools"][1], "an explicit False with no default is not sent"
    assert exp["custom_toolkits"][0]["preload"] is True
    names = _names(session)
    assert "COMPOSIO_SEARCH_TOOLS" in names and "TEXT_WORD_COUNT" in names
    assert "LOCAL_GREET" in names and "LOCAL_CRM_FIND" in names
    assert "LOCAL_QUIET" not in names
    assert session.execute("LOCAL_GREET", {"name": "Ada"}).data == {"hello": "Ada"}

    # "all" needs a positive filter; the API says so.
    with pytest.raises(exceptions.ComposioError, match="positive filter"):
        composio.create(user_id="preload-user", preload={"tools": "all"})
    # Custom tool slugs never go in preload.tools.
    with pytest.raises(exceptions.ValidationError, match="preload.tools"):
        composio.create(user_id="preload-user", preload={"tools": ["LOCAL_GREET"]})
    # A non-bool flag is refused.
    with pytest.raises(exceptions.ValidationError, match="preload must be a bool"):
        composio.experimental.tool(preload="yes")(lambda input: {})


def test_use_honours_each_attached_tools_preload_flag(composio: Any) -> None:
    """``composio.use(id, custom_tools=...)`` sends each tool's flag and lists
    the flagged tools, as the official SDK's ``use`` does."""

    @composio.experimental.tool(preload=True)
    def late(input: dict) -> Any:
        """Attached later."""
        return {"late": True}

    @composio.experimental.tool()
    def other(input: dict) -> Any:
        """Search-only."""
        return {"other": True}

    kit = composio.experimental.Toolkit(slug="crm", name="CRM", description="Records", preload=True)

    @kit.tool()
    def find(input: dict) -> Any:
        """Finds a record."""
        return {"found": True}

    @kit.tool(preload=False)
    def skip(input: dict) -> Any:
        """Opts out of its toolkit's flag."""
        return {}

    plain = composio.create(user_id="preload-user", toolkits=["text"])
    attached = composio.use(plain.session_id, custom_tools=[late, other], custom_toolkits=[kit])
    assert [n for n in _names(attached) if n.startswith("LOCAL_")] == ["LOCAL_LATE", "LOCAL_CRM_FIND"]
    stored = {t["slug"]: t.get("preload") for t in attached.experimental["custom_tools"]}
    assert stored["LOCAL_LATE"] is True and stored["LOCAL_OTHER"] is None, stored
    assert attached.execute("LOCAL_OTHER", {}).data == {"other": True}

    # Under a stored "all", an explicit False still opts out.
    @composio.experimental.tool()
    def loud(input: dict) -> Any:
        """Preloaded by the session default."""
        return {}

    @composio.experimental.tool(preload=False)
    def hush(input: dict) -> Any:
        """Opts out."""
        return {}

    every = composio.create(user_id="preload-user", toolkits=["text"], preload={"tools": "all"})
    again = composio.use(every.session_id, custom_tools=[loud, hush])
    assert [n for n in _names(again) if n.startswith("LOCAL_")] == ["LOCAL_LOUD"]
