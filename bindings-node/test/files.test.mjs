// Automatic file upload/download (autoUploadDownloadFiles) and composio.files:
// end to end against composio-local (its text toolkit reads and writes files),
// and the exact upload requests and result shapes against a real node:http
// server standing in for the API and the presigned storage URLs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BaseAgenticProvider, Composio, ComposioError } from 'composio-rs';
import { startHttp, startLocal } from './helpers.mjs';

const VERSION = '20250101_00';
const REPORT = Buffer.from('%PDF-1.4 a generated report\n');
const TOOL = {
  slug: 'DOCS_CONVERT_FILE',
  name: 'Convert a file',
  description: 'Converts a file and returns the result',
  toolkit: { slug: 'docs', name: 'Docs', logo: '' },
  version: VERSION,
  available_versions: [VERSION],
  input_parameters: {
    type: 'object',
    properties: {
      document: { type: 'object', title: 'Document', description: 'The file to convert', file_uploadable: true },
      format: { type: 'string' },
    },
    required: ['document'],
  },
  output_parameters: {
    type: 'object',
    properties: { converted: { type: 'object', file_downloadable: true } },
  },
  tags: [],
  no_auth: true,
  is_deprecated: false,
  scopes: [],
};

let api;
let work;
let uploads;
before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'composio-rs-files-'));
  uploads = [];
  api = await startHttp((r) => {
    const p = r.path.replace(/^\/api\/v3(\.1)?/, '');
    if (r.method === 'GET' && p === `/tools/${TOOL.slug}`) return { json: TOOL };
    if (r.method === 'GET' && p === '/tools') return { json: { items: [TOOL], next_cursor: null, total_pages: 1, current_page: 1, total_items: 1 } };
    if (r.method === 'POST' && p === '/files/upload/request') {
      return { json: { type: 'new', id: 'file_1', key: `uploads/${r.body.filename}`, new_presigned_url: `${api.url}/storage/put/${r.body.filename}`, metadata: { storage_backend: 's3' } } };
    }
    if (r.method === 'PUT' && r.path.startsWith('/storage/put/')) {
      uploads.push(r);
      return { status: 200, body: '' };
    }
    if (r.method === 'POST' && p === `/tools/execute/${TOOL.slug}`) {
      return {
        json: {
          data: {
            converted: { name: 'report.pdf', mimetype: 'application/pdf', s3url: `${api.url}/storage/get/report.pdf` },
            nested: [{ preview: { name: 'p.png', mimetype: 'image/png', s3url: `${api.url}/storage/get/missing.png` } }],
            echo: r.body.arguments,
          },
          error: null,
          successful: true,
          log_id: 'log_1',
        },
      };
    }
    if (r.method === 'POST' && p === '/tool_router/session') {
      return { json: { session_id: 'trs_files', mcp: { type: 'http', url: `${api.url}/mcp/trs_files` }, tool_router_tools: ['COMPOSIO_MULTI_EXECUTE_TOOL'], config: {} } };
    }
    if (r.method === 'GET' && p === '/tool_router/session/trs_files/tools') {
      return { json: { items: [{ ...TOOL, slug: 'COMPOSIO_MULTI_EXECUTE_TOOL', name: 'Multi execute', toolkit: { slug: 'composio', name: 'Composio' }, input_parameters: { type: 'object', properties: { tools: { type: 'array' } } }, output_parameters: { type: 'object', properties: {} } }] } };
    }
    if (r.method === 'POST' && p === '/tool_router/session/trs_files/execute_meta') {
      return {
        json: {
          data: { results: [{ tool_slug: TOOL.slug, response: { successful: true, data: { converted: { name: 'report.pdf', mimetype: 'application/pdf', s3url: `${api.url}/storage/get/report.pdf` } } } }] },
          error: null,
          log_id: 'log_meta',
        },
      };
    }
    if (r.method === 'GET' && r.path === '/storage/get/report.pdf') return { status: 200, body: REPORT, headers: { 'content-type': 'application/pdf' } };
    if (r.method === 'GET' && r.path === '/storage/get/missing.png') return { status: 404, body: 'gone' };
    return undefined;
  });
});
after(async () => {
  await api.close();
  rmSync(work, { recursive: true, force: true });
});

