// One measure of the side-by-side benchmark, for one Node SDK.
//
// Run by tests/bench/run.sh from a throwaway folder where the SDK is installed:
//
//     node bench_node.mjs <sdk> <measure> [args...]
//
// <sdk> is `ours` (composio-rs) or `official` (@composio/core). Prints one JSON
// object on standard output. The server's URL and key come from
// COMPOSIO_BENCH_URL / COMPOSIO_BENCH_KEY.
const T0 = performance.now();

import { createHmac } from 'node:crypto';
import http from 'node:http';

const URL_ = process.env.COMPOSIO_BENCH_URL;
const KEY = process.env.COMPOSIO_BENCH_KEY;
const VERSION = '20251201_00';
const VERSIONS = { text: VERSION, bench50: VERSION, bench500: VERSION, bench2000: VERSION };
const EXEC_SLUG = 'TEXT_WORD_COUNT';
const EXEC_ARGS = { text: 'hello benchmark world' };

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const rssMb = () => process.memoryUsage.rss() / (1024 * 1024);

async function client(sdk) {
  const mod = await import(sdk === 'ours' ? 'composio-rs' : '@composio/core');
  return new mod.Composio({
    apiKey: KEY,
    baseURL: URL_,
    toolkitVersions: VERSIONS,
    allowTracking: false,
    disableVersionCheck: true,
  });
}

function pct(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round((p / 100) * (s.length - 1)))];
}

async function startup(sdk) {
  await client(sdk);
  const wall = performance.now() - T0;
  return { wall_ms: wall, peak_rss_mb: peakRssMb() };
}

async function toolsGet(sdk, n, reps) {
  const c = await client(sdk);
  const before = rssMb();
  const peakBefore = peakRssMb();
  const q = { toolkits: [`bench${n}`], limit: n };
  let kept = await c.tools.get('default', q);
  if (kept.length !== n) throw new Error(`tools.get returned ${kept.length} tools, expected ${n}`);
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    kept = await c.tools.get('default', q);
    times.push(performance.now() - t);
  }
  if (!kept[0].function.name.startsWith(`BENCH${n}_`)) throw new Error(`unexpected tool ${kept[0].function.name}`);
  const added = rssMb() - before;
  const peakAdded = peakRssMb() - peakBefore;
  // The same reading after a second of idling with the result still held
  // (no collection forced): memory the runtime has freed but not yet
  // handed back by the last call is gone by then.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const settled = rssMb() - before;
  return { tools: n, warm_ms: times, rss_added_mb: added, peak_rss_added_mb: peakAdded, rss_added_settled_mb: settled, kept: kept.length };
}

