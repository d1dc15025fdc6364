// ./build.sh bench, second half: the vault unlock in Chromium and in Node, beside hash-wasm's
// Argon2id with the same parameters and inputs. Writes target/bench/results.json.
//
// Expects (made by build.sh): dist/chrome (the extension), target/bench/pkg (the benchmark-only
// wasm of benches/wasm-kdf), benches/node_modules (hash-wasm), tests/e2e/node_modules.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const out = join(root, 'target', 'bench');
const pkg = join(out, 'pkg');

const INPUT = {
  passphrase: 'correct horse battery staple',
  salt: [...Buffer.from('halo-bench-salt!')],
  m: 65536,
  t: 3,
  p: 1,
  runs: 5,
};
const PARAMS = 'Argon2id 64 MiB, t=3, p=1';
const TARGET_RATIO = 0.8;
const TARGET_POPUP_MS = 300;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function inNode() {
  const halo = await import(pathToFileURL(join(pkg, 'halo_bench_kdf.js')));
  halo.initSync({ module: readFileSync(join(pkg, 'halo_bench_kdf_bg.wasm')) });
  const { argon2id } = await import('hash-wasm');
  const salt = new Uint8Array(INPUT.salt);
  const haloMs = [];
  const anchorMs = [];
  let same = true;
  for (let i = 0; i <= INPUT.runs; i += 1) {
    let start = performance.now();
    const key = halo.derive_key_base64(INPUT.passphrase, salt, INPUT.m, INPUT.t, INPUT.p);
    const a = performance.now() - start;
    start = performance.now();
    const raw = await argon2id({
      password: INPUT.passphrase, salt, parallelism: INPUT.p, iterations: INPUT.t,
      memorySize: INPUT.m, hashLength: 32, outputType: 'binary',
    });
    const b = performance.now() - start;
    same &&= Buffer.from(raw).toString('base64') === key;
    if (i > 0) {
      haloMs.push(a);
      anchorMs.push(b);
    }
  }
  return { halo: median(haloMs), anchor: median(anchorMs), same };
}

async function inChromium() {
  const require = createRequire(join(root, 'tests', 'e2e', 'package.json'));
  const { chromium } = require('playwright-core');

  // A throwaway copy of the extension with the benchmark page: dist/ itself never gets it.
  const extension = join(out, 'chrome');
  cpSync(join(root, 'dist', 'chrome'), extension, { recursive: true });
  cpSync(pkg, join(extension, 'bench-pkg'), { recursive: true });
  cpSync(join(here, 'page'), extension, { recursive: true });
  cpSync(
    join(here, 'node_modules', 'hash-wasm', 'dist', 'argon2.umd.min.js'),
    join(extension, 'hash-wasm-argon2.umd.min.js'),
  );

  const profile = mkdtempSync(join(tmpdir(), 'halo-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.HALO_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
    ],
    ignoreDefaultArgs: ['--disable-extensions'],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const id = new URL(worker.url()).host;

    const page = await context.newPage();
    await page.goto(`chrome-extension://${id}/bench.html`);
    await page.getByText('ready').waitFor();
    const result = await page.evaluate((input) => globalThis.runBench(input), INPUT);
    await page.close();

    const popup = await popupUnlock(context, id);
    return {
      halo: median(result.halo),
      anchor: median(result.anchor),
      same: result.same,
      popup,
    };
  } finally {
    await context.close();
  }
}

/** What a trader waits for: from pressing Unlock in the popup to the unlocked screen. */
async function popupUnlock(context, id) {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${id}/popup.html?window=1`);
  await popup.getByLabel('Passphrase', { exact: true }).fill(INPUT.passphrase);
  await popup.getByLabel('Repeat passphrase').fill(INPUT.passphrase);
  await popup.getByRole('button', { name: 'Create vault' }).click();
  await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 30000 });

  const times = [];
  for (let i = 0; i < 3; i += 1) {
    await popup.getByRole('button', { name: 'Lock', exact: true }).click();
    await popup.getByRole('button', { name: 'Unlock', exact: true }).waitFor();
    await popup.getByLabel('Passphrase', { exact: true }).fill(INPUT.passphrase);
    const start = performance.now();
    await popup.getByRole('button', { name: 'Unlock', exact: true }).click();
    await popup.getByRole('button', { name: 'Lock', exact: true }).waitFor({ timeout: 30000 });
    times.push(performance.now() - start);
  }
  await popup.close();
  return median(times);
}

function row(name, value, anchor, anchorValue) {
  return {
    name,
    value: Math.round(value * 10) / 10,
    unit: 'ms',
    anchor,
    anchor_value: Math.round(anchorValue * 10) / 10,
    ratio: Math.round((value / anchorValue) * 1000) / 1000,
  };
}

const node = await inNode();
const browser = await inChromium();
if (!node.same || !browser.same) {
  console.error('Halo and hash-wasm derived different keys from the same inputs');
  process.exit(1);
}

const results = [
  row(`unlock key derivation in the popup's context (Chromium), ${PARAMS}`,
    browser.halo, `hash-wasm argon2id, same page and inputs`, browser.anchor),
  row(`unlock key derivation in Node, ${PARAMS}`,
    node.halo, `hash-wasm argon2id, same process and inputs`, node.anchor),
  row(`unlock end to end: Unlock pressed in the popup to unlocked screen, ${PARAMS}`,
    browser.popup, 'target', TARGET_POPUP_MS),
];
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

for (const r of results) {
  console.log(`${r.name}\n    ${r.value} ${r.unit}  vs ${r.anchor}: ${r.anchor_value} ${r.unit}` +
    `  ratio ${r.ratio}`);
}
const verdict = (ok) => (ok ? 'met' : 'NOT met');
console.log(`target: Halo at most ${TARGET_RATIO}x hash-wasm: Chromium ` +
  `${verdict(results[0].ratio <= TARGET_RATIO)}, ` +
  `Node ${verdict(results[1].ratio <= TARGET_RATIO)}`);
console.log(`target: key derivation under ${TARGET_POPUP_MS} ms in the popup: ` +
  `${verdict(browser.halo < TARGET_POPUP_MS)} (${results[0].value} ms)`);
console.log(`wrote ${join(out, 'results.json')}`);
