import { launchWithExtension, openPoppedOutHalo, routeTradingViewChart } from './lib/browser.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { CHART_URL, PASSPHRASE, TEST_ACCOUNT } from './lib/mainjob.mjs';
const sandbox = await startSandbox({ bin: process.env.HALO_BIN, accounts: [TEST_ACCOUNT] });
const { context, worker } = await launchWithExtension({ extensionDir: process.env.HALO_EXTENSION });
const t0 = Date.now(); const log = (m) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`);
try {
  let n = 0;
  await context.route('https://margincalculator.angelone.in/**', (route) => { n += 1; log(`master request ${n}`); if (n === 1) route.abort('connectionrefused'); });
  await routeTradingViewChart(context, { headerSymbol: 'RELIANCE' });
  const chart = context.pages()[0] ?? (await context.newPage());
  await chart.goto(CHART_URL);
  const popup = await openPoppedOutHalo({ context, worker });
  await popup.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await popup.getByLabel('Repeat passphrase').fill(PASSPHRASE);
  await popup.getByRole('button', { name: 'Create vault' }).click();
  await popup.getByText('Halo could not reach https://margincalculator.angelone.in').waitFor({ timeout: 15000 });
  log('error shown');
  await popup.waitForTimeout(3000);
  await popup.getByLabel('Endpoint').fill(sandbox.url);
  await popup.getByRole('button', { name: 'Save endpoint' }).click();
  log('endpoint saved');
  await popup.locator('.trading-symbol', { hasText: 'RELIANCE-EQ' }).waitFor({ timeout: 40000 });
  log('ticket shows RELIANCE-EQ');
} finally { await context.close().catch(() => {}); sandbox.stop(); }
