// The webhook fast path builds the body from the engine's build tape
// (lib/tape.ts) instead of calling `JSON.parse`: the tree must be exactly
// `JSON.parse`'s: same values (`-0` too), same key order, own data
// properties (`__proto__` included), plain prototypes. Checked on random
// bodies and on the edge cases, with code generation refused, past the
// shape table's bound, in worker threads and for bodies too large for the
// kept buffer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Composio } from 'composio-rs';

const require = createRequire(import.meta.url);
const packageDir = path.dirname(require.resolve('composio-rs/package.json'));
// The package's own module instance (the one `Composio` uses), for its buffer.
const tape = require(path.join(packageDir, 'dist', 'tape.js'));

const composio = new Composio({ apiKey: 'offline-key', baseURL: 'http://127.0.0.1:9' });
const secret = 'whsec_tape';
const now = 1767225600;
const sign = (payload) => 'v1,' + createHmac('sha256', secret).update(`msg_1.${now}.${payload}`).digest('base64');

/** A V3 body whose `data.v` is the given JSON text. */
const envelope = (data) =>
  `{"id":"m","type":"composio.trigger.message","timestamp":"t","metadata":{"log_id":"l","trigger_slug":"GMAIL_X","trigger_id":"ti","connected_account_id":"ca","auth_config_id":"ac","user_id":"u"},"data":{"v":${data}}}`;

async function verify(payload) {
  return composio.triggers.verifyWebhook({ id: 'msg_1', payload, secret, signature: sign(payload), timestamp: String(now), now });
}


/** `a` and `b` are the same JSON tree: values (`Object.is`), key order, own data properties, prototypes. */
function same(a, b, where = '$') {
  if (typeof b !== 'object' || b === null) {
    assert.ok(Object.is(a, b), `${where}: ${String(a)} !== ${String(b)}`);
    return;
  }
  assert.equal(typeof a, 'object', where);
  assert.notEqual(a, null, where);
  assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b), `${where}: prototype`);
  assert.deepEqual(Reflect.ownKeys(a), Reflect.ownKeys(b), `${where}: keys`);
  for (const k of Reflect.ownKeys(b)) {
    const da = Object.getOwnPropertyDescriptor(a, k);
    const db = Object.getOwnPropertyDescriptor(b, k);
    assert.ok(da && 'value' in da, `${where}.${String(k)}: not a data property`);
    assert.equal(da.writable, db.writable);
    assert.equal(da.enumerable, db.enumerable);
    assert.equal(da.configurable, db.configurable);
    same(da.value, db.value, `${where}.${String(k)}`);
  }
}

async function check(payload) {
  const builds = tape.tapeBuilds();
  const r = await verify(payload);
  assert.equal(tape.tapeBuilds(), builds + 1, `the tape was not used for ${payload.slice(0, 200)}`);
  same(r.rawPayload, JSON.parse(payload));
  return r;
}

// A deterministic generator of JSON values.
let seed = 0x2545f491;
const rand = (n) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
const STRINGS = ['', 'a', 'id', 'from', 'caf\u00e9', '\u20ac5', 'hi \u{1F600}', '\u65e5\u672c\u8a9e', 'q"uote', 'b\\s', 'tab\t', 'nl\n', 'c\u0001', '\u2028', 'x\ud800y', '\udfffz', '__proto__', 'constructor', 'toString', '0', '10', '4294967295', '-1', 'a'.repeat(40)];
const NUMBERS = [0, -0, 1, -1, 1.5, -0.25, 2147483647, 2147483648, -2147483648, -2147483649, 2 ** 53 + 2, 1e21, 1.7976931348623157e308, 5e-324, 1e-7, 123456.789];

function randomValue(depth) {
  switch (rand(depth > 3 ? 5 : 7)) {
    case 0:
      return [null, true, false][rand(3)];
    case 1:
    case 2:
      return NUMBERS[rand(NUMBERS.length)];
    case 3:
    case 4:
      return STRINGS[rand(STRINGS.length)];
    case 5:
      return Array.from({ length: rand(5) }, () => randomValue(depth + 1));
    default: {
      const o = {};
      for (let i = rand(6); i > 0; i--) Object.defineProperty(o, STRINGS[rand(STRINGS.length)], { value: randomValue(depth + 1), enumerable: true, writable: true, configurable: true });
      return o;
    }
  }
}

