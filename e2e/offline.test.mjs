// Offline after the first visit: the service worker keeps the site's own files; every chapter reloads without a network.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './harness.mjs';

let h;
before(async () => { h = await start(); });
after(async () => {
  await h.stop();
  assert.deepEqual(h.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)), [], 'no page errors or console errors');
});

const ROUTES = ['#/', '#/grad', '#/numeric', '#/symbolic', '#/graph', '#/chain', '#/network', '#/learn', '#/hyper', '#/memory', '#/lecture'];

test('after one visit, every chapter loads and computes offline, and the page says it works offline', async () => {
  const page = await h.open('#/grad');
  await page.waitForFunction(() => document.documentElement.dataset.offline === 'ready', null, { timeout: 60000 });
  assert.ok(await page.locator('[data-testid="offline-note"]').isVisible(), 'the note is shown');
  await page.context().setOffline(true);
  for (const route of ROUTES) {
    await page.goto(h.site.url + route);
    await page.reload();
    await page.waitForSelector('main h1');
    assert.equal(await page.locator('main h1').count(), 1, route);
  }
  await page.goto(h.site.url + '#/grad');
  await page.reload();
  await page.waitForSelector('[data-testid="result-grad-x"]');
  assert.equal(await page.locator('[data-testid="result-grad-x"]').getAttribute('data-value'), '-16');
  await page.goto(h.site.url + '#/hyper');
  await page.reload();
  await page.waitForSelector('[data-testid="hyper-grad-implicit"]');
  assert.equal(await page.locator('[data-testid="hyper-grad-implicit"]').getAttribute('data-value'), '-613.3142512066648');
  await page.context().setOffline(false);
  await page.close();
});
