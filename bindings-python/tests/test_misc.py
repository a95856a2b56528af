"""Import laziness, logging, helpers and thin wrappers."""

from __future__ import annotations

import logging
import subprocess
import sys
from typing import Any

import pytest

from composio_rs import exceptions


def test_import_is_lazy() -> None:
    code = (
        "import sys, composio_rs\n"
        "assert 'composio_rs._native' not in sys.modules, 'native loaded eagerly'\n"
        "assert 'composio_rs._client' not in sys.modules\n"
        "lazy = ('composio_rs.providers', 'composio_rs.langchain', 'composio_rs._triggers', 'composio_rs._async')\n"
        "assert not [m for m in lazy if m in sys.modules], [m for m in lazy if m in sys.modules]\n"
        "composio_rs.Composio\n"
        "assert 'composio_rs._native' in sys.modules\n"
        "assert 'composio_rs.langchain' not in sys.modules and 'composio_rs._triggers' not in sys.modules\n"
        "assert 'langchain_core' not in sys.modules and 'composio_rs._async' not in sys.modules\n"
        "c = composio_rs.Composio(api_key='k', base_url='http://127.0.0.1:9')\n"
        "assert 'composio_rs._triggers' not in sys.modules, 'subscription code loaded by construction'\n"
        "composio_rs.langchain.LangchainProvider\n"
        "assert 'langchain_core' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_logging_forwards_to_composio_rs_logger(caplog: Any) -> None:
    import composio_rs
    from composio_rs import _native

    composio_rs.set_log_level("INFO")
    with caplog.at_level(logging.INFO, logger="composio_rs"):
        _native._log_for_tests(20, "hello from rust")
        _native._log_for_tests(10, "too chatty")
    msgs = [r.getMessage() for r in caplog.records if r.name == "composio_rs"]
    assert any("hello from rust" in m for m in msgs)
    assert not any("too chatty" in m for m in msgs)
    composio_rs.set_log_level("WARNING")


def test_auth_scheme_helpers() -> None:
    from composio_rs import AuthScheme, auth_scheme

    s = auth_scheme.api_key({"api_key": "k"})
    assert s == {"authScheme": "API_KEY", "val": {"status": "ACTIVE", "api_key": "k"}}
    assert AuthScheme.oauth2({})["val"]["status"] == "INITIALIZING"
    with pytest.raises(exceptions.ValidationError):
        auth_scheme.api_key({"bad": float("inf")})


def test_toolkits(composio: Any) -> None:
    page = composio.toolkits.list()
    assert any(t.slug == "text" for t in page.items)
    assert len(page.items) == len(page["items"])
    assert composio.toolkits.get("text").slug == "text"
    cats = composio.toolkits.list_categories()
    assert isinstance(cats, list)


def test_session_request_body() -> None:
    from composio_rs import _native

    body = _native.session_request_body("u1", {"toolkits": ["text"], "manage_connections": False})
    assert body == {"user_id": "u1", "toolkits": {"enable": ["text"]}, "manage_connections": {"enable": False}}


def test_environment_argument() -> None:
    from composio_rs import Composio

    assert Composio(api_key="k", environment="local").base_url == "http://localhost:9900"
    with pytest.raises(ValueError):
        Composio(api_key="k", environment="mars")
