// Logging in, both ways Angel offers, and what Halo says when it goes wrong: the built extension
// in headless Chromium against the real `halo sandbox`. The publisher page is filled in as a
// person would, inside the window the real chrome.identity.launchWebAuthFlow opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fillPublisherPage, openPublisherPage } from './lib/angel-pages.mjs';
import { launchWithExtension, openPoppedOutHalo, routeTradingViewChart } from './lib/browser.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { CHART_URL, SECRET_OFF_BY_ONE, TEST_ACCOUNT, buyOneAtLimit } from './lib/mainjob.mjs';
import { accountRow, saveAccount, unfold } from './lib/popup.mjs';
import { vaultOnSandbox } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'login');
mkdirSync(outputDir, { recursive: true });

const SECRET = TEST_ACCOUNT.totp_secret;
const DIRECT = { ...TEST_ACCOUNT, api_key: 'direct-api-key' };

/** What the trader types for a publisher account: a label and the Publisher app's key. */
const PUBLISHER_FORM = { label: 'Publisher', platform: 'SMART_API_M', apiKey: 'publisher-api-key' };

function publisherAccount(extensionId) {
  return {
    clientcode: 'P111111',
    mpin: '4321',
    totp_secret: SECRET,
    api_key: 'publisher-api-key',
    name: 'Ravi Publisher',
    platform: 'SMART_API_M',
    redirect_url: `https://${extensionId}.chromiumapp.org/`,
  };
}

/**
 * A browser with Halo, a sandbox serving `accounts(extensionId)`, and Halo's popup with a
 * fresh vault pointed at the sandbox.
 */
async function setUp({ accounts, extraArgs = [], chart = false }) {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  const { context, worker, extensionId } = await launchWithExtension({ extensionDir });
  let sandbox;
  const close = async () => {
    await context.close().catch(() => {});
    sandbox?.stop();
  };
  try {
    sandbox = await startSandbox({ bin, accounts: accounts(extensionId), extraArgs });
    if (chart) {
      await routeTradingViewChart(context, { headerSymbol: 'RELIANCE' });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(CHART_URL);
    }
    const popup = await openPoppedOutHalo({ context, worker });
    await vaultOnSandbox(popup, sandbox.url);
    const shot = (name, page = popup) =>
      page.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
    return { context, worker, extensionId, sandbox, popup, shot, close };
  } catch (error) {
    await close();
    throw error;
  }
}

test('SMART_API_M: the publisher page logs in through launchWebAuthFlow', async () => {
  const env = await setUp({ accounts: (id) => [publisherAccount(id)] });
  try {
    const { popup, context, extensionId } = env;
    await saveAccount(popup, PUBLISHER_FORM);
    await unfold(popup, 'Settings');
    const redirect = popup.getByLabel('Redirect URL');
    assert.equal((await redirect.textContent()).trim(), `https://${extensionId}.chromiumapp.org/`);
    await env.shot('01-publisher-settings');

    const page = await openPublisherPage(context, accountRow(popup, 'Publisher'));
    assert.match(page.url(), /\/publisher-login\?api_key=publisher-api-key&state=[0-9a-f]{32}$/);
    await env.shot('02-publisher-page', page);
    // Case B1: the popup dies when the login window takes focus; the worker finishes alone.
    await popup.close();
    await fillPublisherPage(page, { clientcode: 'P111111', pin: '4321', secret: SECRET });

    const reopened = await openPoppedOutHalo({ context, worker: env.worker });
    await reopened.getByText('Logged in as Ravi Publisher (P111111)').waitFor({ timeout: 15000 });
    await env.shot('03-publisher-logged-in', reopened);
    // The tokens live in the worker's session storage, never in a tab.
    const urls = context.pages().map((p) => p.url());
    assert.ok(!urls.some((url) => url.includes('auth_token')), urls.join(' '));

    await accountRow(reopened, 'Publisher').getByRole('button', { name: 'Log out' }).click();
    await reopened.getByText('Logged in as').waitFor({ state: 'detached', timeout: 10000 });
  } finally {
    await env.close();
  }
});

