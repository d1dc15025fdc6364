// The publisher login for an app whose one redirect URL is the trader's own HTTPS address, not
// chromiumapp.org: Halo opens Angel's page in a normal tab, watches it reach that address, takes
// the tokens and closes the tab. The built extension in headless Chromium against `halo sandbox`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fillPublisherPage, openPublisherPage } from './lib/angel-pages.mjs';
import { launchWithExtension, openPoppedOutHalo } from './lib/browser.mjs';
import { accountRow, saveAccount } from './lib/popup.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { vaultOnSandbox } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'login-redirect-watch');
mkdirSync(outputDir, { recursive: true });

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const CALLBACK = 'https://trader.example/callback';

const ACCOUNT = {
  clientcode: 'P222222',
  mpin: '4321',
  totp_secret: SECRET,
  api_key: 'own-redirect-key',
  name: 'Meera Publisher',
  platform: 'SMART_API_M',
  redirect_url: CALLBACK,
};

test('SMART_API_M with its own redirect URL logs in through a watched tab', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  const { context, worker } = await launchWithExtension({ extensionDir });
  let sandbox;
  try {
    sandbox = await startSandbox({ bin, accounts: [ACCOUNT] });
    const served = [];
    await context.route(`${CALLBACK}*`, (route) => {
      served.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: 'should not be seen' });
    });

    const popup = await openPoppedOutHalo({ context, worker });
    await vaultOnSandbox(popup, sandbox.url);
    await saveAccount(popup, { label: 'Own redirect', platform: 'SMART_API_M',
      apiKey: ACCOUNT.api_key });

    // The account's own registered redirect URL, set in its Edit form: checked as an https
    // address before it is kept.
    const ownRow = accountRow(popup, 'Own redirect');
    await ownRow.getByRole('button', { name: 'Edit Own redirect' }).click();
    const field = ownRow.getByLabel("Your app's redirect URL");
    await field.fill('http://trader.example/callback');
    await ownRow.getByRole('button', { name: 'Save changes' }).click();
    await ownRow.getByText('must be an https:// address').waitFor({ timeout: 10000 });
    await field.fill(CALLBACK);
    await ownRow.getByRole('button', { name: 'Save changes' }).click();
    await field.waitFor({ state: 'detached', timeout: 10000 });
    await ownRow.getByRole('button', { name: 'Edit Own redirect' }).click();
    assert.equal(await ownRow.getByLabel("Your app's redirect URL").inputValue(), CALLBACK);
    await popup.screenshot({ path: join(outputDir, '00-own-redirect-field.png'), fullPage: true });
    await ownRow.getByRole('button', { name: 'Cancel' }).click();

    const tab = await openPublisherPage(context, accountRow(popup, 'Own redirect'));
    assert.match(tab.url(), /\/publisher-login\?api_key=own-redirect-key&state=[0-9a-f]{32}$/);
    await tab.screenshot({ path: join(outputDir, '01-publisher-tab.png') });

    const tabClosed = tab.waitForEvent('close', { timeout: 15000 });
    await fillPublisherPage(tab, { clientcode: ACCOUNT.clientcode, pin: ACCOUNT.mpin,
      secret: SECRET });
    await tabClosed;

    await popup.getByText('Logged in as Meera Publisher (P222222)').waitFor({ timeout: 15000 });
    await popup.screenshot({ path: join(outputDir, '02-logged-in.png'), fullPage: true });
    const urls = context.pages().map((p) => p.url());
    assert.ok(!urls.some((url) => url.includes('auth_token')), urls.join(' '));
    // Angel's page (and the sandbox) answer with a 302, which the browser follows inside the
    // network stack: the callback is fetched before any navigation event can close the tab.
    // Record what happened instead of pretending the fetch never took place.
    assert.ok(served.length <= 1, `callback fetched ${served.length} times`);
    if (served.length > 0) {
      console.log('note: the redirect page was fetched once before the tab closed');
    }
  } finally {
    await context.close().catch(() => {});
    sandbox?.stop();
  }
});
