// #/chain — Example 0: the product of Jacobians in both orders, its costs, and both modes run on the AD core.
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

test('the lecture example: 1000 → 100 → 10 → 1 costs 1,010,000 forward and 101,000 reverse; both modes agree', async () => {
  const page = await h.open('#/chain');
  assert.equal(await value(page, 'cost-forward'), '1010000');
  assert.equal(await value(page, 'cost-reverse'), '101000');
  assert.equal(await value(page, 'cost-optimal'), '101000');
  assert.equal((await text(page, 'cost-optimal-order')).trim(), '(J₂·J₁)·J₀');
  const agree = Number(await value(page, 'chain-agree'));
  assert.ok(agree >= 0 && agree < 1e-12, `forward and reverse agree: ${agree}`);
  assert.ok(Number(await value(page, 'chain-time-forward')) > 0, 'the 1000 JVPs are timed');
  // Step through forward mode: J₁·J₀ first, then J₂·(J₁J₀).
  assert.equal((await text(page, 'step-counter')).trim(), '0 / 2');
  await page.click('[data-testid="step-next"]');
  assert.match(await text(page, 'chain-caption'), /J₁ · J₀ — \(10×100\)·\(100×1000\): 1,000,000 multiplications/);
  await page.click('[data-testid="step-next"]');
  assert.match(await text(page, 'chain-caption'), /1,010,000 of 1,010,000/);
  assert.equal(await page.locator('[data-testid="chain-block"]').count(), 1);
  // Reverse mode from the left.
  await page.click('[data-testid="chain-order-reverse"]');
  await page.keyboard.press('ArrowRight');
  assert.match(await text(page, 'chain-caption'), /J₂ · J₁ — \(1×10\)·\(10×100\): 1,000 multiplications/);
  await shot(page, 'chain');
  // The other way round: forward mode wins.
  await fill(page, 'chain-sizes', '1 → 10 → 100 → 1000');
  assert.equal(await value(page, 'cost-forward'), '101000');
  assert.equal(await value(page, 'cost-reverse'), '1010000');
  assert.equal((await text(page, 'cost-optimal-order')).trim(), 'J₂·(J₁·J₀)');
  // A large chain runs on request: 1 JVP against 1000 VJPs.
  assert.match(await text(page, 'chain-run'), /Run both \(101,111,010 multiplications\)/);
  await page.click('[data-testid="chain-run"]');
  assert.ok(Number(await value(page, 'chain-agree')) < 1e-12);
  await page.close();
});

test('a chain where neither mode is cheapest, from a permalink', async () => {
  const page = await h.open('#/chain?sizes=10,1000,1,1000,10&mode=optimal&step=1');
  assert.equal(await value(page, 'cost-forward'), '120000');
  assert.equal(await value(page, 'cost-reverse'), '120000');
  assert.equal(await value(page, 'cost-optimal'), '20100');
  assert.equal((await text(page, 'cost-optimal-order')).trim(), '(J₃·J₂)·(J₁·J₀)');
  assert.equal((await text(page, 'step-counter')).trim(), '1 / 3');
  await shot(page, 'chain-optimal');
  await page.close();
});

test('bad sizes get a message and the page keeps working', async () => {
  const page = await h.open('#/chain');
  const cases = [['', /at least two sizes/], ['0, 1', /at least 1/], ['1000000000, 1', /at most 5,000/],
    ['abc, 2', /“abc”/], ['5000, 5000, 5000', /weights/], ['1,2,3,4,5,6,7,8,9,10,11,12', /at most 11 sizes/]];
  for (const [t, msg] of cases) {
    await fill(page, 'chain-sizes', t);
    assert.match(await text(page, 'chain-sizes-error'), msg, t);
    assert.equal(await value(page, 'cost-forward'), '1010000', 'the last good chain stays');
  }
  await fill(page, 'chain-sizes', '3, 2');
  assert.equal(await page.locator('[data-testid="chain-sizes-error"]').count(), 0);
  assert.equal(await value(page, 'cost-forward'), '0');
  const bad = await h.open('#/chain?sizes=zero&mode=sideways&step=9');
  assert.match(await text(bad, 'url-notice'), /sizes=zero/);
  assert.equal(await value(bad, 'cost-forward'), '1010000');
  await bad.close();
  await page.close();
});

test('the chain as a numpy program in the graph lab: a few array operations per map, the cost of each mode', async () => {
  const page = await h.open('#/chain?sizes=6,4,3,1');
  await page.click('[data-testid="chain-graph-link"]');
  await page.waitForSelector('[data-testid="graph-node"][data-shape="6"]');
  assert.equal(await page.locator('[data-testid="program-error"]').count(), 0);
  const n = await page.locator('[data-testid="graph-node"]').count();
  assert.ok(n <= 1 + 5 * 3, `three maps, five nodes each at most (W, b, @, +, tanh): ${n}`);
  // Forward mode needs 6 passes for the whole Jacobian row, reverse mode one.
  assert.match(await page.locator('[data-testid="array-costs"]').textContent(), /6 passes, one per input number/);
  assert.equal(await page.locator('[data-testid="code-check"]').getAttribute('data-match'), 'true');
  // The lecture's sizes: W₁ alone holds 100,000 numbers, so the reverse program is not written out, and it says so.
  await page.goto(h.site.url + '#/chain');
  await page.click('[data-testid="chain-graph-link"]');
  await page.waitForSelector('[data-testid="graph-node"][data-shape="1000"]');
  assert.match(await page.locator('[data-testid="code-check"]').textContent(), /not written out/);
  await page.close();
});
