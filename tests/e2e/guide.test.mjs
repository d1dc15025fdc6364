// The first-run guide on Halo's options page, walked by a new profile for each platform against
// the real `halo sandbox`: SMART_API with the TOTP QR read from a page served under Angel's
// enable-TOTP host, SMART_API_M through the sandbox's publisher page in the real
// launchWebAuthFlow window. A screenshot of every step goes to test-output/guide/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  fillPublisherPage,
  openPublisherPage,
  routeEnableTotpPage,
  withAllSitesGranted,
} from './lib/angel-pages.mjs';
import { launchWithExtension } from './lib/browser.mjs';
import { PASSPHRASE } from './lib/mainjob.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { totp } from './lib/totp.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'guide');
mkdirSync(outputDir, { recursive: true });

/** Made up, nobody's. */
const SECRET = 'MFXGOZLMFVXW4ZJNMRSW23ZBEE';
const DIRECT = {
  clientcode: 'G123456',
  mpin: '2468',
  totp_secret: SECRET,
  api_key: 'guide-api-key',
  name: 'Gita Guide',
};

function publisherAccount(extensionId) {
  return {
    clientcode: 'P333333',
    mpin: '1357',
    totp_secret: SECRET,
    api_key: 'guide-publisher-key',
    name: 'Pari Publisher',
    platform: 'SMART_API_M',
    redirect_url: `https://${extensionId}.chromiumapp.org/`,
  };
}

