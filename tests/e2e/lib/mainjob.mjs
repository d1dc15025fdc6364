// The main job, as a trader does it, shared by the end-to-end test and the demo: create a vault,
// point Halo at the sandbox, add an account, log in, open a chart, place an order.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, openPoppedOutHalo, routeTradingViewChart } from './browser.mjs';
import { addAccount, createVault } from './popup.mjs';
import { startSandbox } from './sandbox.mjs';
import { totp } from './totp.mjs';

/** A made-up account: the TOTP secret is RFC 6238's published test key. */
export const TEST_ACCOUNT = {
  clientcode: 'Z999999',
  mpin: '1234',
  totp_secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  api_key: 'test-api-key-0001',
  name: 'Asha Test',
};
/** TEST_ACCOUNT's secret with its last character changed: well formed, its codes all wrong. */
export const SECRET_OFF_BY_ONE = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJR';
export const PASSPHRASE = 'correct horse battery staple';
export const CHART_URL = 'https://www.tradingview.com/chart/aBcD1234/?symbol=NSE%3ARELIANCE';
export const LIMIT_PRICE = '2945.50';

/**
 * The main job's order from a ticket already on RELIANCE-EQ: buys 1 at LIMIT_PRICE and confirms.
 * Waits for nothing after the confirm: what shows next is up to the test.
 */
export async function buyOneAtLimit(popup) {
  await popup.getByText('RELIANCE-EQ').first().waitFor({ timeout: 15000 });
  await popup.getByRole('button', { name: 'Buy' }).click();
  await popup.getByLabel('Quantity').fill('1');
  await popup.getByLabel('Price').fill(LIMIT_PRICE);
  await popup.getByRole('button', { name: 'Place order' }).click();
  await popup.getByRole('button', { name: 'Confirm' }).click();
}

/** Code strings the popup may legitimately show now: this step's or a neighbour's. */
export function plausibleCodes(secret, unixSecs = Date.now() / 1000) {
  return [-30, 0, 30].map((shift) => totp(secret, unixSecs + shift));
}

/**
 * Runs the whole job. `log(step)` narrates; screenshots of each step go to `outputDir`.
 * Resolves to what the test asserts on, the console lines included; the caller must call
 * `close()`.
 */
export async function runMainJob({ bin, extensionDir, outputDir, headless = true, log }) {
  mkdirSync(outputDir, { recursive: true });
  const sandbox = await startSandbox({ bin, accounts: [TEST_ACCOUNT] });
  log(`sandbox broker running at ${sandbox.url}`);

  const { context, worker, extensionId } = await launchWithExtension({ extensionDir, headless });
  const close = async () => {
    await context.close().catch(() => {});
    sandbox.stop();
  };
  log(`extension loaded, id ${extensionId}`);
  // Every console line of the worker (and of any worker the browser restarts) and of pages.
  const consoleLines = [];
  const listen = (source) => source.on('console', (line) => consoleLines.push(line.text()));
  listen(worker);
  context.on('serviceworker', listen);
  listen(context);

  try {
    await routeTradingViewChart(context, { headerSymbol: 'RELIANCE' });
    const chart = context.pages()[0] ?? (await context.newPage());
    await chart.goto(CHART_URL);
    log(`chart open: ${CHART_URL}`);

    const popup = await openPoppedOutHalo({ context, worker });
    const shot = async (name) => {
      await popup.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
    };
    await popup.getByRole('button', { name: 'Create vault' }).waitFor();
    await shot('01-first-run');

    await createVault(popup, PASSPHRASE);
    log('vault created (Argon2id, AES-256-GCM) and unlocked');
    await shot('02-vault-created');

    await popup.getByLabel('Endpoint').fill(sandbox.url);
    await popup.getByRole('button', { name: 'Save endpoint' }).click();
    await popup.getByText(sandbox.url, { exact: false }).first().waitFor();
    log(`endpoint set to the sandbox ${sandbox.url}`);

    await addAccount(popup, TEST_ACCOUNT);
    const codeElement = popup.getByLabel('Current code').first();
    await codeElement.waitFor({ timeout: 10000 });
    const shownCode = await readCode(codeElement);
    log(`account saved; live TOTP shown: ${shownCode}`);
    await shot('03-account-added');

    await popup.getByRole('button', { name: 'Log in' }).first().click();
    await popup
      .getByText(`Logged in as ${TEST_ACCOUNT.name} (${TEST_ACCOUNT.clientcode})`)
      .waitFor({ timeout: 15000 });
    log(`logged in as ${TEST_ACCOUNT.name} (${TEST_ACCOUNT.clientcode})`);
    await shot('04-logged-in');

    await chart.bringToFront();
    await popup.getByText('RELIANCE-EQ').first().waitFor({ timeout: 15000 });
    log('order ticket shows RELIANCE-EQ from the chart');
    await shot('05-ticket');

    await popup.getByRole('button', { name: 'Buy' }).click();
    await popup.getByLabel('Quantity').fill('1');
    await popup.getByLabel('Price').fill(LIMIT_PRICE);
    await popup.getByRole('button', { name: 'Place order' }).click();
    await popup.getByRole('button', { name: 'Confirm' }).waitFor();
    await shot('06-confirm');

    await popup.getByRole('button', { name: 'Confirm' }).click();
    const orderIdElement = popup.locator('.order-id').first();
    await orderIdElement.waitFor({ timeout: 15000 });
    const shownOrderId = (await orderIdElement.textContent()).trim();
    log(`order placed; popup shows order id ${shownOrderId}`);
    await popup.getByText('complete', { exact: false }).first().waitFor({ timeout: 15000 });
    log('order status read back from the order book: complete');
    await shot('07-order-placed');

    const sandboxOrders = await sandbox.orders();
    return {
      close, popup, chart, worker, sandbox, shownCode, shownOrderId, sandboxOrders, consoleLines,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The 6 digits of the code element, whatever visual grouping the popup uses. */
export async function readCode(locator) {
  return (await locator.textContent()).replace(/\s+/g, '');
}
