fn main() {
    for src in [
        "def f(x):\n  for i in range(100000000):\n    s = i * 2\n  return x\n",
        "def f(x):\n  v = x\n  for i in range(100000000):\n    v = v * 1.0001 + x\n  return v\n",
        "def f(x):\n  for i in range(3000):\n    for j in range(3000):\n      k = i + j\n  return x\n",
    ] {
        let t = std::time::Instant::now();
        let r = ad_lab::lang::lower_source(src);
        println!("{:?} {:?}", t.elapsed(), r.err().map(|e| e.message));
    }
}
