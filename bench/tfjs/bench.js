// TensorFlow.js's side of the comparison (scripts/tfjs-bench.sh): the three functions of
// src/lab/tfjs_bench.rs, written with TF.js ops on the numbers AD Lab gives (nd_tensors), their gradients by
// tf.grads, timed on the cpu and the wasm backends; then AD Lab's own run (nd_run) in the same page.
/* global tf, wasm_bindgen */

function tensors(name) {
  const spec = JSON.parse(wasm_bindgen.nd_tensors(name));
  const out = {};
  for (const [k, v] of Object.entries(spec)) out[k] = tf.tensor(v.data, v.shape);
  return out;
}

// Each workload: the inputs differentiated, and the function of them.
const WORKLOADS = {
  mlp(t) {
    const { X, y } = t;
    return {
      params: [t.W1, t.b1, t.W2, t.b2, t.W3, t.b3],
      f: (W1, b1, W2, b2, W3, b3) => {
        const h1 = tf.tanh(tf.add(tf.matMul(X, W1), b1));
        const h2 = tf.tanh(tf.add(tf.matMul(h1, W2), b2));
        const s = tf.reshape(tf.add(tf.matMul(h2, W3), b3), [100]);
        return tf.mean(tf.log(tf.add(1, tf.exp(tf.neg(tf.mul(y, s))))));
      },
    };
  },
  ridge(t) {
    const y = tf.reshape(t.y, [150, 1]);
    const yv = tf.reshape(t.yv, [146, 1]);
    const XT = tf.transpose(t.X);
    return {
      params: [t.lam, t.rho],
      f: (lam, rho) => {
        let beta = tf.zeros([10, 1]);
        for (let i = 0; i < 100; i++) {
          // As the numpy program writes it: X.T @ (X @ beta - y) + lam * beta, times rho.
          const g = tf.add(tf.matMul(XT, tf.sub(tf.matMul(t.X, beta), y)), tf.mul(lam, beta));
          beta = tf.sub(beta, tf.mul(rho, g));
        }
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(tf.matMul(t.Xv, beta), yv))));
      },
    };
  },
  logistic(t) {
    return {
      params: [t.x],
      f: (x) => {
        let v = x;
        for (let i = 0; i < 1000; i++) v = tf.mul(tf.mul(4, v), tf.sub(1, v));
        return v;
      },
    };
  },
};

async function timeTf(name, runs, minMs) {
  const t = tensors(name);
  const { params, f } = WORKLOADS[name](t);
  const g = tf.valueAndGrads(f);
  const once = () => tf.tidy(() => {
    const { value, grads } = g(params);
    return [value.dataSync()[0], grads.map((x) => Array.from(x.dataSync()))];
  });
  const [value, grads] = once();
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < minMs) {
      once();
      n++;
    }
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  for (const x of Object.values(t)) x.dispose();
  return { gradsPerSec: Math.round(rates[rates.length >> 1] * 10) / 10, value, grad: grads.flat().slice(0, 4) };
}

window.runBench = async function (runs, minMs) {
  await wasm_bindgen({ module_or_path: 'tfjs_bench_bg.wasm' });
  const out = { tfjs: tf.version_core, results: [] };
  for (const name of ['mlp', 'ridge', 'logistic']) {
    const row = { name };
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      await tf.ready();
      row[backend] = await timeTf(name, runs, minMs);
    }
    row.adlab = JSON.parse(wasm_bindgen.nd_run(name, runs, minMs));
    row.vsWasm = Math.round((row.adlab.gradsPerSec / row.wasm.gradsPerSec) * 100) / 100;
    row.vsCpu = Math.round((row.adlab.gradsPerSec / row.cpu.gradsPerSec) * 100) / 100;
    out.results.push(row);
  }
  return out;
};
