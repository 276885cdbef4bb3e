// #/graph on the release build: stepping both modes by buttons and keyboard, permalinks, big graphs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, fill, shot } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors, [], 'no page errors or console errors (a panic shows up here)');
});

/** The data-value of a trace cell, or '' when the cell is empty (not computed yet). */
async function cell(page, node, col) {
  const td = page.locator(`[data-testid="trace-table"] tr[data-node="${node}"] td[data-col="${col}"]`);
  const num = td.locator('[data-value]');
  return (await num.count()) ? num.getAttribute('data-value') : '';
}

/** Waits (up to 5 s) for a trace cell to read `want`, then checks it: for a number a render is about to show. */
async function cellIs(page, node, col, want) {
  await page.waitForFunction(([node, col, want]) => {
    const v = document.querySelector(`[data-testid="trace-table"] tr[data-node="${node}"] td[data-col="${col}"] [data-value]`);
    return (v ? v.dataset.value : '') === want;
  }, [node, col, want], { timeout: 5000 }).catch(() => {});
  assert.equal(await cell(page, node, col), want, `${node} ${col}`);
}

async function counter(page) {
  return (await page.locator('[data-testid="step-counter"]').textContent()).trim();
}

async function activeNode(page) {
  const row = page.locator('[data-testid="trace-table"] tr[aria-current="step"]');
  const node = page.locator('[data-testid="graph"] [data-testid="graph-node"][aria-current="step"]');
  const r = (await row.count()) ? await row.getAttribute('data-node') : null;
  const n = (await node.count()) ? await node.getAttribute('data-node') : null;
  assert.equal(r, n, 'the active row and the active graph node agree');
  return r;
}

const click = (page, id) => page.locator(`[data-testid="${id}"]`).click();

test('forward mode on y·x² at (1, 1), node by node', async () => {
  const page = await h.open('#/graph');
  assert.equal(await page.locator('[data-testid="graph-node"]').count(), 4);
  assert.deepEqual(
    await page.locator('[data-testid="graph-node"]').evaluateAll((els) => els.map((e) => e.dataset.node)),
    ['y', 'x', 'v1', 'v2'],
  );
  await click(page, 'mode-forward');
  await click(page, 'wrt-x');
  assert.equal(await counter(page), '0 / 4');
  assert.equal(await cell(page, 'v1', 'primal'), '');
  // Expected after each step: [node, primal, tangent].
  const steps = [['y', '1', '0'], ['x', '1', '1'], ['v1', '1', '2'], ['v2', '1', '2']];
  for (const [k, [node, primal, tangent]] of steps.entries()) {
    await click(page, 'step-next');
    assert.equal(await counter(page), `${k + 1} / 4`);
    assert.equal(await activeNode(page), node);
    assert.equal(await cell(page, node, 'primal'), primal);
    assert.equal(await cell(page, node, 'tangent'), tangent);
    assert.equal(await cell(page, node, 'adjoint'), '', 'no adjoints in forward mode');
    if (k === 2) await shot(page, 'graph-forward-mid');
  }
  assert.match(await page.locator('[data-testid="step-rule"]').textContent(), /v2 = y·v1 = 1/);
  assert.match(await page.locator('[data-testid="code-view"]').textContent(), /v2, dv2 = y \* v1/);
  await page.close();
});

test('reverse mode stores, then pushes adjoints back', async () => {
  const page = await h.open('#/graph');
  await click(page, 'mode-reverse');
  assert.equal(await counter(page), '0 / 8');
  for (let k = 0; k < 4; k++) await click(page, 'step-next');
  assert.equal(await page.locator('[data-testid="memory-count"]').getAttribute('data-value'), '4');
  for (const n of ['y', 'x', 'v1', 'v2']) assert.equal(await cell(page, n, 'adjoint'), '');
  // Backward sweep: v2 (seed, pushes to y and v1), v1 (pushes to x), x, y.
  const expected = [
    ['v2', { v2: '1', y: '1', v1: '1', x: '' }],
    ['v1', { v2: '1', y: '1', v1: '1', x: '2' }],
    ['x', { x: '2' }],
    ['y', { y: '1' }],
  ];
  for (const [node, adjoints] of expected) {
    await click(page, 'step-next');
    assert.equal(await activeNode(page), node);
    for (const [n, v] of Object.entries(adjoints)) assert.equal(await cell(page, n, 'adjoint'), v, `adjoint of ${n} at ${node}`);
    if (node === 'v2') {
      await shot(page, 'graph-reverse-mid');
      assert.match(await page.locator('[data-testid="step-rule"]').textContent(), /\+= .*= 1/);
    }
  }
  assert.equal(await counter(page), '8 / 8');
  assert.match(await page.locator('[data-testid="code-check"]').textContent(), /the same as the trace/);
  await page.close();
});

