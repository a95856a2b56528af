"""The trace in front of the decoder's string cache (`json_py::StrCache`):
the short strings of the last decode, in the order they were met, checked
position by position before the cache's sets. Whatever the previous decode
looked like (another shape, the same shape with changed values, longer,
shorter, shifted by strings the cache never keeps), every decode equals
`json.loads`, and results stay intact after later decodes replaced their
strings in the trace."""

from __future__ import annotations

import gc
import json
import random
import sys
import time
import typing as t

from composio_rs import _native


def decode(text: str) -> t.Any:
    value, used_fast = _native._decode_json_for_tests(text)
    assert used_fast, f"fast path refused {text!r}"
    expect = json.loads(text)
    assert value == expect
    assert json.dumps(value) == json.dumps(expect)  # key order too
    return value


def message(i: int, sender: str = "alice@example.com") -> t.Dict[str, t.Any]:
    return {"id": f"m{i}", "from": sender, "subject": f"Quarterly report part {i}", "labels": ["INBOX", "X"]}


def test_bodies_alternating_between_two_shapes() -> None:
    a = json.dumps({"id": "msg_1", "data": {"thread_id": "t1", "messages": [message(i) for i in range(6)]}})
    b = json.dumps({"kind": "push", "ref": "main", "commits": [{"sha": f"c{i}", "files": ["a.py"]} for i in range(4)]})
    kept = [decode(text) for _ in range(5) for text in (a, b)]
    for i, value in enumerate(kept):
        assert value == json.loads(a if i % 2 == 0 else b)


def test_a_string_changing_at_the_same_position() -> None:
    """Same shape, one value different each time: same length, same first
    word, one byte apart, back to an earlier value."""
    values = ["t1", "t2", "t1", "t1\u00e9", "aaaaaaaabbbbbbbbcccccccc", "aaaaaaaabbbbbbbbcccccccd", "", "t1"]
    previous: t.List[t.Any] = []
    for v in values * 2:
        body = json.dumps({"id": "msg_1", "data": {"thread_id": v, "messages": [message(1), message(2)]}})
        got = decode(body)
        assert got["data"]["thread_id"] == v
        previous.append((got, body))
    for got, body in previous:
        assert got == json.loads(body)


def test_keys_changing_at_the_same_position() -> None:
    for i in range(40):
        doc = {f"k{i % 7}": {"inner": i, f"x{i % 3}": [f"v{i % 5}", "v"]}, "tail": "end"}
        decode(json.dumps(doc, separators=(",", ":")))


def test_bodies_longer_and_shorter_than_the_trace() -> None:
    """Lengths around the previous decode's and beyond the trace's limit
    (1,024 strings)."""
    rnd = random.Random(11)
    for n in (3, 30, 5, 300, 2, 3000, 10, 3000, 0, 1030, 1023, 1024, 1025, 7):
        words = [f"w{rnd.randrange(50)}" for _ in range(n)]
        decode(json.dumps(words))
        decode(json.dumps([{w: w} for w in words]))


def test_strings_the_cache_never_keeps_do_not_shift_results() -> None:
    """Strings with NUL characters and strings over 24 bytes take no trace
    position; inserting or removing them shifts the positions of the rest."""
    long = "a string well over twenty-four bytes"
    bodies = [
        ["a", "b", "c", {"d": "e"}],
        ["a\u0000", "b", "c", {"d": "e"}],
        ["a", "b\u0000", "c", {"d\u0000": "e"}],
        [long, "a", "b", "c", {"d": "e"}],
        ["a", long, "b", "c", {"d": long}],
        ["\u0000", "a", "b", "c", {"d": "e"}],
        ["a", "b", "c", {"d": "e"}],
    ]
    for _ in range(3):
        for body in bodies:
            got = decode(json.dumps(body))
            assert got == body


def test_escaped_strings_share_positions_with_plain_ones() -> None:
    """An escaped string decodes to text looked up like any other; the same
    text written plainly or escaped at one position gives the same value."""
    forms = [
        '["ab", {"k\\u0041": "\\u00e9t\\u00e9"}, "\\"q\\""]',
        '["ab", {"kA": "\u00e9t\u00e9"}, "\\"q\\""]',
        '["a\\u0062", {"kA": "\\u00e9t\\u00e9"}, "\\"q\\""]',
        '["a\\u0000", {"kA": "\\ud83d\\ude00"}, "\\n"]',
        '["ab", {"kA": "\\ud83d\\ude00"}, "\\n"]',
    ]
    for _ in range(3):
        for text in forms:
            decode(text)


