// Launches Debian's Chromium with the built extension loaded, the way the tests and the demo
// need it: a fresh profile, no downloads, nothing reaching the internet.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Launches Chromium with `extensionDir` loaded; resolves to { context, worker, extensionId }.
 * `profile` is the user data dir (a fresh one by default); `env` is added to Chromium's
 * environment, which a native host it starts inherits.
 */
export async function launchWithExtension({ extensionDir, headless = true, profile, env }) {
  // Without this, Chromium starts with no extension and the wait for its worker never ends.
  if (!extensionDir) throw new Error('no extension to load: run through ./build.sh test');
  profile ??= mkdtempSync(join(tmpdir(), 'halo-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...(env ? { env: { ...process.env, ...env } } : {}),
    executablePath: process.env.HALO_CHROMIUM ?? '/usr/bin/chromium',
    headless,
    viewport: { width: 1280, height: 800 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-gpu',
    ],
    ignoreDefaultArgs: ['--disable-extensions'],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return { context, worker, extensionId };
}

/**
 * Serves a TradingView-shaped chart page under TradingView's real host name, so that the
 * manifest's own match patterns inject the content script. `symbol` is the URL's `symbol=`
 * value; the header and title show `headerSymbol`.
 */
export async function routeTradingViewChart(context, { headerSymbol }) {
  const body = tradingViewChartHtml(headerSymbol);
  await context.route('https://www.tradingview.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }),
  );
}

/** The TradingView-shaped chart page whose header and title show `headerSymbol`. */
export function tradingViewChartHtml(headerSymbol) {
  const template = readFileSync(join(here, '..', 'pages', 'tradingview-chart.html'), 'utf8');
  return template.replaceAll('{{SYMBOL}}', headerSymbol);
}

/**
 * Opens Halo popped out into a window of its own, as its "Pop out" button does. A test cannot
 * click the toolbar button, and a popup opened by chrome.action.openPopup() is invisible to
 * Playwright.
 */
export async function openPoppedOutHalo({ context, worker }) {
  const opened = context.waitForEvent('page', (page) => page.url().includes('popup.html'));
  await worker.evaluate(() =>
    chrome.windows.create({
      url: chrome.runtime.getURL('popup.html?window=1'),
      type: 'popup',
      width: 400,
      height: 760,
    }),
  );
  const popup = await opened;
  await popup.waitForLoadState('domcontentloaded');
  await popup.setViewportSize({ width: 400, height: 900 });
  return popup;
}

/** Stops every service worker, as Chrome does to an idle extension. */
export async function stopWorkers(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}
