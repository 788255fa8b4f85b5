// The fake extension host of the webview benchmark, in a Worker so that it keeps its own clock: it posts
// host messages (HostToWebview) to the page on schedule whether or not the page's main thread keeps up,
// so when the view is busy the messages queue up exactly as they would behind a real model stream.
// Commands from the page: {cmd: 'snapshot' | 'prompt' | 'stream' | 'end'}; after each it posts
// {bench: '<cmd>-sent', …} once the last message of that command has been posted. {cmd: 'older', beforeId}
// is the view's `loadOlder` (relayed by harness.js): the worker answers with that page, as the host would.
/* global self */
'use strict';

let script;
const loaded = fetch('/host-script.json')
  .then((r) => r.json())
  .then((s) => {
    script = s;
  });

const post = (msg) => self.postMessage(msg);

function stream(intervalMs) {
  const deltas = script.deltas;
  const start = performance.now();
  let i = 0;
  let late = 0;
  const tick = () => {
    const now = performance.now();
    // One delta per interval on an absolute schedule: a late timer posts the overdue deltas at once.
    while (i < deltas.length && start + i * intervalMs <= now) {
      if (now - (start + i * intervalMs) > intervalMs) late++;
      post(deltas[i++]);
    }
    if (i < deltas.length) setTimeout(tick, Math.max(0, start + i * intervalMs - performance.now()));
    else post({ bench: 'stream-sent', count: deltas.length, ms: performance.now() - start, late });
  };
  tick();
}

self.onmessage = async (e) => {
  await loaded;
  const { cmd } = e.data;
  if (cmd === 'snapshot') {
    post(script.snapshot);
    post({ bench: 'snapshot-sent' });
  } else if (cmd === 'prompt') {
    for (const msg of script.start) post(msg);
    post({ bench: 'prompt-sent' });
  } else if (cmd === 'stream') {
    stream(script.intervalMs);
  } else if (cmd === 'older') {
    const page = script.older[e.data.beforeId];
    if (page) post(page);
  } else if (cmd === 'end') {
    for (const msg of script.end) post(msg);
    post({ bench: 'end-sent' });
  }
};
