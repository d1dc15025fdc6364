// The API key's age: the day it was created is saved with the account, and the accounts card
// warns at six months (rotate soon) and eleven (Angel drops an unused key at a year).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launchWithExtension, openPoppedOutHalo } from './lib/browser.mjs';
import { PASSPHRASE, TEST_ACCOUNT } from './lib/mainjob.mjs';

const extensionDir = process.env.HALO_EXTENSION;
const IST_OFFSET_MS = 330 * 60 * 1000;

/** Today in India as `YYYY-MM-DD`, `days` later. */
function istToday(days = 0) {
  return new Date(Date.now() + IST_OFFSET_MS + days * 86400000).toISOString().slice(0, 10);
}

/** Today in India shifted by whole months and days, as `YYYY-MM-DD`. */
function istDay({ months = 0, days = 0 } = {}) {
  const now = new Date(Date.now() + IST_OFFSET_MS);
  // Day 28 at most, so going back months never spills into the next month.
  const day = Math.min(now.getUTCDate(), 28) + days;
  const shifted = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, day));
  return shifted.toISOString().slice(0, 10);
}

/** Opens "Add another account" when it is folded. */
async function unfoldAddAccount(popup) {
  const summaries = popup.locator('summary', { hasText: 'Add another account' });
  const section = popup.locator('details', { has: summaries });
  if ((await section.count()) > 0 && !(await section.first().evaluate((d) => d.open))) {
    await section.first().locator('summary').click();
  }
}

async function addAccount(popup, { label, clientcode, created }) {
  await unfoldAddAccount(popup);
  await popup.getByLabel('Label', { exact: true }).fill(label);
  await popup.getByLabel('Client code', { exact: true }).fill(clientcode);
  await popup.getByLabel('MPIN', { exact: true }).fill(TEST_ACCOUNT.mpin);
  await popup.getByLabel('API key', { exact: true }).fill(TEST_ACCOUNT.api_key);
  await popup.getByLabel('TOTP secret', { exact: true }).fill(TEST_ACCOUNT.totp_secret);
  if (created) await popup.locator('#account-api-key-created').fill(created);
  await popup.getByRole('button', { name: 'Save account' }).click();
}

test('the accounts card warns when an API key is 6 and 11 months old', async () => {
  assert.ok(extensionDir, 'run through ./build.sh test (HALO_EXTENSION)');
  const { context, worker } = await launchWithExtension({ extensionDir });
  try {
    const popup = await openPoppedOutHalo({ context, worker });
    await popup.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await popup.getByLabel('Repeat passphrase').fill(PASSPHRASE);
    await popup.getByRole('button', { name: 'Create vault' }).click();
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 20000 });

    // The date input starts at today (India) and a future day is refused.
    const createdInput = popup.locator('#account-api-key-created');
    assert.equal(await createdInput.getAttribute('type'), 'date');
    assert.equal(await createdInput.inputValue(), istToday());
    await addAccount(popup, { label: 'Later', clientcode: 'Z111111', created: istToday(2) });
    await popup.getByText('API key created cannot be a date in the future').waitFor();
    await popup.getByLabel('Label', { exact: true }).fill('Fresh');
    await createdInput.fill('');
    await popup.getByRole('button', { name: 'Save account' }).click();
    await popup.locator('li.account', { hasText: 'Fresh' }).waitFor({ timeout: 10000 });

    await addAccount(popup, {
      label: 'Seven',
      clientcode: 'Z222222',
      created: istDay({ months: -7 }),
    });
    await popup.locator('li.account', { hasText: 'Seven' }).waitFor({ timeout: 10000 });
    await addAccount(popup, {
      label: 'Eleven',
      clientcode: 'Z333333',
      created: istDay({ months: -11, days: -15 }),
    });
    const eleven = popup.locator('li.account', { hasText: 'Eleven' });
    await eleven.waitFor({ timeout: 10000 });

    const notice = (label) => popup.locator('li.account', { hasText: label }).locator('.key-age');
    assert.equal(await notice('Fresh').count(), 0);
    assert.equal(
      await notice('Seven').textContent(),
      'API key is 7 months old; rotate it soon',
    );
    assert.equal(
      await notice('Eleven').textContent(),
      'API key is 11 months old: it expires within a month unless used; rotate now',
    );
    await popup.screenshot({ path: screenshot('key-age-notices'), fullPage: true });

    // A new key recorded through the editor clears the warning; a blank date keeps the day.
    const seven = popup.locator('li.account', { hasText: 'Seven' });
    await seven.getByRole('button', { name: 'Edit Seven' }).click();
    await seven.getByRole('button', { name: 'Save changes' }).click();
    await seven.locator('.account-edit').waitFor({ state: 'detached', timeout: 10000 });
    assert.match(await notice('Seven').textContent(), /7 months old/);
    await seven.getByRole('button', { name: 'Edit Seven' }).click();
    await seven.locator('#edit-api-key-created').fill(istToday());
    await seven.getByRole('button', { name: 'Save changes' }).click();
    await seven.locator('.account-edit').waitFor({ state: 'detached', timeout: 10000 });
    await notice('Seven').waitFor({ state: 'detached', timeout: 10000 });
  } finally {
    await context.close();
  }
});

function screenshot(name) {
  const dir = process.env.HALO_TEST_OUTPUT ?? 'test-output';
  mkdirSync(dir, { recursive: true });
  return `${dir}/${name}.png`;
}
