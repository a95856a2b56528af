"""Session meta modifiers (``before_execute_meta`` / ``after_execute_meta``)
and the ``before_file_upload`` hook, against composio-local."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from composio_rs import (
    AgenticProvider,
    AsyncComposio,
    after_execute,
    after_execute_meta,
    before_execute,
    before_execute_meta,
    before_file_upload,
    exceptions,
)

# ---------------------------------------------------------------------------
# Meta modifiers


def test_meta_decorator_forms() -> None:
    @before_execute_meta
    def everywhere(tool: str, toolkit: str, session_id: str, params: Any) -> Any:
        return params

    assert everywhere.type == "before_execute_meta" and everywhere.tools == [] and everywhere.toolkits == []

    @after_execute_meta(tools=["COMPOSIO_SEARCH_TOOLS"])
    def only_search(tool: str, toolkit: str, session_id: str, response: Any) -> Any:
        return response

    assert only_search.type == "after_execute_meta" and only_search.tools == ["COMPOSIO_SEARCH_TOOLS"]
    with pytest.raises(ValueError):
        before_execute_meta()
    with pytest.raises(ValueError):
        after_execute_meta()


def test_meta_modifiers_on_session_execute(composio: Any) -> None:
    session = composio.create(user_id="user-meta", toolkits=["text"])
    seen: List[Tuple[str, str, str, Any]] = []

    @before_execute_meta
    def longer(tool: str, toolkit: str, session_id: str, params: Any) -> Any:
        seen.append((tool, toolkit, session_id, copy.deepcopy(dict(params))))
        params["arguments"]["text"] += " and four more words"
        return params

    @after_execute_meta(toolkits=["composio"])
    def tag(tool: str, toolkit: str, session_id: str, response: Any) -> Any:
        seen.append((tool, toolkit, session_id, copy.deepcopy(dict(response))))
        response["data"]["tagged"] = session_id
        return response

    r = session.execute("TEXT_WORD_COUNT", {"text": "one two"}, modifiers=[longer, tag])
    assert r.error is None and r.successful is True
    assert r.data["words"] == 6
    assert r.data["tagged"] == session.session_id
    assert seen[0] == ("TEXT_WORD_COUNT", "composio", session.session_id, {"arguments": {"text": "one two"}})
    tool, toolkit, sid, response = seen[1]
    assert (tool, toolkit, sid) == ("TEXT_WORD_COUNT", "composio", session.session_id)
    assert response["successful"] is True and response["data"]["words"] == 6

    # Without modifiers the official result shape is kept.
    plain = session.execute("TEXT_WORD_COUNT", {"text": "one two"})
    assert plain.data["words"] == 2 and "successful" not in plain


def test_meta_modifiers_on_session_execute_meta(composio: Any) -> None:
    session = composio.create(user_id="user-meta2", toolkits=["text"])
    calls: List[str] = []

    @before_execute_meta(tools=["COMPOSIO_MULTI_EXECUTE_TOOL"])
    def rewrite(tool: str, toolkit: str, session_id: str, params: Any) -> Any:
        calls.append(f"before:{tool}:{toolkit}")
        params["arguments"]["tools"][0]["arguments"]["text"] = "a b c d e"
        return params

    @after_execute_meta(tools=["NOT_THIS_ONE"])
    def never(tool: str, toolkit: str, session_id: str, response: Any) -> Any:
        calls.append("never")
        return response

    @after_execute
    def plain_after(tool: str, toolkit: str, response: Any) -> Any:
        calls.append(f"after:{tool}:{toolkit}")
        return response

    args = {
        "tools": [{"tool_slug": "TEXT_WORD_COUNT", "arguments": {"text": "x"}}],
        "sync_response_to_workbench": False,
    }
    r = session.execute_meta("COMPOSIO_MULTI_EXECUTE_TOOL", args, modifiers=[rewrite, never, plain_after])
    assert r.successful is True, r
    assert '"words": 5' in json.dumps(r.data) or "'words': 5" in str(r.data)
    assert calls == ["before:COMPOSIO_MULTI_EXECUTE_TOOL:composio", "after:COMPOSIO_MULTI_EXECUTE_TOOL:composio"]


class RecordingAgentic(AgenticProvider[Any, List[Any]], name="recording"):
    """A framework stand-in: each tool becomes ``(slug, execute_tool)``."""

    def wrap_tool(self, tool: Any, execute_tool: Any) -> Any:
        return (tool["slug"], execute_tool)


def test_meta_modifiers_on_agentic_session_tools(local: Any) -> None:
    c = local.client(provider=RecordingAgentic())
    session = c.create(user_id="user-agentic-meta", toolkits=["text"])
    seen: List[Tuple[str, str, str]] = []

    @before_execute_meta
    def before(tool: str, toolkit: str, session_id: str, params: Any) -> Any:
        seen.append(("before_meta", tool, session_id))
        params["arguments"]["text"] = "five words are right here"
        return params

    @before_execute
    def plain_before(tool: str, toolkit: str, params: Any) -> Any:
        # In a session, before_execute sees only the arguments.
        assert params == {"arguments": {"text": "five words are right here"}}
        seen.append(("before", tool, toolkit))
        return params

    @after_execute_meta
    def after(tool: str, toolkit: str, session_id: str, response: Any) -> Any:
        seen.append(("after_meta", tool, session_id))
        response["data"]["checked"] = True
        return response

    assert RecordingAgentic.name == "recording"
    tools = dict(session.tools(modifiers=[before, plain_before, after]))
    assert "COMPOSIO_MULTI_EXECUTE_TOOL" in tools
    execute = tools["COMPOSIO_MULTI_EXECUTE_TOOL"]
    out = execute("TEXT_WORD_COUNT", {"text": "one"})
    assert out["successful"] is True and out["error"] is None
    assert out["data"]["words"] == 5 and out["data"]["checked"] is True
    sid = session.session_id
    assert seen == [
        ("before_meta", "TEXT_WORD_COUNT", sid),
        ("before", "TEXT_WORD_COUNT", "composio"),
        ("after_meta", "TEXT_WORD_COUNT", sid),
    ]


def test_meta_modifiers_do_not_apply_outside_sessions(composio: Any) -> None:
    called: List[str] = []

    @before_execute_meta
    def meta(tool: str, toolkit: str, session_id: str, params: Any) -> Any:
        called.append(tool)
        return params

    r = composio.tools.execute("TEXT_WORD_COUNT", {"text": "a b"}, user_id="u1", modifiers=[meta])
    assert r["successful"] is True and r["data"]["words"] == 2
    assert called == []


def test_raising_meta_modifier_comes_back_unchanged(composio: Any) -> None:
    session = composio.create(user_id="user-meta-raise", toolkits=["text"])
    boom = KeyError("meta boom")

    @before_execute_meta
    def bad(tool: str, toolkit: str, session_id: str, params: Any) -> Any:
        raise boom

    with pytest.raises(KeyError) as info:
        session.execute("TEXT_WORD_COUNT", {"text": "a"}, modifiers=[bad])
    assert info.value is boom


def test_meta_modifier_returning_garbage_is_a_validation_error(composio: Any) -> None:
    session = composio.create(user_id="user-meta-bad", toolkits=["text"])

    @before_execute_meta
    def bad(tool: str, toolkit: str, session_id: str, params: Any) -> Any:
        return {"args": {}}

    with pytest.raises(exceptions.ValidationError, match="arguments"):
        session.execute("TEXT_WORD_COUNT", {"text": "a"}, modifiers=[bad])


def test_async_session_execute_with_meta_modifiers(local: Any) -> None:
    async def go() -> Any:
        c = AsyncComposio(api_key=local.api_key, base_url=local.base_url, toolkit_versions={"text": "20251201_00"})
        session = await c.create(user_id="user-meta-async", toolkits=["text"])

        @before_execute_meta
        def more(tool: str, toolkit: str, session_id: str, params: Any) -> Any:
            params["arguments"]["text"] = "x y z"
            return params

        return await session.execute("TEXT_WORD_COUNT", {"text": "x"}, modifiers=[more])

    r = asyncio.run(go())
    assert r.data["words"] == 3


# ---------------------------------------------------------------------------
# before_file_upload


@pytest.fixture()
def files(tmp_path: Path) -> Dict[str, str]:
    a = tmp_path / "a.txt"
    a.write_text("hello world\n")
    b = tmp_path / "b.txt"
    b.write_text("one two three\nfour\n")
    return {"a": str(a), "b": str(b)}


def _file_client(local: Any, **kw: Any) -> Any:
    return local.client(dangerously_allow_auto_upload_download_files=True, **kw)


def test_before_file_upload_decorator_forms() -> None:
    @before_file_upload
    def hook(context: Any) -> Any:
        return None

    assert hook.type == "before_file_upload" and hook.tools == []

    @before_file_upload(toolkits=["text"])
    def scoped(path: str, tool: str, toolkit: str) -> Any:
        return path

    assert scoped.toolkits == ["text"]
    with pytest.raises(ValueError):
        before_file_upload()


def test_before_file_upload_replaces_path(local: Any, files: Dict[str, str]) -> None:
    c = _file_client(local)
    seen: List[Any] = []

    @before_file_upload
    def swap(context: Any) -> Any:
        seen.append(dict(context))
        return files["b"]

    r = c.tools.execute("TEXT_FILE_STATS", {"file": files["a"]}, user_id="u1", modifiers=[swap])
    assert r["successful"] is True, r
    assert r["data"]["name"] == "b.txt" and r["data"]["words"] == 4 and r["data"]["lines"] == 2
    assert seen == [{"path": files["a"], "source": "path", "tool": "TEXT_FILE_STATS", "toolkit": "text"}]


def test_before_file_upload_chain_order_filters_and_legacy_form(local: Any, files: Dict[str, str]) -> None:
    c = _file_client(local)
    order: List[str] = []

    @before_file_upload(tools=["TEXT_FILE_STATS"])
    def first(context: Any) -> Any:
        order.append("first:" + Path(context["path"]).name)
        return files["b"]

    @before_file_upload(toolkits=["other"])
    def skipped(context: Any) -> Any:
        order.append("skipped")
        return files["a"]

    @before_file_upload
    def legacy(path: str, tool: str, toolkit: str) -> Any:
        order.append(f"legacy:{Path(path).name}:{tool}:{toolkit}")
        return None  # anything but a string or False keeps the path

    @before_execute
    def plain(tool: str, toolkit: str, params: Any) -> Any:
        # Files are uploaded before before_execute runs (py012 order).
        order.append("before_execute:" + ("s3key" in params["arguments"]["file"] and "uploaded" or "raw"))
        return params

    r = c.tools.execute(
        "TEXT_FILE_STATS", {"file": files["a"]}, user_id="u1", modifiers=[first, skipped, legacy, plain]
    )
    assert r["successful"] is True and r["data"]["name"] == "b.txt"
    assert order == ["first:a.txt", "legacy:b.txt:TEXT_FILE_STATS:text", "before_execute:uploaded"]


def test_before_file_upload_false_aborts(local: Any, files: Dict[str, str]) -> None:
    c = _file_client(local)
    executed: List[str] = []

    @before_file_upload
    def deny(context: Any) -> Any:
        return False

    @before_execute
    def never(tool: str, toolkit: str, params: Any) -> Any:
        executed.append(tool)
        return params

    with pytest.raises(exceptions.FileUploadAbortedError) as info:
        c.tools.execute("TEXT_FILE_STATS", {"file": files["a"]}, user_id="u1", modifiers=[deny, never])
    assert isinstance(info.value, exceptions.FileError) and isinstance(info.value, exceptions.ComposioError)
    assert executed == []


def test_before_file_upload_bad_return_and_raise(local: Any, files: Dict[str, str]) -> None:
    c = _file_client(local)
    boom = RuntimeError("hook failed")

    @before_file_upload
    def raises(context: Any) -> Any:
        raise boom

    with pytest.raises(RuntimeError) as info:
        c.tools.execute("TEXT_FILE_STATS", {"file": files["a"]}, user_id="u1", modifiers=[raises])
    assert info.value is boom

    @before_file_upload
    def empty(context: Any) -> Any:
        return "  "

    with pytest.raises(exceptions.FileError, match="empty path"):
        c.tools.execute("TEXT_FILE_STATS", {"file": files["a"]}, user_id="u1", modifiers=[empty])


def test_before_file_upload_needs_auto_upload(local: Any, files: Dict[str, str]) -> None:
    c = local.client()  # automatic file handling off: nothing is uploaded, the hook is not called
    called: List[str] = []

    @before_file_upload
    def hook(context: Any) -> Any:
        called.append(context["path"])
        return context["path"]

    r = c.tools.execute("TEXT_FILE_STATS", {"file": files["a"]}, user_id="u1", modifiers=[hook])
    assert r["successful"] is False
    assert called == []


def test_before_file_upload_in_handle_tool_calls(local: Any, files: Dict[str, str]) -> None:
    c = _file_client(local)
    seen: List[str] = []

    @before_file_upload
    def swap(context: Any) -> Any:
        seen.append(context["tool"])
        return files["b"]

    response = {
        "choices": [
            {
                "message": {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "call_1",
                            "type": "function",
                            "function": {"name": "TEXT_FILE_STATS", "arguments": json.dumps({"file": files["a"]})},
                        }
                    ],
                }
            }
        ]
    }
    out = c.provider.handle_tool_calls("u1", response, modifiers=[swap])
    assert len(out) == 1 and '"name": "b.txt"' in json.dumps(out[0])
    assert seen == ["TEXT_FILE_STATS"]


def test_before_file_upload_async(local: Any, files: Dict[str, str]) -> None:
    async def go() -> Any:
        c = AsyncComposio(
            api_key=local.api_key,
            base_url=local.base_url,
            toolkit_versions={"text": "20251201_00"},
            dangerously_allow_auto_upload_download_files=True,
        )

        @before_file_upload
        def swap(context: Any) -> Any:
            return files["b"]

        return await c.tools.execute("TEXT_FILE_STATS", {"file": files["a"]}, user_id="u1", modifiers=[swap])

    r = asyncio.run(go())
    assert r["data"]["name"] == "b.txt"


def test_agentic_session_tools_upload_files_without_modifiers(local: Any, files: Dict[str, str]) -> None:
    # The official agentic session path uploads file arguments; with no
    # modifiers at all it must still do so (not send the local path as is).
    c = _file_client(local, provider=RecordingAgentic())
    session = c.create(user_id="user-agentic-files", toolkits=["text"])
    tools = dict(session.tools())
    execute = tools["COMPOSIO_MULTI_EXECUTE_TOOL"]
    out = execute("TEXT_FILE_STATS", {"file": files["b"]})
    assert out["successful"] is True, out
    assert out["data"]["name"] == "b.txt" and out["data"]["words"] == 4, out
