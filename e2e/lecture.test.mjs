// #/lecture — presenter mode: the whole lecture walked with the keyboard, each slide's number checked; the keys; a
// mid-lecture permalink; screenshots of five slides in the dark theme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, shot } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors, [], 'no page errors or console errors (a panic shows up here)');
});

const counter = (page) => page.locator('[data-testid="slide-counter"]').textContent();
/** Waits until the element's text (trimmed) is `text`: a key's effect lands on the next render. */
const textBecomes = (page, testid, text) => page.waitForFunction(
  ([id, t]) => document.querySelector(`[data-testid="${id}"]`)?.textContent.trim() === t, [testid, text]);

test('the whole lecture with the keyboard: each slide shows the script’s number, steps come before the next slide', async () => {
  const page = await h.open('#/lecture');
  const total = Number((await counter(page)).split('/')[1]);
  assert.ok(total >= 20 && total <= 40, `${total} slides`);
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenting')), true);
  assert.equal(await page.locator('.site-header').isVisible(), false, 'the audience sees no navigation');
  for (let k = 1; k <= total; k++) {
    assert.equal((await counter(page)).trim(), `${k} / ${total}`);
    const caption = page.locator('[data-testid="slide-caption"]');
    assert.ok((await caption.textContent()).length > 20, `slide ${k} has the lecture's words`);
    const [sel, want] = [await caption.getAttribute('data-key'), await caption.getAttribute('data-expect')];
    // A slide whose chapter steps: → steps it first (the counter stays), End goes to its last step.
    if (await page.locator('[data-testid="step-counter"]').count()) {
      const before = await page.locator('[data-testid="step-counter"]').textContent();
      if (!before.startsWith('0 / 0')) {
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction((b) => document.querySelector('[data-testid="step-counter"]').textContent !== b, before);
        assert.equal((await counter(page)).trim(), `${k} / ${total}`, `slide ${k}: → steps the chapter first`);
      }
      await page.keyboard.press('End');
    }
    if (want) {
      await page.waitForSelector(sel);
      assert.equal(await page.locator(sel).first().getAttribute('data-value'), want, `slide ${k}: ${sel}`);
      assert.ok(await page.locator(sel).first().isVisible(), `slide ${k}: the key number is on screen`);
    }
    // Numbers read from the back of the room: every number on screen at least 24 px (on the graph, as drawn).
    const small = await page.evaluate(() => [...document.querySelectorAll('main [data-value]')].filter((e) => {
      if (!e.getBoundingClientRect().width || e.closest('[aria-hidden="true"]')) return false;
      let size = parseFloat(getComputedStyle(e).fontSize);
      const svg = e.closest('svg');
      if (svg?.viewBox.baseVal?.width) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return size < 23.9;
    }).map((e) => e.dataset.testid || e.className?.baseVal || e.className));
    assert.deepEqual(small, [], `slide ${k}: numbers under 24 px`);
    // A clean page: no introduction, no example picker, no figure buttons; of the chapter's optional parts, only those the slide lists.
    const show = (await caption.getAttribute('data-show')).split(' ').filter(Boolean);
    const shown = await page.evaluate(() => [...document.querySelectorAll('main .lead, main .picker, main .plot-actions, main [data-part]')]
      .filter((e) => e.offsetParent !== null).map((e) => e.dataset.part || e.className));
    assert.deepEqual([...new Set(shown)].sort(), [...show].sort(), `slide ${k}: the parts on screen`);
    if (k < total) {
      await page.waitForTimeout(100);
      await page.keyboard.press(k % 2 ? 'ArrowRight' : 'PageDown');
      await page.waitForFunction((n) => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith(`${n} /`), k + 1);
    }
  }
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(300);
  assert.equal((await counter(page)).trim(), `${total} / ${total}`, 'the last slide stays');
  await page.keyboard.press('PageUp');
  await page.waitForFunction((n) => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith(`${n} /`), total - 1);
  await page.close();
});

