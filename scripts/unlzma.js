// An LZMA decoder: the site's wasm is shipped as an .lzma file (`xz --format=lzma`, its header's size filled in by
// scripts/pack-wasm.mjs) and decoded here before it is instantiated. scripts/post-build.sh appends this file to the
// wasm-bindgen glue (an ES module), which the page's loader imports. It follows the LZMA specification's reference
// decoder (Igor Pavlov's LzmaSpec, public domain): a range coder over adaptive bit probabilities, literals coded
// with the previous byte as context, matches with lengths, distances and the four last distances kept.
// Corrupt input throws an Error (the page then shows the browser's failure to start, as a missing file would).
export function unlzma(buffer) {
  const src = new Uint8Array(buffer);
  let p = src[0];
  if (p >= 225) throw new Error('lzma: bad properties');
  const lc = p % 9;
  p = (p / 9) | 0;
  const lp = p % 5;
  const pb = (p / 5) | 0;
  const size = src[5] + src[6] * 256 + src[7] * 65536 + src[8] * 16777216;
  if (src[9] | src[10] | src[11] | src[12]) throw new Error('lzma: size unknown or too large');
  const out = new Uint8Array(size);
  let at = 13;
  // Past the end it reads zeros; the end is checked once, after decoding.
  const byte = () => src[at++] | 0;
  // The range coder: `range` and `code` are unsigned 32-bit numbers kept in int32s (compared with the sign bit flipped).
  const S = -2147483648;
  let range = -1;
  let code = 0;
  byte();
  for (let i = 0; i < 4; i++) code = (code << 8) | byte();
  // Every adaptive probability, in one array: literals, then the fixed tables at the offsets below.
  const L = 0x300 << (lc + lp);
  const P = new Uint16Array(L + 192 * 2 + 12 * 4 + 256 + 115 + 16 + 514 * 2).fill(1024);
  const bit = (i) => {
    const q = P[i];
    const bound = Math.imul(range >>> 11, q);
    let b = 0;
    if ((code ^ S) < (bound ^ S)) {
      range = bound;
      P[i] = q + ((2048 - q) >> 5);
    } else {
      range = (range - bound) | 0;
      code = (code - bound) | 0;
      P[i] = q - (q >> 5);
      b = 1;
    }
    if (!(range >>> 24)) {
      range <<= 8;
      code = (code << 8) | byte();
    }
    return b;
  };
  const direct = (n) => {
    let r = 0;
    while (n--) {
      range >>>= 1;
      let b = 0;
      if ((code ^ S) >= (range ^ S)) {
        code = (code - range) | 0;
        b = 1;
      }
      r = r * 2 + b;
      if (!(range >>> 24)) {
        range <<= 8;
        code = (code << 8) | byte();
      }
    }
    return r;
  };
  const tree = (base, n) => {
    let m = 1;
    for (let i = 0; i < n; i++) m = m * 2 + bit(base + m);
    return m - (1 << n);
  };
  const reverse = (base, n) => {
    let m = 1;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const b = bit(base + m);
      m = m * 2 + b;
      s |= b << i;
    }
    return s;
  };
  // A length coder: choice bits, then 3 bits (low, per position state), 3 bits (mid) or 8 bits (high).
  const isMatch = L;
  const isRep0Long = isMatch + 192;
  const isRep = isRep0Long + 192;
  const isRepG0 = isRep + 12;
  const isRepG1 = isRepG0 + 12;
  const isRepG2 = isRepG1 + 12;
  const slots = isRepG2 + 12;
  const spec = slots + 256;
  const align = spec + 115;
  const matchLen = align + 16;
  const repLen = matchLen + 514;
  const length = (ps, posState) => {
    if (!bit(ps)) return tree(ps + 2 + posState * 8, 3);
    if (!bit(ps + 1)) return 8 + tree(ps + 2 + 128 + posState * 8, 3);
    return 16 + tree(ps + 2 + 256, 8);
  };
  const pbMask = (1 << pb) - 1;
  const lpMask = (1 << lp) - 1;
  let state = 0;
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;
  let pos = 0;
  while (pos < size) {
    const posState = pos & pbMask;
    if (!bit(isMatch + (state << 4) + posState)) {
      const prev = pos > 0 ? out[pos - 1] : 0;
      const base = 0x300 * (((pos & lpMask) << lc) + (prev >> (8 - lc)));
      let s = 1;
      if (state >= 7) {
        let match = out[pos - rep0 - 1];
        while (s < 0x100) {
          const mb = (match >> 7) & 1;
          match <<= 1;
          const b = bit(base + ((1 + mb) << 8) + s);
          s = s * 2 + b;
          if (mb !== b) break;
        }
      }
      while (s < 0x100) s = s * 2 + bit(base + s);
      out[pos++] = s - 0x100;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let len;
    if (bit(isRep + state)) {
      if (pos === 0) throw new Error('lzma: corrupt');
      if (!bit(isRepG0 + state)) {
        if (!bit(isRep0Long + (state << 4) + posState)) {
          state = state < 7 ? 9 : 11;
          out[pos] = out[pos - rep0 - 1];
          pos++;
          continue;
        }
      } else {
        let d;
        if (!bit(isRepG1 + state)) d = rep1;
        else {
          if (!bit(isRepG2 + state)) d = rep2;
          else {
            d = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = d;
      }
      len = length(repLen, posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = length(matchLen, posState);
      state = state < 7 ? 7 : 10;
      const slot = tree(slots + (len < 3 ? len : 3) * 64, 6);
      if (slot < 4) rep0 = slot;
      else {
        const n = (slot >> 1) - 1;
        rep0 = (2 | (slot & 1)) * 2 ** n;
        if (slot < 14) rep0 += reverse(spec + rep0 - slot, n);
        else rep0 += direct(n - 4) * 16 + reverse(align, 4);
      }
      if (rep0 === 0xffffffff) break;
      if (rep0 >= pos) throw new Error('lzma: corrupt');
    }
    len += 2;
    if (len > size - pos) throw new Error('lzma: corrupt');
    for (; len > 0; len--, pos++) out[pos] = out[pos - rep0 - 1];
  }
  if (pos !== size || at > src.length) throw new Error('lzma: truncated');
  return out;
}
