// Shared by the end-to-end tests: serves the release build from dist/ and drives Debian's Chromium.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = join(here, '..', 'dist');
export const SHOTS = join(here, 'screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
};

/**
 * The path the site is served under: `/` here, `/<repository>/` on GitHub Pages. scripts/test.sh builds with
 * `--public-url "$PUBLIC_URL"` and the tests serve the build under the same path, so the build that is tested is the
 * one that is published.
 */
export const PREFIX = process.env.PUBLIC_URL || '/';

/** Serves `dir` (the release build, dist/) under PREFIX on a free loopback port; returns { url, close }. */
export async function serve(dir = DIST) {
  const server = createServer(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!full.startsWith(PREFIX)) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    const path = normalize('/' + full.slice(PREFIX.length)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? path + 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${PREFIX}`, close: () => new Promise((r) => server.close(r)) };
}

export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Starts the site and a browser; every page records console errors and uncaught exceptions (a panic is one). */
export async function start() {
  const site = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  await mkdir(SHOTS, { recursive: true });
  const errors = [];
  async function open(hash, { width = 1280, height = 900 } = {}) {
    const page = await browser.newPage({ viewport: { width, height } });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    await page.goto(site.url + hash);
    await page.waitForSelector('main#main > *');
    return page;
  }
  return {
    site, browser, errors, open,
    async stop() { await browser.close(); await site.close(); },
  };
}

/** The full f64 (Rust `{}` text) a hook element carries. */
export async function value(page, testid) {
  const el = page.locator(`[data-testid="${testid}"]`);
  return el.getAttribute('data-value');
}

/** Replaces a field's or the editor's content (fires the same `input` events as typing). */
export async function fill(page, testid, text) {
  await page.locator(`[data-testid="${testid}"]`).fill(text);
}

/** Types key by key, as a user would (the editor's Enter keeps indentation, so type flat text here). */
export async function typeKeys(page, testid, text) {
  const el = page.locator(`[data-testid="${testid}"]`);
  await el.click();
  await el.press('Control+A');
  await el.press('Delete');
  await el.pressSequentially(text);
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now; returns the serious and critical violations as
 * readable lines (an empty array when there are none).
 */
export async function axe(page) {
  await page.addScriptTag({ path: join(here, 'node_modules', 'axe-core', 'axe.min.js') });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return result;
}

export async function shot(page, name, path = join(SHOTS, `${name}.png`), { viewport = false } = {}) {
  if (viewport) {
    // What the screen shows (a projected slide), not the whole page.
    await page.screenshot({ path });
    return;
  }
  // Parts far off screen skip rendering (content-visibility), so a full-page picture would show them empty: the
  // window is made as tall as the page for the picture, then put back.
  const before = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (before && height > before.height) {
    await page.setViewportSize({ width: before.width, height: Math.min(height, 16000) });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  }
  await page.screenshot({ path, fullPage: true });
  if (before && height > before.height) await page.setViewportSize(before);
}
