// Headless-Chromium tests of composio-local's connect pages: the API-key form (`notes`), the
// OAuth2 consent flow of the built-in authorization server (`tasks`), validation errors and
// dead links. Run through tests/browser/run.sh, which starts composio-local.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { Api, launchBrowser, sleep, startApp, startExtraServer } from './support.mjs';

const api = Api.fromEnv();
let browser;
let app;

before(async () => {
  browser = await launchBrowser();
  app = await startApp();
});

after(async () => {
  await browser?.close();
  await app?.close();
});

/** A fresh page; any uncaught page error fails the test that reads `errors`. */
async function newPage() {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  return { page, errors };
}

/** The app callback the browser landed on: the URL's query parameters. */
function landedOn(page, path) {
  const url = new URL(page.url());
  assert.equal(`${url.origin}${url.pathname}`, `${app.url}${path}`, `the browser is at ${page.url()}`);
  return url.searchParams;
}

describe('API-key toolkit (notes)', () => {
  let authConfig;
  before(async () => {
    authConfig = await api.managedAuthConfig('notes');
  });

  test('typing the key connects the account and returns to callback_url', async () => {
    const link = await api.link(authConfig, 'browser-alice', `${app.url}/notes-done?from=app`);
    assert.match(link.redirect_url, /\/link\/lk_/);
    assert.equal((await api.account(link.connected_account_id)).status, 'INITIATED');

    const { page, errors } = await newPage();
    const response = await page.goto(link.redirect_url);
    assert.equal(response.status(), 200);
    assert.match(await page.title(), /Connect Local Notes/);
    assert.equal(await page.locator('#api_key').getAttribute('type'), 'password');
    await page.locator('#api_key').fill('notes-browser-key-123456');
    await Promise.all([page.waitForURL(`${app.url}/notes-done?**`), page.locator('#connect').click()]);

    const query = landedOn(page, '/notes-done');
    assert.equal(query.get('from'), 'app', 'the callback keeps its own query');
    assert.equal(query.get('status'), 'success');
    assert.equal(query.get('connected_account_id'), link.connected_account_id);
    assert.equal(await page.locator('#app').textContent(), 'Back in the app');
    assert.ok(app.hits.some((u) => u.searchParams.get('connected_account_id') === link.connected_account_id));

    const account = await api.account(link.connected_account_id);
    assert.equal(account.status, 'ACTIVE');
    assert.equal(account.state.authScheme, 'API_KEY');
    assert.equal(account.state.val.api_key, '********3456', 'the stored key is masked');
    // The account works: a note created through it is listed through it.
    const created = await api.execute('NOTES_CREATE_NOTE', link.connected_account_id, {
      title: 'From the browser test',
      content: 'Connected through headless Chromium',
    });
    assert.equal(created.successful, true, JSON.stringify(created));
    const listed = await api.execute('NOTES_LIST_NOTES', link.connected_account_id, {});
    assert.equal(listed.data.total, 1);

    // The used link now shows why it cannot be used again.
    const again = await page.goto(link.redirect_url);
    assert.equal(again.status(), 410);
    assert.match(await page.locator('#error').textContent(), /already used; the connection is ACTIVE/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('without callback_url the page itself shows the success status', async () => {
    const link = await api.link(authConfig, 'browser-bob');
    const { page } = await newPage();
    await page.goto(link.redirect_url);
    await page.locator('#api_key').fill('bob-browser-key-98765');
    await Promise.all([page.waitForLoadState('load'), page.locator('#connect').click()]);
    const status = page.locator('#status');
    assert.equal(await status.getAttribute('data-status'), 'success');
    assert.match(await status.textContent(), /Local Notes account is connected/);
    assert.match(await status.textContent(), new RegExp(link.connected_account_id));
    assert.equal((await api.account(link.connected_account_id)).status, 'ACTIVE');
    await page.close();
  });

  test('an empty key is refused in the browser and, if only blanks, on the page naming the field', async () => {
    const link = await api.link(authConfig, 'browser-carol', `${app.url}/carol`);
    const { page } = await newPage();
    await page.goto(link.redirect_url);

    // Nothing typed: the browser's own check (required) keeps the form from being sent.
    await page.locator('#connect').click();
    assert.equal(await page.locator('#api_key').evaluate((el) => el.validity.valueMissing), true);
    assert.equal(page.url(), link.redirect_url);
    assert.equal(await page.locator('#error').count(), 0);

    // Only blanks pass the browser's check; the server refuses them and says which field.
    await page.locator('#api_key').fill('    ');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.locator('#connect').click(),
    ]);
    assert.equal(response.status(), 400);
    await page.waitForLoadState('load');
    const error = await page.locator('#error').textContent();
    assert.match(error, /API key/);
    assert.match(error, /empty/);
    assert.equal(await page.locator('#api_key').getAttribute('aria-invalid'), 'true');
    if (process.env.SCREENSHOT_DIR) {
      mkdirSync(process.env.SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'api-key-error.png'), fullPage: true });
    }
    assert.equal((await api.account(link.connected_account_id)).status, 'INITIATED');

    // The same page still works.
    await page.locator('#api_key').fill('carol-browser-key-000111');
    await Promise.all([page.waitForURL(`${app.url}/carol?**`), page.locator('#connect').click()]);
    assert.equal(landedOn(page, '/carol').get('status'), 'success');
    assert.equal((await api.account(link.connected_account_id)).status, 'ACTIVE');
    await page.close();
  });
});

