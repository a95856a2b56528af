"""Every vector of tests/fixtures/webhooks.json, plus the public entry points."""

from __future__ import annotations

import json
import time

import pytest

from composio_rs import _native, exceptions
from conftest import dumps, load_json, offline_client

VECTORS = load_json("webhooks.json")["vectors"]

ERROR_CLASSES = {
    "WEBHOOK_SIGNATURE_VERIFICATION_FAILED": exceptions.WebhookSignatureVerificationError,
    "WEBHOOK_PAYLOAD_INVALID": exceptions.WebhookPayloadError,
}


def test_there_are_vectors() -> None:
    assert len(VECTORS) >= 20


@pytest.mark.parametrize("v", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector(v: dict) -> None:
    args = (v["id"], v["payload"], v["secret"], v["signature"], v["timestamp"], v["tolerance"])
    expect = v["expect"]
    if expect["ok"]:
        version, payload, raw = _native.verify_webhook(*args, now=v["now"])
        assert version == expect["version"]
        assert dumps(payload) == dumps(expect["normalized"])
        assert raw == json.loads(v["payload"])
    else:
        with pytest.raises(exceptions.ComposioError) as info:
            _native.verify_webhook(*args, now=v["now"])
        err = info.value
        assert err.code == expect["error_code"]
        assert type(err) is ERROR_CLASSES[expect["error_code"]]
        assert isinstance(err, exceptions.TriggerError)
        assert expect["error_contains"] in err.message


def _signed(payload: str, secret: str = "whsec_test") -> dict:
    ts = str(int(time.time()))
    sig = _native.sign_webhook("msg_1", ts, payload, secret)
    return {"id": "msg_1", "timestamp": ts, "signature": sig, "payload": payload, "secret": secret}


V3 = next(v for v in VECTORS if v["name"] == "v3_trigger_message")


def test_public_verify_webhook_and_parse() -> None:
    from composio_rs import WebhookEventType, WebhookVersion, is_connection_expired_event

    c = offline_client()
    s = _signed(V3["payload"])
    r = c.triggers.verify_webhook(
        id=s["id"], payload=s["payload"], secret=s["secret"], signature=s["signature"], timestamp=s["timestamp"]
    )
    assert r.version == WebhookVersion.V3 == "V3"
    assert r["version"] == "V3"
    assert r.payload.trigger_slug == "GITHUB_COMMIT_EVENT"
    assert r.payload.metadata.connected_account.id == r.payload["metadata"]["connected_account"]["id"]
    assert r.raw_payload["type"] == WebhookEventType.TRIGGER_MESSAGE.value
    assert not is_connection_expired_event(r.raw_payload)

    headers = {"Webhook-Id": s["id"], "webhook-timestamp": s["timestamp"], "webhook-signature": s["signature"]}
    p = c.triggers.parse(body=s["payload"].encode(), headers=headers, verify_secret=s["secret"])
    assert p.payload == r.payload
    unverified = c.triggers.parse(body=s["payload"])
    assert unverified.payload == r.payload
    with pytest.raises(exceptions.WebhookSignatureVerificationError):
        c.triggers.parse(body=s["payload"], headers=headers, verify_secret="other")
    with pytest.raises(exceptions.WebhookSignatureVerificationError):
        c.triggers.verify_webhook(
            id=s["id"],
            payload=s["payload"] + " ",
            secret=s["secret"],
            signature=s["signature"],
            timestamp=s["timestamp"],
        )


def test_module_level_verify() -> None:
    from composio_rs.webhooks import verify_webhook

    s = _signed(V3["payload"])
    r = verify_webhook(
        id=s["id"], payload=s["payload"], secret=s["secret"], signature=s["signature"], timestamp=s["timestamp"]
    )
    assert r.payload.user_id == "user-42"


def test_payload_shares_the_raw_objects_like_the_official_sdk() -> None:
    """One decode of the body: the event's data is the raw body's ``data``
    object (the official SDK shares it the same way); V2 builds a new dict."""
    s = _signed(V3["payload"])
    version, event, raw = _native.verify_webhook(s["id"], s["payload"], s["secret"], s["signature"], s["timestamp"])
    assert version == "V3"
    assert event["payload"] is raw["data"]
    v2 = next(v for v in VECTORS if v["name"] == "v2_trigger")
    s2 = _signed(v2["payload"])
    _, event2, raw2 = _native.verify_webhook(s2["id"], s2["payload"], s2["secret"], s2["signature"], s2["timestamp"])
    assert event2["payload"] is not raw2["data"]
    assert "connection_id" in raw2["data"] and "connection_id" not in event2["payload"]


def test_repeated_keys_decode_to_equal_dicts() -> None:
    body = json.dumps(
        {
            "trigger_name": "x_y",
            "connection_id": "c",
            "trigger_id": "t",
            "payload": {"items": [{"id": i, "n\u00e9": "v", "id2": None} for i in range(40)], "k" * 40: 1},
        }
    )
    s = _signed(body)
    _, event, raw = _native.verify_webhook(s["id"], s["payload"], s["secret"], s["signature"], s["timestamp"])
    assert raw == json.loads(body)
    assert dumps(raw) == dumps(json.loads(body))
    assert event["payload"] is raw["payload"]
