// Serves the benchmark directory (target/tfjs-bench: AD Lab's bundle, TF.js's scripts and wasm binaries, bench.html)
// and runs window.runBench in headless Chromium; prints its JSON. Usage: node bench/tfjs/run.mjs <dir> [runs] [minMs]
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../e2e/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const [dir, runs = '5', minMs = '1000'] = process.argv.slice(2);
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer(async (req, res) => {
  try {
    const body = await readFile(join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    res.writeHead(200, { 'content-type': TYPES[extname(req.url)] || 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/bench.html`);
  const out = await page.evaluate(([r, m]) => window.runBench(r, m), [Number(runs), Number(minMs)]);
  out.browser = browser.version();
  if (errors.length) out.errors = errors;
  console.log(JSON.stringify(out, null, 1));
} finally {
  await browser.close();
  server.close();
}
