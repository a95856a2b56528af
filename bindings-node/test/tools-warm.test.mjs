// tools.get of a pinned toolkit query: the first call formats the tools, a
// repeated call is answered from the engine's cache (no request) and from the
// formatted text kept for it. Warm results must equal cold ones, be fresh
// objects every time (mutating one result never shows in the next), follow
// the automatic file handling and custom tools, and never be used when a
// schema modifier runs. A real node:http server stands in for the API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Composio } from 'composio-rs';
import { startHttp } from './helpers.mjs';

const VERSION = '20250301_00';
const PLAIN = 'WARM_PLAIN';
const FILE = 'WARM_FILE';
const UNI = 'WARM_UNICODE';

const tool = (slug, description, params) =>
  JSON.stringify({
    slug,
    name: slug.toLowerCase(),
    description,
    toolkit: { slug: 'warm', name: 'Warm', logo: '' },
    version: VERSION,
    available_versions: [VERSION],
    input_parameters: params,
    output_parameters: { type: 'object', properties: {} },
    tags: [],
    no_auth: true,
    is_deprecated: false,
    scopes: [],
  });

const TOOLS = [
  tool(PLAIN, 'Plain tool', {
    type: 'object',
    properties: { b: { type: 'integer', enum: [3, 1, 2] }, a: { type: 'array', items: { type: 'string' } } },
    required: ['b'],
  }),
  tool(FILE, 'Uploads a file', {
    type: 'object',
    properties: {
      attachment: { type: 'object', file_uploadable: true, description: 'The file', properties: { s3key: { type: 'string' } } },
      note: { type: 'string' },
    },
  }),
  tool(UNI, 'Ünïcödé 😀 — big number', {
    type: 'object',
    properties: { n: { type: 'integer', maximum: 9007199254740993, description: 'é中\u2028' } },
  }),
];

let api;
before(async () => {
  api = await startHttp((r) => {
    const p = r.path.replace(/^\/api\/v3(\.1)?/, '');
    if (r.method === 'GET' && p === '/tools') {
      const wanted = r.query.tool_slugs ? r.query.tool_slugs.split(',') : null;
      const items = TOOLS.filter((t) => !wanted || wanted.includes(JSON.parse(t).slug));
      return {
        body: `{"items":[${items.join(',')}],"next_cursor":null,"total_pages":1,"current_page":1,"total_items":${items.length}}`,
        headers: { 'content-type': 'application/json' },
      };
    }
    return undefined;
  });
});
after(async () => {
  await api.close();
});

const client = (extra = {}) =>
  new Composio({ apiKey: 'test-key', baseURL: api.url, toolkitVersions: { warm: VERSION }, ...extra });
const listRequests = () => api.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/tools')).length;
const QUERY = { toolkits: ['warm'], limit: 10 };

test('a repeated pinned toolkit query: warm results equal the cold one and are fresh objects', async () => {
  const composio = client();
  const requests = listRequests();
  const cold = await composio.tools.get('default', QUERY);
  assert.equal(listRequests(), requests + 1);
  assert.deepEqual(cold.map((t) => t.function.name), [PLAIN, FILE, UNI]);
  const snapshot = JSON.stringify(cold);

  const warm = await composio.tools.get('default', QUERY);
  assert.equal(listRequests(), requests + 1, 'the warm call makes no request');
  assert.deepEqual(warm, cold);
  assert.equal(JSON.stringify(warm), snapshot, 'same keys in the same order');
  assert.notEqual(warm, cold);
  assert.notEqual(warm[0], cold[0]);
  assert.notEqual(warm[0].function.parameters, cold[0].function.parameters);

  // Mutate both results deeply; the next call must not see it.
  for (const result of [cold, warm]) {
    result[0].function.parameters.properties.b.enum.push(99);
    result[0].function.parameters.required.length = 0;
    result[1].function.parameters.properties.note.description = 'changed';
    result[1].function.name = 'RENAMED';
    delete result[2].function.parameters;
    result.pop();
  }
  const again = await composio.tools.get('default', QUERY);
  assert.equal(JSON.stringify(again), snapshot, 'mutations of earlier results do not leak');
  assert.equal(listRequests(), requests + 1);
  assert.equal(again.length, 3);
  // JSON.stringify works on every result (no BigInt): the integer beyond
  // 2^53 is the number JSON.parse makes of it.
  assert.equal(again[2].function.parameters.properties.n.maximum, JSON.parse('9007199254740993'));
  assert.equal(again[2].function.description, 'Ünïcödé 😀 — big number');
  assert.equal(again[2].function.parameters.properties.n.description, 'é中\u2028');
});

