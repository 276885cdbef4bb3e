#!/usr/bin/env python3
"""Writes tests/reference.json: programs in AD Lab's language with f and ∇f at a point, computed independently by
sympy (symbolic differentiation) and mpmath (50 significant digits). `tests/reference.rs` checks every engine against
it. Run once, when the set changes: `pip install sympy mpmath && python3 scripts/reference.py`.

Each program is Python that sympy can run with symbols for its inputs: `np.`/`math.` functions map to sympy's."""

import json
import math
import os

import mpmath
import sympy as sp

mpmath.mp.dps = 50

LOGISTIC = "def f(x, n={n}):\n  v = x\n  for i in range(n):\n    v = 4 * v * (1 - v)\n  return v\n"

# (program, {input: value}); inputs in the order AD Lab sees them (parameters, or order of appearance).
CASES = [
    ("def f(x):\n  return x ** 2\n", {"x": 1.0}),
    ("def f(x):\n  return np.log(1 + x ** 2) / x\n", {"x": 1.0}),
    (LOGISTIC.format(n=4), {"x": 0.25}),
    ("y * x**2", {"y": 1.0, "x": 1.0}),
    ("y * x**2", {"y": 2.5, "x": -0.75}),
    ("sin(x) * exp(-x**2 / 2)", {"x": 0.5}),
    ("log(x1) + x1*x2 - sin(x2)", {"x1": 2.0, "x2": 5.0}),
    ("tanh(x)", {"x": 10.0}),
    ("tanh(x)", {"x": 20.0}),
    ("tanh(x)", {"x": -3.5}),
    ("x / y", {"x": 1e300, "y": 1e160}),
    ("x / y", {"x": 1e-300, "y": 1e-170}),
    ("x / y", {"x": 3.0, "y": 7.0}),
    ("sqrt(x)", {"x": 2.0}),
    ("sqrt(1 + x**2)", {"x": 1e-8}),
    ("exp(x) / (1 + exp(x))", {"x": -30.0}),
    ("exp(x) / (1 + exp(x))", {"x": 0.3}),
    ("log(1 + exp(x))", {"x": -2.0}),
    ("cos(x) ** 2 + sin(x) ** 2", {"x": 0.7}),
    ("tan(x)", {"x": 1.5}),
    ("sinh(x) * cosh(y)", {"x": 0.3, "y": -1.2}),
    ("x ** y", {"x": 2.0, "y": 0.5}),
    ("x ** y", {"x": 0.3, "y": 3.7}),
    ("2 ** x", {"x": 10.5}),
    ("x ** 3 - 3 * x", {"x": 1.0001}),
    ("exp(sin(x)) * log(2 + cos(y))", {"x": 0.2, "y": 1.9}),
    ("(x - y) / (x + y)", {"x": 3.0, "y": 2.0}),
    ("x * y * z + sin(x * y)", {"x": 0.5, "y": 2.0, "z": 3.0}),
    ("1 / (1 + x**2)", {"x": 100.0}),
    ("atanish = x / sqrt(1 + x**2)\natanish", {"x": 0.4}),
    ("def f(x, y):\n  a = x * y\n  b = sin(x)\n  c = x ** 2\n  return a + b + c\n", {"x": 0.5, "y": 2.0}),
    ("def f(x, y, z):\n  return x * y * z + sin(x)\n", {"x": 1.0, "y": 2.0, "z": 3.0}),
    ("def f(x):\n  s = 0\n  for k in range(1, 6):\n    s = s + x ** k / k\n  return s\n", {"x": 0.3}),
    ("def f(x):\n  p = 1\n  for k in range(5):\n    p = p * (x - k * 0.1)\n  return p\n", {"x": 0.37}),
    ("def f(x, y):\n  for i in range(3):\n    x, y = x * cos(y), y + x * 0.1\n  return x + y\n", {"x": 0.8, "y": 0.4}),
    ("def f(a, b):\n  s = 0\n  for i in range(4):\n    s += a * exp(-b * i)\n  return s\n", {"a": 1.5, "b": 0.25}),
    ("def f(x):\n  v = x\n  for i in range(10):\n    v = sin(v) + 0.5 * v\n  return v\n", {"x": 1.1}),
    ("def f(x, w):\n  h = tanh(w * x)\n  return 0.5 * (h - 1) ** 2\n", {"x": 0.6, "w": -1.3}),
    ("def f(x, y):\n  r = sqrt(x * x + y * y)\n  return log(r)\n", {"x": 3.0, "y": 4.0}),
    ("def f(x):\n  return exp(-1 / x ** 2)\n", {"x": 0.5}),
    ("def f(t):\n  return cos(t) * t ** 2\n", {"t": 2.2}),
    ("x ** 0.5 * y ** 1.5", {"x": 4.0, "y": 9.0}),
    ("log(x) ** 2", {"x": 7.0}),
    # (Not `exp(x) - 1 - x` at 10⁻⁵ or `sin(x)/x` at 10⁻³: there the subtraction cancels most digits in every
    # engine and in f64 itself — ill-conditioned, not a test of the engines.)
    ("sin(x) / x", {"x": 0.9}),
    ("(1 + x) ** 10", {"x": 0.05}),
    ("x / (1 + abs_free)\n".replace("abs_free", "x**2"), {"x": -2.0}),
]

