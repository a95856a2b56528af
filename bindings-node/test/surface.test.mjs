// Entry points of @composio/core (0.8 and 0.21) added in the surface audit.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Composio, ValidationError, WebhookEventTypes } from 'composio-rs';
import { startHttp, startLocal } from './helpers.mjs';

let local;
let composio;
before(async () => {
  local = await startLocal();
  composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL });
});
after(async () => local.stop());

describe('against composio-local', () => {
  test('getToolsEnum (the API answers a bare list of slugs) and getInput', async () => {
    const slugs = await composio.tools.getToolsEnum();
    assert.ok(Array.isArray(slugs) && slugs.includes('TEXT_WORD_COUNT') && slugs.includes('NOTES_CREATE_NOTE'), JSON.stringify(slugs).slice(0, 200));
    const input = await composio.tools.getInput('TEXT_FIND_REPLACE', {
      userId: 'default',
      text: 'text: hello world; find: world; replace: there; case sensitive: no',
    });
    assert.deepEqual(input.arguments, { text: 'hello world', find: 'world', replace: 'there', case_sensitive: false });
    assert.equal(input.error, null);
    const missing = await composio.tools.getInput('NOTES_CREATE_NOTE', { text: 'title: Groceries' });
    assert.equal(missing.arguments.title, 'Groceries');
    assert.match(missing.error, /content/);
  });

  test('toolkits.list is toolkits.get(query)', async () => {
    const listed = await composio.toolkits.list();
    const got = await composio.toolkits.get({});
    assert.deepEqual(listed.map((t) => t.slug), got.map((t) => t.slug));
    assert.ok(listed.some((t) => t.slug === 'notes'));
  });

  test('toolkits.authorize with an explicit authConfigId uses that auth config', async () => {
    const ac = await composio.authConfigs.create('notes', { type: 'use_composio_managed_auth', name: 'notes-explicit' });
    const req = await composio.toolkits.authorize('dora', 'notes', ac.id);
    assert.match(req.redirectUrl, /^http/);
    const account = await composio.connectedAccounts.get(req.id);
    assert.equal(account.authConfig.id, ac.id);
  });

  test('triggers.list is listTypes', async () => {
    const a = await composio.triggers.list({ toolkits: ['notes'] });
    const b = await composio.triggers.listTypes({ toolkits: ['notes'] });
    assert.deepEqual(a.items.map((t) => t.slug), b.items.map((t) => t.slug));
    assert.ok(a.items.some((t) => t.slug === 'NOTES_NOTE_CREATED'));
  });

  test('webhooks.subscriptions: create, get, list, update, rotateSecret, listEventTypes, set, delete', async () => {
    const subs = composio.webhooks.subscriptions;
    const created = await subs.create({ webhookUrl: 'http://127.0.0.1:9/hook', enabledEvents: [WebhookEventTypes.TRIGGER_MESSAGE], version: 'V3' });
    assert.match(created.id, /\S/);
    assert.equal(created.webhookUrl, 'http://127.0.0.1:9/hook');
    assert.equal(typeof created.secret, 'string');
    assert.deepEqual(created.enabledEvents, ['composio.trigger.message']);
    assert.equal((await subs.get(created.id)).id, created.id);
    const listed = await subs.list({ limit: 10 });
    assert.ok(listed.items.some((s) => s.id === created.id));
    const updated = await subs.update(created.id, { webhookUrl: 'http://127.0.0.1:9/other' });
    assert.equal(updated.webhookUrl, 'http://127.0.0.1:9/other');
    const rotated = await subs.rotateSecret(created.id);
    assert.equal(rotated.id, created.id);
    assert.notEqual(rotated.secret, created.secret);
    const types = await subs.listEventTypes();
    assert.ok(types.some((t) => t.eventType === 'composio.trigger.message'));
    const set = await subs.set({ webhookUrl: 'http://127.0.0.1:9/set' });
    assert.equal(set.id, created.id);
    assert.equal(set.webhookUrl, 'http://127.0.0.1:9/set');
    assert.equal((await subs.delete(created.id)).success, true);
    await assert.rejects(subs.create({ webhookUrl: 'ftp://x', enabledEvents: ['composio.trigger.message'] }), ValidationError);
    await assert.rejects(subs.create({ webhookUrl: 'http://x', enabledEvents: ['a'], secret: 'x' }), /unknown option "secret"/);
  });

  test('experimental.toolRouter.createSession, getRawToolRouterMetaTools and executeMetaTool', async () => {
    const viaSessions = await composio.sessions.create('erin', { toolkits: ['text'] });
    assert.equal((await composio.sessions.use(viaSessions.sessionId)).sessionId, viaSessions.sessionId);
    const beta = await composio.experimental.toolRouter.createSession('erin', { toolkits: ['text'] });
    assert.match(beta.sessionId, /^trs_/);
    assert.ok(beta.url.includes(beta.sessionId));
    const meta = await composio.tools.getRawToolRouterMetaTools(beta.sessionId, {
      modifySchema: ({ schema }) => ({ ...schema, description: 'changed' }),
    });
    assert.ok(meta.some((t) => t.slug === 'COMPOSIO_SEARCH_TOOLS'));
    assert.ok(meta.every((t) => t.description === 'changed' && t.inputParameters.type === 'object'));
    const r = await composio.tools.executeMetaTool('COMPOSIO_SEARCH_TOOLS', {
      sessionId: beta.sessionId,
      arguments: { queries: [{ use_case: 'convert text to upper case' }] },
    });
    assert.equal(r.successful, true);
    assert.ok(JSON.stringify(r.data).includes('TEXT_TRANSFORM_CASE'));
  });
});

describe('request headers, captured by a node:http server', () => {
  let api;
  before(async () => {
    api = await startHttp((r) => {
      const p = r.path.replace(/^\/api\/v3(\.1)?/, '');
      if (r.method === 'GET' && p === '/toolkits') return { json: { items: [], total_pages: 1 } };
      return undefined;
    });
  });
  after(async () => api.close());

  test('createSession({headers}) adds request headers to a new client', async () => {
    const c = new Composio({ apiKey: 'k', baseURL: api.url });
    const scoped = c.createSession({ headers: { 'x-tenant': 'acme' } });
    assert.ok(scoped instanceof Composio);
    await scoped.toolkits.get({});
    assert.equal(api.requests.at(-1).headers['x-tenant'], 'acme');
    await c.toolkits.get({});
    assert.equal(api.requests.at(-1).headers['x-tenant'], undefined);
  });
});
