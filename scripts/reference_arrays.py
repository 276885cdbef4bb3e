#!/usr/bin/env python3
"""Writes tests/reference_arrays.json: sixty small numpy array programs, each with f, its gradient with
respect to every float/array parameter, and (when the inputs hold at most 12 numbers in all) the full Hessian, all
computed by HIPS autograd (https://github.com/HIPS/autograd) at the parameters' default values.

Run once, when the set changes (needs only numpy and autograd, e.g. in a venv):

    python3 -m venv /tmp/agvenv && /tmp/agvenv/bin/pip install autograd numpy
    /tmp/agvenv/bin/python scripts/reference_arrays.py        # or: python3 scripts/reference_arrays.py

It writes tests/reference_arrays.json (and nothing else) and fails loudly (non-zero exit) if any self-check fails.

Each program is Python source in a restricted subset (checked below by `check_subset`): a first line
`import numpy as np` or `import autograd.numpy as np`, then exactly one `def f(...)` (2-space indentation) whose
parameters all have defaults — `np.array([...])` literals of float literals, plain float literals, or int literals
used only as `range` counts. Float/array parameters are the inputs; int parameters are listed under "ints" and are
not differentiated. f returns a scalar (rank-0).

JSON layout:
  {"generator", "autograd_version", "numpy_version", "python_version", "notes",
   "programs": [{"name", "source",
                 "inputs":  [{"name", "shape": [..], "value": [flattened row-major floats]}],  # shape [] = scalar
                 "ints":    [{"name", "value": int}],
                 "value":   float,
                 "grad":    [{"name", "shape", "value": [flattened row-major]}],  # one per input, same order
                 "hessian": [[..], ..] or null}]}  # n×n over all inputs concatenated in parameter order
Floats are written by json (Python's repr, so they round-trip exactly); NaN/±inf would be the strings "NaN",
"inf", "-inf" (none occur in this set).

Self-checks (any failure raises SystemExit with a message):
  * every source stays inside the subset (ast walk + textual indentation check);
  * the program runs with plain numpy too and gives the same value (to 1e-14 relative);
  * f is a finite rank-0 value;
  * every gradient component agrees with a central difference (h = 1e-6·max(1,|x|)) to 1e-5 relative to the
    program's largest gradient component (1e-5 absolute floor);
  * a second, coarse central difference (h = 1e-3·max(1,|x|)) agrees to 1e-3 relative, which shows that no kink of
    abs/maximum/minimum/where/max/min lies within 1e-3 of the point along any coordinate;
  * autograd.grad by argnum agrees with autograd.grad of the flattened wrapper (1e-13);
  * the Hessian is symmetric (1e-10) and agrees with central differences of autograd's gradient (1e-5);
  * the JSON round-trips exactly.
"""

import ast
import json
import math
import os
import platform
import sys
import time
from importlib.metadata import version as pkg_version

import numpy as onp

import autograd
import autograd.numpy as anp

START = time.time()

PROGRAMS = []


def P(name, source):
    PROGRAMS.append((name, source))


# ---------------------------------------------------------------------------------------------------------------
# Least squares, MLPs, losses
# ---------------------------------------------------------------------------------------------------------------

P("tanh_layer_sum_squares", """\
import autograd.numpy as np

def f(W=np.array([[0.5, -0.3], [0.1, 0.4]]), b=np.array([0.1, -0.2]), X=np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]])):
  h = np.tanh(X @ W + b)
  return np.sum(h ** 2)
""")

P("least_squares_tanh", """\
import autograd.numpy as np

def f(w=np.array([0.5, -0.3]), X=np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]]), y=np.array([0.2, -0.4, 0.6])):
  r = np.tanh(X @ w) - y
  return 0.5 * np.sum(r ** 2)
""")

P("least_squares_linear_mean", """\
import numpy as np

def f(w=np.array([0.7, -0.2]), b=0.1, X=np.array([[1.0, 0.5], [-0.5, 1.5], [2.0, -1.0]]), y=np.array([0.3, -0.8, 1.1])):
  r = X @ w + b - y
  return np.sum(r ** 2) / X.shape[0]
""")

P("mlp_tanh_logistic", """\
import autograd.numpy as np

def f(W1=np.array([[0.6, -0.4], [0.2, 0.9]]), b1=np.array([0.1, -0.3]), w2=np.array([1.2, -0.7]), b2=0.05, X=np.array([[1.0, -0.5], [0.3, 0.8], [-1.2, 0.4]]), y=np.array([1.0, -1.0, 1.0])):
  h = np.tanh(X @ W1 + b1)
  s = h @ w2 + b2
  return np.sum(np.log(1 + np.exp(-y * s)))
""")

P("mlp_relu_logistic", """\
import autograd.numpy as np

def f(W1=np.array([[0.8, -0.5], [0.3, 0.6]]), w2=np.array([0.9, -1.1]), X=np.array([[1.0, 0.4], [-0.6, 1.2]]), y=np.array([1.0, -1.0])):
  z = X @ W1
  h = np.maximum(0, z)
  s = h @ w2
  return np.sum(np.log(1 + np.exp(-y * s)))
""")

