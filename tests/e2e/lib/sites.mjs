// Fixture pages served under the real host names of the sites Halo reads symbols from, so the
// manifest's own match patterns inject the content scripts, and the steps every ticket test
// takes: a vault, the sandbox as endpoint, a page, the ticket.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchWithExtension, openPoppedOutHalo, routeTradingViewChart } from './browser.mjs';
import { createVault } from './popup.mjs';
import { CHART_URL, PASSPHRASE, TEST_ACCOUNT } from './mainjob.mjs';
import { startSandbox } from './sandbox.mjs';

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

/**
 * Halo beside a TradingView chart of RELIANCE: the chart open in the reading tab, and a
 * popped-out Halo whose new vault points at the sandbox at `sandboxUrl`. `browser` is what
 * launchWithExtension resolved to. Resolves to `{ chart, popup }`.
 */
export async function openHaloOnChart(browser, sandboxUrl) {
  await routeTradingViewChart(browser.context, { headerSymbol: 'RELIANCE' });
  const chart = browser.context.pages()[0] ?? (await browser.context.newPage());
  await chart.goto(CHART_URL);
  const popup = await openPoppedOutHalo(browser);
  await vaultOnSandbox(popup, sandboxUrl);
  return { chart, popup };
}

/**
 * What the tests of a page and its ticket start from: the sandbox serving TEST_ACCOUNT, a
 * browser with Halo whose pages `routePages(context)` answers, the reading tab (at `url` when
 * one is given), and a popped-out Halo whose new vault points at the sandbox. Resolves to
 * `{ sandbox, browser, page, popup, stop }`; `stop()` closes the browser and the sandbox.
 */
export async function openTicketBench({ bin, extensionDir, routePages, url }) {
  const sandbox = await startSandbox({ bin, accounts: [TEST_ACCOUNT] });
  let browser;
  try {
    browser = await launchWithExtension({ extensionDir });
    await routePages(browser.context);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    if (url) await page.goto(url);
    const popup = await openPoppedOutHalo(browser);
    await vaultOnSandbox(popup, sandbox.url);
    const stop = async () => {
      await browser.context.close();
      sandbox.stop();
    };
    return { sandbox, browser, page, popup, stop };
  } catch (error) {
    await browser?.context.close().catch(() => {});
    sandbox.stop();
    throw error;
  }
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
