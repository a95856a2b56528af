// TypeScript snippets from the product docs (shared/seeds/docs), with only the
// import changed from '@composio/core' to 'composio-rs' and the tool slugs
// pointed at composio-local's no-auth `text` toolkit. The client reads
// COMPOSIO_API_KEY / COMPOSIO_BASE_URL from the environment, as in the docs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Composio } from 'composio-rs';
import { z } from 'zod/v3';
import { startLocal, TEXT_VERSION } from './helpers.mjs';

let local;
before(async () => {
  local = await startLocal();
  process.env.COMPOSIO_API_KEY = local.apiKey;
  process.env.COMPOSIO_BASE_URL = local.baseURL;
});
after(async () => {
  delete process.env.COMPOSIO_API_KEY;
  delete process.env.COMPOSIO_BASE_URL;
  await local.stop();
});

test('docs: tools-direct/executing-tools — execute with SDK-level toolkit versions', async () => {
  const userId = 'user-k7334';
  // Configure toolkit versions at SDK level
  const composio = new Composio({ apiKey: process.env.COMPOSIO_API_KEY, toolkitVersions: { text: TEXT_VERSION } });
  const result = await composio.tools.execute('TEXT_WORD_COUNT', {
    userId,
    arguments: { text: 'Composio makes tools easy' },
  });
  assert.equal(result.successful, true);
  assert.equal(result.data.words, 4);
});

test('docs: modify-tool-behavior/schema-modifiers — delete a parameter, change required', async () => {
  const composio = new Composio();
  const userId = 'your@email.com';
  const tools = await composio.tools.get(
    userId,
    { tools: ['TEXT_FIND_REPLACE', 'TEXT_WORD_COUNT'] },
    {
      modifySchema: ({ toolSlug, toolkitSlug, schema }) => {
        if (toolSlug === 'TEXT_FIND_REPLACE') {
          const { inputParameters } = schema;
          if (inputParameters?.properties) {
            delete inputParameters.properties['max_replacements'];
            inputParameters.required = ['text', 'find'];
          }
        }
        return schema;
      },
    },
  );
  const fr = tools.find((t) => t.function.name === 'TEXT_FIND_REPLACE');
  assert.equal('max_replacements' in fr.function.parameters.properties, false);
  assert.deepEqual(fr.function.parameters.required, ['text', 'find']);
});

test('docs: modify-tool-behavior/before-execution-modifiers — mutate params in place', async () => {
  const composio = new Composio({ toolkitVersions: { text: TEXT_VERSION } });
  const userId = 'user@acme.com';
  const toolArgs = JSON.stringify({ text: 'Hello World', case: 'upper' });
  const result = await composio.tools.execute(
    'TEXT_TRANSFORM_CASE',
    { userId, arguments: JSON.parse(toolArgs) },
    {
      beforeExecute: ({ toolSlug, toolkitSlug, params }) => {
        if (toolSlug === 'TEXT_TRANSFORM_CASE') {
          params.arguments.case = 'lower';
        }
        return params;
      },
    },
  );
  assert.equal(result.successful, true, JSON.stringify(result));
  assert.match(JSON.stringify(result.data), /hello world/);
});

test('docs: modify-tool-behavior/after-execution-modifiers — reshape the result', async () => {
  const composio = new Composio({ toolkitVersions: { text: TEXT_VERSION } });
  const result = await composio.tools.execute(
    'TEXT_WORD_COUNT',
    { userId: 'u', arguments: { text: 'a b c' } },
    {
      afterExecute: ({ toolSlug, toolkitSlug, result }) => {
        if (toolSlug === 'TEXT_WORD_COUNT') {
          const { data } = result;
          return { ...result, data: { words: data.words } };
        }
        return result;
      },
    },
  );
  assert.deepEqual(result.data, { words: 3 });
});

test('docs: tools-direct/custom-tools — CALCULATE_SQUARE with zod/v3, then execute', async () => {
  const composio = new Composio({ apiKey: 'your_api_key' });
  const tool = await composio.tools.createCustomTool({
    slug: 'CALCULATE_SQUARE',
    name: 'Calculate Square',
    description: 'Calculates the square of a number',
    inputParams: z.object({
      number: z.number().describe('The number to calculate the square of'),
    }),
    execute: async (input) => {
      const { number } = input;
      return { data: { result: number * number }, error: null, successful: true };
    },
  });
  assert.equal(tool.slug, 'CALCULATE_SQUARE');
  const result = await composio.tools.execute('CALCULATE_SQUARE', { arguments: { number: 12 }, userId: 'user-id' });
  assert.deepEqual(result.data, { result: 144 });
});

test('docs: quickstart — a session for a user, its tools and MCP endpoint', async () => {
  const composio = new Composio();
  const userId = 'user_123';
  const session = await composio.create(userId);
  const tools = await session.tools();
  assert.ok(Array.isArray(tools) && tools.length > 0);
  const { mcp } = await composio.create(userId);
  assert.equal(typeof mcp.url, 'string');
  assert.equal(mcp.headers['x-api-key'], process.env.COMPOSIO_API_KEY);
});
