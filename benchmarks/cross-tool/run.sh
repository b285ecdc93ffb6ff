#!/usr/bin/env bash
# Cross-tool timing of one logistic fit on the same 1M x 30 data (and, first, the end-to-end row: read + fit): evalstats logit (timing.fitSeconds and peak
# memory), R glm.fit, statsmodels Logit, and iterations x one OpenBLAS DSYRK as the limit. Run from the repository
# root: bash benchmarks/cross-tool/run.sh [n] [p] [reps]. Each tool's time is the best of `reps` fits (default 3; this
# machine's timings move by 10-50% between runs): evalstats as `reps` fresh processes (peak memory: the largest), R and
# statsmodels as `reps` fits in one session. Needs (after apt-get update on a fresh machine): apt-get install
# r-base-core python3-statsmodels libopenblas-dev. That makes OpenBLAS Debian's default BLAS, R's included; for R on
# the reference BLAS: update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/blas/libblas.so.3
set -euo pipefail
n=${1:-1000000}; p=${2:-30}; reps=${3:-3}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
work=${WORK:-/tmp/evalstats-cross-tool}; mkdir -p "$work"
[ -f "$work/data.csv" ] && [ "$(cat "$work/shape" 2>/dev/null)" = "$n $p" ] || { /usr/bin/python3 "$here/make_data.py" "$work" "$n" "$p"; echo "$n $p" > "$work/shape"; }
gcc -O2 -o "$work/dsyrk" "$here/dsyrk.c" -lopenblas
# evalstats is timed as a user runs it: the tool packed and installed with `dotnet tool install` (install-tool.sh; on
# linux-x64 the Native AOT package), not the build output. EVALSTATS=path times another build instead.
tool=${EVALSTATS:-$(bash "$here/install-tool.sh" "$work")}

for r in $(seq 1 "$reps"); do
  /usr/bin/time -v "$tool" logit --data "$work/data.csv" --outcome y --json > "$work/evalstats.$r.json" 2> "$work/evalstats.$r.time"
done
ev_fit=$(/usr/bin/python3 - "$work" "$reps" <<'PY'
import json, sys
work, reps = sys.argv[1], int(sys.argv[2])
runs = [json.load(open(f"{work}/evalstats.{r}.json")) for r in range(1, reps + 1)]
best = min(runs, key=lambda d: d['timing']['fitSeconds'])
print(best['timing']['fitSeconds'], best['iterations'], min(d['timing']['loadSeconds'] for d in runs), best['coefficients'][1]['estimate'])
PY
)
ev_rss=$(cat "$work"/evalstats.*.time | awk '/Maximum resident set size/ {m = $6 > m ? $6 : m} END {printf "%.0f", m/1024}')
read -r ev_t ev_it ev_load ev_b1 <<< "$ev_fit"
read -r r_t r_it r_mem r_b1 <<< "$(Rscript "$here/glm_fit.R" "$work" "$n" "$p" "$reps")"
read -r sm_t sm_it sm_b1 <<< "$(/usr/bin/python3 "$here/statsmodels_logit.py" "$work" "$n" "$p" "$reps")"
syrk=$("$work/dsyrk" "$work" "$n" "$p" 5)
# End to end (issue 13): the whole evalstats process (CSV read + fit) against R (fread with 2 threads + glm.fit) and
# pandas.read_csv + statsmodels on the same CSV, best of `reps` each.
ev_wall=$(cat "$work"/evalstats.*.time | awk '/Elapsed \(wall clock\)/ {n = split($NF, t, ":"); s = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2]; m = (m == "" || s < m) ? s : m} END {print m}')
read -r r_e2e r_read _ <<< "$(Rscript "$here/e2e_fread_glm.R" "$work/data.csv" "$reps")"
read -r py_e2e py_read _ <<< "$(/usr/bin/python3 "$here/e2e_pandas_statsmodels.py" "$work/data.csv" "$reps")"

/usr/bin/python3 - "$ev_wall" "$r_e2e" "$r_read" "$py_e2e" "$py_read" <<'PY'
import sys
ev, r, rr, py, pr = map(float, sys.argv[1:])
print("| end to end (CSV read + fit, whole process for evalstats) | seconds | evalstats is faster by |")
print("| --- | ---: | ---: |")
print(f"| evalstats logit | {ev:.2f} | 1.0x |")
print(f"| R data.table::fread (2 threads, read {rr:.2f} s) + glm.fit | {r:.2f} | {r/ev:.1f}x |")
print(f"| pandas.read_csv (read {pr:.2f} s) + statsmodels Logit | {py:.2f} | {py/ev:.1f}x |")
print()
PY
/usr/bin/python3 - "$n" "$p" "$reps" "$ev_t" "$ev_it" "$ev_load" "$ev_rss" "$ev_b1" "$r_t" "$r_it" "$r_mem" "$r_b1" "$sm_t" "$sm_it" "$sm_b1" "$syrk" <<'PY'
import sys
n, p, reps, ev_t, ev_it, ev_load, ev_rss, ev_b1, r_t, r_it, r_mem, r_b1, sm_t, sm_it, sm_b1, syrk = sys.argv[1:]
ev_t, r_t, sm_t, syrk = map(float, (ev_t, r_t, sm_t, syrk)); ev_it = int(ev_it)
limit = ev_it * syrk
print(f"| tool | fit seconds | iterations | evalstats is faster by | b[x1] |")
print(f"| --- | ---: | ---: | ---: | ---: |")
print(f"| evalstats logit (fast path) | {ev_t:.3f} | {ev_it} | 1.0x | {float(ev_b1):.10f} |")
print(f"| R glm.fit | {r_t:.3f} | {r_it} | {r_t/ev_t:.1f}x | {float(r_b1):.10f} |")
print(f"| statsmodels Logit (newton) | {sm_t:.3f} | {sm_it} | {sm_t/ev_t:.1f}x | {float(sm_b1):.10f} |")
print(f"| limit: iterations x one OpenBLAS DSYRK ({syrk*1000:.1f} ms) | {limit:.3f} | {ev_it} | {limit/ev_t:.2f}x (evalstats = {ev_t/limit:.2f}x the limit) | |")
print()
print(f"n = {n}, p = {p}, best of {reps} fits per tool; evalstats peak RSS {ev_rss} MB (whole process: CSV load and fit), load {float(ev_load):.2f} s; R max memory used {r_mem} MB")
PY
