"""Connects a user's `notes` account on composio-local through its connect
page (the user's side is an HTTP POST of the API-key form)."""

from __future__ import annotations

import urllib.parse
import urllib.request
from typing import Any, Tuple


def connect_notes(composio: Any, user_id: str, api_key: str = "notes-key") -> Tuple[Any, Any]:
    """Returns ``(session, connected_account)``."""
    session = composio.create(user_id=user_id, toolkits=["notes"])
    request = session.authorize("notes")
    assert request.redirect_url, "authorize() returned no connect link"
    form = urllib.parse.urlencode({"api_key": api_key}).encode()
    with urllib.request.urlopen(
        urllib.request.Request(request.redirect_url, data=form, method="POST"), timeout=30
    ) as r:
        assert r.status == 200
    account = request.wait_for_connection(30)
    assert account.status == "ACTIVE"
    return session, account
