// Epochs per second of #/network's training loop in Chromium, the boundary redrawn every frame (release build in
// dist/): the page's own counterpart of tfp-bench's run-ui.js. node e2e/bench-epochs.mjs [runs] [warm ms] [measure ms]
import { start } from './harness.mjs';
const [runs = 3, warm = 2000, measure = 5000] = process.argv.slice(2).map(Number);
const CASES = {
  'default 2-4-2-1 tanh, batch 10': 'preset=custom&dataset=circle&layers=4,2&act=tanh&loss=squared&lr=0.03&batch=10&l2=0&seed=1',
  '2-8-8-8-1 tanh, batch 10': 'preset=custom&dataset=circle&layers=8,8,8&act=tanh&loss=squared&lr=0.03&batch=10&l2=0&seed=1',
};
const h = await start();
const out = {};
for (const [name, q] of Object.entries(CASES)) {
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const page = await h.open('#/network?' + q);
    await page.evaluate(() => { window.__frames = 0; const tick = () => { window.__frames++; requestAnimationFrame(tick); }; requestAnimationFrame(tick); });
    const epoch = async () => Number(await page.locator('[data-testid="nn-epoch"]').getAttribute('data-value'));
    await page.click('[data-testid="nn-play"]');
    await page.waitForTimeout(warm);
    const [e0, f0, t0] = [await epoch(), await page.evaluate(() => window.__frames), Date.now()];
    await page.waitForTimeout(measure);
    const [e1, f1, t1] = [await epoch(), await page.evaluate(() => window.__frames), Date.now()];
    rates.push({ epochsPerSec: (e1 - e0) / ((t1 - t0) / 1000), fps: (f1 - f0) / ((t1 - t0) / 1000) });
    await page.close();
  }
  rates.sort((a, b) => a.epochsPerSec - b.epochsPerSec);
  out[name] = { median: rates[rates.length >> 1], runs: rates };
}
console.log(JSON.stringify(out, null, 1));
if (h.errors.length) console.log(h.errors);
await h.stop();
