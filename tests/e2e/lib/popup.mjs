// Steps in the popup that many tests take on the way to what they check.

/**
 * Creates the vault with `passphrase` typed twice, and resolves once it is open (the Lock
 * button shows). Argon2id takes a while, hence the long wait.
 */
export async function createVault(popup, passphrase) {
  await popup.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await popup.getByLabel('Repeat passphrase').fill(passphrase);
  await popup.getByRole('button', { name: 'Create vault' }).click();
  await popup.getByRole('button', { name: 'Lock' }).waitFor({ timeout: 20000 });
}

/**
 * Fills the account form with `account` (shaped like TEST_ACCOUNT in mainjob.mjs; its label
 * is "Main" unless it names one) and clicks Save account. Waits for nothing after the click:
 * what shows next is up to the test.
 */
export async function addAccount(
  popup,
  { label = 'Main', clientcode, mpin, api_key, totp_secret },
) {
  await popup.getByLabel('Label').fill(label);
  await popup.getByLabel('Client code').fill(clientcode);
  await popup.getByLabel('MPIN').fill(mpin);
  await popup.getByLabel('API key', { exact: true }).fill(api_key);
  await popup.getByLabel('TOTP secret').fill(totp_secret);
  await popup.getByRole('button', { name: 'Save account' }).click();
}

/** Presses the first Log in and waits until the popup says `account` is logged in. */
export async function logIn(popup, { name, clientcode }) {
  await popup.getByRole('button', { name: 'Log in' }).first().click();
  await popup.getByText(`Logged in as ${name} (${clientcode})`).waitFor({ timeout: 15000 });
}

/** The account list's row for the account labelled `label`. */
export function accountRow(popup, label) {
  return popup.locator('li.account', { has: popup.locator('.account-label', { hasText: label }) });
}

/** Opens a folded section ("Add another account", "Settings") if it is folded. */
export async function unfold(popup, summary) {
  const summaries = popup.locator('summary', { hasText: summary });
  const section = popup.locator('details', { has: summaries });
  if ((await section.count()) > 0 && !(await section.first().evaluate((d) => d.open))) {
    await section.first().locator('summary').click();
  }
}

/**
 * Adds an account of either platform through the form, as the trader types it (a publisher
 * account takes no MPIN or TOTP secret), and waits for its row to show.
 */
export async function saveAccount(popup, account) {
  const { label, platform = 'SMART_API', clientcode, mpin, apiKey, secret } = account;
  await unfold(popup, 'Add another account');
  await popup.getByLabel('Platform').selectOption(platform);
  const field = (name) => popup.getByLabel(name, { exact: true });
  await field('Label').fill(label);
  await field('Client code').fill(clientcode ?? '');
  if (platform === 'SMART_API') {
    await field('MPIN').fill(mpin);
    await field('TOTP secret').fill(secret);
  }
  await field('API key').fill(apiKey);
  await popup.getByRole('button', { name: 'Save account' }).click();
  await accountRow(popup, label).waitFor({ timeout: 10000 });
}
