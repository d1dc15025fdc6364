// Writes Firefox's manifest from Chromium's: `node manifest.mjs manifest.json OUT.json`.
//
// One manifest.json is the source; to load the same files, Firefox needs these changes:
// - Firefox's MV3 has no background service worker. The same worker.js runs as an event page
//   (`background.scripts`), a module like the worker, started and stopped on demand.
// - Chromium pins Halo's id with `key`; Firefox pins it with `browser_specific_settings.gecko.id`,
//   which also fixes `identity.getRedirectURL()` and the id the companion's native-messaging
//   manifest allows (FIREFOX_ADDON_ID in companion/src/native_host/launch.rs must match).
// - Firefox asks the trader at install to accept what an add-on sends out. Halo sends Angel One
//   the trader's credentials (to log in) and orders, and nothing to anyone else.
// - Chromium-only keys are dropped, so Firefox has nothing to warn about.
import { readFileSync, writeFileSync } from 'node:fs';

const GECKO_ID = 'halo@halo-for-angel-one';

// Firefox 140 ESR is the oldest that reads data_collection_permissions (Firefox for Android:
// 142); it has everything else Halo relies on: storage.session, 'wasm-unsafe-eval',
// webNavigation URL filters, MV3 host permissions granted at install.
const STRICT_MIN_VERSION = '140.0';
const STRICT_MIN_VERSION_ANDROID = '142.0';

const CHROMIUM_ONLY = ['key', 'minimum_chrome_version'];

/** Firefox's variant of the parsed Chromium manifest. */
function firefoxManifest(chromium) {
  const manifest = structuredClone(chromium);
  for (const key of CHROMIUM_ONLY) delete manifest[key];

  const { service_worker: script, type } = chromium.background;
  manifest.background = { scripts: [script], ...(type ? { type } : {}) };

  manifest.browser_specific_settings = {
    gecko_android: { strict_min_version: STRICT_MIN_VERSION_ANDROID },
    gecko: {
      id: GECKO_ID,
      strict_min_version: STRICT_MIN_VERSION,
      data_collection_permissions: { required: ['authenticationInfo', 'financialAndPaymentInfo'] },
    },
  };
  return manifest;
}

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error('usage: node manifest.mjs manifest.json OUT.json');
  process.exit(2);
}
const chromium = JSON.parse(readFileSync(source, 'utf8'));
writeFileSync(target, `${JSON.stringify(firefoxManifest(chromium), null, 2)}\n`);