P("mlp_relu_bias_mean", """\
import autograd.numpy as np

def f(W1=np.array([[0.5, -0.6, 0.2], [0.4, 0.3, -0.7]]), b1=np.array([0.1, 0.2, -0.1]), w2=np.array([0.8, -0.5, 1.3]), X=np.array([[1.0, 0.5], [-0.7, 1.1]]), y=np.array([-1.0, 1.0])):
  h = np.maximum(0.0, X @ W1 + b1)
  s = h @ w2
  return np.mean(np.log(1 + np.exp(-y * s)))
""")

P("logistic_regression_sigmoid", """\
import autograd.numpy as np

def f(w=np.array([0.4, -0.6]), X=np.array([[1.0, 0.5], [-0.3, 1.2], [0.8, -1.0]]), y=np.array([1.0, 0.0, 1.0])):
  p = 1 / (1 + np.exp(-(X @ w)))
  return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
""")

P("hinge_loss", """\
import autograd.numpy as np

def f(w=np.array([0.5, -0.4]), b=0.1, X=np.array([[1.0, 0.2], [-0.4, 0.9], [0.6, -1.0]]), y=np.array([1.0, -1.0, 1.0])):
  margins = 1 - y * (X @ w + b)
  return np.sum(np.maximum(0.0, margins)) + 0.5 * np.sum(w ** 2)
""")

P("huber_where", """\
import autograd.numpy as np

def f(w=np.array([1.5, -0.5]), X=np.array([[1.0, 0.3], [-0.5, 1.0], [0.8, 0.6]]), y=np.array([0.2, -1.9, 2.4])):
  r = X @ w - y
  a = np.abs(r)
  return np.sum(np.where(a > 1.0, a - 0.5, 0.5 * r ** 2))
""")

P("gaussian_nll", """\
import autograd.numpy as np

def f(mu=0.3, s=-0.2, x=np.array([0.5, -0.4, 1.1, 0.2])):
  z = (x - mu) / np.exp(s)
  return np.sum(0.5 * z ** 2 + s)
""")

# ---------------------------------------------------------------------------------------------------------------
# The lecture's Example 2: ridge regression by gradient descent, differentiated w.r.t. the step and the penalty
# ---------------------------------------------------------------------------------------------------------------

P("ridge_gd_rho_lam", """\
import autograd.numpy as np

def f(rho=0.1, lam=0.5, T=5):
  X = np.linspace(-1.0, 1.0, 6).reshape(3, 2)
  y = np.linspace(0.5, -0.5, 3)
  beta = np.zeros(2)
  for t in range(T):
    beta = beta - rho * (X.T @ (X @ beta - y) + lam * beta)
  return 0.5 * np.sum((X @ beta - y) ** 2)
""")

P("ridge_gd_all", """\
import autograd.numpy as np

def f(rho=0.1, lam=0.5, X=np.array([[1.0, 0.5], [-0.5, 1.0], [0.3, -0.2]]), y=np.array([1.0, -0.5, 0.2]), T=5):
  beta = np.zeros(2)
  for t in range(T):
    beta = beta - rho * (X.T @ (X @ beta - y) + lam * beta)
  return 0.5 * np.sum((X @ beta - y) ** 2)
""")

P("ridge_solve_closed_form", """\
import autograd.numpy as np

def f(lam=0.5, X=np.array([[1.0, 0.5], [-0.5, 1.0], [0.3, -0.2]]), y=np.array([1.0, -0.5, 0.2])):
  A = X.T @ X + lam * np.eye(2)
  beta = np.linalg.solve(A, X.T @ y)
  return np.sum((X @ beta - y) ** 2) + lam * np.sum(beta ** 2)
""")

P("linalg_solve_vector", """\
import autograd.numpy as np

def f(A=np.array([[2.0, 0.5], [-0.3, 1.5]]), b=np.array([1.0, -0.4])):
  x = np.linalg.solve(A, b)
  return np.sum(x ** 2) + np.dot(b, x)
""")

P("linalg_solve_inverse", """\
import autograd.numpy as np

def f(A=np.array([[1.5, 0.4], [0.2, 1.1]])):
  B = np.linalg.solve(A, np.eye(2))
  return np.sum(B * B.T) + np.sum(B)
""")

P("gd_quadratic", """\
import autograd.numpy as np

def f(x0=np.array([1.0, -0.5]), A=np.array([[1.2, 0.3], [0.3, 0.8]]), b=np.array([0.4, -0.2]), lr=0.3, T=4):
  x = x0
  for t in range(T):
    x = x - lr * (A @ x - b)
  return np.sum(x ** 2)
""")

