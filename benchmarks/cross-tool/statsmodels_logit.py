#!/usr/bin/env python3
"""Times statsmodels' Logit (Newton) on the shared data. Usage: statsmodels_logit.py DIR n p"""
import sys, time, numpy as np, statsmodels.api as sm
d, n, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(f"{d}/X.bin").reshape(p, n).T
y = np.fromfile(f"{d}/y.bin")
t0 = time.perf_counter()
res = sm.Logit(y, X).fit(method="newton", disp=0)
t = time.perf_counter() - t0
print(f"{t:.4f} {res.mle_retvals['iterations']} {res.params[1]:.10f}")
