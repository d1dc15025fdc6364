// Halo's TradingView content script: tells Halo which symbol the chart shows.
//
// It copies the symbol header's text, the URL and the title, and nothing else; Halo's worker
// picks the symbol from them. It never sees a secret and can cause nothing but a report.

(() => {
  const HEADER = '#header-toolbar-symbol-search';
  const QUIET_MS = 300;
  // No symbol, chart URL or title comes near this; a page could send megabytes, which the
  // worker refuses anyway.
  const MAX_CHARS = 512;
  const cut = (text) => (typeof text === 'string' ? text.slice(0, MAX_CHARS) : null);

  let last = '';
  let timer = 0;
  let watched = [];

  // A chart page mutates all the time (every price tick), so a timer that restarted on each
  // mutation might never fire: the first change starts it and later ones join it.
  const schedule = () => {
    if (!timer) timer = setTimeout(() => { timer = 0; report(false); }, QUIET_MS);
  };
  // Elements appearing or being replaced anywhere (the header is drawn late, and redrawn).
  const tree = new MutationObserver(schedule);
  // Text edited in place inside the header or the title.
  const text = new MutationObserver(schedule);

  // After Halo is updated or reloaded this script outlives its extension: stop quietly.
  function orphaned() {
    return typeof chrome === 'undefined' || !chrome.runtime || !chrome.runtime.id;
  }

  function stop() {
    tree.disconnect();
    text.disconnect();
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  }

  function watchText(header, title) {
    const now = [header, title].filter(Boolean);
    if (now.length === watched.length && now.every((node, i) => node === watched[i])) return;
    text.disconnect();
    for (const node of now) text.observe(node, { characterData: true, subtree: true });
    watched = now;
  }

  function report(force) {
    if (orphaned()) return stop();
    const header = document.querySelector(HEADER);
    watchText(header, document.querySelector('title'));
    const seen = {
      type: 'page_seen',
      header_text: header ? cut(header.innerText) : null,
      url: cut(location.href),
      title: cut(document.title),
    };
    const key = JSON.stringify(seen);
    if (!force && key === last) return;
    last = key;
    try {
      chrome.runtime.sendMessage(seen).catch(() => {});
    } catch {
      // The extension went away between the check and the call.
      stop();
    }
  }

  function onVisible() {
    if (document.visibilityState === 'visible') report(true);
  }

  tree.observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener('visibilitychange', onVisible);
  report(false);
})();
