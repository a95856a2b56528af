// composio.mcp: a round trip against composio-local (the generated URL serves
// MCP), then the exact requests @composio/core sends, captured by a real
// node:http server (a real backend cannot show request bodies).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Composio, ValidationError } from 'composio-rs';
import { startHttp, startLocal } from './helpers.mjs';

const SERVER = {
  id: 'mcp_1',
  name: 'personal-server',
  allowed_tools: ['GMAIL_FETCH_EMAILS'],
  auth_config_ids: ['ac_1'],
  toolkits: ['gmail', 'slack'],
  toolkit_icons: { gmail: 'https://icons/gmail.png' },
  commands: { claude: 'npx claude', cursor: 'npx cursor', windsurf: 'npx windsurf' },
  mcp_url: 'https://mcp.example/mcp_1',
  server_instance_count: 3,
  managed_auth_via_composio: true,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: '2025-01-02T00:00:00Z',
};

let api;
let composio;
before(async () => {
  api = await startHttp((r) => {
    const p = r.path.replace(/^\/api\/v3(\.1)?/, '');
    if (r.method === 'POST' && p === '/mcp/servers/custom') return { json: { ...SERVER, name: r.body.name } };
    if (r.method === 'GET' && p === '/mcp/servers') return { json: { items: [SERVER], current_page: 1, total_pages: 4 } };
    if (r.method === 'GET' && p === '/mcp/mcp_1') return { json: SERVER };
    if (r.method === 'GET' && p === '/mcp/mcp_missing') return { status: 404, json: { error: { message: 'MCP server not found', status: 404 } } };
    if (r.method === 'PATCH' && p === '/mcp/mcp_1') return { json: { ...SERVER, name: r.body.name ?? SERVER.name } };
    if (r.method === 'DELETE' && p === '/mcp/mcp_1') return { json: { id: 'mcp_1', deleted: true } };
    if (r.method === 'POST' && p === '/mcp/servers/generate') {
      return { json: { mcp_url: SERVER.mcp_url, user_ids_url: [`${SERVER.mcp_url}?user_id=${r.body.user_ids[0]}`], connected_account_urls: [] } };
    }
    return undefined;
  });
  composio = new Composio({ apiKey: 'test-key', baseURL: api.url });
});
after(async () => api.close());

function last(method, suffix) {
  const hits = api.requests.filter((r) => r.method === method && r.path.endsWith(suffix));
  assert.ok(hits.length > 0, `no ${method} …${suffix} in ${api.requests.map((r) => r.method + ' ' + r.path).join(', ')}`);
  return hits[hits.length - 1];
}

test('create sends toolkits, auth config ids, allowed tools and managed auth; returns MCPUrl and generate()', async () => {
  const server = await composio.mcp.create('personal-server', {
    toolkits: ['slack', { toolkit: 'gmail', authConfigId: 'ac_1' }],
    allowedTools: ['GMAIL_FETCH_EMAILS', 'SLACK_SEND_MESSAGE'],
    manuallyManageConnections: false,
  });
  const req = last('POST', '/mcp/servers/custom');
  assert.equal(req.headers['x-api-key'], 'test-key');
  assert.equal(req.body.name, 'personal-server');
  assert.deepEqual(req.body.toolkits, ['slack', 'gmail']);
  assert.deepEqual(req.body.auth_config_ids, ['ac_1']);
  assert.deepEqual(req.body.allowed_tools, ['GMAIL_FETCH_EMAILS', 'SLACK_SEND_MESSAGE']);
  assert.equal(req.body.managed_auth_via_composio, true);
  assert.equal(server.id, 'mcp_1');
  assert.equal(server.MCPUrl, SERVER.mcp_url);
  assert.deepEqual(server.allowedTools, ['GMAIL_FETCH_EMAILS']);
  assert.deepEqual(server.authConfigIds, ['ac_1']);
  assert.equal(server.commands.cursor, 'npx cursor');

  const instance = await server.generate('user-7');
  assert.deepEqual(instance, {
    id: 'mcp_1',
    name: 'personal-server',
    type: 'streamable_http',
    url: `${SERVER.mcp_url}?user_id=user-7`,
    userId: 'user-7',
    allowedTools: ['GMAIL_FETCH_EMAILS'],
    authConfigs: ['ac_1'],
  });
  const gen = last('POST', '/mcp/servers/generate');
  assert.deepEqual(gen.body, { mcp_server_id: 'mcp_1', user_ids: ['user-7'], managed_auth_by_composio: true });
});

test('manuallyManageConnections: true turns managed auth off on create, update and generate', async () => {
  await composio.mcp.create('manual-server', { toolkits: ['gmail'], manuallyManageConnections: true });
  assert.equal(last('POST', '/mcp/servers/custom').body.managed_auth_via_composio, false);
  await composio.mcp.update('mcp_1', { manuallyManageConnections: true });
  assert.deepEqual(last('PATCH', '/mcp/mcp_1').body, { managed_auth_via_composio: false });
  await composio.mcp.generate('u', 'mcp_1', { manuallyManageConnections: true });
  assert.equal(last('POST', '/mcp/servers/generate').body.managed_auth_by_composio, false);
});

