// Every error that has a troubleshooting entry links to it: the built extension in headless
// Chromium against the real `halo sandbox`. Wrong MPIN, wrong TOTP secret and a publisher app
// without a redirect URL come from the sandbox itself; a blocked client, the rate limit and the
// static-IP refusal are answers the sandbox does not give, so those three replies are served in
// its place (Playwright's routing also intercepts the worker's fetches) with Angel's own bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fillPublisherPage, openPublisherPage } from './lib/angel-pages.mjs';
import { launchWithExtension } from './lib/browser.mjs';
import { SECRET_OFF_BY_ONE, TEST_ACCOUNT, buyOneAtLimit } from './lib/mainjob.mjs';
import { accountRow, saveAccount } from './lib/popup.mjs';
import { startSandbox } from './lib/sandbox.mjs';
import { openHaloOnChart } from './lib/sites.mjs';

const bin = process.env.HALO_BIN;
const extensionDir = process.env.HALO_EXTENSION;
const outputDir = join(process.env.HALO_TEST_OUTPUT ?? 'test-output', 'troubleshooting');
mkdirSync(outputDir, { recursive: true });

const SECRET = TEST_ACCOUNT.totp_secret;
const DIRECT = { ...TEST_ACCOUNT, api_key: 'trouble-api-key' };
/** A Publisher app with no redirect URL registered: Angel lands on /publisher-login/undefined. */
const NO_REDIRECT = {
  clientcode: 'P444444',
  mpin: '4321',
  totp_secret: SECRET,
  api_key: 'no-redirect-key',
  name: 'Nina Publisher',
  platform: 'SMART_API_M',
};

/**
 * Clicks the "How to fix" link inside `scope`, checks it opens the troubleshooting page at
 * `anchor` with that entry in view, screenshots it, and closes it. Resolves to the entry's text.
 */
async function followHowToFix(context, scope, anchor) {
  const link = scope.getByRole('link', { name: 'How to fix' }).first();
  await link.waitFor({ timeout: 15000 });
  assert.match(await link.getAttribute('href'), new RegExp(`^options\\.html#${anchor}$`));
  const opened = context.waitForEvent('page', (p) => p.url().includes('options.html'));
  await link.click();
  const page = await opened;
  const entry = page.locator(`article#${anchor}.focused`);
  await entry.waitFor({ timeout: 10000 });
  // The entry is scrolled to, not left somewhere below the list of symptoms.
  const top = await entry.evaluate((element) => element.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 200, `entry ${anchor} at ${top}px`);
  const text = await entry.textContent();
  assert.match(text, /What Halo already checked/);
  await page.screenshot({ path: join(outputDir, `entry-${anchor}.png`) });
  await page.close();
  return text;
}

