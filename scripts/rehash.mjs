// Names every content-hashed file of a built site by its own bytes again, and rewrites the references to it.
//
// trunk names each file it emits `<stem>-<up to 16 hex digits>.<ext>`, a hash of what it built; the post-build hook then
// changes the JS glue and the wasm (terser, shorter import names), so their names would no longer say what they hold
// and a browser or the service worker could keep a stale copy under a name that looks new. This gives every hashed
// file the first 16 hex digits of the SHA-256 of its final bytes, files named inside other files first (a file's new
// name changes the bytes of the files that name it), and rewrites the old names in every HTML, JS and CSS file.
//
//   node scripts/rehash.mjs DIR           rename and rewrite (run by scripts/post-build.sh on the staging directory)
//   node scripts/rehash.mjs --check DIR   fail unless every hashed file's name matches its bytes and every file the
//                                         page names exists (run by scripts/test.sh on the release build)
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, readdirSync, renameSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const HASHED = /^(.+)-([0-9a-f]{8,16})((?:_bg)?\.[a-z0-9]+)$/;
const TEXT = /\.(html|js|css|svg)$/;

const args = process.argv.slice(2);
const check = args[0] === '--check';
const dir = check ? args[1] : args[0];
if (!dir) {
  console.error('usage: node scripts/rehash.mjs [--check] DIR');
  process.exit(2);
}

const digest = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const hashed = () => readdirSync(dir).filter((f) => HASHED.test(f));
const texts = () => readdirSync(dir).filter((f) => TEXT.test(f));

if (check) {
  const problems = [];
  const files = hashed();
  if (!files.some((f) => /_bg\.(wasm|lzma)$/.test(f)) || !files.some((f) => f.endsWith('.js'))) {
    problems.push('no hashed wasm (plain or LZMA) and JS glue');
  }
  for (const f of files) {
    const [, , hash] = f.match(HASHED);
    const want = digest(readFileSync(join(dir, f)));
    if (hash !== want) problems.push(`${f}: its bytes hash to ${want}`);
  }
  const page = readFileSync(join(dir, 'index.html'), 'utf8');
  for (const [, name] of page.matchAll(/["'=(\/]([\w.-]+-[0-9a-f]{8,16}(?:_bg)?\.[a-z0-9]+)/g)) {
    if (!existsSync(join(dir, name))) problems.push(`index.html names ${name}, which is not in ${dir}`);
  }
  if (problems.length) {
    console.error(`rehash --check: ${problems.length} problem(s) in ${dir}:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.error(`rehash --check: ${files.length} hashed files match their bytes; every file index.html names exists`);
  process.exit(0);
}

// Files named inside another hashed file go first; a cycle would leave no file to rename (it cannot occur: a file
// cannot name a hash of itself).
let pending = hashed();
let renamed = 0;
while (pending.length) {
  const named = (f) => pending.some((g) => g !== f && readFileSync(join(dir, f), 'latin1').includes(g));
  const next = pending.find((f) => !named(f));
  if (!next) throw new Error(`rehash: the hashed files name each other in a cycle: ${pending.join(', ')}`);
  pending = pending.filter((f) => f !== next);
  const [, stem, , ext] = next.match(HASHED);
  const name = `${stem}-${digest(readFileSync(join(dir, next)))}${ext}`;
  if (name === next) continue;
  renameSync(join(dir, next), join(dir, name));
  renamed++;
  for (const t of texts()) {
    const text = readFileSync(join(dir, t), 'utf8');
    if (text.includes(next)) writeFileSync(join(dir, t), text.split(next).join(name));
  }
}
console.error(`rehash: ${renamed} file(s) renamed after their bytes`);
