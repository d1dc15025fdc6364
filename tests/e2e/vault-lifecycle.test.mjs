// The vault's whole life in the real extension: nothing secret in storage in any encoding,
// backup / forget / restore, lock with no secret left in the page, auto-lock, a new
// passphrase, edit and delete, two windows saving at once, and a damaged vault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchWithExtension, openPoppedOutHalo } from './lib/browser.mjs';
import { PASSPHRASE, TEST_ACCOUNT, plausibleCodes, readCode } from './lib/mainjob.mjs';
import { assertNoSecret } from './lib/secrets.mjs';

const extensionDir = process.env.HALO_EXTENSION;
const MPIN = '4826';

/** chrome.storage.local and chrome.storage.sync, as one JSON text. */
async function persistentStorage(worker) {
  return worker.evaluate(async () =>
    JSON.stringify({
      local: await chrome.storage.local.get(null),
      sync: await chrome.storage.sync.get(null),
    }),
  );
}

async function createVault(popup, passphrase = PASSPHRASE) {
  await popup.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await popup.getByLabel('Repeat passphrase').fill(passphrase);
  await popup.getByRole('button', { name: 'Create vault' }).click();
  await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 20000 });
}

async function fillAccount(popup, { label, clientcode, mpin, apiKey, secret }) {
  await popup.getByLabel('Label', { exact: true }).fill(label);
  await popup.getByLabel('Client code', { exact: true }).fill(clientcode);
  await popup.getByLabel('MPIN', { exact: true }).fill(mpin);
  await popup.getByLabel('API key', { exact: true }).fill(apiKey);
  await popup.getByLabel('TOTP secret', { exact: true }).fill(secret);
}

async function addAccount(popup, account) {
  await fillAccount(popup, account);
  await popup.getByRole('button', { name: 'Save account' }).click();
}

async function unlock(popup, passphrase) {
  await popup.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await popup.getByRole('button', { name: 'Unlock', exact: true }).click();
}

async function openSection(popup, name) {
  const section = popup.locator('details', { has: popup.locator('summary', { hasText: name }) });
  if (!(await section.first().evaluate((d) => d.open))) {
    await section.first().locator('summary').click();
  }
  return section.first();
}

const MAIN = {
  label: 'Main',
  clientcode: TEST_ACCOUNT.clientcode,
  mpin: MPIN,
  apiKey: TEST_ACCOUNT.api_key,
  secret: TEST_ACCOUNT.totp_secret,
};
const SECRETS = [MPIN, TEST_ACCOUNT.api_key, TEST_ACCOUNT.totp_secret, PASSPHRASE];

