// #/learn (Example 2: the step size learned through gradient descent) and #/hyper (Example 3: the ridge penalty by
// hypergradient), on the diabetes data.
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
const hash = (page) => page.evaluate(() => location.hash);
/** Waits until a hook's data-value satisfies `ok` (polling), returns it. */
async function until(page, id, ok, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await value(page, id);
    if (v !== null && ok(v)) return v;
    if (Date.now() > end) throw new Error(`${id} stayed at ${v}`);
    await page.waitForTimeout(100);
  }
}

test('#/learn, the toy problem: L(ρ) and dL/dρ three ways, the meta-iterates moving, the stability limit', async () => {
  const page = await h.open('#/learn');
  assert.equal(await value(page, 'learn-loss'), '0.33438044662985067');
  assert.equal(await value(page, 'learn-grad-reverse'), '-6.9564414304747775');
  assert.equal(await value(page, 'learn-grad-forward'), '-6.956441430474778');
  assert.equal(await value(page, 'learn-grad-exact'), '-6.956441430474776');
  assert.equal(await value(page, 'learn-stability'), '0.2');
  assert.equal(await value(page, 'learn-memory-reverse'), '330');
  assert.equal(await value(page, 'learn-memory-forward'), '4');
  assert.ok(await page.locator('[data-testid="learn-plot"]').isVisible());
  assert.ok(await page.locator('[data-testid="learn-path"]').isVisible(), 'the descent path on the level sets');
  // Three meta-steps ρ ← ρ − η·dL/dρ with η = 0.01.
  assert.equal(await value(page, 'learn-meta-rho'), '0.02');
  for (let i = 0; i < 3; i++) await page.click('[data-testid="learn-meta-step"]');
  assert.equal(await value(page, 'learn-meta-rho'), '0.11818129200447024');
  await page.waitForFunction(() => location.hash.includes('meta=3'));
  // Play moves them on until paused.
  await page.click('[data-testid="learn-meta-play"]');
  assert.equal(await page.locator('[data-testid="learn-meta-play"]').getAttribute('aria-pressed'), 'true');
  await until(page, 'learn-meta-rho', (v) => Number(v) > 0.15);
  await page.click('[data-testid="learn-meta-play"]');
  assert.equal(await page.locator('[data-testid="learn-meta-play"]').getAttribute('aria-pressed'), 'false');
  const paused = await value(page, 'learn-meta-rho');
  await page.waitForTimeout(400);
  assert.equal(await value(page, 'learn-meta-rho'), paused, 'pause stops the meta-descent');
  await shot(page, 'learn');
  // The best step for the toy problem is 2/11 whatever T: the hypergradient vanishes there.
  await fill(page, 'learn-rho', String(2 / 11));
  for (const id of ['learn-grad-reverse', 'learn-grad-forward', 'learn-grad-exact']) {
    assert.ok(Math.abs(Number(await value(page, id))) < 1e-12, id);
  }
  // Past the stability limit 2/a_max = 0.2, L and its hypergradient explode.
  await fill(page, 'learn-rho', '0.25');
  assert.match(await page.locator('main').textContent(), /past the stability limit/);
  assert.ok(Number(await value(page, 'learn-loss')) > 100, 'L = ½·1.5²⁰/10 + … ≈ 166');
  await page.close();
});

test('#/learn on the diabetes data, from a permalink; the graph-lab link', async () => {
  const page = await h.open('#/learn?problem=diabetes');
  assert.equal(await page.locator('[data-testid="learn-problem"]').inputValue(), 'diabetes');
  assert.equal(await value(page, 'learn-loss'), '209309.42155519756');
  assert.equal(await value(page, 'learn-grad-reverse'), '-150.99713975826134');
  assert.equal(await value(page, 'learn-grad-forward'), '-150.99713975825944');
  assert.equal(await value(page, 'learn-grad-exact'), '-150.99713975826015');
  assert.equal(await value(page, 'learn-stability'), '0.0032534972718730867');
  assert.equal(await value(page, 'learn-memory-forward'), '20');
  await shot(page, 'learn-diabetes');
  const link = await h.open('#/learn?problem=diabetes&rho=0.003&T=200&eta=1e-6&meta=2');
  assert.equal(await page.locator('[data-testid="learn-rho"]').inputValue(), '0.002');
  assert.equal(await link.locator('[data-testid="learn-rho"]').inputValue(), '0.003');
  assert.equal(await link.locator('[data-testid="learn-T"]').inputValue(), '200');
  assert.equal(await link.locator('[data-testid="learn-eta"]').inputValue(), '1e-6');
  assert.ok(Number(await value(link, 'learn-meta-rho')) !== 0.003, 'two meta-steps taken');
  await link.close();
  // The toy problem in the graph lab, for a few steps.
  await page.selectOption('[data-testid="learn-problem"]', 'toy');
  await page.click('[data-testid="learn-graph-link"]');
  await page.waitForSelector('[data-testid="graph"]');
  assert.equal(await page.locator('[data-testid="program-error"]').count(), 0);
  assert.ok(await page.locator('[data-testid="graph-node"]').count() > 20);
  await page.close();
});

