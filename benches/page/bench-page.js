// Times Halo's derive_key and hash-wasm's argon2id in an extension page, the popup's context.
import init, { derive_key_base64 } from './bench-pkg/halo_bench_kdf.js';

const ready = init({ module_or_path: './bench-pkg/halo_bench_kdf_bg.wasm' });

function base64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

/** One timed run of each, alternating so neither gets a warmer machine. */
globalThis.runBench = async ({ passphrase, salt, m, t, p, runs }) => {
  await ready;
  const saltBytes = new Uint8Array(salt);
  const halo = [];
  const anchor = [];
  let haloKey = '';
  let anchorKey = '';
  for (let i = 0; i <= runs; i += 1) {
    let start = performance.now();
    haloKey = derive_key_base64(passphrase, saltBytes, m, t, p);
    const haloMs = performance.now() - start;

    start = performance.now();
    const raw = await hashwasm.argon2id({
      password: passphrase, salt: saltBytes, parallelism: p, iterations: t,
      memorySize: m, hashLength: 32, outputType: 'binary',
    });
    const anchorMs = performance.now() - start;
    anchorKey = base64(raw);
    // The first run of each compiles and grows memory: a warm-up, not a figure.
    if (i > 0) {
      halo.push(haloMs);
      anchor.push(anchorMs);
    }
  }
  return { halo, anchor, same: haloKey === anchorKey, key: haloKey };
};

document.getElementById('ready').textContent = 'ready';
