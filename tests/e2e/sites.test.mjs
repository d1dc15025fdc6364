// Every supported site, on a fixture page served under the site's real host name: the
// manifest's content script reports the page, the worker reads the symbol where that site
// keeps it, and the ticket shows the instrument from the sandbox's master (real rows).
// Screenshots of the ticket for an equity, a future and an option go to test-output/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_ACCOUNT } from './lib/mainjob.mjs';
import { addAccount } from './lib/popup.mjs';
import { openTicketBench, routeQuotePage, ticketShows, ticketToken } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'sites');

describe('symbols from every supported site reach the ticket', () => {
  let bench;
  let page;
  let popup;

  before(async () => {
    assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
    mkdirSync(outputDir, { recursive: true });
    const quote = (site) => ({ site, title: `${site} quote`, heading: 'Company Ltd' });
    bench = await openTicketBench({
      bin,
      extensionDir,
      routePages: async (context) => {
        await routeQuotePage(context, 'https://in.tradingview.com', quote('TradingView'));
        await routeQuotePage(context, 'https://www.nseindia.com', quote('NSE'));
        await routeQuotePage(context, 'https://chartink.com', quote('Chartink'));
        await routeQuotePage(context, 'https://www.screener.in', quote('Screener'));
      },
    });
    ({ page, popup } = bench);
    await addAccount(popup, TEST_ACCOUNT);
    await popup.getByRole('button', { name: 'Log in' }).first().click();
    await popup.getByText(`Logged in as ${TEST_ACCOUNT.name}`).waitFor({ timeout: 15000 });
  });

  after(async () => {
    await bench?.stop();
  });

  /** Opens `url` in the reading tab and resolves to the ticket's symbol once it is `symbol`. */
  async function read(url, symbol) {
    await page.goto(url);
    await page.bringToFront();
    return ticketShows(popup, symbol);
  }

  async function shot(name) {
    await popup.locator('.ticket').screenshot({ path: join(outputDir, `${name}.png`) });
  }

  it('TradingView symbol page: /symbols/NSE-M_M/ is M&M-EQ', async () => {
    assert.equal(await read('https://in.tradingview.com/symbols/NSE-M_M/', 'M&M-EQ'), 'M&M-EQ');
    assert.equal(await ticketToken(popup), '2031');
  });

  it('NSE equity quote: ?symbol=RELIANCE is RELIANCE-EQ', async () => {
    const url = 'https://www.nseindia.com/get-quotes/equity?symbol=RELIANCE';
    assert.equal(await read(url, 'RELIANCE-EQ'), 'RELIANCE-EQ');
    assert.equal(await ticketToken(popup), '2885');
    await popup.locator('.ticket .ltp').filter({ hasText: '₹' }).waitFor({ timeout: 10000 });
    await shot('ticket-equity');
  });

  it('NSE derivatives quote: an option identifier is the NFO option, in lots', async () => {
    const url = 'https://www.nseindia.com/get-quotes/derivatives?symbol=NIFTY'
      + '&identifier=OPTIDXNIFTY28-07-2026CE23500.00';
    assert.equal(await read(url, 'NIFTY28JUL2623500CE'), 'NIFTY28JUL2623500CE');
    assert.equal(await ticketToken(popup), '63915');
    await popup.getByText('In lots of 65 units', { exact: false }).first().waitFor();
    await popup.locator('.ticket .ltp').filter({ hasText: '₹' }).waitFor({ timeout: 10000 });
    await shot('ticket-option');
  });

  it('NSE derivatives quote: a future identifier is the NFO future', async () => {
    const url = 'https://www.nseindia.com/get-quotes/derivatives?symbol=NIFTY'
      + '&identifier=FUTIDXNIFTY28-07-2026XX0.00';
    assert.equal(await read(url, 'NIFTY28JUL26FUT'), 'NIFTY28JUL26FUT');
    assert.equal(await ticketToken(popup), '61093');
    await popup.locator('.ticket .ltp').filter({ hasText: '₹' }).waitFor({ timeout: 10000 });
    await shot('ticket-future');
  });

  it('Chartink stock page: /stocks/sbin.html is SBIN-EQ', async () => {
    assert.equal(await read('https://chartink.com/stocks/sbin.html', 'SBIN-EQ'), 'SBIN-EQ');
  });

  it('Screener company page: /company/BAJAJ-AUTO/ is BAJAJ-AUTO-EQ', async () => {
    const url = 'https://www.screener.in/company/BAJAJ-AUTO/consolidated/';
    assert.equal(await read(url, 'BAJAJ-AUTO-EQ'), 'BAJAJ-AUTO-EQ');
    assert.equal(await ticketToken(popup), '16669');
  });
});
