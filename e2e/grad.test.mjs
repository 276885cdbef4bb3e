// #/grad on the release build: examples, typing, permalinks, errors — read through the contract's hooks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, value, fill, typeKeys, shot, axe } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors, [], 'no page errors or console errors (a panic shows up here)');
});

async function pick(page, title) {
  await page.locator('[data-testid="example-picker"]').selectOption({ label: title });
}

test('the contents page lists the chapters in order', async () => {
  const page = await h.open('#/');
  const links = await page.locator('.toc a').allTextContents();
  assert.ok(links.includes('What is automatic differentiation?'), links.join());
  await shot(page, 'contents');
  await page.close();
});

test('each lecture example gives the lecture numbers', async () => {
  const page = await h.open('#/grad');
  await pick(page, 'x ** 2 (the first slide)');
  assert.equal(await value(page, 'result-value'), '1');
  assert.equal(await value(page, 'result-grad-x'), '2');
  assert.equal(await value(page, 'result-fwd-x'), '2');

  await pick(page, 'log(1 + x²) / x');
  assert.equal(await value(page, 'result-value'), '0.6931471805599453');
  assert.equal(await value(page, 'result-grad-x'), '0.3068528194400547');
  assert.equal(await value(page, 'result-fwd-x'), '0.3068528194400547');

  await pick(page, 'logistic map, n = 4');
  assert.equal(await value(page, 'input-x') ?? await page.locator('[data-testid="input-x"]').inputValue(), '0.25');
  assert.equal(await value(page, 'result-value'), '0.75');
  assert.equal(await value(page, 'result-grad-x'), '-16');
  assert.equal(await value(page, 'result-fwd-x'), '-16');
  await fill(page, 'fd-h', '1e-7');
  const fd = await value(page, 'result-fd-x');
  assert.equal(fd, '-16.000015992112537');
  assert.equal(Number(fd).toFixed(8), '-16.00001599');
  await shot(page, 'grad-logistic');

  await pick(page, 'y · x² (the 2-d example)');
  assert.equal(await value(page, 'result-value'), '1');
  assert.equal(await value(page, 'result-grad-x'), '2');
  assert.equal(await value(page, 'result-grad-y'), '1');
  await page.close();
});

test('typing a program updates the results live', async () => {
  const page = await h.open('#/grad');
  await typeKeys(page, 'program-input', 'sin(x) * y');
  await fill(page, 'input-x', '0');
  await fill(page, 'input-y', '3');
  assert.equal(await value(page, 'result-value'), '0');
  assert.equal(await value(page, 'result-grad-x'), '3');
  assert.equal(await value(page, 'result-grad-y'), '0');
  // The address now holds the state: reloading restores it.
  await page.waitForURL(/in\.y=3/);
  await page.reload();
  await page.waitForSelector('[data-testid="result-value"]');
  assert.equal(await page.locator('[data-testid="program-input"]').inputValue(), 'sin(x) * y');
  assert.equal(await value(page, 'result-grad-x'), '3');
  await page.close();
});

test('a broken program shows line and column and keeps the last result', async () => {
  const page = await h.open('#/grad');
  await pick(page, 'logistic map, n = 4');
  await fill(page, 'program-input', 'def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - \n  return v\n');
  const err = page.locator('[data-testid="program-error"]');
  await err.waitFor();
  assert.match(await err.textContent(), /line 4, column \d+/);
  assert.equal(await value(page, 'result-value'), '0.75', 'the last good result stays');
  await shot(page, 'grad-error');
  await fill(page, 'program-input', 'def f(x):\n  return x + z\n');
  assert.match(await err.textContent(), /line 2, column 14: unknown name `z`/);
  await fill(page, 'program-input', 'def f(x):\n  for i in range(10**9):\n    x = x * 2\n  return x\n');
  assert.match(await err.textContent(), /line 2, column 12: .*1,000,000,000 times/);
  await fill(page, 'program-input', 'log(x)');
  await fill(page, 'input-x', '-1');
  assert.equal(await page.locator('[data-testid="program-error"]').count(), 0);
  assert.equal(await value(page, 'result-value'), 'NaN');
  assert.match(await page.locator('.warning').first().textContent(), /logarithm of a negative number/);
  await fill(page, 'program-input', '1 / x');
  await fill(page, 'input-x', '0');
  assert.equal(await value(page, 'result-value'), 'inf');
  await fill(page, 'fd-h', '0');
  assert.match(await page.locator('.h-field').textContent(), /h must be positive/);
  await page.close();
});

