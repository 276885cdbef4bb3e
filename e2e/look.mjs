// Opens routes of the release build and saves full-page screenshots to /tmp/look (for looking at them by hand).
// node e2e/look.mjs '#/chain' '#/chain?step=1' …
import { shot, start } from './harness.mjs';
const h = await start();
let i = 0;
for (const route of process.argv.slice(2)) {
  const [hash, w] = route.split('@');
  const page = await h.open(hash, { width: Number(w || 1280), height: 900 });
  await page.waitForTimeout(400);
  const name = `/tmp/look/${i++}.png`;
  await shot(page, null, name);
  console.log(name, hash);
  await page.close();
}
console.log(h.errors.join('\n'));
await h.stop();
