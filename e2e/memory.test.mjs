// #/memory — checkpointing: schedules stepped through, their counts, and the gradient run bit for bit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, value, fill, shot } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors, [], 'no page errors or console errors (a panic shows up here)');
});

const text = (page, id) => page.locator(`[data-testid="${id}"]`).textContent();

test('the lecture’s counts for n = 100: store x₀ only 4950, binomial with 2 slots 845; the gradient bit for bit', async () => {
  const page = await h.open('#/memory?n=100&c=2&strategy=binomial');
  assert.equal(await value(page, 'ckpt-forward-evals'), '845');
  assert.equal(await value(page, 'ckpt-peak-slots'), '2');
  // The logistic map from 0.25: ∂x₁₀₀/∂x₀ = 2·(−2)⁹⁹ = −2¹⁰⁰, by the checkpointed schedule and by storing everything.
  assert.equal(await value(page, 'ckpt-grad'), '-1267650600228229400000000000000');
  assert.equal(await value(page, 'ckpt-grad-exact'), '-1267650600228229400000000000000');
  const expect = { 'store-input': ['4950', '1'], 'store-all': ['99', '100'], sqrt: ['180', '19'], binomial: ['845', '2'] };
  for (const [strategy, [evals, slots]] of Object.entries(expect)) {
    await page.selectOption('[data-testid="ckpt-strategy"]', strategy);
    assert.equal(await value(page, 'ckpt-forward-evals'), evals, strategy);
    assert.equal(await value(page, 'ckpt-peak-slots'), slots, strategy);
    assert.equal(await value(page, 'ckpt-grad'), await value(page, 'ckpt-grad-exact'), strategy);
  }
  await fill(page, 'ckpt-slots', '3');
  assert.equal(await value(page, 'ckpt-forward-evals'), '490', 'r = 7: 7·100 − C(10, 4)');
  // The other chains: the same bits whichever the schedule.
  for (const example of ['layers', 'descent']) {
    await page.selectOption('[data-testid="ckpt-example"]', example);
    const g = await value(page, 'ckpt-grad');
    assert.ok(Number.isFinite(Number(g)), `${example}: ${g}`);
    assert.equal(g, await value(page, 'ckpt-grad-exact'), example);
  }
  assert.ok(await page.locator('[data-testid="ckpt-plot"]').isVisible());
  await page.close();
});

test('stepping through binomial checkpointing: the counters, the slots, the replays', async () => {
  const page = await h.open('#/memory');
  assert.equal((await text(page, 'step-counter')).trim(), '0 / 39');
  assert.equal(await value(page, 'ckpt-forward-evals'), '45');
  await page.click('[data-testid="step-next"]');
  assert.match(await text(page, 'ckpt-event'), /forward sweep from x0 to x10: 10 forward evaluations, storing x10/);
  for (let i = 1; i < 14; i++) await page.keyboard.press('ArrowRight');
  assert.equal((await text(page, 'step-counter')).trim(), '14 / 39');
  assert.match(await text(page, 'ckpt-event'), /the adjoint of step 14/);
  const main = await page.locator('main').textContent();
  assert.match(main, /forward evaluations so far28/);
  assert.match(main, /adjoint steps done6 of 20/);
  assert.equal(await page.locator('[data-testid="ckpt-timeline"] rect.held').count(), 3);
  assert.equal(await page.locator('[data-testid="ckpt-timeline"] rect.adj').count(), 7);
  await shot(page, 'memory');
  await page.keyboard.press('End');
  assert.equal((await text(page, 'step-counter')).trim(), '39 / 39');
  assert.match(await page.locator('main').textContent(), /adjoint steps done20 of 20/);
  // A permalink restores the chain, the strategy and the step.
  const link = await h.open('#/memory?example=layers&n=50&c=4&strategy=sqrt&step=10');
  assert.equal(await link.locator('[data-testid="ckpt-strategy"]').inputValue(), 'sqrt');
  assert.equal(await link.locator('[data-testid="ckpt-example"]').inputValue(), 'layers');
  assert.equal(await link.locator('[data-testid="ckpt-n"]').inputValue(), '50');
  assert.match(await text(link, 'step-counter'), /^10 \//);
  await shot(link, 'memory-sqrt');
  await link.close();
  await page.close();
});

test('n = 10 000 is counted (not drawn); bad input gets a message and the page keeps working', async () => {
  const page = await h.open('#/memory?n=10000&c=1&strategy=store-input');
  assert.equal(await value(page, 'ckpt-forward-evals'), '49995000');
  assert.match(await text(page, 'ckpt-timeline'), /drawn for n ≤ 200/);
  assert.match(await page.locator('main').textContent(), /not run for this schedule/);
  await fill(page, 'ckpt-slots', '10');
  assert.equal(await value(page, 'ckpt-forward-evals'), '49995000', 'store-input ignores c');
  await page.selectOption('[data-testid="ckpt-strategy"]', 'binomial');
  assert.equal(await value(page, 'ckpt-peak-slots'), '10');
  assert.equal(await value(page, 'ckpt-grad'), await value(page, 'ckpt-grad-exact'));
  const cases = [['ckpt-slots', '0', /at least 1/], ['ckpt-n', '1000000000', /at most 10,000/],
    ['ckpt-n', 'ten', /n/], ['ckpt-slots', '2.5', /whole/]];
  for (const [id, t, msg] of cases) {
    await fill(page, id, t);
    assert.match(await text(page, `${id}-error`), msg, `${id} = ${t}`);
    assert.equal(await value(page, 'ckpt-peak-slots'), '10', 'the last good values stay');
    await fill(page, id, id === 'ckpt-n' ? '10000' : '10');
  }
  await fill(page, 'ckpt-n', '20');
  await fill(page, 'ckpt-slots', '30');
  assert.match(await text(page, 'ckpt-slots-note'), /more than/);
  assert.equal(await value(page, 'ckpt-peak-slots'), '20');
  const bad = await h.open('#/memory?n=x&c=0&strategy=lazy&step=99999');
  assert.match(await text(bad, 'url-notice'), /strategy=lazy/);
  assert.equal(await value(bad, 'ckpt-forward-evals'), '45');
  await bad.close();
  await page.close();
});