test("the lecture's numpy/autograd code pastes as written: the call after the function is the point", async () => {
  const page = await h.open('#/grad');
  const lecture = 'import numpy as np\nfrom autograd import grad\n\ndef f(x):\n  return np.log(1 + x ** 2) / x\n\n' +
    'g = grad(f)\nprint(g(1.))\n';
  await fill(page, 'program-input', lecture);
  assert.equal(await page.locator('[data-testid="input-x"]').inputValue(), '1');
  assert.equal(await value(page, 'result-value'), '0.6931471805599453');
  assert.equal(await value(page, 'result-grad-x'), '0.3068528194400547');
  await fill(page, 'program-input', lecture.replace('g(1.)', 'g(0.5)'));
  assert.equal(await page.locator('[data-testid="input-x"]').inputValue(), '0.5');
  assert.ok(Math.abs(Number(await value(page, 'result-grad-x')) - (1.6 - 4 * Math.log(1.25))) < 1e-15);
  const atHalf = await value(page, 'result-value');
  // A line that uses a name never defined: line and column, the last result kept.
  await fill(page, 'program-input', lecture.replace('g = grad(f)', 'g = grad(h)'));
  const err = await page.locator('[data-testid="program-error"]').textContent();
  assert.match(err, /line 7, column 10/);
  assert.match(err, /`h` is not defined here/);
  assert.equal(await value(page, 'result-value'), atHalf);
  // The logistic map with the lecture's call after it: `n` and `x` both come from the call.
  await fill(page, 'program-input', 'def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n\n' +
    'g = grad(f)\nprint(g(0.25, n=4))\n');
  assert.equal(await page.locator('[data-testid="input-x"]').inputValue(), '0.25');
  assert.equal(await value(page, 'result-value'), '0.75');
  assert.equal(await value(page, 'result-grad-x'), '-16');
  // A function of an array, called as autograd's users call it: the array in the call is the point, and its field.
  await fill(page, 'program-input', 'import autograd.numpy as np\nfrom autograd import grad\n\ndef f(x):\n  return np.sum(x ** 3)\n\n' +
    'x0 = np.array([2.0, 3.0])\nprint(grad(f)(x0))\n');
  assert.equal(await page.locator('[data-testid="input-x"]').inputValue(), '[2.0, 3.0]');
  assert.equal(await value(page, 'result-value'), '35');
  assert.deepEqual(JSON.parse(await value(page, 'result-grad-x')), [12, 27]);
  // The example "log(1 + x²) / x" is the lecture's slide as written, imports and `g = grad(f)` included.
  await pick(page, 'log(1 + x²) / x');
  assert.match(await page.locator('[data-testid="program-input"]').inputValue(), /g = grad\(f\)/);
  assert.equal(await value(page, 'result-value'), '0.6931471805599453');
  await shot(page, 'grad-lecture-code');
  await page.close();
});

