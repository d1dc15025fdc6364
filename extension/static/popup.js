// Loads the popup's wasm and hands the page to Rust. Nothing else belongs here. The options
// page (options.html) loads the same bundle and mounts its own root.
import init, { run_options, run_popup } from './pkg/halo_popup.js';

try {
  await init();
  if (location.pathname.endsWith('/options.html')) run_options();
  else run_popup();
} catch (error) {
  // Without this the popup would stay blank; say what failed instead.
  const message = document.createElement('p');
  message.setAttribute('role', 'alert');
  message.textContent = `Halo could not start: ${error}`;
  document.body.append(message);
  throw error;
}