P("sgd_one_epoch", """\
import autograd.numpy as np

def f(w=np.array([0.2, -0.1]), lr=0.2, X=np.array([[1.0, 0.5], [-0.4, 1.2], [0.7, -0.3]]), y=np.array([0.6, -0.2, 0.9])):
  for i in range(len(X)):
    w = w - lr * (X[i] @ w - y[i]) * X[i]
  return np.sum((X @ w - y) ** 2)
""")

# ---------------------------------------------------------------------------------------------------------------
# Chains over lists of matrices, recurrences
# ---------------------------------------------------------------------------------------------------------------

P("tanh_chain_list", """\
import autograd.numpy as np

def f(W1=np.array([[0.9, -0.4], [0.3, 0.7]]), W2=np.array([[0.5, 0.8], [-0.6, 0.2]]), W3=np.array([[1.1, -0.3], [0.4, 0.6]])):
  Ws = [W1, W2, W3]
  h = np.ones(2)
  for W in Ws:
    h = np.tanh(W @ h)
  return np.sum(h)
""")

P("tanh_chain_list_indexed", """\
import autograd.numpy as np

def f(W1=np.array([[0.9, -0.4], [0.3, 0.7]]), W2=np.array([[0.5, 0.8], [-0.6, 0.2]]), x=np.array([0.5, -1.0]), b=np.array([0.1, 0.2])):
  Ws = [W1, W2, W1]
  h = x
  for i in range(len(Ws)):
    h = np.tanh(Ws[i] @ h + b)
  return np.sum(h ** 2)
""")

P("tanh_chain_repeated", """\
import autograd.numpy as np

def f(W=np.array([[0.8, -0.6], [0.5, 0.9]]), x=np.array([1.0, -0.5]), n=6):
  h = x
  for i in range(n):
    h = np.tanh(W @ h)
  return np.sum(h)
""")

P("rnn", """\
import autograd.numpy as np

def f(W=np.array([[0.5, -0.3], [0.2, 0.6]]), u=np.array([0.7, -0.4]), x=np.array([1.0, -0.5, 0.8])):
  h = np.zeros(2)
  for t in range(len(x)):
    h = np.tanh(W @ h + u * x[t])
  return np.sum(h ** 2)
""")

P("linear_layers_list_relu", """\
import autograd.numpy as np

def f(A=np.array([[1.0, -0.5], [0.4, 0.8]]), B=np.array([[0.6, 0.3], [-0.9, 0.4]]), x=np.array([0.7, 0.4])):
  h = x
  for M in [A, B, A]:
    h = np.maximum(0.0, M @ h)
  return np.sum(h)
""")

P("power_iteration", """\
import autograd.numpy as np

def f(A=np.array([[2.0, 0.5], [0.5, 1.0]]), n=5):
  v = np.ones(2)
  for k in range(n):
    v = A @ v
    v = v / np.sqrt(np.sum(v ** 2))
  return v @ A @ v
""")

P("matrix_exp_series", """\
import autograd.numpy as np

def f(A=np.array([[0.3, -0.5], [0.2, 0.1]]), n=6):
  E = np.eye(2)
  term = np.eye(2)
  for k in range(1, n):
    term = term @ A / k
    E = E + term
  return np.sum(E)
""")

P("accumulate_augassign", """\
import autograd.numpy as np

def f(W=np.array([[0.5, -0.2], [0.3, 0.8], [-0.6, 0.4]]), x=np.array([1.0, -0.7])):
  total = 0.0
  for i in range(3):
    total += np.sum(W[i] * x) ** 2
  return total
""")

# ---------------------------------------------------------------------------------------------------------------
# log-sum-exp, softmax
# ---------------------------------------------------------------------------------------------------------------

P("logsumexp_stable", """\
import autograd.numpy as np

def f(z=np.array([0.5, -1.2, 2.0, 0.3])):
  m = np.max(z)
  return m + np.log(np.sum(np.exp(z - m)))
""")

P("logsumexp_rows", """\
import autograd.numpy as np

def f(Z=np.array([[0.5, -1.0, 1.5], [2.0, 0.3, -0.4]])):
  m = np.max(Z, axis=1)
  lse = m + np.log(np.sum(np.exp(Z - m.reshape(2, 1)), axis=1))
  return np.sum(lse)
""")

P("softmax_cross_entropy", """\
import autograd.numpy as np

def f(z=np.array([1.0, -0.5, 0.3]), y=np.array([0.0, 1.0, 0.0])):
  m = np.max(z)
  lse = m + np.log(np.sum(np.exp(z - m)))
  return -np.sum(y * (z - lse))
""")

P("softmax_cross_entropy_batch", """\
import autograd.numpy as np

def f(W=np.array([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6]]), X=np.array([[1.0, -0.5], [0.4, 0.9]]), Y=np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])):
  S = X @ W
  m = np.max(S, axis=1).reshape(2, 1)
  P = np.exp(S - m)
  logp = S - m - np.log(np.sum(P, axis=1)).reshape(2, 1)
  return -np.sum(Y * logp) / len(X)
""")

