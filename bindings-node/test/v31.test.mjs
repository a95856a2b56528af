// @composio/core 0.21 entry points against composio-local: composio.webhooks.endpoints,
// composio.sessionConfigs and composio.getClient().
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Composio, ComposioClient, ValidationError } from 'composio-rs';
import { startLocal } from './helpers.mjs';

let local;
let composio;
before(async () => {
  local = await startLocal();
  composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL });
});
after(async () => local.stop());

test('webhooks.endpoints: create (one per toolkit + app), list, get, replace, update', async () => {
  const eps = composio.webhooks.endpoints;
  const ep = await eps.create({ toolkitSlug: 'notes', clientId: 'my-app' });
  assert.match(ep.id, /^we_/);
  assert.deepEqual(Object.keys(ep), ['id', 'toolkitSlug', 'clientId', 'webhookUrl', 'data', 'createdAt']);
  assert.equal(ep.toolkitSlug, 'notes');
  assert.equal(ep.clientId, 'my-app');
  assert.equal(ep.webhookUrl, `${local.baseURL}/webhook_ingress/${ep.id}`);
  assert.equal(ep.data, null);
  assert.equal((await eps.create({ toolkitSlug: 'notes', clientId: 'my-app' })).id, ep.id);
  await eps.create({ toolkitSlug: 'tasks', clientId: 'other-app' });

  const all = await eps.list();
  assert.equal(all.items.length, 2);
  assert.deepEqual(all.items[0], { id: ep.id, toolkitSlug: 'notes', clientId: 'my-app' });
  const tasks = await eps.list({ toolkitSlug: 'tasks' });
  assert.deepEqual(tasks.items.map((i) => i.toolkitSlug), ['tasks']);

  // Setup field names are kept as sent (not camel-cased); secrets come back masked.
  const set = await eps.replace(ep.id, { data: { signing_secret: 'whsec_abcdefgh1234' } });
  assert.deepEqual(set.data, { signing_secret: '****1234' });
  assert.deepEqual((await eps.get(ep.id)).data, { signing_secret: '****1234' });
  const upd = await eps.update(ep.id, { data: { signing_secret: 'rotated-secret-5678' } });
  assert.deepEqual(upd.data, { signing_secret: '****5678' });

  await assert.rejects(eps.replace(ep.id, { data: {} }), (e) => e.status === 400 && /signing_secret/.test(e.message));
  await assert.rejects(eps.update(ep.id, { data: { nope: 'x' } }), (e) => e.status === 400 && /data\.nope/.test(e.message));
  await assert.rejects(eps.get('we_missing'), (e) => e.status === 404);
  await assert.rejects(eps.create({ toolkitSlug: 'notes' }), (e) => e instanceof ValidationError && /clientId/.test(e.message));
  await assert.rejects(eps.create({ toolkitSlug: 'notes', clientId: 'a', extra: 1 }), /unknown option "extra"/);
  await assert.rejects(eps.update(ep.id, { data: { signing_secret: 5 } }), /data\.signing_secret must be a string/);
  await assert.rejects(eps.list({ toolkit: 'notes' }), /unknown option "toolkit"/);
});

test('sessionConfigs.list / get (configs made through getClient, standing in for the Dashboard)', async () => {
  const raw = composio.getClient();
  assert.ok(raw instanceof ComposioClient);
  const policy = { toolkits: { enable: ['notes'] }, tools: { notes: { disable: ['NOTES_DELETE_NOTE'] } } };
  for (const name of ['Support', 'Sales', 'Support archive']) {
    await raw.post('/api/v3.1/session_configs', { body: { name, description: `${name} policy`, config: policy, archived: name.endsWith('archive') } });
  }
  const page = await composio.sessionConfigs.list();
  assert.deepEqual(page.items.map((i) => i.name), ['Support', 'Sales']);
  assert.deepEqual(Object.keys(page.items[0]), ['id', 'name', 'archived', 'createdAt', 'updatedAt']);
  assert.equal(page.nextCursor, null);
  const first = await composio.sessionConfigs.list({ limit: 1 });
  assert.equal(first.items.length, 1);
  const second = await composio.sessionConfigs.list({ limit: 1, cursor: first.nextCursor });
  assert.equal(second.items[0].name, 'Sales');
  assert.deepEqual((await composio.sessionConfigs.list({ search: 'SUP' })).items.map((i) => i.name), ['Support']);
  assert.deepEqual((await composio.sessionConfigs.list({ archived: true })).items.map((i) => i.name), ['Support archive']);

  const one = await composio.sessionConfigs.get(page.items[0].id);
  assert.equal(one.description, 'Support policy');
  assert.deepEqual(one.config, policy, 'the policy keeps its keys (toolkit slugs, tool slugs) exactly');

  await assert.rejects(composio.sessionConfigs.get(''), (e) => e instanceof ValidationError);
  await assert.rejects(composio.sessionConfigs.get('sc_missing'), (e) => e.status === 404);
  await assert.rejects(composio.sessionConfigs.list({ limit: 0 }), /positive integer/);
  await assert.rejects(composio.sessionConfigs.list({ archived: 'yes' }), /archived must be a boolean/);
  await assert.rejects(composio.sessionConfigs.list({ page: 2 }), /unknown option "page"/);
});

test('getClient(): raw calls with the client key, query, body and typed errors', async () => {
  const raw = composio.getClient();
  assert.equal(raw.baseURL, local.baseURL);
  const a = await raw.get('/api/v3.1/toolkits', { query: { limit: 2 } });
  const b = await raw.get('toolkits?limit=2');
  assert.equal(a.items.length, 2);
  assert.deepEqual(a.items, b.items);
  const s = await raw.post('/api/v3/tool_router/session', { body: { user_id: 'raw-user' } });
  assert.match(s.session_id, /^trs_/);
  const got = await raw.get(`tool_router/session/${s.session_id}`);
  assert.equal(got.config.user_id, 'raw-user');
  const sub = await raw.post('webhook_subscriptions', { body: { webhook_url: 'https://example.com/h', enabled_events: ['composio.trigger.message'] } });
  const patched = await raw.patch(`webhook_subscriptions/${sub.id}`, { body: { version: 'V2' } });
  assert.equal(patched.version, 'V2');
  assert.deepEqual(await raw.delete(`webhook_subscriptions/${sub.id}`), { success: true });

  await assert.rejects(raw.get('tool_router/session/trs_nope'), (e) => e.status === 404 && typeof e.requestId === 'string');
  await assert.rejects(raw.request('TRACE', 'toolkits'), (e) => e instanceof ValidationError && /unsupported method/.test(e.message));
  await assert.rejects(raw.get(''), /non-empty/);
  await assert.rejects(raw.get('toolkits', { headers: { a: 'b' } }), /unknown option "headers"/);
  const wrong = new Composio({ apiKey: 'wrong-key', baseURL: local.baseURL }).getClient();
  await assert.rejects(wrong.get('toolkits'), (e) => e.status === 401);
});
