// Angel's enable-TOTP page, served under Angel's real host name, and the extension copy that can
// capture it: what the QR-reading tests share.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';

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
