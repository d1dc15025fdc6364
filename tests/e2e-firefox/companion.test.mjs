// The companion in Firefox: `halo install --browser firefox` writes the host manifest under the
// user's ~/.mozilla, Firefox starts `halo` with its own argv (the manifest's path and the
// add-on id) when Halo asks for it, and the two pair, the test comparing the popup's code with
// `halo pairing`'s as a person would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { By } from 'selenium-webdriver';
import { PASSPHRASE } from '../e2e/lib/mainjob.mjs';
import { GECKO_ID, launchFirefoxWithHalo } from './lib/firefox.mjs';
import {
  button, createVault, field, openPopup, screenshot, unfold, waitForText,
} from './lib/popup.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_FIREFOX_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'firefox-companion');

test('Firefox: Halo pairs with the companion that `halo install --browser firefox` set up',
  async () => {
    assert.ok(bin && extensionDir, 'run through ./build.sh test');
    mkdirSync(outputDir, { recursive: true });
    // Firefox reads native-messaging manifests from $HOME/.mozilla: a fresh HOME keeps the
    // test away from the real one.
    const env = {
      HOME: mkdtempSync(join(tmpdir(), 'halo-home-')),
      HALO_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'halo-config-')),
    };
    const halo = (...args) =>
      execFileSync(bin, args, { env: { ...process.env, ...env } }).toString();

    halo('install', '--browser', 'firefox');
    const hostManifest = join(env.HOME, '.mozilla', 'native-messaging-hosts',
      'in.halo.companion.json');
    const built = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8'));
    assert.equal(built.browser_specific_settings.gecko.id, GECKO_ID);
    assert.deepEqual(JSON.parse(readFileSync(hostManifest, 'utf8')).allowed_extensions,
      [GECKO_ID], 'the host manifest allows the add-on id dist/firefox pins');

    const firefox = await launchFirefoxWithHalo({ extensionDir, env });
    try {
      const { driver, extensionUrl } = firefox;
      const shot = (name) => screenshot(driver, join(outputDir, `${name}.png`));
      await openPopup(driver, extensionUrl);
      await createVault(driver, PASSPHRASE);

      await unfold(driver, 'Settings');
      await (await field(driver, 'Send orders through the companion')).click();
      await waitForText(driver, 'Not paired yet.');
      await (await button(driver, 'Pair')).click();
      const codeElement = await driver.wait(
        async () => (await driver.findElements(By.id('pairing-code')))[0],
        15000,
        'the popup showed no pairing code',
      );
      const popupCode = (await codeElement.getText()).trim();
      const companionSays = halo('pairing');
      assert.match(popupCode, /^\d{3} \d{3}$/);
      assert.equal(/Pairing code: (\d{3} \d{3})/.exec(companionSays)?.[1], popupCode,
        `halo pairing said: ${companionSays}`);
      await shot('01-pairing-code');

      await (await button(driver, 'Codes match: pair')).click();
      await waitForText(driver, 'Paired; the companion');
      assert.match(halo('pairing'), new RegExp(`Paired Halo extension \\(${GECKO_ID}\\)`));
      await shot('02-paired');
    } finally {
      await firefox.close();
    }
  });