P("softmax_attention", """\
import autograd.numpy as np

def f(q=np.array([0.5, -0.3]), K=np.array([[1.0, 0.2], [-0.4, 0.8], [0.3, -0.6]]), v=np.array([1.0, -0.5, 0.7])):
  s = K @ q
  e = np.exp(s - np.max(s))
  w = e / np.sum(e)
  return w @ v
""")

# ---------------------------------------------------------------------------------------------------------------
# Broadcasting
# ---------------------------------------------------------------------------------------------------------------

P("broadcast_col_plus_row", """\
import autograd.numpy as np

def f(c=np.array([[0.5], [-0.3], [1.2]]), r=np.array([[0.4, -0.8]])):
  M = c + r
  return np.sum(np.sin(M) * M)
""")

P("broadcast_reshape_outer_sum", """\
import autograd.numpy as np

def f(u=np.array([0.5, -1.0, 0.3]), v=np.array([1.5, -0.2])):
  M = u.reshape(3, 1) * v.reshape(1, 2) + u.reshape(3, 1) - v.reshape(1, 2)
  return np.sum(M ** 2)
""")

P("broadcast_vector_over_rows", """\
import autograd.numpy as np

def f(X=np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -1.1]]), b=np.array([0.1, -0.2, 0.4])):
  Y = np.exp(X * b) + b
  return np.sum(Y)
""")

P("broadcast_center_columns", """\
import autograd.numpy as np

def f(X=np.array([[1.0, -0.5], [0.3, 0.8], [-0.6, 1.4]])):
  C = X - np.mean(X, axis=0)
  return np.sum(C ** 2) + np.sum(C[0] * C[2])
""")

P("broadcast_normalize_rows", """\
import autograd.numpy as np

def f(X=np.array([[1.0, 0.5, 2.0], [0.3, 1.2, 0.7]])):
  N = X / np.sum(X, axis=1).reshape(2, 1)
  return np.sum(N ** 2)
""")

P("broadcast_normalize_columns", """\
import autograd.numpy as np

def f(X=np.array([[1.0, 0.5], [2.0, 0.3], [1.2, 0.7]])):
  N = X / np.sum(X, axis=0)
  return np.sum(np.log(N) * N)
""")

P("layer_norm", """\
import autograd.numpy as np

def f(x=np.array([0.5, -1.0, 2.0, 0.3]), g=np.array([1.0, 0.8, 1.2, 0.9])):
  mu = np.mean(x)
  var = np.mean((x - mu) ** 2)
  z = (x - mu) / np.sqrt(var + 0.01)
  return np.sum(g * np.tanh(z))
""")

P("pairwise_distances", """\
import autograd.numpy as np

def f(A=np.array([[0.0, 1.0], [1.0, -0.5]]), B=np.array([[2.0, 0.5], [-1.0, 1.5], [0.5, -1.0]])):
  D2 = np.sum(A ** 2, axis=1).reshape(2, 1) + np.sum(B ** 2, axis=1).reshape(1, 3) - 2 * A @ B.T
  return np.sum(np.sqrt(D2))
""")

P("rbf_kernel_quadratic", """\
import autograd.numpy as np

def f(x=np.array([0.1, 0.7, -0.4]), a=np.array([0.5, -1.0, 0.8]), ell=0.8):
  D = (x.reshape(3, 1) - x.reshape(1, 3)) ** 2
  K = np.exp(-D / (2 * ell ** 2))
  return a @ K @ a
""")

# ---------------------------------------------------------------------------------------------------------------
# Reductions with axis
# ---------------------------------------------------------------------------------------------------------------

P("reduce_axes_sum_mean", """\
import autograd.numpy as np

def f(X=np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -1.1]])):
  s0 = np.sum(X, axis=0)
  m1 = np.mean(X, axis=1)
  return np.sum(s0 ** 2) + np.sum(np.exp(m1))
""")

P("reduce_axes_max_min", """\
import autograd.numpy as np

def f(X=np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -1.1], [0.6, 0.1, 1.4]])):
  a = np.max(X, axis=0)
  b = np.min(X, axis=1)
  return np.sum(a * b) + np.max(X) - np.min(X)
""")

P("reduce_nested", """\
import autograd.numpy as np

def f(X=np.array([[0.5, 1.5], [-0.3, 0.9], [1.2, -0.4]])):
  r = np.sum(X ** 2, axis=1)
  c = np.mean(np.sin(X), axis=0)
  return np.mean(np.sqrt(r)) * np.sum(c)
""")

# ---------------------------------------------------------------------------------------------------------------
# Indexing, slicing, dot, .T, outer, reshape
# ---------------------------------------------------------------------------------------------------------------

P("indexing_rows_cols", """\
import autograd.numpy as np

def f(X=np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -1.1], [0.6, 0.1, 1.4]]), z=np.array([0.5, -2.0])):
  a = X[1]
  b = X[:, 2]
  return np.sum(a * b) + z[1] * X[0, 1] + np.sum(X[1:3] ** 2) * z[0]
""")

