// Ships the site's wasm LZMA-compressed: `<stem>_bg.wasm` becomes `<stem>_bg.lzma` (xz's .lzma format, its header's
// size filled in), and the page's loader fetches that file and decodes it with `unlzma` (scripts/unlzma.js, appended
// to the JS glue by scripts/post-build.sh) before instantiating it. LZMA takes the wasm to 80 % of its gzip -9 size
// (docs/size.md); decoding it takes about 50 ms on a laptop (docs/performance.md).
//
//   node scripts/pack-wasm.mjs DIR      (run by scripts/post-build.sh on the staging directory, before rehash.mjs)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/pack-wasm.mjs DIR');
  process.exit(2);
}
const fail = (why) => {
  console.error(`pack-wasm: ${why}`);
  process.exit(1);
};
const wasms = readdirSync(dir).filter((f) => f.endsWith('_bg.wasm'));
if (wasms.length !== 1) fail(`expected one *_bg.wasm in ${dir}, found ${wasms.length}`);
const wasm = wasms[0];
const packed = wasm.replace(/\.wasm$/, '.lzma');
const bytes = readFileSync(join(dir, wasm));
// lc=3, lp=0, pb=0: wasm's code is byte-aligned, so the position bits do not help (measured: 0.3 % smaller than pb=2).
const lzma = execFileSync('xz', ['--format=lzma', '--lzma1=preset=9e,lc=3,lp=0,pb=0', '--stdout'], {
  input: bytes,
  maxBuffer: 1 << 28,
});
// xz writes "size unknown" (all ones) and an end marker; the decoder wants the size, to allocate the output once.
if (bytes.length >= 2 ** 32) fail('wasm too large');
lzma.writeUInt32LE(bytes.length, 5);
lzma.writeUInt32LE(0, 9);
writeFileSync(join(dir, packed), lzma);
unlinkSync(join(dir, wasm));

const page = join(dir, 'index.html');
let html = readFileSync(page, 'utf8');
const load = /module_or_path:\s*'([^']*)_bg\.wasm'/;
const preload = /<link\b[^>]*_bg\.wasm[^>]*>/;
if (!load.test(html)) fail(`index.html does not load ${wasm} as expected`);
if (!preload.test(html)) fail(`index.html does not preload ${wasm} as expected`);
html = html
  .replace(
    load,
    (_, stem) =>
      `module_or_path: fetch('${stem}_bg.lzma').then((r) => { if (!r.ok) throw new Error(r.url + ': ' + r.status); ` +
      `return r.arrayBuffer(); }).then(bindings.unlzma)`,
  )
  .replace(preload, (tag) => tag.replace('_bg.wasm', '_bg.lzma').replace(/\s+type=(["']?)application\/wasm\1/, ''));
writeFileSync(page, html);
console.error(`pack-wasm: ${wasm} (${bytes.length} bytes) → ${packed} (${lzma.length} bytes)`);
