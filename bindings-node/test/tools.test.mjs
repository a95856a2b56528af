// tools.get / execute / modifiers / callbacks / concurrency against composio-local.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  Composio,
  ComposioError,
  ComposioToolNotFoundError,
  ComposioToolVersionRequiredError,
  ComposioInvalidModifierError,
  ValidationError,
} from 'composio-rs';
import { startLocal, TEXT_VERSION } from './helpers.mjs';

let local;
let composio;
before(async () => {
  local = await startLocal();
  composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL, toolkitVersions: { text: TEXT_VERSION } });
});
after(async () => local.stop());

describe('tools', () => {
  test('getRawComposioTools returns camelCase tools of the pinned version', async () => {
    const tools = await composio.tools.getRawComposioTools({ tools: ['TEXT_WORD_COUNT', 'TEXT_TRANSFORM_CASE'] });
    assert.deepEqual(tools.map((t) => t.slug), ['TEXT_WORD_COUNT', 'TEXT_TRANSFORM_CASE']);
    for (const t of tools) {
      assert.equal(t.version, TEXT_VERSION);
      assert.equal(t.inputParameters.type, 'object');
      assert.equal(t.toolkit.slug, 'text');
      assert.equal(typeof t.isNoAuth, 'boolean');
    }
  });

  test('tools.get wraps for the default OpenAI provider; a slug string fetches one tool', async () => {
    const tools = await composio.tools.get('user-1', { tools: ['TEXT_WORD_COUNT'] });
    assert.equal(tools.length, 1);
    assert.equal(tools[0].type, 'function');
    assert.equal(tools[0].function.name, 'TEXT_WORD_COUNT');
    assert.equal(tools[0].function.parameters.type, 'object');
    assert.equal('strict' in tools[0].function, false);
    const one = await composio.tools.get('user-1', 'TEXT_TRANSFORM_CASE');
    assert.equal(one[0].function.name, 'TEXT_TRANSFORM_CASE');
  });

  test('tools.get without filters is a ValidationError', async () => {
    await assert.rejects(composio.tools.get('user-1', {}), ValidationError);
  });

  test('unknown tools are ComposioToolNotFoundError', async () => {
    await assert.rejects(composio.tools.getRawComposioToolBySlug('TEXT_NO_SUCH_TOOL'), ComposioToolNotFoundError);
    // The slug list request: the API's own answer (composio-local: 400 naming the slug).
    await assert.rejects(
      composio.tools.get('u', { tools: ['TEXT_NO_SUCH_TOOL'] }),
      (e) => e instanceof ComposioError && e.status === 400 && /TEXT_NO_SUCH_TOOL/.test(e.message),
    );
  });

  test('execute at the pinned version', async () => {
    const r = await composio.tools.execute('TEXT_WORD_COUNT', { userId: 'user-1', arguments: { text: 'one two three' } });
    assert.equal(r.successful, true);
    assert.equal(r.error, null);
    assert.equal(r.data.words, 3);
    assert.match(r.logId, /^log_/);
  });

  test('execute without a pinned version needs dangerouslySkipVersionCheck', async () => {
    const unpinned = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL });
    const err = await unpinned.tools
      .execute('TEXT_WORD_COUNT', { userId: 'u', arguments: { text: 'a' } })
      .then(() => null, (e) => e);
    assert.ok(err instanceof ComposioToolVersionRequiredError, String(err));
    assert.ok(err instanceof ComposioError);
    assert.equal(err.code, 'TS-SDK::TOOL_VERSION_REQUIRED');
    assert.equal(err.coreCode, 'TOOL_VERSION_REQUIRED');
    const ok = await unpinned.tools.execute('TEXT_WORD_COUNT', {
      userId: 'u',
      arguments: { text: 'a b' },
      dangerouslySkipVersionCheck: true,
    });
    assert.equal(ok.data.words, 2);
    const explicit = await unpinned.tools.execute('TEXT_WORD_COUNT', { userId: 'u', arguments: { text: 'a' }, version: TEXT_VERSION });
    assert.equal(explicit.successful, true);
  });

  test('an API error keeps status and request id', async () => {
    const bad = new Composio({ apiKey: 'wrong-key', baseURL: local.baseURL, toolkitVersions: { text: TEXT_VERSION } });
    const err = await bad.tools.getRawComposioTools({ toolkits: ['text'] }).then(() => null, (e) => e);
    assert.ok(err instanceof ComposioError, String(err));
    assert.equal(err.status, 401);
    assert.equal(err.name, 'AuthenticationError');
    assert.equal(typeof err.requestId, 'string');
  });
});

