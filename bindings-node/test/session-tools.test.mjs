// Session custom tools and toolkits (experimental_createTool /
// experimental_createToolkit, session.customTools()/customToolkits(),
// composio.use(id, {customTools})) against composio-local.
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
import { startLocal, TEXT_VERSION } from './helpers.mjs';

let local;
before(async () => {
  local = await startLocal();
});
after(async () => local.stop());

function client(extra = {}) {
  return new Composio({ apiKey: local.apiKey, baseURL: local.baseURL, toolkitVersions: { text: TEXT_VERSION }, ...extra });
}

/** What the server stored for a session (its echo of the announced definitions). */
async function stored(sessionId) {
  return client().getClient().get(`/api/v3.1/tool_router/session/${sessionId}`);
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
const counted = experimental_createTool('COUNTED', {
  name: 'Counted words',
  description: 'Counts words through the text toolkit',
  extendsToolkit: 'text',
  inputParams: z.object({}),
  execute: async (_input, ctx) => {
    const localResult = await ctx.execute('GREP', { pattern: 'from-ctx' });
    const remote = await ctx.execute('TEXT_WORD_COUNT', { text: 'one two three' });
    return { local: localResult.data, remote: remote.data };
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
    toolkits: ['text'],
    experimental: { customTools: [grep, counted], customToolkits: [devTools] },
  });
}

test('custom tools and toolkits are announced in the create body and listed with final slugs', async () => {
  const s = await session();
  const exp = (await stored(s.sessionId)).experimental;
  assert.deepEqual(exp.custom_tools.map((t) => [t.original_slug, t.slug, t.toolkit]), [
    ['GREP', 'LOCAL_GREP', undefined],
    ['COUNTED', 'LOCAL_TEXT_COUNTED', 'text'],
  ]);
  assert.equal(exp.custom_tools[0].input_schema.properties.pattern.type, 'string');
  assert.deepEqual(exp.custom_tools[0].input_schema.required, ['pattern'], 'defaulted fields are optional (zod input mode)');
  assert.equal(exp.custom_tools[0].output_schema.properties.matches.type, 'array');
  assert.equal('$schema' in exp.custom_tools[0].input_schema, false);
  assert.deepEqual(exp.custom_toolkits.map((t) => [t.slug, t.tools.map((x) => x.slug)]), [['DEV_TOOLS', ['LOCAL_DEV_TOOLS_ECHO']]]);

  assert.deepEqual(s.customTools().map((t) => t.slug), ['LOCAL_GREP', 'LOCAL_TEXT_COUNTED', 'LOCAL_DEV_TOOLS_ECHO']);
  const [g] = s.customTools();
  assert.equal(g.name, 'Grep');
  assert.equal(g.inputSchema.properties.pattern.type, 'string');
  assert.deepEqual(s.customTools({ toolkit: 'text' }).map((t) => [t.slug, t.toolkit]), [['LOCAL_TEXT_COUNTED', 'text']]);
  const kits = s.customToolkits();
  assert.equal(kits.length, 1);
  assert.equal(kits[0].slug, 'DEV_TOOLS');
  assert.deepEqual(kits[0].tools.map((t) => [t.slug, t.toolkit]), [['LOCAL_DEV_TOOLS_ECHO', 'DEV_TOOLS']]);
});

test('session.execute runs local tools in-process, by final or original slug; ctx.execute reaches local and remote tools', async () => {
  const s = await session();
  calls.length = 0;
  const r = await s.execute('LOCAL_GREP', { pattern: 'abc' });
  assert.deepEqual(r, { data: { matches: ['abc'], limit: 3 }, error: null, logId: '' }, 'a local run has no server log id');
  assert.deepEqual(calls, [{ input: { pattern: 'abc', limit: 3 }, userId: 'user-7', sessionId: s.sessionId }]);
  assert.deepEqual((await s.execute('grep', { pattern: 'x' })).data.matches, ['x']);
  assert.deepEqual((await s.execute('LOCAL_DEV_TOOLS_ECHO', { text: 'hi' })).data, { echoed: 'hi' });

  const viaCtx = await s.execute('LOCAL_TEXT_COUNTED', {});
  assert.equal(viaCtx.error, null);
  assert.deepEqual(viaCtx.data.local, { matches: ['from-ctx'], limit: 3 });
  assert.equal(viaCtx.data.remote.words, 3, JSON.stringify(viaCtx.data.remote));
  // A server tool still goes to the server (it has a log id).
  const remote = await s.execute('TEXT_WORD_COUNT', { text: 'a b' });
  assert.equal(remote.data.words, 2);
  assert.match(remote.logId, /\S/);
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
  const multi = (await s.tools()).find((t) => t.slug === 'COMPOSIO_MULTI_EXECUTE_TOOL');
  assert.ok(multi, 'the session offers COMPOSIO_MULTI_EXECUTE_TOOL');
  const out = await multi.run({ tools: [{ tool_slug: 'LOCAL_DEV_TOOLS_ECHO', arguments: { text: 'multi' } }] });
  assert.equal(out.successful, true);
  assert.deepEqual(out.data, { echoed: 'multi' });
});

test('composio.use(id, {customTools}) attaches local tools to an existing session (0.21)', async () => {
  const c = client();
  const created = await c.create('user-9', { toolkits: ['text'] });
  const plain = await c.use(created.sessionId);
  assert.deepEqual(plain.customTools(), []);

  calls.length = 0;
  const s = await c.use(created.sessionId, { customTools: [grep, counted], customToolkits: [devTools], mcp: true });
  assert.equal(s.sessionId, created.sessionId);
  assert.deepEqual(s.customTools().map((t) => t.slug), ['LOCAL_GREP', 'LOCAL_TEXT_COUNTED', 'LOCAL_DEV_TOOLS_ECHO']);
  assert.equal(s.mcp.url.includes(created.sessionId), true);
  // The server got them through the attach call and keeps them on the session.
  const exp = (await stored(created.sessionId)).experimental;
  assert.deepEqual(exp.custom_tools.map((t) => t.slug), ['LOCAL_GREP', 'LOCAL_TEXT_COUNTED']);
  // They run here, with the session's user and id; ctx.execute reaches the server.
  const r = await s.execute('LOCAL_GREP', { pattern: 'attached' });
  assert.deepEqual(r.data, { matches: ['attached'], limit: 3 });
  assert.deepEqual(calls, [{ input: { pattern: 'attached', limit: 3 }, userId: 'user-9', sessionId: created.sessionId }]);
  const viaCtx = await s.execute('LOCAL_TEXT_COUNTED', {});
  assert.equal(viaCtx.data.remote.words, 3);
  // The sessions / toolRouter aliases take the same options.
  const viaAlias = await c.sessions.use(created.sessionId, { customToolkits: [devTools] });
  assert.deepEqual(viaAlias.customTools().map((t) => t.slug), ['LOCAL_DEV_TOOLS_ECHO']);

  await assert.rejects(c.use(created.sessionId, { customTools: 'GREP' }), /customTools must be an array/);
  await assert.rejects(c.use(created.sessionId, { customTools: [{ slug: 'X' }] }), /experimental_createTool/);
  await assert.rejects(c.use(created.sessionId, { tools: [] }), (e) => e instanceof ValidationError && /unknown option "tools"/.test(e.message));
  await assert.rejects(c.use(created.sessionId, { mcp: 'yes' }), /mcp must be a boolean/);
  await assert.rejects(c.use('trs_missing', { customTools: [grep] }), (e) => e.status === 404 && /trs_missing/.test(e.message));
});

test('definitions are checked like @composio/core', () => {
  assert.throws(() => experimental_createTool('LOCAL_X', { name: 'n', description: 'd', inputParams: z.object({}), execute: () => 1 }), ValidationError);
  assert.throws(() => experimental_createTool('bad slug', { name: 'n', description: 'd', inputParams: z.object({}), execute: () => 1 }), /A-Za-z0-9_-/);
  assert.throws(() => experimental_createTool('X', { name: 'n', description: 'd', inputParams: z.object({}) }), /execute must be a function/);
  assert.throws(() => experimental_createTool('X', { name: 'n', description: 'd', execute: () => 1 }), /inputParams is required/);
  assert.throws(() => experimental_createToolkit('KIT', { name: 'n', description: 'd', tools: [counted] }), /extendsToolkit/);
  assert.throws(() => experimental_createToolkit('KIT', { name: 'n', description: 'd', tools: [] }), /at least one tool/);
});

test('duplicate final slugs are refused by the engine before any request', async () => {
  const twin = experimental_createTool('grep', { name: 'g', description: 'd', inputParams: z.object({}), execute: () => 1 });
  // A ValidationError (the engine's check), not the server's 400 (a BadRequest API error).
  await assert.rejects(
    client().create('u', { experimental: { customTools: [grep, twin] } }),
    (e) => e instanceof ValidationError && /GREP/i.test(e.message) && e.status === undefined,
  );
  await assert.rejects(
    client().use('trs_any', { customTools: [grep, twin] }),
    (e) => e instanceof ValidationError && /GREP/i.test(e.message),
  );
});