test('SMART_API_M: wrong PIN, closed window, forged state each say what to do', async () => {
  const env = await setUp({ accounts: (id) => [publisherAccount(id)] });
  try {
    const { popup, context } = env;
    await saveAccount(popup, PUBLISHER_FORM);

    const page = await openPublisherPage(context, accountRow(popup, 'Publisher'));
    await fillPublisherPage(page, { clientcode: 'P111111', pin: '9999', secret: SECRET });
    await page.getByText('Invalid client code or PIN.').waitFor();
    await env.shot('04-publisher-wrong-pin', page);
    await page.close();
    const closed = accountRow(popup, 'Publisher').getByRole('alert');
    await closed.waitFor({ timeout: 10000 });
    assert.match(await closed.textContent(), /login window was closed before Angel sent you back/);
    assert.match(await closed.textContent(), /chromiumapp\.org/);
    await env.shot('05-publisher-window-closed');

    const again = await openPublisherPage(context, accountRow(popup, 'Publisher'));
    await again.locator('input[name=state]').evaluate((input) => {
      input.value = 'forged-state';
    });
    await fillPublisherPage(again, { clientcode: 'P111111', pin: '4321', secret: SECRET });
    const refused = accountRow(popup, 'Publisher').getByRole('alert');
    await refused.getByText('state did not match', { exact: false }).waitFor({ timeout: 15000 });
    const loggedIn = await popup.getByText('Logged in as').count();
    assert.equal(loggedIn, 0, 'a forged redirect logs nobody in');
    await env.shot('06-publisher-state-mismatch');
  } finally {
    await env.close();
  }
});

