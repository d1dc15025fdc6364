// ./build.sh demo: the main job against a local sandbox broker. With a display, a real window
// a person can watch; without one, the same path headless. Screenshots go to demo-output/.
import { runMainJob } from './lib/mainjob.mjs';

const headless = !process.env.DISPLAY;
const outputDir = process.env.HALO_DEMO_OUTPUT ?? 'demo-output';
let step = 0;
const log = (text) => console.log(`[${String(++step).padStart(2)}] ${text}`);

console.log(`Halo demo (${headless ? 'headless: no display found' : 'in a window'})`);
const job = await runMainJob({
  bin: process.env.HALO_BIN,
  extensionDir: process.env.HALO_EXTENSION,
  outputDir,
  headless,
  log,
});
try {
  const [order] = job.sandboxOrders;
  log(`the sandbox received ${job.sandboxOrders.length} order(s)`);
  console.log(`\nOrder id received by the sandbox: ${order.orderid} (${order.status})`);
  console.log(`Screenshots: ${outputDir}/`);
} finally {
  await job.close();
}
