// What used to kill or freeze the page, and the numerical rules every engine follows, in the release build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, value, fill, shot } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors, [], 'no page errors or console errors (a panic or a stack overflow shows up here)');
});

test('a pasted 100 000-term program gets a clear message, and the page keeps working', async () => {
  for (const route of ['#/grad', '#/numeric', '#/symbolic', '#/graph']) {
    const page = await h.open(route);
    await fill(page, 'program-input', 'x' + ' + x'.repeat(100000));
    const err = page.locator('[data-testid="program-error"]');
    await err.waitFor();
    const text = await err.textContent();
    assert.match(text, /line 1, column \d+/, `${route}: the error says where`);
    assert.match(text, /more than 1,000 operations in a row/, `${route}: and what`);
    // Still alive: a new program computes.
    await fill(page, 'program-input', 'x * x');
    assert.equal(await page.locator('[data-testid="program-error"]').count(), 0, `${route} recovers`);
    if (route === '#/grad') {
      await fill(page, 'input-x', '3');
      assert.equal(await value(page, 'result-grad-x'), '6');
      await shot(page, 'grad-after-huge-program');
    }
    await page.close();
  }
});

test('programs at the depth limits compute in every chapter (the 8 MiB stack holds them)', async () => {
  const chain = 'x' + ' + x'.repeat(999);
  const nested = 'sin('.repeat(100) + 'x' + ')'.repeat(100);
  for (const route of ['#/grad', '#/numeric', '#/symbolic', '#/graph']) {
    const page = await h.open(route);
    for (const src of [chain, nested]) {
      await fill(page, 'program-input', src);
      assert.equal(await page.locator('[data-testid="program-error"]').count(), 0, `${route}: ${src.slice(0, 12)}…`);
    }
    if (route === '#/grad') {
      await fill(page, 'program-input', chain);
      await fill(page, 'input-x', '0.5');
      assert.equal(await value(page, 'result-value'), '500');
      assert.equal(await value(page, 'result-grad-x'), '1000');
    }
    await page.close();
  }
});

test('programs that froze the page answer with a message', async () => {
  const page = await h.open('#/grad');
  const cases = [
    ['def f(x):\n  for k in range(2**62):\n    import math\n  return x\n', /repeat/],
    ['def f(x):\n  for i in range(3000):\n    for j in range(3000):\n      k = i + j\n  return x\n', /statements/],
  ];
  for (const [src, msg] of cases) {
    await fill(page, 'program-input', src);
    assert.match(await page.locator('[data-testid="program-error"]').textContent(), msg, src);
  }
  // A slice step near 2⁶³ once overflowed the index (a panic): Python's answer is [x].
  await fill(page, 'program-input', '[x,x][1::9223372036854775807]');
  await fill(page, 'input-x', '1.5');
  assert.equal(await value(page, 'result-value'), '1.5');
  assert.equal(await value(page, 'result-grad-x'), '1');
  // Lists that double share their halves: instant.
  await fill(page, 'program-input', 'def f(x):\n  a = [x]\n  for i in range(40):\n    a = [a, a]\n  return x * len(a)\n');
  await fill(page, 'input-x', '1.5');
  assert.equal(await value(page, 'result-value'), '3');
  await page.close();
});

test('derivatives beyond the largest f64 read −∞ in every mode, and the page says where they overflowed', async () => {
  const src = 'def f(x, n=1100):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n';
  const page = await h.open('#/grad?f=' + encodeURIComponent(src) + '&in.x=0.25');
  assert.equal(await value(page, 'result-value'), '0.75');
  assert.equal(await value(page, 'result-grad-x'), '-inf');
  assert.equal(await value(page, 'result-fwd-x'), '-inf');
  assert.match(await page.locator('[data-testid="derivative-note"]').textContent(), /first overflows at v\d+/);
  // f″ overflows too: −∞ by nested AD, as Taylor mode says; differences of an infinite gradient are not compared.
  assert.equal(await value(page, 'hess-x-x'), '-inf');
  assert.match(await page.locator('[data-testid="hessian-check"]').textContent(), /agrees to the last bit.*cannot check it: differences of a NaN or infinite gradient mean nothing/);
  await shot(page, 'grad-overflow');
  await page.close();
});

test('a zero tangent contributes nothing: ∂/∂x of x + √y at (1, 0) is 1, forward and reverse, in the graph lab', async () => {
  const page = await h.open('#/graph?f=' + encodeURIComponent('x + sqrt(y)') + '&in.x=1&in.y=0&mode=forward&wrt=x&step=99');
  const out = await page.locator('[data-testid="trace-table"] tr[data-node="v2"] td[data-col="tangent"] [data-value]').getAttribute('data-value');
  assert.equal(out, '1');
  assert.equal(await page.locator('[data-testid="code-check"]').getAttribute('data-match'), 'true');
  await page.goto(h.site.url + '#/graph?f=' + encodeURIComponent('x + sqrt(y)') + '&in.x=1&in.y=0&mode=reverse&step=99');
  await page.waitForSelector('[data-testid="trace-table"]');
  const adj = (node) => page.locator(`[data-testid="trace-table"] tr[data-node="${node}"] td[data-col="adjoint"] [data-value]`).getAttribute('data-value');
  assert.equal(await adj('x'), '1');
  assert.equal(await adj('y'), 'inf');
  await page.close();
});

test('a generated program that differs only by 0·∞ says so', async () => {
  // ∂/∂p of x**p at (0, 2): AD says 0 (the local derivative log(0)·0 has a zero factor); plain arithmetic says NaN.
  const src = 'def f(x, p=2.0):\n  return x ** p\n';
  const page = await h.open('#/graph?f=' + encodeURIComponent(src) + '&in.x=0&in.p=2&mode=forward&wrt=p');
  const check = page.locator('[data-testid="code-check"]');
  assert.equal(await check.getAttribute('data-match'), 'false');
  assert.equal(await check.getAttribute('data-zero-times-infinity'), 'true');
  assert.match(await check.textContent(), /0·∞ = NaN/);
  await page.close();
});
