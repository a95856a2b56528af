"""The native JSON decoder behind webhook verification.

`_native._decode_json_for_tests(text)` runs the hand-written fast decoder
(falling back to serde_json for whatever it does not take) and says which
one produced the result; `exact=True` runs serde_json alone. The fast path
must give exactly serde_json's objects (types included), take every
ordinary document itself, and leave every error to serde_json.
"""

from __future__ import annotations

import json
import math
import random
import typing as t

import pytest

from composio_rs import _native, exceptions


def fast(text: str) -> t.Tuple[t.Any, bool]:
    return _native._decode_json_for_tests(text)


def exact(text: str) -> t.Any:
    value, used_fast = _native._decode_json_for_tests(text, True)
    assert used_fast is False
    return value


def same(a: t.Any, b: t.Any) -> bool:
    """Equal with the same types all the way down (floats by repr, so -0.0
    differs from 0.0) and the same dict key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def check_fast(text: str) -> t.Any:
    """Decodes with the fast path (asserting it took the text) and checks the
    result against serde_json's."""
    value, used_fast = fast(text)
    assert used_fast, f"fast path refused {text!r}"
    assert same(value, exact(text)), (value, exact(text))
    return value


def check_error(text: str) -> str:
    """Both decoders reject `text` with the same typed error; returns its
    message."""
    with pytest.raises(exceptions.WebhookPayloadError) as a:
        fast(text)
    with pytest.raises(exceptions.WebhookPayloadError) as b:
        exact(text)
    assert a.value.message == b.value.message
    assert a.value.code == "WEBHOOK_PAYLOAD_INVALID"
    return str(a.value.message)


INTS = [
    "0",
    "1",
    "-1",
    "42",
    "256",
    "257",
    "-5",
    "-6",
    "9223372036854775807",
    "-9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "18446744073709551615",
]


@pytest.mark.parametrize("text", INTS)
def test_integers_within_64_bits_are_ints(text: str) -> None:
    value = check_fast(text)
    assert type(value) is int
    assert value == int(text)
    assert same(value, json.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        "18446744073709551616",  # u64::MAX + 1
        "-9223372036854775809",  # i64::MIN - 1
        "123456789012345678901234567890",
        "-123456789012345678901234567890",
        "99999999999999999999999999999999999999999999999999999999999999999999",
    ],
)
def test_integers_beyond_64_bits_are_correctly_rounded_floats(text: str) -> None:
    value = check_fast(text)
    assert type(value) is float
    assert value == float(text)


def test_minus_zero_is_a_float_as_serde_json_makes_it() -> None:
    value = check_fast("-0")
    assert type(value) is float and value == 0.0 and math.copysign(1.0, value) == -1.0
    assert same(check_fast("0"), 0)
    assert same(check_fast("-0.0"), -0.0)


FLOATS = [
    "1.5",
    "-1.5",
    "0.1",
    "0.30000000000000004",
    "1e5",
    "1E5",
    "1e+2",
    "1E-2",
    "2.5e-3",
    "-0.000001",
    "1.0",
    "100.0",
    "3.141592653589793238462643383279502884197",
    "1.7976931348623157e308",
    "2.2250738585072014e-308",
    "2.2250738585072011e-308",
    "4.9e-324",
    "5e-324",
    "2.4703282292062328e-324",  # rounds up to the smallest subnormal
    "1e-400",
    "-1e-400",
    "0e999999999999",
    "9007199254740993",  # 2**53 + 1: an int, exactly
    "9007199254740993.0",  # the float rounds to even
    "0.1e1",
    "123456789.123456789e-5",
    "7.038531e-26",
    "1448997445238699",
]


@pytest.mark.parametrize("text", FLOATS)
def test_numbers_match_serde_json_and_cpython(text: str) -> None:
    value = check_fast(text)
    # CPython's float() is correctly rounded too.
    expected = json.loads(text)
    assert same(value, expected) or (type(value) is float and value == float(text))


@pytest.mark.parametrize("text", ["1e400", "-1e400", "1.8e308", "1e99999999999999999999"])
def test_numbers_out_of_range_are_the_typed_error(text: str) -> None:
    assert "out of range" in check_error(text)


