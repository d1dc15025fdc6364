// The walking skeleton's main job in Firefox ESR: dist/firefox installed as a temporary add-on,
// the real `halo sandbox` over HTTP, a TradingView-shaped page under TradingView's host name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { By, until } from 'selenium-webdriver';
import {
  CHART_URL, LIMIT_PRICE, PASSPHRASE, TEST_ACCOUNT, plausibleCodes,
} from '../e2e/lib/mainjob.mjs';
import { startSandbox } from '../e2e/lib/sandbox.mjs';
import { launchFirefoxWithHalo } from './lib/firefox.mjs';
import {
  addAccount, button, createVault, fill, openPopup, screenshot, setEndpoint, waitForText,
} from './lib/popup.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_FIREFOX_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'firefox-main-job');

test('Firefox: a trader places one order from a TradingView chart via the sandbox', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_FIREFOX_EXTENSION)');
  mkdirSync(outputDir, { recursive: true });
  const sandbox = await startSandbox({ bin, accounts: [TEST_ACCOUNT] });
  let firefox;
  try {
    firefox = await launchFirefoxWithHalo({ extensionDir });
    const { driver, extensionUrl } = firefox;
    const shot = (name) => screenshot(driver, join(outputDir, `${name}.png`));

    await driver.get(CHART_URL);
    await driver.wait(until.titleContains('TradingView'), 10000);
    await openPopup(driver, extensionUrl);
    await shot('01-first-run');

    // Firefox grants an MV3 add-on's host permissions at install only from version 127 on, and
    // a missing one fails quietly (no content script, a blocked fetch): say so plainly here.
    const granted = await driver.executeAsyncScript((done) => {
      chrome.permissions.getAll().then((all) => done(all.origins), () => done([]));
    });
    // Firefox lists a content script's match pattern by its origin only.
    for (const origin of ['http://127.0.0.1/*', 'https://*.tradingview.com/*']) {
      assert.ok(granted.includes(origin), `Firefox did not grant ${origin}: ${granted}`);
    }

    await createVault(driver, PASSPHRASE);
    await setEndpoint(driver, sandbox.url);
    await addAccount(driver, {
      label: 'Main',
      clientcode: TEST_ACCOUNT.clientcode,
      mpin: TEST_ACCOUNT.mpin,
      apiKey: TEST_ACCOUNT.api_key,
      secret: TEST_ACCOUNT.totp_secret,
    });
    const code = await driver.wait(
      until.elementLocated(By.css('[aria-label="Current code"]')),
      10000,
    );
    const shownCode = (await code.getText()).replace(/\s+/g, '');
    assert.ok(
      plausibleCodes(TEST_ACCOUNT.totp_secret).includes(shownCode),
      `popup code ${shownCode} is not RFC 6238's code for the account's secret`,
    );
    await shot('02-account-added');

    await (await button(driver, 'Log in')).click();
    await waitForText(driver, `Logged in as ${TEST_ACCOUNT.name} (${TEST_ACCOUNT.clientcode})`);
    // The ticket follows the chart tab, active in the other window.
    await waitForText(driver, 'RELIANCE-EQ');
    await shot('03-ticket');

    await (await button(driver, 'Buy')).click();
    await fill(driver, 'Quantity', '1');
    await fill(driver, 'Price', LIMIT_PRICE);
    await (await button(driver, 'Place order')).click();
    await (await button(driver, 'Confirm')).click();
    const orderId = await driver.wait(until.elementLocated(By.css('.order-id')), 15000);
    const shownOrderId = (await orderId.getText()).trim();
    await waitForText(driver, 'complete');
    await shot('04-order-placed');

    const orders = await sandbox.orders();
    assert.equal(orders.length, 1, 'exactly one order reached the broker');
    const [received] = orders;
    assert.equal(received.request.symboltoken, '2885');
    assert.equal(received.request.tradingsymbol, 'RELIANCE-EQ');
    assert.equal(received.request.transactiontype, 'BUY');
    assert.equal(Number(received.request.quantity), 1);
    assert.equal(Number(received.request.price), Number(LIMIT_PRICE));
    assert.equal(shownOrderId, received.orderid, 'the popup shows the id the broker gave');
  } finally {
    await firefox?.close();
    sandbox.stop();
  }
});
