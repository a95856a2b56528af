"""`_native.verify_webhook_event`: verification that returns the finished
`VerifiedWebhook` (built natively), against the tuple form and the fixture
vectors, and the public methods that use it."""

from __future__ import annotations

import inspect
import json
import time
import typing as t

import pytest

from composio_rs import _native, exceptions
from composio_rs.webhooks import VerifiedWebhook, WebhookEvent, WebhookVersion
from conftest import dumps, load_json, offline_client

VECTORS = load_json("webhooks.json")["vectors"]
V3 = next(v for v in VECTORS if v["name"] == "v3_trigger_message")


def _signed(payload: str, secret: str = "whsec_test") -> t.Dict[str, str]:
    ts = str(int(time.time()))
    sig = _native.sign_webhook("msg_1", ts, payload, secret)
    return {"id": "msg_1", "timestamp": ts, "signature": sig, "payload": payload, "secret": secret}


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vectors_give_what_the_tuple_form_gives(v: dict) -> None:
    args = (v["id"], v["payload"], v["secret"], v["signature"], v["timestamp"], v["tolerance"])
    expect = v["expect"]
    if expect["ok"]:
        r = _native.verify_webhook_event(*args, now=v["now"])
        version, payload, raw = _native.verify_webhook(*args, now=v["now"])
        assert type(r) is VerifiedWebhook
        assert list(r) == ["version", "payload", "raw_payload"]
        assert r["version"] is WebhookVersion(expect["version"])
        assert type(r["payload"]) is WebhookEvent
        assert dumps(r["payload"]) == dumps(payload) == dumps(expect["normalized"])
        assert dumps(r["raw_payload"]) == dumps(raw)
        assert r["raw_payload"] == json.loads(v["payload"])
    else:
        with pytest.raises(exceptions.ComposioError) as a:
            _native.verify_webhook_event(*args, now=v["now"])
        with pytest.raises(exceptions.ComposioError) as b:
            _native.verify_webhook(*args, now=v["now"])
        assert type(a.value) is type(b.value)
        assert a.value.code == expect["error_code"]
        assert a.value.message == b.value.message
        assert expect["error_contains"] in a.value.message


def test_every_call_returns_new_independent_objects() -> None:
    c = offline_client()
    s = _signed(V3["payload"])
    kwargs = {k: s[k] for k in ("id", "payload", "secret", "signature", "timestamp")}
    first = c.triggers.verify_webhook(**kwargs)
    clean = json.loads(dumps(first))
    first.payload.payload["injected"] = 1
    first.payload.metadata.connected_account["id"] = "changed"
    first.raw_payload.clear()
    first["version"] = "nope"
    second = c.triggers.verify_webhook(**kwargs)
    assert second is not first and second.payload is not first.payload
    assert json.loads(dumps(second)) == clean
    assert second.version is WebhookVersion.V3


def test_payload_is_shared_with_the_raw_body_like_the_official_sdk() -> None:
    s = _signed(V3["payload"])
    r = _native.verify_webhook_event(s["id"], s["payload"], s["secret"], s["signature"], s["timestamp"])
    assert r["payload"]["payload"] is r["raw_payload"]["data"]


def test_bodies_the_fast_decoder_leaves_to_serde_json_verify_the_same() -> None:
    """A body with a lone surrogate escape or a huge exponent is decoded by
    serde_json: the result (or error) is the same as the tuple form's."""
    body = json.loads(V3["payload"])
    for extra in (r'"\ud83d"', "1e400", "-0", "18446744073709551616", '"\\u00e9"'):
        text = json.dumps(body)[:-1] + ', "extra": ' + extra + "}"
        s = _signed(text)
        args = (s["id"], s["payload"], s["secret"], s["signature"], s["timestamp"])
        try:
            version, payload, raw = _native.verify_webhook(*args)
        except exceptions.ComposioError as e:
            with pytest.raises(type(e)) as info:
                _native.verify_webhook_event(*args)
            assert info.value.message == e.message
            continue
        r = _native.verify_webhook_event(*args)
        assert dumps(r["payload"]) == dumps(payload)
        assert dumps(r["raw_payload"]) == dumps(raw)


