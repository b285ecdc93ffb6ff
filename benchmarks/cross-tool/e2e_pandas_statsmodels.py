#!/usr/bin/env python3
"""End to end in Python: pandas.read_csv of the shared CSV, then statsmodels Logit (Newton), timed as one; best of
`reps`. Prints: seconds-total seconds-read b[x1]. Usage: e2e_pandas_statsmodels.py FILE [reps]"""
import sys, time, numpy as np, pandas as pd, statsmodels.api as sm
f = sys.argv[1]; reps = int(sys.argv[2]) if len(sys.argv) > 2 else 1
best = best_read = float("inf")
for _ in range(reps):
    t0 = time.perf_counter()
    d = pd.read_csv(f)
    t1 = time.perf_counter()
    y = d.iloc[:, 0].to_numpy(dtype=float)
    X = np.column_stack([np.ones(len(d)), d.iloc[:, 1:].to_numpy(dtype=float)])
    res = sm.Logit(y, X).fit(method="newton", disp=0)
    t2 = time.perf_counter()
    best = min(best, t2 - t0); best_read = min(best_read, t1 - t0)
    del d, X
print(f"{best:.4f} {best_read:.4f} {res.params[1]:.10f}")
