// Halo's background service worker: loads the Rust module and forwards browser events to it.
//
// A module service worker may not use top-level await, and the browser only promises to deliver
// the event that woke the worker to listeners added in the script's first turn. So every
// listener is added here, synchronously, and each one waits for the same `ready` promise.

import init, {
  handle_message, forget_tab, installed, resume, alarm, notification_clicked,
  publisher_navigation, trade_selection, command,
} from './pkg/halo_worker.js';

const RELOAD =
  'Halo hit an internal error and stopped to keep your data safe. ' +
  'Reload Halo (chrome://extensions, or about:addons in Firefox; or restart the browser) ' +
  'and try again.';

const ready = init({ module_or_path: './pkg/halo_worker_bg.wasm' });

// After a Rust panic the module may hold half-updated state: it is never called again.
let poisoned = false;
// Answers still owed, so a panic (which never settles the pending promise) still answers them.
const owed = new Set();

globalThis.haloPanicked = () => {
  poisoned = true;
  for (const answer of [...owed]) answer({ ok: false, error: RELOAD });
};

function callRust(run) {
  if (poisoned) return Promise.reject(new Error(RELOAD));
  return ready.then(() => {
    if (poisoned) throw new Error(RELOAD);
    return run();
  }).catch((error) => {
    if (error instanceof WebAssembly.RuntimeError) globalThis.haloPanicked();
    throw error;
  });
}

function reasonOf(error) {
  if (poisoned) return RELOAD;
  return 'Halo could not start: ' + (error && error.message ? error.message : String(error));
}

ready.then(() => callRust(resume)).catch(() => {});

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!message || typeof message.type !== 'string') return false;

  const senderInfo = {
    id: sender.id ?? null,
    url: sender.url ?? null,
    tab_id: sender.tab && typeof sender.tab.id === 'number' ? sender.tab.id : null,
  };
  let answered = false;
  const answer = (reply) => {
    if (answered) return;
    answered = true;
    owed.delete(answer);
    sendResponse(reply);
  };
  owed.add(answer);

  callRust(() => handle_message(message, senderInfo)).then(
    (reply) => answer(reply),
    (error) => answer({ ok: false, error: reasonOf(error) }),
  );
  return true;
});

chrome.tabs.onRemoved.addListener((tabId) => {
  callRust(() => forget_tab(tabId)).catch(() => {});
});

chrome.runtime.onInstalled.addListener((details) => {
  callRust(() => installed(details.reason)).catch(() => {});
  // Menu items persist across worker restarts; they are (re)made on install and update only.
  chrome.contextMenus.create(
    { id: TRADE_SELECTION, title: 'Trade with Halo', contexts: ['selection'] },
    () => void chrome.runtime.lastError,
  );
});

// "Trade with Halo" on selected text, and the shortcut that opens the ticket. The selection is
// only a symbol to look up: the order is still placed only after Confirm in Halo's window.
const TRADE_SELECTION = 'halo-trade-selection';
const onMenuClicked = (info, tab) => {
  if (info.menuItemId !== TRADE_SELECTION || !tab || typeof tab.id !== 'number') return;
  const text = typeof info.selectionText === 'string' ? info.selectionText : '';
  return callRust(() => trade_selection(tab.id, text)).catch(() => {});
};
const onCommand = (name) => callRust(() => command(name)).catch(() => {});
chrome.contextMenus.onClicked.addListener(onMenuClicked);
chrome.commands.onCommand.addListener(onCommand);
// End-to-end tests cannot click a context menu or press an extension shortcut in headless
// Chromium; they call these through the worker's own global scope, which no page can reach.
globalThis.haloEntryPoints = { onMenuClicked, onCommand };

// The idle time is up: the alarm wakes the worker, which locks the vault.
chrome.alarms.onAlarm.addListener((fired) => {
  callRust(() => alarm(fired.name)).catch(() => {});
});

// The daily login reminder's button, or the notification itself, logs in. Firefox has the
// onButtonClicked event but draws no buttons, so there the click on the notification is the
// only way in.
const loginClicked = (id) => {
  callRust(() => notification_clicked(id)).catch(() => {});
};
chrome.notifications.onButtonClicked.addListener(loginClicked);
chrome.notifications.onClicked.addListener(loginClicked);

// A publisher login in a normal tab ends when Angel sends the tab to the trader's registered
// redirect URL with the tokens in its query. Which URL is only known from storage, so the filter
// keeps to https addresses carrying `auth_token=` and the worker checks origin, path and tab.
// onCommitted also catches a server redirect, which onBeforeNavigate does not report.
const PUBLISHER_REDIRECT = { url: [{ schemes: ['https'], queryContains: 'auth_token=' }] };
const publisherNavigation = (details) => {
  if (details.frameId !== 0) return;
  callRust(() => publisher_navigation(details.tabId, details.url)).catch(() => {});
};
chrome.webNavigation.onBeforeNavigate.addListener(publisherNavigation, PUBLISHER_REDIRECT);
chrome.webNavigation.onCommitted.addListener(publisherNavigation, PUBLISHER_REDIRECT);
