"""The decoder's cache of short strings (`json_py::StrCache`): strings of at
most 24 UTF-8 bytes are shared between decodes, everything else is made
fresh, and sharing never changes a result: colliding strings, strings that
differ only by NUL characters, and strings the cache evicts while a decode
still uses them all decode exactly as `json.loads` does."""

from __future__ import annotations

import gc
import json
import random
import time
import typing as t

from composio_rs import _native


def decode(text: str) -> t.Any:
    value, used_fast = _native._decode_json_for_tests(text)
    assert used_fast, f"fast path refused {text!r}"
    assert value == json.loads(text)
    return value


def test_short_strings_are_shared_between_decodes_and_long_ones_are_not() -> None:
    s24 = "abcdefghijklmnopqrstuvwx"
    s25 = s24 + "y"
    assert len(s24.encode()) == 24
    u24 = "é" * 12  # 24 bytes of UTF-8
    u26 = "é" * 13
    text = json.dumps([s24, s25, u24, u26, "", "k"], ensure_ascii=False)
    a = decode(text)
    b = decode(text)
    assert a[0] is b[0] and a[2] is b[2] and a[4] is b[4] and a[5] is b[5]
    assert a[1] is not b[1] and a[1] == b[1] == s25
    assert a[3] is not b[3] and a[3] == b[3] == u26


def test_keys_and_values_share_one_cache() -> None:
    a = decode('{"shared_name": "shared_name"}')
    b = decode('["shared_name"]')
    (key,) = a
    assert key is a["shared_name"] is b[0]


def test_strings_that_differ_only_by_nul_characters_stay_distinct() -> None:
    # Escaped NULs decode to strings the cache must not take for their
    # zero-padded prefixes (and must not cache at all).
    values = ["a\u0000", "a", "a\u0000\u0000", "", "\u0000", "\u0000a", "ab\u0000c"]
    text = json.dumps(values + [{v: i} for i, v in enumerate(values)])
    for order in (text, json.dumps(list(reversed(values)))):
        for _ in range(3):
            decode(order)
    for _ in range(3):
        got = decode(text)
        assert got[: len(values)] == values
        assert [list(d)[0] for d in got[len(values) :]] == values


def test_strings_at_the_end_of_the_text_are_read_within_it() -> None:
    # The cache reads the string's bytes in words; near the end of the text
    # it must pad them itself.
    for n in range(0, 25):
        s = "z" * n
        assert decode(json.dumps(s)) == s
        assert decode(json.dumps({"k": s}, separators=(",", ":"))) == {"k": s}


def test_colliding_and_evicted_strings_decode_exactly() -> None:
    """Thousands of distinct short strings (far more than the cache holds,
    so they collide and evict each other within one decode, while the
    decoder still holds them as keys) decode exactly, and results stay valid
    after later decodes evicted their strings."""
    rnd = random.Random(5)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789_éü"
    kept = []
    for round_ in range(4):
        words = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24))) for _ in range(3000)]
        doc = {w: [w, {w: w}] for w in words}
        text = json.dumps(doc, ensure_ascii=bool(round_ % 2))
        kept.append((decode(text), json.loads(text)))
    gc.collect()
    for value, expect in kept:
        assert value == expect
        for k, v in value.items():
            assert v[0] == k and v[1] == {k: k}


def test_bench_shaped_body_reuses_every_short_string() -> None:
    """The ~1.5 KB webhook body of the benchmark: on a second decode every
    string of at most 24 bytes (keys and values) comes from the cache."""
    messages = [
        {
            "id": f"m{i}",
            "from": "alice@example.com",
            "subject": f"Quarterly report part {i}",
            "labels": ["INBOX", "IMPORTANT"],
        }
        for i in range(12)
    ]
    body = json.dumps(
        {
            "id": "msg_2Zx",
            "type": "composio.trigger.message",
            "timestamp": "2026-11-20T10:30:00Z",
            "metadata": {
                "log_id": "log_1",
                "trigger_slug": "GMAIL_NEW_GMAIL_MESSAGE",
                "trigger_id": "ti_1",
                "connected_account_id": "ca_1",
                "auth_config_id": "ac_1",
                "user_id": "user_1",
            },
            "data": {"thread_id": "t1", "messages": messages},
        },
        separators=(",", ":"),
    )
    decode(body)
    first = decode(body)
    second = decode(body)

    def strings(v: t.Any) -> t.Iterator[str]:
        if isinstance(v, dict):
            for k, x in v.items():
                yield k
                yield from strings(x)
        elif isinstance(v, list):
            for x in v:
                yield from strings(x)
        elif isinstance(v, str):
            yield v

    pairs = [(a, b) for a, b in zip(strings(first), strings(second)) if len(a.encode()) <= 24]
    assert len(pairs) > 100
    assert all(a is b for a, b in pairs)


def test_event_strings_with_nul_characters_are_not_confused() -> None:
    """The event fields (built through the same cache) keep NULs."""
    secret = "whsec_test"
    for user in ("u\u0000", "u", "u\u0000\u0000", "u"):
        body = json.dumps(
            {
                "id": "msg_1",
                "type": "composio.trigger.message",
                "timestamp": "2026-11-20T10:30:00Z",
                "metadata": {
                    "log_id": "log_1",
                    "trigger_slug": "S",
                    "trigger_id": "ti",
                    "connected_account_id": "ca_1",
                    "auth_config_id": "ac_1",
                    "user_id": user,
                },
                "data": {"x": user},
            }
        )
        ts = str(int(time.time()))
        sig = _native.sign_webhook("msg_1", ts, body, secret)
        r = _native.verify_webhook_event("msg_1", body, secret, sig, ts)
        assert r["payload"]["user_id"] == user
        assert r["payload"]["payload"] == {"x": user}
