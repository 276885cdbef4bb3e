// #/numeric and #/symbolic on the release build: plots drawn, the lecture's numbers, bad input explained.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { start, value, fill, shot } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors, [], 'no page errors or console errors (a panic shows up here)');
});

/** True when the canvas has drawn pixels other than white. */
async function canvasDrawn(page, testid) {
  return page.locator(`[data-testid="${testid}"]`).evaluate((c) => {
    if (!c.width || !c.height) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4 * 17) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) ink++;
    return ink > 200;
  });
}

test('numeric: the lecture forward difference, exactly', async () => {
  const page = await h.open('#/numeric');
  await page.waitForSelector('[data-testid="fd-estimate"]');
  assert.equal(await page.locator('[data-testid="fd-x"]').inputValue(), '0.25');
  assert.equal(await page.locator('[data-testid="fd-h"]').inputValue(), '1e-7');
  const est = await value(page, 'fd-estimate');
  assert.equal(est, '-16.000015992112537');
  assert.equal(Number(est).toFixed(8), '-16.00001599');
  assert.equal(await value(page, 'fd-exact'), '-16');
  assert.equal(await value(page, 'fd-error'), String(Math.abs(Number(est) + 16)));
  assert.equal(await value(page, 'fd-estimate-scipy'), '-16.000015991652447');
  assert.ok(await canvasDrawn(page, 'fd-plot'), 'the error plot is drawn');
  await shot(page, 'numeric-logistic');

  await page.locator('[data-testid="fd-scheme"]').selectOption('central');
  const central = Number(await value(page, 'fd-estimate'));
  assert.ok(Math.abs(central + 16) < 1e-6, `central difference ${central}`);
  await page.waitForURL(/scheme=central/);
  await page.close();
});

test('numeric: bad h and bad programs get clear messages', async () => {
  const page = await h.open('#/numeric');
  await fill(page, 'fd-h', '0');
  assert.match(await page.locator('[data-testid="fd-h-error"]').textContent(), /h must be positive/);
  await fill(page, 'fd-h', '-1e-3');
  assert.match(await page.locator('[data-testid="fd-h-error"]').textContent(), /positive/);
  assert.equal(await value(page, 'fd-estimate'), '-16.000015992112537', 'the last good h stays in use');
  await fill(page, 'fd-h', '1e-5');
  assert.equal(await page.locator('[data-testid="fd-h-error"]').count(), 0);
  await fill(page, 'program-input', '42');
  assert.match(await page.locator('[data-testid="numeric-error"]').textContent(), /no input/);
  await fill(page, 'program-input', 'x * y + sin(x)');
  assert.match(await page.locator('[data-testid="fd-cost"]').textContent(), /3 evaluations/);
  await page.close();
});

test('symbolic: sizes swell, the AD trace does not', async () => {
  const page = await h.open('#/symbolic');
  await page.waitForSelector('[data-testid="swell-table"]');
  await fill(page, 'swell-nmax', '30');
  await page.waitForSelector('[data-testid="swell-table"] tr[data-n="30"]');
  const cell = async (n, col) => page.locator(`[data-testid="swell-table"] tr[data-n="${n}"] td[data-col="${col}"]`);
  assert.equal(await (await cell(1, 'f')).getAttribute('data-value'), '7');
  assert.equal(await (await cell(3, 'f')).getAttribute('data-value'), '43');
  const df = [];
  const ad = [];
  for (let n = 1; n <= 30; n++) {
    df.push(Number(await (await cell(n, 'df')).getAttribute('data-value')));
    ad.push(Number(await (await cell(n, 'ad-trace')).getAttribute('data-value')));
  }
  for (let n = 1; n < 30; n++) {
    assert.ok(df[n] > 2 * df[n - 1], `f′ grows by more than 2× (n = ${n + 1})`);
    assert.equal(ad[n] - ad[n - 1], ad[1] - ad[0], 'the AD trace grows by a constant');
  }
  assert.match(await (await cell(30, 'df-simplified')).textContent(), /skipped/);
  assert.ok(await canvasDrawn(page, 'swell-plot'), 'the swell plot is drawn');
  // Expressions of the row clicked.
  await page.locator('[data-testid="swell-table"] tr[data-n="2"]').click();
  const expr = page.locator('[data-testid="swell-expr"]');
  assert.match(await expr.textContent(), /n = 2/);
  assert.ok(await expr.locator('math').count() >= 3, 'f₂, f′₂ and f′₂ simplified as MathML');
  // By keyboard: each row's number is a button.
  await page.locator('[data-testid="swell-table"] tr[data-n="1"] button').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /n = 1/.test(document.querySelector('[data-testid="swell-expr"]').textContent));
  await page.locator('[data-testid="swell-table"] tr[data-n="2"] button').click();
  assert.match(await expr.textContent(), /n = 2/);
  await shot(page, 'symbolic-logistic');
  await page.close();
});

