// #/lecture — presenter mode, as a lecturer with a two-button clicker uses it: the whole lecture walked with PageDown on
// a 1280×800 and a 1024×768 projector (each slide on one screen, its number shown, no notice, at most 10 presses a
// slide), Esc and back, N/End/Home, the speaker view in a second window, the pen kept per slide, swipes on a phone.
// Every slide's screenshot is kept (light at 1280×800, dark at 1024×768).
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
const slideNo = async (page) => Number((await counter(page)).trim().split(' ')[0]);
/** After a key: the slide and its chapter have settled (a build's play finished, the figure fitted). */
async function settle(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-builds"]')?.dataset.busy !== 'true');
  // The fit has settled: the slide's box is the same over a few frames (figures redraw at their new size first).
  await page.evaluate(() => new Promise((resolve) => {
    let last = '', same = 0, frames = 0;
    const tick = () => {
      const r = document.querySelector('[data-testid="slide-fit"]')?.getBoundingClientRect();
      const now = r ? `${r.width.toFixed(1)}x${r.height.toFixed(1)}` : '';
      same = now === last ? same + 1 : 0;
      last = now;
      // …and every figure is drawn at the size it is shown.
      const drawn = [...document.querySelectorAll('.fit-inner canvas')].every((c) => !c.offsetWidth || Math.abs(c.width - c.offsetWidth * devicePixelRatio) < 3);
      if ((same >= 4 && drawn) || ++frames > 120) resolve(); else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }));
}

/** What a projector shows of the slide: the fitted box, the key number, notices, the smallest number's size. */
async function inspect(page) {
  return page.evaluate(() => {
    const fit = document.querySelector('[data-testid="slide-fit"]').getBoundingClientRect();
    const caption = document.querySelector('[data-testid="slide-caption"]');
    const key = caption.dataset.key && document.querySelector(caption.dataset.key);
    const keyBox = key?.getBoundingClientRect();
    const visible = (e) => e.getBoundingClientRect().width > 0 && !e.closest('[aria-hidden="true"]');
    const fitScale = Number(document.querySelector('[data-testid="slide-fit"]').dataset.scale || 1);
    const sizes = [...document.querySelectorAll('main .fit-inner [data-value]')].filter(visible).map((e) => {
      // The size as drawn: the font size times every scale between it and the screen (the fit, an SVG's viewBox).
      let px = parseFloat(getComputedStyle(e).fontSize) * fitScale;
      const svg = e.closest('svg');
      if (svg?.viewBox.baseVal?.width) px *= svg.getBoundingClientRect().width / fitScale / svg.viewBox.baseVal.width;
      return { id: e.dataset.testid || e.className?.baseVal || e.className || e.tagName, px };
    });
    return {
      fit: { top: fit.top, left: fit.left, bottom: fit.bottom, right: fit.right },
      view: { w: innerWidth, h: innerHeight },
      key: key ? { value: key.getAttribute('data-value'), box: { top: keyBox.top, bottom: keyBox.bottom, left: keyBox.left, right: keyBox.right, w: keyBox.width } } : null,
      expect: caption.dataset.expect,
      selector: caption.dataset.key,
      notices: [...document.querySelectorAll('[data-testid="url-notice"]')].filter(visible).map((e) => e.textContent),
      // Nothing on a slide hides part of itself behind a scroll bar or a clip (a clicker cannot scroll).
      scrolled: [...document.querySelectorAll('main .fit-inner *')].filter((e) => {
        const o = getComputedStyle(e);
        const clips = (v) => v !== 'visible' && e.clientWidth > 1 && e.clientHeight > 1;
        return (clips(o.overflowY) && e.scrollHeight > e.clientHeight + 2) || (clips(o.overflowX) && e.scrollWidth > e.clientWidth + 2);
      }).filter(visible).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${e.scrollWidth}×${e.scrollHeight} in ${e.clientWidth}×${e.clientHeight}`),
      smallest: sizes.sort((a, b) => a.px - b.px)[0] || null,
      show: caption.dataset.show.split(' ').filter(Boolean),
      parts: [...new Set([...document.querySelectorAll('main .lead, main .picker, main .plot-actions, main [data-part]')]
        .filter((e) => e.offsetParent !== null).map((e) => e.dataset.part || e.className))].sort(),
    };
  });
}

for (const [w, ht, dark] of [[1280, 800, false], [1024, 768, true]]) {
  test(`the whole lecture with PageDown at ${w}×${ht}${dark ? ', dark' : ''}: one screen a slide, its number shown, ≤ 10 presses, no notice`, async () => {
    const page = await h.open('#/lecture', { width: w, height: ht });
    if (dark) {
      await page.keyboard.press('d');
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    }
    const total = Number((await counter(page)).split('/')[1]);
    assert.ok(total >= 26 && total <= 40, `${total} slides`);
    assert.equal(await page.locator('.site-header').isVisible(), false, 'the audience sees no navigation');
    let most = 0;
    const report = [];
    for (let k = 1; k <= total; k++) {
      assert.equal(await slideNo(page), k);
      await settle(page);
      await page.waitForTimeout(150);
      const first = await inspect(page);
      assert.deepEqual(first.notices, [], `slide ${k}: no notice from navigation`);
      assert.ok(first.fit.bottom <= first.view.h + 1 && first.fit.right <= first.view.w + 1 && first.fit.top >= 0,
        `slide ${k}: the slide fits the screen ${JSON.stringify(first.fit)}`);
      assert.deepEqual(first.parts, [...first.show].sort(), `slide ${k}: the chapter's parts on screen`);
      assert.deepEqual(first.scrolled, [], `slide ${k}: nothing scrolls or is clipped inside the slide`);
      await shot(page, `slide-${String(k).padStart(2, '0')}-${w}${dark ? '-dark' : ''}`, undefined, { viewport: true });
      // Walk the builds: count the presses until the next slide.
      let presses = 0;
      let last = first;
      while (await slideNo(page) === k && presses <= 12) {
        last = await inspect(page);
        if (k === total) break;
        await page.keyboard.press(presses % 2 ? 'PageDown' : 'ArrowRight');
        presses++;
        await page.waitForFunction(([n, b]) => {
          const c = document.querySelector('[data-testid="slide-counter"]')?.textContent || '';
          const d = document.querySelector('[data-testid="slide-builds"]');
          return !c.startsWith(`${n} /`) || (d && d.dataset.done !== b);
        }, [k, await page.evaluate(() => document.querySelector('[data-testid="slide-builds"]')?.dataset.done ?? '')]);
        await settle(page);
      }
      // Before moving on, the slide showed its number: the one the lecture prints.
      if (last.expect) {
        assert.ok(last.key, `slide ${k}: ${last.selector} is on the slide`);
        assert.equal(last.key.value, last.expect, `slide ${k}: ${last.selector}`);
      } else if (last.selector && last.selector !== 'main h1') {
        assert.ok(last.key, `slide ${k}: ${last.selector} is on the slide`);
      }
      if (last.key && last.key.box.w > 0) {
        assert.ok(last.key.box.bottom <= ht + 1 && last.key.box.top >= 0 && last.key.box.right <= w + 1,
          `slide ${k}: the key number is on screen ${JSON.stringify(last.key.box)}`);
      }
      assert.ok(presses <= 10, `slide ${k}: ${presses} presses`);
      most = Math.max(most, presses);
      if (first.smallest) report.push(`${k}: ${first.smallest.px.toFixed(1)} px (${first.smallest.id})`);
      if (first.smallest) {
        assert.ok(first.smallest.px >= 12, `slide ${k}: a number drawn at ${first.smallest.px} px (${first.smallest.id})`);
      }
    }
    console.log(`${w}×${ht}: at most ${most} presses on a slide; smallest number per slide: ${report.join('; ')}`);
    if (dark) await page.evaluate(() => localStorage.removeItem('adlab.theme'));
    await page.close();
  });
}

test('Esc opens the chapter exactly as on screen; back returns to the same slide and build; N, End, Home, ←', async () => {
  const page = await h.open('#/lecture?slide=9', { width: 1280, height: 800 });
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('PageDown');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="slide-builds"]').dataset.done) === n, i + 2);
    await settle(page);
  }
  const step = (await page.locator('[data-testid="step-counter"]').textContent()).trim();
  assert.ok(!step.startsWith('0 /'), step);
  await page.waitForFunction((s) => location.hash.includes(`sub=${s}`), step.split(' ')[0]);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => location.hash.startsWith('#/graph'));
  await page.waitForSelector('[data-testid="step-counter"]');
  assert.equal((await page.locator('[data-testid="step-counter"]').textContent()).trim(), step, 'the chapter at the step on screen');
  assert.ok(decodeURIComponent(page.url()).includes('n=4'), 'with the slide\'s program');
  assert.equal(await page.locator('[data-testid="url-notice"]').count(), 0);
  await page.goBack();
  await page.waitForFunction(() => location.hash.startsWith('#/lecture'));
  await page.waitForSelector('[data-testid="slide-builds"]');
  assert.equal(await slideNo(page), 9);
  assert.equal((await page.locator('[data-testid="step-counter"]').textContent()).trim(), step, 'back: the same build');
  // End: the slide's last build; Home: its first; N: the next slide at once.
  await page.keyboard.press('End');
  await page.waitForFunction(() => { const d = document.querySelector('[data-testid="slide-builds"]').dataset; return d.done === d.all; });
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-builds"]').dataset.done === '1');
  await page.keyboard.press('n');
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith('10 /'));
  // ← at a slide's start goes back to the previous slide, at its last build.
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith('9 /'));
  await page.waitForFunction(() => { const d = document.querySelector('[data-testid="slide-builds"]')?.dataset; return d && d.done === d.all; });
  assert.equal(await page.locator('[data-testid="url-notice"]').count(), 0);
  // A second press while a build plays finishes it at once.
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-builds"]').dataset.done === '1');
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="slide-builds"]').dataset.done) >= 2);
  await settle(page);
  assert.equal(await page.locator('[data-testid="slide-builds"]').getAttribute('data-done'), '3');
  await page.close();
});

