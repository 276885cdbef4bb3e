// Profiling aid (not a test): what one kind of input costs on one page of a build, repeated.
//
//   node e2e/profile.mjs cpu   DIST '#/graph?…' input-x|step|program|count [reps]   # wasm functions, inclusive time
//   (SELF=1 first lists each function's own time)
//   node e2e/profile.mjs trace DIST '#/graph?…' input-x|step|program [reps]   # the browser's own work, per kind
//
// `cpu` needs a build that keeps function names: scripts/profile-build.sh DIST. `trace` works on any build.
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, serve } from './harness.mjs';

const [kind, dist, hash, what, repsArg] = process.argv.slice(2);
const REPS = Number(repsArg || 30);
const ACTS = {
  'input-x': `const el = document.querySelector('[data-testid="input-x"]'); el.value = k % 2 ? '0.25' : '0.26'; el.dispatchEvent(new InputEvent('input', { bubbles: true }));`,
  step: `window.dispatchEvent(new KeyboardEvent('keydown', { key: k % 2 ? 'ArrowLeft' : 'ArrowRight', bubbles: true }));`,
  program: `const el = document.querySelector('[data-testid="program-input"]'); el.value = k % 2 ? el.value.trimEnd() : el.value + ' '; el.dispatchEvent(new InputEvent('input', { bubbles: true }));`,
  // The first `n=` count one less, then back: an edit that changes the graph.
  count: `const el = document.querySelector('[data-testid="program-input"]'); el.value = el.value.replace(/n=(\\d+)/, (m, d) => 'n=' + (k % 2 ? +d + 1 : d - 1)); el.dispatchEvent(new InputEvent('input', { bubbles: true }));`,
};
const site = await serve(resolve(dist));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(site.url + hash);
await page.waitForSelector('main h1');
// CSS=… adds a style sheet first: to see what one part of the page costs (e.g. CSS='.trace-wrap{display:none}').
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
// SCROLL=selector scrolls that element to the middle of the window first (e.g. SCROLL='[data-testid="trace-table"]').
if (process.env.SCROLL) await page.evaluate((s) => document.querySelector(s).scrollIntoView({ block: 'center' }), process.env.SCROLL);
await page.waitForTimeout(500);
const run = async () => {
  for (let k = 0; k < REPS; k++) {
    await page.evaluate(({ act, k }) => new Function('k', act)(k), { act: ACTS[what], k });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));
    // WAIT=ms: what an input puts off until later (e.g. until the typing pauses) runs before the next one.
    if (process.env.WAIT) await page.waitForTimeout(Number(process.env.WAIT));
  }
};
const ms = (us) => (us / 1000 / REPS).toFixed(3).padStart(8);

if (kind === 'cpu') {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await run();
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const time = new Map();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) || 0) + (profile.timeDeltas[i + 1] || 0)));
  // Inclusive time per function, each counted once per sample however deep it recurses.
  const incl = new Map();
  for (const [id, us] of time) {
    const seen = new Set();
    for (let x = id; x !== undefined; x = parent.get(x)) {
      const name = byId.get(x).callFrame.functionName || `(${byId.get(x).callFrame.url.split('/').pop() || 'program'})`;
      if (seen.has(name)) continue;
      seen.add(name);
      incl.set(name, (incl.get(name) || 0) + us);
    }
  }
  if (process.env.SELF) {
    const self = new Map();
    for (const [id, us] of time) {
      const cf = byId.get(id).callFrame;
      const name = cf.functionName || `(${cf.url.split('/').pop() || 'program'})`;
      self.set(name, (self.get(name) || 0) + us);
    }
    for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP || 50))) {
      console.log(`${ms(us)} ms  ${name.replace(/\[[0-9a-f]{16}\]/g, '').slice(0, 160)}`);
    }
    console.log('--- inclusive');
  }
  for (const [name, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP || 50))) {
    console.log(`${ms(us)} ms  ${name.replace(/\[[0-9a-f]{16}\]/g, '').slice(0, 160)}`);
  }
} else {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'cc', 'v8'] });
  await run();
  const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());
  const threads = new Map();
  for (const e of traceEvents) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const sums = new Map();
  for (const e of traceEvents) {
    const t = threads.get(`${e.pid}:${e.tid}`) || '?';
    if (e.ph !== 'X' || !e.dur || !/CrRendererMain|Compositor|Raster|VizCompositor/.test(t)) continue;
    const key = `${t.padEnd(22)} ${e.name}`;
    sums.set(key, (sums.get(key) || 0) + e.dur);
  }
  for (const [k, us] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP || 40))) console.log(`${ms(us)} ms  ${k}`);
}
await browser.close();
await site.close();
