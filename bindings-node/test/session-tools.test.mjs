// Session custom tools and toolkits (experimental_createTool /
// experimental_createToolkit, session.customTools()/customToolkits()),
// against a node:http stand-in for the tool-router API (composio-local
// refuses non-empty experimental.custom_tools).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { z } from 'zod';
import {
  BaseAgenticProvider,
  Composio,
  ValidationError,
  experimental_createTool,
  experimental_createToolkit,
} from 'composio-rs';
import { startHttp } from './helpers.mjs';

let api;
let created;
before(async () => {
  api = await startHttp((r) => {
    const p = r.path.replace(/^\/api\/v3(\.1)?/, '');
    if (r.method === 'POST' && p === '/tool_router/session') {
      created = r.body;
      return {
        json: {
          session_id: 'trs_local',
          mcp: { type: 'http', url: `${api.url}/mcp/trs_local` },
          tool_router_tools: ['COMPOSIO_MULTI_EXECUTE_TOOL'],
          config: { user_id: r.body.user_id },
        },
      };
    }
    if (r.method === 'POST' && p === '/tool_router/session/trs_local/execute') {
      return { json: { data: { remote: r.body.tool_slug, args: r.body.arguments }, error: null, log_id: 'log_r' } };
    }
    if (r.method === 'GET' && p === '/tool_router/session/trs_local/tools') {
      return {
        json: {
          items: [
            {
              slug: 'COMPOSIO_MULTI_EXECUTE_TOOL', name: 'Multi', description: 'Runs tools',
              toolkit: { slug: 'composio', name: 'Composio' },
              input_parameters: { type: 'object', properties: { tools: { type: 'array' } } },
              output_parameters: { type: 'object', properties: {} },
            },
          ],
        },
      };
    }
    return undefined;
  });
});
after(() => api.close());

function client(extra = {}) {
  return new Composio({ apiKey: 'test-key', baseURL: api.url, ...extra });
}

const calls = [];
const grep = experimental_createTool('GREP', {
  name: 'Grep',
  description: 'Searches text',
  inputParams: z.object({ pattern: z.string(), limit: z.number().default(3) }),
  outputParams: z.object({ matches: z.array(z.string()) }),
  execute: async (input, ctx) => {
    calls.push({ input, userId: ctx.userId, sessionId: ctx.sessionId });
    if (input.pattern === 'boom') throw new Error('grep exploded');
    return { matches: [input.pattern], limit: input.limit };
  },
});
const important = experimental_createTool('IMPORTANT', {
  name: 'Important mail',
  description: 'Important emails',
  extendsToolkit: 'gmail',
  inputParams: z.object({}),
  execute: async (_input, ctx) => {
    const local = await ctx.execute('GREP', { pattern: 'from-ctx' });
    const remote = await ctx.execute('GMAIL_SEARCH', { query: 'is:important' });
    return { local: local.data, remote: remote.data };
  },
});
const echo = experimental_createTool('ECHO', {
  name: 'Echo',
  description: 'Echoes',
  inputParams: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  execute: (input) => ({ echoed: input.text }),
});
const devTools = experimental_createToolkit('DEV_TOOLS', { name: 'Dev tools', description: 'Local utilities', tools: [echo] });

async function session(extra) {
  return client(extra).create('user-7', {
    toolkits: ['gmail'],
    experimental: { customTools: [grep, important], customToolkits: [devTools] },
  });
}

test('custom tools and toolkits are announced in the create body and listed with final slugs', async () => {
  const s = await session();
  const exp = created.experimental;
  assert.deepEqual(exp.custom_tools.map((t) => [t.slug, t.extends_toolkit]), [['GREP', undefined], ['IMPORTANT', 'gmail']]);
  assert.equal(exp.custom_tools[0].input_schema.properties.pattern.type, 'string');
  assert.deepEqual(exp.custom_tools[0].input_schema.required, ['pattern'], 'defaulted fields are optional (zod input mode)');
  assert.equal(exp.custom_tools[0].output_schema.properties.matches.type, 'array');
  assert.equal('$schema' in exp.custom_tools[0].input_schema, false);
  assert.deepEqual(exp.custom_toolkits.map((t) => [t.slug, t.tools.map((x) => x.slug)]), [['DEV_TOOLS', ['ECHO']]]);

  assert.deepEqual(s.customTools().map((t) => t.slug), ['LOCAL_GREP', 'LOCAL_GMAIL_IMPORTANT', 'LOCAL_DEV_TOOLS_ECHO']);
  const [g] = s.customTools();
  assert.equal(g.name, 'Grep');
  assert.equal(g.inputSchema.properties.pattern.type, 'string');
  assert.deepEqual(s.customTools({ toolkit: 'gmail' }).map((t) => [t.slug, t.toolkit]), [['LOCAL_GMAIL_IMPORTANT', 'gmail']]);
  const kits = s.customToolkits();
  assert.equal(kits.length, 1);
  assert.equal(kits[0].slug, 'DEV_TOOLS');
  assert.deepEqual(kits[0].tools.map((t) => [t.slug, t.toolkit]), [['LOCAL_DEV_TOOLS_ECHO', 'DEV_TOOLS']]);
});

