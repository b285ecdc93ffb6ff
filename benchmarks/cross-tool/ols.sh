#!/usr/bin/env bash
# Issue 19's OLS target: evalstats ols with HC1 against R's lm + sandwich::vcovHC(type = "HC1") on the same 1M x 30
# data as run.sh (y, x1..x29 and the intercept; y is 0/1, so this is a linear probability model). Both sides are
# timed from data in memory: evalstats' timing.fitSeconds (design expansion + fit + HC1, best of `reps` processes)
# and R's elapsed time of lm(y ~ x1 + ... + x29, data) + vcovHC (best of `reps` in one session). The estimates and
# the HC1 standard error of x1 are printed side by side. Run from the repository root:
#   bash benchmarks/cross-tool/ols.sh [n] [p] [reps]
set -euo pipefail
n=${1:-1000000}; p=${2:-30}; reps=${3:-3}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
work=${WORK:-/tmp/evalstats-cross-tool}; mkdir -p "$work"
[ -f "$work/data.csv" ] && [ "$(cat "$work/shape" 2>/dev/null)" = "$n $p" ] || { /usr/bin/python3 "$here/make_data.py" "$work" "$n" "$p"; echo "$n $p" > "$work/shape"; }
dotnet build "$root/src/Evaluation.Stats.Tool" -c Release -v q -nologo > /dev/null
tool="$root/src/Evaluation.Stats.Tool/bin/Release/net10.0/evalstats"
formula="y ~ $(seq -s ' + ' -f 'x%g' 1 $((p - 1)))"
for r in $(seq 1 "$reps"); do
  "$tool" ols --data "$work/data.csv" --formula "$formula" --robust hc1 --json > "$work/ols.$r.json"
done
read -r ev_t ev_b1 ev_se1 <<< "$(/usr/bin/python3 - "$work" "$reps" <<'PY'
import json, sys
work, reps = sys.argv[1], int(sys.argv[2])
runs = [json.load(open(f"{work}/ols.{r}.json")) for r in range(1, reps + 1)]
best = min(runs, key=lambda d: d['timing']['fitSeconds'])
c = best['coefficients'][1]
print(best['timing']['fitSeconds'], c['estimate'], c['stdError'])
PY
)"
read -r r_t r_b1 r_se1 <<< "$(Rscript "$here/ols_hc1.R" "$work" "$n" "$p" "$reps")"
/usr/bin/python3 - "$n" "$p" "$reps" "$ev_t" "$ev_b1" "$ev_se1" "$r_t" "$r_b1" "$r_se1" <<'PY'
import sys
n, p, reps = sys.argv[1:4]
ev_t, ev_b, ev_se, r_t, r_b, r_se = map(float, sys.argv[4:])
print("| OLS + HC1 | seconds | evalstats is faster by | b[x1] | HC1 SE[x1] |")
print("| --- | ---: | ---: | ---: | ---: |")
print(f"| evalstats ols --robust hc1 (fast path) | {ev_t:.3f} | 1.0x | {ev_b:.12f} | {ev_se:.12f} |")
print(f"| R lm + sandwich::vcovHC(type = \"HC1\") | {r_t:.3f} | {r_t/ev_t:.1f}x | {r_b:.12f} | {r_se:.12f} |")
print(f"\nn = {n}, p = {p} (intercept included), best of {reps} per tool")
PY