test('numpy programs: gradients in each input\'s shape, autograd\'s numbers, arrays in the fields and the link', async () => {
  const page = await h.open('#/grad');
  await pick(page, "numpy: a tanh layer's least squares");
  const json = async (id) => JSON.parse(await value(page, id));
  const close = (got, want, what) => {
    const flat = (a) => [a].flat(Infinity);
    const [g, w] = [flat(got), flat(want)];
    assert.equal(g.length, w.length, what);
    g.forEach((x, k) => assert.ok(Math.abs(x - w[k]) <= 1e-12 * Math.max(1, Math.abs(w[k])), `${what}[${k}]: ${x} against ${w[k]}`));
  };
  // HIPS autograd 1.9 with numpy 2 on the same program (BLAS's matrix product rounds its own way: 1e-12).
  assert.equal(await page.locator('[data-testid="input-W"]').inputValue(), '[[0.5, -0.3], [0.1, 0.4]]');
  close(Number(await value(page, 'result-value')), 0.5695101809160577, 'f');
  const gW = [[-1.2493508595025191, 1.7442812501976093], [-1.3347697562239114, 2.154345629227549]];
  close(await json('result-grad-W'), gW, 'reverse ∂f/∂W');
  close(await json('result-fwd-W'), gW, 'forward ∂f/∂W');
  close(await json('result-grad-b'), [0.333618262447788, 0.18252720949727774], 'reverse ∂f/∂b');
  assert.equal((await json('result-grad-W')).length, 2, 'in W\'s shape');
  assert.equal((await json('hess-W-W')).length, 4);
  assert.equal((await json('hess-W-b'))[0].length, 2);
  const hWb = await json('hess-W-b');
  const hbW = await json('hess-b-W');
  // Symmetric to rounding: row k is the derivative of the gradient along input number k.
  hWb.forEach((row, i) => close(row, hbW.map((r) => r[i]), `the Hessian's symmetry, row ${i}`));
  await shot(page, 'grad-numpy');
  assert.deepEqual(await axe(page), [], 'numpy results pass axe');
  // The same program, at the same point, in the graph lab: a graph of array operations, in reverse mode.
  const lab = await h.open((await page.locator('[data-testid="grad-graph-link"]').getAttribute('href')));
  await lab.waitForSelector('[data-testid="graph-node"][data-shape="2x2"]');
  assert.equal(await lab.locator('[data-testid="mode-reverse"]').getAttribute('aria-pressed'), 'true');
  await lab.close();
  // Another W typed in its field: traced again there; the link keeps it.
  await fill(page, 'input-W', '[[1, 0], [0, 1]]');
  close(Number(await value(page, 'result-value')), 1.6695879224697112, 'f at W = I');
  close(await json('result-grad-W'), [[-0.509995458029225, 0.04929634779794525], [-2.3649662781123078, 0.8882554945048516]], '∂f/∂W at I');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('in.W=[[1, 0], [0, 1]]'));
  const link = page.url();
  const again = await h.open(link.slice(link.indexOf('#')));
  close(Number(await value(again, 'result-value')), 1.6695879224697112, 'f from the link');
  await again.close();
  // Bad input: a ragged array in a field, shapes numpy cannot broadcast, an array returned.
  await fill(page, 'input-W', '[[1, 0], [0]]');
  assert.match(await page.locator('#input-W-error').textContent(), /rows of different lengths/);
  await fill(page, 'program-input', 'import numpy as np\ndef f(a=np.ones((3, 2)), b=np.ones(3)):\n  return np.sum(a + b)\n');
  assert.match(await page.locator('[data-testid="program-error"]').textContent(),
    /line 3, column \d+: operands could not be broadcast together with shapes \(3,2\) \(3,\)/);
  await fill(page, 'program-input', 'import numpy as np\ndef f(a=np.ones(3)):\n  return a * 2\n');
  assert.match(await page.locator('.results, .warning').first().textContent(), /returns one number; this one returns an array of shape \(3,\)/);
  await page.close();
});

test('a mangled permalink falls back with a notice', async () => {
  const page = await h.open('#/grad?f=x%2&in.x=banana&h=-1');
  const notice = page.locator('[data-testid="url-notice"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /could not be read/);
  assert.equal(await value(page, 'result-value'), '0.75', 'the default example is shown');
  await page.close();
});

test('readable on a phone', async () => {
  const page = await h.open('#/grad', { width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling (overflow ${overflow}px)`);
  await shot(page, 'grad-phone');
  await page.close();
});
