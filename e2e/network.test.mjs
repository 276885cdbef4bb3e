// #/network — Example 1: a network trained live by the array engine; micrograd's recipe reproduced to the last digit.
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
const TFP = 'preset=custom&dataset=circle&layers=4,2&act=tanh&loss=squared&lr=0.03&batch=10&l2=0&seed=1';

test("micrograd's recipe: step 0's loss 1.71150260041876, accuracy 0.24; the gradient check; the memory meter", async () => {
  const page = await h.open('#/network?preset=micrograd');
  assert.equal(await value(page, 'nn-epoch'), '0');
  await page.click('[data-testid="nn-step"]');
  assert.equal(await value(page, 'nn-epoch'), '1');
  const loss = Number(await value(page, 'nn-loss-value'));
  assert.equal(loss.toPrecision(15), '1.71150260041876');
  assert.equal(await value(page, 'nn-accuracy'), '0.24');
  assert.ok(Number(await value(page, 'nn-gradcheck')) < 1e-5, 'reverse mode agrees with central differences');
  assert.ok(Number(await value(page, 'nn-gradcheck-forward')) < 1e-12, 'and with forward mode to rounding');
  // What each operation's VJP reads (the graph lab's "bytes kept"), summed over the objective's graph for a batch of
  // 100: the inputs of the three products, both sides of each relu and of the hinge, the squares of the penalty.
  assert.equal(await value(page, 'nn-tape-bytes'), '89616');
  // A measured time (how it compares is for benchmarks, not tests: a busy machine can invert it): shown, positive.
  const ratio = Number(await value(page, 'nn-cost-ratio'));
  assert.ok(Number.isFinite(ratio) && ratio > 0, `the measured cost of a step against an evaluation is shown (${ratio})`);
  await page.close();
});

test('a link with epoch=k retrains to the same numbers as stepping there by hand', async () => {
  const linked = await h.open('#/network?preset=micrograd&epoch=37');
  assert.equal(await value(linked, 'nn-epoch'), '37');
  const want = [await value(linked, 'nn-loss-value'), await value(linked, 'nn-accuracy')];
  const stepped = await h.open('#/network?preset=micrograd');
  for (let k = 0; k < 36; k++) await stepped.click('[data-testid="nn-step"]');
  await stepped.locator('h1').click();
  await stepped.keyboard.press('ArrowRight'); // the key does the same
  assert.equal(await value(stepped, 'nn-epoch'), '37');
  assert.deepEqual([await value(stepped, 'nn-loss-value'), await value(stepped, 'nn-accuracy')], want);
  // The recipe ends at its 100 steps, with the moons separated.
  await linked.goto(h.site.url + '#/network?preset=micrograd&epoch=100');
  await linked.waitForSelector('[data-testid="nn-epoch"][data-value="100"]');
  assert.equal(await value(linked, 'nn-accuracy'), '1');
  await shot(linked, 'network');
  await linked.close();
  await stepped.close();
});

test('training plays, pauses, and its address reopens at the same state', async () => {
  const page = await h.open('#/network?' + TFP);
  await page.click('[data-testid="nn-play"]');
  await page.waitForTimeout(1200);
  await page.click('[data-testid="nn-play"]');
  const epoch = Number(await value(page, 'nn-epoch'));
  assert.ok(epoch > 20, `epochs trained in 1.2 s: ${epoch}`);
  const loss = await value(page, 'nn-loss-value');
  assert.ok(Number(await value(page, 'nn-test-accuracy')) > 0.8, 'the circle is learnt');
  await page.waitForFunction((e) => location.hash.includes(`epoch=${e}`), epoch);
  const again = await h.open(new URL(page.url()).hash);
  assert.equal(await value(again, 'nn-epoch'), String(epoch));
  assert.equal(await value(again, 'nn-loss-value'), loss);
  await shot(page, 'network-circle');
  await again.close();
  await page.close();
});

test('one example in the graph lab: the same network as a scalar program', async () => {
  const page = await h.open('#/network?preset=micrograd&epoch=3');
  const href = await page.locator('[data-testid="nn-graph-link"]').getAttribute('href');
  await page.click('[data-testid="nn-graph-link"]');
  await page.waitForSelector('[data-testid="code-check"]');
  assert.equal(await page.locator('[data-testid="program-error"]').count(), 0);
  assert.match(href, /^#\/graph\?f=def%20f/);
  assert.equal(await page.locator('[data-testid="code-check"]').getAttribute('data-match'), 'true');
  await page.close();
});

test('the whole objective as a numpy program: a graph of array operations in the graph lab, its gradient on #/grad', async () => {
  const page = await h.open('#/network?preset=micrograd&epoch=3');
  const href = await page.locator('[data-testid="nn-numpy-grad-link"]').getAttribute('href');
  await page.click('[data-testid="nn-numpy-graph-link"]');
  await page.waitForSelector('[data-testid="graph-node"][data-shape="100x16"]');
  assert.equal(await page.locator('[data-testid="program-error"]').count(), 0);
  const n = await page.locator('[data-testid="graph-node"]').count();
  assert.ok(n < 80, `the network's objective is ${n} array operations, not thousands of scalar ones`);
  await shot(page, 'network-numpy-graph');
  const grad = await h.open(href);
  // Training's own objective and gradient, to the bit (checked natively for every activation and loss): here, its shapes.
  assert.ok(Number.isFinite(Number(await grad.locator('[data-testid="result-value"]').getAttribute('data-value'))));
  assert.equal(JSON.parse(await grad.locator('[data-testid="result-grad-W1"]').getAttribute('data-value')).length, 16);
  await grad.close();
  await page.close();
});

test('bad settings get a message and training keeps working', async () => {
  const page = await h.open('#/network?' + TFP);
  const cases = [['nn-layers', Array(100).fill(2).join(','), /100 hidden layers/], ['nn-layers', '1000000', /at most 256/],
    ['nn-lr', 'NaN', /must be a number/], ['nn-lr', '-1', /positive/], ['nn-batch', '0', /at least 1/], ['nn-l2', 'x', /λ must be a number/]];
  for (const [id, t, msg] of cases) {
    await fill(page, id, t);
    assert.match(await text(page, `${id}-error`), msg, `${id}=${t}`);
  }
  await page.click('[data-testid="nn-step"]');
  assert.equal(await value(page, 'nn-epoch'), '1');
  assert.ok(Number.isFinite(Number(await value(page, 'nn-loss-value'))));
  const bad = await h.open('#/network?preset=custom&layers=1e9&lr=NaN&dataset=moon&epoch=x');
  assert.match(await text(bad, 'url-notice'), /dataset=moon/);
  assert.equal(await value(bad, 'nn-epoch'), '0');
  await bad.close();
  await page.close();
});