function client(extra = {}) {
  return new Composio({ apiKey: 'test-key', baseURL: api.url, toolkitVersions: { docs: VERSION }, ...extra });
}

test('autoUploadDownloadFiles uploads a local file argument and downloads file results like @composio/core', async () => {
  const src = path.join(work, 'input.txt');
  writeFileSync(src, 'hello file upload');
  const downloads = path.join(work, 'downloads');
  const composio = client({ autoUploadDownloadFiles: true, fileDownloadDir: downloads });

  // tools.get rewrites the file parameter into a path string for the model.
  const [raw] = await composio.tools.getRawComposioTools({ tools: [TOOL.slug] });
  assert.equal(raw.inputParameters.properties.document.type, 'string');
  assert.equal(raw.inputParameters.properties.document.format, 'path');
  assert.equal(raw.inputParameters.properties.document.file_uploadable, true);

  const result = await composio.tools.execute(TOOL.slug, { userId: 'u1', arguments: { document: src, format: 'pdf' } });

  // Upload: presigned request with md5, PUT of the bytes, argument replaced.
  const request = api.requests.find((r) => r.path.endsWith('/files/upload/request'));
  assert.equal(request.body.md5, createHash('md5').update('hello file upload').digest('hex'));
  assert.equal(request.body.tool_slug, TOOL.slug);
  assert.equal(request.body.toolkit_slug, 'docs');
  assert.equal(uploads.length, 1);
  assert.equal(uploads[0].body.toString(), 'hello file upload');
  assert.deepEqual(result.data.echo, { document: { name: request.body.filename, mimetype: request.body.mimetype, s3key: `uploads/${request.body.filename}` }, format: 'pdf' });

  // Download: {uri, file_downloaded, s3url, mimeType}; a failed one is reported in place.
  const conv = result.data.converted;
  assert.equal(conv.file_downloaded, true);
  assert.equal(conv.mimeType, 'application/pdf');
  assert.equal(conv.s3url, `${api.url}/storage/get/report.pdf`);
  assert.ok(conv.uri.startsWith(downloads + path.sep), conv.uri);
  assert.match(path.basename(conv.uri), /^DOCS_CONVERT_FILE_\d+[0-9a-f]+\.pdf$/);
  assert.deepEqual(readFileSync(conv.uri), REPORT);
  assert.deepEqual(result.data.nested[0].preview, {
    uri: '',
    file_downloaded: false,
    s3url: `${api.url}/storage/get/missing.png`,
    mimeType: 'image/png',
  });
  assert.equal(result.successful, true);
});

test('without autoUploadDownloadFiles arguments and results pass through untouched', async () => {
  const composio = client();
  const before = uploads.length;
  const result = await composio.tools.execute(TOOL.slug, { userId: 'u1', arguments: { document: '/no/such/file.txt' } });
  assert.equal(uploads.length, before);
  assert.equal(result.data.echo.document, '/no/such/file.txt');
  assert.equal(typeof result.data.converted.s3url, 'string');
  assert.equal('uri' in result.data.converted, false);
  const [raw] = await composio.tools.getRawComposioTools({ tools: [TOOL.slug] });
  assert.equal(raw.inputParameters.properties.document.type, 'object');
});

test('a missing file is an error naming the file; a credential file is refused', async () => {
  const composio = client({ autoUploadDownloadFiles: true, fileDownloadDir: path.join(work, 'dl2') });
  await assert.rejects(
    composio.tools.execute(TOOL.slug, { userId: 'u1', arguments: { document: path.join(work, 'absent.txt') } }),
    /absent\.txt/,
  );
  const env = path.join(work, '.env');
  writeFileSync(env, 'SECRET=1');
  await assert.rejects(composio.tools.execute(TOOL.slug, { userId: 'u1', arguments: { document: env } }), /sensitive/);
});

