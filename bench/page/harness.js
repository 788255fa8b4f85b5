// In-page side of the webview benchmark. Loaded as a classic script before the webview bundle:
// - stands in for VS Code's webview API (`acquireVsCodeApi`), recording what the view posts;
// - relays the fake host's messages (from host-worker.js) to the view as `message` events on window,
//   one task per message, the way a VS Code webview receives `webview.postMessage`, and the view's
//   `loadOlder` requests to it;
// - records long tasks, long animation frames and rAF frame times, and marks each phase with
//   performance.mark (the marks also land in the Chromium trace, where run/webview.mjs finds task lengths).
// run/webview.mjs drives it through window.__bench.
/* global location, IntersectionObserver, PerformanceObserver, requestAnimationFrame, cancelAnimationFrame, Worker, MessageEvent, MessageChannel, MutationObserver */
'use strict';

(() => {
  const posted = [];
  const longTasks = [];
  const loafs = [];
  let vsCodeApiCalls = 0;
  let resolveReady;
  const ready = new Promise((resolve) => {
    resolveReady = resolve;
  });

  window.acquireVsCodeApi = () => {
    if (++vsCodeApiCalls > 1) throw new Error('acquireVsCodeApi may only be called once');
    let state;
    return {
      postMessage(msg) {
        posted.push(msg);
        if (msg && msg.type === 'ready') resolveReady();
        // The view asks for an older page of the history: the fake host (the worker) answers.
        if (msg && msg.type === 'loadOlder') worker.postMessage({ cmd: 'older', beforeId: msg.beforeId });
      },
      getState: () => state,
      setState(next) {
        state = next;
        return next;
      },
    };
  };

  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });

  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      loafs.push({
        start: e.startTime,
        duration: e.duration,
        blocking: e.blockingDuration,
        renderStart: e.renderStart,
        styleAndLayoutStart: e.styleAndLayoutStart,
        scripts: (e.scripts || []).map((s) => ({
          invoker: s.invoker,
          duration: s.duration,
          forcedStyleAndLayout: s.forcedStyleAndLayoutDuration,
          source: `${s.sourceFunctionName || '?'} ${s.sourceURL ? s.sourceURL.replace(location.origin, '') : ''}:${s.sourceCharPosition}`,
        })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });

  // Host messages from the worker; `{bench: …}` replies go to whoever waits for them.
  const waiters = new Map();
  const worker = new Worker('/host-worker.js');
  worker.onmessage = (e) => {
    const data = e.data;
    if (data && typeof data.bench === 'string') {
      const resolve = waiters.get(data.bench);
      waiters.delete(data.bench);
      if (resolve) resolve(data);
      return;
    }
    window.dispatchEvent(new MessageEvent('message', { data, origin: location.origin }));
  };
  const command = (cmd) =>
    new Promise((resolve) => {
      waiters.set(`${cmd}-sent`, resolve);
      worker.postMessage({ cmd });
    });

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Resolves after the next frame has been produced: rAF runs before paint, a task posted from it runs after. */
  const afterPaint = () =>
    new Promise((resolve) => {
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      });
    });

  /** Resolves once `check()` is true, checking on every DOM mutation. */
  const whenDom = (check) =>
    new Promise((resolve) => {
      if (check()) return resolve();
      const observer = new MutationObserver(() => {
        if (check()) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });

  /** rAF timestamps while a phase runs. */
  function frameRecorder() {
    const frames = [];
    let id = 0;
    const loop = (t) => {
      frames.push(t);
      id = requestAnimationFrame(loop);
    };
    id = requestAnimationFrame(loop);
    return {
      stop() {
        cancelAnimationFrame(id);
        return frames;
      },
    };
  }

  const scroller = () => document.querySelector('[data-virtuoso-scroller]') || document.querySelector('.plain-list');

  /**
   * Watches whether the end of the streaming answer (its cursor) is visible in the scroller, as painted:
   * IntersectionObserver results are computed in the rendering step, after the view's own scroll
   * adjustments (a check from a task would see the DOM before the view has scrolled to the new end).
   */
  function viewWatcher() {
    let inView = false;
    let since = performance.now();
    let outMs = 0;
    let exits = 0;
    let el = null;
    const gaps = [];
    const set = (visible, t) => {
      if (visible === inView) return;
      if (inView) exits++;
      else {
        outMs += t - since;
        const box = scroller();
        gaps.push({ at: since, ms: t - since, distance: box ? box.scrollHeight - box.scrollTop - box.clientHeight : undefined });
      }
      inView = visible;
      since = t;
    };
    const observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) if (e.target === el) set(e.isIntersecting, e.time);
      },
      { root: scroller(), threshold: [0, 1] },
    );
    // The cursor element can be replaced (a row re-mounted by the virtual list): follow the current one.
    const attach = () => {
      const cursor = document.querySelector('.stream-cursor');
      if (cursor === el) return;
      if (el) observer.unobserve(el);
      el = cursor;
      if (el) observer.observe(el);
      else set(false, performance.now());
    };
    const mutations = new MutationObserver(attach);
    mutations.observe(document.body, { childList: true, subtree: true });
    attach();
    return {
      stop() {
        mutations.disconnect();
        observer.disconnect();
        if (!inView) outMs += performance.now() - since;
        return { outMs, exits, inViewAtEnd: inView, gaps: gaps.slice(0, 50) };
      },
    };
  }

  function phaseData(start, end) {
    return {
      start,
      end,
      longTasks: longTasks.filter((t) => t.start >= start && t.start < end),
      loafs: loafs.filter((f) => f.start >= start && f.start < end),
    };
  }

  window.__bench = {
    posted,
    ready,
    /** Posts the history snapshot; resolves when `lastHeading` is in the DOM and a frame has painted. */
    async open(lastHeading) {
      await ready;
      const hasLast = () => [...document.querySelectorAll('.row h2')].some((h) => h.textContent === lastHeading);
      performance.mark('bench:open:start');
      const t0 = performance.now();
      void command('snapshot');
      await whenDom(hasLast);
      const inDom = performance.now();
      await afterPaint();
      const painted = performance.now();
      // Work the open causes after the first paint (measuring, scrolling to the end) belongs to it too.
      await sleep(500);
      await afterPaint();
      performance.mark('bench:open:end');
      return { ms: painted - t0, domMs: inDom - t0, ...phaseData(t0, performance.now()) };
    },
    /** The user's next message (turn.started); resolves once it is shown and the view is quiet. */
    async prompt(text) {
      void command('prompt');
      await whenDom(() => [...document.querySelectorAll('.row-user')].some((r) => r.textContent.includes(text)));
      await afterPaint();
      await sleep(300);
    },
    /** Streams the answer, one delta per interval from the worker's clock. */
    async stream() {
      const frames = frameRecorder();
      const view = viewWatcher();
      performance.mark('bench:stream:start');
      const t0 = performance.now();
      const sent = await command('stream');
      // Every delta has been dispatched once the worker's "sent" reply arrives (messages keep their order).
      const dispatched = performance.now();
      await afterPaint();
      await afterPaint();
      const visibility = view.stop();
      const end = performance.now();
      performance.mark('bench:stream:end');
      const times = frames.stop();
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      const box = scroller();
      return {
        ms: end - t0,
        dispatchedMs: dispatched - t0,
        sent,
        frames: times.length,
        longestFrameGap: gaps.length ? Math.max(...gaps) : 0,
        jankyFrames: gaps.filter((g) => g > 50).length,
        ...visibility,
        scroll: box ? { top: box.scrollTop, height: box.scrollHeight, client: box.clientHeight } : undefined,
        ...phaseData(t0, end),
      };
    },
    /** message.completed, usage and turn.completed, as the host sends them at the end of a turn. */
    async end() {
      performance.mark('bench:end:start');
      const t0 = performance.now();
      await command('end');
      await whenDom(() => !document.querySelector('.stream-cursor'));
      await afterPaint();
      const painted = performance.now();
      await sleep(1000);
      const end = performance.now();
      performance.mark('bench:end:end');
      return { ms: painted - t0, ...phaseData(t0, end) };
    },
    /**
     * Scrolls so that the start of the last answer sits at `fraction` of the viewport: the end of the history
     * and the user's message above it, the streamed answer below.
     */
    async revealLastAnswer(fraction) {
      const box = scroller();
      const answers = document.querySelectorAll('.row-assistant');
      const answer = answers[answers.length - 1];
      if (!box || !answer) return;
      box.scrollTop += answer.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight * fraction;
      await afterPaint();
      await sleep(300);
      await afterPaint();
    },
    setTheme(kind) {
      document.body.classList.remove('vscode-dark', 'vscode-light', 'vscode-high-contrast');
      document.body.classList.add(`vscode-${kind}`);
      document.body.dataset.vscodeThemeKind = `vscode-${kind}`;
      return afterPaint();
    },
  };
})();