# Logistic maps of several lengths at points where they are well conditioned (derivatives grow like 2ⁿ, so the
# relative condition stays near 1), and families over a grid of points.
for n in (1, 2, 3, 5, 8, 12):
    CASES.append((LOGISTIC.format(n=n), {"x": 0.25}))
for k, x in enumerate((0.1, 0.35, 0.6, 0.85, 1.3, -0.4, 2.5, 3.1)):
    CASES.append(("sin(x) * cos(2 * x) + exp(-x) * log(1 + x**2)", {"x": x}))
    CASES.append(("tanh(x) * x**3 - sqrt(1 + x**2)", {"x": x}))
    CASES.append(("def f(x, y):\n  return x ** 2 * exp(y) / (1 + y ** 2), sin(x * y)\n", {"x": x, "y": 1 - x / 3}))
    CASES.append(("(x - 1) ** 3 / (x ** 2 + 1) + cosh(x / 4)", {"x": x}))
    CASES.append(("log(2 + sin(x)) * (x + 1) ** 0.5", {"x": abs(x)}))
    CASES.append(("def f(x, y, z):\n  return exp(x * y) / (1 + z**2) + tanh(x - z) * sqrt(y)\n", {"x": x / 3, "y": 1.7, "z": -0.4 + k / 10}))

# Lists, loops over lists, augmented assignments, and every function — abs, max, min and relu at points away from
# their kinks (there the derivative is a convention, not a limit).
CASES += [
    ("def f(x, y):\n  m = [x, y]\n  for k in range(3):\n    m.append(m[-1] * m[-2] + 0.1)\n  return m[-1]\n", {"x": 0.7, "y": 1.2}),
    ("def f(x):\n  m = [x]\n  for v in [1.0, 2.0, 3.0]:\n    m.append(sin(v * m[-1]))\n  s = 0\n  for v in m:\n    s += v ** 2\n  return s\n", {"x": 0.4}),
    ("def f(x, y):\n  m = [x] * 2 + [y]\n  t = 0\n  for i in range(len(m)):\n    t = t * 0.5 + m[i] * (i + 1)\n  return t * m[-1]\n", {"x": 1.5, "y": -0.3}),
    ("def f(x):\n  v = x\n  for i in range(3):\n    for j in range(2):\n      v = v + 0.1 * cos(v * (i + j))\n  return v\n", {"x": 0.9}),
    ("def f(x, y):\n  a, b = x, y\n  for i in range(4):\n    a, b = a * 0.5 + b * 0.25, tanh(a - b)\n  return a * b\n", {"x": 1.1, "y": 0.2}),
    ("def f(x):\n  s = 1.0\n  s *= x\n  s -= sinh(x)\n  s /= cosh(x)\n  s **= 2\n  return s\n", {"x": 0.8}),
    ("abs(x) * y + abs(sin(y))", {"x": -1.5, "y": 2.5}),
    ("max(x, y) * min(x, y) + max(x ** 2, y, 0.1)", {"x": 0.6, "y": 1.7}),
    ("max([x, y, x * y]) - min(x, 2 * y)", {"x": 1.3, "y": 1.1}),
    ("relu(x - 0.5) * relu(y) + tan(x) * log(y)", {"x": 0.9, "y": 1.6}),
    ("def f(x):\n  m = []\n  for k in range(1, 5):\n    m.append(abs(x - k / 4))\n  return max(m) * min(m)\n", {"x": 0.3}),
    ("def f(x, y):\n  return sqrt(x ** 2 + y ** 2), atan_free * 0 + exp(x / y)\n".replace("atan_free * 0 + ", ""), {"x": 0.5, "y": 2.0}),
]

