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
 * A page like Angel's enable-TOTP page once TOTP is enabled: the QR code of `otpauthLink`, and
 * with `loginForm` the Client ID and TOTP fields of Angel's login form too.
 */
export async function enableTotpHtml(otpauthLink, { loginForm = false } = {}) {
  const qr = await QRCode.toDataURL(otpauthLink, { scale: 5, margin: 4 });
  const form = loginForm
    ? `<p><label>Client ID <input id="clientId" name="clientId"></label></p>
        <p><label>TOTP <input id="totp" name="totp" inputmode="numeric" maxlength="6"></label></p>`
    : '';
  return `<!doctype html><title>Enable TOTP</title><h1>Enable TOTP</h1>${form}
        <img id="qr" alt="QR code" src="${qr}">`;
}

/** Writes the QR code of `otpauthLink` to a PNG file in a fresh temporary folder; its path. */
export async function qrImageFile(otpauthLink) {
  const file = join(mkdtempSync(join(tmpdir(), 'halo-qr-')), 'qr.png');
  await QRCode.toFile(file, otpauthLink, { scale: 4 });
  return file;
}

/** Serves enableTotpHtml(otpauthLink) for every address under https://smartapi.angelone.in/. */
export async function routeEnableTotpPage(context, otpauthLink) {
  const body = await enableTotpHtml(otpauthLink);
  await context.route('https://smartapi.angelone.in/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }),
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
