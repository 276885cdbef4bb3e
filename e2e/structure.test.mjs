// The shell and what every chapter shares: the registry (contents, navigation, titles), the keyboard and its help,
// the second-order panel, generated-code verdicts, and accessibility (axe-core) on every chapter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, value, fill, shot, axe } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors, [], 'no page errors or console errors (a panic shows up here)');
});

const ROUTES = ['#/', '#/grad', '#/numeric', '#/symbolic', '#/graph', '#/chain', '#/network', '#/learn', '#/hyper', '#/memory', '#/lecture'];

test('every chapter: its title is the h1 and the document title, the navigation marks it', async () => {
  const page = await h.open('#/');
  const toc = await page.locator('.toc a').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  assert.deepEqual(toc.map((t) => t[0]), ROUTES.slice(1), 'the contents lists every chapter in order');
  for (const [href, title] of toc) {
    await page.goto(h.site.url + href);
    // A hash change re-renders after the navigation returns: wait for this chapter's heading, not the last one's.
    await page.waitForFunction((t) => document.querySelector('main h1')?.textContent.trim() === t, title, { timeout: 5000 });
    assert.equal(await page.title(), `${title} — AD Lab`);
    assert.equal(await page.locator(`.chapter-nav a[href="${href}"]`).getAttribute('aria-current'), 'page');
  }
  await page.close();
});

test('#/grad second order: the Hessian of log(x1) + x1·x2 − sin(x2) at (2, 5)', async () => {
  const page = await h.open('#/grad?f=' + encodeURIComponent('log(x1) + x1*x2 - sin(x2)') + '&in.x1=2&in.x2=5');
  assert.equal(await value(page, 'hess-x1-x1'), '-0.25');
  assert.equal(await value(page, 'hess-x1-x2'), '1');
  assert.equal(await value(page, 'hess-x2-x1'), '1');
  assert.equal(await value(page, 'hess-x2-x2'), '-0.9589242746631385');
  assert.match(await page.locator('[data-testid="hessian-check"]').textContent(), /Taylor mode/);
  await page.locator('[data-testid="second-order"]').scrollIntoViewIfNeeded();
  await shot(page, 'grad-second-order');
  // The lecture's logistic map: one input, f″ at 0.25.
  await fill(page, 'program-input', 'def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n');
  await fill(page, 'input-x', '0.25');
  assert.equal(await value(page, 'result-grad-x'), '-16');
  const f2 = Number(await value(page, 'hess-x-x'));
  assert.ok(Number.isFinite(f2));
  // More than ten inputs: no panel, and no error.
  await fill(page, 'program-input', Array.from({ length: 11 }, (_, k) => `x${k + 1}`).join(' * '));
  assert.equal(await page.locator('[data-testid="second-order"]').count(), 0);
  await page.close();
});

test('the keyboard belongs to the shell: ? shows every shortcut, Esc closes, typing never triggers one', async () => {
  const page = await h.open('#/graph');
  await page.locator('h1').click();
  await page.keyboard.press('?');
  const overlay = page.locator('[data-testid="keys-overlay"]');
  await overlay.waitFor();
  const text = await overlay.textContent();
  for (const k of ['next step', 'previous step', 'play or pause', 'show or hide these keys']) {
    assert.ok(text.includes(k), `the help lists “${k}”`);
  }
  await shot(page, 'keys-help');
  assert.deepEqual(await axe(page), [], 'the help overlay passes axe');
  await page.keyboard.press('Escape');
  assert.equal(await overlay.count(), 0);
  // → steps the graph lab; the same key typed in the editor does not.
  await page.keyboard.press('ArrowRight');
  assert.equal((await page.locator('[data-testid="step-counter"]').textContent()).trim(), '1 / 4');
  await page.locator('[data-testid="program-input"]').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('?');
  assert.equal((await page.locator('[data-testid="step-counter"]').textContent()).trim(), '1 / 4');
  assert.equal(await overlay.count(), 0, '? typed in the editor is text, not a shortcut');
  // The Keys button opens the same help.
  await page.locator('[data-testid="keys-help"]').click();
  await overlay.waitFor();
  await page.close();
});

test('#/graph code-check: the generated programs run and agree, including the audit’s hard cases', async () => {
  const cases = [
    ['def f(x, n=4):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n', 'x=0.25'],
    ['v2*v1 + v1', 'v2=2&in.v1=3'],
    ['def f(x):\n  for i in range(2):\n    a = 1.0\n  return x\n', 'x=0.7'],
    ['def f(x, y):\n  w = sqrt(y)\n  return x\n', 'x=1&in.y=0'],
    ['def f(memory, x):\n  v = memory * x\n  v = v * x\n  return v\n', 'memory=2&in.x=3'],
    ['def f(x):\n  m = [x]\n  m.append(x * x)\n  return m[0] * m[1]\n', 'x=1.5'],
  ];
  const page = await h.open('#/graph');
  for (const [src, inputs] of cases) {
    for (const mode of ['forward', 'reverse']) {
      await page.goto(`${h.site.url}#/graph?f=${encodeURIComponent(src)}&in.${inputs}&mode=${mode}`);
      await page.waitForSelector('[data-testid="code-check"]');
      const check = page.locator('[data-testid="code-check"]');
      assert.equal(await check.getAttribute('data-match'), 'true', `${mode} program of ${JSON.stringify(src)}: ${await check.textContent()}`);
    }
  }
  await page.close();
});