test('a mid-lecture permalink; stepping writes the step into it; B, D, ? and Esc', async () => {
  const page = await h.open('#/lecture?slide=10&sub=2');
  assert.equal((await counter(page)).trim().split(' ')[0], '10');
  assert.equal((await page.locator('[data-testid="step-counter"]').textContent()).trim(), '2 / 4');
  await page.keyboard.press('ArrowRight');
  await textBecomes(page, 'step-counter', '3 / 4');
  await page.waitForFunction(() => location.hash.includes('slide=10') && location.hash.includes('sub=3'));
  // B blanks the screen, and again brings it back.
  await page.keyboard.press('b');
  await page.waitForSelector('[data-testid="blank-screen"]', { state: 'visible' });
  await page.keyboard.press('b');
  await page.waitForSelector('[data-testid="blank-screen"]', { state: 'detached' });
  // F asks for full screen (headless may refuse; nothing breaks).
  await page.keyboard.press('f');
  // D: the dark projector theme.
  await page.keyboard.press('d');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.keyboard.press('?');
  await page.waitForSelector('table.keys');
  const keys = await page.locator('table.keys').textContent();
  for (const k of ['next step, then next slide', 'full screen', 'blank the screen', 'leave presenter mode', 'dark or light theme', 'pen: draw over the slide', 'wipe the pen']) {
    assert.ok(keys.includes(k), k);
  }
  await page.keyboard.press('Escape');
  await page.waitForSelector('table.keys', { state: 'detached' });
  assert.ok(page.url().includes('#/lecture'), 'Esc closes the help first, staying in the lecture');
  // Five slides in the dark theme, for the record.
  for (const k of [3, 10, 14, 19, 23]) {
    await page.goto(h.site.url + `#/lecture?slide=${k}`);
    await page.reload();
    await page.waitForSelector('[data-testid="slide-counter"]');
    await page.waitForTimeout(300);
    await shot(page, `lecture-dark-${k}`);
  }
  // Esc leaves presenter mode for the slide's chapter, in the script's state.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => location.hash.startsWith('#/hyper'));
  await page.waitForSelector('[data-testid="hyper-grad-implicit"]');
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenting')), false);
  await page.evaluate(() => localStorage.removeItem('adlab.theme'));
  await page.close();
});

test('the pen: P draws over the slide, C wipes, the next slide starts clean', async () => {
  const page = await h.open('#/lecture?slide=11');
  const strokes = () => page.locator('[data-testid="pen-layer"] polyline').count();
  const draw = async (x0, y0, x1, y1) => {
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(x0 + ((x1 - x0) * i) / 8, y0 + ((y1 - y0) * i) / 8);
    await page.mouse.up();
  };
  // Off, the pen lets the pointer through to the page (here: selecting the caption's words).
  await draw(300, 60, 500, 70);
  assert.equal(await strokes(), 0);
  await page.keyboard.press('p');
  await page.waitForSelector('[data-testid="pen-toggle"][aria-pressed="true"]');
  await draw(300, 400, 500, 450);
  await draw(600, 500, 700, 420);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pen-layer"] polyline').length === 2);
  const points = await page.locator('[data-testid="pen-layer"] polyline').first().getAttribute('points');
  assert.ok(points.split(' ').length >= 5, `a stroke follows the pointer: ${points}`);
  await shot(page, 'lecture-pen');
  await page.keyboard.press('c');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pen-layer"] polyline').length === 0);
  await draw(300, 400, 500, 450);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pen-layer"] polyline').length === 1);
  // Keys still step the slide while the pen is on; a new slide starts clean, the pen still on.
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith('12 /'));
  assert.equal(await strokes(), 0);
  assert.equal(await page.locator('[data-testid="pen-toggle"]').getAttribute('aria-pressed'), 'true');
  // The button turns it off as well.
  await page.click('[data-testid="pen-toggle"]');
  await page.waitForSelector('[data-testid="pen-toggle"][aria-pressed="false"]');
  await page.close();
});
