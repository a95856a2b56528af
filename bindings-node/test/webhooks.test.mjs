// Every webhook vector of tests/fixtures/webhooks.json.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  Composio,
  ComposioWebhookPayloadError,
  ComposioWebhookSignatureVerificationError,
} from 'composio-rs';
import { FIXTURES } from './helpers.mjs';

const { vectors } = JSON.parse(readFileSync(path.join(FIXTURES, 'webhooks.json'), 'utf8'));
// What the official @composio/core answered for each vector (generate_webhooks_ts.mjs).
const { expected } = JSON.parse(readFileSync(path.join(FIXTURES, 'webhooks_ts_expected.json'), 'utf8'));
const composio = new Composio({ apiKey: 'offline-key', baseURL: 'http://127.0.0.1:9' });

test('the fixture has vectors', () => assert.ok(vectors.length >= 30));

for (const v of vectors) {
  test(`webhook vector ${v.name}`, async () => {
    const params = { id: v.id, payload: v.payload, secret: v.secret, signature: v.signature, timestamp: v.timestamp, tolerance: v.tolerance, now: v.now };
    const outcome = await composio.triggers.verifyWebhook(params).then((r) => ({ r }), (e) => ({ e }));
    const want = expected[v.name];
    if (want.ok) {
      assert.ok(outcome.r, `the official SDK accepted; we failed with ${outcome.e}`);
      assert.equal(outcome.r.version, want.version);
      // Same object and the same key order as @composio/core.
      assert.equal(JSON.stringify(outcome.r.payload), JSON.stringify(want.payload));
      assert.deepEqual(outcome.r.rawPayload, JSON.parse(v.payload));
    } else {
      assert.ok(outcome.e, 'the official SDK rejected this vector');
      const cls = want.error_code === 'WEBHOOK_PAYLOAD_INVALID' ? ComposioWebhookPayloadError : ComposioWebhookSignatureVerificationError;
      assert.ok(outcome.e instanceof cls, `${outcome.e?.name}: ${outcome.e?.message}`);
      assert.equal(outcome.e.coreCode, want.error_code);
    }
  });
}

test('verifyWebhook uses the real clock by default (an old timestamp is rejected)', async () => {
  const v = vectors.find((x) => x.expect.ok && x.tolerance > 0);
  await assert.rejects(
    composio.triggers.verifyWebhook({ id: v.id, payload: v.payload, secret: v.secret, signature: v.signature, timestamp: v.timestamp }),
    ComposioWebhookSignatureVerificationError,
  );
});

// The fast path (engine plan + JSON.parse in lib/webhooks.ts) and the general
// path (any params object, read by the engine) agree on every vector: a
// fractional `now` (truncated by both) sends the call down the general path.
test('verifyWebhook: plan path and general path give the same results', async () => {
  for (const v of vectors) {
    const base = { id: v.id, payload: v.payload, secret: v.secret, signature: v.signature, timestamp: v.timestamp, tolerance: v.tolerance };
    const settle = (p) => p.then((r) => JSON.stringify(r), (e) => `${e.name}: ${e.coreCode}: ${e.message}`);
    const fast = await settle(composio.triggers.verifyWebhook({ ...base, now: v.now }));
    const general = await settle(composio.triggers.verifyWebhook({ ...base, now: v.now + 0.5 }));
    assert.equal(fast, general, v.name);
  }
});

test('verifyWebhook: the payload is shared with rawPayload, as in @composio/core', async () => {
  const v = vectors.find((x) => x.name === 'v3_trigger_message');
  const r = await composio.triggers.verifyWebhook({ id: v.id, payload: v.payload, secret: v.secret, signature: v.signature, timestamp: v.timestamp, tolerance: v.tolerance, now: v.now });
  assert.equal(r.payload.payload, r.rawPayload.data);
  assert.equal(r.payload.originalPayload, r.rawPayload.data);
});

