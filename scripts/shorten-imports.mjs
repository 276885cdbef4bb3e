// Gives the wasm's imports from its JS glue short names, in both files: wasm-bindgen names each one
// `__wbg_<method>_<16 hex digits>`, about 200 of them, and the hashes do not compress (≈ 4 KB gzip -9 of the site).
// Run by scripts/post-build.sh on release builds: node scripts/shorten-imports.mjs <dir holding *_bg.wasm and the .js>.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const files = readdirSync(dir);
const wasmName = files.find((f) => f.endsWith('_bg.wasm'));
const jsName = files.find((f) => f.endsWith('.js') && wasmName && f === wasmName.replace('_bg.wasm', '.js'));
if (!wasmName || !jsName) {
  console.error(`shorten-imports: no wasm and glue pair in ${dir}`);
  process.exit(1);
}
const wasm = readFileSync(join(dir, wasmName));
let js = readFileSync(join(dir, jsName), 'utf8');

function uleb(buf, pos) {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [result, pos];
}
function encodeUleb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
const encodeName = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([encodeUleb(b.length), b]); };
const limitsEnd = (buf, p) => {
  const flag = buf[p++];
  [, p] = uleb(buf, p);
  if (flag & 1) [, p] = uleb(buf, p);
  return p;
};

const parts = [wasm.subarray(0, 8)];
let pos = 8, renamed = 0;
const HASHED = /^__wbg_.*_[0-9a-f]{16}$/;
while (pos < wasm.length) {
  const id = wasm[pos];
  const [size, body] = uleb(wasm, pos + 1);
  const end = body + size;
  if (id !== 2) {
    parts.push(wasm.subarray(pos, end));
    pos = end;
    continue;
  }
  let [count, p] = uleb(wasm, body);
  const entries = [encodeUleb(count)];
  for (let i = 0; i < count; i++) {
    let len;
    [len, p] = uleb(wasm, p);
    const module = wasm.toString('utf8', p, p + len);
    p += len;
    [len, p] = uleb(wasm, p);
    const field = wasm.toString('utf8', p, p + len);
    p += len;
    const descStart = p;
    const kind = wasm[p++];
    if (kind === 0) [, p] = uleb(wasm, p);
    else if (kind === 1) p = limitsEnd(wasm, p + 1);
    else if (kind === 2) p = limitsEnd(wasm, p);
    else if (kind === 3) p += 2;
    else if (kind === 4) [, p] = uleb(wasm, p + 1);
    else throw new Error(`shorten-imports: unknown import kind ${kind}`);
    let name = field;
    if (HASHED.test(field) && js.includes(field)) {
      name = `$w${(renamed++).toString(36)}`;
      if (js.includes(name)) throw new Error(`shorten-imports: ${name} already occurs in the glue`);
      js = js.split(field).join(name);
    }
    entries.push(encodeName(module), encodeName(name), wasm.subarray(descStart, p));
  }
  const section = Buffer.concat(entries);
  parts.push(Buffer.from([2]), encodeUleb(section.length), section);
  pos = end;
}
writeFileSync(join(dir, wasmName), Buffer.concat(parts));
writeFileSync(join(dir, jsName), js);
console.error(`shorten-imports: ${renamed} imports renamed`);
