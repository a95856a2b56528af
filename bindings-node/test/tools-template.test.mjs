// Kept tool lists are copied from a template the engine keeps per
// JavaScript thread: every warm tools.get gets new objects and arrays with the
// same keys in the same order. These tests cover what a copy must get right
// beyond tools-warm.test.mjs: keys that are special in JavaScript, many
// lists (templates dropped with their list), and worker threads (each with
// its own templates, dropped when the worker ends).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Composio } from 'composio-rs';
import { startHttp } from './helpers.mjs';

const VERSION = '20250401_00';

const tool = (slug, params) => ({
  slug,
  name: slug.toLowerCase(),
  description: `Tool ${slug}`,
  toolkit: { slug: slug.split('_')[0].toLowerCase(), name: 'T', logo: '' },
  version: VERSION,
  available_versions: [VERSION],
  input_parameters: params,
  output_parameters: { type: 'object', properties: {} },
  tags: [],
  no_auth: true,
  is_deprecated: false,
  scopes: [],
});

// Property names that a careless copy would turn into prototype changes or
// reorder: `__proto__` (an own data property in parsed JSON), `constructor`,
// integer-like keys (which JavaScript lists first, in both parse and copy).
// Parsed from text: in an object literal `__proto__:` would set the
// prototype instead of making an own key.
const SPECIAL = JSON.parse(`{
  "type": "object",
  "properties": {
    "__proto__": { "type": "object", "description": "own key", "properties": { "polluted": { "type": "boolean" } } },
    "constructor": { "type": "string", "enum": ["a", "b"] },
    "b": { "type": "array", "items": [{ "type": "string" }, { "type": "number" }] },
    "10": { "type": "integer" },
    "2": { "type": "null", "default": null }
  },
  "required": ["__proto__"]
}`);

const TOOLKITS = Array.from({ length: 10 }, (_, i) => `kit${i}`);

let api;
before(async () => {
  api = await startHttp((r) => {
    const p = r.path.replace(/^\/api\/v3(\.1)?/, '');
    if (r.method === 'GET' && p === '/tools') {
      const kit = r.query.toolkit_slug ?? 'special';
      const items =
        kit === 'special'
          ? [tool('SPECIAL_ONE', SPECIAL), tool('SPECIAL_TWO', { type: 'object', properties: {} })]
          : [tool(`${kit.toUpperCase()}_ONLY`, { type: 'object', properties: { n: { type: 'integer', minimum: Number(kit.slice(3)) } } })];
      const text = JSON.stringify({ items, next_cursor: null, total_pages: 1, current_page: 1, total_items: items.length });
      return { body: text, headers: { 'content-type': 'application/json' } };
    }
    return undefined;
  });
});
after(async () => {
  await api.close();
});

const versions = Object.fromEntries(['special', ...TOOLKITS].map((k) => [k, VERSION]));
const client = () => new Composio({ apiKey: 'test-key', baseURL: api.url, toolkitVersions: versions });

test('special keys survive the copy: own __proto__, constructor, integer-like keys first', async () => {
  const composio = client();
  const cold = await composio.tools.get('default', { toolkits: ['special'] });
  const warm = await composio.tools.get('default', { toolkits: ['special'] });
  for (const result of [cold, warm]) {
    const props = result[0].function.parameters.properties;
    assert.equal(Object.getPrototypeOf(props), Object.prototype);
    assert.ok(Object.hasOwn(props, '__proto__'), 'own __proto__ key');
    assert.equal(props.__proto__.description, 'own key');
    assert.equal(Object.getPrototypeOf(props.__proto__), Object.prototype);
    assert.deepEqual(Object.keys(props), ['2', '10', '__proto__', 'constructor', 'b']);
    assert.deepEqual(props.constructor.enum, ['a', 'b']);
    assert.equal(props[2].default, null);
    assert.ok(Array.isArray(props.b.items));
    // Nothing leaked onto Object.prototype.
    assert.equal({}.polluted, undefined);
  }
  assert.equal(JSON.stringify(warm), JSON.stringify(cold));
  const props = warm[0].function.parameters.properties;
  assert.notEqual(props.__proto__, cold[0].function.parameters.properties.__proto__, 'a new object');
  props.__proto__.description = 'changed';
  props.b.items.push({ type: 'boolean' });
  const again = await composio.tools.get('default', { toolkits: ['special'] });
  assert.equal(JSON.stringify(again), JSON.stringify(cold), 'changes to a copy never reach the template');
});

test('more lists than are kept: each list stays right, kept or formatted again', async () => {
  const composio = client();
  const first = {};
  for (const kit of TOOLKITS) first[kit] = JSON.stringify(await composio.tools.get('default', { toolkits: [kit] }));
  // Twice round: the oldest lists were dropped (and their templates with
  // them on the next call) and come back formatted again.
  for (let round = 0; round < 2; round++) {
    for (const kit of TOOLKITS) {
      const got = await composio.tools.get('default', { toolkits: [kit] });
      assert.equal(JSON.stringify(got), first[kit]);
      assert.equal(got[0].function.parameters.properties.n.minimum, Number(kit.slice(3)));
    }
  }
});

test('a worker thread keeps its own templates and ends cleanly', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Composio } = require('composio-rs');
    (async () => {
      const c = new Composio({ apiKey: 'test-key', baseURL: workerData.url, toolkitVersions: workerData.versions });
      const a = await c.tools.get('default', { toolkits: ['special'] });
      const b = await c.tools.get('default', { toolkits: ['special'] });
      a[0].function.name = 'CHANGED';
      const d = await c.tools.get('default', { toolkits: ['special'] });
      parentPort.postMessage([JSON.stringify(a), JSON.stringify(b), JSON.stringify(d), a[0] !== b[0]]);
    })().catch((e) => parentPort.postMessage(String(e)));
  `;
  const main = JSON.stringify(await client().tools.get('default', { toolkits: ['special'] }));
  for (let i = 0; i < 3; i++) {
    const worker = new Worker(code, { eval: true, workerData: { url: api.url, versions } });
    const [message] = await Promise.all([
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
      new Promise((resolve) => worker.once('exit', resolve)),
    ]);
    assert.ok(Array.isArray(message), `worker failed: ${message}`);
    const [a, b, d, distinct] = message;
    assert.equal(b, main);
    assert.equal(d, main, 'the change to an earlier result did not reach the worker template');
    assert.ok(a.includes('CHANGED'));
    assert.equal(distinct, true);
  }
  // The main thread's templates are unaffected by workers ending.
  const c = client();
  await c.tools.get('default', { toolkits: ['special'] });
  assert.equal(JSON.stringify(await c.tools.get('default', { toolkits: ['special'] })), main);
});
