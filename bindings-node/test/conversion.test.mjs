// Rust -> JavaScript conversion of results: key order (integer-like keys
// included), numbers (floats, the largest exact integers, integers beyond
// 2^53 as the numbers JSON.parse makes, like @composio/core), nested arrays, unicode and `__proto__` keys come out of tools.get,
// getRawComposioTools, tools.execute and proxyExecute exactly as V8's
// JSON.parse makes them from the server's bytes. A real node:http server
// stands in for the API and answers with hand-written JSON text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { Composio } from 'composio-rs';
import { startHttp } from './helpers.mjs';

const VERSION = '20250101_00';
const SLUG = 'CONV_TRICKY';
const BIG_SLUG = 'CONV_BIG';

// Schema text with keys in a non-alphabetical order, integer-like keys
// (V8 lists them first, ascending), unicode, escapes and odd numbers.
const SCHEMA = `{"type":"object","properties":{"zeta":{"type":"string","description":"Zeta \\u00e9\\u4e2d\\ud83d\\ude00 \\"quoted\\" \\\\ tab\\t nl\\n ls\\u2028 nul\\u0000"},"10":{"type":"integer","enum":[3,1,2]},"2":{"type":"number","minimum":-0.0,"maximum":1e300,"multipleOf":0.1,"default":5e-324},"alpha":{"type":"array","items":{"type":"array","items":{"type":"array","items":{"type":"integer"}}},"default":[[[]],[[1,2],[3]],[]]},"4294967295":{"type":"boolean"},"-1":{"type":"null"},"01":{"type":"string"},"mid":{"type":"object","properties":{"b":{"type":"integer","maximum":9007199254740991,"minimum":-9007199254740991},"a":{"type":"integer","default":1.0,"examples":[1e21,123456.789,-1.5e-7,1000000000000000000000000000000]}}}},"required":["zeta","10","alpha"],"additionalProperties":false}`;

const tool = (slug) =>
  `{"slug":"${slug}","name":"Tricky","description":"Ünïcödé — description 😀","toolkit":{"slug":"conv","name":"Conv","logo":""},"version":"${VERSION}","available_versions":["${VERSION}"],"input_parameters":${SCHEMA},"output_parameters":{"type":"object","properties":{}},"tags":[],"no_auth":true,"is_deprecated":false,"scopes":[]}`;

// Execute data without unsafe integers (one JSON.parse) ...
const DATA = `{"zeta":1,"alpha":[1,[2,[3,[4,[]]]],{}],"10":"ten","2":"two","__proto__":{"polluted":true},"mid":{"y":null,"x":false,"0":0},"floats":[0.1,-0.0,1e300,5e-324,1.0,-2.5e-8,123456789.125],"ints":[9007199254740991,-9007199254740991,0,-1,4294967296],"text":"é中😀 \\"q\\" \\\\ \\u2028\\u0000"}`;
// ... and with integers beyond 2^53, which become the nearest numbers (as
// JSON.parse makes them, like @composio/core; never BigInts).
const BIG_DATA = `{"b":9007199254740993,"a":-9007199254740993,"max":18446744073709551615,"safe":9007199254740991,"float":1e30,"nested":[{"z":1,"y":[2]}]}`;

// 20,000 objects with mixed keys and values (about 2 MB).
const BULK = JSON.stringify(
  Array.from({ length: 20_000 }, (_, i) => ({
    [`k${i % 7}`]: i,
    [String(i % 13)]: `v${i}é`,
    nested: { list: [i, i / 3, [String(i)], null, i % 2 === 0] },
    id: `id_${i}`,
  })),
);

let api;
before(async () => {
  api = await startHttp((r) => {
    const p = r.path.replace(/^\/api\/v3(\.1)?/, '');
    const json = (body) => ({ body, headers: { 'content-type': 'application/json' } });
    if (r.method === 'GET' && p === `/tools/${SLUG}`) return json(tool(SLUG));
    if (r.method === 'GET' && p === `/tools/${BIG_SLUG}`) return json(tool(BIG_SLUG));
    if (r.method === 'GET' && p === '/tools') {
      return json(`{"items":[${tool(SLUG)}],"next_cursor":null,"total_pages":1,"current_page":1,"total_items":1}`);
    }
    if (r.method === 'POST' && p === `/tools/execute/${SLUG}`) {
      return json(`{"data":${DATA},"error":null,"successful":true,"log_id":"log_conv"}`);
    }
    if (r.method === 'POST' && p === `/tools/execute/${BIG_SLUG}`) {
      return json(`{"data":${BIG_DATA},"error":null,"successful":true,"log_id":"log_big"}`);
    }
    if (r.method === 'POST' && p === '/tools/execute/proxy' && r.body.endpoint === '/big') {
      return json(`{"data":${BIG_DATA},"status":200,"headers":{}}`);
    }
    if (r.method === 'POST' && p === '/tools/execute/proxy' && r.body.endpoint === '/bulk') {
      return json(`{"data":${BULK},"status":200,"headers":{}}`);
    }
    if (r.method === 'POST' && p === '/tools/execute/proxy') {
      return json(`{"data":${DATA},"status":200,"headers":{}}`);
    }
    return undefined;
  });
});
after(async () => {
  await api.close();
});

function client() {
  return new Composio({ apiKey: 'test-key', baseURL: api.url, toolkitVersions: { conv: VERSION } });
}

