// Shared helpers for the headless-Chromium tests: the composio-local REST API, a local "app"
// that receives the connect flow's callback, a Chromium launched with the flags this closed
// network needs, and a way to start an extra composio-local process with its own settings.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { chromium } from 'playwright-core';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Flags required on this machine (no GPU, no outside network, no background services). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** An environment variable the runner must set; a clear failure when it is missing. */
export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run these tests through tests/browser/run.sh`);
  }
  return value;
}

/** A client of one composio-local server's REST API (`/api/v3`, `x-api-key`). */
export class Api {
  constructor(baseUrl, apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
  }

  /** The server started by run.sh. */
  static fromEnv() {
    return new Api(requiredEnv('COMPOSIO_BASE_URL'), requiredEnv('COMPOSIO_API_KEY'));
  }

  /** A request; returns `{status, body}` with the parsed JSON body. */
  async call(method, path, body) {
    const resp = await fetch(`${this.baseUrl}/api/v3${path}`, {
      method,
      headers: { 'x-api-key': this.apiKey, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await resp.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path}: non-JSON response (${resp.status}): ${text}`);
    }
    return { status: resp.status, body: json };
  }

  /** A request that must succeed (2xx); returns the body. */
  async ok(method, path, body) {
    const { status, body: json } = await this.call(method, path, body);
    if (status < 200 || status > 299) {
      throw new Error(`${method} ${path} -> ${status}: ${JSON.stringify(json)}`);
    }
    return json;
  }

  /** A new Composio-managed auth config for `toolkit`; returns its id. */
  async managedAuthConfig(toolkit) {
    const b = await this.ok('POST', '/auth_configs', {
      toolkit: { slug: toolkit },
      auth_config: { type: 'use_composio_managed_auth' },
    });
    return b.auth_config.id;
  }

  /** `POST /connected_accounts/link`; returns `{connected_account_id, redirect_url, ...}`. */
  async link(authConfigId, userId, callbackUrl) {
    const body = { auth_config_id: authConfigId, user_id: userId };
    if (callbackUrl) body.callback_url = callbackUrl;
    return this.ok('POST', '/connected_accounts/link', body);
  }

  /** `GET /connected_accounts/{id}`. */
  async account(id) {
    return this.ok('GET', `/connected_accounts/${encodeURIComponent(id)}`);
  }

  /** `POST /tools/execute/{slug}` with an explicit connected account. */
  async execute(slug, connectedAccountId, args) {
    return this.ok('POST', `/tools/execute/${slug}`, {
      connected_account_id: connectedAccountId,
      arguments: args,
    });
  }
}

/**
 * A local HTTP server standing in for the user's app: every request to it is recorded and
 * answered with a small page, so the browser really lands on the callback URL.
 */
export async function startApp() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(new URL(req.url, 'http://app.local'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>My app</title><h1 id="app">Back in the app</h1>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Launch Debian's Chromium with a fresh profile; fails (never skips) when it is missing. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install -y chromium)`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'composio-browser-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Start another `composio-local serve --port 0` with extra environment (e.g. a short link
 * lifetime); returns `{api, stop}` once it has printed its URL and key.
 */
export async function startExtraServer(env) {
  const bin = requiredEnv('COMPOSIO_LOCAL_BIN');
  const data = mkdtempSync(join(tmpdir(), 'composio-browser-extra-'));
  const child = spawn(bin, ['serve', '--port', '0', '--data', data], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const lines = createInterface({ input: child.stdout });
  const found = {};
  await new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${bin} exited with ${code} before printing its URL; its log:\n${log}`)),
    );
    lines.on('line', (line) => {
      const m = /^(COMPOSIO_BASE_URL|COMPOSIO_API_KEY)=(.*)$/.exec(line);
      if (m) found[m[1]] = m[2];
      if (found.COMPOSIO_BASE_URL && found.COMPOSIO_API_KEY) resolve();
    });
  });
  return {
    api: new Api(found.COMPOSIO_BASE_URL, found.COMPOSIO_API_KEY),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Resolve after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
