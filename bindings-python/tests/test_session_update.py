"""session.update / list_config_history / delete and tool_router.delete against composio-local."""

import asyncio
from typing import Any

import pytest

from composio_rs.exceptions import ConflictError, InvalidParams, NotFoundError, SessionConfigConflictError


def test_update_omitted_vs_none_and_refresh(composio: Any) -> None:
    s = composio.create(user_id="u1", toolkits={"enable": ["notes"]}, auth_configs={"notes": "ac_1"})
    assert s.config_version == 1
    cfg = s.update(auth_configs={"tasks": "ac_2"})
    assert cfg["auth_configs"] == {"tasks": "ac_2"}
    assert cfg["toolkits"] == {"enabled": ["notes"]}  # omitted: kept
    assert s.config_version == 2
    assert s.config["auth_configs"] == {"tasks": "ac_2"}
    s.update(toolkits=None, proxy_execute=True, expected_config_version=2)
    assert "toolkits" not in s.config  # None: removed
    assert s.config["proxy_execute"] == {"enable": True}
    assert s.config_version == 3
    assert composio.sessions.use(s.session_id).config_version == 3


def test_conflict_error_and_validation(composio: Any) -> None:
    s = composio.create(user_id="u1")
    s.update(tags=None)
    with pytest.raises(SessionConfigConflictError) as info:
        s.update(tags=None, expected_config_version=1)
    err = info.value
    assert isinstance(err, ConflictError)
    assert err.session_id == s.session_id
    assert err.expected_config_version == 1
    assert err.status == 409
    assert s.config_version == 2
    for bad in [dict(sandbox={}, workbench={}), dict(instant=None), dict(expected_config_version=0)]:
        with pytest.raises(InvalidParams):
            s.update(**bad)
    s.update(tags=None, expected_config_version=False)
    assert s.config_version == 3


def test_history_and_delete(composio: Any) -> None:
    s = composio.create(user_id="u1")
    s.update(tags=None)
    s.update(tags=None)
    page = s.list_config_history(limit=2)
    assert [i["version"] for i in page.items] == [3, 2]
    assert page.items[0]["is_current"] is True
    rest = s.list_config_history(limit=2, cursor=page.next_cursor)
    assert [i["version"] for i in rest.items] == [1]
    assert s.delete() == {"session_id": s.session_id, "deleted": True}
    with pytest.raises(NotFoundError):
        composio.sessions.use(s.session_id)
    with pytest.raises(NotFoundError):
        composio.tool_router.delete(s.session_id)
    other = composio.create(user_id="u1")
    assert composio.tool_router.delete(other.session_id)["deleted"] is True


def test_async_update_conflict(local: Any) -> None:
    from composio_rs import AsyncComposio

    async def go() -> None:
        c = AsyncComposio(api_key=local.api_key, base_url=local.base_url)
        s = await c.create(user_id="u1")
        await s.update(tags=None)
        assert s.config_version == 2
        with pytest.raises(SessionConfigConflictError) as info:
            await s.update(tags=None, expected_config_version=1)
        assert info.value.session_id == s.session_id
        assert (await s.delete())["deleted"] is True

    asyncio.run(go())
