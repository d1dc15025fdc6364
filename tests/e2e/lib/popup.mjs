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
