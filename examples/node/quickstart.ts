/**
 * Quickstart (TypeScript): a session and its tools in OpenAI format, a
 * model's tool call executed, a direct execution at a pinned version, then a
 * connection through the connect page, a trigger on it, the realtime event
 * and the signed webhook a new note fires, received and verified.
 *
 * Runs against a composio-local it starts (`composio-local serve --port 0`,
 * from COMPOSIO_LOCAL_BIN or PATH) unless COMPOSIO_API_KEY is set, in which
 * case it uses the hosted API (or COMPOSIO_BASE_URL) for the tools part.
 *
 *   npm install composio-rs && npx tsc -p . && node dist/quickstart.js
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Composio, type IncomingTriggerPayload } from 'composio-rs';

interface Backend {
  apiKey: string;
  baseURL?: string;
  stop: () => Promise<void>;
}

/** Starts composio-local on a free port and reads the lines it prints. */
async function startLocal(): Promise<Backend> {
  const bin = process.env.COMPOSIO_LOCAL_BIN ?? 'composio-local';
  const data = mkdtempSync(path.join(tmpdir(), 'composio-quickstart-'));
  const child: ChildProcess = spawn(bin, ['serve', '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'inherit'] });
  const env = await new Promise<{ baseURL: string; apiKey: string }>((resolve, reject) => {
    let out = '';
    child.on('error', (e) => reject(new Error(`could not start ${bin}: ${e.message} (set COMPOSIO_LOCAL_BIN)`)));
    child.on('exit', (code) => reject(new Error(`composio-local exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /COMPOSIO_BASE_URL=(\S+)/.exec(out);
      const key = /COMPOSIO_API_KEY=(\S+)/.exec(out);
      if (url && key) resolve({ baseURL: url[1]!, apiKey: key[1]! });
    });
  });
  child.removeAllListeners('exit');
  return {
    ...env,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

async function backend(): Promise<{ backend: Backend; local: boolean }> {
  const apiKey = process.env.COMPOSIO_API_KEY;
  if (apiKey) {
    const b: Backend = { apiKey, stop: async () => {} };
    if (process.env.COMPOSIO_BASE_URL) b.baseURL = process.env.COMPOSIO_BASE_URL;
    return { backend: b, local: false };
  }
  return { backend: await startLocal(), local: true };
}

/** A session, its tools for the model, a model's tool call and a direct execution. */
async function toolsAndToolCalls(composio: Composio): Promise<void> {
  const session = await composio.create('demo_user', { toolkits: ['text'] });
  console.log(`session ${session.sessionId} (MCP at ${session.mcp.url})`);

  const tools = await session.tools();
  console.log(`${tools.length} tools for the model:`);
  for (const t of tools) console.log(`  - ${t.function.name}`);

  // The model calls a tool; the provider executes the call and formats the result.
  const completion = {
    choices: [
      {
        message: {
          role: 'assistant',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'TEXT_WORD_COUNT', arguments: JSON.stringify({ text: 'Composio gives agents tools.' }) },
            },
          ],
        },
      },
    ],
  };
  const messages = await composio.provider.handleToolCalls('demo_user', completion);
  console.log(`tool message for the model: ${JSON.stringify(messages[0])}`);

  const result = await composio.tools.execute('TEXT_TRANSFORM_CASE', {
    userId: 'demo_user',
    arguments: { text: 'Hello from composio-rs', case: 'snake' },
  });
  console.log(`TEXT_TRANSFORM_CASE -> ${JSON.stringify(result.data)}`);
}

/** Connect page, trigger, realtime event and verified webhook (composio-local). */
async function connectionTriggerAndWebhook(composio: Composio): Promise<void> {
  // 1. The app asks for a connection; the user opens the link and types
  //    their API key on the page (done here by posting the form).
  const session = await composio.create('demo_user', { toolkits: ['notes'] });
  const request = await session.authorize('notes');
  console.log(`connect link: ${request.redirectUrl}`);
  const form = await fetch(request.redirectUrl!, { method: 'POST', body: new URLSearchParams({ api_key: 'demo-notes-key' }) });
  if (!form.ok) throw new Error(`the connect page answered ${form.status}`);
  const account = await request.waitForConnection(30_000);
  console.log(`connected account ${account.id} is ${account.status}`);

  // 2. A local endpoint receives webhooks; Composio signs each delivery.
  let deliver: (d: { headers: IncomingHttpHeaders; body: string }) => void = () => {};
  const delivery = new Promise<{ headers: IncomingHttpHeaders; body: string }>((r) => (deliver = r));
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.end('ok');
      deliver({ headers: req.headers, body });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  const subscription = await composio.webhooks.subscriptions.create({
    webhookUrl: endpoint,
    enabledEvents: ['composio.trigger.message'],
    version: 'V3',
  });

  // 3. A trigger on the account, a realtime subscription, and a note that fires it.
  const trigger = await composio.triggers.create('demo_user', 'NOTES_NOTE_CREATED');
  console.log(`trigger ${trigger.triggerId} listening`);
  let realtime: (e: IncomingTriggerPayload) => void = () => {};
  const event = new Promise<IncomingTriggerPayload>((r) => (realtime = r));
  await composio.triggers.subscribe((e) => realtime(e), { triggerSlug: ['NOTES_NOTE_CREATED'], userId: 'demo_user' });
  await session.execute('NOTES_CREATE_NOTE', { title: 'Launch', content: 'Ship composio-rs' });

  const live = await event;
  console.log(`realtime event: ${live.triggerSlug} for ${live.userId} -> ${JSON.stringify(live.payload)}`);
  await composio.triggers.unsubscribe();

  // 4. The webhook arrives and is verified with the subscription's secret.
  const { headers, body } = await delivery;
  const verified = await composio.triggers.verifyWebhook({
    id: String(headers['webhook-id']),
    payload: body,
    secret: subscription.secret!,
    signature: String(headers['webhook-signature']),
    timestamp: String(headers['webhook-timestamp']),
  });
  const p = verified.payload as { triggerSlug?: string; userId?: string; payload?: unknown };
  console.log(`verified ${verified.version} webhook: ${p.triggerSlug} for ${p.userId} -> ${JSON.stringify(p.payload)}`);
  server.close();
}

async function main(): Promise<void> {
  const { backend: b, local } = await backend();
  try {
    const composio = new Composio({ apiKey: b.apiKey, baseURL: b.baseURL ?? null, toolkitVersions: { text: '20251201_00' } });
    console.log(local ? `composio-local running at ${b.baseURL}` : `using ${b.baseURL ?? 'the hosted API'}`);
    await toolsAndToolCalls(composio);
    if (local) await connectionTriggerAndWebhook(composio);
  } finally {
    await b.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