test('keyboard: arrows, Home, End, space', async () => {
  const page = await h.open('#/graph');
  await page.locator('h1').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await counter(page), '2 / 4');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await counter(page), '1 / 4');
  await page.keyboard.press('End');
  assert.equal(await counter(page), '4 / 4');
  await page.keyboard.press('Home');
  assert.equal(await counter(page), '0 / 4');
  // Typing in the editor must not step.
  await page.locator('[data-testid="program-input"]').press('ArrowRight');
  assert.equal(await counter(page), '0 / 4');
  // Space plays; at the fastest speed it reaches the end by itself.
  await page.locator('select.speed').selectOption('200');
  await page.locator('h1').click();
  await page.keyboard.press(' ');
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]').textContent.trim() === '4 / 4', null, { timeout: 5000 });
  assert.equal(await page.locator('[data-testid="step-play"]').getAttribute('aria-pressed'), 'false', 'play stops at the end');
  // Space at the end plays again from step 0, and space pauses.
  await page.locator('select.speed').selectOption('2000');
  await page.locator('h1').click();
  await page.keyboard.press(' ');
  assert.equal(await counter(page), '0 / 4');
  assert.equal(await page.locator('[data-testid="step-play"]').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press(' ');
  assert.equal(await page.locator('[data-testid="step-play"]').getAttribute('aria-pressed'), 'false', 'space pauses');
  await page.close();
});

test('a permalink reloads on the same step', async () => {
  const page = await h.open('#/graph');
  await page.locator('[data-testid="example-picker"]').selectOption({ label: 'logistic map, n = 4' });
  await click(page, 'mode-reverse');
  for (let k = 0; k < 17; k++) await click(page, 'step-next');
  // The address follows the state (written once a burst of changes settles).
  await page.waitForURL(/mode=reverse.*step=17/);
  const before = await activeNode(page);
  await page.reload();
  await page.waitForSelector('[data-testid="graph"]');
  assert.equal(await counter(page), '17 / 26');
  assert.equal(await activeNode(page), before);
  assert.equal(await cell(page, 'v9', 'adjoint'), '-2');
  await page.close();
});

test('a mangled permalink falls back with a notice', async () => {
  const page = await h.open('#/graph?f=y%20*%20x**2&mode=sideways&wrt=q&step=banana&in.x=%ZZ');
  const notice = page.locator('[data-testid="url-notice"]');
  await notice.waitFor();
  const text = await notice.textContent();
  assert.match(text, /mode=sideways/);
  assert.match(text, /wrt=q/);
  assert.match(text, /step=banana/);
  assert.equal(await counter(page), '0 / 4');
  await page.close();
});

test('a big graph stays usable: the active node is kept in view', async () => {
  const page = await h.open('#/graph');
  await page.locator('[data-testid="example-picker"]').selectOption({ label: 'logistic map, n = 50 (a big graph)' });
  assert.equal(await page.locator('[data-testid="graph-node"]').count(), 151);
  await page.locator('h1').click();
  await page.keyboard.press('End');
  assert.equal(await counter(page), '151 / 151');
  const visible = await page.evaluate(() => {
    const box = document.querySelector('.graph-scroll').getBoundingClientRect();
    const node = document.querySelector('[data-testid="graph-node"][aria-current="step"] rect').getBoundingClientRect();
    return node.left >= box.left && node.right <= box.right;
  });
  assert.ok(visible, 'the last node was scrolled into view');
  // The table draws the rows around its view once it has scrolled there (a frame later).
  await page.waitForSelector('[data-testid="trace-table"] tr[data-node="v150"] td[data-col="primal"] [data-value]');
  assert.equal(await cell(page, 'v150', 'primal'), '0.75');
  // The trace table draws only the rows in and around its view; spacers keep its height, so it scrolls as a whole.
  const rows = () => page.locator('[data-testid="trace-table"] tbody tr[data-node]').evaluateAll((r) => r.map((e) => e.dataset.node));
  const near = await rows();
  assert.ok(near.includes('v150') && !near.includes('x') && near.length < 60, `rows around the last step: ${near}`);
  const height = await page.evaluate(() => {
    const w = document.querySelector('.trace-wrap');
    return w.scrollHeight / document.querySelector('tbody tr[data-node]').getBoundingClientRect().height;
  });
  assert.ok(height > 150 && height < 156, `the table is as tall as 151 rows (and its header): ${height}`);
  await shot(page, 'graph-logistic-50');
  // Only nodes in and around the view carry their numbers; scrolling back brings the first ones' numbers.
  const primal = (node) => page.locator(`[data-testid="graph-node"][data-node="${node}"] .node-primal`);
  assert.equal(await primal('v150').getAttribute('data-value'), '0.75');
  assert.equal(await primal('x').count(), 0, 'a node far out of view is drawn without its numbers');
  await page.evaluate(() => { document.querySelector('.graph-scroll').scrollLeft = 0; });
  await primal('x').waitFor();
  assert.equal(await primal('x').getAttribute('data-value'), '0.25');
  await page.evaluate(() => { document.querySelector('.trace-wrap').scrollTop = 0; });
  await page.waitForFunction(() => document.querySelector('[data-testid="trace-table"] tr[data-node="x"]'));
  assert.equal(await cell(page, 'x', 'primal'), '0.25');
  await page.close();
});

