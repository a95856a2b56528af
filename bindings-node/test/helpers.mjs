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
