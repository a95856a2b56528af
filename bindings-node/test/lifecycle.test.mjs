// Process lifecycle: module formats, worker threads, exiting on its own, panics.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { __debugPanic, ComposioError, ComposioInternalError } from 'composio-rs';
import { startLocal, TEXT_VERSION } from './helpers.mjs';

const HERE = import.meta.dirname;
let local;
before(async () => (local = await startLocal()));
after(async () => local.stop());

function runNode(args, env = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, { cwd: HERE, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, out, err, ms: Date.now() - started });
    });
  });
}

test('CommonJS require works', async () => {
  const r = await runNode(['-e', `
    const { Composio, OpenAIProvider, ComposioError } = require('composio-rs');
    const c = new Composio({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
    console.log(typeof Composio, c.provider instanceof OpenAIProvider, typeof ComposioError);
  `]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'function true function');
});

test('ES module import works (named and default)', async () => {
  const r = await runNode(['--input-type=module', '-e', `
    import composioDefault, { Composio, AnthropicProvider } from 'composio-rs';
    const c = new Composio({ apiKey: 'k', baseURL: 'http://127.0.0.1:9', provider: new AnthropicProvider() });
    console.log(typeof composioDefault.Composio, c.provider.name);
  `]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'function anthropic');
});

test('a script exits on its own within a second of its last await', async () => {
  const script = `
    import { Composio } from 'composio-rs';
    const c = new Composio({ apiKey: process.env.K, baseURL: process.env.U, toolkitVersions: { text: '${TEXT_VERSION}' } });
    await c.tools.createCustomTool({ slug: 'LOCAL_ECHO', name: 'Echo', description: 'Echo',
      inputParams: { type: 'object', properties: {} }, execute: async (i) => ({ data: i, error: null, successful: true }) });
    const r = await c.tools.execute('TEXT_WORD_COUNT', { userId: 'u', arguments: { text: 'a b' } },
      { beforeExecute: async ({ params }) => params, afterExecute: ({ result }) => result });
    const s = await c.create('u', { toolkits: ['text'] });
    await s.tools({ modifySchema: ({ schema }) => schema });
    await c.tools.execute('LOCAL_ECHO', { arguments: { x: 1 } });
    console.log('done', r.data.words, Date.now());
  `;
  const r = await runNode(['--input-type=module', '-e', script], { K: local.apiKey, U: local.baseURL });
  assert.equal(r.code, 0, r.err);
  const m = /done 2 (\d+)/.exec(r.out);
  assert.ok(m, r.out + r.err);
  const exitedAt = Date.now();
  const lag = exitedAt - Number(m[1]);
  assert.ok(lag < 1000, `the process lingered ${lag} ms after its last await`);
});

test('works inside worker_threads', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Composio } = require('composio-rs');
    (async () => {
      const c = new Composio({ apiKey: workerData.key, baseURL: workerData.url, toolkitVersions: { text: '${TEXT_VERSION}' } });
      const results = await Promise.all([1, 2, 3].map((n) =>
        c.tools.execute('TEXT_WORD_COUNT', { userId: 'u', arguments: { text: 'x '.repeat(n) } },
          { afterExecute: async ({ result }) => ({ ...result, data: { words: result.data.words, worker: true } }) })));
      parentPort.postMessage(results.map((r) => r.data));
    })().catch((e) => parentPort.postMessage({ error: String(e) }));
  `;
  const run = () =>
    new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { key: local.apiKey, url: local.baseURL } });
      let msg;
      w.on('message', (m) => (msg = m));
      w.on('error', reject);
      w.on('exit', (c) => (c === 0 ? resolve(msg) : reject(new Error(`worker exited ${c}`))));
    });
  const [a, b] = await Promise.all([run(), run()]);
  const expected = [{ words: 1, worker: true }, { words: 2, worker: true }, { words: 3, worker: true }];
  assert.deepEqual(a, expected);
  assert.deepEqual(b, expected);
  // The main thread still works after the workers are gone.
  assert.deepEqual(await run(), expected);
});

test('a Rust panic becomes a ComposioError, and the process lives on', async () => {
  for (const inFuture of [true, false]) {
    const err = await __debugPanic(inFuture).then(() => null, (e) => e);
    assert.ok(err instanceof ComposioInternalError, String(err));
    assert.ok(err instanceof ComposioError);
    assert.equal(err.coreCode, 'INTERNAL_ERROR');
    assert.match(err.message, /deliberate/);
  }
});
