// The official TypeScript SDK (`@composio/core` from npm) against a real composio-local process.
//
// Run by tests/compat/run.sh with `node --test`, which exports COMPOSIO_BASE_URL and
// COMPOSIO_API_KEY of a composio-local started for this suite (its own data folder), and
// COMPOSIO_COMPAT_JS_DIR: the throwaway npm project (outside the repository) holding the SDK.
//
// Only documented, ordinary SDK calls are used; the connect page is completed by posting its
// HTML form with fetch, as a browser would.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite through tests/compat/run.sh`);
  return value;
}

const BASE_URL = env('COMPOSIO_BASE_URL');
const API_KEY = env('COMPOSIO_API_KEY');
const JS_DIR = env('COMPOSIO_COMPAT_JS_DIR');

// The official SDK lives in the throwaway project, not beside this file: resolve it from there.
const corePath = createRequire(join(JS_DIR, 'package.json')).resolve('@composio/core');
const core = await import(pathToFileURL(corePath).href);
const { Composio } = core;

// composio-local's built-in toolkits all publish this version; the SDK refuses a manual
// execute whose toolkit version resolves to "latest", so pin it.
const TOOLKIT_VERSION = '20251201_00';
const TOOLKIT_VERSIONS = { notes: TOOLKIT_VERSION, text: TOOLKIT_VERSION, tasks: TOOLKIT_VERSION };

const uid = (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`;

// ------------------------------------------------------------------ a local HTTP endpoint

function startReceiver() {
  const deliveries = [];
  const callbacks = [];
  let waiters = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } else {
        callbacks.push(Object.fromEntries(new URL(req.url, 'http://x').searchParams));
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>callback received</body></html>');
      }
      wake();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url,
        deliveries,
        callbacks,
        async waitDelivery(pred, timeoutMs = 30_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const hit = deliveries.find(pred);
            if (hit) return hit;
            const left = deadline - Date.now();
            if (left <= 0) {
              throw new Error(
                `no matching webhook delivery within ${timeoutMs} ms; got ${deliveries.length}: ` +
                  deliveries.map((d) => d.body.toString().slice(0, 200)).join('; '),
              );
            }
            await new Promise((r) => {
              const t = setTimeout(r, left);
              waiters.push(() => {
                clearTimeout(t);
                r();
              });
            });
          }
        },
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}

// Open `url` (following redirects), fill the page's single form with `fields` (each must name a
// field or a submit button of the form: a browser sends only the clicked button) and submit it,
// following redirects. Returns the final Response.
async function submitPageForm(url, fields) {
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  assert.equal(forms.length, 1, `expected one form on ${page.url}:\n${html}`);
  const attr = (tag, name) => (tag.match(new RegExp(`\\b${name}="([^"]*)"`, 'i')) ?? [])[1];
  const [, formAttrs, inner] = forms[0];
  assert.equal((attr(formAttrs, 'method') ?? 'get').toLowerCase(), 'post');
  const body = new URLSearchParams();
  const buttons = [];
  for (const [tag] of inner.matchAll(/<(?:input|button)\b[^>]*>/gi)) {
    const name = attr(tag, 'name');
    if (!name) continue;
    const value = attr(tag, 'value') ?? '';
    if (/^<button/i.test(tag) || attr(tag, 'type') === 'submit') buttons.push(`${name}=${value}`);
    else body.set(name, value);
  }
  for (const [name, value] of Object.entries(fields)) {
    assert.ok(body.has(name) || buttons.includes(`${name}=${value}`), `no field or button ${name}=${value} in:\n${inner}`);
    body.set(name, value);
  }
  const action = new URL(attr(formAttrs, 'action') ?? '', page.url).href;
  return fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
}

// The API-key connect page: type the key and submit.
const completeApiKeyConnectPage = (redirectUrl, apiKey) => submitPageForm(redirectUrl, { api_key: apiKey });

// ------------------------------------------------------------------ shared state

let composio;
let receiver;
let webhookSecret;

before(async () => {
  composio = new Composio({
    apiKey: API_KEY,
    baseURL: BASE_URL,
    allowTracking: false,
    disableVersionCheck: true,
    toolkitVersions: TOOLKIT_VERSIONS,
  });
  receiver = await startReceiver();
  const sub = await composio.webhooks.subscriptions.set({ webhookUrl: `${receiver.url}/webhook` });
  assert.equal(sub.webhookUrl, `${receiver.url}/webhook`);
  assert.equal(sub.version, 'V3');
  assert.deepEqual(sub.enabledEvents, ['composio.trigger.message']);
  assert.ok(sub.secret, 'subscription create must return the signing secret');
  webhookSecret = sub.secret;
});