test('a step or a new input value touches only the nodes it changes', async () => {
  const page = await h.open('#/graph');
  await page.locator('[data-testid="example-picker"]').selectOption({ label: 'logistic map, n = 50 (a big graph)' });
  await page.locator('h1').click();
  await page.keyboard.press('End');
  // End scrolls the last node into view; the nodes far to the left then lose their numbers (outlines only). Wait for
  // that to settle before counting what a step changes.
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]').textContent.trim() === '151 / 151' &&
    !document.querySelector('[data-testid="graph-node"][data-node="x"] foreignObject'));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // Which nodes' elements the page changes (attributes, text, elements added or removed) until the next frame.
  const watch = () => page.evaluate(() => {
    window.__touched = new Set();
    const node = (n) => (n.nodeType === 1 ? n : n.parentElement)?.closest?.('[data-testid="graph-node"]');
    const note = (n) => { const g = n?.dataset?.testid === 'graph-node' ? n : node(n); if (g) window.__touched.add(g.dataset.node); };
    window.__observer = new MutationObserver((records) => records.forEach((r) => {
      note(r.target);
      r.addedNodes.forEach(note);
      r.removedNodes.forEach(note);
    }));
    window.__observer.observe(document.querySelector('[data-testid="graph"]'), { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const touched = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => {
    window.__observer.disconnect();
    r([...window.__touched]);
  }))));
  await watch();
  await page.keyboard.press('ArrowLeft');
  // The page draws the step in its next render (a frame or so after the key).
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]').textContent.trim() === '150 / 151');
  let changed = await touched();
  assert.ok(changed.includes('v149') && changed.includes('v150'), `the step's nodes change: ${changed}`);
  assert.ok(!changed.includes('x') && !changed.includes('v40') && changed.length <= 16, `only nodes near the step: ${changed}`);
  assert.equal(await page.locator('[data-testid="graph-node"][data-node="v149"]').getAttribute('aria-current'), 'step');
  await watch();
  await fill(page, 'input-x', '0.3');
  await page.waitForFunction(() => document.querySelector('[data-testid="graph-node"][data-node="v149"] .node-primal')?.dataset.value !== '0.75');
  changed = await touched();
  assert.ok(!changed.includes('x') && changed.length <= 60, `a new value changes the nodes in view only: ${changed.length}`);
  assert.equal(await page.locator('[data-testid="graph-node"]').count(), 151);
  await page.close();
});

test('the Jacobian by both modes, and the pass counts', async () => {
  const page = await h.open('#/graph');
  await page.locator('[data-testid="example-picker"]').selectOption({ label: 'R → Rᵐ: one input, three outputs' });
  const cost = await page.locator('[data-testid="cost-panel"]').textContent();
  assert.match(cost, /Forward mode: 1 pass/);
  assert.match(cost, /Reverse mode: 3 passes/);
  const fwd = await page.locator('[data-testid="jacobian-forward"] [data-value]').evaluateAll((e) => e.map((x) => x.dataset.value));
  const rev = await page.locator('[data-testid="jacobian-reverse"] [data-value]').evaluateAll((e) => e.map((x) => x.dataset.value));
  assert.deepEqual(fwd, rev);
  assert.equal(fwd.length, 3);
  await click(page, 'out-2');
  await click(page, 'mode-reverse');
  await page.locator('h1').click();
  await page.keyboard.press('End');
  assert.match(await page.locator('[data-testid="step-rule"]').textContent(), /∂f\/∂t = 0\.87758256189037/);
  await page.close();
});

