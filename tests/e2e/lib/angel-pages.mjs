// Angel's pages as the tests meet them: the enable-TOTP page, served under Angel's real host
// name, with the extension copy that can capture it (what the QR-reading tests share); and the
// publisher login page the sandbox serves, opened and filled in as a person would.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { totp } from './totp.mjs';

/**
 * A copy of the built extension with <all_urls> granted at install instead of on request.
 * Chromium captures a tab only with activeTab (a click on the toolbar button) or <all_urls>
 * (Halo asks for it with the browser's own prompt, which no test can answer); with the grant in
 * place, Halo's request resolves at once and everything after it is the shipped code.
 */
export function withAllSitesGranted(dir) {
  const copy = mkdtempSync(join(tmpdir(), 'halo-all-sites-'));
  cpSync(dir, copy, { recursive: true });
  const manifestPath = join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.host_permissions.push('<all_urls>');
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return copy;
}

/**
 * Serves a page showing the QR code of `otpauthLink` for every address under
 * https://smartapi.angelone.in/, as Angel's enable-TOTP page shows one once TOTP is enabled.
 */
export async function routeEnableTotpPage(context, otpauthLink) {
  const qr = await QRCode.toDataURL(otpauthLink, { scale: 5, margin: 4 });
  await context.route('https://smartapi.angelone.in/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><title>Enable TOTP</title><h1>Enable TOTP</h1>
        <img id="qr" alt="QR code" src="${qr}">`,
    }),
  );
}

/**
 * Clicks "Log in" in `account` (a publisher account's row) and resolves to the window or tab
 * Angel's publisher page opens in, once it has loaded.
 */
export async function openPublisherPage(context, account) {
  const opened = context.waitForEvent('page', (page) => page.url().includes('/publisher-login'));
  await account.getByRole('button', { name: 'Log in' }).click();
  const page = await opened;
  await page.waitForLoadState('domcontentloaded');
  return page;
}

/** Logs in on Angel's publisher page as a person would, with the current code for `secret`. */
export async function fillPublisherPage(page, { clientcode, pin, secret }) {
  await page.getByLabel('Client code').fill(clientcode);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByLabel('TOTP').fill(totp(secret, Date.now() / 1000));
  await page.getByRole('button', { name: 'Login' }).click();
}