function rawExecuteFn() {
  const u = new URL(URL_);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ arguments: EXEC_ARGS, user_id: 'default', version: VERSION });
  const path = `${u.pathname.replace(/\/$/, '')}/api/v3.1/tools/execute/${EXEC_SLUG}`;
  return () =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: u.hostname,
          port: u.port,
          path,
          method: 'POST',
          agent,
          headers: { 'x-api-key': KEY, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (res.statusCode !== 200 || !data.successful) reject(new Error(`raw execute failed: ${res.statusCode}`));
            else resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

async function sdkExecuteFn(sdk) {
  const c = await client(sdk);
  return async () => {
    const r = await c.tools.execute(EXEC_SLUG, { userId: 'default', arguments: { ...EXEC_ARGS } });
    if (!r.successful) throw new Error(`execute failed: ${JSON.stringify(r)}`);
  };
}

async function executeSeq(sdk, n) {
  const out = {};
  for (const [name, fn] of [
    ['raw', rawExecuteFn()],
    ['sdk', await sdkExecuteFn(sdk)],
  ]) {
    for (let i = 0; i < Math.min(50, n); i++) await fn();
    const times = [];
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      await fn();
      times.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    out[name] = { p50_us: pct(times, 50), p99_us: pct(times, 99) };
  }
  out.overhead_p50_us = out.sdk.p50_us - out.raw.p50_us;
  out.calls = n;
  return out;
}

/**
 * The ~2 KB V3 body; variant `k > 0` has the same shape with other values
 * (ids, addresses, subjects, thread), as deliveries of one trigger have.
 */
function body2kb(k = 0) {
  const messages = [];
  for (let i = 0; i < 12; i++) {
    messages.push(
      k === 0
        ? { id: `m${i}`, from: 'alice@example.com', subject: `Quarterly report part ${i}`, labels: ['INBOX', 'IMPORTANT'] }
        : { id: `m${k}_${i}`, from: `user${(k * 7 + i) % 50}@example.com`, subject: `Report ${k}-${i}`, labels: ['INBOX', 'IMPORTANT'] },
    );
  }
  return JSON.stringify({
    id: k === 0 ? 'msg_2Zx' : `msg_${k}`,
    type: 'composio.trigger.message',
    timestamp: '2026-11-20T10:30:00Z',
    metadata: {
      log_id: k === 0 ? 'log_1' : `log_${k}`,
      trigger_slug: 'GMAIL_NEW_GMAIL_MESSAGE',
      trigger_id: 'ti_1',
      connected_account_id: 'ca_1',
      auth_config_id: 'ac_1',
      user_id: 'user_1',
    },
    data: { thread_id: k === 0 ? 't1' : `t${k}`, messages },
  });
}

/** Verifications per second of one body, or of `distinct` different bodies in turn. */
async function verify(sdk, seconds, distinct) {
  const c = await client(sdk);
  const secret = 'whsec_benchmark_secret';
  const timestamp = String(Math.floor(Date.now() / 1000));
  const all = [];
  for (let k = distinct > 1 ? 1 : 0; all.length < distinct; k++) {
    const payload = body2kb(k);
    const id = k === 0 ? 'msg_2Zx' : `msg_${k}`;
    const signature = 'v1,' + createHmac('sha256', secret).update(`${id}.${timestamp}.${payload}`).digest('base64');
    all.push({ params: { id, payload, secret, signature, timestamp }, thread: k === 0 ? 't1' : `t${k}` });
  }
  const first = await c.triggers.verifyWebhook(all[0].params);
  if (first.payload.triggerSlug !== 'GMAIL_NEW_GMAIL_MESSAGE') throw new Error(`bad event ${JSON.stringify(first.payload)}`);
  if (first.payload.payload.thread_id !== all[0].thread) throw new Error('bad payload');
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  for (let at = 0; ; ) {
    for (let i = 0; i < 100; i++) {
      const { params, thread } = all[at];
      at = at + 1 === all.length ? 0 : at + 1;
      const r = await c.triggers.verifyWebhook(params);
      if (r.payload.payload.thread_id !== thread) throw new Error('bad payload');
    }
    n += 100;
    if (performance.now() >= end) break;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { per_sec: n / elapsed, bytes: all[0].params.payload.length, distinct };
}

async function concurrent(sdk, n, reps) {
  const c = await client(sdk);
  const one = async () => (await c.tools.execute(EXEC_SLUG, { userId: 'default', arguments: { ...EXEC_ARGS } })).successful;
  const warm = await Promise.all(Array.from({ length: n }, one));
  if (!warm.every(Boolean)) throw new Error('warm-up executes failed');
  const walls = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    const ok = await Promise.all(Array.from({ length: n }, one));
    walls.push(performance.now() - t);
    if (!ok.every(Boolean)) throw new Error('executes failed');
  }
  return { calls: n, wall_ms: walls };
}

const [sdk, measure, ...args] = process.argv.slice(2);
let out;
if (measure === 'startup') out = await startup(sdk);
else if (measure === 'tools_get') out = await toolsGet(sdk, Number(args[0]), Number(args[1]));
else if (measure === 'execute') out = await executeSeq(sdk, Number(args[0]));
else if (measure === 'verify') out = await verify(sdk, Number(args[0]), Number(args[1] ?? 1));
else if (measure === 'concurrent') out = await concurrent(sdk, Number(args[0]), Number(args[1]));
else throw new Error(`unknown measure ${measure}`);
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
