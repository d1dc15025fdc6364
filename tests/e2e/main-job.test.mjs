// The walking skeleton's end-to-end test: the built extension in headless Chromium, the real
// `halo sandbox` over HTTP, a TradingView-shaped page under TradingView's host name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  runMainJob, plausibleCodes, PASSPHRASE, TEST_ACCOUNT, LIMIT_PRICE,
} from './lib/mainjob.mjs';
import { assertNoSecret } from './lib/secrets.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'main-job');

test('a trader places one order from a TradingView chart through the sandbox', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  const job = await runMainJob({ bin, extensionDir, outputDir, log: (s) => console.log(`# ${s}`) });
  try {
    assert.ok(
      plausibleCodes(TEST_ACCOUNT.totp_secret).includes(job.shownCode),
      `popup code ${job.shownCode} is not RFC 6238's code for the account's secret`,
    );

    assert.equal(job.sandboxOrders.length, 1, 'exactly one order reached the broker');
    const [received] = job.sandboxOrders;
    const sent = received.request;
    assert.equal(sent.symboltoken, '2885');
    assert.equal(sent.tradingsymbol, 'RELIANCE-EQ');
    assert.equal(sent.exchange, 'NSE');
    assert.equal(sent.transactiontype, 'BUY');
    assert.equal(Number(sent.quantity), 1);
    assert.equal(Number(sent.price), Number(LIMIT_PRICE));
    assert.equal(sent.ordertype, 'LIMIT');
    assert.equal(job.shownOrderId, received.orderid, 'the popup shows the id the broker gave');

    // The logs of a whole day's job: Halo's own lines were captured, and none holds a secret.
    assert.ok(job.consoleLines.some((line) => line.startsWith('halo: placing order')),
      `the worker's log was not captured: ${JSON.stringify(job.consoleLines)}`);
    const { mpin, api_key: apiKey, totp_secret: secret } = TEST_ACCOUNT;
    assertNoSecret(job.consoleLines.join('\n'), 'the console', [apiKey, secret, PASSPHRASE]);
    assert.ok(!job.consoleLines.some((line) => line.includes(`"${mpin}"`)), 'the MPIN is logged');
  } finally {
    await job.close();
  }
});