after(async () => {
  await receiver?.close();
});

// session → authorize(notes) → complete the connect page → waitForConnection
async function connectNotes(userId, callbackUrl) {
  const session = await composio.create(userId, { toolkits: ['notes', 'text'] });
  const request = await session.authorize('notes', callbackUrl ? { callbackUrl } : undefined);
  assert.match(request.id, /^ca_/);
  assert.ok(request.redirectUrl?.startsWith(BASE_URL), request.redirectUrl);
  const done = await completeApiKeyConnectPage(request.redirectUrl, `key-${userId}`);
  assert.equal(done.status, 200);
  const account = await request.waitForConnection(30_000);
  assert.equal(account.status, 'ACTIVE');
  assert.equal(account.id, request.id);
  return { session, request, finalUrl: done.url };
}

// ------------------------------------------------------------------ tests

test('session → tools → authorize → connect page → execute → trigger → signed webhook → verifyWebhook', async () => {
  const userId = uid('ts-flow');
  const { session, request, finalUrl } = await connectNotes(userId, `${receiver.url}/callback`);
  assert.ok(session.sessionId);

  const tools = await session.tools();
  const names = new Set(tools.map((t) => t.function.name));
  for (const meta of ['COMPOSIO_SEARCH_TOOLS', 'COMPOSIO_MULTI_EXECUTE_TOOL', 'COMPOSIO_MANAGE_CONNECTIONS']) {
    assert.ok(names.has(meta), `session tools lack ${meta}: ${[...names]}`);
  }
  assert.ok(tools.every((t) => t.type === 'function'));

  // the connect page sent the browser back to callbackUrl with the outcome appended
  assert.ok(finalUrl.startsWith(`${receiver.url}/callback`), finalUrl);
  assert.ok(
    receiver.callbacks.some((c) => c.status === 'success' && c.connected_account_id === request.id),
    JSON.stringify(receiver.callbacks),
  );

  const toolkits = await session.toolkits();
  const notes = toolkits.items.find((t) => t.slug === 'notes');
  assert.ok(notes?.connection?.isActive, JSON.stringify(notes));
  assert.equal(notes.connection.connectedAccount?.id, request.id);

  const listed = await session.execute('NOTES_LIST_NOTES', {});
  assert.equal(listed.error, null);
  assert.equal(listed.data.total, 0);

  const trigger = await composio.triggers.create(userId, 'NOTES_NOTE_CREATED', {
    triggerConfig: { tag: 'compat' },
  });
  assert.match(trigger.triggerId, /^ti_/);
  const active = await composio.triggers.listActive({ triggerIds: [trigger.triggerId] });
  assert.deepEqual(
    active.items.map((i) => i.id),
    [trigger.triggerId],
  );

  const created = await composio.tools.execute('NOTES_CREATE_NOTE', {
    userId,
    arguments: { title: 'compat', content: 'from the official TS SDK', tags: ['compat'] },
  });
  assert.equal(created.successful, true, JSON.stringify(created));
  const noteId = created.data.note.id;

  const { headers, body } = await receiver.waitDelivery((d) => d.body.includes(noteId));
  for (const h of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    assert.ok(headers[h], `delivery lacks header ${h}`);
  }
  const verified = await composio.triggers.verifyWebhook({
    id: headers['webhook-id'],
    payload: body.toString(),
    secret: webhookSecret,
    signature: headers['webhook-signature'],
    timestamp: headers['webhook-timestamp'],
  });
  assert.equal(verified.version, 'V3');
  assert.equal(verified.payload.triggerSlug, 'NOTES_NOTE_CREATED');
  assert.equal(verified.payload.id, trigger.triggerId);
  assert.equal(verified.payload.userId, userId);
  assert.equal(verified.payload.toolkitSlug.toLowerCase(), 'notes');
  assert.equal(verified.payload.metadata.connectedAccount.id, request.id);
  assert.equal(verified.payload.payload.id, noteId);
  assert.deepEqual(verified.payload.payload.tags, ['compat']);
  const raw = JSON.parse(body.toString());
  assert.equal(raw.type, 'composio.trigger.message');
  assert.equal(raw.metadata.trigger_id, trigger.triggerId);

  await assert.rejects(
    composio.triggers.verifyWebhook({
      id: headers['webhook-id'],
      payload: body.toString().replace('compat', 'kompat'),
      secret: webhookSecret,
      signature: headers['webhook-signature'],
      timestamp: headers['webhook-timestamp'],
    }),
    core.ComposioWebhookSignatureVerificationError,
  );
});

