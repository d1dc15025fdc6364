// The publisher login for an app whose one redirect URL is the trader's own HTTPS address, in
// Firefox ESR: Halo opens Angel's page in a normal tab, watches it (webNavigation) reach that
// address, takes the tokens and closes the tab.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { By } from 'selenium-webdriver';
import { PASSPHRASE } from '../e2e/lib/mainjob.mjs';
import { startSandbox } from '../e2e/lib/sandbox.mjs';
import { totp } from '../e2e/lib/totp.mjs';
import { launchFirefoxWithHalo } from './lib/firefox.mjs';
import {
  accountRow, addAccount, button, createVault, fill, openPopup, screenshot, setEndpoint,
  waitForText,
} from './lib/popup.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_FIREFOX_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'firefox-redirect-watch');

const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const CALLBACK_HOST = 'trader.example';
const CALLBACK = `https://${CALLBACK_HOST}/callback`;

test('Firefox: SMART_API_M with its own redirect URL logs in through a watched tab', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_FIREFOX_EXTENSION)');
  mkdirSync(outputDir, { recursive: true });
  const sandbox = await startSandbox({
    bin,
    accounts: [{
      clientcode: 'P222222',
      mpin: '4321',
      totp_secret: SECRET,
      api_key: 'own-redirect-key',
      name: 'Meera Publisher',
      platform: 'SMART_API_M',
      redirect_url: CALLBACK,
    }],
  });
  let firefox;
  try {
    firefox = await launchFirefoxWithHalo({
      extensionDir,
      pages: { [CALLBACK_HOST]: 'should not be seen' },
    });
    const { driver, extensionUrl } = firefox;
    const popupWindow = await openPopup(driver, extensionUrl);
    await createVault(driver, PASSPHRASE);
    await setEndpoint(driver, sandbox.url);
    await addAccount(driver, {
      label: 'Own redirect',
      platform: 'SMART_API_M',
      apiKey: 'own-redirect-key',
    });

    const row = accountRow('Own redirect');
    await (await driver.findElement(By.css('button[aria-label="Edit Own redirect"]'))).click();
    await fill(driver, "Your app's redirect URL", CALLBACK);
    await (await button(driver, 'Save changes', row)).click();
    // The form closes once the worker has checked and kept the address.
    await driver.wait(
      async () => (await driver.findElements(By.id('edit-own-redirect'))).length === 0,
      10000,
      'the redirect URL was not saved',
    );

    const before = new Set(await driver.getAllWindowHandles());
    await (await button(driver, 'Log in', row)).click();
    const tab = await driver.wait(async () => {
      const opened = (await driver.getAllWindowHandles()).filter((h) => !before.has(h));
      return opened[0];
    }, 10000, 'Halo opened no login tab');
    await driver.switchTo().window(tab);
    await driver.wait(async () => (await driver.getCurrentUrl()).includes('/publisher-login'));
    assert.match(
      await driver.getCurrentUrl(),
      /\/publisher-login\?api_key=own-redirect-key&state=[0-9a-f]{32}$/,
    );
    await screenshot(driver, join(outputDir, '01-publisher-tab.png'));
    await fill(driver, 'Client code', 'P222222');
    await fill(driver, 'PIN', '4321');
    await fill(driver, 'TOTP', totp(SECRET, Date.now() / 1000));
    await (await button(driver, 'Login')).click();

    await driver.wait(
      async () => !(await driver.getAllWindowHandles()).includes(tab),
      15000,
      'Halo did not close the login tab',
    );
    await driver.switchTo().window(popupWindow);
    await waitForText(driver, 'Logged in as Meera Publisher (P222222)');
    await screenshot(driver, join(outputDir, '02-logged-in.png'));
    // As in Chromium, the browser follows Angel's 302 in its network stack: the callback may
    // be fetched once before any navigation event can close the tab.
    const callbacks = firefox.served.filter((url) => url.startsWith(CALLBACK));
    assert.ok(callbacks.length <= 1, `callback fetched ${callbacks.length} times`);
    console.log(`note: the redirect URL was fetched ${callbacks.length} time(s) first`);
  } finally {
    await firefox?.close();
    sandbox.stop();
  }
});
