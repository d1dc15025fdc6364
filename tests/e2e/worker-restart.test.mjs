// The browser stops an idle MV3 worker at will. Halo keeps nothing it needs in the worker's
// memory: after a stop, the next popup message wakes it, the vault is still unlocked (the key
// lives in chrome.storage.session), and a locked vault unlocks again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchWithExtension, openPoppedOutHalo, stopWorkers } from './lib/browser.mjs';
import { PASSPHRASE, TEST_ACCOUNT, plausibleCodes, readCode } from './lib/mainjob.mjs';
import { addAccount, createVault } from './lib/popup.mjs';

const extensionDir = process.env.HALO_EXTENSION;

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
