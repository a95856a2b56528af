// Session `preload` (@composio/core 0.21) against composio-local: `preload` in the create config
// lists app tools in session.tools(); `preload` on custom tools / toolkits lists them too and goes
// on the wire; bad input is refused, never dropped.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Composio, ValidationError, experimental_createTool, experimental_createToolkit } from 'composio-rs';
import { startLocal, TEXT_VERSION } from './helpers.mjs';

let local;
before(async () => {
  local = await startLocal();
});
after(async () => local.stop());

const client = () => new Composio({ apiKey: local.apiKey, baseURL: local.baseURL, toolkitVersions: { text: TEXT_VERSION } });
const names = (tools) => tools.map((t) => t.function?.name ?? t.name);
const tool = (slug, extra = {}) =>
  experimental_createTool(slug, {
    name: slug,
    description: `Does ${slug}`,
    inputParams: { type: 'object', properties: {} },
    execute: () => ({ slug }),
    ...extra,
  });

test('preload lists app tools and flagged custom tools in session.tools()', async () => {
  const composio = client();
  const kit = experimental_createToolkit('CRM', { name: 'CRM', description: 'Records', tools: [tool('FIND')], preload: true });
  const session = await composio.create('preload-node', {
    toolkits: ['text'],
    preload: { tools: ['TEXT_WORD_COUNT'] },
    experimental: { customTools: [tool('GREET', { preload: true }), tool('QUIET')], customToolkits: [kit] },
  });
  const stored = await composio.getClient().get(`/api/v3.1/tool_router/session/${session.sessionId}`);
  assert.deepEqual(stored.config.preload, { tools: ['TEXT_WORD_COUNT'] });
  assert.equal(stored.experimental.custom_tools[0].preload, true);
  assert.equal('preload' in stored.experimental.custom_tools[1], false);
  assert.equal(stored.experimental.custom_toolkits[0].preload, true);

  const listed = names(await session.tools());
  assert.ok(listed.includes('COMPOSIO_SEARCH_TOOLS'), String(listed));
  assert.ok(listed.includes('TEXT_WORD_COUNT'), String(listed));
  assert.deepEqual(listed.filter((n) => n.startsWith('LOCAL_')), ['LOCAL_GREET', 'LOCAL_CRM_FIND']);
});

test('"all" needs a positive filter; custom slugs and bad flags are refused', async () => {
  const composio = client();
  await assert.rejects(composio.create('preload-node', { preload: { tools: 'all' } }), /positive filter/);
  const all = await composio.create('preload-node', { toolkits: ['text'], preload: { tools: 'all' } });
  assert.ok(names(await all.tools()).includes('TEXT_WORD_COUNT'));
  await assert.rejects(
    composio.create('preload-node', { toolkits: ['text'], preload: { tools: ['LOCAL_GREET'] } }),
    /preload\.tools/,
  );
  assert.throws(() => tool('BAD', { preload: 'yes' }), ValidationError);
});

test('use() honours each attached tool\'s preload flag, as @composio/core 0.21 does', async () => {
  const composio = client();
  const plain = await composio.create('preload-node', { toolkits: ['text'] });
  const kit = experimental_createToolkit('CRM', {
    name: 'CRM',
    description: 'Records',
    tools: [tool('FIND'), tool('SKIP', { preload: false })],
    preload: true,
  });
  const attached = await composio.use(plain.sessionId, {
    customTools: [tool('LATE', { preload: true }), tool('OTHER')],
    customToolkits: [kit],
  });
  const local = (tools) => names(tools).filter((n) => n.startsWith('LOCAL_'));
  assert.deepEqual(local(await attached.tools()), ['LOCAL_LATE', 'LOCAL_CRM_FIND']);
  // The flags went on the wire with each definition.
  const stored = await composio.getClient().get(`/api/v3.1/tool_router/session/${plain.sessionId}`);
  const byName = Object.fromEntries(stored.experimental.custom_tools.map((t) => [t.slug, t.preload]));
  assert.equal(byName.LOCAL_LATE, true);
  assert.equal(byName.LOCAL_OTHER, undefined);
  // Unflagged tools still run in this process.
  const r = await attached.execute('LOCAL_OTHER', {});
  assert.deepEqual(r.data, { slug: 'OTHER' });

  // Under a stored "all", an explicit false opts out.
  const all = await composio.create('preload-node', { toolkits: ['text'], preload: { tools: 'all' } });
  const again = await composio.use(all.sessionId, { customTools: [tool('LOUD'), tool('QUIET', { preload: false })] });
  assert.deepEqual(local(await again.tools()), ['LOCAL_LOUD']);
});
