// Orders whose answer goes astray, end to end in Chromium against the real sandbox: a dropped
// connection that the browser may silently re-send (two orders from one confirm), a placement
// the sandbox carries out twice on purpose, an order book that stays unreadable for half a
// minute, and an order that reaches the broker after Halo stopped waiting for it. Each time the
// sandbox's own order list is the truth the popup is checked against.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension } from './lib/browser.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { TEST_ACCOUNT } from './lib/mainjob.mjs';
import { addAccount, logIn } from './lib/popup.mjs';
import { openHaloOnChart } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'lost-orders');

/** The sandbox's orders placed under the tag of the newest one, oldest first. */
async function newestConfirm(sandbox) {
  const all = await sandbox.orders();
  const tag = all.at(-1).request.ordertag;
  return { tag, ids: all.filter((e) => e.request.ordertag === tag).map((e) => e.orderid) };
}

test('orders placed twice, checked late, or landing late are told plainly', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  mkdirSync(outputDir, { recursive: true });
  const sandbox = await startSandbox({
    bin, accounts: [TEST_ACCOUNT], fillAfterMs: 60000, extraArgs: ['--rate-limits'],
  });
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const { chart, popup } = await openHaloOnChart({ context, worker }, sandbox.url);
    const shot = (name) =>
      popup.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
    await addAccount(popup, TEST_ACCOUNT);
    await logIn(popup, TEST_ACCOUNT);
    await chart.bringToFront();
    await popup.locator('.trading-symbol', { hasText: 'RELIANCE-EQ' }).waitFor({ timeout: 15000 });

    const orderId = popup.locator('.order-id');
    const duplicate = popup.locator('.ticket .duplicate');
    const ticketAlert = popup.locator('.ticket [role=alert]');
    /** Fills a one-share limit buy at the made-up price and confirms it once. */
    const confirmOnce = async () => {
      await popup.getByLabel('Quantity').fill('1');
      await popup.getByLabel('Price', { exact: true }).fill('2945.50');
      await popup.getByRole('button', { name: 'Place order' }).click();
      await popup.getByRole('button', { name: 'Confirm', exact: true }).click();
    };
    const newOrder = () => popup.getByRole('button', { name: 'New order' }).click();

    // A connection dropped after the order was placed. Chromium may re-send the POST by
    // itself; whatever it did, the popup must say exactly what the sandbox holds.
    await sandbox.fault({ route: 'placeOrder', kind: 'reset' });
    await confirmOnce();
    await orderId.waitFor({ timeout: 30000 });
    const reset = await newestConfirm(sandbox);
    const shown = (await orderId.textContent()).trim();
    assert.ok(reset.ids.includes(shown), `${shown} is one of ${reset.ids}`);
    if (reset.ids.length === 2) {
      await duplicate.waitFor();
      const text = await duplicate.textContent();
      assert.match(text, /^Angel holds 2 orders from this one confirm/);
      for (const id of reset.ids) assert.ok(text.includes(id), `${text} names ${id}`);
    } else {
      assert.equal(reset.ids.length, 1, JSON.stringify(reset));
      assert.equal(await duplicate.count(), 0, 'one order, no duplicate warning');
    }
    await shot('01-reset');
    await newOrder();

    // The sandbox carries one placement out twice, as a browser's re-send does: the popup
    // warns with both order ids, and the Orders view marks each with the other.
    await sandbox.fault({ route: 'placeOrder', kind: 'duplicate' });
    await confirmOnce();
    await orderId.waitFor({ timeout: 15000 });
    const twice = await newestConfirm(sandbox);
    assert.equal(twice.ids.length, 2, JSON.stringify(twice));
    assert.equal((await orderId.textContent()).trim(), twice.ids[1], 'the answer is the second');
    await duplicate.waitFor();
    assert.equal(
      (await duplicate.textContent()).trim(),
      `Angel holds 2 orders from this one confirm (the connection dropped and the browser ` +
        `sent it again): ${twice.ids[0]}, ${twice.ids[1]}. Cancel the one you did not want ` +
        'in Orders.',
    );
    await shot('02-duplicate-warning');
    await popup.locator('summary', { hasText: 'Orders ·' }).click();
    for (const [id, other] of [twice.ids, [...twice.ids].reverse()]) {
      const mark = popup.locator(`.order-line[data-order-id="${id}"] .same-confirm`);
      await mark.waitFor({ timeout: 15000 });
      assert.match(await mark.textContent(), new RegExp(`with order ${other}: cancel the one`));
    }
    const marked = await popup.locator('.order-line .same-confirm').count();
    assert.equal(marked, reset.ids.length === 2 ? 4 : 2, 'only the doubled orders are marked');
    await shot('03-orders-marked');
    await popup.locator('summary', { hasText: 'Orders ·' }).click();
    await newOrder();

    // The answer is lost and the book cannot be read for half a minute: Halo says plainly it
    // could not check, then reports what the book shows once it can read it.
    await sandbox.fault({ route: 'placeOrder', kind: 'empty' });
    await sandbox.fault({ route: 'getOrderBook', kind: 'http500', count: 5 });
    await confirmOnce();
    await ticketAlert.filter({ hasText: 'could not reach Angel' }).waitFor({ timeout: 60000 });
    const unchecked = (await ticketAlert.textContent()).trim();
    const lost = await newestConfirm(sandbox);
    assert.equal(lost.ids.length, 1);
    assert.equal(
      unchecked,
      "Angel's answer to the order was lost (the reply was empty). Halo could not reach " +
        'Angel to check the order book for 30 s, so the order may or may not be placed: open ' +
        "Orders (or Angel's app) before placing it again. Halo will not re-send it (tag " +
        `${lost.tag}) and will tell you what the book shows once it can read it.`,
    );
    await shot('04-could-not-check');
    const settled = popup.locator('.ticket .order-note', { hasText: lost.tag });
    await settled.waitFor({ timeout: 30000 });
    assert.match(
      await settled.textContent(),
      new RegExp(`^Order ${lost.tag} \\(its answer was lost\\) is in Angel's order book after ` +
        `all: order ${lost.ids[0]}, open\\.$`),
    );
    assert.equal(await ticketAlert.count(), 0, 'the report replaces the error it settles');
    await shot('05-settled-later');

    // The order reaches the sandbox 30 s after it was sent, 10 s after Halo stopped waiting
    // and said it was most likely not placed: Halo looks again and reports it.
    await sandbox.fault({ route: 'placeOrder', kind: 'delay', delay_ms: 30000 });
    const before = (await sandbox.orders()).length;
    await confirmOnce();
    await ticketAlert.filter({ hasText: 'most likely not placed' }).waitFor({ timeout: 45000 });
    assert.equal((await sandbox.orders()).length, before, 'not at the sandbox yet');
    await shot('06-most-likely-not-placed');
    const late = popup.locator('.ticket .order-note', { hasText: 'reached Angel after all' });
    await late.waitFor({ timeout: 45000 });
    const landed = await newestConfirm(sandbox);
    assert.equal(landed.ids.length, 1, 'one order, placed late');
    assert.equal(
      (await late.textContent()).trim(),
      `Order ${landed.tag} reached Angel after all, after Halo had said it was most likely ` +
        `not placed: order ${landed.ids[0]}, open. Check it in Orders before placing it again.`,
    );
    assert.equal(await ticketAlert.count(), 0, 'no "most likely not placed" beside the report');
    await shot('07-landed-late');

    // An F&O order reads in lots in the Orders view, as the ticket that placed it said it.
    const status = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
    const fno = await popup.evaluate((m) => chrome.runtime.sendMessage(m), {
      type: 'place_order',
      order: {
        account_id: status.data.accounts[0].id, exchange: 'NFO', token: '61093', side: 'BUY',
        quantity: '2', price: '100.00', product: 'CARRYFORWARD', confirmation_id: 'e2e-lots',
      },
    });
    assert.ok(fno.ok, JSON.stringify(fno));
    const sent = (await sandbox.orders()).find((e) => e.orderid === fno.data.order_id);
    assert.equal(sent.request.quantity, '130', 'two lots of 65 went out as 130 units');
    await popup.locator('summary', { hasText: 'Orders ·' }).click();
    const fnoLine = popup.locator(`.order-line[data-order-id="${fno.data.order_id}"]`);
    await fnoLine.waitFor({ timeout: 15000 });
    assert.equal((await fnoLine.locator('.order-what').textContent()).trim(),
      'BUY 2 lots (130 units) NIFTY28JUL26FUT (NFO) LIMIT ₹100.00 CARRYFORWARD');
    await fnoLine.screenshot({ path: join(outputDir, '08-orders-in-lots.png') });
  } finally {
    await context.close().catch(() => {});
    sandbox.stop();
  }
});