/** Every key at every level, in order, with the JSON text (which keeps order). */
function assertSame(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    let i = 0;
    while (i < a.length && a[i] === e[i]) i++;
    assert.fail(`${what}: differs at ${i}: got ${a.slice(Math.max(0, i - 40), i + 40)} expected ${e.slice(Math.max(0, i - 40), i + 40)}`);
  }
  assert.ok(isDeepStrictEqual(actual, expected), `${what}: not deep-equal`);
}

test('tools.get and getRawComposioTools keep key order, integer-like keys, numbers and unicode', async () => {
  const composio = client();
  const expected = JSON.parse(SCHEMA);
  // V8's own order for these keys: array indices first, ascending, then insertion order.
  assert.deepEqual(Object.keys(expected.properties), ['2', '10', 'zeta', 'alpha', '4294967295', '-1', '01', 'mid']);

  const [raw] = await composio.tools.getRawComposioTools({ tools: [SLUG] });
  assertSame(raw.inputParameters, expected, 'getRawComposioTools inputParameters');
  assert.equal(raw.description, 'Ünïcödé — description 😀');
  assert.ok(Object.is(raw.inputParameters.properties['2'].minimum, -0), 'minimum is -0');
  assert.equal(raw.inputParameters.properties['2'].default, 5e-324);
  assert.equal(raw.inputParameters.properties.mid.properties.a.examples[3], 1e30);

  const [formatted] = await composio.tools.get('default', { tools: [SLUG] });
  assert.equal(formatted.type, 'function');
  assert.equal(formatted.function.name, SLUG);
  assert.deepEqual(Object.keys(formatted.function.parameters.properties), Object.keys(expected.properties));
  const props = formatted.function.parameters.properties;
  assert.ok(isDeepStrictEqual(props, expected.properties), 'tools.get parameters');
  assert.deepEqual(Object.keys(props.mid.properties), ['b', 'a']);
  assert.ok(Object.is(props['2'].minimum, -0), 'minimum is -0');
  assert.equal(props['2'].maximum, 1e300);
  assert.equal(props.mid.properties.b.maximum, 9007199254740991);
  assert.deepEqual(props.alpha.default, [[[]], [[1, 2], [3]], []]);
  assert.equal(
    formatted.function.parameters.properties.zeta.description,
    'Zeta é中😀 "quoted" \\ tab\t nl\n ls\u2028 nul\u0000',
  );
});

test('execute and proxyExecute results come out as JSON.parse makes them, __proto__ as an own key', async () => {
  const composio = client();
  const expected = JSON.parse(DATA);
  const result = await composio.tools.execute(SLUG, { userId: 'u1', arguments: {} });
  assert.equal(result.successful, true);
  assert.equal(result.logId, 'log_conv');
  assertSame(result.data, expected, 'execute data');
  assert.deepEqual(Object.keys(result.data), ['2', '10', 'zeta', 'alpha', '__proto__', 'mid', 'floats', 'ints', 'text']);
  assert.ok(Object.hasOwn(result.data, '__proto__'), '__proto__ is an own property');
  assert.equal(Object.getPrototypeOf(result.data), Object.prototype, 'the prototype is untouched');
  assert.equal(result.data.polluted, undefined);
  assert.ok(Object.is(result.data.floats[1], -0), '-0.0 stays -0');
  assert.deepEqual(result.data.alpha, [1, [2, [3, [4, []]]], {}]);
  assert.equal(result.data.text, 'é中😀 "q" \\ \u2028\u0000');

  const proxied = await composio.tools.proxyExecute({ endpoint: '/anything', method: 'GET' });
  assertSame(proxied.data, expected, 'proxyExecute data');
});

test('integers beyond 2^53 become the numbers JSON.parse makes (no BigInt), the rest unchanged', async () => {
  const composio = client();
  const result = await composio.tools.execute(BIG_SLUG, { userId: 'u1', arguments: {}, dangerouslySkipVersionCheck: true });
  const data = result.data;
  const expected = JSON.parse(BIG_DATA);
  assertSame(data, expected, 'execute data with big integers');
  assert.deepEqual(Object.keys(data), ['b', 'a', 'max', 'safe', 'float', 'nested']);
  for (const key of ['b', 'a', 'max', 'safe', 'float']) {
    assert.equal(typeof data[key], 'number', `${key} is a number`);
    assert.ok(Object.is(data[key], expected[key]), `${key} is ${expected[key]}`);
  }
  assert.equal(data.b, 9007199254740992);
  assert.equal(data.a, -9007199254740992);
  assert.equal(data.max, 18446744073709552000);
  assert.equal(data.safe, 9007199254740991);
  assert.deepEqual(Object.keys(data.nested[0]), ['z', 'y']);
  // The whole result serialises (a BigInt would make this throw).
  assert.equal(JSON.stringify(data), JSON.stringify(expected));
  assert.doesNotThrow(() => JSON.stringify(result));

  const proxied = await composio.tools.proxyExecute({ endpoint: '/big', method: 'GET' });
  assertSame(proxied.data, expected, 'proxyExecute data with big integers');
});

test('a large result converts intact, every element checked', async () => {
  const composio = client();
  const proxied = await composio.tools.proxyExecute({ endpoint: '/bulk', method: 'GET' });
  assertSame(proxied.data, JSON.parse(BULK), 'bulk proxyExecute data');
  assert.equal(proxied.data.length, 20_000);
});
