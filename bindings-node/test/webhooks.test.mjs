// Every webhook vector of tests/fixtures/webhooks.json.
import assert from 'node:assert/strict';
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
const composio = new Composio({ apiKey: 'offline-key', baseURL: 'http://127.0.0.1:9' });

const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const OPAQUE = new Set(['payload', 'original_payload', 'trigger_config', 'trigger_data']);
function camelize(v) {
  if (Array.isArray(v)) return v.map(camelize);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k === 'auth_config_uuid' ? 'authConfigUUID' : camel(k), OPAQUE.has(k) ? x : camelize(x)]),
  );
}

test('the fixture has vectors', () => assert.ok(vectors.length >= 30));

for (const v of vectors) {
  test(`webhook vector ${v.name}`, async () => {
    const params = { id: v.id, payload: v.payload, secret: v.secret, signature: v.signature, timestamp: v.timestamp, tolerance: v.tolerance, now: v.now };
    const outcome = await composio.triggers.verifyWebhook(params).then((r) => ({ r }), (e) => ({ e }));
    if (v.expect.ok) {
      assert.ok(outcome.r, `expected success, got ${outcome.e}`);
      assert.equal(outcome.r.version, v.expect.version);
      assert.deepEqual(outcome.r.payload, camelize(v.expect.normalized));
      assert.deepEqual(outcome.r.rawPayload, JSON.parse(v.payload));
    } else {
      assert.ok(outcome.e, 'expected an error');
      const cls = v.expect.error_code === 'WEBHOOK_PAYLOAD_INVALID' ? ComposioWebhookPayloadError : ComposioWebhookSignatureVerificationError;
      assert.ok(outcome.e instanceof cls, `${outcome.e?.name}: ${outcome.e?.message}`);
      assert.equal(outcome.e.coreCode, v.expect.error_code);
      if (v.expect.error_contains) assert.ok(outcome.e.message.includes(v.expect.error_contains), outcome.e.message);
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
