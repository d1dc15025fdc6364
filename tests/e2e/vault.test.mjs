// The vault in the real extension: nothing secret at rest in clear, a wrong passphrase changes
// nothing, and the right one opens it again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchWithExtension, openPoppedOutHalo } from './lib/browser.mjs';
import { PASSPHRASE, TEST_ACCOUNT } from './lib/mainjob.mjs';
import { addAccount, createVault } from './lib/popup.mjs';

const extensionDir = process.env.HALO_EXTENSION;

/** Everything the extension keeps in chrome.storage.local, as one JSON text. */
async function localStorageText(worker) {
  return worker.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));
}

test('the vault keeps secrets encrypted and survives a wrong passphrase', async () => {
  assert.ok(extensionDir, 'run through ./build.sh test (HALO_EXTENSION)');
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const popup = await openPoppedOutHalo({ context, worker });
    await createVault(popup, PASSPHRASE);

    await addAccount(popup, { ...TEST_ACCOUNT, mpin: '4826' });
    await popup.getByLabel('Current code').first().waitFor({ timeout: 10000 });

    const atRest = await localStorageText(worker);
    // The MPIN is looked for with its quotes: four bare digits may occur inside base64.
    for (const secret of ['"4826"', TEST_ACCOUNT.api_key, TEST_ACCOUNT.totp_secret, PASSPHRASE]) {
      assert.ok(!atRest.includes(secret), `chrome.storage.local holds a secret in clear`);
    }
    assert.ok(atRest.includes('argon2id'), 'the vault at rest names its KDF');

    await popup.getByRole('button', { name: 'Lock' }).click();
    await popup.getByRole('button', { name: 'Unlock' }).waitFor();
    const session = await worker.evaluate(async () => chrome.storage.session.get(null));
    assert.deepEqual(Object.keys(session).filter((k) => k.startsWith('vault_key')), []);

    await popup.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
    await popup.getByRole('button', { name: 'Unlock' }).click();
    const alert = popup.getByRole('alert');
    await alert.filter({ hasText: /wrong passphrase/i }).waitFor({ timeout: 20000 });
    assert.equal(await localStorageText(worker), atRest, 'a failed unlock changed storage');

    await popup.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await popup.getByRole('button', { name: 'Unlock' }).click();
    await popup.getByRole('button', { name: 'Lock' }).waitFor({ timeout: 20000 });
    await popup.getByText(TEST_ACCOUNT.clientcode).first().waitFor();
  } finally {
    await context.close();
  }
});
