// Halo's page reporter, shared by every site's content script (loaded before it).
//
// A site script calls haloReportPage(site, selector) once. The report is always the same:
// the site's name, the text of the element `selector` finds (or null), the URL and the title,
// each cut short. Halo's worker decides what the symbol is; this script never sees a secret
// and can cause nothing but a report. It lives in the content script's isolated world, which
// the page's own scripts cannot reach.

globalThis.haloReportPage = (site, selector) => {
  const QUIET_MS = 300;
  // No symbol, URL or title Halo reads comes near this; a page could put megabytes there,
  // which the worker refuses anyway.
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
  // Elements appearing or being replaced anywhere (headers are drawn late, and redrawn).
  const tree = new MutationObserver(schedule);
  // Text edited in place inside the symbol element or the title.
  const text = new MutationObserver(schedule);

  // After Halo is updated or reloaded this script outlives its extension: stop quietly.
  const orphaned = () => typeof chrome === 'undefined' || !chrome.runtime || !chrome.runtime.id;

  function stop() {
    tree.disconnect();
    text.disconnect();
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
    removeEventListener('popstate', schedule);
  }

  function watchText(element, title) {
    const now = [element, title].filter(Boolean);
    if (now.length === watched.length && now.every((node, i) => node === watched[i])) return;
    text.disconnect();
    for (const node of now) text.observe(node, { characterData: true, subtree: true });
    watched = now;
  }

  function report(force) {
    if (orphaned()) return stop();
    const element = selector ? document.querySelector(selector) : null;
    watchText(element, document.querySelector('title'));
    const seen = {
      type: 'page_seen',
      site,
      header_text: element ? cut(element.innerText) : null,
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
  // Single-page sites change the URL without a load.
  addEventListener('popstate', schedule);
  report(false);
};