test('practice: y·x² in reverse mode — the number is hidden, a wrong answer gets the rule, a right one moves on', async () => {
  const page = await h.open('#/graph', { width: 1280, height: 800 });
  await click(page, 'mode-reverse');
  await click(page, 'quiz-toggle');
  assert.equal(await page.locator('[data-testid="quiz-toggle"]').getAttribute('aria-pressed'), 'true');
  await page.waitForFunction(() => location.hash.includes('quiz=1'));
  assert.equal(await page.locator('[data-testid="quiz-answer"]').count(), 0, 'step 0 asks nothing');
  for (let k = 0; k < 4; k++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('[data-testid="quiz-answer"]').count(), 0, 'the forward sweep asks nothing');
  await page.keyboard.press('ArrowRight');
  // Step 5: v̄2, the seed. Hidden in the trace, the graph and the rule panel.
  assert.equal(await activeNode(page), 'v2');
  assert.equal(await cell(page, 'v2', 'adjoint'), '');
  assert.match(await page.locator('[data-testid="step-rule"]').textContent(), /Your turn: v̄2 = \?/);
  const answer = page.locator('[data-testid="quiz-answer"]');
  await answer.focus();
  await answer.fill('1');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]').textContent.trim() === '6 / 8');
  assert.equal(await page.locator('[data-testid="quiz-verdict"]').getAttribute('data-correct'), 'true');
  assert.equal(await cell(page, 'v2', 'adjoint'), '1', 'settled: shown again');
  // Step 6: v̄1. The partial sums below it (ȳ already has v̄2·v1) stay hidden too.
  assert.equal(await activeNode(page), 'v1');
  assert.equal(await cell(page, 'v1', 'adjoint'), '');
  assert.equal(await cell(page, 'y', 'adjoint'), '');
  assert.equal(await answer.inputValue(), '', 'a new question, an empty field');
  assert.ok(await answer.evaluate((e) => e === document.activeElement), 'the field keeps the focus');
  await answer.fill('3');
  await page.keyboard.press('Enter');
  const verdict = page.locator('[data-testid="quiz-verdict"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="quiz-verdict"]')?.dataset.correct === 'false');
  assert.match(await verdict.textContent(), /v̄1 = v̄2·y = 1·1/);
  assert.equal(await counter(page), '6 / 8', 'a wrong answer stays on the node');
  await shot(page, 'graph-practice-wrong', undefined, { viewport: true });
  await answer.fill('1/1');
  await page.locator('[data-testid="quiz-submit"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]').textContent.trim() === '7 / 8');
  // Step 7: x̄ revealed; step 8: ȳ right.
  await page.locator('[data-testid="quiz-reveal"]').click();
  await page.waitForFunction(() => /x̄ = 2\. The rule: x̄ = v̄1·2·x = 1·2/.test(document.querySelector('[data-testid="quiz-verdict"]')?.textContent));
  await cellIs(page, 'x', 'adjoint', '2');
  await page.keyboard.press('ArrowRight');
  await answer.fill('1');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="quiz-verdict"]')?.dataset.correct === 'true');
  assert.equal((await page.locator('[data-testid="quiz-score"]').textContent()).trim(), '2 / 4');
  assert.match(await page.locator('[data-testid="step-rule"]').textContent(), /∂f\/∂x = 2/);
  await shot(page, 'graph-practice-done', undefined, { viewport: true });
  // The permalink opens practice mode; off, every number is back.
  await page.goto(h.site.url + '#/graph?mode=forward&step=4&quiz=1');
  await page.reload();
  await page.waitForSelector('[data-testid="quiz-answer"]');
  assert.equal(await cell(page, 'v2', 'tangent'), '');
  assert.equal(await cell(page, 'v2', 'primal'), '1');
  await page.locator('[data-testid="quiz-answer"]').fill('two');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /not a number/.test(document.querySelector('[data-testid="quiz-verdict"]')?.textContent));
  assert.equal((await page.locator('[data-testid="quiz-score"]').textContent()).trim(), '0 / 0');
  await click(page, 'quiz-toggle');
  await page.waitForSelector('[data-testid="quiz-panel"]', { state: 'detached' });
  await cellIs(page, 'v2', 'tangent', '2');
  await page.close();
});

test('exercise sets: a link gives every student the same program, in practice mode; the buttons walk the set', async () => {
  const page = await h.open('#/graph?set=7&ex=3&mode=reverse', { width: 1280, height: 800 });
  await page.waitForSelector('[data-testid="quiz-panel"]');
  assert.equal(await page.locator('[data-testid="quiz-toggle"]').getAttribute('aria-pressed'), 'true');
  assert.match(await page.locator('[data-testid="quiz-exercise"]').textContent(), /Exercise 3 of set 7: a loop/);
  const program = await page.locator('[data-testid="program-input"]').inputValue();
  assert.match(program, /for i in range\(n\)/);
  assert.equal(await page.locator('[data-testid="quiz-ex-3"]').getAttribute('aria-pressed'), 'true');
  // The same link in a new page: the same program.
  const again = await h.open('#/graph?set=7&ex=3');
  assert.equal(await again.locator('[data-testid="program-input"]').inputValue(), program);
  await again.close();
  // Exercise 4 of the same set, then the next set; the address follows.
  await click(page, 'quiz-ex-4');
  await page.waitForFunction(() => location.hash.includes('set=7') && location.hash.includes('ex=4'));
  assert.match(await page.locator('[data-testid="program-input"]').inputValue(), /\/ \(x \* y\)/);
  await click(page, 'quiz-set-next');
  await page.waitForFunction(() => location.hash.includes('set=8') && location.hash.includes('ex=1'));
  assert.match(await page.locator('[data-testid="quiz-exercise"]').textContent(), /Exercise 1 of set 8: a product/);
  assert.ok(!(await page.evaluate(() => location.hash)).includes('f='), 'the link names the exercise, not its text');
  await shot(page, 'graph-exercise', undefined, { viewport: true });
  await page.close();
});