test('a typed permalink with steps; B, D, ? and the keys listed', async () => {
  const page = await h.open('#/lecture?slide=13&sub=2');
  assert.equal(await slideNo(page), 13);
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]')?.textContent.trim() === '2 / 4');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="step-counter"]').textContent.trim() === '3 / 4');
  await page.waitForFunction(() => location.hash.includes('slide=13') && location.hash.includes('sub=3'));
  await page.keyboard.press('b');
  await page.waitForSelector('[data-testid="blank-screen"]', { state: 'visible' });
  await page.keyboard.press('b');
  await page.waitForSelector('[data-testid="blank-screen"]', { state: 'detached' });
  await page.keyboard.press('f');
  await page.keyboard.press('?');
  await page.waitForSelector('table.keys');
  const keys = await page.locator('table.keys').textContent();
  for (const k of ['next build, then next slide', 'next slide now', 'the slide\'s last build', 'speaker view', 'full screen',
    'blank the screen', 'leave presenter mode', 'dark or light theme', 'pen: draw over the slide', 'wipe this slide']) {
    assert.ok(keys.includes(k), k);
  }
  await page.keyboard.press('Escape');
  await page.waitForSelector('table.keys', { state: 'detached' });
  assert.ok(page.url().includes('#/lecture'), 'Esc closes the help first, staying in the lecture');
  // A link someone typed with a bad part says so; the presenter never writes one.
  // A fresh page: a hash-only goto on this one races the app's own rewrite of the address.
  await page.close();
  const typed = await h.open('#/lecture?slide=2&sub=5');
  await typed.waitForSelector('[data-testid="url-notice"]');
  await typed.close();
});