test('composio.files.upload and files.download', async () => {
  const src = path.join(work, 'manual.csv');
  writeFileSync(src, 'a,b\n1,2\n');
  const composio = client({ fileDownloadDir: path.join(work, 'manual-dl') });
  const up = await composio.files.upload({ file: src, toolSlug: TOOL.slug, toolkitSlug: 'docs' });
  assert.equal(up.name, 'manual.csv');
  assert.equal(up.mimetype, 'text/csv');
  assert.equal(up.s3key, 'uploads/manual.csv');
  assert.equal(uploads.at(-1).body.toString(), 'a,b\n1,2\n');

  const down = await composio.files.download({ toolSlug: TOOL.slug, s3Url: `${api.url}/storage/get/report.pdf`, mimeType: 'application/pdf' });
  assert.equal(down.mimeType, 'application/pdf');
  assert.deepEqual(readFileSync(down.filePath), REPORT);
  assert.equal(path.basename(down.filePath), down.name);
  await assert.rejects(
    composio.files.download({ toolSlug: TOOL.slug, s3Url: `${api.url}/storage/get/missing.png?sig=SECRET` }),
    (e) => e instanceof ComposioError && /missing\.png/.test(e.message) && /404/.test(e.message) && !e.message.includes('SECRET'),
  );
});

test('handleToolCalls uploads and downloads files too, before afterExecute sees the result', async () => {
  const src = path.join(work, 'via-model.txt');
  writeFileSync(src, 'from a model tool call');
  const downloads = path.join(work, 'dl-handle');
  const composio = client({ dangerouslyAllowAutoUploadDownloadFiles: true, fileDownloadDir: downloads });
  const before = uploads.length;
  const seen = [];
  const completion = {
    choices: [{ message: { tool_calls: [{ id: 'call_f', type: 'function', function: { name: TOOL.slug, arguments: JSON.stringify({ document: src }) } }] } }],
  };
  const out = await composio.provider.handleToolCalls('u1', completion, {}, {
    afterExecute: ({ toolSlug, result }) => {
      seen.push([toolSlug, result.data.converted.file_downloaded]);
      return result;
    },
  });
  assert.equal(uploads.length, before + 1);
  assert.equal(uploads.at(-1).body.toString(), 'from a model tool call');
  assert.deepEqual(seen, [[TOOL.slug, true]]);
  assert.equal(out.length, 1);
  assert.equal(out[0].tool_call_id, 'call_f');
  const content = JSON.parse(out[0].content);
  assert.equal(content.data.converted.file_downloaded, true);
  assert.ok(content.data.converted.uri.startsWith(downloads + path.sep), content.data.converted.uri);
  assert.deepEqual(readFileSync(content.data.converted.uri), REPORT);
  assert.equal(content.data.echo.document.s3key, `uploads/${path.basename(src)}`);
  assert.equal(content.data.nested[0].preview.file_downloaded, false);
});

class RecordingProvider extends BaseAgenticProvider {
  name = 'recording';
  wrapTool(tool, execute) {
    return { slug: tool.slug, run: (input) => execute(tool.slug, input) };
  }
  wrapTools(tools, execute) {
    return tools.map((t) => this.wrapTool(t, execute));
  }
}

test('session meta tools executed through the provider download file results (TypeScript shape)', async () => {
  const downloads = path.join(work, 'dl-session');
  const composio = client({ dangerouslyAllowAutoUploadDownloadFiles: true, fileDownloadDir: downloads, provider: new RecordingProvider() });
  const session = await composio.create('u1');
  const [multi] = await session.tools();
  assert.equal(multi.slug, 'COMPOSIO_MULTI_EXECUTE_TOOL');
  const result = await multi.run({ tools: [{ tool_slug: TOOL.slug, arguments: {} }] });
  const file = result.data.results[0].response.data.converted;
  assert.equal(file.file_downloaded, true);
  assert.equal(file.mimeType, 'application/pdf');
  assert.ok(file.uri.startsWith(downloads + path.sep), file.uri);
  assert.deepEqual(readFileSync(file.uri), REPORT);

  // Without automatic file handling the object is returned as the API sent it.
  const plain = client({ provider: new RecordingProvider() });
  const [plainMulti] = await (await plain.create('u1')).tools();
  const raw = await plainMulti.run({ tools: [] });
  assert.deepEqual(Object.keys(raw.data.results[0].response.data.converted).sort(), ['mimetype', 'name', 's3url']);
});

