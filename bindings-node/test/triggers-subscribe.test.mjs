// Realtime trigger subscriptions (composio.triggers.subscribe) against
// composio-local's Pusher-protocol endpoint: a trigger, a note, the event.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Composio, ValidationError } from 'composio-rs';
import { connectNotes, runNode, startLocal } from './helpers.mjs';

let local;
before(async () => (local = await startLocal()));
after(async () => local.stop());

/** A queue of events: `next()` resolves with the next delivered event. */
function inbox() {
  const events = [];
  const waiters = [];
  return {
    push(e) {
      const w = waiters.shift();
      if (w) w(e);
      else events.push(e);
    },
    next() {
      return events.length ? Promise.resolve(events.shift()) : new Promise((r) => waiters.push(r));
    },
  };
}

test('subscribe delivers the TS-shaped event of a new note; filters apply; a throwing callback does not end it', async () => {
  const composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL });
  const alice = await connectNotes(composio, 'alice');
  const bob = await connectNotes(composio, 'bob');
  const tAlice = await composio.triggers.create('alice', 'NOTES_NOTE_CREATED');
  const tBob = await composio.triggers.create('bob', 'NOTES_NOTE_CREATED');
  assert.match(tAlice.triggerId, /^ti_/);

  const box = inbox();
  let calls = 0;
  await composio.triggers.subscribe(
    (event) => {
      calls += 1;
      box.push(event);
      if (calls === 1) throw new Error('callback failure must not end the subscription');
    },
    { userId: 'alice', toolkits: ['NOTES'], triggerSlug: ['notes_note_created'] },
  );

  // Bob's note comes first on the channel but does not pass the filter.
  await bob.session.execute('NOTES_CREATE_NOTE', { title: 'bob', content: 'not for alice' });
  await alice.session.execute('NOTES_CREATE_NOTE', { title: 'first', content: 'one' });
  const first = await box.next();
  assert.equal(first.triggerSlug, 'NOTES_NOTE_CREATED');
  assert.equal(first.toolkitSlug.toLowerCase(), 'notes');
  assert.equal(first.userId, 'alice');
  assert.equal(first.id, tAlice.triggerId);
  assert.equal(first.metadata.connectedAccount.id, alice.account.id);
  assert.equal(first.metadata.connectedAccount.userId, 'alice');
  assert.equal(first.metadata.triggerSlug, 'NOTES_NOTE_CREATED');
  assert.equal(first.payload.title, 'first');
  assert.deepEqual(Object.keys(first).slice(0, 6), ['id', 'uuid', 'triggerSlug', 'toolkitSlug', 'userId', 'payload']);

  // The callback threw on the first event; the second still arrives.
  await alice.session.execute('NOTES_CREATE_NOTE', { title: 'second', content: 'two' });
  const second = await box.next();
  assert.equal(second.payload.title, 'second');
  assert.equal(calls, 2);
  void tBob;

  await composio.triggers.unsubscribe();
  await composio.triggers.unsubscribe(); // idempotent
});

test('subscribe validates its arguments', async () => {
  const composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL });
  await assert.rejects(composio.triggers.subscribe('nope'), ValidationError);
  await assert.rejects(composio.triggers.subscribe(() => {}, { toolkit: ['x'] }), /unknown option "toolkit"/);
  await assert.rejects(composio.triggers.subscribe(() => {}, { triggerSlug: 'X' }), ValidationError);
});

test('a subscribed script exits on its own after unsubscribe()', async () => {
  const script = `
    import { Composio } from 'composio-rs';
    const c = new Composio({ apiKey: process.env.K, baseURL: process.env.U });
    await c.triggers.subscribe(() => {});
    await c.triggers.unsubscribe();
    console.log('unsubscribed');
  `;
  const r = await runNode(['--input-type=module', '-e', script], { K: local.apiKey, U: local.baseURL });
  assert.equal(r.signal, null, 'the process had to be killed: the subscription kept it alive');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out.trim(), 'unsubscribed');
});

test('while subscribed the process stays alive to receive events', async () => {
  // The script subscribes and returns from its top level; only the
  // subscription keeps it running until the event arrives and it unsubscribes.
  const script = `
    import { Composio } from 'composio-rs';
    const c = new Composio({ apiKey: process.env.K, baseURL: process.env.U });
    await c.triggers.subscribe(async (e) => {
      console.log('event', e.payload.title);
      await c.triggers.unsubscribe();
    }, { userId: 'carol' });
    console.log('ready');
  `;
  const composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL });
  const carol = await connectNotes(composio, 'carol');
  await composio.triggers.create('carol', 'NOTES_NOTE_CREATED');
  const running = runNode(['--input-type=module', '-e', script], { K: local.apiKey, U: local.baseURL });
  // Create notes until the child (once subscribed) has seen one and exited.
  let done = false;
  running.then(() => (done = true));
  while (!done) {
    await carol.session.execute('NOTES_CREATE_NOTE', { title: 'ping', content: 'x' });
    await new Promise((r) => setTimeout(r, 200));
  }
  const r = await running;
  assert.equal(r.signal, null, r.out + r.err);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /ready\n[^]*event ping/);
});

test('subscribe inside a worker thread: events arrive there and the worker exits after unsubscribe', async () => {
  const { Worker } = await import('node:worker_threads');
  const composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL });
  const dave = await connectNotes(composio, 'dave');
  await composio.triggers.create('dave', 'NOTES_NOTE_CREATED');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Composio } = require('composio-rs');
    const c = new Composio({ apiKey: workerData.key, baseURL: workerData.url });
    c.triggers.subscribe(async (e) => {
      await c.triggers.unsubscribe();
      parentPort.postMessage({ title: e.payload.title, user: e.userId });
    }, { userId: 'dave' }).then(() => parentPort.postMessage('ready'));
  `;
  const w = new Worker(code, { eval: true, workerData: { key: local.apiKey, url: local.baseURL } });
  const messages = [];
  const exited = new Promise((resolve, reject) => {
    w.on('error', reject);
    w.on('exit', resolve);
  });
  await new Promise((resolve) => w.on('message', (m) => (messages.push(m), m === 'ready' && resolve())));
  await dave.session.execute('NOTES_CREATE_NOTE', { title: 'from main', content: 'x' });
  assert.equal(await exited, 0);
  assert.deepEqual(messages, ['ready', { title: 'from main', user: 'dave' }]);
});
