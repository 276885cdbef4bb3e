// Browser benchmark (not a test): the main-thread work one input costs — a keystroke in the editor, a step, a new
// input value — in headless Chromium, median of many repetitions. An input reaches the next frame in time when this
// work fits in a frame (16.7 ms at 60 Hz). Run against one or more builds in the same run so that they are compared
// on the same machine under the same load:
//
//   node e2e/bench-frames.mjs dist [other-dist …] [--reps 40] [--arrays]   (--arrays: the array lab's rows only)
//
// Measured with the DevTools protocol's performance metrics (what the DevTools timeline shows): for each input, the
// script, style + layout, and total main-thread task time between dispatching it and the frame after its update.
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, serve } from './harness.mjs';

const args = process.argv.slice(2);
const repsAt = args.indexOf('--reps');
const REPS = repsAt >= 0 ? Number(args[repsAt + 1]) : 40;
const onlyArrays = args.includes('--arrays');
const dists = args.filter((a, i) => !a.startsWith('--') && (repsAt < 0 || i !== repsAt + 1));
if (!dists.length) dists.push('dist');

const logistic = (n) => `def f(x, n=${n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n`;

/** Medians (ms) of script, style + layout, and all main-thread work caused by `act` (run in the page): until the
 * frame after its update, or for `settle` ms more (work a page puts off until the typing pauses). */
async function measure(page, cdp, act, settle = 0) {
  const metrics = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { script: m.ScriptDuration, layout: m.LayoutDuration + m.RecalcStyleDuration, task: m.TaskDuration };
  };
  const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));
  const samples = [];
  for (let k = 0; k < REPS + 3; k++) {
    await frames();
    // What the last input put off has run.
    await page.waitForTimeout(250);
    const before = await metrics();
    await page.evaluate(({ act, k }) => new Function('k', act)(k), { act, k });
    await frames();
    if (settle) await page.waitForTimeout(settle);
    const after = await metrics();
    if (k >= 3) samples.push(Object.fromEntries(Object.keys(after).map((key) => [key, 1000 * (after[key] - before[key])])));
  }
  const median = (key) => { const v = samples.map((x) => x[key]).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
  return { script: median('script'), layout: median('layout'), task: median('task') };
}

const typeIn = (testid, texts) => `
  const el = document.querySelector('[data-testid="${testid}"]');
  const texts = ${JSON.stringify(texts)};
  el.value = texts[k % texts.length];
  el.dispatchEvent(new InputEvent('input', { bubbles: true }));`;
const click = (testid) => `document.querySelector('[data-testid="${testid}"]').click();`;
const stepKeys = `window.dispatchEvent(new KeyboardEvent('keydown', { key: k % 2 ? 'ArrowLeft' : 'ArrowRight', bubbles: true }));`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
const rows = [];
for (const dist of dists) {
  const site = await serve(resolve(dist));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const open = async (hash) => {
    await page.goto(site.url + hash);
    await page.waitForSelector('main h1');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
  };

  await open('#/grad?f=' + encodeURIComponent(logistic(4)) + '&in.x=0.25');
  // The measurement's own cost: the same calls and frames with no input at all.
  rows.push([dist, '(no input)', 'nothing', await measure(page, cdp, '')]);
  rows.push([dist, '#/grad (13 nodes)', 'keystroke', await measure(page, cdp, typeIn('program-input', [logistic(4), logistic(4) + ' ']))]);

  for (const n of onlyArrays ? [] : [50, 66, 333]) {
    const nodes = 3 * n + 1;
    await open('#/graph?f=' + encodeURIComponent(logistic(n)) + '&in.x=0.25&mode=reverse&step=' + nodes);
    const what = `#/graph (${nodes} nodes)`;
    rows.push([dist, what, 'keystroke', await measure(page, cdp, typeIn('program-input', [logistic(n), logistic(n) + ' ']))]);
    rows.push([dist, what, 'new input value', await measure(page, cdp, typeIn('input-x', ['0.25', '0.26']))]);
    rows.push([dist, what, 'step (→ / ←)', await measure(page, cdp, stepKeys)]);
    // The same with the page scrolled so that the trace table (and the input) are on screen: the table is laid out.
    await page.evaluate(() => document.querySelector('[data-testid="trace-table"]').scrollIntoView({ block: 'center' }));
    rows.push([dist, what, 'input, trace in view', await measure(page, cdp, typeIn('input-x', ['0.25', '0.26']))]);
    rows.push([dist, what, 'step, trace in view', await measure(page, cdp, stepKeys)]);
  }
  // A numpy program at array granularity: #/network's whole objective (the data and the weights as constants).
  await open('#/network');
  const href = await page.locator('[data-testid="nn-numpy-graph-link"]').getAttribute('href');
  await open(href.replace('mode=reverse', 'mode=reverse&step=1'));
  const program = await page.locator('[data-testid="program-input"]').inputValue();
  const arrays = `#/graph (network, ${await page.locator('[data-testid="graph-node"]').count()} array nodes)`;
  rows.push([dist, arrays, 'step (→ / ←)', await measure(page, cdp, stepKeys)]);
  rows.push([dist, arrays, 'keystroke', await measure(page, cdp, typeIn('program-input', [program, program + ' ']))]);
  rows.push([dist, '(no input)', 'nothing, + 300 ms', await measure(page, cdp, '', 300)]);
  rows.push([dist, arrays, 'keystroke, + 300 ms', await measure(page, cdp, typeIn('program-input', [program, program + ' ']), 300)]);
  // A numpy loop unrolled: ~140 array nodes (drawn: its input's edges take 5 000 points), ~400 and ~1 000 (the trace
  // alone), stepped and edited.
  for (const n of [70, 195, 500]) {
    const chain = `import numpy as np\n\ndef f(W=np.eye(3) * 0.5, x=np.ones(3), n=${n}):\n  for i in range(n):\n    x = np.tanh(W @ x)\n  return np.sum(x)\n`;
    await open('#/graph?f=' + encodeURIComponent(chain) + '&mode=reverse&step=' + (2 * n + 5));
    const what = `#/graph (numpy loop, ${Number(await page.locator('[data-testid="array-trace"]').getAttribute('aria-rowcount')) - 1} array nodes)`;
    rows.push([dist, what, 'step (→ / ←)', await measure(page, cdp, stepKeys)]);
    rows.push([dist, what, 'keystroke', await measure(page, cdp, typeIn('program-input', [chain, chain + ' ']))]);
    // An edit that changes the graph (one step more or less): drawn anew.
    rows.push([dist, what, 'new structure', await measure(page, cdp, typeIn('program-input', [chain, chain.replace(`n=${n}`, `n=${n - 1}`)]))]);
  }
  // The last steps of the backward pass: every row of the trace holds its value and its adjoint.
  await open(href.replace('mode=reverse', 'mode=reverse&step=end'));
  rows.push([dist, arrays, 'step at the end', await measure(page, cdp, `window.dispatchEvent(new KeyboardEvent('keydown', { key: k % 2 ? 'ArrowRight' : 'ArrowLeft', bubbles: true }));`)]);
  await page.close();
  await site.close();
}
await browser.close();
console.log(`main-thread ms per input, medians of ${REPS} (headless Chromium): script, style + layout, all work\n`);
for (const [dist, what, action, m] of rows) {
  console.log(`${dist.padEnd(22)} ${what.padEnd(22)} ${action.padEnd(21)} ${m.script.toFixed(1).padStart(6)} ${m.layout.toFixed(1).padStart(6)} ${m.task.toFixed(1).padStart(6)}`);
}
