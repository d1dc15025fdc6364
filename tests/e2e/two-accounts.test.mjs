// Two accounts logged in at once, end to end in Chromium against the real sandbox: an order
// placed through one account is read back through that account's session, never through
// whichever account happens to be first (Angel answers another client's order id with
// "Order not found").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchWithExtension } from './lib/browser.mjs';
import { TEST_ACCOUNT } from './lib/mainjob.mjs';
import { accountRow, addAccount, logIn, saveAccount } from './lib/popup.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { openHaloOnChart } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;

/** A second made-up client with its own key and secret. */
const SECOND = {
  clientcode: 'Y888888',
  mpin: '5678',
  totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  api_key: 'test-api-key-0002',
  name: 'Ravi Second',
};

/** Sends a PopupRequest from the popup page itself, as the popup's own code does. */
function ask(popup, message) {
  return popup.evaluate((m) => chrome.runtime.sendMessage(m), message);
}

test('an order is read back through the account that placed it', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  const sandbox = await startSandbox({ bin, accounts: [TEST_ACCOUNT, SECOND] });
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const { popup } = await openHaloOnChart({ context, worker }, sandbox.url);
    await addAccount(popup, TEST_ACCOUNT);
    await logIn(popup, TEST_ACCOUNT);
    await saveAccount(popup, {
      label: 'Second', clientcode: SECOND.clientcode, mpin: SECOND.mpin,
      apiKey: SECOND.api_key, secret: SECOND.totp_secret,
    });
    await accountRow(popup, 'Second').getByRole('button', { name: 'Log in' }).click();
    await popup.getByText(`Logged in as ${SECOND.name} (${SECOND.clientcode})`)
      .waitFor({ timeout: 15000 });

    const status = await ask(popup, { type: 'status' });
    const [main, second] = status.data.accounts;
    assert.ok(main.session && second.session, 'both accounts are logged in');
    const placed = await ask(popup, {
      type: 'place_order',
      order: {
        account_id: second.id, exchange: 'NSE', token: '2885', side: 'BUY', quantity: '1',
        price: '2945.50', product: 'DELIVERY', confirmation_id: 'e2e-second-account',
      },
    });
    assert.ok(placed.ok, JSON.stringify(placed));
    assert.equal(placed.data.account_id, second.id, 'the outcome names the placing account');
    const atSandbox = (await sandbox.orders()).find((e) => e.orderid === placed.data.order_id);
    assert.equal(atSandbox.clientcode, SECOND.clientcode);

    const { unique_order_id: uniqueOrderId } = placed.data;
    const followed = await ask(popup, {
      type: 'order_status', account_id: second.id, unique_order_id: uniqueOrderId,
    });
    assert.ok(followed.ok, JSON.stringify(followed));
    assert.equal(followed.data.order_id, placed.data.order_id);
    assert.equal(followed.data.account_id, second.id);
    assert.ok(followed.data.status, 'the status was read from the book');

    // The first account's session does not hold it: Angel says so, and Halo passes that on.
    const wrong = await ask(popup, {
      type: 'order_status', account_id: main.id, unique_order_id: uniqueOrderId,
    });
    assert.equal(wrong.ok, false);
    assert.match(wrong.error, /AB1013|not found/i);
  } finally {
    await context.close().catch(() => {});
    sandbox.stop();
  }
});
