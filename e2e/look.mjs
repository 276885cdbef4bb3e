// Opens routes of the release build and saves screenshots to /tmp/look (for looking at them by hand):
//   node e2e/look.mjs '#/chain' '#/chain?step=1@390' '#/lecture?slide=4@1280x800' …
// `@W` sets the window's width (height 900), `@WxH` both; with VIEW=1 only the window is taken (what a projector
// shows), otherwise the whole page. DARK=1 takes them in the dark theme.
import { mkdirSync } from 'node:fs';
import { shot, start } from './harness.mjs';
const h = await start();
mkdirSync('/tmp/look', { recursive: true });
let i = 0;
for (const route of process.argv.slice(2)) {
  const [hash, size] = route.split('@');
  const [w, ht] = (size || '1280').split('x').map(Number);
  const page = await h.open(hash, { width: w, height: ht || 900 });
  if (process.env.DARK) {
    await page.keyboard.press('d');
  }
  await page.waitForTimeout(600);
  const name = `/tmp/look/${i++}.png`;
  if (process.env.VIEW) await page.screenshot({ path: name });
  else await shot(page, null, name);
  console.log(name, hash, size || '');
  await page.close();
}
console.log(h.errors.join('\n'));
await h.stop();