def test_invalid_json_body_is_the_typed_payload_error() -> None:
    for text in ("{", '{"a":1} x', "[1,]", '{"id": "\x01"}'):
        s = _signed(text)
        with pytest.raises(exceptions.WebhookPayloadError) as info:
            _native.verify_webhook_event(s["id"], s["payload"], s["secret"], s["signature"], s["timestamp"])
        assert info.value.code == "WEBHOOK_PAYLOAD_INVALID"


def test_top_level_field_types_follow_the_normaliser() -> None:
    """Non-string metadata values are printed as the engine prints them."""
    body = json.loads(V3["payload"])
    body["metadata"]["trigger_id"] = 12
    body["metadata"]["user_id"] = True
    body["metadata"]["connected_account_id"] = [1, {"a": 2.5}]
    body["metadata"]["auth_config_id"] = None
    text = json.dumps(body)
    s = _signed(text)
    args = (s["id"], s["payload"], s["secret"], s["signature"], s["timestamp"])
    _, payload, _ = _native.verify_webhook(*args)
    r = _native.verify_webhook_event(*args)
    assert dumps(r["payload"]) == dumps(payload)
    assert r["payload"]["id"] == "12" and r["payload"]["user_id"] == "True"


def test_arguments_must_be_strings() -> None:
    s = _signed(V3["payload"])
    with pytest.raises(TypeError):
        _native.verify_webhook_event(s["id"], s["payload"].encode(), s["secret"], s["signature"], s["timestamp"])  # type: ignore[arg-type]
    with pytest.raises(UnicodeEncodeError):
        _native.verify_webhook_event(s["id"], s["payload"] + "\ud800", s["secret"], s["signature"], s["timestamp"])


def test_public_methods_keep_their_keyword_only_signatures() -> None:
    c = offline_client()
    for fn in (c.triggers.verify_webhook, __import__("composio_rs.webhooks").webhooks.verify_webhook):
        params = inspect.signature(fn).parameters
        assert [p for p in params if p != "self"] == ["id", "payload", "secret", "signature", "timestamp", "tolerance"]
        assert all(params[p].kind is inspect.Parameter.KEYWORD_ONLY for p in params if p != "self")
        assert params["tolerance"].default == 300
    s = _signed(V3["payload"])
    with pytest.raises(TypeError):
        c.triggers.verify_webhook(s["id"], s["payload"], s["secret"], s["signature"], s["timestamp"])  # type: ignore[misc]


def test_tolerance_is_applied() -> None:
    c = offline_client()
    payload = V3["payload"]
    old = str(int(time.time()) - 1000)
    sig = _native.sign_webhook("msg_1", old, payload, "whsec_test")
    kwargs = {"id": "msg_1", "payload": payload, "secret": "whsec_test", "signature": sig, "timestamp": old}
    with pytest.raises(exceptions.WebhookSignatureVerificationError):
        c.triggers.verify_webhook(**kwargs)
    assert c.triggers.verify_webhook(**kwargs, tolerance=0).version is WebhookVersion.V3
    assert c.triggers.verify_webhook(**kwargs, tolerance=2000).version is WebhookVersion.V3


def test_parse_still_works() -> None:
    c = offline_client()
    s = _signed(V3["payload"])
    headers = {"webhook-id": s["id"], "webhook-timestamp": s["timestamp"], "webhook-signature": s["signature"]}
    p = c.triggers.parse(body=s["payload"], headers=headers, verify_secret=s["secret"])
    r = c.triggers.verify_webhook(
        id=s["id"], payload=s["payload"], secret=s["secret"], signature=s["signature"], timestamp=s["timestamp"]
    )
    assert type(p) is VerifiedWebhook and type(p.payload) is WebhookEvent
    assert dumps(p) == dumps(r)


