// Compiles examples/node/quickstart.ts (tsc --strict) against the installed
// composio-rs and runs it against a composio-local it starts itself.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { REPO, runNode } from './helpers.mjs';

test('examples/node quickstart compiles and runs against composio-local', async () => {
  const require = createRequire(import.meta.url);
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc');
  } catch {
    assert.fail('typescript must be installed next to composio-rs to compile the example (scripts/test-node.sh installs it)');
  }
  // Inside this package's folder, so `composio-rs` resolves to the installed package.
  const dir = path.join(import.meta.dirname, '..', 'example-run');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ['quickstart.ts', 'tsconfig.json']) cpSync(path.join(REPO, 'examples', 'node', f), path.join(dir, f));
  cpSync(path.join(REPO, 'examples', 'node', 'package.json'), path.join(dir, 'package.json'));

  const built = await runNode([tsc, '-p', dir]);
  assert.equal(built.code, 0, `tsc failed:\n${built.out}${built.err}`);

  const env = { COMPOSIO_API_KEY: '', COMPOSIO_BASE_URL: '' };
  delete process.env.COMPOSIO_API_KEY;
  const r = await runNode([path.join(dir, 'dist', 'quickstart.js')], env, dir);
  assert.equal(r.signal, null, 'the example did not exit on its own');
  assert.equal(r.code, 0, r.out + r.err);
  const out = r.out;
  assert.match(out, /composio-local running at http:\/\/127\.0\.0\.1:\d+/);
  assert.match(out, /session trs_\S+ \(MCP at http/);
  assert.match(out, /- COMPOSIO_SEARCH_TOOLS/);
  assert.match(out, /tool message for the model: \{"role":"tool","tool_call_id":"call_1","content":".*words/);
  assert.match(out, /TEXT_TRANSFORM_CASE -> \{"result":"hello_from_composio_rs"/);
  assert.match(out, /connected account ca_\S+ is ACTIVE/);
  assert.match(out, /trigger ti_\S+ listening/);
  assert.match(out, /realtime event: NOTES_NOTE_CREATED for demo_user -> .*Launch/);
  assert.match(out, /verified V3 webhook: NOTES_NOTE_CREATED for demo_user -> .*Launch/);
  rmSync(dir, { recursive: true, force: true });
});
