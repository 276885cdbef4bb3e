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
    }
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
  for (const k of ['next step, then next slide', 'full screen', 'blank the screen', 'leave presenter mode', 'dark or light theme']) {
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
