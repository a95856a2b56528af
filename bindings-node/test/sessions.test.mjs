// Tool-router sessions against composio-local.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Composio, AnthropicProvider, ValidationError } from 'composio-rs';
import { startLocal, TEXT_VERSION } from './helpers.mjs';

let local;
let composio;
before(async () => {
  local = await startLocal();
  composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL, toolkitVersions: { text: TEXT_VERSION } });
});
after(async () => local.stop());

test('create, mcp, tools, execute, use', async () => {
  const session = await composio.create('user-1', { toolkits: ['text'], manageConnections: false });
  assert.match(session.sessionId, /^trs_/);
  assert.equal(session.mcp.type, 'http');
  assert.ok(session.mcp.url.includes(session.sessionId));
  assert.equal(session.mcp.headers['x-api-key'], local.apiKey);

  const tools = await session.tools();
  const names = tools.map((t) => t.function.name);
  assert.ok(names.includes('COMPOSIO_SEARCH_TOOLS'), names.join());

  const r = await session.execute('TEXT_WORD_COUNT', { text: 'one two' });
  assert.equal(r.error, null);
  assert.equal(r.data.words, 2);
  assert.equal(typeof r.logId, 'string');

  const again = await composio.use(session.sessionId);
  assert.equal(again.sessionId, session.sessionId);
  const viaRouter = await composio.toolRouter.use(session.sessionId);
  assert.equal(viaRouter.sessionId, session.sessionId);
});

test('session tools follow the provider and schema modifiers', async () => {
  const c = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL, provider: new AnthropicProvider() });
  const session = await c.create('user-2', { toolkits: ['text'] });
  const tools = await session.tools({ modifySchema: ({ schema }) => ({ ...schema, description: 'changed' }) });
  assert.ok(tools.length > 0);
  for (const t of tools) {
    assert.equal(typeof t.name, 'string');
    assert.equal(t.description, 'changed');
    assert.equal(t.input_schema.type, 'object');
  }
});

test('invalid session config is a ValidationError', async () => {
  await assert.rejects(composio.create('user-1', { toolkits: { enable: ['a'], disable: ['b'] } }), ValidationError);
  await assert.rejects(composio.create('user-1', { noSuchOption: true }), ValidationError);
});
