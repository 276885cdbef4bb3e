// Sharing and embedding on the release build: the share box (Q or the header's button) copies the link and the
// <iframe> code and shows the link as a QR code that a real decoder reads; `?embed=1` inside an <iframe> on another
// origin shows the chapter alone, works, keeps `embed=1` as it writes its state, and opens the full app in the same state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, serve, axe, shot } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors, [], 'no page errors or console errors (a panic shows up here)');
});

/** A page in a context that may use the clipboard, its errors recorded with the others. */
async function clipboardPage(hash, viewport = { width: 1280, height: 800 }) {
  const ctx = await h.browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => h.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') h.errors.push(`console: ${m.text()}`); });
  await page.goto(h.site.url + hash);
  await page.waitForSelector('main#main > *');
  return page;
}

test('share: Q opens the box, the link and the embed code are copied, the QR code decodes to the link', async () => {
  const hash = '#/graph?f=def%20f(x%2C%20y)%3A%0A%20%20return%20y%20*%20x**2%0A&in.x=3&in.y=2&mode=reverse&step=5';
  const page = await clipboardPage(hash);
  await page.waitForTimeout(300);
  await page.keyboard.press('q');
  await page.waitForSelector('[data-testid="share-overlay"]');
  const link = await page.locator('#share-url').inputValue();
  assert.equal(link, page.url(), 'the link is the page as it is now');
  assert.match(link, /in\.x=3/);
  await page.click('[data-testid="share-link"]');
  assert.match(await page.locator('[data-testid="share-status"]').textContent(), /link is copied/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  await page.click('[data-testid="embed-code"]');
  const code = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(code, /^<iframe src="[^"]*#\/graph\?[^"]*embed=1" title="AD Lab: The computational graph[^"]*"/);
  // The QR code, as a phone's camera would see it.
  const dir = mkdtempSync(join(tmpdir(), 'adlab-qr-'));
  await page.locator('[data-testid="share-qr"]').screenshot({ path: join(dir, 'qr.png') });
  const decoded = execFileSync('zbarimg', ['--raw', '-q', join(dir, 'qr.png')]).toString().trim();
  assert.equal(decoded, link);
  assert.deepEqual(await axe(page), [], 'the share box');
  await shot(page, 'share-box', undefined, { viewport: true });
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('[data-testid="share-overlay"]').count(), 0, 'Esc closes it');
  // The header's button opens it too, on a phone as well.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('[data-testid="share-toggle"]');
  await page.waitForSelector('[data-testid="share-qr"] svg');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no sideways scrolling on a phone (${overflow}px)`);
  await page.click('[data-testid="share-close"]');
  assert.equal(await page.locator('[data-testid="share-overlay"]').count(), 0);
  await page.context().close();
});

test('on a slide, a box over it (share, keys) takes the clicker\'s keys: the slide stays until the box is closed', async () => {
  const page = await h.open('#/lecture?slide=3', { width: 1280, height: 800 });
  const counter = () => page.locator('[data-testid="slide-counter"]').textContent();
  await page.waitForSelector('[data-testid="slide-counter"]');
  const before = await counter();
  for (const [open, overlay] of [['q', 'share-overlay'], ['?', 'keys-overlay']]) {
    await page.keyboard.press(open);
    await page.waitForSelector(`[data-testid="${overlay}"]`);
    for (const key of ['PageDown', 'ArrowRight', 'PageUp', 'ArrowLeft', 'End']) await page.keyboard.press(key);
    await page.waitForTimeout(200);
    assert.equal(await counter(), before, `${overlay}: the slide behind it does not move`);
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(`[data-testid="${overlay}"]`).count(), 0, 'Esc closes it');
  }
  await page.keyboard.press('N');
  await page.waitForFunction((b) => document.querySelector('[data-testid="slide-counter"]').textContent !== b, before);
  await page.close();
});

test('embed: ?embed=1 in an <iframe> on another origin shows the chapter alone, works, and opens the full app in the same state', async () => {
  const page = await h.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => h.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') h.errors.push(`console: ${m.text()}`); });
  // The course page is served from another origin (another port) than the app it embeds.
  const dir = mkdtempSync(join(tmpdir(), 'adlab-course-'));
  const course = await serve(dir);
  assert.notEqual(new URL(course.url).origin, new URL(h.site.url).origin);
  writeFileSync(join(dir, 'course.html'), `<!doctype html><html lang="en"><title>Course</title><link rel="icon" href="data:,"><h1>Week 3</h1>
    <iframe src="${h.site.url}#/grad?f=log(1%2Bx**2)%2Fx&embed=1" title="AD Lab" width="100%" height="700"></iframe></html>`);
  const app = h.site.url;
  await page.goto(course.url + 'course.html');
  const frame = page.frameLocator('iframe');
  await frame.locator('main h1').waitFor();
  assert.equal(await frame.locator('.site-header, .chapter-nav, .site-footer').count(), 0, 'no header, navigation or footer');
  assert.match(await frame.locator('main h1').textContent(), /automatic differentiation/);
  await frame.locator('[data-testid="input-x"]').fill('1');
  await page.waitForTimeout(400);
  assert.equal(await frame.locator('[data-testid="result-value"]').getAttribute('data-value'), '0.6931471805599453');
  const inner = page.frames().find((f) => f.url().startsWith(app));
  assert.match(inner.url(), /embed=1/, 'the address keeps embed=1 as the chapter writes its state');
  assert.match(inner.url(), /in\.x=1/);
  const open = frame.locator('[data-testid="embed-open"]');
  assert.equal(await open.getAttribute('target'), '_blank');
  const [full] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
  await full.waitForSelector('main h1');
  assert.match(full.url(), /#\/grad\?.*in\.x=1/);
  assert.doesNotMatch(full.url(), /embed=1/);
  assert.equal(await full.locator('.site-header').count(), 1, 'the full app');
  assert.equal(await full.locator('[data-testid="result-value"]').getAttribute('data-value'), '0.6931471805599453');
  await shot(page, 'embedded-chapter', undefined, { viewport: true });
  await full.close();
  await page.close();
  await course.close();
});
