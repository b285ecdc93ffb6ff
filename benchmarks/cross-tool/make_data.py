#!/usr/bin/env python3
"""Writes the shared 1M x 30 logistic data set: data.csv (y, x1..x29) for evalstats, and the same numbers as raw
little-endian float64 for R, statsmodels and the DSYRK reference: X.bin (n x 30 column-major, intercept first)
and y.bin. Usage: make_data.py OUTDIR [n] [p]"""
import sys, numpy as np
out = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000; p = int(sys.argv[3]) if len(sys.argv) > 3 else 30
rng = np.random.default_rng(20110331)
X = np.empty((n, p)); X[:, 0] = 1.0
X[:, 1:] = np.round(rng.standard_normal((n, p - 1)), 6)   # 6 decimals: the CSV holds exactly these values
beta = rng.uniform(-0.5, 0.5, p) / np.sqrt(p)
y = (rng.random(n) < 1 / (1 + np.exp(-(X @ beta)))).astype(float)
np.asfortranarray(X).T.tofile(f"{out}/X.bin")               # column-major: column 0, then column 1, ...
y.tofile(f"{out}/y.bin")
header = "y," + ",".join(f"x{j}" for j in range(1, p))
np.savetxt(f"{out}/data.csv", np.column_stack([y, X[:, 1:]]), delimiter=",", fmt=["%d"] + ["%.6f"] * (p - 1), header=header, comments="")
print(f"wrote {n} x {p} to {out}")
