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
    assert err.session_config_id is None
    assert isinstance(err.request_id, str)
    assert "no longer at version 1" in str(err)
    assert s.config_version == 2
    for bad, needle in [
        (dict(sandbox={}, workbench={}), "sandbox"),
        (dict(instant=None), "instant"),
        (dict(expected_config_version=0), "expected_config_version"),
        (dict(expected_config_version=True), "expected_config_version"),
        (dict(toolkits=["notes"], experimental={"session_config_id": "sc_1"}), "session_config_id"),
        (dict(hooks=None, experimental={"session_config_id": "sc_1"}), "hooks"),
    ]:
        with pytest.raises(InvalidParams, match=needle):
            s.update(**bad)
    assert s.config_version == 2
    s.update(tags=None, expected_config_version=False)
    assert s.config_version == 3


def test_history_and_delete(composio: Any) -> None:
    s = composio.create(user_id="u1")
    s.update(tags=None)
    s.update(tags=None)
    page = s.list_config_history(limit=2)
    assert [i["version"] for i in page.items] == [3, 2]
    assert page.items[0].is_current is True
    assert page.total_items == 3
    assert "tags" not in page.items[1].config
    assert isinstance(page.items[1].created_at, str)
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


def test_shorthands_and_saved_config_conflict(local: Any, composio: Any) -> None:
    import json
    import urllib.request

    s = composio.create(user_id="u9")
    cfg = s.update(toolkits=["notes"], manage_connections=False, connected_accounts={"notes": "ca_1"})
    assert cfg["toolkits"] == {"enabled": ["notes"]}
    assert cfg["manage_connections"]["enabled"] is False
    assert cfg["connected_accounts"] == {"notes": "ca_1"}
    req = urllib.request.Request(
        f"{local.base_url}/api/v3.1/session_configs",
        data=json.dumps({"name": "Tasks", "config": {"toolkits": {"enable": ["tasks"]}}}).encode(),
        headers={"x-api-key": local.api_key, "content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req) as resp:
        scid = json.loads(resp.read())["id"]
    with pytest.raises(SessionConfigConflictError) as info:
        s.update(experimental={"session_config_id": scid}, expected_config_version=1)
    assert info.value.session_config_id == scid
    assert scid in str(info.value)
    assert s.config_version == 2
    assert s.update(experimental={"session_config_id": scid})["toolkits"] == {"enabled": ["tasks"]}
    assert s.config_version == 3