describe('OAuth2 toolkit (tasks) through the consent page', () => {
  let authConfig;
  before(async () => {
    authConfig = await api.managedAuthConfig('tasks');
  });

  test('approve: code exchange, callback with success, ACTIVE account whose tools work', async () => {
    const link = await api.link(authConfig, 'browser-dave', `${app.url}/tasks-done`);
    const { page, errors } = await newPage();
    await page.goto(link.redirect_url);

    // The link page sent the browser to the authorization server's consent page (PKCE S256).
    const consent = new URL(page.url());
    assert.equal(consent.pathname, '/oauth2/authorize');
    assert.equal(consent.searchParams.get('code_challenge_method'), 'S256');
    assert.match(await page.title(), /Authorize access to Local Tasks/);
    assert.ok(await page.locator('#approve').isVisible());
    assert.ok(await page.locator('#deny').isVisible());
    assert.match(await page.locator('#scopes').textContent(), /tasks\.read/);
    if (process.env.SCREENSHOT_DIR) {
      mkdirSync(process.env.SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'consent.png'), fullPage: true });
    }

    await page.locator('#login').fill('dave-home');
    await Promise.all([page.waitForURL(`${app.url}/tasks-done?**`), page.locator('#approve').click()]);
    const query = landedOn(page, '/tasks-done');
    assert.equal(query.get('status'), 'success');
    assert.equal(query.get('connected_account_id'), link.connected_account_id);

    const account = await api.account(link.connected_account_id);
    assert.equal(account.status, 'ACTIVE');
    assert.equal(account.state.authScheme, 'OAUTH2');
    assert.equal(account.state.val.token_type, 'Bearer');
    assert.match(account.state.val.access_token, /^\*{8}/, 'tokens are masked');

    const created = await api.execute('TASKS_CREATE_TASK', link.connected_account_id, {
      title: 'Water the plants',
      priority: 'high',
    });
    assert.equal(created.successful, true, JSON.stringify(created));
    const listed = await api.execute('TASKS_LIST_TASKS', link.connected_account_id, {});
    assert.equal(listed.successful, true, JSON.stringify(listed));
    assert.equal(listed.data.count, 1);
    assert.equal(listed.data.tasks[0].title, 'Water the plants');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('deny: callback with failed status and a FAILED account', async () => {
    const link = await api.link(authConfig, 'browser-erin', `${app.url}/tasks-done`);
    const { page } = await newPage();
    await page.goto(link.redirect_url);
    assert.equal(new URL(page.url()).pathname, '/oauth2/authorize');
    await Promise.all([page.waitForURL(`${app.url}/tasks-done?**`), page.locator('#deny').click()]);
    const query = landedOn(page, '/tasks-done');
    assert.equal(query.get('status'), 'failed');
    assert.equal(query.get('connected_account_id'), link.connected_account_id);

    const account = await api.account(link.connected_account_id);
    assert.equal(account.status, 'FAILED');
    assert.match(account.status_reason, /denied/);
    const { status, body } = await api.call('POST', '/tools/execute/TASKS_LIST_TASKS', {
      user_id: 'browser-erin',
      arguments: {},
    });
    assert.equal(status, 400, 'no ACTIVE account to run the tool with');
    assert.match(body.error.message, /browser-erin/);
    await page.close();
  });
});

describe('dead links', () => {
  test('an unknown link token shows a not-found page', async () => {
    const { page } = await newPage();
    const response = await page.goto(`${api.baseUrl}/link/lk_doesNotExist000000000000`);
    assert.equal(response.status(), 404);
    assert.match(await page.title(), /Link not found/);
    assert.match(await page.locator('#error').textContent(), /does not exist/);
    assert.equal(await page.locator('#api_key').count(), 0);
    await page.close();
  });

  test('an expired link shows an expired page and leaves the account INITIATED', async () => {
    // A second server whose links live one second.
    const extra = await startExtraServer({ COMPOSIO_LOCAL_LINK_TTL: '1' });
    try {
      const ac = await extra.api.managedAuthConfig('notes');
      const link = await extra.api.link(ac, 'browser-frank', `${app.url}/never`);
      await sleep(2100); // past the one-second lifetime, whatever the sub-second start
      const { page } = await newPage();
      const response = await page.goto(link.redirect_url);
      assert.equal(response.status(), 410);
      assert.match(await page.title(), /Link expired/);
      assert.match(await page.locator('#error').textContent(), /expired/);
      assert.equal(await page.locator('#api_key').count(), 0);
      assert.equal((await extra.api.account(link.connected_account_id)).status, 'INITIATED');
      assert.ok(!app.hits.some((u) => u.pathname === '/never'));
      await page.close();
    } finally {
      await extra.stop();
    }
  });
});
