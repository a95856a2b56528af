// The webhook body argument's text: ASCII bodies are read by a fast copy of
// their UTF-16 code units, anything else by the general UTF-8 conversion.
// Bodies with non-ASCII text (one-byte and two-byte V8 strings, characters
// whose low byte is ASCII, lone surrogates) verify and decode exactly, and a
// body altered by such characters fails the signature check.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { Composio, ComposioWebhookSignatureVerificationError } from 'composio-rs';

const composio = new Composio({ apiKey: 'offline-key', baseURL: 'http://127.0.0.1:9' });
const secret = 'whsec_text';
const now = 1767225600;
const sign = (payload) => 'v1,' + createHmac('sha256', secret).update(`msg_1.${now}.${payload}`).digest('base64');

const body = (text) =>
  JSON.stringify({
    id: 'm',
    type: 'composio.trigger.message',
    timestamp: 't',
    metadata: { log_id: 'l', trigger_slug: 'GMAIL_X', trigger_id: 'ti', connected_account_id: 'ca', auth_config_id: 'ac', user_id: text },
    data: { text, list: [{ text, n: [1, 2, { k: text }] }] },
  });

const settle = (p) => p.then((r) => ({ r }), (e) => ({ e }));

// `now` whole: the fast path; `now + 0.5`: the general path (the engine reads the params).
async function both(payload, signature = sign(payload)) {
  const base = { id: 'msg_1', payload, secret, signature, timestamp: String(now) };
  return [await settle(composio.triggers.verifyWebhook({ ...base, now })), await settle(composio.triggers.verifyWebhook({ ...base, now: now + 0.5 }))];
}

const texts = {
  ascii: 'plain',
  latin1: 'caf\u00e9 \u00ff',
  euro: 'price 5\u20ac',
  emoji: 'hi \u{1F600}!',
  // Characters whose low byte is ASCII (`A`, `"`, `}`): a copy that kept
  // only low bytes would read other text.
  lowAscii: '\u0141\u0122\u017d\u0100',
  mixed: '\u00e9\u20ac\u{1F600}\u0141 and text',
  controlEscaped: 'tab\there "quote" back\\slash',
  // A raw lone surrogate (JSON.parse keeps it; as UTF-8 it is U+FFFD).
  loneSurrogate: 'x\ud800y',
};

for (const [name, text] of Object.entries(texts)) {
  test(`verifyWebhook: a ${name} body verifies and decodes exactly`, async () => {
    // JSON.stringify writes a lone surrogate as an escape (which the engine
    // rejects, as the general path does): put the raw code unit in the text.
    const payload = body(text).replaceAll('\\ud800', '\ud800');
    const [fast, general] = await both(payload);
    assert.ok(fast.r, `fast path failed: ${fast.e}`);
    assert.ok(general.r, `general path failed: ${general.e}`);
    assert.deepEqual(fast.r.rawPayload, JSON.parse(payload));
    assert.equal(fast.r.rawPayload.data.text, text);
    assert.equal(fast.r.payload.payload.list[0].n[2].k, text);
    // The engine read the same text: the user id it normalised.
    const userId = name === 'loneSurrogate' ? 'x\ufffdy' : text;
    assert.equal(fast.r.payload.userId, userId);
    assert.equal(fast.r.payload.metadata.connectedAccount.userId, userId);
    // (The general path parses the UTF-8 text, where a lone surrogate is
    // already U+FFFD; the fast path's rawPayload keeps it, as JSON.parse does.)
    if (name !== 'loneSurrogate') assert.equal(JSON.stringify(fast.r), JSON.stringify(general.r));
  });
}

test('verifyWebhook: an ASCII body held in a two-byte string verifies', async () => {
  const ascii = body('plain');
  // A slice of a two-byte string (V8 may keep the two-byte representation).
  const payload = ('\u20ac' + ascii).slice(1);
  assert.equal(payload, ascii);
  const [fast, general] = await both(payload);
  assert.ok(fast.r, `${fast.e}`);
  assert.equal(JSON.stringify(fast.r), JSON.stringify(general.r));
});

test('verifyWebhook: characters whose low byte is the signed ASCII fail the signature', async () => {
  const signed = body('A"}');
  const signature = sign(signed);
  assert.ok((await both(signed, signature))[0].r);
  // Same low bytes, different text: U+0141 (low byte `A`), U+0122 (`"`), U+017D (`}`).
  for (const forged of [signed.replace('"text":"A', '"text":"\u0122'), signed.replace('"user_id":"A', '"user_id":"\u0141'), signed.replace(/}$/, '\u017d')]) {
    assert.notEqual(forged, signed);
    const [fast, general] = await both(forged, signature);
    assert.ok(fast.e instanceof ComposioWebhookSignatureVerificationError, `fast: ${fast.e ?? 'accepted'}`);
    assert.ok(general.e instanceof ComposioWebhookSignatureVerificationError, `general: ${general.e ?? 'accepted'}`);
  }
});

test('verifyWebhook: long non-ASCII and ASCII bodies of every length near a word verify', async () => {
  for (let n = 0; n < 20; n++) {
    for (const fill of ['a', '\u00e9', '\u20ac', '\u{1F600}']) {
      const payload = body(fill.repeat(n) + 'z'.repeat(n * 37));
      const [fast] = await both(payload);
      assert.ok(fast.r, `${n} ${fill}: ${fast.e}`);
      assert.deepEqual(fast.r.rawPayload, JSON.parse(payload));
    }
  }
});
