// The browser stops an idle MV3 worker at will. Halo keeps nothing it needs in the worker's
// memory: after a stop, the next popup message wakes it, the vault is still unlocked (the key
// lives in chrome.storage.session), a locked vault unlocks again, and the calls the stopped
// worker made still count against Angel's rate limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchWithExtension, openPoppedOutHalo, stopWorkers } from './lib/browser.mjs';
import { PASSPHRASE, TEST_ACCOUNT, plausibleCodes, readCode } from './lib/mainjob.mjs';
import { addAccount, createVault, logIn } from './lib/popup.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { openHaloOnChart } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;

/** Sends a PopupRequest from the popup page itself, as the popup's own code does. */
function ask(popup, message) {
  return popup.evaluate((m) => chrome.runtime.sendMessage(m), message);
}

test('the vault survives the worker being stopped, and unlocks after it', async () => {
  assert.ok(extensionDir, 'run through ./build.sh test (HALO_EXTENSION)');
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const popup = await openPoppedOutHalo({ context, worker });
    await createVault(popup, PASSPHRASE);
    await addAccount(popup, TEST_ACCOUNT);
    await popup.getByLabel('Current code').first().waitFor({ timeout: 10000 });

    await stopWorkers(context, popup);
    await popup.reload();
    const code = popup.getByLabel('Current code').first();
    await code.waitFor({ timeout: 10000 });
    assert.ok(
      plausibleCodes(TEST_ACCOUNT.totp_secret).includes(await readCode(code)),
      'after a worker stop the vault is still unlocked and codes are right',
    );

    await popup.getByRole('button', { name: 'Lock' }).click();
    await popup.getByRole('button', { name: 'Unlock' }).waitFor();
    await stopWorkers(context, popup);
    await popup.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await popup.getByRole('button', { name: 'Unlock' }).click();
    await popup.getByLabel('Current code').first().waitFor({ timeout: 20000 });
    await popup.getByText(TEST_ACCOUNT.clientcode).first().waitFor();
  } finally {
    await context.close();
  }
});

test('a restarted worker still counts the calls the stopped one made', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  // The sandbox refuses, as Angel does, a second order-book read within one second.
  const sandbox = await startSandbox({
    bin, accounts: [TEST_ACCOUNT], extraArgs: ['--rate-limits'],
  });
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const { popup } = await openHaloOnChart({ context, worker }, sandbox.url);
    await addAccount(popup, TEST_ACCOUNT);
    await logIn(popup, TEST_ACCOUNT);
    const accountId = (await ask(popup, { type: 'status' })).data.accounts[0].id;

    const first = await ask(popup, { type: 'orders', account_id: accountId });
    assert.ok(first.ok, JSON.stringify(first));
    const firstDone = Date.now();
    await stopWorkers(context, popup);
    const restartMs = Date.now() - firstDone;
    // Inside the second, or the check below would pass whatever the worker remembered.
    assert.ok(restartMs < 700, `the worker took ${restartMs} ms to stop`);

    const second = await ask(popup, { type: 'orders', account_id: accountId });
    assert.ok(second.ok, `the new worker sent too soon: ${JSON.stringify(second)}`);
    assert.ok(Date.now() - firstDone >= 1000, 'the new worker waited out the second');
  } finally {
    await context.close().catch(() => {});
    sandbox.stop();
  }
});