test('backup, forget, restore, lock, auto-lock, new passphrase, edit and delete', async () => {
  assert.ok(extensionDir, 'run through ./build.sh test (HALO_EXTENSION)');
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const popup = await openPoppedOutHalo({ context, worker });
    await createVault(popup);
    await addAccount(popup, MAIN);
    await popup.getByLabel('Current code').first().waitFor({ timeout: 10000 });

    // A second account under the same label, hidden behind a direction override and another
    // case, is refused: accounts are told apart by label.
    const sameLabel = await persistentStorage(worker);
    await openSection(popup, 'Add another account');
    await addAccount(popup, { ...MAIN, label: '\u202Emain ', clientcode: 'Y888888' });
    await popup.getByRole('alert').filter({ hasText: 'Another account already has this label' })
      .waitFor({ timeout: 10000 });
    assert.equal(await persistentStorage(worker), sameLabel, 'the refused account was stored');
    assert.equal(await popup.getByLabel('Current code').count(), 1);

    // At rest: nothing secret in local or sync storage, in any encoding.
    const atRest = await persistentStorage(worker);
    assert.ok(atRest.includes('argon2id'));
    assertNoSecret(atRest, 'chrome.storage', SECRETS);

    // Auto-lock is armed for the default 15 minutes.
    const alarm = await worker.evaluate(() => chrome.alarms.get('halo-auto-lock'));
    assert.ok(alarm, 'no auto-lock alarm after unlocking');
    const minutesLeft = (alarm.scheduledTime - Date.now()) / 60000;
    assert.ok(minutesLeft > 14 && minutesLeft <= 15.1, `auto-lock in ${minutesLeft} min`);

    // Export: the file is the encrypted vault and nothing else.
    const vaultTools = await openSection(popup, 'Vault');
    const downloading = popup.waitForEvent('download');
    await vaultTools.getByRole('button', { name: 'Download backup' }).click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /^halo-vault-\d{4}-\d{2}-\d{2}\.json$/);
    const backupPath = await download.path();
    const backup = readFileSync(backupPath, 'utf8');
    assert.equal(JSON.parse(backup).format, 'halo-vault');
    assertNoSecret(backup, 'the backup file', SECRETS);

    // Forget everything, confirmed by typing FORGET.
    const forget = vaultTools.getByRole('button', { name: 'Forget everything' });
    assert.ok(await forget.isDisabled(), 'Forget everything works without confirmation');
    await vaultTools.getByLabel('Type FORGET to confirm').fill('FORGET');
    await forget.click();
    await popup.getByRole('button', { name: 'Create vault' }).waitFor({ timeout: 10000 });
    assert.equal(await persistentStorage(worker), '{"local":{},"sync":{}}');

    // Restore: a file that is not a backup is named as such, a wrong passphrase changes
    // nothing, and the right one brings the account back.
    await popup.getByText('Restore from a backup file').click();
    const notBackup = join(mkdtempSync(join(tmpdir(), 'halo-')), 'package.json');
    writeFileSync(notBackup, '{"name":"package","version":"1.0.0","accounts":[]}');
    await popup.getByLabel('Backup file').setInputFiles(notBackup);
    await popup.getByLabel('Backup passphrase').fill(PASSPHRASE);
    await popup.getByRole('button', { name: 'Restore backup' }).click();
    await popup.getByRole('alert').filter({ hasText: 'The chosen file is not a Halo backup' })
      .waitFor({ timeout: 20000 });
    assert.equal(await persistentStorage(worker), '{"local":{},"sync":{}}');
    await popup.getByLabel('Backup file').setInputFiles(backupPath);
    await popup.getByLabel('Backup passphrase').fill('not the passphrase');
    await popup.getByRole('button', { name: 'Restore backup' }).click();
    await popup.getByRole('alert').filter({ hasText: /wrong passphrase/i }).waitFor({
      timeout: 20000,
    });
    assert.equal(await persistentStorage(worker), '{"local":{},"sync":{}}');
    await popup.getByLabel('Backup passphrase').fill(PASSPHRASE);
    await popup.getByRole('button', { name: 'Restore backup' }).click();
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 20000 });
    const code = await readCode(popup.getByLabel('Current code').first());
    assert.ok(plausibleCodes(TEST_ACCOUNT.totp_secret).includes(code), `restored code ${code}`);
    await popup.getByText(TEST_ACCOUNT.clientcode).first().waitFor();

    // Lock: the page holds no secret.
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    await popup.getByRole('button', { name: 'Unlock', exact: true }).waitFor();
    assertNoSecret(await popup.content(), 'the locked popup', SECRETS);

    // Caps Lock while typing the passphrase is pointed out, and the note goes when it is off.
    const passphraseField = popup.getByLabel('Passphrase', { exact: true });
    const key = (capsLock) => passphraseField.evaluate((input, modifierCapsLock) =>
      input.dispatchEvent(new KeyboardEvent('keyup', { key: 'a', modifierCapsLock })), capsLock);
    await key(true);
    await popup.getByText('Caps Lock is on.').waitFor({ timeout: 5000 });
    await key(false);
    await popup.getByText('Caps Lock is on.').waitFor({ state: 'detached', timeout: 5000 });

    // Auto-lock: typing in a form counts as use and pushes the lock back...
    await unlock(popup, PASSPHRASE);
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 20000 });
    const lockAt = () => worker.evaluate(async () =>
      (await chrome.alarms.get('halo-auto-lock')).scheduledTime);
    const armedAtUnlock = await lockAt();
    await popup.waitForTimeout(1500);
    await openSection(popup, 'Add another account');
    await popup.getByLabel('Label', { exact: true }).pressSequentially('Sl');
    await popup.waitForFunction(async (before) =>
      (await chrome.alarms.get('halo-auto-lock')).scheduledTime > before + 1000,
    armedAtUnlock, { timeout: 5000 }).catch(() => {});
    assert.ok(await lockAt() > armedAtUnlock + 1000, 'typing did not re-arm the auto-lock');
    // ...and the alarm firing locks Halo (unpacked extensions may set it this short).
    await worker.evaluate(() => chrome.alarms.create('halo-auto-lock', { when: Date.now() + 200 }));
    await popup.getByRole('button', { name: 'Unlock', exact: true }).waitFor({ timeout: 15000 });
    const session = await worker.evaluate(() => chrome.storage.session.get(null));
    assert.equal(session.vault_key, undefined, 'the key outlived the auto-lock');

    // A new passphrase: the old one stops working, the new one opens the same accounts.
    const NEW = 'a new and longer passphrase';
    await unlock(popup, PASSPHRASE);
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 20000 });
    const tools = await openSection(popup, 'Vault');
    await tools.getByLabel('Current passphrase').fill(PASSPHRASE);
    await tools.getByLabel('New passphrase', { exact: true }).fill(PASSPHRASE);
    await tools.getByLabel('Repeat new passphrase').fill(PASSPHRASE);
    await tools.getByRole('button', { name: 'Change passphrase' }).click();
    await popup.getByRole('alert').filter({ hasText: 'the same as the current one' })
      .waitFor({ timeout: 20000 });
    // Every field is emptied after a try, so nothing typed stays in the page.
    await tools.getByLabel('Current passphrase').fill(PASSPHRASE);
    await tools.getByLabel('New passphrase', { exact: true }).fill(NEW);
    await tools.getByLabel('Repeat new passphrase').fill(NEW);
    await tools.getByRole('button', { name: 'Change passphrase' }).click();
    await popup.getByText('Passphrase changed.').waitFor({ timeout: 20000 });
    assertNoSecret(await persistentStorage(worker), 'chrome.storage', [...SECRETS, NEW]);
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    await unlock(popup, PASSPHRASE);
    await popup.getByRole('alert').filter({ hasText: /wrong passphrase/i }).waitFor({
      timeout: 20000,
    });
    // The cursor is back in the field, ready for another try.
    await popup.waitForFunction(() => document.activeElement?.id === 'passphrase', null,
      { timeout: 5000 });
    await unlock(popup, NEW);
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 20000 });

    // Restoring over a vault names what would go and waits for a yes: an account added
    // since the backup is listed, Cancel keeps it, and confirming brings back the backup's
    // passphrase.
    await openSection(popup, 'Add another account');
    await addAccount(popup, { ...MAIN, label: 'Added later', clientcode: 'Y777777' });
    await popup.getByText('Y777777').first().waitFor({ timeout: 10000 });
    const beforeRestore = await persistentStorage(worker);
    const restoreTools = await openSection(popup, 'Vault');
    const restoreBackup = async () => {
      await restoreTools.getByLabel('Backup file').setInputFiles(backupPath);
      await restoreTools.getByLabel('Backup passphrase').fill(PASSPHRASE);
      await restoreTools.getByRole('button', { name: 'Restore backup' }).click();
      return restoreTools.getByRole('group', { name: 'Confirm the restore' });
    };
    let confirm = await restoreBackup();
    const listed = async (heading) => {
      await confirm.getByText(heading).waitFor({ timeout: 20000 });
      const list = confirm.locator('p', { hasText: heading }).locator('+ ul');
      return (await list.locator('li').allTextContents()).map((name) => name.trim());
    };
    assert.deepEqual(await listed('Removed, because the backup does not have them'),
      ['Added later (Y777777)']);
    assert.deepEqual(await listed('The backup holds'), [`Main (${TEST_ACCOUNT.clientcode})`]);
    await popup.screenshot({ path: screenshot('vault-restore-confirm'), fullPage: true });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await persistentStorage(worker), beforeRestore, 'Cancel changed the vault');
    await popup.getByText('Y777777').first().waitFor();

    // An account renamed since the backup is named as going back; and a vault changed after
    // the check (another window adding an account) is not replaced, since that was never shown.
    await popup.getByRole('button', { name: 'Edit Main' }).click();
    await popup.getByLabel('New label').fill('Renamed');
    await popup.getByRole('button', { name: 'Save changes' }).click();
    await popup.getByRole('button', { name: 'Edit Renamed' }).waitFor({ timeout: 15000 });
    confirm = await restoreBackup();
    assert.deepEqual(await listed('returned to how the backup has them'),
      [`Renamed (${TEST_ACCOUNT.clientcode})`]);
    const other = await openPoppedOutHalo({ context, worker });
    await openSection(other, 'Add another account');
    await addAccount(other, { ...MAIN, label: 'Meanwhile', clientcode: 'Y666666' });
    await popup.getByText('Y666666').first().waitFor({ timeout: 15000 });
    await other.close();
    const changedUnder = await persistentStorage(worker);
    await confirm.getByRole('button', { name: 'Replace with the backup' }).click();
    await popup.getByRole('alert').filter({ hasText: 'changed after the backup was checked' })
      .waitFor({ timeout: 20000 });
    assert.equal(await persistentStorage(worker), changedUnder, 'an unseen change was replaced');

    confirm = await restoreBackup();
    await confirm.getByRole('button', { name: 'Replace with the backup' }).click();
    await popup.getByText('Backup restored. Its passphrase now unlocks Halo.')
      .waitFor({ timeout: 20000 });
    await popup.getByText('Y777777').waitFor({ state: 'detached', timeout: 10000 });
    assert.equal(await popup.getByText('Y666666').count(), 0, 'the later account stayed');
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    await unlock(popup, NEW);
    await popup.getByRole('alert').filter({ hasText: /wrong passphrase/i }).waitFor({
      timeout: 20000,
    });
    await unlock(popup, PASSPHRASE);
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 20000 });

    // Edit keeps the secrets left blank; delete removes the account.
    await popup.getByRole('button', { name: 'Edit Main' }).click();
    await popup.getByLabel('New label').fill('Desk');
    await popup.getByRole('button', { name: 'Save changes' }).click();
    await popup.getByRole('button', { name: 'Edit Desk' }).waitFor();
    const kept = await readCode(popup.getByLabel('Current code').first());
    assert.ok(plausibleCodes(TEST_ACCOUNT.totp_secret).includes(kept), `edited code ${kept}`);
    await popup.screenshot({ path: screenshot('vault-unlocked-folded'), fullPage: true });

    // A refused save (Enter in a field) leaves the cursor in that field, so typing goes on.
    await popup.getByRole('button', { name: 'Edit Desk' }).click();
    const mpin = popup.getByLabel('New MPIN');
    await mpin.fill('12a');
    await mpin.press('Enter');
    await popup.getByRole('alert').filter({ hasText: 'MPIN must be exactly 4 digits' })
      .waitFor({ timeout: 10000 });
    await popup.waitForFunction(() => document.activeElement?.id === 'edit-mpin', null,
      { timeout: 5000 });
    await popup.keyboard.press('Backspace');
    assert.equal(await mpin.inputValue(), '12');
    await mpin.fill('');

    // A cleared client code is refused in words; a cleared label becomes the client code.
    await popup.getByLabel('New client code').fill('');
    await popup.getByLabel('New label').fill('');
    await popup.getByRole('button', { name: 'Save changes' }).click();
    await popup.getByRole('alert').filter({ hasText: "Type the account's client code" })
      .waitFor({ timeout: 10000 });
    await popup.getByLabel('New client code').fill(TEST_ACCOUNT.clientcode);
    await popup.getByRole('button', { name: 'Save changes' }).click();
    const byCode = popup.getByRole('button', { name: `Edit ${TEST_ACCOUNT.clientcode}` });
    await byCode.waitFor({ timeout: 15000 });
    assert.equal(await popup.getByRole('button', { name: 'Edit Desk' }).count(), 0);
    await byCode.click();
    await popup.getByRole('button', { name: 'Delete account' }).click();
    await popup.getByRole('button', { name: 'Delete for good' }).click();
    await popup.getByText('No accounts yet.', { exact: false }).waitFor();
  } finally {
    await context.close();
  }
});