test('accessibility: axe-core finds no serious or critical WCAG 2.1 AA violation on any chapter, in either theme', async () => {
  const page = await h.open('#/');
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => localStorage.setItem('adlab.theme', t), theme);
    // Also: a long graph (its trace table drawn in a window with spacer rows) and a slide with the pen on.
    const logistic66 = encodeURIComponent('def f(x, n=66):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n');
    // And numpy programs: a gradient large enough for a heatmap, the graph at array granularity mid-sweep.
    const numpy = encodeURIComponent('import numpy as np\ndef f(A=np.ones((20, 3)), w=np.array([0.5, -1.0, 2.0])):\n' +
      '  return np.sum(np.tanh(A @ w) * np.arange(20))\n');
    for (const route of [...ROUTES, `#/graph?f=${logistic66}&in.x=0.25&mode=reverse&step=120`, '#/lecture?slide=11', '#/graph?mode=reverse&step=6&quiz=1',
      `#/grad?f=${numpy}`, `#/graph?f=${numpy}&mode=reverse&step=7`]) {
      await page.goto(h.site.url + route);
      await page.reload();
      await page.waitForSelector('main h1');
      if (route.includes('slide=11')) {
        await page.keyboard.press('p');
        await page.waitForSelector('.pen-layer.on');
      }
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), theme);
      await page.waitForTimeout(150);
      assert.deepEqual(await axe(page), [], `${route} (${theme})`);
    }
  }
  await page.evaluate(() => localStorage.removeItem('adlab.theme'));
  await page.close();
});

/** WCAG contrast ratio of two `rgb(r, g, b)` colours. */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('the dark projector theme: D switches it anywhere, it is remembered, text has 7:1 contrast, figures redraw', async () => {
  const page = await h.open('#/numeric');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  const before = await page.locator('[data-testid="fd-plot"]').evaluate((c) => c.toDataURL());
  await page.keyboard.press('d');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.equal(await page.locator('[data-testid="theme-toggle"]').getAttribute('aria-pressed'), 'true');
  await page.waitForTimeout(300);
  const after = await page.locator('[data-testid="fd-plot"]').evaluate((c) => c.toDataURL());
  assert.notEqual(after, before, 'the figure is redrawn in the dark colours');
  // Text against the page and the panels, from the page's own styles.
  const colours = await page.evaluate(() => {
    const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
    return {
      bg: css('body', 'backgroundColor'), ink: css('body', 'color'), lead: css('.lead', 'color'),
      muted: css('table.numbers th', 'color'), panel: css('fieldset.inputs', 'backgroundColor'),
      link: css('.chapter-nav a', 'color'),
    };
  });
  for (const fg of ['ink', 'lead', 'muted', 'link']) {
    for (const bg of ['bg', 'panel']) {
      const r = contrast(colours[fg], colours[bg]);
      assert.ok(r >= 7, `${fg} on ${bg}: ${r.toFixed(2)}:1`);
    }
  }
  // Remembered: a reload, another chapter.
  await page.goto(h.site.url + '#/graph');
  await page.reload();
  await page.waitForSelector('main h1');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const stroke = await page.locator('svg .edge path').first().evaluate((p) => parseFloat(getComputedStyle(p).strokeWidth));
  assert.ok(stroke >= 2, `graph strokes ${stroke} px`);
  await shot(page, 'dark-graph');
  await page.click('[data-testid="theme-toggle"]');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await page.evaluate(() => localStorage.removeItem('adlab.theme'));
  await page.close();
});

test('on a phone (390 px): no chapter and no slide is wider than the screen, no text under 11 px, no squashed figure', async () => {
  const slides = Array.from({ length: 31 }, (_, i) => `#/lecture?slide=${i + 1}`);
  const page = await h.open('#/', { width: 390, height: 844 });
  const wide = [];
  const small = [];
  const squashed = [];
  for (const hash of [...ROUTES, ...slides]) {
    await page.goto(h.site.url + hash);
    await page.waitForSelector('main h1');
    await page.waitForTimeout(200);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (over > 0) wide.push(`${hash}: ${over} px`);
    // Every visible piece of text as drawn (an SVG's scale included), except inside a scroller that lets it be read.
    const tiny = await page.evaluate(() => {
      const out = [];
      const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
      const seen = new Set();
      while (walker.nextNode()) {
        const e = walker.currentNode.parentElement;
        if (!walker.currentNode.textContent.trim() || seen.has(e)) continue;
        seen.add(e);
        if (!e.getBoundingClientRect().width || e.closest('[aria-hidden="true"], .sr-only, title')) continue;
        let size = parseFloat(getComputedStyle(e).fontSize);
        const svg = e.closest('svg');
        if (svg?.viewBox.baseVal?.width) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        // MathML scripts are smaller by design; their base text is what is read.
        if (size < 10.95 && !e.closest('msub, msup, msubsup, munder, munderover, mfrac')) {
          out.push(`${e.tagName} ${size.toFixed(1)} px "${walker.currentNode.textContent.trim().slice(0, 16)}"`);
        }
      }
      return out;
    });
    if (tiny.length) small.push(`${hash}: ${tiny.slice(0, 3).join('; ')}`);
    const flat = await page.evaluate(() => [...document.querySelectorAll('main canvas')]
      .filter((c) => c.offsetWidth && c.offsetHeight < 150).map((c) => `${c.dataset.testid} ${c.offsetWidth}×${c.offsetHeight}`));
    if (flat.length) squashed.push(`${hash}: ${flat.join(', ')}`);
  }
  assert.deepEqual(wide, [], 'wider than the screen');
  assert.deepEqual(small, [], 'text under 11 px');
  assert.deepEqual(squashed, [], 'figures under 150 px tall');
  await page.close();
});
