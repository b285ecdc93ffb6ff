#!/usr/bin/env bash
# Cross-tool timing of one logistic fit on the same 1M x 30 data: evalstats logit (timing.fitSeconds and peak
# memory), R glm.fit, statsmodels Logit, and iterations x one OpenBLAS DSYRK as the limit. Run from the repository
# root: bash benchmarks/cross-tool/run.sh [n] [p]. Needs: apt-get install r-base-core python3-statsmodels libopenblas-dev
set -euo pipefail
n=${1:-1000000}; p=${2:-30}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
work=${WORK:-/tmp/evalstats-cross-tool}; mkdir -p "$work"
[ -f "$work/data.csv" ] && [ "$(cat "$work/shape" 2>/dev/null)" = "$n $p" ] || { /usr/bin/python3 "$here/make_data.py" "$work" "$n" "$p"; echo "$n $p" > "$work/shape"; }
gcc -O2 -o "$work/dsyrk" "$here/dsyrk.c" -lopenblas
dotnet build "$root/src/Evaluation.Stats.Tool" -c Release -v q -nologo > /dev/null
tool="$root/src/Evaluation.Stats.Tool/bin/Release/net10.0/evalstats"

/usr/bin/time -v "$tool" logit --data "$work/data.csv" --outcome y --json > "$work/evalstats.json" 2> "$work/evalstats.time"
ev_fit=$(/usr/bin/python3 -c "import json;d=json.load(open('$work/evalstats.json'));print(d['timing']['fitSeconds'], d['iterations'], d['timing']['loadSeconds'], d['coefficients'][1]['estimate'])")
ev_rss=$(awk '/Maximum resident set size/ {printf "%.0f", $6/1024}' "$work/evalstats.time")
read -r ev_t ev_it ev_load ev_b1 <<< "$ev_fit"
read -r r_t r_it r_mem r_b1 <<< "$(Rscript "$here/glm_fit.R" "$work" "$n" "$p")"
read -r sm_t sm_it sm_b1 <<< "$(/usr/bin/python3 "$here/statsmodels_logit.py" "$work" "$n" "$p")"
syrk=$("$work/dsyrk" "$work" "$n" "$p" 5)

/usr/bin/python3 - "$n" "$p" "$ev_t" "$ev_it" "$ev_load" "$ev_rss" "$ev_b1" "$r_t" "$r_it" "$r_mem" "$r_b1" "$sm_t" "$sm_it" "$sm_b1" "$syrk" <<'PY'
import sys
n, p, ev_t, ev_it, ev_load, ev_rss, ev_b1, r_t, r_it, r_mem, r_b1, sm_t, sm_it, sm_b1, syrk = sys.argv[1:]
ev_t, r_t, sm_t, syrk = map(float, (ev_t, r_t, sm_t, syrk)); ev_it = int(ev_it)
limit = ev_it * syrk
print(f"| tool | fit seconds | iterations | evalstats is faster by | b[x1] |")
print(f"| --- | ---: | ---: | ---: | ---: |")
print(f"| evalstats logit (fast path) | {ev_t:.3f} | {ev_it} | 1.0x | {float(ev_b1):.10f} |")
print(f"| R glm.fit | {r_t:.3f} | {r_it} | {r_t/ev_t:.1f}x | {float(r_b1):.10f} |")
print(f"| statsmodels Logit (newton) | {sm_t:.3f} | {sm_it} | {sm_t/ev_t:.1f}x | {float(sm_b1):.10f} |")
print(f"| limit: iterations x one OpenBLAS DSYRK ({syrk*1000:.1f} ms) | {limit:.3f} | {ev_it} | {limit/ev_t:.2f}x (evalstats = {ev_t/limit:.2f}x the limit) | |")
print()
print(f"n = {n}, p = {p}; evalstats peak RSS {ev_rss} MB (whole process: CSV load and fit), load {float(ev_load):.2f} s; R max memory used {r_mem} MB")
PY