def test_triggers_verify_webhook_is_the_native_keyword_only_function() -> None:
    """`Triggers.verify_webhook` is `_native.verify_webhook_kw` itself (no
    Python frame); it parses its keywords itself, with Python's errors."""
    from composio_rs import AsyncComposio

    c = offline_client()
    assert c.triggers.verify_webhook is _native.verify_webhook_kw
    assert (
        AsyncComposio(api_key="k", base_url="http://127.0.0.1:9").triggers.verify_webhook is _native.verify_webhook_kw
    )
    assert "Verifies a webhook delivery" in (c.triggers.verify_webhook.__doc__ or "")
    s = _signed(V3["payload"])
    kwargs = {k: s[k] for k in ("id", "payload", "secret", "signature", "timestamp")}
    expect = dumps(_native.verify_webhook_event(s["id"], s["payload"], s["secret"], s["signature"], s["timestamp"]))
    assert dumps(c.triggers.verify_webhook(**kwargs)) == expect
    assert dumps(c.triggers.verify_webhook(**kwargs, tolerance=10)) == expect
    # Keyword names made at run time (not interned) are matched by content.
    built = {"".join(list(k)): v for k, v in kwargs.items()}
    assert dumps(c.triggers.verify_webhook(**built)) == expect

    def raises(message: str, *args: t.Any, **kw: t.Any) -> None:
        with pytest.raises(TypeError) as info:
            c.triggers.verify_webhook(*args, **kw)
        assert message in str(info.value)

    raises("takes 0 positional arguments but 1 were given", s["id"], **{k: v for k, v in kwargs.items() if k != "id"})
    raises("unexpected keyword argument 'now'", **kwargs, now=1)
    raises(
        "missing 1 required keyword-only argument: 'signature'", **{k: v for k, v in kwargs.items() if k != "signature"}
    )
    raises("missing 5 required keyword-only arguments: 'id', 'payload', 'secret', 'signature', 'timestamp'")
    raises("argument 'payload'", **{**kwargs, "payload": kwargs["payload"].encode()})
    raises("argument 'tolerance'", **kwargs, tolerance="300")
    with pytest.raises(exceptions.WebhookSignatureVerificationError):
        c.triggers.verify_webhook(**{**kwargs, "secret": "whsec_other"})
    with pytest.raises(UnicodeEncodeError):
        c.triggers.verify_webhook(**{**kwargs, "payload": kwargs["payload"] + "\ud800"})


def test_event_dicts_are_fresh_and_in_the_official_key_order() -> None:
    """The event, its metadata and its connected account are filled from
    shared key templates: every call gets its own dicts, in key order, and
    changes to one result never reach the next."""
    c = offline_client()
    s = _signed(V3["payload"])
    kwargs = {k: s[k] for k in ("id", "payload", "secret", "signature", "timestamp")}
    first = c.triggers.verify_webhook(**kwargs)
    event = first.payload
    meta = event["metadata"]
    account = meta["connected_account"]
    order = (list(event), list(meta), list(account))
    assert order == (
        ["id", "uuid", "user_id", "toolkit_slug", "trigger_slug", "payload", "original_payload", "metadata"],
        ["id", "uuid", "toolkit_slug", "trigger_slug", "trigger_data", "trigger_config", "connected_account"],
        ["id", "uuid", "auth_config_id", "auth_config_uuid", "user_id", "status"],
    )
    event["extra"] = 1
    del meta["trigger_data"]
    account["status"] = "X"
    meta["trigger_config"]["k"] = "v"
    second = c.triggers.verify_webhook(**kwargs)
    e2 = second.payload
    assert (list(e2), list(e2["metadata"]), list(e2["metadata"]["connected_account"])) == order
    assert e2["metadata"]["connected_account"]["status"] == "ACTIVE"
    assert e2["metadata"]["trigger_config"] == {} and e2["metadata"]["trigger_data"] is None
    assert e2["metadata"] is not meta and e2["metadata"]["connected_account"] is not account
