// Custom tools run in-process: no network is needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Composio, ValidationError } from 'composio-rs';
import { z } from 'zod';

// Nothing listens on port 9: any request would fail with a network error.
const offline = () => new Composio({ apiKey: 'offline-key', baseURL: 'http://127.0.0.1:9', maxRetries: 0 });

test('a JSON Schema custom tool is listed and executed without any request', async () => {
  const composio = offline();
  const tool = await composio.tools.createCustomTool({
    slug: 'ADD_NUMBERS',
    name: 'Add numbers',
    description: 'Adds two numbers',
    inputParams: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    execute: async (input) => ({ data: { sum: input.a + input.b }, error: null, successful: true }),
  });
  assert.equal(tool.slug, 'ADD_NUMBERS');
  assert.deepEqual(tool.inputParameters.required, ['a', 'b']);
  assert.equal(tool.inputParameters.title, 'Add numbers');

  const listed = await composio.tools.get('user-1', { tools: ['ADD_NUMBERS'] });
  assert.equal(listed[0].function.name, 'ADD_NUMBERS');
  const raw = await composio.tools.getRawComposioToolBySlug('add_numbers');
  assert.equal(raw.slug, 'ADD_NUMBERS');

  const r = await composio.tools.execute('ADD_NUMBERS', { userId: 'user-1', arguments: { a: 2, b: 40 } });
  assert.deepEqual(r, { data: { sum: 42 }, error: null, successful: true });

  // Sync implementation returning data directly works too.
  await composio.tools.createCustomTool({
    slug: 'ECHO',
    name: 'Echo',
    description: 'Echoes',
    inputParams: { type: 'object', properties: { msg: { type: 'string' } } },
    execute: (input) => ({ data: { echo: input.msg }, error: null, successful: true }),
  });
  const e = await composio.tools.execute('ECHO', { arguments: { msg: 'hi' } });
  assert.deepEqual(e.data, { echo: 'hi' });
});

test('arguments are validated against the schema', async () => {
  const composio = offline();
  await composio.tools.createCustomTool({
    slug: 'NEEDS_A',
    name: 'Needs a',
    description: 'Needs a',
    inputParams: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
    execute: async () => ({ data: {}, error: null, successful: true }),
  });
  await assert.rejects(composio.tools.execute('NEEDS_A', { arguments: {} }), (e) => e instanceof ValidationError && /a/.test(e.message));
  await assert.rejects(composio.tools.execute('NEEDS_A', { arguments: { a: 5 } }), ValidationError);
});

test('a custom tool that throws rejects with the same error; a failed result is returned', async () => {
  const composio = offline();
  const boom = new RangeError('custom boom');
  await composio.tools.createCustomTool({
    slug: 'THROWS',
    name: 'Throws',
    description: 'Throws',
    inputParams: { type: 'object', properties: {} },
    execute: async () => { throw boom; },
  });
  const err = await composio.tools.execute('THROWS', { arguments: {} }).then(() => null, (e) => e);
  assert.equal(err, boom);
  await composio.tools.createCustomTool({
    slug: 'FAILS',
    name: 'Fails',
    description: 'Fails',
    inputParams: { type: 'object', properties: {} },
    execute: async () => ({ data: {}, error: 'nope', successful: false }),
  });
  // As in @composio/core, a tool's own failure comes back as the result.
  const failed = await composio.tools.execute('FAILS', { arguments: {} });
  assert.equal(failed.successful, false);
  assert.equal(failed.error, 'nope');
});

test('a zod schema becomes the JSON Schema of the tool', async () => {
  const composio = offline();
  const tool = await composio.tools.createCustomTool({
    slug: 'ZOD_TOOL',
    name: 'Zod tool',
    description: 'Uses zod',
    inputParams: z.object({ city: z.string().describe('City name'), days: z.number().optional() }),
    execute: async (input) => ({ data: { forecast: `${input.city}: sunny` }, error: null, successful: true }),
  });
  assert.equal(tool.inputParameters.properties.city.type, 'string');
  assert.equal(tool.inputParameters.properties.city.description, 'City name');
  assert.deepEqual(tool.inputParameters.required, ['city']);
  const r = await composio.tools.execute('ZOD_TOOL', { arguments: { city: 'Oslo' } });
  assert.equal(r.data.forecast, 'Oslo: sunny');
});

test('custom tools work through a provider handleToolCalls', async () => {
  const composio = offline();
  await composio.tools.createCustomTool({
    slug: 'MULTIPLY',
    name: 'Multiply',
    description: 'Multiplies',
    inputParams: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
    execute: async ({ a, b }) => ({ data: { product: a * b }, error: null, successful: true }),
  });
  const completion = {
    choices: [{ message: { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'MULTIPLY', arguments: '{"a":6,"b":7}' } }] } }],
  };
  const out = await composio.provider.handleToolCalls('user-1', completion);
  assert.deepEqual(out, [{ role: 'tool', tool_call_id: 'call_1', content: '{"data":{"product":42},"error":null,"successful":true}' }]);
});
