// TypeScript snippets from the product docs (shared/seeds/docs), with only the
// import changed from '@composio/core' to 'composio-rs' and the tool slugs
// pointed at composio-local's no-auth `text` toolkit. The client reads
// COMPOSIO_API_KEY / COMPOSIO_BASE_URL from the environment, as in the docs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Composio } from 'composio-rs';
import { z } from 'zod/v3';
import { createServer } from 'node:http';
import { connectNotes, startLocal, TEXT_VERSION } from './helpers.mjs';

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

test('docs: subscribing-to-connection-expiry-events — re-auth link, then waitForConnection', async () => {
  const composio = new Composio();
  const session = await composio.create('user_123');
  const connectionRequest = await session.authorize('notes'); // the docs use "gmail"
  // Send this URL to the user (email, in-app notification, etc.)
  assert.match(connectionRequest.redirectUrl, /^http/);
  // (the user submits the connect page)
  const res = await fetch(connectionRequest.redirectUrl, { method: 'POST', body: new URLSearchParams({ api_key: 'notes-key' }) });
  assert.equal(res.ok, true);
  // Optionally wait for completion
  const connectedAccount = await connectionRequest.waitForConnection(60000);
  assert.match(connectedAccount.id, /\S/);
  assert.equal(connectedAccount.status, 'ACTIVE');
});

test('docs: setting-up-triggers/creating-triggers and managing-triggers — getType, create, listActive', async () => {
  const composio = new Composio();
  const userId = 'user-id-123435';
  const { account } = await connectNotes(composio, userId);
  // Check what configuration is required
  const triggerType = await composio.triggers.getType('NOTES_NOTE_CREATED'); // the docs use GITHUB_COMMIT_EVENT
  assert.equal(triggerType.config.type, 'object');
  assert.equal(typeof triggerType.payload.properties, 'object');
  // Create trigger with the required config
  const trigger = await composio.triggers.create(userId, 'NOTES_NOTE_CREATED', { triggerConfig: {} });
  assert.match(trigger.triggerId, /^ti_/);

  const active = await composio.triggers.listActive({ connectedAccountIds: [account.id] });
  const seen = [];
  for (const t of active.items) {
    seen.push(`${t.id} (${t.triggerName}) - disabled: ${t.disabledAt !== null}`);
  }
  assert.deepEqual(seen, [`${trigger.triggerId} (NOTES_NOTE_CREATED) - disabled: false`]);
  assert.equal(active.nextCursor ?? null, null);
});

test('docs: webhook-verification — a real signed delivery verified with triggers.verifyWebhook and triggers.parse (0.21 webhooks.subscriptions.set)', async () => {
  // The application's webhook receiver.
  const deliveries = [];
  let arrived;
  const first = new Promise((r) => (arrived = r));
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      arrived();
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  try {
    const composio = new Composio();
    const subscription = await composio.webhooks.subscriptions.set({ webhookUrl: `http://127.0.0.1:${receiver.address().port}/webhook` });
    process.env.COMPOSIO_WEBHOOK_SECRET = subscription.secret;
    const { session } = await connectNotes(composio, 'hook-user');
    await composio.triggers.create('hook-user', 'NOTES_NOTE_CREATED');
    await session.execute('NOTES_CREATE_NOTE', { title: 'signed', content: 'body' });
    await first;
    const req = { headers: deliveries[0].headers, body: deliveries[0].body };
    // --- the docs snippet ---
    const result = await composio.triggers.verifyWebhook({
      id: req.headers['webhook-id'],
      payload: req.body,
      signature: req.headers['webhook-signature'],
      timestamp: req.headers['webhook-timestamp'],
      secret: process.env.COMPOSIO_WEBHOOK_SECRET,
    });
    // result.version, result.payload, result.rawPayload
    assert.equal(result.version, 'V3');
    assert.equal(result.payload.triggerSlug, 'NOTES_NOTE_CREATED');
    assert.equal(result.payload.payload.title, 'signed');
    assert.deepEqual(result.rawPayload, JSON.parse(req.body));
    // 0.21: triggers.parse on the Express-style request (verifying) and on a fetch Request (parse only).
    const parsed = await composio.triggers.parse(req, { verifySecret: process.env.COMPOSIO_WEBHOOK_SECRET });
    assert.deepEqual(parsed, result);
    const fetchRequest = new Request('http://app.example/webhooks/composio', { method: 'POST', body: req.body, headers: { 'webhook-id': req.headers['webhook-id'] } });
    const unverified = await composio.triggers.parse(fetchRequest);
    assert.deepEqual(unverified.payload, result.payload);
    const verifiedFetch = await composio.triggers.parse(
      new Request('http://app.example/h', { method: 'POST', body: req.body, headers: { 'Webhook-Id': req.headers['webhook-id'], 'Webhook-Timestamp': req.headers['webhook-timestamp'], 'Webhook-Signature': req.headers['webhook-signature'] } }),
      { verifySecret: process.env.COMPOSIO_WEBHOOK_SECRET },
    );
    assert.equal(verifiedFetch.version, 'V3');
    await assert.rejects(composio.triggers.parse({ body: req.body, headers: {} }, { verifySecret: 'x' }), /missing signature header\(s\) 'webhook-id', 'webhook-timestamp', 'webhook-signature'/);
    await assert.rejects(composio.triggers.parse(req, { verifySecret: '' }), /verifySecret' was provided but is empty/);
    await assert.rejects(composio.triggers.parse(req, { verifySecret: 'wrong-secret' }), /signature/i);
    await assert.rejects(composio.triggers.parse({ body: 'not json', headers: {} }), (e) => e.name === 'ComposioWebhookPayloadError');
    await assert.rejects(composio.triggers.parse(req, { secret: 'x' }), /unknown option "secret"/);
    // A tampered body is refused (the docs return 401 here).
    await assert.rejects(
      composio.triggers.verifyWebhook({ ...{ id: req.headers['webhook-id'], signature: req.headers['webhook-signature'], timestamp: req.headers['webhook-timestamp'] }, payload: req.body.replace('signed', 'forged'), secret: process.env.COMPOSIO_WEBHOOK_SECRET }),
      /signature/i,
    );
  } finally {
    delete process.env.COMPOSIO_WEBHOOK_SECRET;
    receiver.close();
  }
});