test('the speaker view: S opens it; it shows the slide, the next, the notes and a timer, and drives the screen', async () => {
  const screen = await h.open('#/lecture?slide=5', { width: 1280, height: 800 });
  const popup = screen.waitForEvent('popup');
  await screen.keyboard.press('s');
  const speaker = await popup;
  await speaker.setViewportSize({ width: 1280, height: 800 });
  await speaker.waitForSelector('[data-testid="speaker-view"]');
  await speaker.waitForFunction(() => document.querySelector('[data-testid="speaker-slide"]').textContent.startsWith('slide 5 '));
  assert.ok((await speaker.locator('[data-testid="speaker-notes"]').textContent()).includes('eᵢ'), 'the notes of slide 5');
  assert.equal(await speaker.locator('iframe').count(), 2, 'the slide on screen and the next');
  const t0 = await speaker.locator('[data-testid="speaker-timer"]').textContent();
  await speaker.waitForFunction((t) => document.querySelector('[data-testid="speaker-timer"]').textContent !== t, t0, { timeout: 3000 });
  // → in the speaker window moves the screen on; the speaker view follows.
  await speaker.keyboard.press('ArrowRight');
  await screen.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith('6 /'));
  await speaker.waitForFunction(() => document.querySelector('[data-testid="speaker-slide"]').textContent.startsWith('slide 6 '));
  // And the screen's own keys move the speaker view.
  await screen.keyboard.press('n');
  await speaker.waitForFunction(() => document.querySelector('[data-testid="speaker-slide"]').textContent.startsWith('slide 7 '));
  await speaker.waitForTimeout(800);
  await shot(speaker, 'speaker-view', undefined, { viewport: true });
  await speaker.close();
  await screen.close();
});