test('#/learn: bad input gets a message and the last good values stay', async () => {
  const page = await h.open('#/learn');
  const cases = [['learn-rho', '0', /positive/], ['learn-rho', 'NaN', /ρ/], ['learn-rho', '-1', /positive/],
    ['learn-T', '1000000000', /at most 5,000/], ['learn-T', '2.5', /whole/], ['learn-eta', 'abc', /η/]];
  for (const [id, t, msg] of cases) {
    await fill(page, id, t);
    assert.match(await text(page, `${id}-error`), msg, `${id} = ${t}`);
    assert.equal(await value(page, 'learn-loss'), '0.33438044662985067', 'the last good values stay');
    await fill(page, id, id === 'learn-rho' ? '0.02' : id === 'learn-T' ? '10' : '0.01');
  }
  const bad = await h.open('#/learn?problem=cubic&rho=-3&T=1e9&meta=x');
  assert.match(await text(bad, 'url-notice'), /problem=cubic/);
  assert.equal(await value(bad, 'learn-loss'), '0.33438044662985067');
  await bad.close();
  await page.close();
});

test('#/hyper: V(λ) and dV/dλ implicit, unrolled and by differences; grid against descent; the test set', async () => {
  const page = await h.open('#/hyper');
  assert.equal(await value(page, 'hyper-val-loss'), '248603.66547365155');
  assert.equal(await value(page, 'hyper-grad-implicit'), '-613.3142512066648');
  assert.equal(await value(page, 'hyper-grad-unrolled'), '-420.1857496497225');
  assert.equal(await value(page, 'hyper-grad-fd'), '-613.3142521139234');
  assert.equal(await value(page, 'hyper-grid-best'), '10');
  assert.equal(await value(page, 'hyper-grid-loss'), '245340.42385953237');
  assert.equal(await value(page, 'hyper-val-mse'), '3416.9511003825223');
  assert.equal(await value(page, 'hyper-test-mse'), '2965.0308793592403');
  assert.ok(await page.locator('[data-testid="hyper-plot"]').isVisible());
  // Unrolled gradient descent converges to the implicit hypergradient as T grows.
  await fill(page, 'hyper-T', '5000');
  const unrolled = Number(await value(page, 'hyper-grad-unrolled'));
  assert.ok(Math.abs(unrolled / -613.3142512066648 - 1) < 1e-6, `T = 5000: ${unrolled}`);
  // Play: hypergradient descent from λ = 1 reaches λ* ≈ 35.28997 to five digits in a few seconds.
  const t0 = Date.now();
  await page.click('[data-testid="hyper-play"]');
  await until(page, 'hyper-opt-lambda', (v) => Math.abs(Number(v) - 35.28997) < 5e-4, 8000);
  await page.click('[data-testid="hyper-play"]');
  assert.ok(Date.now() - t0 < 8000);
  assert.ok(Number(await value(page, 'hyper-opt-loss')) < 245340.42385953237, 'below the grid’s best');
  assert.ok(Number(await value(page, 'hyper-solves')) < 100);
  await shot(page, 'hyper');
  await page.close();
});