test('symbolic: bad N and programs of several variables are explained', async () => {
  const page = await h.open('#/symbolic');
  await fill(page, 'swell-nmax', '1000000');
  assert.match(await page.locator('[data-testid="swell-nmax-error"]').textContent(), /at most 30/);
  await fill(page, 'swell-nmax', 'abc');
  assert.match(await page.locator('[data-testid="swell-nmax-error"]').textContent(), /whole number/);
  await fill(page, 'program-input', 'x * y');
  assert.match(await page.locator('[data-testid="symbolic-error"]').textContent(), /one variable/);
  // Nested non-polynomial parts (each sin holds the two before it) stay quick, and print no monster.
  await fill(page, 'swell-nmax', '30');
  await fill(page, 'program-input', 'def f(x, n=3):\n  v = x\n  for i in range(n):\n    v = sin(v) + cos(v)\n  return v\n');
  await page.waitForSelector('[data-testid="swell-table"] tr[data-n="30"]');
  await page.locator('[data-testid="swell-table"] tr[data-n="30"]').click();
  assert.match(await page.locator('[data-testid="swell-expr"]').textContent(), /Too large to print/);
  await page.close();
});

test('symbolic and numeric permalinks restore, mangled ones fall back', async () => {
  let page = await h.open('#/symbolic?nmax=5&n=4');
  await page.waitForSelector('[data-testid="swell-table"] tr[data-n="5"]');
  assert.equal(await page.locator('[data-testid="swell-table"] tbody tr').count(), 5);
  assert.match(await page.locator('[data-testid="swell-expr"]').textContent(), /n = 4/);
  await page.close();
  page = await h.open('#/numeric?h=banana&scheme=sideways');
  const notice = page.locator('[data-testid="url-notice"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /h=banana/);
  assert.match(await notice.textContent(), /scheme=sideways/);
  assert.equal(await value(page, 'fd-estimate'), '-16.000015992112537');
  await page.close();
});

test('figures redraw when the window is resized and can be saved', async () => {
  const page = await h.open('#/numeric', { width: 1280, height: 900 });
  const w1 = await page.locator('[data-testid="fd-plot"]').evaluate((c) => c.width);
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForFunction((w) => document.querySelector('[data-testid="fd-plot"]').width !== w, w1);
  assert.ok(await canvasDrawn(page, 'fd-plot'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-png"]').click()]);
  assert.equal(download.suggestedFilename(), 'finite-differences.png');
  const png = await readFile(await download.path());
  assert.ok(png.length > 1000 && png.subarray(1, 4).toString() === 'PNG', 'a PNG file');
  await page.close();
});

test('in the dark theme a figure still saves in the light colours, as SVG and as PNG', async () => {
  const page = await h.open('#/numeric', { width: 1280, height: 800 });
  await page.keyboard.press('d');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  const plot = page.locator('[data-testid="fd-plot"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="fd-plot"]').width > 0);
  const figure = plot.locator('xpath=ancestor::figure[1]');
  const [svgFile] = await Promise.all([page.waitForEvent('download'), figure.locator('[data-testid="export-svg"]').click()]);
  const svg = (await readFile(await svgFile.path())).toString('utf8');
  assert.ok(svg.includes('fill="#ffffff"') && !svg.includes('#182028'), 'white paper, not the dark theme\'s');
  const [pngFile] = await Promise.all([page.waitForEvent('download'), figure.locator('[data-testid="export-png"]').click()]);
  assert.equal(pngFile.suggestedFilename(), 'finite-differences.png');
  const png = await readFile(await pngFile.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG', 'a PNG file');
  const width = await plot.evaluate((c) => c.width);
  assert.equal(png.readUInt32BE(16), 2 * width, 'twice the canvas\'s size');
  // The page itself stays dark.
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.close();
});

test('every figure downloads as SVG: the drawing itself, in vector form (a heatmap as an image under it)', async () => {
  const figures = [
    ['#/numeric', 'fd-plot', 'finite-differences.svg', 'step h'],
    ['#/symbolic', 'swell-plot', 'expression-swell.svg', null],
    ['#/network', 'nn-boundary', 'decision-boundary.svg', null],
    ['#/network', 'nn-loss-plot', 'training.svg', null],
    ['#/learn', 'learn-plot', 'learning-rate.svg', null],
    ['#/learn', 'learn-path', 'descent-path.svg', null],
    ['#/hyper', 'hyper-plot', 'validation-loss.svg', null],
    ['#/memory?n=100&c=3', 'ckpt-plot', 'checkpointing.svg', null],
  ];
  for (const [hash, testid, name, label] of figures) {
    const page = await h.open(hash, { width: 1280, height: 800 });
    const plot = page.locator(`[data-testid="${testid}"]`);
    await plot.waitFor();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="${id}"]`).width > 0, testid);
    const button = plot.locator('xpath=ancestor::figure[1]').locator('[data-testid="export-svg"]');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    assert.equal(download.suggestedFilename(), name);
    const svg = (await readFile(await download.path())).toString('utf8');
    const parsed = await page.evaluate(async ([text, id]) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const root = doc.documentElement;
      const canvas = document.querySelector(`[data-testid="${id}"]`);
      // Drawn by the browser as an image: it renders, at the canvas's size on the page.
      const img = new Image();
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
      await img.decode();
      return {
        error: doc.querySelector('parsererror') !== null, root: root.nodeName,
        viewBox: root.getAttribute('viewBox'), width: root.getAttribute('width'),
        canvas: `0 0 ${canvas.width} ${canvas.height}`, cssWidth: String(canvas.clientWidth),
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
        marks: doc.querySelectorAll('polyline, circle, line, rect, polygon').length,
        images: doc.querySelectorAll('image').length, rendered: img.naturalWidth,
      };
    }, [svg, testid]);
    assert.equal(parsed.error, false, `${name} parses as XML`);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.viewBox, parsed.canvas, `${name}: the canvas's drawing, pixel for pixel`);
    assert.equal(parsed.width, parsed.cssWidth, `${name}: shown at the canvas's width`);
    assert.ok(parsed.texts.length >= 5 && parsed.marks > 10, `${name}: axes, labels and marks (${parsed.texts.length} texts, ${parsed.marks} marks)`);
    assert.ok(parsed.rendered > 0, `${name} renders as an image`);
    assert.equal(parsed.images, ['nn-boundary', 'learn-path'].includes(testid) ? 1 : 0, `${name}: a heatmap's pixels as an image`);
    if (label) assert.ok(parsed.texts.includes(label), `${name} has "${label}"`);
    if (testid === 'fd-plot') {
      // The downloaded SVG shown on its own, to look at.
      const view = await h.open('#/', { width: 1280, height: 800 });
      await view.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
      await shot(view, 'figure-export-svg');
      await view.close();
    }
    await page.close();
  }
});

test('the diagrams drawn as SVG markup (the chain of Jacobians, the checkpointing time line) save as SVG and as PNG', async () => {
  for (const [hash, figure, name, needle] of [
    ['#/chain?step=1', 'figure.chain-view', 'jacobian-product', 'J₁J₀'],
    ['#/memory?n=10&c=2&step=12', '[data-testid="ckpt-timeline"]', 'checkpointing-timeline', '10'],
  ]) {
    const page = await h.open(hash, { width: 1280, height: 800 });
    const fig = page.locator(figure);
    await fig.waitFor();
    const save = async (id) => {
      const [download] = await Promise.all([page.waitForEvent('download'), fig.locator(`[data-testid="${id}"]`).click()]);
      return [download.suggestedFilename(), await readFile(await download.path())];
    };
    const [svgName, svgBytes] = await save('export-svg');
    assert.equal(svgName, `${name}.svg`);
    const svg = svgBytes.toString('utf8');
    const parsed = await page.evaluate(async ([text, sel]) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const onPage = document.querySelector(`${sel} svg`);
      const img = new Image();
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
      await img.decode();
      return {
        error: doc.querySelector('parsererror') !== null, root: doc.documentElement.nodeName,
        style: doc.querySelectorAll('style').length, texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
        marks: doc.querySelectorAll('rect, path').length, sameMarks: onPage.querySelectorAll('rect, path').length,
        viewBox: doc.documentElement.getAttribute('viewBox'), pageViewBox: onPage.getAttribute('viewBox'), rendered: img.naturalWidth,
      };
    }, [svg, figure]);
    assert.equal(parsed.error, false, `${svgName} parses as XML`);
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.style, 1, 'the drawing carries its style');
    assert.equal(parsed.viewBox, parsed.pageViewBox, 'the drawing on the page');
    assert.equal(parsed.marks, parsed.sameMarks, 'every mark of the drawing on the page');
    assert.ok(parsed.texts.includes(needle), `${svgName}: ${parsed.texts.join(' ')}`);
    assert.ok(parsed.rendered > 0, `${svgName} renders as an image`);
    const [pngName, png] = await save('export-png');
    assert.equal(pngName, `${name}.png`);
    assert.equal(png.subarray(1, 4).toString(), 'PNG', 'a PNG file');
    // Twice the drawing's size: width and height from the PNG header.
    const [pw, ph] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.equal(`0 0 ${pw / 2} ${ph / 2}`, parsed.viewBox, 'drawn at twice its size');
    if (name === 'jacobian-product') {
      const view = await h.open('#/', { width: 1280, height: 800 });
      await view.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
      await shot(view, 'diagram-export-svg');
      await view.close();
    }
    await page.close();
  }
});

