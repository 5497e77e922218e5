/**
 * The Audit Log benchmark's in-page helpers (scripts/bench-audit.ts). Plain JavaScript in a string:
 * tsx (esbuild, keepNames) would add `__name(…)` calls to functions passed to page.evaluate, which do
 * not exist in the page.
 */
export const PAGE_HELPERS = String.raw`(() => {
  const TABLE = '[role="table"][aria-label="Audit records"]';
  const DATA_ROW = TABLE + ' [role="row"][data-index]';
  const LOADED = /^[\d,.\s\u202f]+ records? loaded/;
  const text = (el) => (el ? el.textContent.trim() : '');
  const chips = () => text(document.querySelector('ul[aria-label="Active filters"]'));
  const loadedText = () => {
    for (const el of document.querySelectorAll('[aria-live="polite"] > span')) {
      if (LOADED.test(text(el))) return text(el);
    }
    return '';
  };
  const firstRow = () => {
    const row = document.querySelector(DATA_ROW);
    return row && row.getBoundingClientRect().height > 0 ? row : null;
  };
  const loading = () =>
    [...document.querySelectorAll('[role="status"]')].some((el) => text(el).startsWith('Loading audit records'));
  const empty = () => document.body.textContent.includes('No audit records match these filters');
  const failed = () => !!document.querySelector('main [role="alert"]');
  // The list shows a result: a loaded page with its rows, or the "no records" notice, or an error.
  const settled = () => !loading() && ((loadedText() !== '' && (firstRow() || empty())) || failed());
  // Calls back with the time after the next frame was produced (rAF runs before the frame's
  // rendering, a message posted from it arrives after).
  const afterNextFrame = (cb) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => cb(performance.now());
      channel.port2.postMessage(0);
    });

  // 1. Navigation start (the document's time origin) → first data row of the list on screen.
  window.__firstRow = null;
  const rowObserver = new MutationObserver(() => {
    if (window.__firstRow || !location.pathname.startsWith('/audit') || !firstRow()) return;
    rowObserver.disconnect();
    const result = { dom: performance.now(), paint: null };
    window.__firstRow = result;
    afterNextFrame((t) => (result.paint = t));
  });
  rowObserver.observe(document, { childList: true, subtree: true });

  // 2. A filter change: arm() before the UI action, then wait(). t0 is taken by a capture listener
  // when the action's event reaches the page; the end when the list shows the new result.
  let current = null;
  const TRIGGERS = ['keydown', 'click', 'input', 'change'];
  window.__bench = {
    chips,
    baseline: () => chips() === '' && !!firstRow() && settled(),
    arm() {
      if (current) current.cleanup();
      performance.clearResourceTimings();
      const state = { before: chips(), t0: null, dom: null, paint: null, loadingSeen: false };
      let resolve;
      const done = new Promise((r) => (resolve = r));
      const onEvent = (event) => {
        if (state.t0 !== null || (event.type === 'keydown' && event.key !== 'Enter')) return;
        state.t0 = performance.now();
      };
      const check = () => {
        if (state.t0 === null || state.dom !== null) return;
        if (loading()) state.loadingSeen = true;
        if (chips() === state.before || !settled()) return;
        state.dom = performance.now();
        afterNextFrame((t) => {
          state.paint = t;
          resolve();
        });
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      let polling = true;
      const poll = () => {
        check();
        if (polling) requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
      for (const type of TRIGGERS) window.addEventListener(type, onEvent, true);
      const cleanup = () => {
        polling = false;
        observer.disconnect();
        for (const type of TRIGGERS) window.removeEventListener(type, onEvent, true);
      };
      current = { state, done, cleanup };
    },
    async wait(timeoutMs) {
      const armed = current;
      if (!armed) throw new Error('not armed');
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no rendered result within ' + timeoutMs + ' ms (t0 ' +
          (armed.state.t0 === null ? 'not seen' : 'seen') + ', chips "' + chips() + '", loaded "' +
          loadedText() + '")')), timeoutMs);
      });
      try {
        await Promise.race([armed.done, timeout]);
      } finally {
        clearTimeout(timer);
        armed.cleanup();
        current = null;
      }
      const { t0, dom, paint, loadingSeen } = armed.state;
      const request = performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/audit/records?') && !e.name.includes('after=') && e.startTime >= t0)
        .sort((a, b) => a.startTime - b.startTime)[0];
      return {
        total: paint - t0,
        commit: dom - t0,
        requestStart: request ? request.startTime - t0 : null,
        requestEnd: request ? request.responseEnd - t0 : null,
        loadingSeen,
        loaded: loadedText() || (empty() ? '0 records loaded.' : failed() ? 'error' : ''),
        chips: chips(),
      };
    },
  };
})();`;