/** A new vault, unlocked, in two Halo windows of one browser. */
async function twoWindows() {
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const first = await openPoppedOutHalo({ context, worker });
    await createVault(first);
    const second = await openPoppedOutHalo({ context, worker });
    await second.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 20000 });
    return { context, worker, first, second };
  } catch (error) {
    await context.close();
    throw error;
  }
}

test('two windows saving at the same moment both keep their account', async () => {
  const { context, worker, first, second } = await twoWindows();
  try {

    const accounts = [
      { ...MAIN, label: 'One', clientcode: 'Z111111' },
      { ...MAIN, label: 'Two', clientcode: 'Z222222' },
    ];
    await fillAccount(first, accounts[0]);
    await fillAccount(second, accounts[1]);
    await Promise.all([
      first.getByRole('button', { name: 'Save account' }).click(),
      second.getByRole('button', { name: 'Save account' }).click(),
    ]);
    // The form folds away once an account exists, so its note is looked for, not seen.
    for (const page of [first, second]) {
      await page.getByText('Account saved.').waitFor({ state: 'attached', timeout: 15000 });
      assert.equal(await page.getByRole('alert').count(), 0, 'a save was refused');
    }

    await first.reload();
    await first.getByText('Z111111').waitFor({ timeout: 15000 });
    await first.getByText('Z222222').waitFor();
    const revision = await worker.evaluate(
      async () => JSON.parse((await chrome.storage.local.get('vault')).vault).revision,
    );
    assert.equal(revision, 3, 'created at 1, then one save each');

    // Both windows open Edit on one account. The first renames it; the second, whose form still
    // shows the old name, changes only the MPIN: the new name stays, and the second window
    // shows it without being reloaded.
    for (const page of [first, second]) {
      await page.getByRole('button', { name: 'Edit One' }).click();
    }
    await first.getByLabel('New label').fill('Uno');
    await first.getByRole('button', { name: 'Save changes' }).click();
    await first.getByRole('button', { name: 'Edit Uno' }).waitFor({ timeout: 15000 });
    assert.equal(await second.getByLabel('New label').inputValue(), 'One', 'a form kept open');
    await second.getByLabel('New MPIN').fill('9090');
    await second.getByRole('button', { name: 'Save changes' }).click();
    await second.getByRole('button', { name: 'Edit Uno' }).waitFor({ timeout: 15000 });
    await first.getByRole('button', { name: 'Edit Two' }).click();
    await first.getByLabel('New label').fill('Dos');
    await first.getByRole('button', { name: 'Save changes' }).click();
    await second.getByRole('button', { name: 'Edit Dos' }).waitFor({ timeout: 15000 });
    assert.equal(await second.getByRole('button', { name: /^Edit (One|Two)$/ }).count(), 0);
  } finally {
    await context.close();
  }
});

