// Halo's popup in Firefox, through WebDriver: finding things the way a person does (by label,
// by a button's words, by visible text) and the steps many Firefox tests take.
import { writeFileSync } from 'node:fs';
import { By, until } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';

const WAIT_MS = 15000;

/** A string as an XPath literal, whatever quotes it holds. */
function literal(text) {
  if (!text.includes("'")) return `'${text}'`;
  return `concat('${text.split("'").join(`', "'", '`)}')`;
}

/** The form control whose <label> reads exactly `text`: named by `for`, or inside it. */
export async function field(driver, text) {
  const label = await driver.wait(
    until.elementLocated(By.xpath(`//label[normalize-space()=${literal(text)}]`)),
    WAIT_MS,
  );
  const target = await label.getAttribute('for');
  if (target) return driver.findElement(By.id(target));
  return label.findElement(By.css('input, select, textarea'));
}

/** Replaces what the control labelled `text` holds with `value`. */
export async function fill(driver, text, value) {
  const control = await field(driver, text);
  await control.clear();
  await control.sendKeys(value);
}

/** The first button whose words are exactly `name` (inside the XPath `scope`), once visible. */
export async function button(driver, name, scope = '') {
  const locator = By.xpath(`${scope}//button[normalize-space()=${literal(name)}]`);
  const found = await driver.wait(until.elementLocated(locator), WAIT_MS);
  await driver.wait(until.elementIsVisible(found), WAIT_MS);
  return found;
}

/** Resolves to the innermost element showing `text` once one does. */
export async function waitForText(driver, text, timeout = WAIT_MS) {
  const locator = By.xpath(
    `//body//*[contains(normalize-space(), ${literal(text)})]` +
      `[not(.//*[contains(normalize-space(), ${literal(text)})])]`,
  );
  return driver.wait(until.elementLocated(locator), timeout, `"${text}" never showed`);
}

/**
 * Opens Halo's page in a browser window of its own, as its "Pop out" button does, switches to
 * it and resolves to its handle. A test cannot click the toolbar button. `page` opens another of
 * Halo's pages instead: `popup.html` is what the toolbar button shows, with a "Pop out" button.
 */
export async function openPopup(driver, extensionUrl, { page = 'popup.html?window=1' } = {}) {
  const before = new Set(await driver.getAllWindowHandles());
  // WebDriver refuses to navigate a tab to an add-on's page ("not allowed in this context"),
  // and page scripts may not either; the browser's own chrome may, hence geckodriver's
  // --allow-system-access.
  await driver.setContext(firefox.Context.CHROME);
  try {
    await driver.executeScript(
      (url) => openTrustedLinkIn(url, 'window'),
      extensionUrl(page),
    );
  } finally {
    await driver.setContext(firefox.Context.CONTENT);
  }
  const opened = await newWindow(driver, before, 'Halo\'s window did not open');
  await driver.switchTo().window(opened);
  await driver.manage().window().setRect({ width: 420, height: 900 });
  return opened;
}

/** Resolves to the handle of a window not in `before` once one opens; fails with `failure`. */
export async function newWindow(driver, before, failure) {
  return driver.wait(
    async () => (await driver.getAllWindowHandles()).find((handle) => !before.has(handle)),
    WAIT_MS,
    failure,
  );
}

/** Saves a PNG of the whole page in the current window, scrolled parts included. */
export async function screenshot(driver, file) {
  // From the top, or the sticky header is drawn where the page happened to be scrolled.
  await driver.executeAsyncScript((done) => {
    window.scrollTo(0, 0);
    requestAnimationFrame(() => requestAnimationFrame(done));
  });
  writeFileSync(file, Buffer.from(await driver.takeFullPageScreenshot(), 'base64'));
}

/** Creates the vault with `passphrase` typed twice; resolves once it is open. */
export async function createVault(driver, passphrase) {
  await fill(driver, 'Passphrase', passphrase);
  await fill(driver, 'Repeat passphrase', passphrase);
  await (await button(driver, 'Create vault')).click();
  // Argon2id takes a while, hence the long wait.
  await driver.wait(until.elementLocated(By.xpath("//button[normalize-space()='Lock']")), 20000);
}

/** Points Halo at the sandbox broker at `url`. */
export async function setEndpoint(driver, url) {
  await fill(driver, 'Endpoint', url);
  await (await button(driver, 'Save endpoint')).click();
  await waitForText(driver, url);
}

/** Opens the folded section whose summary reads `summary`, if it is folded. */
export async function unfold(driver, summary) {
  await driver.executeScript((words) => {
    for (const section of document.querySelectorAll('details')) {
      const title = section.querySelector('summary');
      if (title && title.textContent.includes(words) && !section.open) title.click();
    }
  }, summary);
}

/**
 * Fills the account form (`platform` SMART_API needs client code, MPIN and TOTP secret;
 * SMART_API_M only a label and the Publisher app's key) and saves it.
 */
export async function addAccount(driver, account) {
  const { label, platform = 'SMART_API', clientcode = '', mpin, apiKey, secret } = account;
  await unfold(driver, 'Add another account');
  const platforms = await field(driver, 'Platform');
  await platforms.findElement(By.css(`option[value="${platform}"]`)).click();
  await fill(driver, 'Label', label);
  await fill(driver, 'Client code', clientcode);
  if (platform === 'SMART_API') {
    await fill(driver, 'MPIN', mpin);
    await fill(driver, 'TOTP secret', secret);
  }
  await fill(driver, 'API key', apiKey);
  await (await button(driver, 'Save account')).click();
  await waitForText(driver, label);
}

/** XPath of the account row labelled `label`, to scope a button to it. */
export function accountRow(label) {
  const labelled = `[normalize-space()=${literal(label)}]`;
  return `//li[contains(@class, 'account')][.//*[contains(@class, 'account-label')]${labelled}]`;
}
