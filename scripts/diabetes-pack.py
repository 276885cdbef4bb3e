#!/usr/bin/env python3
"""Writes assets/diabetes/diabetes.bin, the form of scikit-learn's diabetes data the app ships, from the two raw files
beside it (assets/diabetes/diabetes_data_raw.txt, diabetes_target.txt). Usage: python3 scripts/diabetes-pack.py

Each of the 11 variables (age, sex, bmi, bp, s1 … s6, then the target y) is a short table of its distinct values, and
each patient's value an index into it; that is 4.8 KB gzip -9 against 6.9 KB for the same numbers as text.
  header, per variable: decimals (1 byte), count of distinct values (LEB128), then the values times 10^decimals,
          sorted, as LEB128 gaps from the previous one (the first from 0);
  body:   per variable, 442 indices of ceil(log2(count)) bits (at least 1), least significant bit first, one
          bitstream across all variables.
A value is (integer) / 10^decimals in f64: one correctly rounded division, the same double as parsing the decimal text.
`src/lab/ridge.rs` decodes it; its test `the_shipped_data_is_the_raw_files` checks every number, bit for bit."""
from decimal import Decimal
import math
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'assets', 'diabetes')


def leb(n):
    out = bytearray()
    while True:
        c, n = n & 127, n >> 7
        out.append(c | (128 if n else 0))
        if not n:
            return out


def main():
    rows = [l.split() for l in open(os.path.join(ROOT, 'diabetes_data_raw.txt')) if l.strip()]
    target = [l.strip() for l in open(os.path.join(ROOT, 'diabetes_target.txt')) if l.strip()]
    assert len(rows) == 442 and all(len(r) == 10 for r in rows) and len(target) == 442
    columns = [[r[j] for r in rows] for j in range(10)] + [target]
    header, bits = bytearray(), []
    for col in columns:
        values = [Decimal(v) for v in col]
        dec = max(max(-v.normalize().as_tuple().exponent, 0) for v in values)
        ints = [int(v * 10**dec) for v in values]
        assert all(Decimal(i) / 10**dec == v for i, v in zip(ints, values))
        table = sorted(set(ints))
        width = max(1, math.ceil(math.log2(len(table))))
        header += bytes([dec]) + leb(len(table))
        prev = 0
        for t in table:
            header += leb(t - prev)
            prev = t
        bits += [(table.index(i), width) for i in ints]
    body, acc, n = bytearray(), 0, 0
    for v, w in bits:
        acc |= v << n
        n += w
        while n >= 8:
            body.append(acc & 255)
            acc >>= 8
            n -= 8
    if n:
        body.append(acc)
    with open(os.path.join(ROOT, 'diabetes.bin'), 'wb') as f:
        f.write(header + body)
    print(f'diabetes.bin: {len(header) + len(body)} bytes')


main()