// `JSON.stringify` escapes lone surrogates; webhook senders may not: put the raw code units back.
const rawSurrogates = (text) => text.replace(/\\u(d[89a-f][0-9a-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));

test('tape: random bodies build exactly what JSON.parse gives', async () => {
  for (let i = 0; i < 1500; i++) {
    const v = randomValue(0);
    for (const space of [undefined, 2, '\t']) await check(envelope(rawSurrogates(JSON.stringify(v, null, space))));
  }
});

test('tape: edge cases build exactly what JSON.parse gives', async () => {
  const wide = `{${Array.from({ length: 100 }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  const bodies = [
    '{"__proto__":{"polluted":true},"x":1}',
    '{"a":1,"b":2,"a":3}',
    '{"__proto__":1,"__proto__":2}',
    '[-0,-0.0,0,-0e0,0.0,1E2,1e+2,1e-2,-1.5E-3]',
    '[9007199254740993,12345678901234567890123,1e308,2.2250738585072014e-308]',
    '{"10":"ten","b":"b","2":"two","1":"one","-1":"m","01":"z"}',
    '{"k\\"ey":1,"\\u0061":2,"a":3,"\\ud83d\\ude00":4}',
    '{"\u00e9":"\u00fc\u20ac\u{1F600}","\ud800":"\udc00","x\ud83d":["\ude00"]}',
    '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\\u2028\\u00e9"',
    '{ "a" : [ ] ,\n\t"b" : { } ,\r\n "c" : [ { } , [ [ ] ] ] }',
    `${'['.repeat(90)}${']'.repeat(90)}`,
    wide,
    `{"a":${wide},"b":[${wide},${wide}]}`,
    '{}',
    '[]',
    '""',
    'null',
    '123',
  ];
  for (const data of bodies) {
    await check(envelope(data));
    await check(envelope(data));
  }
});

test('tape: built objects get own data properties even where Object.prototype has setters', async () => {
  const hits = [];
  for (const k of ['trap', 'k70']) Object.defineProperty(Object.prototype, k, { set() { hits.push(k); }, configurable: true });
  try {
    const wide = `{${Array.from({ length: 80 }, (_, i) => `"k${i}":${i}`).join(',')}}`;
    const r = await check(envelope(`{"trap":1,"inner":[{"trap":2}],"wide":${wide}}`));
    assert.deepEqual(hits, []);
    assert.equal(Object.getOwnPropertyDescriptor(r.rawPayload.data.v, 'trap').value, 1);
    assert.equal(Object.getOwnPropertyDescriptor(r.rawPayload.data.v.wide, 'k70').value, 70);
  } finally {
    delete Object.prototype.trap;
    delete Object.prototype.k70;
  }
});

test('tape: more shapes than the table keeps, then the usual ones again', async () => {
  const many = `[${Array.from({ length: 4200 }, (_, i) => `{"s${i}":${i}}`).join(',')}]`;
  const usual = envelope('{"thread":"t","messages":[{"id":"m1","from":"a"},{"id":"m2","from":"b"}]}');
  await check(usual);
  await check(envelope(many));
  // The engine starts its table again: this side must drop its builders too.
  await check(usual);
  await check(envelope('{"s1":"not a number","s2":[1]}'));
  await check(envelope(many));
});

test('tape: a body too large for the kept buffer, then small ones', async () => {
  const big = envelope(JSON.stringify({ items: Array.from({ length: 20000 }, (_, i) => ({ i, text: `item ${i} \u00e9`, ok: i % 2 === 0 })) }));
  assert.ok(2 * big.length + 64 > 1 << 20);
  await check(big);
  await check(envelope('{"small":true}'));
  await check(big);
});

test('tape: with code generation refused, the entry builders give the same trees', () => {
  const script = `
    const { createHmac } = require('node:crypto');
    const { Composio } = require(${JSON.stringify(packageDir)});
    const c = new Composio({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
    const payload = ${JSON.stringify(envelope('{"__proto__":{"p":1},"a":[{"x":1,"y":"\u00e9"},{"x":2,"y":"z"}],"n":-0}'))};
    const sig = 'v1,' + createHmac('sha256', 's').update('i.1767225600.' + payload).digest('base64');
    c.triggers.verifyWebhook({ id: 'i', payload, secret: 's', signature: sig, timestamp: '1767225600', now: 1767225600 }).then((r) => {
      const raw = r.rawPayload;
      const ok = JSON.stringify(raw) === JSON.stringify(JSON.parse(payload)) && Object.is(raw.data.v.n, -0)
        && Object.getPrototypeOf(raw.data.v) === Object.prototype && Object.hasOwn(raw.data.v, '__proto__');
      let refused = false;
      try { new Function('return 1'); } catch { refused = true; }
      console.log(ok && refused ? 'ok' : 'mismatch');
    });
  `;
  const out = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout.trim(), 'ok');
});

test('tape: each worker thread keeps its own shapes', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { createHmac } = require('node:crypto');
    const { Composio } = require(workerData.dir);
    const c = new Composio({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
    (async () => {
      let ok = true;
      for (let i = 0; i < 200; i++) {
        const data = JSON.stringify({ ['w' + workerData.n + '_' + (i % 7)]: i, list: [{ ['k' + (i % 3)]: workerData.n }] });
        const payload = workerData.envelope.replace('DATA', data);
        const sig = 'v1,' + createHmac('sha256', 's').update('i.1767225600.' + payload).digest('base64');
        const r = await c.triggers.verifyWebhook({ id: 'i', payload, secret: 's', signature: sig, timestamp: '1767225600', now: 1767225600 });
        ok &&= JSON.stringify(r.rawPayload) === JSON.stringify(JSON.parse(payload));
      }
      parentPort.postMessage(ok);
    })();
  `;
  const results = await Promise.all(
    [1, 2, 3].map(
      (n) =>
        new Promise((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: { dir: packageDir, n, envelope: envelope('DATA') } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    ),
  );
  assert.deepEqual(results, [true, true, true]);
  // This thread's own shapes are intact.
  await check(envelope('{"w1_0":0,"list":[{"k0":1}]}'));
});