test('the warm result equals the same tools fetched by slug (not cached) and by a fresh client', async () => {
  const composio = client();
  await composio.tools.get('default', QUERY);
  const warm = await composio.tools.get('default', QUERY);
  const bySlug = await client().tools.get('default', { tools: [PLAIN, FILE, UNI] });
  assert.equal(JSON.stringify(warm), JSON.stringify(bySlug));
  const fresh = await client().tools.get('default', QUERY);
  assert.equal(JSON.stringify(warm), JSON.stringify(fresh));
});

test('automatic file handling: rewritten cold and warm, and not when off', async () => {
  const on = client({ autoUploadDownloadFiles: true });
  const cold = await on.tools.get('default', QUERY);
  const warm = await on.tools.get('default', QUERY);
  for (const result of [cold, warm]) {
    const attachment = result[1].function.parameters.properties.attachment;
    assert.equal(attachment.type, 'string');
    assert.equal(attachment.format, 'path');
    assert.equal(attachment.file_uploadable, true);
  }
  const off = client({ autoUploadDownloadFiles: false });
  const offCold = await off.tools.get('default', QUERY);
  const offWarm = await off.tools.get('default', QUERY);
  for (const result of [offCold, offWarm]) {
    const attachment = result[1].function.parameters.properties.attachment;
    assert.equal(attachment.type, 'object');
    assert.deepEqual(attachment.properties, { s3key: { type: 'string' } });
  }
});

test('a custom tool registered later with the slug of a rewritten tool is honoured by warm calls', async () => {
  const composio = client({ autoUploadDownloadFiles: true });
  const before = await composio.tools.get('default', QUERY);
  assert.equal(before[1].function.parameters.properties.attachment.format, 'path');
  await composio.tools.createCustomTool({
    slug: FILE,
    name: 'Shadow',
    description: 'Shadows the toolkit tool',
    inputParams: { type: 'object', properties: { x: { type: 'string' } } },
    execute: async () => ({ data: {}, error: null, successful: true }),
  });
  const after = await composio.tools.get('default', QUERY);
  // Custom tools' schemas are never rewritten: the toolkit tool of that
  // slug is formatted as sent, as the uncached path does.
  assert.equal(after[1].function.parameters.properties.attachment.type, 'object');
  assert.equal(after[0].function.name, PLAIN);
});

test('with a schema modifier every call runs it (the kept text is not used)', async () => {
  const composio = client();
  await composio.tools.get('default', QUERY);
  let calls = 0;
  const modifySchema = ({ schema }) => {
    calls += 1;
    return { ...schema, description: `modified ${calls}` };
  };
  const first = await composio.tools.get('default', QUERY, { modifySchema });
  const second = await composio.tools.get('default', QUERY, { modifySchema });
  assert.equal(calls, 6);
  assert.deepEqual(first.map((t) => t.function.description), ['modified 1', 'modified 2', 'modified 3']);
  assert.deepEqual(second.map((t) => t.function.description), ['modified 4', 'modified 5', 'modified 6']);
  const plain = await composio.tools.get('default', QUERY);
  assert.equal(plain[0].function.description, 'Plain tool');
});
