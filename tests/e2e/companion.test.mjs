// Orders through the companion: headless Chromium with Halo loaded finds `halo` through the host
// manifest `halo install --user-data-dir` wrote into its profile, pairs with it (the test
// compares the popup's code with `halo pairing`'s, as a person would), and places an order that
// reaches the sandbox only through the companion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension } from './lib/browser.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { TEST_ACCOUNT, LIMIT_PRICE, buyOneAtLimit } from './lib/mainjob.mjs';
import { addAccount } from './lib/popup.mjs';
import { openHaloOnChart } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'companion');

test('Halo pairs with the companion and places an order through it', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  mkdirSync(outputDir, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'halo-profile-'));
  const config = mkdtempSync(join(tmpdir(), 'halo-config-'));
  const halo = (...args) =>
    execFileSync(bin, args, { env: { ...process.env, HALO_CONFIG_DIR: config } }).toString();

  const installed = halo('install', '--browser', 'chromium', '--user-data-dir', profile);
  const manifest = join(profile, 'NativeMessagingHosts', 'in.halo.companion.json');
  assert.ok(installed.includes(manifest), installed);

  const sandbox = await startSandbox({ bin, accounts: [TEST_ACCOUNT] });
  const browser = await launchWithExtension({
    extensionDir,
    profile,
    env: { HALO_CONFIG_DIR: config },
  });
  try {
    const { chart, popup } = await openHaloOnChart(browser, sandbox.url);
    const shot = (name) =>
      popup.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });

    await addAccount(popup, TEST_ACCOUNT);
    await popup.getByRole('button', { name: 'Log in' }).first().click();
    await popup
      .getByText(`Logged in as ${TEST_ACCOUNT.name} (${TEST_ACCOUNT.clientcode})`)
      .waitFor({ timeout: 15000 });

    // Settings fold away once an account exists.
    await popup.locator('summary', { hasText: 'Settings' }).click();
    const route = popup.getByLabel('Send orders through the companion');
    // The box shows the stored setting: checked once the worker has saved it.
    await route.click();
    await popup.waitForFunction(() => document.querySelector('label.check input').checked);
    await popup.getByText('Not paired yet.').waitFor({ timeout: 15000 });
    await shot('01-not-paired');

    // Unpaired: the ticket says so and nothing reaches the broker.
    const placeOnce = async () => {
      await chart.bringToFront();
      await buyOneAtLimit(popup);
    };
    await placeOnce();
    await popup.getByText('not paired with the companion').first().waitFor({ timeout: 15000 });
    await shot('02-ticket-unpaired');
    assert.equal((await sandbox.orders()).length, 0, 'an unpaired companion placed nothing');

    // Pairing: the popup's code and the companion's are compared before confirming.
    await popup.getByRole('button', { name: 'Pair', exact: true }).click();
    const codeElement = popup.locator('#pairing-code');
    await codeElement.waitFor({ timeout: 15000 });
    const popupCode = (await codeElement.textContent()).trim();
    const companionSays = halo('pairing');
    const companionCode = /Pairing code: (\d{3} \d{3})/.exec(companionSays)?.[1];
    assert.match(popupCode, /^\d{3} \d{3}$/);
    assert.equal(companionCode, popupCode, `halo pairing said: ${companionSays}`);
    await shot('03-pairing-code');
    await popup.getByRole('button', { name: 'Codes match: pair' }).click();
    await popup.getByText(/Paired; the companion \(halo [\d.]+\) answers\./).waitFor({
      timeout: 15000,
    });
    assert.match(halo('pairing'), /Paired Halo extension \(chrome-extension:\/\/[a-p]{32}\/\)/);
    await shot('04-paired');

    // Paired: the order goes through the companion and reaches the sandbox once.
    await placeOnce();
    const orderId = popup.locator('.order-id').first();
    await orderId.waitFor({ timeout: 30000 });
    const shownOrderId = (await orderId.textContent()).trim();
    await shot('05-order-through-companion');
    const received = await sandbox.orders();
    assert.equal(received.length, 1, 'exactly one order reached the broker');
    assert.equal(received[0].request.symboltoken, '2885');
    assert.equal(Number(received[0].request.price), Number(LIMIT_PRICE));
    assert.equal(received[0].orderid, shownOrderId);

    // Without the host manifest the browser cannot start the companion: nothing is placed.
    rmSync(manifest);
    await popup.getByRole('button', { name: 'New order' }).click();
    await placeOnce();
    await popup.getByText('could not be reached').first().waitFor({ timeout: 15000 });
    await shot('06-ticket-unreachable');
    assert.equal((await sandbox.orders()).length, 1, 'an unreachable companion placed nothing');
  } finally {
    await browser.context.close().catch(() => {});
    sandbox.stop();
  }
});