def test_results_survive_strings_replaced_in_the_trace() -> None:
    """Thousands of distinct keys, each held by the decoder while its value
    is read, decoded again shifted by one position (so every trace entry is
    replaced, and the sets evict too): results stay exact, also after
    collection."""
    rnd = random.Random(3)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_"
    words = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 24))) for _ in range(3000)]
    kept = []
    for shift in (0, 1, 0, 2, 1):
        ws = words[shift:]
        doc = {w: {ws[(i + 1) % len(ws)]: [w]} for i, w in enumerate(ws)}
        text = json.dumps(doc)
        kept.append((decode(text), text))
    gc.collect()
    for value, text in kept:
        assert value == json.loads(text)


def test_a_repeated_body_takes_every_short_string_from_the_trace() -> None:
    body = json.dumps({"data": {"messages": [message(i) for i in range(12)]}})
    first = decode(body)
    second = decode(body)
    for a, b in zip(first["data"]["messages"], second["data"]["messages"]):
        for (ka, va), (kb, vb) in zip(a.items(), b.items()):
            assert ka is kb
            assert (va is vb) if isinstance(va, str) else (va == vb)


def test_webhooks_of_alternating_triggers_verify_exactly() -> None:
    secret = "whsec_test"

    def body(slug: str, data: t.Dict[str, t.Any]) -> str:
        return json.dumps(
            {
                "id": "msg_1",
                "type": "composio.trigger.message",
                "timestamp": "2026-11-20T10:30:00Z",
                "metadata": {
                    "log_id": "log_1",
                    "trigger_slug": slug,
                    "trigger_id": "ti_1",
                    "connected_account_id": "ca_1",
                    "auth_config_id": "ac_1",
                    "user_id": "user_1",
                },
                "data": data,
            }
        )

    bodies = [
        body("GMAIL_NEW_GMAIL_MESSAGE", {"thread_id": "t1", "messages": [message(i) for i in range(3)]}),
        body("GITHUB_COMMIT_EVENT", {"ref": "main", "commits": [{"sha": "c1"}]}),
        body("GMAIL_NEW_GMAIL_MESSAGE", {"thread_id": "t2", "messages": [message(7, "bob@example.com")]}),
    ]
    for _ in range(3):
        for text in bodies:
            ts = str(int(time.time()))
            sig = _native.sign_webhook("msg_1", ts, text, secret)
            r = _native.verify_webhook_event("msg_1", text, secret, sig, ts)
            assert r["raw_payload"] == json.loads(text)
            assert r["payload"]["payload"] == json.loads(text)["data"]
            assert r["payload"]["trigger_slug"] == json.loads(text)["metadata"]["trigger_slug"]


class _Reenter:
    """Cyclic garbage whose finaliser decodes (run by a collection that an
    allocation inside the outer decode triggers)."""

    log: t.List[t.Tuple[bool, t.Any]] = []
    inside = False
    inner = json.dumps({"inner": ["a", "b", {"c": "d"}], "n": 1})

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        value, _ = _native._decode_json_for_tests(_Reenter.inner)
        _Reenter.log.append((_Reenter.inside, value))


def test_a_decode_reentered_from_a_finaliser_is_exact() -> None:
    outer = json.dumps([{f"k{i}": [f"v{i}", {"x": "y"}]} for i in range(200)])
    decode(outer)
    old = gc.get_threshold()
    gc.collect()
    gc.disable()
    try:
        for _ in range(20):
            _Reenter()
        gc.set_threshold(1, 1, 1)
        gc.enable()
        _Reenter.inside = True
        value, used_fast = _native._decode_json_for_tests(outer)
        _Reenter.inside = False
    finally:
        _Reenter.inside = False
        gc.set_threshold(*old)
        gc.enable()
    gc.collect()
    assert used_fast
    assert value == json.loads(outer)
    assert len(_Reenter.log) == 20
    assert all(v == json.loads(_Reenter.inner) for _, v in _Reenter.log)
    if sys.version_info < (3, 12):
        # Before 3.12 a collection runs inside the allocation that crosses
        # the threshold, so the finalisers ran within the outer decode.
        assert any(inside for inside, _ in _Reenter.log)
    decode(outer)
    decode(_Reenter.inner)
