// VercelProvider with the real `ai` package: tools are `ai` tool objects keyed
// by slug; generateText (driven by ai's own mock model) validates the model's
// input against the JSON Schema and runs execute through the engine.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { generateText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { Composio, VercelProvider } from 'composio-rs';
import { startLocal, TEXT_VERSION } from './helpers.mjs';

let local;
before(async () => (local = await startLocal()));
after(async () => local.stop());

/** A model that calls one tool, then answers with text. */
function modelCalling(toolName, input) {
  let turn = 0;
  return new MockLanguageModelV3({
    doGenerate: async () => {
      turn += 1;
      const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };
      if (turn === 1) {
        return {
          content: [{ type: 'tool-call', toolCallId: 'call_1', toolName, input: JSON.stringify(input) }],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage,
          warnings: [],
        };
      }
      return { content: [{ type: 'text', text: 'done' }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] };
    },
  });
}

test('tools.get returns ai tools keyed by slug; generateText runs them against composio-local', async () => {
  const composio = new Composio({
    apiKey: local.apiKey,
    baseURL: local.baseURL,
    provider: new VercelProvider(),
    toolkitVersions: { text: TEXT_VERSION },
  });
  const seen = [];
  const tools = await composio.tools.get('user-v', { tools: ['TEXT_WORD_COUNT', 'TEXT_TRANSFORM_CASE'] }, {
    beforeExecute: ({ toolSlug, params }) => {
      seen.push(toolSlug);
      return params;
    },
  });
  assert.deepEqual(Object.keys(tools).sort(), ['TEXT_TRANSFORM_CASE', 'TEXT_WORD_COUNT']);
  assert.equal(typeof tools.TEXT_WORD_COUNT.execute, 'function');
  assert.equal(typeof tools.TEXT_WORD_COUNT.description, 'string');
  assert.equal(tools.TEXT_WORD_COUNT.inputSchema.jsonSchema.type, 'object');

  const model = modelCalling('TEXT_WORD_COUNT', { text: 'the vercel ai sdk works' });
  const r = await generateText({ model, tools, prompt: 'count', stopWhen: () => false, maxRetries: 0 });
  const results = r.steps.flatMap((s) => s.toolResults);
  assert.equal(results.length, 1);
  assert.equal(results[0].toolName, 'TEXT_WORD_COUNT');
  assert.equal(results[0].output.successful, true);
  assert.equal(results[0].output.data.words, 5);
  assert.deepEqual(seen, ['TEXT_WORD_COUNT']);
  // The schema the model saw is the tool's JSON Schema.
  const offered = model.doGenerateCalls[0].tools.find((t) => t.name === 'TEXT_WORD_COUNT');
  assert.ok(offered.inputSchema.properties.text);

  // execute called directly, as ai would.
  const direct = await tools.TEXT_TRANSFORM_CASE.execute({ text: 'Hello World', case: 'snake' }, { toolCallId: 'x', messages: [] });
  assert.equal(direct.successful, true);
  assert.equal(direct.data.result, 'hello_world');
});

test('ai rejects input that does not match the JSON Schema before execute runs', async () => {
  const composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL, provider: new VercelProvider(), toolkitVersions: { text: TEXT_VERSION } });
  let executed = 0;
  const tools = await composio.tools.get('user-v', { tools: ['TEXT_WORD_COUNT'] }, { beforeExecute: ({ params }) => { executed += 1; return params; } });
  const model = modelCalling('TEXT_WORD_COUNT', { text: 42 });
  const r = await generateText({ model, tools, prompt: 'count', maxRetries: 0 });
  const errors = r.steps.flatMap((s) => s.content.filter((c) => c.type === 'tool-error'));
  assert.equal(executed, 0);
  assert.equal(errors.length, 1, JSON.stringify(r.steps.map((s) => s.content)));
});

test('session tools: meta tools as ai tools executing in the session', async () => {
  const composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL, provider: new VercelProvider() });
  const session = await composio.create('user-v', { toolkits: ['text'] });
  const tools = await session.tools();
  assert.ok(tools.COMPOSIO_SEARCH_TOOLS, Object.keys(tools).join());
  const out = await tools.COMPOSIO_SEARCH_TOOLS.execute({ queries: [{ use_case: 'count the words in a text' }] }, { toolCallId: 'y', messages: [] });
  assert.equal(out.successful, true, JSON.stringify(out));
  assert.ok(JSON.stringify(out.data).includes('TEXT_'), JSON.stringify(out.data));
});

test('strict: only required properties are offered', async () => {
  const composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL, provider: new VercelProvider({ strict: true }), toolkitVersions: { text: TEXT_VERSION } });
  const [raw] = await composio.tools.getRawComposioTools({ tools: ['TEXT_FIND_REPLACE'] });
  const required = [...(raw.inputParameters.required ?? [])].sort();
  assert.ok(Object.keys(raw.inputParameters.properties).length > required.length, 'the fixture tool needs optional properties');
  const tools = await composio.tools.get('u', { tools: ['TEXT_FIND_REPLACE'] });
  assert.deepEqual(Object.keys(tools.TEXT_FIND_REPLACE.inputSchema.jsonSchema.properties).sort(), required);
});