test('the pen: P draws over the slide, C wipes, each slide keeps its strokes for the session', async () => {
  const page = await h.open('#/lecture?slide=4', { width: 1280, height: 800 });
  const strokes = () => page.locator('[data-testid="pen-layer"] polyline').count();
  const draw = async (x0, y0, x1, y1) => {
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(x0 + ((x1 - x0) * i) / 8, y0 + ((y1 - y0) * i) / 8);
    await page.mouse.up();
  };
  await draw(300, 300, 500, 320);
  assert.equal(await strokes(), 0, 'off, the pen lets the pointer through');
  await page.keyboard.press('p');
  await page.waitForSelector('[data-testid="pen-toggle"][aria-pressed="true"]');
  await draw(300, 400, 500, 450);
  await draw(600, 500, 700, 420);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pen-layer"] polyline').length === 2);
  await shot(page, 'lecture-pen', undefined, { viewport: true });
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith('5 /'));
  assert.equal(await strokes(), 0, 'a new slide starts clean');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith('4 /'));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pen-layer"] polyline').length === 2);
  await page.keyboard.press('c');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pen-layer"] polyline').length === 0);
  await page.click('[data-testid="pen-toggle"]');
  await page.waitForSelector('[data-testid="pen-toggle"][aria-pressed="false"]');
  await page.close();
});

test('on a phone: ordinary type, nothing wider than the screen, swipe left and right between slides', async () => {
  const page = await h.open('#/lecture?slide=3', { width: 390, height: 844 });
  const swipe = (dx) => page.evaluate((dx) => {
    const stage = document.querySelector('.slide-stage');
    const at = (type, x) => stage.dispatchEvent(new PointerEvent(type, { bubbles: true, pointerType: 'touch', clientX: x, clientY: 400, isPrimary: true }));
    at('pointerdown', 200);
    at('pointerup', 200 + dx);
  }, dx);
  await swipe(-150);
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith('4 /'));
  await swipe(150);
  await page.waitForFunction(() => document.querySelector('[data-testid="slide-counter"]').textContent.startsWith('3 /'));
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 391, `page ${wide} px wide`);
  await shot(page, 'lecture-phone-3');
  await page.close();
});