test('tools.get returns OpenAI-format tools (default provider)', async () => {
  const tools = await composio.tools.get('ts-tools', { toolkits: ['text'] });
  const byName = Object.fromEntries(tools.map((t) => [t.function.name, t]));
  const wc = byName.TEXT_WORD_COUNT;
  assert.ok(wc, `TEXT_WORD_COUNT missing: ${Object.keys(byName)}`);
  assert.equal(wc.type, 'function');
  assert.ok(wc.function.description);
  assert.equal(wc.function.parameters.type, 'object');
  assert.ok('text' in wc.function.parameters.properties);

  const one = await composio.tools.get('ts-tools', 'TEXT_TRANSFORM_CASE');
  assert.deepEqual(
    one.map((t) => t.function.name),
    ['TEXT_TRANSFORM_CASE'],
  );
});

test('tools.execute with a pinned version', async () => {
  const result = await composio.tools.execute('TEXT_WORD_COUNT', {
    userId: 'ts-exec',
    arguments: { text: 'one two three' },
    version: TOOLKIT_VERSION,
  });
  assert.equal(result.successful, true, JSON.stringify(result));
  assert.equal(result.error, null);
  assert.equal(result.data.words, 3);
});

test('connectedAccounts.list and get', async () => {
  const userId = uid('ts-accounts');
  const { request } = await connectNotes(userId);
  const listed = await composio.connectedAccounts.list({ userIds: [userId] });
  assert.deepEqual(
    listed.items.map((a) => a.id),
    [request.id],
  );
  assert.equal(listed.items[0].status, 'ACTIVE');
  assert.equal(listed.items[0].toolkit.slug, 'notes');

  const one = await composio.connectedAccounts.get(request.id);
  assert.equal(one.id, request.id);
  assert.equal(one.status, 'ACTIVE');
  assert.match(one.authConfig.id, /^ac_/);

  const filtered = await composio.connectedAccounts.list({
    userIds: [userId],
    toolkitSlugs: ['notes'],
    statuses: ['ACTIVE'],
  });
  assert.deepEqual(
    filtered.items.map((a) => a.id),
    [request.id],
  );
});

test('toolkits.get lists and fetches toolkits', async () => {
  const list = await composio.toolkits.get();
  const slugs = new Set(list.map((t) => t.slug));
  for (const s of ['text', 'notes', 'tasks']) assert.ok(slugs.has(s), `missing toolkit ${s}: ${[...slugs]}`);
  const notes = await composio.toolkits.get('notes');
  assert.equal(notes.slug, 'notes');
  assert.ok(notes.name);
});

test('triggers.create for a user without a connection is refused; an unknown trigger type is the SDK’s error', async () => {
  // An API error the SDK passes through: @composio/client's NotFoundError (an APIError).
  await assert.rejects(composio.triggers.create('ts-nobody', 'NOTES_NOTE_CREATED'), (err) => {
    assert.equal(err?.constructor?.name, 'NotFoundError', String(err));
    assert.equal(err.status, 404);
    assert.equal(err.error?.error?.code, 1803);
    assert.match(err.error.error.message, /ts-nobody/);
    assert.match(err.error.error.message, /notes/);
    return true;
  });
  await assert.rejects(
    composio.triggers.create('ts-nobody', 'NOTES_NO_SUCH_TRIGGER'),
    core.ComposioTriggerTypeNotFoundError,
  );

  // Pinning another user's account is refused; pinning the user's own works.
  const owner = uid('ts-owner');
  const { request } = await connectNotes(owner);
  await assert.rejects(
    composio.triggers.create('ts-intruder', 'NOTES_NOTE_CREATED', { connectedAccountId: request.id }),
    (err) => {
      assert.equal(err.status, 400, String(err));
      assert.match(err.error.error.message, new RegExp(request.id));
      return true;
    },
  );
  const pinned = await composio.triggers.create(owner, 'NOTES_NOTE_CREATED', { connectedAccountId: request.id });
  assert.match(pinned.triggerId, /^ti_/);
});

