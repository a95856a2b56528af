"""Threads, fork and asyncio."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from typing import Any, List

import pytest

from conftest import TEXT_VERSION


def test_threads_share_one_client(composio: Any) -> None:
    errors: List[BaseException] = []
    counts: List[int] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        done = 0
        try:
            for j in range(1000 // 16 + (1 if i < 1000 % 16 else 0)):
                r = composio.tools.execute("TEXT_WORD_COUNT", {"text": "w " * (j % 5 + 1)}, user_id=f"u{i}")
                assert r["data"]["words"] == j % 5 + 1
                done += 1
        except BaseException as e:  # noqa: BLE001
            errors.append(e)
        with lock:
            counts.append(done)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert sum(counts) == 1000


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_fork_child_works(composio: Any) -> None:
    assert composio.tools.execute("TEXT_WORD_COUNT", {"text": "a"}, user_id="u")["successful"]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            res = composio.tools.execute("TEXT_WORD_COUNT", {"text": "child says hi"}, user_id="u")
            code = 0 if res["data"]["words"] == 3 else 3
        except BaseException:  # noqa: BLE001
            code = 2
        os.write(w, bytes([code]))
        os._exit(code)
    os.close(w)
    _, status = os.waitpid(pid, 0)
    got = os.read(r, 1)
    os.close(r)
    assert got == b"\x00" and os.WEXITSTATUS(status) == 0
    # the parent still works too
    assert composio.tools.execute("TEXT_WORD_COUNT", {"text": "b"}, user_id="u")["successful"]


def _in_child(check: Any) -> int:
    """Runs ``check() -> bool`` in a forked child; returns its exit code
    (0 ok, 3 check false, 2 exception)."""
    pid = os.fork()
    if pid == 0:  # child
        code = 2
        try:
            code = 0 if check() else 3
        except BaseException:  # noqa: BLE001
            import traceback

            traceback.print_exc()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.WEXITSTATUS(status)


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_fork_keeps_sessions_custom_tools_async_and_grandchildren_working(local: Any) -> None:
    from composio_rs import AsyncComposio

    composio = local.client()

    @composio.tools.custom_tool
    def shout(text: str) -> str:
        """Upper-cases a text."""
        return text.upper()

    @composio.experimental.tool
    def whisper(input: dict) -> Any:
        """Lower-cases a text (a session custom tool)."""
        return {"text": str(input.get("text", "")).lower()}

    session = composio.create(user_id="fork-user", toolkits=["text"], experimental={"custom_tools": [whisper]})
    assert session.execute("TEXT_WORD_COUNT", {"text": "a b"}).data["words"] == 2
    version = session.config_version
    assert composio.tools.execute("SHOUT", {"text": "hi"}, user_id="u")["data"] == "HI"
    aclient = AsyncComposio(api_key=local.api_key, base_url=local.base_url, toolkit_versions={"text": TEXT_VERSION})

    async def count(text: str) -> int:
        r = await aclient.tools.execute("TEXT_WORD_COUNT", {"text": text}, user_id="u")
        return int(r["data"]["words"])

    assert asyncio.run(count("one two three")) == 3

    def child() -> bool:
        ok = session.execute("TEXT_WORD_COUNT", {"text": "x y z"}).data["words"] == 3
        ok = ok and composio.tools.execute("SHOUT", {"text": "child"}, user_id="u")["data"] == "CHILD"
        ok = ok and asyncio.run(count("a b c d")) == 4
        # The session keeps its custom tools in the child, and an update made
        # there is seen by the child's session object.
        ok = ok and session.execute("LOCAL_WHISPER", {"text": "QUIET"}).data == {"text": "quiet"}
        ok = ok and session.update(proxy_execute=True)["proxy_execute"] == {"enable": True}
        ok = ok and session.config_version == version + 1 and session.config["proxy_execute"] == {"enable": True}

        # A grandchild of a child that used the SDK works as well.
        def grandchild() -> bool:
            return bool(composio.tools.execute("TEXT_WORD_COUNT", {"text": "g"}, user_id="u")["successful"])

        return ok and _in_child(grandchild) == 0

    assert _in_child(child) == 0
    # The parent is unaffected.
    assert session.execute("TEXT_WORD_COUNT", {"text": "p q"}).data["words"] == 2
    assert asyncio.run(count("parent")) == 1


def test_asyncio_500_concurrent_executes(local: Any) -> None:
    from composio_rs import AsyncComposio

    async def main() -> List[Any]:
        c = AsyncComposio(api_key=local.api_key, base_url=local.base_url, toolkit_versions={"text": TEXT_VERSION})
        calls = [c.tools.execute("TEXT_WORD_COUNT", {"text": "x " * (i % 7 + 1)}, user_id=f"u{i}") for i in range(500)]
        return await asyncio.gather(*calls)

    threads_before = threading.active_count()
    results = asyncio.run(main())
    assert len(results) == 500
    assert [r["data"]["words"] for r in results] == [i % 7 + 1 for i in range(500)]
    assert threading.active_count() <= threads_before + 2


def test_async_surface(local: Any) -> None:
    import inspect

    from composio_rs import AsyncComposio, _native

    async def main() -> None:
        c = AsyncComposio(api_key=local.api_key, base_url=local.base_url, toolkit_versions={"text": TEXT_VERSION})
        assert inspect.iscoroutinefunction(c.create) and inspect.iscoroutinefunction(c.tools.execute)
        session = await c.create(user_id="async-user", toolkits=["text"])
        tools = await session.tools()
        assert any(t["function"]["name"] == "COMPOSIO_SEARCH_TOOLS" for t in tools)
        r = await session.execute("TEXT_WORD_COUNT", arguments={"text": "a b"})
        assert r.data["words"] == 2
        again = await c.use(session.session_id)
        assert again.session_id == session.session_id
        got = await c.tools.get("async-user", toolkits=["text"])
        assert len(got) >= 5
        ts = "1767225590"
        body = '{"type":"composio.trigger.message","id":"m","timestamp":"t","metadata":{"log_id":"l","trigger_slug":"S","trigger_id":"ti","connected_account_id":"ca","auth_config_id":"ac","user_id":"u"},"data":{}}'
        sig = _native.sign_webhook("m", ts, body, "sec")
        v = c.triggers.verify_webhook(id="m", payload=body, secret="sec", signature=sig, timestamp=ts, tolerance=0)
        assert v.version == "V3"
        from composio_rs import exceptions

        with pytest.raises(exceptions.ToolVersionRequiredError):
            c2 = AsyncComposio(api_key=local.api_key, base_url=local.base_url)
            await c2.tools.execute("TEXT_WORD_COUNT", {"text": "a"}, user_id="u")
        with pytest.raises(exceptions.InternalError):
            await _native._panic_for_tests(aio=True)

    asyncio.run(main())
