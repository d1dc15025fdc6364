// TOTP on Angel's own pages in Firefox ESR: the fill button on Angel's login page fills the right
// account's code, only after a real click; "Pop out" opens Halo in a popup window of its own; the
// setup guide reads the TOTP QR code on Angel's enable-TOTP page from a capture of its tab.
// Reading a tab's QR code with Halo as shipped (the guide, the popped-out window's "Read QR from
// tab") is broken in Firefox and runs as TODO tests until it is fixed. Every code is checked
// against an independent RFC 6238 implementation; the secrets are made up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { By, until } from 'selenium-webdriver';
import {
  enableTotpHtml, qrImageFile, withAllSitesGranted,
} from '../e2e/lib/angel-pages.mjs';
import { PASSPHRASE } from '../e2e/lib/mainjob.mjs';
import { totp } from '../e2e/lib/totp.mjs';
import { launchFirefoxWithHalo } from './lib/firefox.mjs';
import {
  addAccount, button, createVault, newWindow, openPopup, unfold, waitForText,
} from './lib/popup.mjs';

const extensionDir = process.env.HALO_FIREFOX_EXTENSION;

/** Made up, nobody's. */
const SECRET = 'KRUGS4ZANFZSA3TPEBZWKY3SMV2CAYLUEBQWY3A';
const CLIENT = 'Z777777';
const LINK = `otpauth://totp/AngelOne:${CLIENT}?secret=${SECRET}&issuer=AngelOne`;
/** Another made-up account, saved first: a fill blind to the page's client code gives its code. */
const OTHER = { clientcode: 'Z666666', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
const ENABLE_TOTP_URL = 'https://smartapi.angelone.in/enable-totp';

/** Whether `shown` is the code of `secret` at some moment from `since` (unix seconds) to now. */
function isCodeSince(shown, secret, since) {
  const now = Date.now() / 1000;
  return [since, now].some((at) => totp(secret, at) === shown);
}

/**
 * Firefox with Halo (`extensionDir`, with `prefs`) and Angel's enable-TOTP page showing LINK's
 * QR code (with the login form's fields when `loginForm`), open in the first window.
 */
async function firefoxOnAngelPage({ extensionDir: dir = extensionDir, loginForm, prefs } = {}) {
  assert.ok(extensionDir, 'run through ./build.sh test (HALO_FIREFOX_EXTENSION)');
  const firefox = await launchFirefoxWithHalo({
    extensionDir: dir,
    prefs,
    pages: { 'smartapi.angelone.in': await enableTotpHtml(LINK, { loginForm }) },
  });
  try {
    await firefox.driver.get(ENABLE_TOTP_URL);
    await firefox.driver.wait(until.elementLocated(By.id('qr')), 10000);
    return firefox;
  } catch (error) {
    await firefox.close();
    throw error;
  }
}

test('Firefox: the fill button on Angel\'s page fills the right code, only on a real click',
  async () => {
    const firefox = await firefoxOnAngelPage({ loginForm: true });
    try {
      const { driver, extensionUrl } = firefox;
      const angelWindow = await driver.getWindowHandle();
      await openPopup(driver, extensionUrl);
      await createVault(driver, PASSPHRASE);
      await addAccount(driver, {
        label: 'Other', clientcode: OTHER.clientcode, mpin: '1357', apiKey: 'made-up-key-1',
        secret: OTHER.secret,
      });
      await addAccount(driver, {
        label: 'Main', clientcode: CLIENT, mpin: '2468', apiKey: 'made-up-key-2', secret: SECRET,
      });

      await driver.switchTo().window(angelWindow);
      await driver.findElement(By.id('clientId')).sendKeys(CLIENT);
      const fill = await driver.wait(
        until.elementLocated(By.css('button[aria-label="Fill the code from Halo"]')),
        10000,
        'no fill button beside the TOTP field',
      );
      const codeField = await driver.findElement(By.id('totp'));
      const settle = () => driver.sleep(500);
      await settle();
      assert.equal(await codeField.getAttribute('value'), '', 'nothing filled unasked');
      // A click made by the page's own script is not the user's.
      await driver.executeScript((target) => target.click(), fill);
      await settle();
      assert.equal(await codeField.getAttribute('value'), '', 'a scripted click fills nothing');

      const clicked = Date.now() / 1000;
      await fill.click();
      // Halo holds back a code in its last seconds and fills the next one.
      await driver.wait(async () => (await codeField.getAttribute('value')).length === 6, 10000,
        'a real click filled nothing');
      const filled = await codeField.getAttribute('value');
      assert.ok(isCodeSince(filled, SECRET, clicked),
        `filled ${filled}, not ${CLIENT}'s code by RFC 6238`);
      console.log(`a real click filled ${filled}, ${CLIENT}'s code by RFC 6238`);
    } finally {
      await firefox.close();
    }
  });

/** What a QR read shows (`css`) or Halo's error, whichever comes first; fails on the error. */
async function readOutcome(driver, css) {
  const shown = await driver.wait(
    until.elementLocated(By.css(`${css}, .error[role="alert"]`)),
    15000,
  );
  const failed = (await shown.getAttribute('class')).split(' ').includes('error');
  assert.ok(!failed, `Halo: ${await shown.getText()}`);
  return shown;
}

/**
 * Checks the QR code's `preview` in the popup shows LINK's issuer and account, saves it, and
 * checks the saved entry's code is RFC 6238's for SECRET.
 */
async function confirmAngelEntry(driver, preview) {
  const text = async (css) => (await preview.findElement(By.css(css)).getText()).trim();
  assert.equal(await text('.qr-issuer'), 'AngelOne');
  assert.equal(await text('.qr-account'), CLIENT);

  const started = Date.now() / 1000;
  await (await button(driver, 'Confirm and save')).click();
  const code = await driver.wait(
    until.elementLocated(By.css(`[aria-label="Code for AngelOne (${CLIENT})"]`)),
    10000,
  );
  const shown = (await code.getText()).replace(/\s+/g, '');
  assert.ok(isCodeSince(shown, SECRET, started), `shown ${shown}, not RFC 6238's`);
  return shown;
}

/**
 * Opens Halo's page as the toolbar button shows it, creates the vault and clicks "Pop out";
 * resolves to the handles of that page and of the window Pop out opened, now the current one,
 * once it shows Halo still unlocked.
 */
async function popOut(driver, extensionUrl) {
  const docked = await openPopup(driver, extensionUrl, { page: 'popup.html' });
  await createVault(driver, PASSPHRASE);
  const before = new Set(await driver.getAllWindowHandles());
  await (await button(driver, 'Pop out')).click();
  const poppedOut = await newWindow(driver, before, 'Pop out opened no window');
  await driver.switchTo().window(poppedOut);
  await driver.wait(until.urlMatches(/\/popup\.html\?window=1$/), 10000,
    'the new window shows no popped-out Halo');
  // The vault opened in the page before is open here too.
  await button(driver, 'Lock');
  return { docked, poppedOut };
}

test('Firefox: Pop out opens Halo\'s own window, unlocked, which reads a QR file', async () => {
  const firefox = await firefoxOnAngelPage();
  try {
    const { driver, extensionUrl } = firefox;
    const { docked } = await popOut(driver, extensionUrl);
    const kind = await driver.executeAsyncScript((done) => {
      chrome.windows.getCurrent().then((window) => done(window.type), (e) => done(`${e}`));
    });
    assert.equal(kind, 'popup', 'Halo\'s own window is a popup window');
    // The page Pop out was clicked on closes, as the toolbar's popup does.
    await driver.wait(async () => !(await driver.getAllWindowHandles()).includes(docked), 5000,
      'the page with the Pop out button stayed open');

    // Nothing offers to pop out again.
    const again = await driver.findElements(By.xpath("//button[normalize-space()='Pop out']"));
    assert.equal(again.length, 0, 'the popped-out window offers Pop out again');

    // What works there in Firefox today: a screenshot of the QR code, chosen as a file.
    await unfold(driver, 'Add TOTP entry');
    const file = await driver.findElement(By.css('.file-button input[type="file"]'));
    await file.sendKeys(await qrImageFile(LINK));
    const shown = await confirmAngelEntry(
      driver, await readOutcome(driver, '[aria-label="Read from the QR code"]'));
    console.log(`a QR image file in the popped-out window gave ${shown}, RFC 6238's code`);
  } finally {
    await firefox.close();
  }
});

/** Firefox's pref that grants an add-on's request for a permission without the prompt. */
const NO_PERMISSION_PROMPTS = { 'extensions.webextOptionalPermissionPrompts': false };

// Firefox lets captureVisibleTab see a page only with <all_urls> or activeTab: a host permission
// for the page is not enough. The first run has <all_urls> at install, as the Chromium
// qr-capture test's copy of Halo has; the second runs Halo as shipped, which asks for
// <all_urls> within the click (Firefox refuses a request made after an await), with Firefox's
// prompt answered yes by a pref. Everything else is the shipped code.
for (const { how, grantAtInstall } of [
  { how: 'with <all_urls> at install', grantAtInstall: true },
  { how: 'asking for <all_urls>' },
]) {
  test(`Firefox: the setup guide reads the QR code on Angel's page, ${how}`,
    async () => {
      const firefox = await firefoxOnAngelPage(grantAtInstall
        ? { extensionDir: withAllSitesGranted(extensionDir) }
        : { prefs: NO_PERMISSION_PROMPTS });
      try {
        const { driver, extensionUrl } = firefox;
        await openPopup(driver, extensionUrl, { page: 'options.html#guide' });
        await waitForText(driver, 'Set up Halo with Angel One');
        for (const step of [2, 3]) {
          await (await button(driver, 'Next')).click();
          await waitForText(driver, `Step ${step} of 5`);
        }

        const started = Date.now() / 1000;
        await (await button(driver, 'Read QR from Angel\'s page')).click();
        await readOutcome(driver, '.done[role="status"]');
        const first = await driver.findElement(By.css('[aria-label="First code"]'));
        const shown = (await first.getText()).replace(/\s+/g, '');
        assert.ok(isCodeSince(shown, SECRET, started), `first code ${shown}, not RFC 6238's`);
        console.log(`the guide read the QR code on Angel's tab; first code ${shown}`);
      } finally {
        await firefox.close();
      }
    });
}

// The popped-out window has no activeTab: Halo asks for <all_urls> within the click, captures
// the browser window's tab (not its own window, which has the focus), and gives it back.
test('Firefox: Read QR from tab, in the popped-out window, reads Angel\'s page', async () => {
  const firefox = await firefoxOnAngelPage({ prefs: NO_PERMISSION_PROMPTS });
  try {
    const { driver, extensionUrl } = firefox;
    await popOut(driver, extensionUrl);
    await unfold(driver, 'Add TOTP entry');
    await (await button(driver, 'Read QR from tab')).click();
    const outcome = await readOutcome(driver, '[aria-label="Read from the QR code"]');
    await confirmAngelEntry(driver, outcome);
    const origins = await driver.executeAsyncScript((done) => {
      chrome.permissions.getAll().then((all) => done(all.origins), () => done(null));
    });
    assert.ok(!origins.includes('<all_urls>'), 'Halo kept the permission to see every site');
  } finally {
    await firefox.close();
  }
});
