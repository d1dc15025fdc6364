// Starts Debian's Firefox ESR through geckodriver with dist/firefox installed as a temporary
// add-on, the way the Firefox tests need it: a fresh profile, headless, nothing reaching the
// internet, and https://www.tradingview.com answered by a local page.
import { randomUUID } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { tradingViewChartHtml } from '../../e2e/lib/browser.mjs';
import { serveHttpsPages } from './https-pages.mjs';

/** Halo's add-on id, pinned by build.sh in dist/firefox/manifest.json. */
export const GECKO_ID = 'halo@halo-for-angel-one';

/**
 * Launches headless Firefox with `extensionDir` installed; resolves to
 * { driver, extensionUrl(path), served, close() }. https://www.tradingview.com serves the
 * TradingView-shaped chart page showing `headerSymbol`, and each host of `pages`
 * (`{ host: html }`) its page; `served` lists the URLs fetched from them. `env` is added to
 * Firefox's environment, which a native host it starts inherits; `prefs` are set in its profile.
 */
export async function launchFirefoxWithHalo({
  extensionDir, headerSymbol = 'RELIANCE', pages = {}, env, prefs = {},
}) {
  const https = await serveHttpsPages({
    'www.tradingview.com': tradingViewChartHtml(headerSymbol),
    ...pages,
  });
  // Firefox gives each add-on a random internal UUID per profile; pinning it lets the tests
  // open the popup's page by its moz-extension:// address.
  const uuid = randomUUID();

  const options = new firefox.Options()
    .setBinary(process.env.HALO_FIREFOX ?? '/usr/bin/firefox-esr')
    .addArguments('-headless')
    .setAcceptInsecureCerts(true)
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [GECKO_ID]: uuid }))
    // Every https request goes to the test's CONNECT proxy, which answers only the hosts it
    // was given (with its own certificate, accepted through acceptInsecureCerts) and refuses
    // the rest. Plain http, which the sandbox on 127.0.0.1 speaks, goes direct, and
    // Firefox never sends loopback addresses to a proxy.
    .setPreference('network.proxy.type', 1)
    .setPreference('network.proxy.ssl', '127.0.0.1')
    .setPreference('network.proxy.ssl_port', https.proxyPort);

  for (const [name, value] of Object.entries(prefs)) options.setPreference(name, value);

  if (process.env.HALO_FIREFOX_CONSOLE) {
    // Debugging aid: the add-on's console (worker and pages) on this process's output.
    options
      .setPreference('devtools.console.stdout.content', true)
      .setPreference('devtools.console.stdout.chrome', true);
  }

  let driver;
  try {
    driver = await new Builder()
      .forBrowser('firefox')
      .setFirefoxOptions(options)
      .setFirefoxService(geckodriverService(env))
      .build();
    await driver.manage().window().setRect({ width: 1280, height: 900 });
    await driver.installAddon(extensionDir, true);
  } catch (error) {
    await driver?.quit().catch(() => {});
    https.close();
    throw error;
  }

  return {
    driver,
    extensionUrl: (path) => `moz-extension://${uuid}/${path}`,
    served: https.served,
    async close() {
      await driver.quit().catch(() => {});
      https.close();
    },
  };
}

/** geckodriver, allowed into the browser's chrome, passing `env` on to Firefox. */
function geckodriverService(env) {
  // System access lets a test open Halo's page from the browser's chrome (see openPopup).
  const service = new firefox.ServiceBuilder(geckodriverPath()).addArguments(
    '--allow-system-access',
  );
  if (process.env.HALO_FIREFOX_CONSOLE) service.setStdio('inherit');
  // geckodriver hands its own environment on to Firefox.
  return env ? service.setEnvironment({ ...process.env, ...env }) : service;
}

/** geckodriver from HALO_GECKODRIVER or PATH (`cargo install` puts it in ~/.cargo/bin). */
function geckodriverPath() {
  if (process.env.HALO_GECKODRIVER) return process.env.HALO_GECKODRIVER;
  const home = process.env.HOME ?? '';
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(home, '.cargo', 'bin')];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, 'geckodriver');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory; try the next.
    }
  }
  throw new Error('geckodriver is missing: run ./build.sh setup');
}
