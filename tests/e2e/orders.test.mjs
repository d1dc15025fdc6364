// Orders beyond a plain limit, end to end in Chromium against the real sandbox: a stop-loss
// limit whose trigger reaches the broker, the per-account value limit refusing an order, the
// Orders view modifying and cancelling an open order, a partial fill followed to complete with
// a notification after the popup closed, and an empty reply reconciled to exactly one order.
// The sandbox enforces Angel's rate limits, so every call the extension makes must keep to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, openPoppedOutHalo } from './lib/browser.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { TEST_ACCOUNT } from './lib/mainjob.mjs';
import { addAccount, logIn } from './lib/popup.mjs';
import { openHaloOnChart } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'orders');
// Long enough that a follow-up read every 2 s lands in the half-filled stretch (3-6 s).
const FILL_AFTER_MS = 6000;

/** Sends a PopupRequest from the popup page itself, as the popup's own code does. */
function ask(popup, message) {
  return popup.evaluate((m) => chrome.runtime.sendMessage(m), message);
}

/** Paise as the popup's plain rupees: 15190 -> "151.90". */
function rupees(paise) {
  return `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

/** The sandbox's entry for an order id, as GET /sandbox/orders lists it. */
async function entry(sandbox, orderId) {
  return (await sandbox.orders()).find((e) => e.orderid === orderId);
}

test('order types, value limit, Orders view, follow-up and reconcile', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  mkdirSync(outputDir, { recursive: true });
  const sandbox = await startSandbox({
    bin, accounts: [TEST_ACCOUNT], fillAfterMs: FILL_AFTER_MS, extraArgs: ['--rate-limits'],
  });
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    let { chart, popup } = await openHaloOnChart({ context, worker }, sandbox.url);
    const shot = (name) =>
      popup.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
    await addAccount(popup, TEST_ACCOUNT);
    await logIn(popup, TEST_ACCOUNT);
    await chart.bringToFront();

    // The ticket pre-fills the (made-up) last traded price once it is read.
    const price = popup.getByLabel('Price', { exact: true });
    await popup.locator('.trading-symbol', { hasText: 'RELIANCE-EQ' }).waitFor({ timeout: 15000 });
    await popup.waitForFunction(
      () => document.querySelector('#ticket-price')?.value !== '', null, { timeout: 15000 });
    const ltpPaise = Math.round(Number(await price.inputValue()) * 100);
    assert.ok(ltpPaise > 0, 'the LTP pre-fills the price');
    await shot('01-ticket-limit');

    const orderType = popup.getByLabel('Order type');
    const placeOrder = popup.getByRole('button', { name: 'Place order' });
    const confirm = popup.getByRole('button', { name: 'Confirm', exact: true });
    const ticketAlert = popup.locator('.ticket [role=alert]');

    // Market and stop-loss-market: no price field; market carries Angel's API warning.
    await orderType.selectOption('STOPLOSS_MARKET');
    assert.equal(await price.count(), 0, 'SL-M has no limit price');
    await popup.getByLabel('Trigger').fill(rupees(ltpPaise + 1000));
    await shot('02-ticket-stoploss-market');
    await orderType.selectOption('MARKET');
    const warning = popup.locator('.ticket .warning', { hasText: 'April 2026' });
    await warning.waitFor();
    assert.match(await warning.textContent(), /Angel rejects market and IOC orders/);
    await shot('03-ticket-market-warning');
    await orderType.selectOption('LIMIT');
    await popup.getByLabel('Validity').selectOption('IOC');
    await warning.waitFor();
    await popup.getByLabel('Validity').selectOption('DAY');
    assert.equal(await warning.count(), 0, 'a limit order for the day carries no warning');

    // A buy stop-loss limit above the market: it waits for its trigger at the sandbox.
    const trigger = ltpPaise + 1000;
    const limit = trigger + 200;
    await orderType.selectOption('STOPLOSS_LIMIT');
    await popup.getByLabel('Quantity').fill('1');
    await price.fill(rupees(limit));
    await popup.getByLabel('Trigger').fill(rupees(trigger));
    await shot('04-ticket-stoploss-limit');
    await placeOrder.click();
    await confirm.waitFor();
    const summary = (await popup.locator('.confirm .summary').textContent()).trim();
    assert.match(summary,
      /^BUY 1 RELIANCE-EQ \(NSE\) at ₹[\d,.]+ STOPLOSS_LIMIT trigger ₹[\d,.]+ DELIVERY/);
    await popup.locator('.confirm .value-limit').waitFor();
    await shot('05-confirm-stoploss-limit');
    await confirm.click();
    const orderId = popup.locator('.order-id');
    await orderId.waitFor({ timeout: 15000 });
    const slOrderId = (await orderId.textContent()).trim();
    const sl = await entry(sandbox, slOrderId);
    assert.deepEqual(
      [sl.request.variety, sl.request.ordertype, sl.request.triggerprice, sl.request.price],
      ['STOPLOSS', 'STOPLOSS_LIMIT', rupees(trigger), rupees(limit)],
    );
    assert.equal(sl.status, 'trigger pending');
    await popup.getByText('trigger pending').first().waitFor();
    await popup.getByRole('button', { name: 'New order' }).click();

    // The value limit: set low in the Orders view, it refuses at "Place order"...
    await popup.locator('summary', { hasText: 'Orders ·' }).click();
    const book = popup.locator('.orders-view');
    await book.locator(`.order-line[data-order-id="${slOrderId}"]`).waitFor({ timeout: 15000 });
    // ...a limit that is not one is refused beside the field, and the old one stays...
    const limitField = book.getByLabel('Value limit per order (₹)');
    const limitForm = book.locator('form.value-limit');
    await limitField.fill('abc');
    await book.getByRole('button', { name: 'Save limit' }).click();
    await limitForm.getByRole('alert').filter({ hasText: 'is not a value limit' })
      .waitFor({ timeout: 8000 });
    assert.equal(await limitField.inputValue(), 'abc', 'the refused text stays to be corrected');
    // ...and a good one is confirmed in words.
    await limitField.fill('100');
    await book.getByRole('button', { name: 'Save limit' }).click();
    await popup.waitForFunction(
      () => document.querySelector('#value-limit')?.value === '100.00', null, { timeout: 8000 });
    assert.equal(
      (await limitForm.getByRole('status').textContent()).trim(),
      'Saved: orders worth more than ₹100.00 are refused.',
    );
    const ordersBefore = (await sandbox.orders()).length;
    await orderType.selectOption('LIMIT');
    await popup.getByLabel('Quantity').fill('1');
    await price.fill(rupees(ltpPaise));
    assert.ok(ltpPaise > 10000, 'the made-up price is above the ₹100 limit');
    await placeOrder.click();
    await ticketAlert.waitFor();
    assert.equal(
      (await ticketAlert.textContent()).trim(),
      `This order is worth ₹${rupees(ltpPaise)}, above this account's limit of ₹100.00 per ` +
        "order. Lower the quantity or the price, or raise the account's value limit in the " +
        'Orders view.',
    );
    assert.equal(await confirm.count(), 0, 'no confirm step above the value limit');
    await shot('06-value-limit-refused');
    // ...and again when the worker is asked to place it directly, whoever asks.
    const status = await ask(popup, { type: 'status' });
    const accountId = status.data.accounts[0].id;
    const direct = await ask(popup, {
      type: 'place_order',
      order: {
        account_id: accountId, exchange: 'NSE', token: '2885', side: 'BUY', quantity: '1',
        price: rupees(ltpPaise), product: 'DELIVERY', confirmation_id: 'e2e-over-limit',
      },
    });
    assert.equal(direct.ok, false);
    assert.match(direct.error, /above this account's limit of ₹100.00/);
    assert.equal((await sandbox.orders()).length, ordersBefore, 'nothing reached the sandbox');
    await book.getByLabel('Value limit per order (₹)').fill('500000');
    await book.getByRole('button', { name: 'Save limit' }).click();
    await popup.waitForFunction(
      () => document.querySelector('#value-limit')?.value === '500000.00', null,
      { timeout: 8000 });

    // The Orders view modifies the open stop-loss (after a confirm), then cancels it.
    const slLine = book.locator(`.order-line[data-order-id="${slOrderId}"]`);
    await slLine.getByRole('button', { name: 'Modify' }).click();
    await slLine.getByLabel('Lots').or(slLine.getByLabel('Quantity')).fill('2');
    await slLine.getByLabel('New price').fill(rupees(limit + 100));
    await slLine.getByLabel('New trigger').fill(rupees(trigger + 100));
    await slLine.getByRole('button', { name: 'Review change' }).click();
    await slLine.getByRole('button', { name: 'Confirm change' }).waitFor({ timeout: 8000 });
    await shot('07-orders-modify-confirm');
    await slLine.getByRole('button', { name: 'Confirm change' }).click();
    await slLine.locator('.order-what', { hasText: 'BUY 2 RELIANCE-EQ' })
      .waitFor({ timeout: 8000 });
    const modified = await entry(sandbox, slOrderId);
    assert.deepEqual(modified.modified, {
      ordertype: 'STOPLOSS_LIMIT', price: rupees(limit + 100),
      triggerprice: rupees(trigger + 100), quantity: '2',
    });
    await slLine.getByRole('button', { name: 'Cancel order' }).click();
    await slLine.getByRole('button', { name: 'Confirm cancel' }).click();
    await slLine.locator('.order-status', { hasText: 'cancelled' }).waitFor({ timeout: 8000 });
    assert.equal((await entry(sandbox, slOrderId)).status, 'cancelled');
    assert.equal(await slLine.getByRole('button', { name: 'Modify' }).count(), 0);
    await shot('08-orders-view');

    // A limit buy of 2 fills in part, then in full, while the popup is closed.
    await chart.bringToFront();
    await orderType.selectOption('LIMIT');
    await popup.getByLabel('Quantity').fill('2');
    await price.fill(rupees(ltpPaise));
    await placeOrder.click();
    await confirm.click();
    await orderId.waitFor({ timeout: 15000 });
    const fillOrderId = (await orderId.textContent()).trim();
    await popup.close();
    await chart.waitForTimeout(FILL_AFTER_MS + 3000);
    const followed = await worker.evaluate(async (id) => ({
      record: (await chrome.storage.session.get(`followed:${id}`))[`followed:${id}`],
      shown: Object.keys(await chrome.notifications.getAll()),
    }), fillOrderId);
    assert.ok(followed.record, 'the worker followed the order to its end');
    assert.deepEqual(followed.record.notified,
      ['open, 1 of 2 filled', 'complete, 2 filled']);
    assert.ok(followed.shown.includes(`halo-order-${fillOrderId}`), JSON.stringify(followed));
    assert.equal((await entry(sandbox, fillOrderId)).status, 'complete');

    // Positions show the fill; the Orders view lists the complete order with nothing to do.
    popup = await openPoppedOutHalo({ context, worker });
    await popup.locator('summary', { hasText: 'Positions ·' }).click();
    await popup.locator('.position-line', { hasText: 'RELIANCE-EQ (NSE) DELIVERY · net 2' })
      .waitFor({ timeout: 15000 });
    await popup.screenshot({ path: join(outputDir, '09-positions.png'), fullPage: true });

    // Angel takes the order but the reply is empty: the book, read by tag, settles it.
    await chart.bringToFront();
    await sandbox.fault({ route: 'placeOrder', kind: 'empty' });
    const before = (await sandbox.orders()).length;
    await popup.locator('.trading-symbol', { hasText: 'RELIANCE-EQ' }).waitFor({ timeout: 15000 });
    await popup.getByLabel('Quantity').fill('1');
    await popup.getByLabel('Price', { exact: true }).fill(rupees(ltpPaise));
    await popup.getByRole('button', { name: 'Place order' }).click();
    await popup.getByRole('button', { name: 'Confirm', exact: true }).click();
    const reconciled = popup.locator('.order-id');
    await reconciled.waitFor({ timeout: 20000 });
    const after = await sandbox.orders();
    assert.equal(after.length, before + 1, 'exactly one order reached the sandbox');
    const last = after.at(-1);
    assert.equal((await reconciled.textContent()).trim(), last.orderid,
      'the popup shows the order the book holds under its tag');
    assert.equal(after.filter((e) => e.request.ordertag === last.request.ordertag).length, 1);
    await popup.screenshot({ path: join(outputDir, '10-reconciled.png'), fullPage: true });
  } finally {
    await context.close().catch(() => {});
    sandbox.stop();
  }
});