test('practice on a numpy program: exercise 6 asks each adjoint as an array, explains a wrong one, and reads a nested list', async () => {
  const { axe } = await import('./harness.mjs');
  const page = await h.open('#/graph?set=3&ex=6&mode=reverse', { width: 1280, height: 800 });
  await page.waitForSelector('[data-testid="quiz-panel"]');
  assert.match(await page.locator('[data-testid="quiz-exercise"]').textContent(), /Exercise 6 of set 3: arrays/);
  assert.match(await page.locator('[data-testid="program-input"]').inputValue(), /h = W @ x\n  return np\.sum\(h \* h\)/);
  await page.locator('h1').click();
  // The forward sweep (5 nodes) asks nothing; then v̄4, the seed.
  for (let k = 0; k < 5; k++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('[data-testid="quiz-answer"]').count(), 0, 'the forward sweep asks nothing');
  await page.keyboard.press('ArrowRight');
  const answer = page.locator('[data-testid="quiz-answer"]');
  await answer.fill('1');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]').textContent.trim() === '7 / 10');
  // v̄3 = [1, 1]: hidden in the node's panel and the trace, asked with its shape.
  assert.equal(await page.locator('[data-testid="array-adjoint"]').count(), 0, 'the answer is hidden');
  const row = page.locator('[data-testid="array-trace"] tr[aria-current="step"]');
  assert.equal(await row.getAttribute('data-node'), 'v3');
  assert.equal(await row.locator('td[data-col="adjoint"]').getAttribute('data-value'), null, 'hidden in the trace too');
  assert.equal(await page.locator('[data-testid="array-trace"] tr[data-node="v4"] td[data-col="adjoint"]').getAttribute('data-value'), '1');
  assert.match(await page.locator('[data-testid="array-your-turn"]').textContent(), /Your turn: v̄3 = \? \(2,\)/);
  assert.equal(await answer.getAttribute('placeholder'), '[1, 2]');
  await answer.fill('[1, 1]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]').textContent.trim() === '8 / 10');
  // v̄2: the rule reads v̄3 and v2, shown beside it; a wrong entry is pointed at, with the rule in numpy.
  const reads = await page.locator('[data-testid="array-read"]').evaluateAll((els) => els.map((e) => e.dataset.value));
  assert.ok(reads.includes('[1,1]') && reads.includes('[6,2]'), JSON.stringify(reads));
  await answer.fill('[12, 5]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="quiz-verdict"]')?.dataset.correct === 'false');
  assert.match(await page.locator('[data-testid="quiz-verdict"]').textContent(), /1 of its 2 numbers differ, the first at \[1\]\. The rule: v̄2 = v̄3 \* v2 \+ v̄3 \* v2/);
  // On a 1280×800 projector the question, the numbers its rule reads and the verdict are on screen together.
  assert.equal(await page.locator('[data-testid="quiz-panel"] [data-testid="array-reads"]').count(), 1, 'the reads beside the question');
  for (const id of ['array-reads', 'quiz-answer', 'quiz-verdict']) {
    const box = await page.locator(`[data-testid="${id}"]`).boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= 800, `${id} on screen: ${JSON.stringify(box)}`);
  }
  await shot(page, 'graph-practice-arrays', undefined, { viewport: true });
  // The wrong shape is explained and not counted; then the right answer moves on.
  await answer.fill('[[12, 4]]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /has shape \(1,2\), the answer \(2,\)/.test(document.querySelector('[data-testid="quiz-verdict"]')?.textContent));
  await answer.fill('[12, 4]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]').textContent.trim() === '9 / 10');
  assert.equal((await page.locator('[data-testid="quiz-score"]').textContent()).trim(), '2 / 3');
  // x̄ revealed: the engine's numbers come back in the node's panel.
  await page.locator('[data-testid="quiz-reveal"]').click();
  await page.waitForFunction(() => /x̄ = \[12, 44\]\. The rule: x̄ = np\.transpose\(W\) @ v̄2/.test(document.querySelector('[data-testid="quiz-verdict"]')?.textContent));
  assert.deepEqual(JSON.parse(await page.locator('[data-testid="array-adjoint"]').getAttribute('data-value')), [12, 44]);
  assert.equal((await page.locator('[data-testid="quiz-score"]').textContent()).trim(), '2 / 4');
  assert.deepEqual(await axe(page), [], 'array practice passes axe');
  await page.keyboard.press('d');
  assert.deepEqual(await axe(page), [], 'array practice passes axe in the dark theme');
  await page.close();
});

