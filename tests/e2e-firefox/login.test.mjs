// The publisher login (SMART_API_M) in Firefox ESR: Firefox's identity.launchWebAuthFlow opens
// the sandbox's copy of Angel's login page in a window, the page is filled in as a person would,
// and Angel's redirect to Firefox's own redirect URL hands Halo the tokens.
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
  accountRow, addAccount, button, createVault, field, fill, openPopup, screenshot, setEndpoint,
  unfold, waitForText,
} from './lib/popup.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_FIREFOX_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'firefox-login');

/** RFC 6238's published test key. */
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** Firefox's identity redirect: the SHA-1 of the add-on id under extensions.allizom.org. */
const FIREFOX_REDIRECT = /^https:\/\/[0-9a-f]{40}\.extensions\.allizom\.org\/$/;

test('Firefox: SMART_API_M logs in through identity.launchWebAuthFlow', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_FIREFOX_EXTENSION)');
  mkdirSync(outputDir, { recursive: true });
  let sandbox;
  const firefox = await launchFirefoxWithHalo({ extensionDir });
  try {
    const { driver, extensionUrl } = firefox;
    const shot = (name) => screenshot(driver, join(outputDir, `${name}.png`));
    const popupWindow = await openPopup(driver, extensionUrl);

    // The Publisher app must have registered exactly the URL this browser redirects to.
    const redirectUrl = await driver.executeScript(() => chrome.identity.getRedirectURL());
    assert.match(redirectUrl, FIREFOX_REDIRECT);
    sandbox = await startSandbox({
      bin,
      accounts: [{
        clientcode: 'P111111',
        mpin: '4321',
        totp_secret: SECRET,
        api_key: 'publisher-api-key',
        name: 'Ravi Publisher',
        platform: 'SMART_API_M',
        redirect_url: redirectUrl,
      }],
    });

    await createVault(driver, PASSPHRASE);
    await setEndpoint(driver, sandbox.url);
    await addAccount(driver, {
      label: 'Publisher',
      platform: 'SMART_API_M',
      apiKey: 'publisher-api-key',
    });
    await unfold(driver, 'Settings');
    const shown = await driver.findElement(By.css('[aria-label="Redirect URL"]'));
    assert.equal((await shown.getText()).trim(), redirectUrl, 'settings show Firefox\'s URL');
    await shot('01-publisher-settings');

    const before = new Set(await driver.getAllWindowHandles());
    await (await button(driver, 'Log in', accountRow('Publisher'))).click();
    const loginWindow = await driver.wait(async () => {
      const opened = (await driver.getAllWindowHandles()).filter((h) => !before.has(h));
      return opened[0];
    }, 10000, 'Firefox opened no login window');
    // Halo's window goes, as the toolbar popup does when the login window takes focus: the
    // worker finishes the login alone.
    await driver.close();
    await driver.switchTo().window(loginWindow);
    await driver.wait(async () => (await driver.getCurrentUrl()).includes('/publisher-login'));
    assert.match(
      await driver.getCurrentUrl(),
      /\/publisher-login\?api_key=publisher-api-key&state=[0-9a-f]{32}$/,
    );
    await shot('02-publisher-page');
    await fill(driver, 'Client code', 'P111111');
    await fill(driver, 'PIN', '4321');
    await fill(driver, 'TOTP', totp(SECRET, Date.now() / 1000));
    await (await button(driver, 'Login')).click();

    // Firefox closes the login window itself once it sees the redirect.
    await driver.wait(
      async () => !(await driver.getAllWindowHandles()).includes(loginWindow),
      10000,
      'the login window stayed open',
    );
    const [chartWindow] = await driver.getAllWindowHandles();
    assert.ok(chartWindow && chartWindow !== popupWindow);
    await driver.switchTo().window(chartWindow);
    await openPopup(driver, extensionUrl);
    await waitForText(driver, 'Logged in as Ravi Publisher (P111111)');
    await shot('03-publisher-logged-in');

    await (await button(driver, 'Log out', accountRow('Publisher'))).click();
    await driver.wait(async () => {
      const text = await driver.findElement(By.css('body')).getText();
      return !text.includes('Logged in as');
    }, 10000, 'the session outlived Log out');

    // The daily reminder, due a minute ago on the IST clock (unless it is a weekend in India).
    // Firefox refuses notification buttons with a throw: Halo shows it without one, and only a
    // shown reminder is recorded as given.
    const istNow = new Date(Date.now() + 5.5 * 3600 * 1000 - 60 * 1000);
    await unfold(driver, 'Settings');
    const reminderTime = await field(driver, 'Daily login reminder (IST)');
    await driver.executeScript((input, hhmm) => {
      input.value = hhmm;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, reminderTime, istNow.toISOString().slice(11, 16));
    await (await button(driver, 'Save reminder')).click();
    await waitForText(driver, 'Reminder saved.');
    const reminded = await driver.executeAsyncScript((done) => {
      chrome.storage.local.get('login_reminder_last_ms').then(
        (items) => done(items.login_reminder_last_ms ?? null),
        () => done(null),
      );
    });
    const weekday = ![0, 6].includes(istNow.getUTCDay());
    assert.equal(typeof reminded === 'number', weekday, `reminded: ${reminded}`);
  } finally {
    await firefox.close();
    sandbox?.stop();
  }
});