test('verifyWebhook: malformed params are reported by the engine', async () => {
  const v = vectors[0];
  const base = { id: v.id, payload: v.payload, secret: v.secret, signature: v.signature, timestamp: v.timestamp, now: v.now };
  await assert.rejects(composio.triggers.verifyWebhook({ ...base, tolerance: 'x' }), /tolerance must be a number/);
  await assert.rejects(composio.triggers.verifyWebhook({ ...base, extra: 1 }), /extra/);
  await assert.rejects(composio.triggers.verifyWebhook(null), /params object/);
});

// The fast path only skims the body in the engine and lets JSON.parse
// validate it: bodies that are odd for the skim, or that JSON.parse and the
// engine's parser judge differently, give exactly the general path's
// results (a fractional `now` sends a call down the general path).
test('verifyWebhook: odd and invalid bodies give the general path results', async () => {
  const secret = 'whsec_test';
  const now = 1767225600;
  const meta = '"metadata":{"log_id":"l","trigger_slug":"GMAIL_X","trigger_id":"ti","connected_account_id":"ca","auth_config_id":"ac","user_id":"u"}';
  const bodies = [
    // Escapes in keys and values, a duplicate key (the last value wins).
    `{"id":"m","\\u0074ype":"composio.trigger.message","timestamp":"t",${meta},"data":{"a":"x\\"y\\u00e9\\ud83d\\ude00"},"data":{"b":[1,{"c":null}]}}`,
    `{"id":"m","type":"composio.trigger.message","timestamp":"t","metadata":{"log_id":"l","trigger_slug":"GMAIL\\u0000X","trigger_id":"ti","connected_account_id":"ca","auth_config_id":"ac","user_id":"u"},"data":{}}`,
    // JSON.parse accepts these; the engine does not (a lone surrogate, a
    // number out of range, nesting deeper than 128).
    `{"id":"m","type":"composio.trigger.message","timestamp":"t",${meta},"data":{"a":"\\ud800"}}`,
    `{"id":"m","type":"composio.trigger.message","timestamp":"t",${meta},"data":{"a":[1e400]}}`,
    `{"id":"m","type":"composio.trigger.message","timestamp":"t",${meta},"data":${'['.repeat(200)}${']'.repeat(200)}}`,
    // Not JSON at all, but skimmed without complaint.
    `{"id":"m","type":"composio.trigger.message","timestamp":"t",${meta},"data":{"a":[1,}]}}`,
    `{"id":"m","type":"composio.trigger.message","timestamp":"t",${meta},"data":{"a":01}}`,
    `{"id":"m","type":"composio.trigger.message","timestamp":"t",${meta},"data":{"a":"raw \u0001 control"}}`,
    '{"trigger_name":"slack_x","connection_id":"c","trigger_id":"t","log_id":"l","payload":{"a":[1,2]}} x',
    'not json',
    '[1,2]',
    '"text"',
  ];
  let ok = 0;
  for (const payload of bodies) {
    const signature = 'v1,' + createHmac('sha256', secret).update(`msg_1.${now}.${payload}`).digest('base64');
    const base = { id: 'msg_1', payload, secret, signature, timestamp: String(now) };
    const settle = (p) => p.then((r) => JSON.stringify(r), (e) => `${e.name}: ${e.coreCode}: ${e.message}`);
    const fast = await settle(composio.triggers.verifyWebhook({ ...base, now }));
    const general = await settle(composio.triggers.verifyWebhook({ ...base, now: now + 0.5 }));
    assert.equal(fast, general, payload);
    if (!fast.includes('Error:')) ok += 1;
  }
  // The first two verify (one of them through the JSON-text plan).
  assert.equal(ok, 2);
  const r = await composio.triggers.verifyWebhook({
    id: 'msg_1', payload: bodies[0], secret, now, timestamp: String(now),
    signature: 'v1,' + createHmac('sha256', secret).update(`msg_1.${now}.${bodies[0]}`).digest('base64'),
  });
  assert.deepEqual(r.payload.payload, { b: [1, { c: null }] });
  assert.equal(r.payload.payload, r.rawPayload.data);
  assert.equal(r.payload.triggerSlug, 'GMAIL_X');
});