test('list sends page_no/limit defaults and comma lists; items are camelCase', async () => {
  const all = await composio.mcp.list({});
  let req = last('GET', '/mcp/servers');
  assert.equal(req.query.page_no, '1');
  assert.equal(req.query.limit, '10');
  assert.equal(all.currentPage, 1);
  assert.equal(all.totalPages, 4);
  assert.deepEqual(all.items[0], {
    name: 'personal-server',
    allowedTools: ['GMAIL_FETCH_EMAILS'],
    id: 'mcp_1',
    authConfigIds: ['ac_1'],
    commands: SERVER.commands,
    MCPUrl: SERVER.mcp_url,
    toolkitIcons: SERVER.toolkit_icons,
    serverInstanceCount: 3,
    toolkits: ['gmail', 'slack'],
  });
  await composio.mcp.list({ page: 2, limit: 5, toolkits: ['github', 'slack'], authConfigs: ['ac_1', 'ac_2'], name: 'personal' });
  req = last('GET', '/mcp/servers');
  assert.deepEqual(
    { page_no: req.query.page_no, limit: req.query.limit, toolkits: req.query.toolkits, auth_config_ids: req.query.auth_config_ids, name: req.query.name },
    { page_no: '2', limit: '5', toolkits: 'github,slack', auth_config_ids: 'ac_1,ac_2', name: 'personal' },
  );
});

test('get, update (only given fields), delete; experimental.mcp is the same API', async () => {
  const got = await composio.experimental.mcp.get('mcp_1');
  assert.equal(got.serverInstanceCount, 3);
  assert.equal(got.MCPUrl, SERVER.mcp_url);
  const updated = await composio.mcp.update('mcp_1', { name: 'renamed-server', toolkits: [{ toolkit: 'gmail', authConfigId: 'ac_9' }], allowedTools: ['GMAIL_SEND_EMAIL'] });
  assert.deepEqual(last('PATCH', '/mcp/mcp_1').body, {
    name: 'renamed-server',
    toolkits: ['gmail'],
    auth_config_ids: ['ac_9'],
    allowed_tools: ['GMAIL_SEND_EMAIL'],
  });
  assert.equal(updated.name, 'renamed-server');
  assert.deepEqual(await composio.mcp.delete('mcp_1'), { id: 'mcp_1', deleted: true });
});

test('bad input is a ValidationError before any request; API errors keep their status', async () => {
  const before = api.requests.length;
  await assert.rejects(composio.mcp.create('abc', { toolkits: ['gmail'] }), ValidationError); // name too short
  await assert.rejects(composio.mcp.create('valid-name', { toolkits: [] }), ValidationError);
  await assert.rejects(composio.mcp.create('valid-name', { toolkits: ['gmail'], allowedtools: [] }), /unknown option "allowedtools"/);
  await assert.rejects(composio.mcp.list({ pageNo: 2 }), /unknown option "pageNo"/);
  assert.equal(api.requests.length, before);
  await assert.rejects(composio.mcp.get('mcp_missing'), (e) => e.status === 404 && /not found/.test(e.message));
});

test('against composio-local: create, list, get, update, generate (a working MCP endpoint), delete', async () => {
  const local = await startLocal();
  try {
    const c = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL });
    const server = await c.mcp.create('node text server', { toolkits: ['text'], allowedTools: ['TEXT_WORD_COUNT'] });
    assert.equal('toolkits' in server, false, 'create leaves toolkits out, like @composio/core');
    assert.deepEqual(server.allowedTools, ['TEXT_WORD_COUNT']);
    assert.equal(server.MCPUrl, `${local.baseURL}/v3/mcp/${server.id}`);
    const list = await c.mcp.list({ limit: 5 });
    assert.deepEqual(list.items.map((i) => [i.id, i.toolkits]), [[server.id, ['text']]]);
    assert.equal((await c.mcp.get(server.id)).name, 'node text server');
    const renamed = await c.mcp.update(server.id, { name: 'renamed by node' });
    assert.equal(renamed.name, 'renamed by node');

    const instance = await server.generate('node-user');
    assert.equal(instance.url, `${server.MCPUrl}?user_id=node-user`);
    assert.equal(instance.type, 'streamable_http');
    const rpc = async (method, params) => {
      const res = await fetch(instance.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
      });
      assert.equal(res.status, 200);
      return res.json();
    };
    const init = await rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'node-test', version: '1' } });
    assert.equal(init.result.serverInfo.name, 'composio-local');
    const tools = await rpc('tools/list', {});
    assert.deepEqual(tools.result.tools.map((t) => t.name), ['TEXT_WORD_COUNT']);

    await assert.rejects(c.mcp.create('bad toolkit', { toolkits: ['github'] }), (e) => e.status === 400 && /github/.test(e.message));
    await c.mcp.delete(server.id);
    await assert.rejects(c.mcp.get(server.id), (e) => e.status === 404);
  } finally {
    await local.stop();
  }
});
