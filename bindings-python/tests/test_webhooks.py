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
