// The page cannot trade. With Halo unlocked, logged in and its ticket open, a page under
// TradingView's real host name forges window.postMessage and custom events, calls
// chrome.runtime.sendMessage with Halo's id, clicks everything (a lookalike Halo panel's
// Confirm included), puts markup and 10 MB in its title and flips a fake symbol header.
// No order reaches the sandbox, no session token or key is readable from the page, and none of
// the page's markup runs in Halo's window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchWithExtension, openPoppedOutHalo } from './lib/browser.mjs';
import { TEST_ACCOUNT } from './lib/mainjob.mjs';
import { addAccount } from './lib/popup.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { routeHtml, vaultOnSandbox } from './lib/sites.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const HOSTILE = 'https://www.tradingview.com/chart/h0st1le/?symbol=NSE%3ARELIANCE';
/** How long the page keeps attacking before the verdict. */
const ATTACK_MS = 4000;

/** Every string of 16 characters or more in Halo's session storage: tokens, the vault key. */
async function sessionSecrets(worker) {
  return worker.evaluate(async () => {
    const found = [];
    const walk = (value) => {
      if (typeof value === 'string' && value.length >= 16) found.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    const all = await chrome.storage.session.get(null);
    for (const [key, value] of Object.entries(all)) if (!key.startsWith('page:')) walk(value);
    return found;
  });
}

test('a hostile page places no order and reads no token', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  const sandbox = await startSandbox({ bin, accounts: [TEST_ACCOUNT], fillAfterMs: 100 });
  const browser = await launchWithExtension({ extensionDir });
  try {
    const popup = await openPoppedOutHalo(browser);
    await vaultOnSandbox(popup, sandbox.url);
    await addAccount(popup, TEST_ACCOUNT);
    await popup.getByRole('button', { name: 'Log in' }).first().click();
    await popup.getByText(`Logged in as ${TEST_ACCOUNT.name}`).waitFor({ timeout: 15000 });
    const secrets = await sessionSecrets(browser.worker);
    assert.ok(secrets.length >= 2, 'the session holds a token and the vault key');

    await routeHtml(browser.context, 'https://www.tradingview.com',
      readFileSync(join(here, 'pages', 'hostile-chart.html'), 'utf8'));
    const page = browser.context.pages().find((p) => !p.url().startsWith('chrome-extension:'))
      ?? (await browser.context.newPage());
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(HOSTILE);
    await page.bringToFront();
    await page.waitForTimeout(ATTACK_MS);

    assert.deepEqual(await sandbox.orders(), [], 'no order reached the broker');

    const seenByPage = await page.evaluate(() => JSON.stringify({
      html: document.documentElement.outerHTML,
      globals: Object.keys(window),
      saw: window.pageSaw,
      storage: { ...localStorage },
      session: { ...sessionStorage },
      cookie: document.cookie,
      chromeStorage: typeof chrome !== 'undefined' && typeof chrome.storage !== 'undefined',
      runtimeId: typeof chrome !== 'undefined' && chrome.runtime ? chrome.runtime.id ?? null
        : null,
    }));
    for (const secret of secrets) {
      assert.ok(!seenByPage.includes(secret), 'a session secret is readable from the page');
    }
    const view = JSON.parse(seenByPage);
    assert.equal(view.chromeStorage, false, 'the page has no chrome.storage');
    assert.equal(view.runtimeId, null, 'the page cannot address Halo');

    // Halo's window drew none of the page's markup and ran none of it.
    const ran = await popup.evaluate(() => [window.headerMarkupRan, window.titleMarkupRan]);
    assert.deepEqual(ran, [undefined, undefined]);
    assert.equal(await popup.locator('.ticket img, .ticket script').count(), 0);
    // Whatever the flipping header said last, the ticket shows a real row of the master.
    const symbol = popup.locator('.ticket .instrument .trading-symbol').first();
    await symbol.waitFor({ timeout: 10000 });
    assert.match((await symbol.textContent()).trim(), /^(RELIANCE|SBIN)-EQ$/);

    // The page's report was cut to size: the kept record is a symbol, not 10 MB of title.
    const records = await browser.worker.evaluate(async () => {
      const all = await chrome.storage.session.get(null);
      return Object.entries(all).filter(([key]) => key.startsWith('page:'))
        .map(([, value]) => value.symbol);
    });
    assert.ok(records.every((symbol) => symbol.length <= 64), JSON.stringify(records));
    assert.deepEqual(await sandbox.orders(), [], 'still no order');
  } finally {
    await browser.context.close();
    sandbox.stop();
  }
});