describe('modifiers', () => {
  test('sync and async modifiers change schema, arguments and result', async () => {
    const tools = await composio.tools.getRawComposioTools(
      { tools: ['TEXT_WORD_COUNT'] },
      { modifySchema: ({ toolSlug, toolkitSlug, schema }) => ({ ...schema, description: `${toolkitSlug}/${toolSlug}: ${schema.description}` }) },
    );
    assert.match(tools[0].description, /^text\/TEXT_WORD_COUNT: /);
    const asyncTools = await composio.tools.get('u', { tools: ['TEXT_WORD_COUNT'] }, {
      modifySchema: async ({ schema }) => {
        await new Promise((r) => setTimeout(r, 5));
        return { ...schema, description: 'async!' };
      },
    });
    assert.equal(asyncTools[0].function.description, 'async!');

    const seen = [];
    const r = await composio.tools.execute(
      'TEXT_WORD_COUNT',
      { userId: 'u', arguments: { text: 'x' } },
      {
        beforeExecute: ({ toolSlug, toolkitSlug, params }) => {
          seen.push([toolSlug, toolkitSlug, params.userId]);
          return { ...params, arguments: { text: 'a b c d' } };
        },
        afterExecute: async ({ result }) => ({ ...result, data: { ...result.data, tagged: true } }),
      },
    );
    assert.deepEqual(seen, [['TEXT_WORD_COUNT', 'text', 'u']]);
    assert.equal(r.data.words, 4);
    assert.equal(r.data.tagged, true);
  });

  test('declarative modifiers run in the engine', async () => {
    const tools = await composio.tools.getRawComposioTools(
      { tools: ['TEXT_TRANSFORM_CASE'] },
      { declarative: [{ type: 'hide_parameter', name: 'case' }, { type: 'append_description', text: 'Extra.' }] },
    );
    assert.equal('case' in tools[0].inputParameters.properties, false);
    assert.match(tools[0].description, /Extra\.$/);
  });

  test('a modifier that is not a function is ComposioInvalidModifierError', async () => {
    await assert.rejects(
      composio.tools.execute('TEXT_WORD_COUNT', { userId: 'u', arguments: { text: 'a' } }, { beforeExecute: 42 }),
      ComposioInvalidModifierError,
    );
  });

  test('an error thrown in a callback reaches the caller as the same object', async () => {
    class MyError extends Error {}
    const thrown = new MyError('boom');
    for (const mods of [
      { beforeExecute: () => { throw thrown; } },
      { afterExecute: async () => { throw thrown; } },
    ]) {
      const err = await composio.tools
        .execute('TEXT_WORD_COUNT', { userId: 'u', arguments: { text: 'a' } }, mods)
        .then(() => null, (e) => e);
      assert.equal(err, thrown);
    }
    const err = await composio.tools
      .getRawComposioTools({ tools: ['TEXT_WORD_COUNT'] }, { modifySchema: () => { throw thrown; } })
      .then(() => null, (e) => e);
    assert.equal(err, thrown);
    const notAnError = { weird: true };
    const err2 = await composio.tools
      .execute('TEXT_WORD_COUNT', { userId: 'u', arguments: { text: 'a' } }, { beforeExecute: () => Promise.reject(notAnError) })
      .then(() => null, (e) => e);
    assert.equal(err2, notAnError);
  });
});

describe('concurrency', () => {
  test('500 concurrent executes with Promise.all', async () => {
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        composio.tools.execute('TEXT_WORD_COUNT', { userId: 'u', arguments: { text: 'w '.repeat(i % 7 + 1).trim() } }),
      ),
    );
    assert.equal(results.length, 500);
    results.forEach((r, i) => {
      assert.equal(r.successful, true);
      assert.equal(r.data.words, (i % 7) + 1);
    });
  });

  test('500 concurrent executes with an async modifier each', async () => {
    let calls = 0;
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        composio.tools.execute(
          'TEXT_WORD_COUNT',
          { userId: 'u', arguments: { text: 'a' } },
          { afterExecute: async ({ result }) => { calls++; return { ...result, data: { i } }; } },
        ),
      ),
    );
    assert.equal(calls, 500);
    results.forEach((r, i) => assert.deepEqual(r.data, { i }));
  });
});
