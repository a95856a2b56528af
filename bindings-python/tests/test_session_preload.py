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
    # A non-bool flag is refused, and so are flags use() cannot send.
    with pytest.raises(exceptions.ValidationError, match="preload must be a bool"):
        composio.experimental.tool(preload="yes")(lambda input: {})
    with pytest.raises(exceptions.ValidationError, match="use\\(\\)"):
        composio.use(session.session_id, custom_tools=[greet])
