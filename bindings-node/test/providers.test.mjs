// Provider formats and handleToolCalls against the official TypeScript goldens
// (tests/fixtures/providers/golden/ts), compared as exact JSON text.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Composio, OpenAIProvider, OpenAIResponsesProvider, AnthropicProvider, GoogleProvider } from 'composio-rs';
import { FIXTURES } from './helpers.mjs';

const DIR = path.join(FIXTURES, 'providers');
const TOOLS = JSON.parse(readFileSync(path.join(DIR, 'tools.json'), 'utf8'));
const BY_SLUG = Object.fromEntries(TOOLS.map((t) => [t.slug, t]));
const SLUGS = TOOLS.map((t) => t.slug);
const USER = 'user-golden';
const golden = (name) => readFileSync(path.join(DIR, 'golden', 'ts', name), 'utf8');
const resp = (name) => JSON.parse(readFileSync(path.join(DIR, 'responses', name), 'utf8'));
const text = (v) => JSON.stringify(v, null, 2) + '\n';

// A JavaScript twin of tests/fixtures/providers/stub_server.py.
function stubResult(slug) {
  if (slug === 'GMAIL_FETCH_EMAILS') return { data: {}, error: 'Gmail quota exceeded', successful: false, log_id: `log_${slug}` };
  return {
    data: { slug, message: 'Créé ✓ — «ok» "quoted"', count: 2, nested: { a: [1, 2.5, null, true], z: 'é\n' } },
    error: null,
    successful: true,
    log_id: `log_${slug}`,
  };
}
let server;
let baseURL;
let calls = [];
before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const p = req.url.split('?')[0].replace(/\/$/, '');
      const parts = p.split('/');
      const send = (code, obj) => {
        const b = JSON.stringify(obj);
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(b);
      };
      if (req.method === 'GET' && p.endsWith('/tools')) return send(200, { items: TOOLS, next_cursor: null, total_pages: 1, current_page: 1, total_items: TOOLS.length });
      if (req.method === 'GET' && parts.at(-2) === 'tools' && BY_SLUG[parts.at(-1)]) return send(200, BY_SLUG[parts.at(-1)]);
      if (req.method === 'POST' && parts.at(-2) === 'execute' && parts.at(-3) === 'tools') {
        calls.push({ slug: parts.at(-1), arguments: JSON.parse(body || '{}').arguments });
        return send(200, stubResult(parts.at(-1)));
      }
      send(404, { error: { message: `not found ${p}`, status: 404 } });
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((r) => server.close(r)));

const providers = {
  openai: () => new OpenAIProvider(),
  openai_responses: () => new OpenAIResponsesProvider(),
  openai_responses_strict: () => new OpenAIResponsesProvider({ strict: true }),
  anthropic: () => new AnthropicProvider(),
  anthropic_cache: () => new AnthropicProvider({ cacheTools: true }),
  google: () => new GoogleProvider(),
};
const client = (provider) =>
  new Composio({
    apiKey: 'x',
    baseURL,
    allowTracking: false,
    disableVersionCheck: true,
    toolkitVersions: { github: '20250909_00', slack: '20250909_00', gmail: '20250909_00', hackernews: '20250909_00' },
    provider,
  });

test('every TypeScript golden file is covered', () => {
  const files = readdirSync(path.join(DIR, 'golden', 'ts'));
  const covered = new Set(['handle.openai_responses_items.json', 'mcp.json']);
  for (const name of Object.keys(providers)) for (const k of ['tools_get', 'wrap_tools', 'handle']) covered.add(`${k}.${name}.json`);
  for (const f of files) if (!f.startsWith('handle.openai_responses_strict')) assert.ok(covered.has(f) || f.startsWith('handle.'), f);
  assert.ok(files.length >= 20);
});

for (const [name, make] of Object.entries(providers)) {
  test(`provider ${name}: tools.get, wrapTools and handleToolCalls match the official output`, async (t) => {
    const provider = make();
    const composio = client(provider);
    assert.equal(text(await composio.tools.get(USER, { tools: SLUGS })), golden(`tools_get.${name}.json`));
    const raw = await composio.tools.getRawComposioTools({ tools: SLUGS });
    assert.equal(text(provider.wrapTools(raw)), golden(`wrap_tools.${name}.json`));

    let handleFile;
    try {
      handleFile = golden(`handle.${name}.json`);
    } catch {
      t.diagnostic(`no handle golden for ${name}`);
      return;
    }
    calls = [];
    let out;
    if (name === 'openai') out = await provider.handleToolCalls(USER, resp('openai_chat.json'));
    else if (name.startsWith('openai_responses')) out = await provider.handleResponse(USER, resp('openai_responses.json'));
    else if (name.startsWith('anthropic')) out = await provider.handleToolCalls(USER, resp('anthropic.json'));
    else {
      out = [];
      for (const cand of resp('google.json').candidates ?? [])
        for (const part of cand.content?.parts ?? []) {
          const fc = part.functionCall ?? part.function_call;
          if (fc) out.push(await provider.executeToolCall(USER, { name: fc.name, args: fc.args }));
        }
    }
    assert.equal(text({ result: out, executed: calls }), handleFile);
  });
}

test('Responses handleToolCalls accepts the bare output items', async () => {
  const provider = new OpenAIResponsesProvider();
  client(provider);
  calls = [];
  const out = await provider.handleToolCalls(USER, resp('openai_responses.json').output);
  assert.equal(text({ result: out, executed: calls }), golden('handle.openai_responses_items.json'));
});

test('wrapMcpServerResponse matches the official output', () => {
  const mcp = [{ url: 'https://mcp.composio.dev/composio/server/abc/mcp?user_id=u1', name: 'github-server' }];
  const out = {
    openai: new OpenAIProvider().wrapMcpServerResponse(mcp),
    openai_responses: new OpenAIResponsesProvider().wrapMcpServerResponse(mcp),
    anthropic: new AnthropicProvider().wrapMcpServerResponse(mcp),
    google: new GoogleProvider().wrapMcpServerResponse(mcp),
  };
  assert.equal(text(out), golden('mcp.json'));
});

test('handleToolCalls passes modifiers', async () => {
  const provider = new OpenAIProvider();
  client(provider);
  const completion = { choices: [{ message: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'SLACK_SEND_MESSAGE', arguments: '{"channel":"#a","text":"x"}' } }] } }] };
  calls = [];
  const out = await provider.handleToolCalls(USER, completion, {}, {
    beforeExecute: ({ params }) => ({ ...params, arguments: { ...params.arguments, text: 'changed' } }),
    afterExecute: async ({ result }) => ({ ...result, data: { replaced: true } }),
  });
  assert.equal(calls[0].arguments.text, 'changed');
  assert.equal(JSON.parse(out[0].content).data.replaced, true);
});