def test_random_floats_round_trip() -> None:
    rnd = random.Random(7)
    for _ in range(3000):
        x = rnd.choice(
            [rnd.random(), rnd.uniform(-1e300, 1e300), rnd.expovariate(1e-5), 2.0 ** rnd.randint(-1070, 1020)]
        )
        for text in (repr(x), f"{x:.17e}", f"{x:.25g}", f"{x:.3e}"):
            value = check_fast(text)
            assert value == float(text), text


STRINGS = [
    '""',
    '"a"',
    '"hello world"',
    '"exactly twenty-four byt"',
    '"exactly twenty-four byte"',
    '"a string longer than the twenty-four bytes the cache keeps"',
    '"h\u00e9llo w\u00f6rld \u4e16\u754c \U0001f600"',
    r'"\"\\\/\b\f\n\r\t"',
    r'"\u0000"',
    r'"a\u0000"',
    r'"\u00e9\u00E9"',
    r'"\u4e16\u754c"',
    r'"\ud83d\ude00"',
    r'"x\uD83D\uDE00y"',
    r'"\udbff\udfff"',
    r'"\ud800\udc00"',
    r'"\uffff\ufffe"',
    r'"1234567\n1234567\t12345678\\"',
    '"' + "abcdefgh" * 40 + r"\n" + "ijklmnop" * 40 + '"',
    '"\u007f\u0080 DEL and C1"',
]


@pytest.mark.parametrize("text", STRINGS)
def test_strings_and_escapes(text: str) -> None:
    value = check_fast(text)
    assert value == json.loads(text)


def test_strings_with_escapes_at_every_offset() -> None:
    for n in range(0, 30):
        for esc, ch in ((r"\n", "\n"), (r"\"", '"'), (r"\u00e9", "\u00e9"), (r"\ud83d\ude00", "\U0001f600")):
            text = '"' + "x" * n + esc + "y" * (n % 9) + '"'
            assert check_fast(text) == "x" * n + ch + "y" * (n % 9)


@pytest.mark.parametrize(
    "text",
    [r'"\ud83d"', r'"\ude00"', r'"\ud83d\u0041"', r'"\ud83dx"', r'"a\udfff b"', r'"\ud83d\ud83d"', r'"\ud83d\n"'],
)
def test_lone_surrogates_are_left_to_serde_json(text: str) -> None:
    try:
        expected = exact(text)
    except exceptions.WebhookPayloadError:
        message = check_error(text)
        assert "surrogate" in message or "escape" in message
        return
    value, used_fast = fast(text)
    assert used_fast is False
    assert same(value, expected)