test('exports: the trace as CSV (every row, full precision) and LaTeX, the graph as TikZ and SVG, the programs as Python that prints the page\'s numbers, each a file named after the program', async () => {
  const page = await h.open('#/graph?f=log(1%2Bx**2)%2Fx&in.x=1&mode=reverse');
  const save = async (id) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${id}"]`).click()]);
    return [download.suggestedFilename(), (await readFile(await download.path())).toString('utf8')];
  };
  const rows = await page.locator('[data-testid="trace-table"] tbody tr[data-node]').count();
  const [csvName, csv] = await save('export-csv');
  assert.equal(csvName, 'graph-program.csv');
  const lines = csv.trim().split('\r\n');
  assert.equal(lines.length, rows + 1, 'a header and every trace row');
  assert.equal(lines[0], 'node,operation,primal,tangent d/dx,adjoint df/dv');
  const last = lines.at(-1).split(',');
  assert.deepEqual(last.slice(2), ['0.6931471805599453', '0.3068528194400547', '1']);
  assert.equal(lines[1], 'x,input,1,1,0.3068528194400547');
  const [texName, tex] = await save('export-latex');
  assert.equal(texName, 'graph-program.tex');
  for (const [open, close] of [['\\begin{tabular}', '\\end{tabular}'], ['{', '}']]) {
    assert.equal(tex.split(open).length, tex.split(close).length, `balanced ${open} ${close}`);
  }
  assert.equal((tex.match(/\\\\\n/g) || []).length, rows + 1, 'a header and a row per node, each ended by \\\\');
  assert.match(tex, /\$0\.6931471805599453\$ & \$0\.3068528194400547\$ & \$1\$/);
  const [tikzName, tikz] = await save('export-tikz');
  assert.equal(tikzName, 'graph-program.tikz.tex');
  assert.equal((tikz.match(/\\node \(/g) || []).length, rows);
  assert.equal(tikz.split('{').length, tikz.split('}').length);
  assert.match(tikz, /\\begin\{tikzpicture\}[^]*\\end\{tikzpicture\}/);
  const [svgName, svg] = await save('export-svg');
  assert.equal(svgName, 'graph-program.svg');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror') !== null, boxes: doc.querySelectorAll('rect[rx]').length, root: doc.documentElement.nodeName };
  }, svg);
  assert.deepEqual(parsed, { error: false, boxes: rows, root: 'svg' }, 'the SVG parses as XML, a box per node');
  // The program with its derivative programs, run by CPython with numpy: it prints the page's numbers.
  const [pyName, py] = await save('export-py');
  assert.equal(pyName, 'graph-program.py');
  const dir = mkdtempSync(join(tmpdir(), 'adlab-py-'));
  writeFileSync(join(dir, pyName), py);
  const printed = execFileSync(process.env.PYTHON_NUMPY || 'python3', [join(dir, pyName)]).toString().trim().split('\n');
  await page.keyboard.press('End');
  const out = await page.locator('[data-testid="trace-table"] tbody tr[data-node]').last().getAttribute('data-node');
  assert.deepEqual(printed, [
    `value: ${await cell(page, out, 'primal')}`,
    'forward mode, d/dx: 0.3068528194400547',
    `reverse mode, gradient of f: ${await cell(page, 'x', 'adjoint')}`,
  ]);
  assert.equal(printed[0], 'value: 0.6931471805599453');
  const program = await h.open('#/graph?f=def%20f(x%2C%20y)%3A%0A%20%20return%20y%20*%20x**2%0A&in.x=3&in.y=2');
  const [download] = await Promise.all([program.waitForEvent('download'), program.locator('[data-testid="export-csv"]').click()]);
  assert.equal(download.suggestedFilename(), 'graph-f.csv');
  await shot(page, 'graph-export');
  await program.close();
  await page.close();
});