P("slicing_differences", """\
import autograd.numpy as np

def f(x=np.array([0.1, 0.5, 0.4, 1.2, 0.9])):
  d = x[1:5] - x[0:4]
  dd = d[1:4] - d[0:3]
  return np.sum(d ** 2) + 0.5 * np.sum(dd ** 2)
""")

P("slicing_columns_matrix", """\
import autograd.numpy as np

def f(X=np.array([[1.0, -0.5, 0.2], [0.3, 0.8, -1.1]]), w=np.array([0.4, -0.7])):
  L = X[:, 0:2]
  R = X[:, 1:3]
  return np.sum((L @ w) * (R @ w))
""")

P("outer_product", """\
import autograd.numpy as np

def f(u=np.array([0.5, -1.0, 0.3]), v=np.array([1.5, -0.2]), W=np.array([[0.2, 0.4], [-0.1, 0.3], [0.6, -0.5]])):
  return np.sum(np.outer(u, v) * W) + np.sum(np.outer(v, v) ** 2)
""")

P("dot_transpose_quadratic", """\
import autograd.numpy as np

def f(A=np.array([[1.0, 0.3], [-0.4, 0.8]]), x=np.array([0.6, -1.2])):
  B = A.T @ A
  return np.dot(x, np.dot(B, x)) + np.sum(A @ A.T)
""")

P("trace_of_product", """\
import autograd.numpy as np

def f(A=np.array([[1.0, 0.3], [-0.4, 0.8]]), B=np.array([[0.5, -0.2], [0.7, 1.1]])):
  return np.sum(np.eye(2) * (A @ B @ A))
""")

P("reshape_matvec", """\
import autograd.numpy as np

def f(theta=np.array([0.5, -0.3, 0.8, 0.1, -0.6, 0.4]), v=np.array([1.0, -0.5, 0.2])):
  M = theta.reshape(2, 3)
  u = M @ v
  return np.sum(np.tanh(u)) + np.sum(M.T @ u)
""")

P("cosine_similarity", """\
import autograd.numpy as np

def f(u=np.array([0.5, -1.0, 0.3]), v=np.array([1.5, -0.2, 0.7])):
  return np.dot(u, v) / np.sqrt(np.sum(u ** 2) * np.sum(v ** 2))
""")

# ---------------------------------------------------------------------------------------------------------------
# np.where, abs, maximum, minimum (away from kinks); constructors
# ---------------------------------------------------------------------------------------------------------------

P("where_piecewise", """\
import autograd.numpy as np

def f(x=np.array([0.5, -1.2, 2.0, -0.3])):
  return np.sum(np.where(x > 0, x ** 2, 0.5 * x))
""")

P("abs_max_min_elementwise", """\
import autograd.numpy as np

def f(x=np.array([0.5, -1.2, 2.0]), y=np.array([1.0, 0.4, -0.8])):
  return np.sum(np.abs(x) * y) + np.sum(np.maximum(x, y) ** 2) - np.sum(np.minimum(x, y) * x)
""")

P("constructors_polynomial", """\
import autograd.numpy as np

def f(c=np.array([0.5, 1.0, -0.3, 0.2]), x=0.7):
  p = np.arange(4)
  return np.sum(c * x ** p)
""")

P("linspace_fit", """\
import autograd.numpy as np

def f(w=np.array([0.1, 0.9, -0.2])):
  t = np.linspace(-1.0, 1.0, 5)
  pred = w[0] + w[1] * t + w[2] * t ** 2
  return np.mean((pred - np.sin(t)) ** 2)
""")

P("full_ones_eye", """\
import autograd.numpy as np

def f(A=np.array([[0.4, -0.2], [0.1, 0.3]]), s=1.5):
  b = np.full(2, 0.5)
  M = np.eye(2) + s * A
  x = M @ (np.ones(2) + b)
  return np.sum(x ** 3)
""")

# ---------------------------------------------------------------------------------------------------------------
# Scalar programs written with np
# ---------------------------------------------------------------------------------------------------------------

P("scalar_logistic_map", """\
import autograd.numpy as np

def f(x=0.25, n=4):
  v = x
  for i in range(n):
    v = 4 * v * (1 - v)
  return v
""")

P("scalar_log1p_sq_over_x", """\
import numpy as np

def f(x=1.0):
  return np.log(1 + x ** 2) / x
""")

P("scalar_trig_mix", """\
import autograd.numpy as np

def f(x=0.5, y=-1.2):
  return np.sin(x) * np.exp(-x ** 2 / 2) + np.cos(x * y) + np.tan(0.3 * y)
""")

P("scalar_newton_sqrt", """\
import autograd.numpy as np

def f(a=2.0, y0=1.0, n=5):
  y = y0
  for i in range(n):
    y = 0.5 * (y + a / y)
  return y
""")