test('#/hyper: one λ per feature beats the best single λ; permalinks and bad input', async () => {
  const page = await h.open('#/hyper?mode=per-feature&k=10');
  assert.equal(await page.locator('[data-testid="hyper-mode"]').inputValue(), 'per-feature');
  assert.match(await page.locator('main').textContent(), /k¹⁰ = 10,000,000,000 solves/);
  await page.click('[data-testid="hyper-play"]');
  // Within ~10 s, V within 0.2 % of the per-feature optimum (229,473.78 after 5,000 steps).
  await until(page, 'hyper-opt-loss', (v) => Number(v) < 229473.7796065868 * 1.002, 12000);
  await page.click('[data-testid="hyper-play"]');
  assert.ok(Number(await value(page, 'hyper-opt-loss')) < 242562.87, 'below the best single λ');
  for (const f of ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6']) {
    assert.ok(Number(await value(page, `hyper-opt-lambda-${f}`)) > 0, f);
  }
  await shot(page, 'hyper-per-feature');
  await page.close();

  const link = await h.open('#/hyper?lambda=35.29&T=1000&k=20&mode=single&steps=5');
  assert.equal(await link.locator('[data-testid="hyper-lambda"]').inputValue(), '35.29');
  assert.equal(await link.locator('[data-testid="hyper-T"]').inputValue(), '1000');
  assert.equal(await link.locator('[data-testid="hyper-grid-k"]').inputValue(), '20');
  assert.ok(Math.abs(Number(await value(link, 'hyper-grad-implicit'))) < 1e-2, 'λ* is where dV/dλ vanishes');
  const cases = [['hyper-lambda', '-1', /positive/], ['hyper-lambda', '0', /least squares/],
    ['hyper-lambda', 'NaN', /positive number/], ['hyper-grid-k', '0', /at least 1/],
    ['hyper-T', '1000000000', /at most 5,000/], ['hyper-grid-k', 'ten', /k/]];
  for (const [id, t, msg] of cases) {
    await fill(link, id, t);
    assert.match(await text(link, `${id}-error`), msg, `${id} = ${t}`);
  }
  assert.equal(await link.locator('[data-testid="hyper-val-loss"]').count(), 1, 'the page keeps working');
  const bad = await h.open('#/hyper?lambda=-2&mode=all&steps=99999999');
  assert.match(await text(bad, 'url-notice'), /mode=all/);
  assert.equal(await value(bad, 'hyper-val-loss'), '248603.66547365155');
  await bad.close();
  await link.close();
});

test('#/learn and #/hyper as numpy programs: the array engine agrees with the chapter, and the graph lab and “What is AD?” read them', async () => {
  const page = await h.open('#/learn?problem=diabetes');
  assert.match(await text(page, 'learn-program'), /X, y = load_diabetes\(return_X_y=True, scaled=False\)/);
  assert.match(await text(page, 'learn-program'), /def L\(rho=0\.002, T=100\):/);
  // L and dL/dρ on the array engine (the data, not the quadratic): the tape's, to rounding.
  assert.ok(Number(await value(page, 'learn-program-agree')) < 1e-11);
  assert.equal(await value(page, 'learn-program-loss'), '209309.4215551978');
  // A meta-step moves ρ: the same traced graph runs again at the new ρ.
  await page.click('[data-testid="learn-meta-step"]');
  await until(page, 'learn-program-loss', (v) => v !== '209309.4215551978');
  assert.ok(Number(await value(page, 'learn-program-agree')) < 1e-11);
  // “What is AD?” traces the same program at the print line's point: the same numbers, to the bit.
  const grad = await h.open(await page.locator('[data-testid="learn-program-grad-link"]').getAttribute('href'));
  assert.equal(await value(grad, 'result-value'), await value(page, 'learn-program-loss'));
  assert.equal(await value(grad, 'result-grad-rho'), await value(page, 'learn-program-grad'));
  await grad.close();
  // The graph lab: ten steps of descent as array operations, stepped backwards.
  await page.click('[data-testid="learn-program-graph-link"]');
  await page.waitForSelector('[data-testid="graph-node"][data-shape="150x10"]');
  assert.equal(await page.locator('[data-testid="program-error"]').count(), 0);
  const n = await page.locator('[data-testid="graph-node"]').count();
  assert.ok(n > 70 && n < 100, `ten steps of a few array operations each: ${n} nodes`);
  await page.keyboard.press('End');
  await shot(page, 'learn-program-graph');
  await page.close();

  const hyper = await h.open('#/hyper');
  assert.match(await text(hyper, 'hyper-program'), /np\.linalg\.solve\(Xt\.T @ Xt \+ lam \* np\.eye\(10\), Xt\.T @ yt\)/);
  assert.ok(Number(await value(hyper, 'hyper-program-agree')) < 1e-12, 'V and the implicit dV/dλ, through the solve');
  await hyper.selectOption('[data-testid="hyper-mode"]', 'per-feature');
  await until(hyper, 'hyper-program-loss', () => true);
  assert.match(await text(hyper, 'hyper-program'), /def V\(lam=np\.full\(10, 1\.0\)\)/);
  assert.ok(Number(await value(hyper, 'hyper-program-agree')) < 1e-12, 'ten λ: the gradient sums to the single one');
  const g = await h.open(await hyper.locator('[data-testid="hyper-program-grad-link"]').getAttribute('href'));
  assert.equal(JSON.parse(await g.locator('[data-testid="result-grad-lam"]').getAttribute('data-value')).length, 10);
  await g.close();
  await shot(hyper, 'hyper-program');
  await hyper.close();
});
