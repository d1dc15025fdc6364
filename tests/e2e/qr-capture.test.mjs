// "Read QR from tab" for real: chrome.tabs.captureVisibleTab on a page served under Angel's
// enable-TOTP host, decoded in wasm. Chromium captures a tab only with activeTab (a click on the
// toolbar button) or <all_urls> (Halo asks for it with the browser's own prompt, which no test
// can answer). So this test loads a copy of the built extension whose only difference is that
// <all_urls> is granted at install; the popup's request then resolves at once and everything
// after it, capture included, is the shipped code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { launchWithExtension, openPoppedOutHalo } from './lib/browser.mjs';
import { PASSPHRASE } from './lib/mainjob.mjs';
import { createVault } from './lib/popup.mjs';
import { totp } from './lib/totp.mjs';

const extensionDir = process.env.HALO_EXTENSION;

/** Made up, nobody's. */
const SECRET = 'MFXGOZLMFVXW4ZJNMRSW23ZBEE';
const LINK = `otpauth://totp/AngelOne:Z888888?secret=${SECRET}&issuer=AngelOne`;

/** A copy of the built extension with <all_urls> granted at install instead of on request. */
function withAllSitesGranted(dir) {
  const copy = mkdtempSync(join(tmpdir(), 'halo-all-sites-'));
  cpSync(dir, copy, { recursive: true });
  const manifestPath = join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.host_permissions.push('<all_urls>');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return copy;
}

test('Read QR from tab captures the visible Angel page and reads its QR code', async () => {
  assert.ok(extensionDir, 'run through ./build.sh test (HALO_EXTENSION)');
  const qr = await QRCode.toDataURL(LINK, { scale: 5, margin: 4 });
  const { context, worker } = await launchWithExtension({
    extensionDir: withAllSitesGranted(extensionDir),
  });
  try {
    await context.route('https://smartapi.angelone.in/**', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><title>Enable TOTP</title><h1>Enable TOTP</h1>
          <img id="qr" alt="QR code" src="${qr}">`,
      }),
    );
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