test('beforeFileUpload sees each file argument and can replace it or abort with ComposioFileUploadAbortedError', async () => {
  const { ComposioFileUploadAbortedError } = await import('composio-rs');
  const replacement = path.join(work, 'replacement.txt');
  writeFileSync(replacement, 'replaced content');
  const composio = client({ dangerouslyAllowAutoUploadDownloadFiles: true, fileDownloadDir: path.join(work, 'dl-hook') });
  const seen = [];
  const result = await composio.tools.execute(
    TOOL.slug,
    { userId: 'u1', arguments: { document: '/not/read/original.txt' } },
    {
      beforeFileUpload: async (ctx) => {
        seen.push(ctx);
        return replacement;
      },
    },
  );
  assert.deepEqual(seen, [{ path: '/not/read/original.txt', source: 'path', toolSlug: TOOL.slug, toolkitSlug: 'docs' }]);
  assert.equal(uploads.at(-1).body.toString(), 'replaced content');
  assert.equal(result.data.echo.document.name, 'replacement.txt');

  const before = uploads.length;
  await assert.rejects(
    composio.tools.execute(TOOL.slug, { userId: 'u1', arguments: { document: replacement } }, { beforeFileUpload: () => false }),
    (e) => e instanceof ComposioFileUploadAbortedError && /aborted/.test(e.message),
  );
  assert.equal(uploads.length, before);
  const thrown = new Error('mine');
  await assert.rejects(
    composio.tools.execute(TOOL.slug, { userId: 'u1', arguments: { document: replacement } }, { beforeFileUpload: () => { throw thrown; } }),
    (e) => e === thrown,
  );
});

test('against composio-local: a local file is uploaded for TEXT_FILE_STATS and TEXT_CREATE_FILE\'s file is downloaded', async () => {
  const local = await startLocal();
  try {
    const downloads = path.join(work, 'local-downloads');
    const composio = new Composio({ apiKey: local.apiKey, baseURL: local.baseURL, autoUploadDownloadFiles: true, fileDownloadDir: downloads });
    const src = path.join(work, 'poem.txt');
    const content = 'roses are red\nviolets are blue\n';
    writeFileSync(src, content);
    const stats = await composio.tools.execute('TEXT_FILE_STATS', { userId: 'u1', arguments: { file: src }, dangerouslySkipVersionCheck: true });
    assert.equal(stats.successful, true, JSON.stringify(stats));
    assert.equal(stats.data.name, 'poem.txt');
    assert.equal(stats.data.size, content.length);
    assert.equal(stats.data.words, 6);
    assert.equal(stats.data.md5, createHash('md5').update(content).digest('hex'));
    const listed = await composio.getClient().get('files/list', { query: { tool_slug: 'TEXT_FILE_STATS' } });
    assert.equal(listed.items[0].filename, 'poem.txt');

    const made = await composio.tools.execute('TEXT_CREATE_FILE', {
      userId: 'u1',
      arguments: { text: 'written by composio-local', filename: 'made.txt' },
      dangerouslySkipVersionCheck: true,
    });
    assert.equal(made.successful, true, JSON.stringify(made));
    const file = made.data.file;
    assert.equal(file.file_downloaded, true, JSON.stringify(file));
    assert.ok(file.uri.startsWith(downloads + path.sep), file.uri);
    assert.equal(readFileSync(file.uri, 'utf8'), 'written by composio-local');
  } finally {
    await local.stop();
  }
});