test('SMART_API: Validate tells a wrong MPIN from a wrong TOTP secret', async () => {
  const env = await setUp({ accounts: () => [DIRECT] });
  try {
    const { popup } = env;
    await saveAccount(popup, {
      label: 'Wrong MPIN', clientcode: DIRECT.clientcode, mpin: '9999',
      apiKey: DIRECT.api_key, secret: SECRET,
    });
    await saveAccount(popup, {
      label: 'Wrong secret', clientcode: DIRECT.clientcode, mpin: DIRECT.mpin,
      apiKey: DIRECT.api_key, secret: SECRET_OFF_BY_ONE,
    });

    const mpinRow = accountRow(popup, 'Wrong MPIN');
    await mpinRow.getByRole('button', { name: 'Log in' }).click();
    const mpinAlert = mpinRow.getByRole('alert');
    await mpinAlert.getByText('AB1007', { exact: false }).waitFor({ timeout: 15000 });
    await mpinRow.getByRole('button', { name: 'Validate' }).click();
    const mpinChecks = mpinRow.getByRole('list', { name: 'Validation' });
    await mpinChecks.waitFor({ timeout: 15000 });
    const mpinText = await mpinChecks.textContent();
    assert.match(mpinText, /API key: ok/);
    assert.match(mpinText, /Client code and MPIN: wrong.*AB1007.*4-digit MPIN/);
    assert.match(mpinText, /TOTP: unknown/);

    const secretRow = accountRow(popup, 'Wrong secret');
    await secretRow.getByRole('button', { name: 'Validate' }).click();
    const secretChecks = secretRow.getByRole('list', { name: 'Validation' });
    await secretChecks.waitFor({ timeout: 20000 });
    const secretText = await secretChecks.textContent();
    assert.match(secretText, /Client code and MPIN: ok/);
    assert.match(secretText, /TOTP: wrong.*AB1050/);
    assert.match(secretText, /Halo's code right now is \d{6}/);
    assert.equal(await popup.getByText('Logged in as').count(), 0);
    await env.shot('07-direct-validate-wrong-mpin-and-secret');

    // Every call is in the activity log, by label and outcome, with no secret in it.
    await unfold(popup, 'Activity');
    const log = popup.getByRole('table', { name: 'Activity log' });
    await log.waitFor();
    const logText = await log.textContent();
    // Both test accounts use one API key, so a login (which carries no session) names both.
    assert.match(logText, /Wrong MPIN \/ Wrong secret.*loginByPassword.*AB1007/);
    assert.match(logText, /Wrong MPIN \/ Wrong secret.*loginByPassword.*AB1050/);
    const csv = await env.worker.evaluate(async () =>
      JSON.stringify((await chrome.storage.local.get('activity')).activity),
    );
    for (const secret of [DIRECT.api_key, SECRET, SECRET_OFF_BY_ONE, '"9999"']) {
      assert.ok(!csv.includes(secret) && !logText.includes(secret), `${secret} leaked`);
    }
    await env.shot('11-activity-log');

    // Once the MPIN is corrected and a login goes through, the old "wrong" verdict goes.
    await popup.getByRole('button', { name: 'Edit Wrong MPIN' }).click();
    await popup.getByLabel('New MPIN').fill(DIRECT.mpin);
    await popup.getByRole('button', { name: 'Save changes' }).click();
    await mpinRow.getByRole('button', { name: 'Log in' }).click();
    await mpinRow.getByText(`Logged in as ${DIRECT.name}`).waitFor({ timeout: 20000 });
    await mpinChecks.waitFor({ state: 'detached', timeout: 10000 });
    assert.equal(await mpinRow.getByRole('alert').count(), 0, 'the old login error stayed');

    // Changing what it logs in with logs the account out: the session was the old values'.
    await popup.getByRole('button', { name: 'Edit Wrong MPIN' }).click();
    await popup.getByLabel('New MPIN').fill('9999');
    await popup.getByRole('button', { name: 'Save changes' }).click();
    await mpinRow.locator('p.session').waitFor({ state: 'detached', timeout: 10000 });

    // A login still running with the old details when an edit is saved is not kept.
    await popup.getByRole('button', { name: 'Edit Wrong MPIN' }).click();
    await popup.getByLabel('New MPIN').fill(DIRECT.mpin);
    await popup.getByRole('button', { name: 'Save changes' }).click();
    await popup.getByLabel('New MPIN').waitFor({ state: 'detached', timeout: 10000 });
    await env.sandbox.fault({ route: 'loginByPassword', kind: 'delay', delay_ms: 3000 });
    await mpinRow.getByRole('button', { name: 'Log in' }).click();
    await mpinRow.getByText('Logging in…').waitFor({ timeout: 5000 });
    await popup.getByRole('button', { name: 'Edit Wrong MPIN' }).click();
    await popup.getByLabel('New MPIN').fill('9999');
    await popup.getByRole('button', { name: 'Save changes' }).click();
    await mpinRow.getByRole('alert').filter({ hasText: 'changed while it was logging in' })
      .waitFor({ timeout: 20000 });
    assert.equal(await mpinRow.locator('p.session').count(), 0, 'the old login came back');

    // Another Halo window follows a login and a logout made here, untouched.
    const other = await openPoppedOutHalo({ context: env.context, worker: env.worker });
    const otherRow = accountRow(other, 'Wrong MPIN');
    await otherRow.getByRole('button', { name: 'Log in' }).waitFor({ timeout: 20000 });
    await popup.bringToFront();
    await popup.getByRole('button', { name: 'Edit Wrong MPIN' }).click();
    await popup.getByLabel('New MPIN').fill(DIRECT.mpin);
    await popup.getByRole('button', { name: 'Save changes' }).click();
    await popup.getByLabel('New MPIN').waitFor({ state: 'detached', timeout: 10000 });
    await mpinRow.getByRole('button', { name: 'Log in' }).click();
    await mpinRow.locator('p.session').waitFor({ timeout: 20000 });
    await otherRow.locator('p.session').waitFor({ timeout: 5000 });
    await mpinRow.getByRole('button', { name: 'Log out', exact: true }).click();
    await otherRow.locator('p.session').waitFor({ state: 'detached', timeout: 5000 });
  } finally {
    await env.close();
  }
});

test('SMART_API: a clock 75 s off is measured and the login succeeds', async () => {
  const env = await setUp({ accounts: () => [DIRECT], extraArgs: ['--clock-offset', '75'] });
  try {
    const { popup, worker } = env;
    await saveAccount(popup, {
      label: 'Main', clientcode: DIRECT.clientcode, mpin: DIRECT.mpin,
      apiKey: DIRECT.api_key, secret: SECRET,
    });
    await accountRow(popup, 'Main').getByRole('button', { name: 'Log in' }).click();
    await popup
      .getByText(`Logged in as ${DIRECT.name} (${DIRECT.clientcode})`)
      .waitFor({ timeout: 20000 });
    const offset = await worker.evaluate(async () =>
      (await chrome.storage.session.get('clock_offset_secs')).clock_offset_secs,
    );
    assert.ok(offset >= 73 && offset <= 77, `measured offset ${offset}`);

    await accountRow(popup, 'Main').getByRole('button', { name: 'Validate' }).click();
    const checks = accountRow(popup, 'Main').getByRole('list', { name: 'Validation' });
    await checks.waitFor({ timeout: 15000 });
    assert.match(await checks.textContent(), /TOTP: ok.*\d+ s behind Angel's \(corrected for\)/);
    await env.shot('08-direct-clock-75s-off');
  } finally {
    await env.close();
  }
});

test('SMART_API: a session ended mid-day asks for a login and re-sends nothing', async () => {
  const env = await setUp({ accounts: () => [DIRECT], chart: true });
  try {
    const { popup, sandbox } = env;
    await saveAccount(popup, {
      label: 'Main', clientcode: DIRECT.clientcode, mpin: DIRECT.mpin,
      apiKey: DIRECT.api_key, secret: SECRET,
    });
    await accountRow(popup, 'Main').getByRole('button', { name: 'Log in' }).click();
    await popup.getByText(`Logged in as ${DIRECT.name}`).waitFor({ timeout: 15000 });
    assert.equal(await sandbox.expire(), 1);

    // The ticket's price poll meets AG8001; the one renewal with the refresh token fails too,
    // so the session is forgotten. Reopening the popup shows it logged out.
    await popup.waitForTimeout(5000);
    await popup.reload();
    const logIn = accountRow(popup, 'Main').getByRole('button', { name: 'Log in' });
    await logIn.waitFor({ timeout: 10000 });
    assert.equal(await popup.getByText('Logged in as').count(), 0);
    assert.deepEqual(await sandbox.orders(), [], 'no order was sent behind the trader\'s back');
    await env.shot('09-direct-session-expired');
  } finally {
    await env.close();
  }
});

test('SMART_API: an expired JWT is renewed once and the next order goes through', async () => {
  const env = await setUp({ accounts: () => [DIRECT], chart: true });
  try {
    const { popup, sandbox } = env;
    await saveAccount(popup, {
      label: 'Main', clientcode: DIRECT.clientcode, mpin: DIRECT.mpin,
      apiKey: DIRECT.api_key, secret: SECRET,
    });
    await accountRow(popup, 'Main').getByRole('button', { name: 'Log in' }).click();
    await popup.getByText(`Logged in as ${DIRECT.name}`).waitFor({ timeout: 15000 });
    await popup.getByText('RELIANCE-EQ').first().waitFor({ timeout: 15000 });
    assert.equal(await sandbox.expireJwt(), 1);

    // The ticket's price poll meets AG8001 and renews the session with its refresh token.
    const deadline = Date.now() + 15000;
    while ((await sandbox.refreshes()) === 0 && Date.now() < deadline) {
      await popup.waitForTimeout(250);
    }
    assert.equal(await sandbox.refreshes(), 1, 'one renewal');
    await popup.reload();
    await popup.getByText(`Logged in as ${DIRECT.name}`).waitFor({ timeout: 10000 });

    await buyOneAtLimit(popup);
    await popup.locator('.order-id').first().waitFor({ timeout: 15000 });
    const orders = await sandbox.orders();
    assert.equal(orders.length, 1, 'the order reached the broker exactly once');
    assert.equal(await sandbox.refreshes(), 1, 'no second renewal');
    await env.shot('11-direct-session-renewed');
  } finally {
    await env.close();
  }
});

test('the daily login reminder is judged on every wake and arms the next alarm', async () => {
  const env = await setUp({ accounts: () => [DIRECT] });
  try {
    const { popup, worker } = env;
    await saveAccount(popup, {
      label: 'Main', clientcode: DIRECT.clientcode, mpin: DIRECT.mpin,
      apiKey: DIRECT.api_key, secret: SECRET,
    });
    await unfold(popup, 'Settings');
    const input = popup.getByLabel('Daily login reminder (IST)');
    assert.equal(await input.inputValue(), '08:45', 'the default time');

    // A minute ago, on the IST clock: due now unless it is a weekend in India.
    const istNow = new Date(Date.now() + 5.5 * 3600 * 1000 - 60 * 1000);
    const hhmm = istNow.toISOString().slice(11, 16);
    await input.fill(hhmm);
    await popup.getByRole('button', { name: 'Save reminder' }).click();
    await popup.getByText('Reminder saved.').waitFor();
    await env.shot('10-login-reminder-settings');

    const { alarm, last } = await worker.evaluate(async () => ({
      alarm: await chrome.alarms.get('halo-login-reminder'),
      last: (await chrome.storage.local.get('login_reminder_last_ms')).login_reminder_last_ms,
    }));
    const nextIn = alarm.scheduledTime - Date.now();
    const hour = 3600 * 1000;
    assert.ok(nextIn > 23 * hour && nextIn <= 24 * hour, `next alarm in ${nextIn} ms`);
    const weekday = ![0, 6].includes(istNow.getUTCDay());
    assert.equal(typeof last === 'number', weekday, `reminded: ${last}, weekday: ${weekday}`);
  } finally {
    await env.close();
  }
});
