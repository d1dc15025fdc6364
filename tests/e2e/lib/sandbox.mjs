// Starts the real `halo sandbox` binary on a free loopback port and stops it afterwards.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY = /^halo sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/;

/**
 * Runs `halo sandbox --port 0` with a fresh accounts file holding `accounts` (and `extraArgs`,
 * such as `--clock-offset 75`), and resolves once it prints its address. The returned object's
 * `stop()` ends the process.
 */
export async function startSandbox({ bin, accounts, fillAfterMs = 1500, extraArgs = [] }) {
  const dir = mkdtempSync(join(tmpdir(), 'halo-sandbox-'));
  const accountsFile = join(dir, 'accounts.json');
  writeFileSync(accountsFile, JSON.stringify(accounts, null, 2));

  const child = spawn(
    bin,
    [
      'sandbox', '--port', '0', '--accounts', accountsFile,
      '--fill-after-ms', String(fillAfterMs), ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('halo sandbox did not start in 15 s')), 15000);
    child.once('exit', (code) => reject(new Error(`halo sandbox exited early with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const ready = READY.exec(line.trim());
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
  });

  return {
    url,
    /** Every order request the sandbox received, as sent, with its id and status. */
    async orders() {
      const response = await fetch(`${url}/sandbox/orders`);
      if (!response.ok) throw new Error(`GET /sandbox/orders answered ${response.status}`);
      return response.json();
    },
    /** Ends every session, as a new trading day would; resolves to how many there were. */
    async expire() {
      const response = await fetch(`${url}/sandbox/expire`, { method: 'POST' });
      if (!response.ok) throw new Error(`POST /sandbox/expire answered ${response.status}`);
      return (await response.json()).expired;
    },
    /** Expires only the JWTs: generateTokens still renews them. Resolves to how many. */
    async expireJwt() {
      const response = await fetch(`${url}/sandbox/expire?keep_refresh=1`, { method: 'POST' });
      if (!response.ok) throw new Error(`POST /sandbox/expire answered ${response.status}`);
      return (await response.json()).expired;
    },
    /** How many sessions generateTokens has renewed so far. */
    async refreshes() {
      const response = await fetch(`${url}/sandbox/refreshes`);
      if (!response.ok) throw new Error(`GET /sandbox/refreshes answered ${response.status}`);
      return (await response.json()).refreshes;
    },
    /**
     * Arms a fault for the next requests to a route: `{ route: 'placeOrder', kind: 'empty' }`
     * (kinds: http500, html, empty, delay, delay_after, reset, duplicate; optional count and
     * delay_ms).
     */
    async fault(fault) {
      const response = await fetch(`${url}/sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
      if (!response.ok) throw new Error(`POST /sandbox/faults answered ${response.status}`);
    },
    stop() {
      child.kill('SIGTERM');
    },
  };
}
