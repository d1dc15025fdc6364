// "Trade with Halo" on selected text anywhere, the shortcut that opens the ticket, and the
// ticket's candidates when a symbol fits no row. A headless browser cannot open a context menu
// or press an extension shortcut, so the test calls the worker's own listeners (the functions
// chrome.contextMenus.onClicked and chrome.commands.onCommand call) from the worker's scope.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openTicketBench, routeQuotePage, ticketShows } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'sites');
const ARTICLE = 'https://news.example.in/markets/today';

describe('trading a selection, the shortcut and the candidates', () => {
  let bench;
  let browser;
  let page;
  let popup;

  before(async () => {
    assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
    mkdirSync(outputDir, { recursive: true });
    bench = await openTicketBench({
      bin,
      extensionDir,
      url: ARTICLE,
      routePages: (context) =>
        routeQuotePage(context, 'https://news.example.in', {
          site: 'Market news', title: 'Markets today', heading: 'SBIN and RELIANC rally',
        }),
    });
    ({ browser, page, popup } = bench);
  });

  after(async () => {
    await bench?.stop();
  });

  /**
   * What a click on "Trade with Halo" does with `text` selected in the article: the menu's
   * listener gets the item and the tab (the active tab of the normal window; Halo's own window
   * is a popup window). Halo has no `tabs` permission, so tabs are not found by URL.
   */
  async function menuClick(text) {
    await browser.worker.evaluate(async (selectionText) => {
      const [tab] = await chrome.tabs.query({ active: true, windowType: 'normal' });
      const info = { menuItemId: 'halo-trade-selection', selectionText };
      await globalThis.haloEntryPoints.onMenuClicked(info, tab);
    }, text);
  }

  /** The context-menu click on `text` selected in the article's tab; resolves to the window. */
  async function tradeSelection(text) {
    const opened = browser.context.waitForEvent('page', (p) => p.url().includes('popup.html'));
    await menuClick(text);
    const ticket = await opened;
    await ticket.waitForLoadState('domcontentloaded');
    return ticket;
  }

  it('the context menu opens the ticket for the selected ticker', async () => {
    const ticket = await tradeSelection('  SBIN ');
    assert.equal(await ticketShows(ticket, 'SBIN-EQ'), 'SBIN-EQ');
    await ticket.close();
  });

  it('a selection that is in no row lists candidates, and picking one fills the ticket',
    async () => {
      const ticket = await tradeSelection('RELIANC');
      const list = ticket.getByRole('list', { name: 'Candidate instruments' });
      await list.waitFor({ timeout: 15000 });
      await ticket.getByText('RELIANC is not in Angel\'s instrument master', { exact: false })
        .waitFor();
      const pick = list.getByRole('button').filter({ hasText: 'RELIANCE-EQ' });
      await ticket.locator('.ticket').screenshot({ path: join(outputDir, 'candidates.png') });
      await pick.click();
      assert.equal(await ticketShows(ticket, 'RELIANCE-EQ'), 'RELIANCE-EQ');
      // The pick holds for that symbol: the next poll still shows it.
      await ticket.waitForTimeout(2500);
      assert.equal(await ticketShows(ticket, 'RELIANCE-EQ'), 'RELIANCE-EQ');
      await ticket.close();
    });

  it('the shortcut opens the ticket for the page being read', async () => {
    const opened = browser.context.waitForEvent('page', (p) => p.url().includes('popup.html'));
    await browser.worker.evaluate(() => globalThis.haloEntryPoints.onCommand('open-ticket'));
    const ticket = await opened;
    assert.equal(await ticketShows(ticket, 'RELIANCE-EQ'), 'RELIANCE-EQ');
    await ticket.close();
  });

  it('text that cannot be a symbol opens nothing and changes nothing', async () => {
    const before = browser.context.pages().length;
    await menuClick('x'.repeat(100_000));
    await popup.waitForTimeout(500);
    assert.equal(browser.context.pages().length, before);
    assert.equal(await ticketShows(popup, 'RELIANCE-EQ'), 'RELIANCE-EQ');
  });
});