/** A fresh profile, a sandbox serving `accounts`, and the options page open at the guide. */
async function openGuide({ accounts, allSites = false }) {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  const { context, extensionId } = await launchWithExtension({
    extensionDir: allSites ? withAllSitesGranted(extensionDir) : extensionDir,
  });
  let sandbox;
  const close = async () => {
    await context.close().catch(() => {});
    sandbox?.stop();
  };
  try {
    sandbox = await startSandbox({ bin, accounts: accounts(extensionId) });
    const guide = context.pages()[0] ?? (await context.newPage());
    await guide.goto(`chrome-extension://${extensionId}/options.html#guide`);
    await guide.getByRole('heading', { name: 'Set up Halo with Angel One' }).waitFor();
    return { context, extensionId, sandbox, guide, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function stepHeading(guide, number) {
  return guide.getByRole('heading', { name: new RegExp(`^Step ${number} of 5`) });
}

async function next(guide, number) {
  await guide.getByRole('button', { name: 'Next' }).click();
  await stepHeading(guide, number).waitFor();
}

/** Saves the account typed in step 4, clicks Validate in step 5 and resolves to the verdict. */
async function saveAndValidate(guide) {
  await guide.getByRole('button', { name: 'Save account' }).click();
  await stepHeading(guide, 5).waitFor({ timeout: 10000 });

  await guide.locator('li.account').getByRole('button', { name: 'Validate' }).click();
  const checks = guide.getByRole('list', { name: 'Validation' });
  await checks.waitFor({ timeout: 15000 });
  return checks.textContent();
}

/** Step 4's vault and sandbox endpoint, as a person rehearsing does them. */
async function vaultAndEndpoint(guide, sandboxUrl) {
  await guide.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await guide.getByLabel('Repeat passphrase').fill(PASSPHRASE);
  await guide.getByRole('button', { name: 'Create vault' }).click();
  await guide.getByRole('button', { name: 'Save account' }).waitFor({ timeout: 20000 });
  await guide.getByText('Rehearsing against halo sandbox?').click();
  await guide.getByLabel('Endpoint').fill(sandboxUrl);
  await guide.getByRole('button', { name: 'Save endpoint' }).click();
  await guide.getByText(sandboxUrl, { exact: false }).first().waitFor();
}

test('SMART_API: a new profile goes from nothing to a validated account', async () => {
  const started = Date.now();
  const env = await openGuide({ accounts: () => [DIRECT], allSites: true });
  const shot = (name) =>
    env.guide.screenshot({ path: join(outputDir, `direct-${name}.png`), fullPage: true });
  try {
    const { guide, context, extensionId, sandbox } = env;
    await routeEnableTotpPage(
      context,
      `otpauth://totp/AngelOne:${DIRECT.clientcode}?secret=${SECRET}&issuer=AngelOne`,
    );

    await stepHeading(guide, 1).waitFor();
    assert.ok(await guide.getByLabel(/SMART_API \(direct login\)/).isChecked());
    await shot('1-platform');
    await next(guide, 2);

    assert.equal((await guide.locator('.api-type').textContent()).trim(), 'Trading APIs');
    const redirect = guide.getByLabel("Halo's redirect URL");
    assert.equal((await redirect.textContent()).trim(), `https://${extensionId}.chromiumapp.org/`);
    await guide.getByLabel('App name').fill('Halo Desk');
    await guide.getByText("Angel's form refuses names with spaces").waitFor();
    await guide.getByLabel('App name').fill('HaloDesk');
    await guide.getByText('Angel will accept this name.').waitFor();
    await guide.getByLabel('Static IP').fill('192.168.1.20');
    await guide.getByText('inside your own network').waitFor();
    await guide.getByLabel('Static IP').fill('203.0.113.7');
    await guide.getByText('A public address.').waitFor();
    await shot('2-create-app');
    await next(guide, 3);

    // Leaving and coming back resumes where the trader stopped.
    await guide.reload();
    await stepHeading(guide, 3).waitFor();

    const opened = context.waitForEvent('page');
    await guide.getByRole('button', { name: "Open Angel's enable-TOTP page" }).click();
    const angelPage = await opened;
    await angelPage.waitForURL(/smartapi\.angelone\.in\/enable-totp/);
    await angelPage.locator('#qr').waitFor();
    await guide.getByRole('button', { name: "Read QR from Angel's page" }).click();
    await guide.getByText('Read the secret from the QR code.').waitFor({ timeout: 15000 });
    const first = (await guide.getByLabel('First code').textContent()).trim();
    const now = Date.now() / 1000;
    assert.ok([totp(SECRET, now - 1), totp(SECRET, now)].includes(first), `first code ${first}`);
    await shot('3-totp');
    await next(guide, 4);

    await vaultAndEndpoint(guide, sandbox.url);
    await guide.getByLabel('Label', { exact: true }).fill('Main');
    await guide.getByLabel('Client code').fill(DIRECT.clientcode);
    await guide.getByLabel('MPIN').fill('24a8');
    await guide.getByText('The MPIN is digits only').waitFor();
    await guide.getByLabel('MPIN').fill(DIRECT.mpin);
    await guide.getByLabel('API key', { exact: true }).fill('guide api-key');
    await guide.getByText('The API key has a space inside it').waitFor();
    await guide.getByLabel('API key', { exact: true }).fill(DIRECT.api_key);
    // The secret read from the QR code is already in the form, checked.
    await guide.getByText('A valid TOTP secret.').waitFor();
    await shot('4-account');
    const verdict = await saveAndValidate(guide);
    assert.match(verdict, /API key: ok/);
    assert.match(verdict, /Client code and MPIN: ok/);
    assert.match(verdict, /TOTP: ok/);
    await guide.getByText(`Logged in as ${DIRECT.name} (${DIRECT.clientcode})`).waitFor();
    await guide.getByText('You are set up.').waitFor();
    await guide.getByLabel('Current code').waitFor({ timeout: 5000 });
    await shot('5-validated');
    console.log(`SMART_API guide walked in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // The security page is one click away, and says what Halo never does.
    await guide.getByRole('link', { name: 'Security' }).click();
    await guide.getByRole('heading', { name: 'What Halo keeps, and how' }).waitFor();
    await guide.getByText('No telemetry', { exact: false }).waitFor();
    await shot('6-security');

    // Only the step and platform are kept outside the vault.
    const kept = await guide.evaluate(async () => chrome.storage.local.get('guide_progress'));
    assert.deepEqual(kept.guide_progress, { platform: 'SMART_API', step: 'validate', done: true });
  } finally {
    await env.close();
  }
});

test('SMART_API_M: the guide ends logged in through the publisher page', async () => {
  const started = Date.now();
  const env = await openGuide({ accounts: (id) => [publisherAccount(id)] });
  const shot = (name, page = env.guide) =>
    page.screenshot({ path: join(outputDir, `publisher-${name}.png`), fullPage: true });
  try {
    const { guide, context, extensionId, sandbox } = env;
    const account = publisherAccount(extensionId);

    await guide.getByLabel(/SMART_API_M \(publisher login\)/).check();
    await shot('1-platform');
    await next(guide, 2);
    assert.equal((await guide.locator('.api-type').textContent()).trim(), 'Publisher APIs');
    const redirect = guide.getByLabel("Halo's redirect URL");
    assert.equal((await redirect.textContent()).trim(), account.redirect_url);
    await shot('2-create-app');
    await next(guide, 3);
    await guide.getByText('Halo needs no TOTP secret for it.').waitFor();
    await shot('3-totp');
    await next(guide, 4);

    await vaultAndEndpoint(guide, sandbox.url);
    assert.equal(await guide.getByLabel('Platform').inputValue(), 'SMART_API_M');
    await guide.getByLabel('Label', { exact: true }).fill('Publisher');
    await guide.getByLabel('API key', { exact: true }).fill(account.api_key);
    await shot('4-account');
    const verdict = await saveAndValidate(guide);
    assert.match(verdict, /API key: ok/);
    assert.ok(verdict.includes(account.redirect_url), verdict);

    const angel = await openPublisherPage(context, guide.locator('li.account'));
    await shot('5-publisher-page', angel);
    await fillPublisherPage(angel, { clientcode: account.clientcode, pin: account.mpin,
      secret: SECRET });

    await guide.getByText(`Logged in as ${account.name} (${account.clientcode})`)
      .waitFor({ timeout: 15000 });
    await guide.getByText('You are set up.').waitFor();
    await shot('5-logged-in');
    console.log(`SMART_API_M guide walked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await env.close();
  }
});
