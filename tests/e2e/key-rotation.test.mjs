// "Rotate now": an account whose old API key Angel no longer takes gets a new one from its Edit
// form; Halo replaces the key in the vault, counts its age from today, and validates at once.
// The built extension in headless Chromium against the real `halo sandbox`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, openPoppedOutHalo } from './lib/browser.mjs';
import { PASSPHRASE } from './lib/mainjob.mjs';
import { addAccount, createVault } from './lib/popup.mjs';
import { startSandbox } from './lib/sandbox.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'key-rotation');
mkdirSync(outputDir, { recursive: true });

/** The sandbox knows only the new key; the old one is what the trader saved a year ago. */
const ACCOUNT = {
  clientcode: 'R555555',
  mpin: '8642',
  totp_secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  api_key: 'rotated-key-2026',
  name: 'Rohan Rotate',
};
const OLD_KEY = 'expired-key-2025';

test('Rotate now replaces the API key, resets its age and validates', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  const { context, worker } = await launchWithExtension({ extensionDir });
  let sandbox;
  let popup;
  try {
    sandbox = await startSandbox({ bin, accounts: [ACCOUNT] });
    popup = await openPoppedOutHalo({ context, worker });
    // A first run shows the guide in brief, linking to the full one.
    await popup.getByRole('heading', { name: 'New to SmartAPI? Five steps' }).waitFor();
    const guideLink = popup.getByRole('link', { name: 'Open the setup guide' });
    assert.equal(await guideLink.getAttribute('href'), 'options.html#guide');
    await popup.screenshot({ path: join(outputDir, '00-first-run-guide-card.png') });
    await createVault(popup, PASSPHRASE);
    await popup.getByLabel('Endpoint').fill(sandbox.url);
    await popup.getByRole('button', { name: 'Save endpoint' }).click();
    await popup.getByText(sandbox.url, { exact: false }).first().waitFor();

    // A key created a year ago: the card asks for a rotation, and Angel refuses the key.
    const yearAgo = new Date(Date.now() - 365 * 86400000).toISOString().slice(0, 10);
    await popup.locator('#account-api-key-created').fill(yearAgo);
    await addAccount(popup, { ...ACCOUNT, label: 'Main', api_key: OLD_KEY });
    const notice = popup.locator('.key-age');
    await notice.waitFor({ timeout: 10000 });
    assert.match(await notice.textContent(), /11 months|rotate/i);
    await popup.getByRole('button', { name: 'Log in' }).click();
    await popup.getByRole('alert').first().waitFor({ timeout: 15000 });
    assert.equal(await popup.getByText('Logged in as').count(), 0);

    await popup.getByRole('button', { name: 'Edit Main' }).click();
    await popup.getByRole('button', { name: 'Rotate now' }).click();
    await popup.getByText('Type the new API key from your SmartAPI app first').waitFor();
    // The old key pasted again (still on the clipboard) is refused and its notice stays.
    await popup.getByLabel('Replacement API key').fill(` ${OLD_KEY} `);
    await popup.getByRole('button', { name: 'Rotate now' }).click();
    await popup.getByText('That is the API key already saved for this account').waitFor();
    assert.match(await notice.textContent(), /11 months|rotate/i);
    await popup.getByLabel('Replacement API key').fill(ACCOUNT.api_key);
    await popup.getByRole('button', { name: 'Rotate now' }).click();
    const verdict = popup.getByRole('list', { name: 'Validation after rotation' });
    await verdict.waitFor({ timeout: 20000 });
    const text = await verdict.textContent();
    assert.match(text, /API key: ok/);
    assert.match(text, /Client code and MPIN: ok/);
    assert.match(text, /TOTP: ok/);
    await popup.getByText(`Logged in as ${ACCOUNT.name} (${ACCOUNT.clientcode})`).waitFor();
    // The key's age starts again today, so the rotation notice is gone.
    await notice.waitFor({ state: 'detached', timeout: 10000 });
    await popup.screenshot({ path: join(outputDir, '01-rotated.png'), fullPage: true });

    // The vault holds the new key: a fresh login after logging out uses it.
    const session = popup.locator('p.session');
    await popup.getByRole('button', { name: 'Log out', exact: true }).click();
    await session.waitFor({ state: 'detached', timeout: 10000 });
    await popup.getByRole('button', { name: 'Log in' }).click();
    await session.getByText(`Logged in as ${ACCOUNT.name}`).waitFor({ timeout: 15000 });
  } catch (error) {
    await popup?.screenshot({ path: join(outputDir, 'failed.png'), fullPage: true });
    throw error;
  } finally {
    await context.close().catch(() => {});
    sandbox?.stop();
  }
});
