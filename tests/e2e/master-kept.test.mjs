// The instrument master is downloaded once a trading day and kept: after the browser stops
// the worker (as it does after 30 idle seconds), the next ticket parses the kept copy and the
// sandbox serves no second download. The master here is full size (`--instruments-scale 1`,
// about 150k rows and 39 MB), as Angel's is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchWithExtension, routeTradingViewChart, stopWorkers } from './lib/browser.mjs';
import { TEST_ACCOUNT } from './lib/mainjob.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { openHaloOnChart, ticketShows } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;

async function downloads(sandbox) {
  const response = await fetch(`${sandbox.url}/sandbox/master-downloads`);
  return (await response.json()).downloads;
}

test('a worker restart uses the kept master instead of downloading it again', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  const sandbox = await startSandbox({
    bin, accounts: [TEST_ACCOUNT], extraArgs: ['--instruments-scale', '1'],
  });
  const browser = await launchWithExtension({ extensionDir });
  try {
    const { chart, popup } = await openHaloOnChart(browser, sandbox.url);

    await ticketShows(popup, 'RELIANCE-EQ', 30000);
    assert.equal(await downloads(sandbox), 1, 'the first ticket downloads the master once');

    await stopWorkers(browser.context, popup);
    await popup.reload();
    await ticketShows(popup, 'RELIANCE-EQ', 30000);
    assert.equal(await downloads(sandbox), 1, 'after the restart the kept copy was used');

    // A generated contract, found in the kept copy: the full master, not the sample, is kept.
    await browser.context.unrouteAll();
    await routeTradingViewChart(browser.context, { headerSymbol: 'NIFTY1!' });
    await chart.goto('https://www.tradingview.com/chart/aBcD1234/?symbol=NSE%3ANIFTY1%21');
    await chart.bringToFront();
    await ticketShows(popup, 'NIFTY', 30000);
    const shown = await popup.locator('.ticket .instrument .trading-symbol').textContent();
    assert.match(shown.trim(), /^NIFTY\d{2}[A-Z]{3}\d{2}FUT$/);
    assert.equal(await downloads(sandbox), 1);
  } finally {
    await browser.context.close();
    sandbox.stop();
  }
});