test('every chapter reads on a phone without sideways scrolling', async () => {
  for (const hash of ['#/', '#/grad', '#/numeric', '#/symbolic', '#/graph']) {
    const page = await h.open(hash, { width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${hash}: overflow ${overflow}px`);
    await page.close();
  }
});

test('large text mode for projectors persists across pages', async () => {
  const page = await h.open('#/graph');
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  await page.getByRole('button', { name: 'Large text' }).click();
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.ok(after > before, `${before}px → ${after}px`);
  await shot(page, 'graph-large-text');
  await page.goto(page.url().replace(/#.*/, '#/numeric'));
  await page.waitForSelector('[data-testid="fd-estimate"]');
  const kept = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.equal(kept, after);
  await page.getByRole('button', { name: 'Large text' }).click();
  await page.close();
});

test('numeric: which h minimises the error? a click on the plot picks h, the page says how close it is to the best step and why', async () => {
  const page = await h.open('#/numeric');
  const plot = page.locator('[data-testid="fd-plot"]');
  const box = await plot.boundingBox();
  const verdict = page.locator('[data-testid="fd-pick-verdict"]');
  const says = (re) => page.waitForFunction((s) => new RegExp(s).test(document.querySelector('[data-testid="fd-pick-verdict"]').textContent), re.source);
  // Until the question is answered, the page does not give the answer away.
  const optimal = page.locator('[data-testid="fd-optimal"]');
  assert.match(await optimal.textContent(), /drawn and named once you check your h/);
  assert.doesNotMatch(await optimal.textContent(), /forward h\* =/);
  // The right of the plot: a large h, where truncation dominates.
  await plot.click({ position: { x: box.width * 0.9, y: box.height * 0.5 } });
  await says(/too large: truncation/);
  assert.match(await optimal.textContent(), /forward h\* = 2√\(ε\|f\|\/\|f″\|\) ≈ 1\.4·10⁻⁹/);
  assert.ok(Number(await page.locator('[data-testid="fd-h"]').inputValue()) > 1e-3, 'a click on the right picks a large h');
  assert.match(await verdict.textContent(), /[2-9](\.\d)? decades too large/);
  // The left: a tiny h, where round-off dominates.
  await plot.click({ position: { x: box.width * 0.15, y: box.height * 0.5 } });
  await says(/too small: round-off/);
  assert.ok(Number(await page.locator('[data-testid="fd-h"]').inputValue()) < 1e-11, 'a click on the left picks a tiny h');
  // The best step the page names (the plot's h* line), typed and checked from the keyboard: the bottom of the V.
  const best = (await verdict.textContent()).match(/h\* ≈ (\S+?), /)[1];
  await fill(page, 'fd-h', best);
  await page.locator('[data-testid="fd-pick-check"]').focus();
  await page.keyboard.press('Enter');
  await says(/bottom of the V/);
  await shot(page, 'numeric-pick');
  await page.close();
});
