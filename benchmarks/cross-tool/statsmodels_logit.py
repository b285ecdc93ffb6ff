#!/usr/bin/env python3
"""Times statsmodels' Logit (Newton) on the shared data, best of `reps` fits. Usage: statsmodels_logit.py DIR n p [reps]"""
import sys, time, numpy as np, statsmodels.api as sm
d, n, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(f"{d}/X.bin").reshape(p, n).T
y = np.fromfile(f"{d}/y.bin")
reps = int(sys.argv[4]) if len(sys.argv) > 4 else 1
t = float("inf")
for _ in range(reps):
    t0 = time.perf_counter()
    res = sm.Logit(y, X).fit(method="newton", disp=0)
    t = min(t, time.perf_counter() - t0)
print(f"{t:.4f} {res.mle_retvals['iterations']} {res.params[1]:.10f}")