test('each troubleshooting entry is reached from the error that needs it', async () => {
  assert.ok(bin && extensionDir, 'run through ./build.sh test (HALO_BIN, HALO_EXTENSION)');
  const browser = await launchWithExtension({ extensionDir });
  const { context } = browser;
  let sandbox;
  try {
    sandbox = await startSandbox({ bin, accounts: [DIRECT, NO_REDIRECT] });
    const { chart, popup } = await openHaloOnChart(browser, sandbox.url);
    const shot = (name) =>
      popup.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });

    const direct = { clientcode: DIRECT.clientcode, apiKey: DIRECT.api_key };
    await saveAccount(popup, { ...direct, label: 'Main', mpin: DIRECT.mpin, secret: SECRET });
    await saveAccount(popup, { ...direct, label: 'Wrong MPIN', mpin: '9999', secret: SECRET });
    await saveAccount(popup, { ...direct, label: 'Wrong secret', mpin: DIRECT.mpin,
      secret: SECRET_OFF_BY_ONE });
    await saveAccount(popup, { label: 'No redirect', platform: 'SMART_API_M',
      apiKey: NO_REDIRECT.api_key });

    // AB1007: a wrong MPIN.
    const mpinRow = accountRow(popup, 'Wrong MPIN');
    await mpinRow.getByRole('button', { name: 'Log in' }).click();
    await mpinRow.getByRole('alert').getByText('AB1007', { exact: false }).waitFor();
    await shot('01-ab1007-message');
    assert.match(await followHowToFix(context, mpinRow, 'ab1007'), /MPIN is wrong/);

    // AB1050: a TOTP secret off by one character; the entry shows the measured clock.
    const secretRow = accountRow(popup, 'Wrong secret');
    await secretRow.getByRole('button', { name: 'Log in' }).click();
    await secretRow.getByRole('alert').getByText('AB1050', { exact: false }).waitFor();
    const ab1050 = await followHowToFix(context, secretRow, 'ab1050');
    assert.match(ab1050, /Measured: this computer's clock (agrees with|is \d+ s)/);

    // AB1006: a blocked client, from Validate's verdict.
    const loginRoute = '**/rest/auth/angelbroking/user/v1/loginByPassword';
    await context.route(loginRoute, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ success: false, message: 'Client Is Block For Trading',
          errorCode: 'AB1006', data: '' }),
      }),
    );
    const mainRow = accountRow(popup, 'Main');
    await mainRow.getByRole('button', { name: 'Validate' }).click();
    const checks = mainRow.getByRole('list', { name: 'Validation' });
    await checks.getByText('AB1006', { exact: false }).waitFor({ timeout: 15000 });
    await shot('02-ab1006-verdict');
    assert.match(await followHowToFix(context, checks, 'ab1006'), /blocked this client code/);
    await context.unroute(loginRoute);

    // Angel's plain-text rate-limit reply.
    await context.route(loginRoute, (route) =>
      route.fulfill({ status: 403, contentType: 'text/plain',
        body: 'Access denied because of exceeding access rate' }),
    );
    await mainRow.getByRole('button', { name: 'Log in' }).click();
    await mainRow.getByRole('alert').getByText('rate limit', { exact: false }).waitFor();
    await shot('03-rate-limit-message');
    assert.match(await followHowToFix(context, mainRow, 'rate-limit'), /NOT placed/);
    await context.unroute(loginRoute);

    // AG7002: the order is refused because it did not come from the registered static IP.
    await mainRow.getByRole('button', { name: 'Log in' }).click();
    await popup.getByText(`Logged in as ${DIRECT.name}`).first().waitFor({ timeout: 15000 });
    await context.route('**/rest/secure/angelbroking/order/v1/placeOrder', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ status: false, message: 'Request from unregistered IP',
          errorcode: 'AG7002', data: null }),
      }),
    );
    await chart.bringToFront();
    await buyOneAtLimit(popup);
    const ticket = popup.locator('section', { has: popup.getByText('AG7002', { exact: false }) });
    await popup.getByText('AG7002', { exact: false }).first().waitFor({ timeout: 15000 });
    await shot('04-ag7002-message');
    assert.match(await followHowToFix(context, ticket.last(), 'ag7002'), /static IP/);

    // A Publisher app without a redirect URL: Angel's page ends at /publisher-login/undefined,
    // which Chromium's login window gives up on (or the trader closes it).
    const publisherRow = accountRow(popup, 'No redirect');
    const angel = await openPublisherPage(context, publisherRow);
    await fillPublisherPage(angel, { clientcode: NO_REDIRECT.clientcode, pin: NO_REDIRECT.mpin,
      secret: SECRET });
    await Promise.race([
      angel.waitForEvent('close', { timeout: 10000 }),
      angel.waitForURL(/\/publisher-login\/undefined/, { timeout: 10000 }),
    ]).catch(() => {});
    if (!angel.isClosed()) await angel.close();
    await publisherRow.getByRole('alert').waitFor({ timeout: 15000 });
    await shot('05-redirect-url-message');
    assert.match(await followHowToFix(context, publisherRow, 'redirect-url'), /chromiumapp\.org/);

    // The activity log's filter keeps the failures just made, and nothing that went well.
    await popup.locator('summary', { hasText: 'Activity' }).click();
    await popup.getByLabel('Show').selectOption('failures');
    const failures = popup.getByRole('table', { name: 'Activity log' });
    await failures.waitFor();
    const outcomes = await failures.locator('tbody tr td:nth-child(4)').allTextContents();
    for (const code of ['AB1007', 'AB1050', 'AB1006', 'rate-limited', 'AG7002']) {
      assert.ok(outcomes.includes(code), `${code} in ${outcomes}`);
    }
    assert.ok(!outcomes.includes('ok'), `an ok call among failures: ${outcomes}`);
    await shot('06-activity-failures');
  } finally {
    await context.close().catch(() => {});
    sandbox?.stop();
  }
});