INVALID = [
    "",
    " ",
    "x",
    "[1,]",
    '{"a":1,}',
    "[1 2]",
    '{"a" 1}',
    '{"a":}',
    "{1:2}",
    "{'a':1}",
    '"abc',
    '"a\x01b"',
    '"tab\there"',
    '"new\nline"',
    r'"\x"',
    r'"\u12"',
    r'"\u12g4"',
    '"\\',
    "01",
    "-01",
    "1.",
    ".5",
    "-",
    "+1",
    "1e",
    "1e+",
    "1.e3",
    "tru",
    "nul",
    "falsey",
    "True",
    "NaN",
    "Infinity",
    "-Infinity",
    "[1] x",
    "{} {}",
    "[",
    "]",
    "{",
    '{"a":1',
    "\ufeff{}",
    "[1,2",
    "\x00",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_text_is_the_typed_error(text: str) -> None:
    check_error(text)


def test_whitespace_is_json_whitespace_only() -> None:
    assert same(check_fast(' \t\r\n{ "a" : [ 1 , 2 ] , "b" : { } } \n'), {"a": [1, 2], "b": {}})
    check_error("\u00a0[]")
    check_error("[]\u000b")


def test_literals_and_empty_containers() -> None:
    assert same(check_fast('[true,false,null,[],{},[[]],{"a":{}}]'), [True, False, None, [], {}, [[]], {"a": {}}])


def test_duplicate_keys_keep_the_first_position_and_the_last_value() -> None:
    value = check_fast('{"a":1,"b":2,"a":3,"c":{"x":1,"x":[2]}}')
    assert list(value.items()) == [("a", 3), ("b", 2), ("c", {"x": [2]})]
    assert same(value, json.loads('{"a":1,"b":2,"a":3,"c":{"x":1,"x":[2]}}'))


def test_key_order_is_the_text_order() -> None:
    keys = [f"k{i}" for i in range(50)]
    rnd = random.Random(3)
    rnd.shuffle(keys)
    text = "{" + ",".join(f'"{k}":{i}' for i, k in enumerate(keys)) + "}"
    assert list(check_fast(text)) == keys


def test_nesting_up_to_serde_json_limit() -> None:
    ok = "[" * 127 + "]" * 127
    value = check_fast(ok)
    depth = 0
    while value:
        value = value[0]
        depth += 1
    assert depth == 126
    assert same(check_fast('{"a":' * 127 + "1" + "}" * 127), exact('{"a":' * 127 + "1" + "}" * 127))
    assert "recursion limit" in check_error("[" * 128 + "]" * 128)
    assert "recursion limit" in check_error('{"a":' * 128 + "1" + "}" * 128)
    assert "recursion limit" in check_error('{"a":[' * 64 + "1" + "]}" * 64)
    assert same(check_fast('{"a":[' * 63 + "1" + "]}" * 63), exact('{"a":[' * 63 + "1" + "]}" * 63))


def test_very_deep_input_is_an_error_not_a_crash() -> None:
    assert "recursion limit" in check_error("[" * 200_000)
    assert "recursion limit" in check_error('{"a":' * 200_000)


def test_results_are_fresh_objects() -> None:
    text = '{"a":[1,{"b":"c"}],"d":"e"}'
    first, _ = fast(text)
    first["a"][1]["b"] = "changed"
    first["a"].append(9)
    second = check_fast(text)
    assert second == {"a": [1, {"b": "c"}], "d": "e"}
    assert second is not first and second["a"] is not first["a"]


def _random_value(rnd: random.Random, depth: int) -> t.Any:
    kind = rnd.randrange(10 if depth < 5 else 7)
    if kind == 0:
        return None
    if kind == 1:
        return rnd.choice([True, False])
    if kind == 2:
        return rnd.choice([0, 1, -1, 2**63 - 1, -(2**63), 2**64 - 1, rnd.randint(-(2**70), 2**70)])
    if kind == 3:
        return rnd.choice([0.5, -2.25, rnd.uniform(-1e6, 1e6), rnd.random() * 10.0 ** rnd.randint(-300, 300)])
    if kind in (4, 5, 6):
        alphabet = 'abcXYZ09 _-"\\/\n\t\u00e9\u4e16\U0001f600\x01\x1f\u2028'
        return "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 40)))
    if kind in (7, 8):
        return [_random_value(rnd, depth + 1) for _ in range(rnd.randrange(0, 6))]
    return {
        _random_value(rnd, 9) if rnd.random() < 0.3 else f"k{rnd.randrange(8)}": _random_value(rnd, depth + 1)
        for _ in range(rnd.randrange(0, 6))
    }


def _serde_like(v: t.Any) -> t.Any:
    """CPython's json.loads result as serde_json types it: integers beyond
    64 bits are floats."""
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v if -(2**63) <= v <= 2**64 - 1 else float(v)
    if isinstance(v, list):
        return [_serde_like(x) for x in v]
    if isinstance(v, dict):
        return {k: _serde_like(x) for k, x in v.items()}
    return v


def test_random_documents_match_serde_json_and_cpython() -> None:
    rnd = random.Random(11)
    for i in range(1500):
        doc = _random_value(rnd, 0)
        text = json.dumps(doc, ensure_ascii=bool(i % 2), indent=None if i % 3 else 1)
        value = check_fast(text)
        assert same(value, _serde_like(json.loads(text))), text


def test_webhook_body_uses_the_fast_path() -> None:
    body = json.dumps(
        {
            "id": "msg_1",
            "type": "composio.trigger.message",
            "metadata": {"trigger_slug": "GMAIL_NEW_GMAIL_MESSAGE", "user_id": "u"},
            "data": {"messages": [{"id": f"m{i}", "labels": ["INBOX"]} for i in range(12)]},
        },
        separators=(",", ":"),
    )
    assert same(check_fast(body), json.loads(body))