test('a form being filled in stays in view when another window saves the first account',
  async () => {
    const { context, first, second } = await twoWindows();
    try {
      await fillAccount(second, { ...MAIN, label: 'Later', clientcode: 'Z333333' });

      await addAccount(first, { ...MAIN, label: 'Sooner', clientcode: 'Z444444' });
      await second.getByText('Z444444').waitFor({ timeout: 15000 });
      const label = second.getByLabel('Label', { exact: true });
      assert.ok(await label.isVisible(), 'the half-filled form was folded away');
      assert.equal(await label.inputValue(), 'Later');
      await second.getByRole('button', { name: 'Save account' }).click();
      await second.getByText('Z333333').waitFor({ timeout: 15000 });
      // Saved, the form has nothing left to keep in view.
      await label.waitFor({ state: 'hidden', timeout: 5000 });
    } finally {
      await context.close();
    }
  });

test('a truncated vault reads as damaged and unlocking it changes nothing', async () => {
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const popup = await openPoppedOutHalo({ context, worker });
    await createVault(popup);
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    await popup.getByRole('button', { name: 'Unlock', exact: true }).waitFor();
    await worker.evaluate(async () => {
      const { vault } = await chrome.storage.local.get('vault');
      await chrome.storage.local.set({ vault: vault.slice(0, Math.floor(vault.length * 0.6)) });
    });
    const before = await persistentStorage(worker);

    await popup.reload();
    await unlock(popup, PASSPHRASE);
    await popup.getByRole('alert').filter({ hasText: /damaged/i }).waitFor({ timeout: 20000 });
    assert.equal(await persistentStorage(worker), before, 'a failed unlock changed storage');
    await popup.screenshot({ path: screenshot('vault-damaged'), fullPage: true });

    // Something other than text under the vault's key (another program wrote it) is damaged
    // too: the popup still asks for the passphrase rather than stopping at a browser error.
    await worker.evaluate(() => chrome.storage.local.set({ vault: { format: 'halo-vault' } }));
    const notText = await persistentStorage(worker);
    await popup.reload();
    await unlock(popup, PASSPHRASE);
    const damaged = popup.getByRole('alert').filter({ hasText: /damaged/i });
    await damaged.waitFor({ timeout: 20000 });
    assert.match(await damaged.textContent(), /not the vault's text/);
    assert.equal(await persistentStorage(worker), notText, 'a failed unlock changed storage');
  } finally {
    await context.close();
  }
});

test('an accent typed as one character or as two opens the same vault', async () => {
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const popup = await openPoppedOutHalo({ context, worker });
    // Created with "é" as e + combining acute, as some keyboards and pastes send it...
    await createVault(popup, 'correct horse cafe\u0301 9317');
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    // ...and unlocked with the single character.
    await unlock(popup, 'correct horse caf\u00e9 9317');
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 20000 });
    const session = await worker.evaluate(() => chrome.storage.session.get('vault_key'));
    assert.ok(session.vault_key, 'unlocked without a key kept');
  } finally {
    await context.close();
  }
});

function screenshot(name) {
  const dir = process.env.HALO_TEST_OUTPUT ?? 'test-output';
  mkdirSync(dir, { recursive: true });
  return `${dir}/${name}.png`;
}
