// Fixture pages served under the real host names of the sites Halo reads symbols from, so the
// manifest's own match patterns inject the content scripts, and the steps every ticket test
// takes: a vault, the sandbox as endpoint, a page, the ticket.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVault } from './popup.mjs';
import { PASSPHRASE } from './mainjob.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Answers every request to `origin` (such as `https://www.nseindia.com`) with the quote-page
 * fixture, titled `title`, under `site`'s name and a heading.
 */
export async function routeQuotePage(context, origin, { site, title, heading }) {
  const template = readFileSync(join(here, '..', 'pages', 'quote-page.html'), 'utf8');
  const body = template
    .replaceAll('{{TITLE}}', title)
    .replaceAll('{{SITE}}', site)
    .replaceAll('{{HEADING}}', heading);
  await routeHtml(context, origin, body);
}

/** Answers every request to `origin` with `html`. */
export async function routeHtml(context, origin, html) {
  await context.route(`${origin}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
}

/** Creates the vault and points Halo at the sandbox at `url`, in the popped-out `popup`. */
export async function vaultOnSandbox(popup, url) {
  await createVault(popup, PASSPHRASE);
  await popup.getByLabel('Endpoint').fill(url);
  await popup.getByRole('button', { name: 'Save endpoint' }).click();
  await popup.getByText(url, { exact: false }).first().waitFor();
}

/** The ticket's trading symbol once it shows `symbol` (waits for the worker's next poll). */
export async function ticketShows(popup, symbol, timeout = 15000) {
  const shown = popup.locator('.ticket .instrument .trading-symbol');
  await shown.filter({ hasText: symbol }).first().waitFor({ timeout });
  return (await shown.first().textContent()).trim();
}

/** The ticket's token, as shown. */
export async function ticketToken(popup) {
  const facts = popup.locator('.ticket .facts');
  return (await facts.locator('div', { hasText: 'Token' }).locator('dd').textContent()).trim();
}