test('a numpy program at array granularity: a node per operation with its shape, stepped both ways, the costs of each mode', async () => {
  const src = "import autograd.numpy as np\nfrom autograd import grad\n\nX = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]])\n" +
    "y = np.array([1.0, -1.0, 0.5])\n\ndef loss(W=np.array([[0.5, -0.3], [0.1, 0.4]]), b=np.array([0.1, -0.2])):\n" +
    "  h = np.tanh(X @ W + b)\n  return np.sum((h @ np.array([1.0, -1.0]) - y) ** 2)\n\ng = grad(loss)\n";
  // The same program's gradient on #/grad, to compare with.
  const grad = await h.open('#/grad');
  await fill(grad, 'program-input', src);
  const want = JSON.parse(await grad.locator('[data-testid="result-grad-W"]').getAttribute('data-value'));
  await grad.close();

  const page = await h.open('#/graph');
  await fill(page, 'program-input', src);
  const nodes = page.locator('[data-testid="graph-node"]');
  const n = await nodes.count();
  assert.ok(n >= 8 && n <= 16, `a dozen array operations, not hundreds of scalars: ${n}`);
  const shapes = await nodes.evaluateAll((els) => els.map((e) => [e.querySelector('.node-op').textContent, e.dataset.shape, e.dataset.node]));
  // Drawn in evaluation order; constant numbers are written into the operations that read them (`** 2`).
  const W = shapes.findIndex(([op]) => op === 'W');
  assert.deepEqual(shapes[W].slice(0, 2), ['W', '2x2']);
  assert.ok(shapes.some(([op]) => op === '** 2'), JSON.stringify(shapes));
  assert.ok(shapes.some(([op, s]) => op === '@' && s === '3x2'), JSON.stringify(shapes));
  assert.ok(shapes.some(([op, s]) => op === 'tanh' && s === '3x2'));
  assert.equal(await page.locator('[data-testid="quiz-toggle"]').count(), 1, 'practice works on arrays too');
  // Reverse mode with the keyboard: to the end, then back to W's backward step; its adjoint is #/grad's gradient.
  await page.locator('[data-testid="mode-reverse"]').click();
  await page.locator('h1').click();
  await page.keyboard.press('End');
  assert.equal(await counter(page), `${2 * n} / ${2 * n}`);
  for (let k = 0; k < W; k++) await page.keyboard.press('ArrowLeft');
  assert.equal(await page.locator('[data-testid="graph-node"][aria-current="step"]').getAttribute('data-node'), shapes[W][2]);
  assert.deepEqual(JSON.parse(await page.locator('[data-testid="array-adjoint"]').getAttribute('data-value')), want);
  assert.match(await page.locator('[data-testid="step-rule"]').textContent(), /adjoint/);
  // The evaluation trace at array granularity: a row per node drawn, the step's row current, W's adjoint in it.
  const rows = page.locator('[data-testid="array-trace"] tbody tr');
  assert.equal(await rows.count(), n);
  const current = page.locator('[data-testid="array-trace"] tr[aria-current="step"]');
  assert.equal(await current.getAttribute('data-node'), shapes[W][2]);
  assert.deepEqual(JSON.parse(await current.locator('td[data-col="adjoint"]').getAttribute('data-value')), want);
  // A step renders again only what it changes: the output's row is the same element after two steps.
  const last = () => page.evaluate(() => [...document.querySelectorAll('[data-testid="array-trace"] tbody tr')].at(-1).dataset.mark);
  await page.evaluate(() => { [...document.querySelectorAll('[data-testid="array-trace"] tbody tr')].at(-1).dataset.mark = 'row'; });
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  assert.equal(await current.getAttribute('data-node'), shapes[W][2]);
  assert.equal(await last(), 'row');
  // Reverse mode written out as a numpy program, run again by the core: the engine's numbers.
  assert.match(await page.locator('[data-testid="code-view"]').textContent(), /^import numpy as np\s+def grad_W\(/);
  assert.equal(await page.locator('[data-testid="code-check"]').getAttribute('data-match'), 'true');
  await shot(page, 'graph-numpy-reverse');
  // Forward mode seeded along W[0,1]: at the output, the tangent is that entry of the gradient.
  await page.locator('[data-testid="mode-forward"]').click();
  await page.locator('[data-testid="wrt-select"]').selectOption({ label: 'W[0,1]' });
  await page.locator('h1').click();
  await page.keyboard.press('End');
  const t = JSON.parse(await page.locator('[data-testid="array-tangent"]').getAttribute('data-value'));
  assert.ok(Math.abs(t - want[0][1]) <= 1e-15 * Math.abs(want[0][1]), `${t} against ${want[0][1]}`);
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('wrt=W[0,1]'));
  // Forward mode written out as a numpy program seeded along W[0,1] (each value, then its tangent), run again.
  const code = await page.locator('[data-testid="code-view"]').textContent();
  assert.match(code, /^import numpy as np\s+def jvp\(/);
  assert.match(code, /np\.array\(\[\[0\.0, 1\.0\], \[0\.0, 0\.0\]\]\)/, 'the seed');
  assert.equal(await page.locator('[data-testid="code-check"]').getAttribute('data-match'), 'true');
  // Forward mode's whole gradient costs a pass per input number (6); reverse mode one backward pass.
  const fwd = Number(await page.locator('[data-testid="array-cost-forward"]').getAttribute('data-value'));
  const rev = Number(await page.locator('[data-testid="array-cost-reverse"]').getAttribute('data-value'));
  assert.ok(fwd > rev && rev > 0, `${fwd} against ${rev}`);
  await shot(page, 'graph-numpy-forward');
  // Exports: the trace as CSV (a row per node drawn, each array a numpy literal), and the program with both
  // derivative programs as a Python file that CPython with numpy runs to the page's numbers.
  const save = async (id) => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${id}"]`).click()]);
    return [download.suggestedFilename(), (await readFile(await download.path())).toString('utf8')];
  };
  const [csvName, csv] = await save('export-csv');
  assert.equal(csvName, 'graph-loss.csv');
  const lines = csv.trim().split('\r\n');
  assert.equal(lines.length, n + 1, 'a header and a row per node drawn');
  assert.equal(lines[0], 'node,operation,shape,value,tangent d/dW[0,1],adjoint df/dv');
  const wRow = lines.find((l) => l.startsWith(`${shapes[W][2]},W,2x2,`));
  assert.ok(wRow && wRow.includes('"[[0.5, -0.3], [0.1, 0.4]]"'), wRow);
  const [texName, tex] = await save('export-latex');
  assert.equal(texName, 'graph-loss.tex');
  for (const [open, close] of [['\\begin{tabular}', '\\end{tabular}'], ['{', '}'], ['\\left[', '\\right]']]) {
    assert.equal(tex.split(open).length, tex.split(close).length, `balanced ${open} ${close}`);
  }
  assert.equal((tex.match(/\\\\\n/g) || []).length, n + 1, 'a header and a row per node drawn');
  assert.match(tex, /\\texttt\{W\} & \$2 \\times 2\$ & \$\\left\[\\begin\{smallmatrix\}0\.5 & -0\.3 \\\\ 0\.1 & 0\.4\\end\{smallmatrix\}\\right\]\$/);
  const [tikzName, tikz] = await save('export-tikz');
  assert.equal(tikzName, 'graph-loss.tikz.tex');
  assert.equal((tikz.match(/\\node \(/g) || []).length, n, 'a TikZ node per array operation');
  assert.equal(tikz.split('{').length, tikz.split('}').length);
  assert.match(tikz, /\\texttt\{tanh\}\\\\3\$\\times\$2/);
  const [, svg] = await save('export-svg');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { error: doc.querySelector('parsererror') !== null, boxes: doc.querySelectorAll('rect[rx]').length };
  }, svg);
  assert.deepEqual(parsed, { error: false, boxes: n }, 'the SVG parses as XML, a box per array operation');
  const [pyName, py] = await save('export-py');
  assert.equal(pyName, 'graph-loss.py');
  const dir = mkdtempSync(join(tmpdir(), 'adlab-py-'));
  writeFileSync(join(dir, pyName), py);
  const printed = execFileSync(process.env.PYTHON_NUMPY || 'python3', [join(dir, pyName)]).toString().trim().split('\n');
  assert.equal(printed.length, 3, printed.join('\n'));
  const numbers = (line) => line.slice(line.indexOf(': ') + 2).split(' ').map(Number);
  const near = (a, b) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) <= 1e-12 * Math.max(1, Math.abs(b[i])));
  assert.ok(near(numbers(printed[1]), [t]), `forward mode: ${printed[1]} against ${t}`);
  assert.ok(near(numbers(printed[2]), want.flat()), `reverse mode: ${printed[2]} against ${want.flat()}`);
  assert.match(printed[0], /^value: /);
  assert.match(py, /# the page: /);
  const { axe } = await import('./harness.mjs');
  assert.deepEqual(await axe(page), [], 'the array graph passes axe');
  // The link reopens the same state.
  const link = page.url();
  const again = await h.open(link.slice(link.indexOf('#')));
  assert.equal(await again.locator('[data-testid="graph-node"]').count(), n);
  assert.equal(await counter(again), `${n} / ${n}`);
  await again.close();
  await page.close();
});