P("vector_logistic_map", """\
import autograd.numpy as np

def f(v=np.array([0.2, 0.35, 0.6]), r=3.7, n=3):
  for i in range(n):
    v = r * v * (1 - v)
  return np.sum(v)
""")


# ---------------------------------------------------------------------------------------------------------------
# The subset check
# ---------------------------------------------------------------------------------------------------------------

NP_FUNCS = {"sum", "mean", "max", "min", "exp", "log", "sin", "cos", "tan", "tanh", "sqrt", "abs", "maximum",
            "minimum", "where", "zeros", "ones", "eye", "arange", "linspace", "full", "dot", "outer", "array"}
AXIS_FUNCS = {"sum", "mean", "max", "min"}
BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.MatMult)


def fail(msg):
    raise SystemExit("reference_arrays.py: FAILED: " + msg)


def check_subset(name, src):
    lines = src.split("\n")
    if lines[0] not in ("import numpy as np", "import autograd.numpy as np"):
        fail(f"{name}: first line must import numpy as np")
    if not src.endswith("\n"):
        fail(f"{name}: source must end with a newline")
    body_seen = False
    for ln in lines[1:]:
        if not ln.strip():
            continue
        if "\t" in ln:
            fail(f"{name}: tab")
        indent = len(ln) - len(ln.lstrip(" "))
        if indent % 2:
            fail(f"{name}: indentation not a multiple of 2: {ln!r}")
        if ln.startswith("def "):
            continue
        if not body_seen:
            if indent != 2:
                fail(f"{name}: body must be indented by 2")
            body_seen = True
    tree = ast.parse(src)
    if len(tree.body) != 2 or not isinstance(tree.body[0], ast.Import) or not isinstance(tree.body[1], ast.FunctionDef):
        fail(f"{name}: expected an import and one def")
    fn = tree.body[1]
    if fn.name != "f" or fn.decorator_list or fn.returns:
        fail(f"{name}: expected `def f(...)`")
    a = fn.args
    if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or len(a.defaults) != len(a.args) or not a.args:
        fail(f"{name}: every parameter needs a default")
    int_params = set()
    for arg, d in zip(a.args, a.defaults):
        if arg.annotation is not None:
            fail(f"{name}: annotation")
        seg = ast.get_source_segment(src, d)
        if isinstance(d, ast.Constant) and type(d.value) is int:
            int_params.add(arg.arg)
        elif is_float_lit(d):
            if "." not in seg:
                fail(f"{name}: float default without a decimal point: {seg}")
        elif (isinstance(d, ast.Call) and ast.unparse(d.func) == "np.array" and len(d.args) == 1 and not d.keywords
              and is_float_nested_list(d.args[0])):
            for node in ast.walk(d.args[0]):
                if isinstance(node, ast.Constant) and "." not in ast.get_source_segment(src, node):
                    fail(f"{name}: float literal without a decimal point in {arg.arg}")
        else:
            fail(f"{name}: default of {arg.arg} is not a float/int literal or np.array of floats: {seg}")
    range_args = set()
    check_block(name, fn.body, top=True)
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
            for x in node.args:
                if isinstance(x, ast.Name):
                    range_args.add(x.id)
    if int_params - range_args:
        fail(f"{name}: int parameters {sorted(int_params - range_args)} not used as range counts")


def is_float_lit(node):
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is float


def is_float_nested_list(node):
    if isinstance(node, ast.List):
        return bool(node.elts) and all(is_float_nested_list(e) for e in node.elts)
    return is_float_lit(node)