test('an unknown tool raises the SDK’s own error class', async () => {
  await assert.rejects(
    composio.tools.execute('NO_SUCH_TOOL_XYZ', { userId: 'ts-err', arguments: {}, version: TOOLKIT_VERSION }),
    (err) => {
      assert.ok(err instanceof core.ComposioToolNotFoundError, `not a ComposioToolNotFoundError: ${err?.constructor?.name}: ${err}`);
      assert.ok(err instanceof core.ComposioError);
      assert.equal(err.code, 'TS-SDK::TOOL_NOT_FOUND');
      assert.match(err.message, /NO_SUCH_TOOL_XYZ/);
      return true;
    },
  );
});

test('OAuth2 toolkit: consent approved → ACTIVE and a tool runs; consent refused → FAILED', async () => {
  const userId = uid('ts-oauth');
  const session = await composio.create(userId, { toolkits: ['tasks'] });
  const request = await session.authorize('tasks', { callbackUrl: `${receiver.url}/callback` });
  const done = await submitPageForm(request.redirectUrl, { decision: 'approve' });
  assert.equal(done.status, 200);
  assert.ok(done.url.startsWith(`${receiver.url}/callback?`), done.url);
  const account = await request.waitForConnection(30_000);
  assert.equal(account.status, 'ACTIVE');
  assert.equal(account.authConfig.authScheme, 'OAUTH2');

  const result = await session.execute('TASKS_CREATE_TASK', { title: 'from the official TS SDK' });
  assert.equal(result.error, null);
  assert.equal(result.data.task.title, 'from the official TS SDK');

  const refused = await session.authorize('tasks', { callbackUrl: `${receiver.url}/callback` });
  const denied = await submitPageForm(refused.redirectUrl, { decision: 'deny' });
  const params = Object.fromEntries(new URL(denied.url).searchParams);
  assert.deepEqual(params, { status: 'failed', connected_account_id: refused.id });
  await assert.rejects(refused.waitForConnection(30_000), core.ConnectionRequestFailedError);
  assert.equal((await composio.connectedAccounts.get(refused.id)).status, 'FAILED');
});

// A chat completion whose assistant message asks for `calls` ([name, arguments] pairs).
function completion(...calls) {
  return {
    id: 'chatcmpl-compat',
    object: 'chat.completion',
    created: 0,
    model: 'compat-test',
    choices: [
      {
        index: 0,
        finish_reason: 'tool_calls',
        logprobs: null,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: calls.map(([name, args], i) => ({
            id: `call_${i}`,
            type: 'function',
            function: { name, arguments: JSON.stringify(args) },
          })),
        },
      },
    ],
  };
}

test('the OpenAI provider runs a model’s tool calls, for a user and through a session', async () => {
  const direct = await composio.provider.handleToolCalls(
    'ts-provider',
    completion(['TEXT_WORD_COUNT', { text: 'a b c d' }]),
  );
  assert.equal(direct.length, 1);
  assert.equal(direct[0].role, 'tool');
  assert.equal(direct[0].tool_call_id, 'call_0');
  const wc = JSON.parse(direct[0].content);
  assert.equal(wc.successful, true, direct[0].content);
  assert.equal(wc.data.words, 4);

  const userId = uid('ts-provider');
  await connectNotes(userId);
  const session = await composio.create(userId, { toolkits: ['notes'] });
  const results = await composio.provider.handleToolCalls(
    session,
    completion(
      ['COMPOSIO_SEARCH_TOOLS', { queries: [{ use_case: 'create a note' }] }],
      [
        'COMPOSIO_MULTI_EXECUTE_TOOL',
        { tools: [{ tool_slug: 'NOTES_CREATE_NOTE', arguments: { title: 'via provider', content: 'x' } }] },
      ],
    ),
  );
  assert.equal(results.length, 2);
  assert.match(results[0].content, /NOTES_CREATE_NOTE/);
  assert.match(results[1].content, /via provider/);
  for (const r of results) assert.doesNotMatch(r.content, /"successful":\s*false/, r.content);
});

test('official session.update / listConfigHistory / delete against composio-local', async () => {
  const session = await composio.create(uid('compat-update'), { toolkits: ['notes'] });
  assert.equal(session.configVersion, 1);
  await session.update({ toolkits: null, expectedConfigVersion: 1 });
  assert.equal(session.configVersion, 2);
  await assert.rejects(
    session.update({ tags: null, expectedConfigVersion: 1 }),
    (err) => err instanceof core.ComposioSessionConfigConflictError,
  );
  const history = await session.listConfigHistory({ limit: 1 });
  assert.equal(history.items.length, 1);
  assert.equal(history.items[0].version, 2);
  assert.ok(history.nextCursor, JSON.stringify(history));
  const deleted = await session.delete();
  assert.equal(deleted.deleted, true);
  await assert.rejects(session.delete());
});