test('session.execute runs local tools in-process, by final or original slug; ctx.execute reaches local and remote tools', async () => {
  const s = await session();
  const before = api.requests.length;
  calls.length = 0;
  const r = await s.execute('LOCAL_GREP', { pattern: 'abc' });
  assert.deepEqual(r, { data: { matches: ['abc'], limit: 3 }, error: null, logId: '' });
  assert.deepEqual(calls, [{ input: { pattern: 'abc', limit: 3 }, userId: 'user-7', sessionId: 'trs_local' }]);
  assert.equal(api.requests.length, before, 'no request for a local tool');
  assert.deepEqual((await s.execute('grep', { pattern: 'x' })).data.matches, ['x']);
  assert.deepEqual((await s.execute('LOCAL_DEV_TOOLS_ECHO', { text: 'hi' })).data, { echoed: 'hi' });

  const viaCtx = await s.execute('LOCAL_GMAIL_IMPORTANT', {});
  assert.equal(viaCtx.error, null);
  assert.deepEqual(viaCtx.data.local, { matches: ['from-ctx'], limit: 3 });
  assert.deepEqual(viaCtx.data.remote, { remote: 'GMAIL_SEARCH', args: { query: 'is:important' } });
  const remoteCall = api.requests.filter((q) => q.path.endsWith('/trs_local/execute')).at(-1);
  assert.deepEqual(remoteCall.body, { tool_slug: 'GMAIL_SEARCH', arguments: { query: 'is:important' } });
});

test('a throwing tool and invalid input come back as the result error, not as an exception', async () => {
  const s = await session();
  const thrown = await s.execute('LOCAL_GREP', { pattern: 'boom' });
  assert.deepEqual(thrown, { data: {}, error: 'grep exploded', logId: '' });
  const invalid = await s.execute('LOCAL_GREP', { pattern: 42 });
  assert.match(invalid.error, /pattern/);
  assert.deepEqual(invalid.data, {});
});

test('meta tool calls through an agentic provider route local items in-process', async () => {
  class Direct extends BaseAgenticProvider {
    name = 'direct';
    wrapTool(tool, execute) {
      return { slug: tool.slug, run: (input) => execute(tool.slug, input) };
    }
    wrapTools(tools, execute) {
      return tools.map((t) => this.wrapTool(t, execute));
    }
  }
  const s = await session({ provider: new Direct() });
  const [multi] = await s.tools();
  const out = await multi.run({ tools: [{ tool_slug: 'LOCAL_DEV_TOOLS_ECHO', arguments: { text: 'multi' } }] });
  assert.equal(out.successful, true);
  assert.deepEqual(out.data, { echoed: 'multi' });
});

test('definitions are checked like @composio/core', () => {
  assert.throws(() => experimental_createTool('LOCAL_X', { name: 'n', description: 'd', inputParams: z.object({}), execute: () => 1 }), ValidationError);
  assert.throws(() => experimental_createTool('bad slug', { name: 'n', description: 'd', inputParams: z.object({}), execute: () => 1 }), /A-Za-z0-9_-/);
  assert.throws(() => experimental_createTool('X', { name: 'n', description: 'd', inputParams: z.object({}) }), /execute must be a function/);
  assert.throws(() => experimental_createTool('X', { name: 'n', description: 'd', execute: () => 1 }), /inputParams is required/);
  assert.throws(() => experimental_createToolkit('KIT', { name: 'n', description: 'd', tools: [important] }), /extendsToolkit/);
  assert.throws(() => experimental_createToolkit('KIT', { name: 'n', description: 'd', tools: [] }), /at least one tool/);
});

test('duplicate final slugs are refused by the engine before any request', async () => {
  const before = api.requests.length;
  const twin = experimental_createTool('grep', { name: 'g', description: 'd', inputParams: z.object({}), execute: () => 1 });
  await assert.rejects(
    client().create('u', { experimental: { customTools: [grep, twin] } }),
    (e) => e instanceof ValidationError && /GREP/i.test(e.message),
  );
  assert.equal(api.requests.length, before);
});
