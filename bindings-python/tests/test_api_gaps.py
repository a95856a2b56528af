"""Entry points filled in from the audit of wire-contract §19 and the docs:
``composio.webhooks.subscriptions``, ``triggers.set_webhook_subscription``,
``connected_accounts.update`` / ``refresh``, ``composio.experimental``."""

from __future__ import annotations

from typing import Any

import pytest

from composio_rs import exceptions
from composio_rs.auth_scheme import AuthScheme
from helpers_notes import connect_notes


def test_webhook_subscriptions_crud(composio: Any) -> None:
    subs = composio.webhooks.subscriptions
    for old in subs.list().items:
        subs.delete(old.id)
    created = subs.create(
        webhook_url="http://127.0.0.1:9/hook", enabled_events=["composio.trigger.message"], version="V3"
    )
    try:
        assert created.id and created.secret
        assert created.webhook_url == "http://127.0.0.1:9/hook" and created.version == "V3"
        assert subs.get(created.id).enabled_events == ["composio.trigger.message"]
        assert [s.id for s in subs.list(limit=5).items] == [created.id]

        updated = subs.update(created.id, webhook_url="http://127.0.0.1:9/other")
        assert updated.webhook_url == "http://127.0.0.1:9/other"
        assert updated.version == "V3"

        rotated = subs.rotate_secret(created.id)
        assert rotated.id == created.id and rotated.secret and rotated.secret != created.secret

        # set(): updates the existing subscription instead of creating one.
        again = composio.triggers.set_webhook_subscription(webhook_url="http://127.0.0.1:9/set")
        assert again.id == created.id and again.webhook_url == "http://127.0.0.1:9/set"

        kinds = {e.event_type for e in subs.list_event_types()}
        assert "composio.trigger.message" in kinds
        with pytest.raises(exceptions.ValidationError, match="V1, V2 or V3"):
            subs.update(created.id, version="V9")
        with pytest.raises(exceptions.ValidationError, match="webhook_url"):
            subs.create(webhook_url="not a url", enabled_events=["composio.trigger.message"])
    finally:
        assert subs.delete(created.id).success is True
    with pytest.raises(exceptions.NotFoundError):
        subs.get(created.id)


def test_connected_account_update_and_refresh(composio: Any) -> None:
    _, account = connect_notes(composio, "user-update")
    renamed = composio.connected_accounts.update(account.id, alias="work notes")
    assert renamed.id == account.id and renamed.alias == "work notes"
    assert composio.connected_accounts.get(account.id).alias == "work notes"

    swapped = composio.connected_accounts.update(
        account.id, connection={"state": AuthScheme.api_key({"api_key": "rotated-key"})}
    )
    assert swapped.id == account.id
    with pytest.raises(exceptions.ValidationError):
        composio.connected_accounts.update(account.id)

    refreshed = composio.connected_accounts.refresh(account.id)
    assert refreshed.id == account.id and refreshed.status
    with pytest.raises(ValueError):
        composio.connected_accounts.refresh(account.id, query_redirect_url="https://a", body_redirect_url="https://b")


def test_experimental_aliases(composio: Any) -> None:
    assert composio.experimental.mcp is composio.mcp
    session = composio.experimental.tool_router.create_session(user_id="user-beta", toolkits=["text"])
    assert session.session_id.startswith("trs_")


def test_google_execute_tool_call(local: Any) -> None:
    from types import SimpleNamespace

    from composio_rs import GoogleProvider

    composio = local.client(provider=GoogleProvider())
    by_object = composio.provider.execute_tool_call(
        user_id="user-g", function_call=SimpleNamespace(name="TEXT_WORD_COUNT", args={"text": "one two"})
    )
    assert by_object["successful"] is True and by_object["data"]["words"] == 2
    by_dict = composio.provider.execute_tool_call("user-g", {"name": "TEXT_WORD_COUNT", "args": {"text": "a b c"}})
    assert by_dict["data"]["words"] == 3
    with pytest.raises(ValueError, match="no name"):
        composio.provider.execute_tool_call("user-g", {"args": {}})
