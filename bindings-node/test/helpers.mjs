// Shared test helpers: a composio-local process per test file, fixture paths.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The repository root (set by scripts/test-node.sh; defaults to this file's grandparent). */
export const REPO = process.env.COMPOSIO_RS_REPO ?? path.resolve(import.meta.dirname, '..', '..');
/** Shared cross-language fixtures. */
export const FIXTURES = path.join(REPO, 'tests', 'fixtures');
/** The pinned version of composio-local's `text` toolkit. */
export const TEXT_VERSION = '20251201_00';

/** Starts composio-local on a free port with a fresh data folder. */
export async function startLocal() {
  const bin = process.env.COMPOSIO_LOCAL_BIN ?? path.join(REPO, 'target', 'debug', 'composio-local');
  const data = mkdtempSync(path.join(tmpdir(), 'composio-local-node-'));
  const child = spawn(bin, ['serve', '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
  const env = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`composio-local did not start: ${out}`)), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`composio-local exited with ${code}: ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const url = /COMPOSIO_BASE_URL=(\S+)/.exec(out);
      const key = /COMPOSIO_API_KEY=(\S+)/.exec(out);
      if (url && key) {
        clearTimeout(timer);
        resolve({ baseURL: url[1], apiKey: key[1] });
      }
    });
    child.stderr.resume();
  });
  child.removeAllListeners('exit');
  return {
    ...env,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/**
 * Connects `userId`'s notes account through composio-local's connect page
 * (the form is posted like a user would) and returns the session and account.
 */
export async function connectNotes(composio, userId) {
  const session = await composio.create(userId, { toolkits: ['notes'] });
  const request = await session.authorize('notes');
  const res = await fetch(request.redirectUrl, {
    method: 'POST',
    body: new URLSearchParams({ api_key: `notes-key-${userId}` }),
  });
  if (!res.ok) throw new Error(`connect page answered ${res.status}: ${await res.text()}`);
  const account = await request.waitForConnection(30_000);
  return { session, account };
}

/** Runs `node args...` in this folder; resolves with `{code, signal, out, err}`. */
export function runNode(args, env = {}, cwd = import.meta.dirname) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, out, err });
    });
  });
}

/**
 * A real HTTP server on 127.0.0.1 whose answers come from `handler(req, body)`
 * (`{status?, json?, body?, headers?}`); every request is recorded in
 * `requests` as `{method, path, query, headers, body}`.
 */
export async function startHttp(handler) {
  const { createServer } = await import('node:http');
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url, 'http://x');
      const text = raw.toString('utf8');
      let body = raw;
      if ((req.headers['content-type'] ?? '').includes('json') && text) body = JSON.parse(text);
      const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
      requests.push(record);
      try {
        const answer = (await handler(record)) ?? { status: 404, json: { error: { message: 'not found' } } };
        const payload = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? '');
        res.writeHead(answer.status ?? 200, {
          'content-type': answer.json !== undefined ? 'application/json' : 'application/octet-stream',
          ...(answer.headers ?? {}),
        });
        res.end(payload);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(e) } }));
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  };
}