FUNCS = {
    "log": sp.log, "exp": sp.exp, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sinh": sp.sinh, "cosh": sp.cosh,
    "tanh": sp.tanh, "sqrt": sp.sqrt, "abs": sp.Abs, "relu": lambda a: sp.Max(0, a),
}

# Python's max and min compare numbers: at the case's point, pick the argument Python would return (the first of
# equals), kept symbolic so that it is differentiated as AD Lab does.
POINT = {}


def pick(args, better):
    if len(args) == 1:
        args = list(args[0])
    best = args[0]
    for a in args[1:]:
        if better(sp.N(sp.sympify(a).subs(POINT), 60), sp.N(sp.sympify(best).subs(POINT), 60)):
            best = a
    return best


FUNCS["max"] = lambda *a: pick(a, lambda u, v: u > v)
FUNCS["min"] = lambda *a: pick(a, lambda u, v: u < v)


class Module:
    def __getattr__(self, name):
        return FUNCS[name]


def run(src, names):
    """The program's outputs as sympy expressions in the symbols `names`."""
    syms = {n: sp.Symbol(n, real=True) for n in names}
    env = dict(FUNCS, np=Module(), math=Module(), range=range)
    if src.lstrip().startswith("def "):
        exec(src, env)
        f = env["f"]
        params = f.__code__.co_varnames[: f.__code__.co_argcount]
        out = f(*[syms[p] for p in params if p in syms])
    else:
        lines = src.strip("\n").split("\n")
        body = "\n".join(lines[:-1])
        env.update(syms)
        exec(body, env)
        out = eval(lines[-1], env)
    return out if isinstance(out, tuple) else (out,), syms


def digits(x):
    return mpmath.nstr(x, 25, min_fixed=-1, max_fixed=-1) if x != 0 else "0"


cases = []
for src, point in CASES:
    names = list(point)
    syms = {n: sp.Symbol(n, real=True) for n in names}
    # The inputs as the exact values of the doubles (not their decimal spelling).
    subs = {syms[n]: sp.Rational(*float(v).as_integer_ratio()) for n, v in point.items()}
    POINT.clear()
    POINT.update(subs)
    outs, syms = run(src, names)
    rows = []
    for out in outs:
        value = sp.N(out.subs(subs), 50)
        grad = [sp.N(sp.diff(out, syms[n]).subs(subs), 50) for n in names]
        # The Hessian (second derivatives at 50 digits), for programs small enough to differentiate twice quickly.
        hess = None
        if sp.count_ops(out) <= 4000:
            hess = [
                [digits(mpmath.mpf(str(sp.N(sp.diff(out, syms[a], syms[b]).subs(subs), 50)))) for b in names]
                for a in names
            ]
        rows.append({"value": digits(mpmath.mpf(str(value))), "gradient": [digits(mpmath.mpf(str(g))) for g in grad],
                     "hessian": hess})
    cases.append({"source": src, "inputs": names, "point": [point[n] for n in names], "outputs": rows})

path = os.path.join(os.path.dirname(__file__), "..", "tests", "reference.json")
with open(path, "w") as fh:
    json.dump({"generator": "scripts/reference.py (sympy " + sp.__version__ + ", mpmath at 50 digits)", "cases": cases}, fh, indent=1)
print(f"{len(cases)} programs written to tests/reference.json")
