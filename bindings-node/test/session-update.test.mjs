// session.update / listConfigHistory / delete and sessions.delete against composio-local.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  Composio,
  ComposioSessionConfigConflictError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from 'composio-rs';
import { startLocal } from './helpers.mjs';

let local;
let composio;
before(async () => {
  local = await startLocal();
  composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL });
});
after(async () => local.stop());

test('update changes only the options given; null removes; config and configVersion refresh', async () => {
  const session = await composio.create('upd-1', { toolkits: ['notes'], authConfigs: { notes: 'ac_1' } });
  assert.equal(session.configVersion, 1);
  const config = await session.update({ authConfigs: { tasks: 'ac_2' }, manageConnections: { callbackUrl: 'https://app.test/cb', waitForConnections: true } });
  assert.deepEqual(config.auth_configs, { tasks: 'ac_2' });
  assert.deepEqual(config.toolkits, { enabled: ['notes'] });
  assert.equal(config.manage_connections.callback_url, 'https://app.test/cb');
  assert.equal(config.manage_connections.enable_wait_for_connections, true);
  assert.equal(session.configVersion, 2);
  assert.deepEqual(session.config.auth_configs, { tasks: 'ac_2' });

  await session.update({ toolkits: null, sandbox: { enableProxyExecution: false }, expectedConfigVersion: session.configVersion });
  assert.equal(session.configVersion, 3);
  assert.equal(session.config.toolkits, undefined);
  assert.equal(session.config.workbench.proxy_execution_enabled, false);
  const again = await composio.sessions.use(session.sessionId);
  assert.equal(again.configVersion, 3);
  assert.deepEqual(again.config.auth_configs, { tasks: 'ac_2' });
});

test('a stale expectedConfigVersion is ComposioSessionConfigConflictError and leaves the session unchanged', async () => {
  const session = await composio.create('upd-2');
  await session.update({ tags: ['readOnlyHint'] });
  const before = session.config;
  await assert.rejects(session.update({ tags: null, expectedConfigVersion: 1 }), (err) => {
    assert.ok(err instanceof ComposioSessionConfigConflictError, err?.constructor?.name);
    assert.ok(!(err instanceof ConflictError));
    assert.equal(err.code, 'TS-SDK::SESSION_CONFIG_CONFLICT');
    assert.equal(err.status, 409);
    assert.equal(typeof err.requestId, 'string');
    assert.match(err.message, /no longer at version 1/);
    assert.deepEqual(err.meta, { sessionId: session.sessionId, expectedConfigVersion: 1 });
    return true;
  });
  assert.equal(session.configVersion, 2);
  assert.deepEqual(session.config, before);
  // false: no precondition, last writer wins.
  await session.update({ tags: null, expectedConfigVersion: false });
  assert.equal(session.configVersion, 3);
});

test('bad update options are ValidationErrors before any request', async () => {
  const session = await composio.create('upd-3');
  for (const [bad, pattern] of [
    [{ toolkit: ['notes'] }, /unknown option "toolkit"/],
    [{ manageConnections: { callback: 'x' } }, /manageConnections: unknown option "callback"/],
    [{ sandbox: {}, workbench: {} }, /sandbox.*workbench/],
    [{ premiumUsage: null }, /premium_usage/],
    [{ expectedConfigVersion: 0 }, /expected_config_version/],
    [{ toolkits: ['notes'], experimental: { sessionConfigId: 'sc_1' } }, /session_config_id.*toolkits/],
    ['nope', /must be an object/],
  ]) {
    await assert.rejects(session.update(bad), (err) => err instanceof ValidationError && pattern.test(err.message), JSON.stringify(bad));
  }
  await assert.rejects(session.listConfigHistory({ limit: 0 }), ValidationError);
  await assert.rejects(session.listConfigHistory({ size: 2 }), /unknown option "size"/);
  assert.equal(session.configVersion, 1);
});

test('listConfigHistory pages newest first; delete and sessions.delete', async () => {
  const session = await composio.create('upd-4', { toolkits: ['notes'] });
  await session.update({ toolkits: ['tasks'] });
  await session.update({ search: { enable: false } });
  const first = await session.listConfigHistory({ limit: 2 });
  assert.deepEqual(first.items.map((i) => i.version), [3, 2]);
  assert.deepEqual(first.items.map((i) => i.isCurrent), [true, false]);
  assert.equal(typeof first.items[0].createdAt, 'string');
  assert.deepEqual(first.items[1].config.toolkits, { enabled: ['tasks'] });
  assert.equal(first.totalItems, 3);
  assert.equal(first.currentPage, 1);
  assert.ok(first.nextCursor);
  const second = await session.listConfigHistory({ limit: 2, cursor: first.nextCursor });
  assert.deepEqual(second.items.map((i) => i.version), [1]);
  assert.equal(second.nextCursor, null);

  assert.deepEqual(await session.delete(), { deleted: true, sessionId: session.sessionId });
  await assert.rejects(session.delete(), NotFoundError);
  await assert.rejects(composio.use(session.sessionId), NotFoundError);

  const other = await composio.create('upd-5');
  assert.deepEqual(await composio.sessions.delete(other.sessionId), { deleted: true, sessionId: other.sessionId });
  await assert.rejects(composio.toolRouter.delete(other.sessionId), NotFoundError);
});