test('a long numpy loop: the trace draws the rows around the step, a step redraws one block of the drawing', async () => {
  const loop = 'import numpy as np\n\ndef f(W=np.eye(3) * 0.5, x=np.ones(3), n=60):\n  for i in range(n):\n    x = np.tanh(W @ x)\n  return np.sum(x)\n';
  const page = await h.open('#/graph?f=' + encodeURIComponent(loop) + '&mode=reverse&step=end', { width: 1280, height: 800 });
  const trace = page.locator('[data-testid="array-trace"]');
  await trace.waitFor();
  // 123 nodes in all, fewer rows drawn; the step's row among them, scrolled to in the table's own area.
  assert.equal(await trace.getAttribute('aria-rowcount'), '124');
  const drawn = await trace.locator('tbody tr[data-node]').count();
  assert.ok(drawn > 10 && drawn < 100, `${drawn} rows drawn`);
  assert.equal(await page.locator('[data-testid="graph-node"]').count(), 123, 'every node drawn');
  await page.locator('h1').click();
  await page.keyboard.press('Home');
  for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowRight');
  const row = trace.locator('tr[aria-current="step"]');
  assert.equal(await row.getAttribute('data-node'), await page.locator('[data-testid="graph-node"][aria-current="step"]').getAttribute('data-node'));
  // The output's node is in another block than the step's: the same element after two steps.
  await page.evaluate(() => { [...document.querySelectorAll('[data-testid="graph-node"]')].at(-1).dataset.mark = 'node'; });
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => [...document.querySelectorAll('[data-testid="graph-node"]')].at(-1).dataset.mark), 'node');
  // Stepping to the end draws the rows there.
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('[data-testid="array-trace"] tr[aria-current="step"]'));
  assert.equal(await page.locator('[data-testid="array-trace"] tr[aria-current="step"] td[data-col="adjoint"]').count(), 1);
  // With 100 steps the loop's input edges would be routed through more points than are drawn: the page says so, and
  // the trace still has every node.
  await fill(page, 'program-input', loop.replace('n=60', 'n=100'));
  await page.waitForFunction(() => /skip so many columns/.test(document.body.textContent));
  assert.equal(await trace.getAttribute('aria-rowcount'), '204');
  assert.equal(await page.locator('[data-testid="graph-node"]').count(), 0);
  await page.close();
});