def check_block(name, stmts, top=False):
    for k, s in enumerate(stmts):
        if isinstance(s, ast.Assign):
            if len(s.targets) != 1 or not isinstance(s.targets[0], ast.Name):
                fail(f"{name}: only `name = expr` assignments")
            check_expr(name, s.value)
        elif isinstance(s, ast.AugAssign):
            if not isinstance(s.target, ast.Name) or not isinstance(s.op, ast.Add):
                fail(f"{name}: only `name += expr`")
            check_expr(name, s.value)
        elif isinstance(s, ast.For):
            if not isinstance(s.target, ast.Name) or s.orelse:
                fail(f"{name}: for loops need a plain name target")
            it = s.iter
            ok = isinstance(it, ast.Name) or isinstance(it, ast.List) or (
                isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" and 1 <= len(it.args) <= 2)
            if not ok:
                fail(f"{name}: for loops run over range(...) or a list")
            check_expr(name, it)
            check_block(name, s.body)
        elif isinstance(s, ast.Return):
            if not top or k != len(stmts) - 1 or s.value is None:
                fail(f"{name}: one return, last")
            check_expr(name, s.value)
        else:
            fail(f"{name}: statement {type(s).__name__} is outside the subset")
    if top and not isinstance(stmts[-1], ast.Return):
        fail(f"{name}: must end with return")


def check_expr(name, e, in_where_cond=False):
    def rec(x):
        check_expr(name, x)
    if isinstance(e, ast.Constant):
        if type(e.value) not in (int, float):
            fail(f"{name}: constant {e.value!r} is outside the subset")
    elif isinstance(e, ast.Name):
        pass
    elif isinstance(e, ast.BinOp):
        if not isinstance(e.op, BINOPS):
            fail(f"{name}: operator {type(e.op).__name__}")
        rec(e.left)
        rec(e.right)
    elif isinstance(e, ast.UnaryOp):
        if not isinstance(e.op, ast.USub):
            fail(f"{name}: unary {type(e.op).__name__}")
        rec(e.operand)
    elif isinstance(e, ast.Compare):
        if not in_where_cond or len(e.ops) != 1 or not isinstance(e.ops[0], (ast.Gt, ast.Lt)):
            fail(f"{name}: comparisons only as np.where's condition")
        rec(e.left)
        rec(e.comparators[0])
    elif isinstance(e, ast.List):
        for x in e.elts:
            rec(x)
    elif isinstance(e, ast.Attribute):
        if e.attr not in ("T", "shape"):
            fail(f"{name}: attribute .{e.attr}")
        rec(e.value)
    elif isinstance(e, ast.Subscript):
        rec(e.value)
        idx = e.slice.elts if isinstance(e.slice, ast.Tuple) else [e.slice]
        if len(idx) > 2:
            fail(f"{name}: at most 2 indices")
        for i in idx:
            if isinstance(i, ast.Slice):
                if i.step is not None:
                    fail(f"{name}: slice step")
                for b in (i.lower, i.upper):
                    if b is not None:
                        rec(b)
            else:
                rec(i)
    elif isinstance(e, ast.Call):
        func = ast.unparse(e.func)
        for kw in e.keywords:
            if kw.arg != "axis" or not (isinstance(kw.value, ast.Constant) and kw.value.value in (0, 1)):
                fail(f"{name}: keyword {kw.arg} in {func}")
            if func[3:] not in AXIS_FUNCS:
                fail(f"{name}: axis= on {func}")
        if func in ("len", "range", "np.linalg.solve"):
            pass
        elif func.startswith("np.") and func[3:] in NP_FUNCS:
            if func == "np.array":
                fail(f"{name}: np.array only in defaults")
        elif isinstance(e.func, ast.Attribute) and e.func.attr == "reshape":
            rec(e.func.value)
        else:
            fail(f"{name}: call {func} is outside the subset")
        for k, x in enumerate(e.args):
            check_expr(name, x, in_where_cond=(func == "np.where" and k == 0))
    else:
        fail(f"{name}: expression {type(e).__name__} is outside the subset")


# ---------------------------------------------------------------------------------------------------------------
# Running and differentiating
# ---------------------------------------------------------------------------------------------------------------

def load(src, module):
    """f from the source, with `np` bound to `module` (autograd.numpy or plain numpy) whatever the import line."""
    env = {"np": module, "__builtins__": {"range": range, "len": len}}
    exec(compile(src.split("\n", 1)[1], "<program>", "exec"), env)
    return env["f"]


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def flat(a):
    return [num(v) for v in onp.ravel(onp.asarray(a, dtype=float))]


def scaled_close(a, b, rtol, scale):
    return abs(a - b) <= rtol * max(scale, 1.0)


def process(name, src):
    check_subset(name, src)
    f = load(src, anp)
    fplain = load(src, onp)
    import inspect
    sig = inspect.signature(f)
    inputs, ints = [], []
    for pname, p in sig.parameters.items():
        d = p.default
        if isinstance(d, bool):
            fail(f"{name}: bool default")
        if isinstance(d, int):
            ints.append({"name": pname, "value": d})
        elif isinstance(d, float):
            inputs.append((pname, (), onp.array(d)))
        elif isinstance(d, onp.ndarray) and d.dtype == onp.float64:
            inputs.append((pname, d.shape, d.copy()))
        else:
            fail(f"{name}: parameter {pname} has an unsupported default {d!r}")
    if not inputs:
        fail(f"{name}: no inputs")
    names = [n for n, _, _ in inputs]
    shapes = [s for _, s, _ in inputs]
    sizes = [int(onp.prod(s)) if s else 1 for s in shapes]
    offs = onp.cumsum([0] + sizes)
    n = int(offs[-1])
    x0 = onp.concatenate([onp.ravel(v) for _, _, v in inputs]).astype(float)

    def unflatten(x):
        args = {}
        for k, (nm, shape, _) in enumerate(inputs):
            piece = x[offs[k]:offs[k + 1]]
            args[nm] = piece[0] if shape == () else piece.reshape(shape)
        return args

    def kwargs0():
        return {nm: (float(v) if s == () else v.copy()) for nm, s, v in inputs}

    def F(x):
        return f(**unflatten(x))

    value = f(**kwargs0())
    if onp.ndim(value) != 0:
        fail(f"{name}: f returns shape {onp.shape(value)}, not a scalar")
    value = float(value)
    if not math.isfinite(value):
        fail(f"{name}: f = {value}")
    pv = float(fplain(**kwargs0()))
    if abs(pv - value) > 1e-14 * max(1.0, abs(value)):
        fail(f"{name}: plain numpy gives {pv!r}, autograd.numpy {value!r}")
    if abs(float(F(x0)) - value) > 1e-14 * max(1.0, abs(value)):
        fail(f"{name}: flattened wrapper disagrees")

    # Gradients by argnum, one per input.
    params = list(sig.parameters)
    grads = []
    for nm, shape, _ in inputs:
        argnum = params.index(nm)
        call_args = [kwargs0()[q] if q in names else sig.parameters[q].default for q in params]

        def fk(v, argnum=argnum, call_args=call_args):
            a = list(call_args)
            a[argnum] = v
            return f(*a)
        g = autograd.grad(fk, argnum=0)(call_args[argnum])
        if onp.shape(g) != shape:
            fail(f"{name}: gradient of {nm} has shape {onp.shape(g)}, want {shape}")
        grads.append(onp.ravel(onp.asarray(g, dtype=float)))
    g_all = onp.concatenate(grads)
    if not onp.all(onp.isfinite(g_all)):
        fail(f"{name}: non-finite gradient")
    g_flat = autograd.grad(F)(x0)
    if not onp.allclose(g_flat, g_all, rtol=1e-13, atol=1e-13):
        fail(f"{name}: grad by argnum and grad of the flattened wrapper disagree")

    # Central differences: fine (accuracy) and coarse (no kink within 1e-3).
    gscale = float(onp.max(onp.abs(g_all)))
    for h_rel, tol in ((1e-6, 1e-5), (1e-3, 1e-3)):
        for i in range(n):
            h = h_rel * max(1.0, abs(x0[i]))
            xp, xm = x0.copy(), x0.copy()
            xp[i] += h
            xm[i] -= h
            fd = (float(fplain(**unflatten(xp))) - float(fplain(**unflatten(xm)))) / (2 * h)
            if not scaled_close(fd, g_all[i], tol, gscale):
                fail(f"{name}: d f/d x[{i}] = {g_all[i]!r} by autograd, {fd!r} by central difference (h={h:g})")

    hess = None
    if n <= 12:
        H = onp.asarray(autograd.hessian(F)(x0), dtype=float).reshape(n, n)
        if not onp.all(onp.isfinite(H)):
            fail(f"{name}: non-finite Hessian")
        hscale = max(1.0, float(onp.max(onp.abs(H))))
        if onp.max(onp.abs(H - H.T)) > 1e-10 * hscale:
            fail(f"{name}: Hessian not symmetric")
        G = autograd.grad(F)
        for i in range(n):
            h = 1e-5 * max(1.0, abs(x0[i]))
            xp, xm = x0.copy(), x0.copy()
            xp[i] += h
            xm[i] -= h
            col = (G(xp) - G(xm)) / (2 * h)
            if onp.max(onp.abs(col - H[:, i])) > 1e-5 * hscale:
                fail(f"{name}: Hessian column {i} disagrees with differences of the gradient")
        hess = [[num(v) for v in row] for row in H]

    return {
        "name": name,
        "source": src,
        "inputs": [{"name": nm, "shape": list(s), "value": flat(v)} for nm, s, v in inputs],
        "ints": ints,
        "value": num(value),
        "grad": [{"name": nm, "shape": list(s), "value": flat(g)} for (nm, s, _), g in zip(inputs, grads)],
        "hessian": hess,
    }


def main():
    names = [n for n, _ in PROGRAMS]
    if len(set(names)) != len(names):
        fail("duplicate program names")
    out = []
    for name, src in PROGRAMS:
        out.append(process(name, src))
    ag, npv = pkg_version("autograd"), onp.__version__
    doc = {
        "generator": f"scripts/reference_arrays.py (autograd {ag}, numpy {npv})",
        "autograd_version": ag,
        "numpy_version": npv,
        "python_version": platform.python_version(),
        "notes": "f, gradient (autograd.grad by argnum, per input, flattened row-major) and Hessian (autograd.hessian "
                 "over all inputs concatenated in parameter order; null when they hold more than 12 numbers) at the "
                 "parameters' defaults. Shape [] is a scalar float input (value is a one-element list). Int "
                 "parameters (range counts) are listed under ints and are not inputs.",
        "programs": out,
    }
    text = json.dumps(doc, indent=1, allow_nan=False)
    back = json.loads(text)
    for a, b in zip(back["programs"], out):
        if a != b:
            fail(f"{a['name']}: JSON does not round-trip")
    path = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                         "reference_arrays.json"))
    with open(path, "w") as fh:
        fh.write(text + "\n")
    nh = sum(p["hessian"] is not None for p in out)
    print(f"{len(out)} programs ({nh} with Hessians) written to {path} "
          f"(autograd {ag}, numpy {npv}) in {time.time() - START:.1f} s; all self-checks passed")


if __name__ == "__main__":
    main()
