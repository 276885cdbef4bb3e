// An independent audit's crashes and freezes (part 3), on the release build: each answers in the page, which keeps
// working. The numbers themselves are checked natively in tests/audit.rs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, value, fill } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors, [], 'no page errors or console errors (a panic or a stack overflow shows up here)');
});

/** The longest gap between animation frames over `ms` (a frozen main thread shows as one long gap). */
async function longestFrameGap(page, ms) {
  return page.evaluate((ms) => new Promise((resolve) => {
    let last = performance.now();
    let worst = 0;
    const end = last + ms;
    const tick = (t) => {
      worst = Math.max(worst, t - last);
      last = t;
      if (t < end) requestAnimationFrame(tick); else resolve(worst);
    };
    requestAnimationFrame(tick);
  }), ms);
}

test('100 KB of subscripts, slices or calls in a row: a clear message, and the page keeps working', async () => {
  const sources = [
    'x' + '[0]'.repeat(15000),
    '[x]' + '[0:1]'.repeat(20000) + '[0]',
  ];
  for (const route of ['#/graph', '#/symbolic', '#/grad']) {
    const page = await h.open(route);
    for (const src of sources) {
      await fill(page, 'program-input', src);
      const err = page.locator('[data-testid="program-error"]');
      await err.waitFor();
      assert.match(await err.textContent(), /operations in a row/, `${route}: ${src.slice(0, 8)}…`);
    }
    await fill(page, 'program-input', 'x * x');
    assert.equal(await page.locator('[data-testid="program-error"]').count(), 0, `${route} recovers`);
    await page.close();
  }
});

test('a link to epoch 20 000 of a deep, thin network replays without freezing the tab', async () => {
  const page = await h.open('#/network?preset=custom&layers=1,1,1,1,1,1,1,1&batch=1&epoch=20000');
  // The link asks for more than these settings train to: it says so, and replays up to the last epoch.
  await page.waitForSelector('[data-testid="url-notice"]');
  const gap = await longestFrameGap(page, 600);
  assert.ok(gap < 250, `the longest frame while replaying took ${gap.toFixed(0)} ms`);
  await page.waitForSelector('[data-testid="nn-epoch"]', { timeout: 30000 });
  const [epoch, max] = (await page.locator('[data-testid="nn-epoch"]').textContent()).split('/').map((s) => Number(s.trim().replace(/,/g, '')));
  assert.equal(epoch, max, 'replayed to the last epoch');
  assert.ok(max < 1000, `${max}: each step's fixed cost is priced`);
  await page.close();
});

test('the symbolic chapter survives a formula whose size passes 2⁶⁴; a 6 000-target tuple generates its code', async () => {
  const page = await h.open('#/symbolic');
  await fill(page, 'program-input', 'def f(t):\n  for j in range(4):\n    t = -3 ** t\n    for k in range(7):\n      t *= 1 + tanh(t)\n  return t\n');
  assert.equal(await page.locator('[data-testid="program-error"]').count(), 0);
  await page.close();
  const n = 6000;
  const tuple = `def f(x):\n  ${Array.from({ length: n }, (_, i) => `a${i}`).join(', ')} = ${Array.from({ length: n }, (_, i) => `x*${i}`).join(', ')}\n  return a1 + a${n - 1}\n`;
  const graph = await h.open('#/graph');
  await fill(graph, 'program-input', tuple);
  await graph.waitForSelector('[data-testid="code-check"][data-match="true"]', { timeout: 20000 });
  await graph.close();
});

test('a list changed through a second name is refused with the reason; a copy works', async () => {
  const page = await h.open('#/grad');
  await fill(page, 'program-input', 'def f(x):\n  m = [x]\n  a = m\n  a.append(2 * x)\n  return m[-1]\n');
  const err = page.locator('[data-testid="program-error"]');
  await err.waitFor();
  assert.match(await err.textContent(), /line 4, column \d+/);
  assert.match(await err.textContent(), /also held elsewhere.*list\(a\)/s);
  await fill(page, 'program-input', 'def f(x):\n  m = [x]\n  a = list(m)\n  a.append(2 * x)\n  return a[-1]\n');
  await fill(page, 'input-x', '1.5');
  assert.equal(await value(page, 'result-value'), '3');
  assert.equal(await value(page, 'result-grad-x'), '2');
  await page.close();
});

test('Python a student types: abs, max, min, booleans, list joins; the kink convention is on the page; a generated program has no dead term', async () => {
  const page = await h.open('#/grad');
  // The editor says what can be written, with the derivative convention at kinks.
  const help = page.locator('[data-testid="language-help"]');
  await help.locator('summary').click();
  assert.match(await help.textContent(), /abs max min/);
  assert.match(await help.textContent(), /a tie\s+goes to the first/);
  await fill(page, 'program-input', 'def f(x, y):\n  m = [x] + [y] * 2\n  return max(m) * min(x, y) + abs(x - 3) * True\n');
  await fill(page, 'input-x', '1.5');
  await fill(page, 'input-y', '2');
  // max([1.5, 2, 2]) · min(1.5, 2) + |1.5 − 3| = 2·1.5 + 1.5
  assert.equal(await value(page, 'result-value'), '4.5');
  assert.equal(await value(page, 'result-grad-x'), '1');
  assert.equal(await value(page, 'result-grad-y'), '1.5');
  assert.equal(await value(page, 'result-fwd-x'), '1');
  await fill(page, 'program-input', 'def f(x):\n  a, (b, c) = x, (x, 2)\n  return a\n');
  const err = page.locator('[data-testid="program-error"]');
  await err.waitFor();
  assert.match(await err.textContent(), /line 2, column \d+.*two steps/s);
  await page.close();
  // A variable overwritten by a constant: the forward program writes no term through it, and agrees (0, not NaN).
  const graph = await h.open('#/graph?f=' + encodeURIComponent('def f(x):\n  x = -2.0\n  return x ** x\n') + '&in.x=1.5');
  await graph.waitForSelector('[data-testid="code-check"][data-match="true"]');
  assert.doesNotMatch(await graph.locator('[data-testid="code-view"]').textContent(), /log/);
  await graph.close();
});

test('a step so large that the descent overflows says why AD reads NaN there', async () => {
  const page = await h.open('#/learn?problem=diabetes&rho=1e300');
  const why = page.locator('[data-part="why"]');
  await why.waitFor();
  assert.match(await why.textContent(), /overflows f64 within T steps/);
  assert.equal(await value(page, 'learn-loss'), 'NaN');
  await page.close();
});
