// "Read QR from tab" for real: chrome.tabs.captureVisibleTab on a page served under Angel's
// enable-TOTP host, decoded in wasm. The extension is a copy whose only difference is that
// <all_urls> is granted at install (see withAllSitesGranted); everything after the permission
// request, capture included, is the shipped code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeEnableTotpPage, withAllSitesGranted } from './lib/angel-pages.mjs';
import { launchWithExtension, openPoppedOutHalo } from './lib/browser.mjs';
import { PASSPHRASE } from './lib/mainjob.mjs';
import { createVault } from './lib/popup.mjs';
import { totp } from './lib/totp.mjs';

const extensionDir = process.env.HALO_EXTENSION;

/** Made up, nobody's. */
const SECRET = 'MFXGOZLMFVXW4ZJNMRSW23ZBEE';
const LINK = `otpauth://totp/AngelOne:Z888888?secret=${SECRET}&issuer=AngelOne`;

test('Read QR from tab captures the visible Angel page and reads its QR code', async () => {
  assert.ok(extensionDir, 'run through ./build.sh test (HALO_EXTENSION)');
  const { context, worker } = await launchWithExtension({
    extensionDir: withAllSitesGranted(extensionDir),
  });
  try {
    await routeEnableTotpPage(context, LINK);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('https://smartapi.angelone.in/enable-totp');
    await page.locator('#qr').waitFor();

    const popup = await openPoppedOutHalo({ context, worker });
    await createVault(popup, PASSPHRASE);

    await page.bringToFront();
    await popup.getByText('Add TOTP entry').click();
    await popup.getByRole('button', { name: 'Read QR from tab' }).click();
    const preview = popup.getByRole('group', { name: 'Read from the QR code' });
    await preview.waitFor({ timeout: 15000 });
    assert.equal((await preview.locator('.qr-issuer').textContent()).trim(), 'AngelOne');
    assert.equal((await preview.locator('.qr-account').textContent()).trim(), 'Z888888');

    await preview.getByRole('button', { name: 'Confirm and save' }).click();
    const code = popup.getByLabel('Code for AngelOne (Z888888)');
    await code.waitFor({ timeout: 10000 });
    const now = Date.now() / 1000;
    const shown = (await code.textContent()).replace(/\s+/g, '');
    assert.ok([totp(SECRET, now - 1), totp(SECRET, now)].includes(shown), `shown ${shown}`);

    // In a code's last 5 seconds the next one shows too, and it is the next step's code.
    const next = popup.locator('.next-code .digits').first();
    await next.waitFor({ timeout: 31000 });
    const nextShown = (await next.textContent()).trim();
    const soon = Date.now() / 1000 + 30;
    const expected = [totp(SECRET, soon - 1), totp(SECRET, soon)];
    assert.ok(expected.includes(nextShown), `next ${nextShown}`);
  } finally {
    await context.close();
  }
});
