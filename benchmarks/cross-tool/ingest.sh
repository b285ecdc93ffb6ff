#!/usr/bin/env bash
# Ingestion targets of issue 13, measured as same-run ratios (the machine may be shared): run from the repository
# root: bash benchmarks/cross-tool/ingest.sh [rounds]. Each round runs every contender once, in turn; each figure is
# the best over the rounds. Needs r-base-core, r-cran-data.table, python3-pandas, python3-statsmodels (Debian).
# INGEST_ONLY=logit runs only the logit rows (1 and 2). The load rows also give CPU seconds (user + system, all
# threads), the steadier figure when the machine is shared.
#  1. whole-process `evalstats logit` on the 1M x 30 CSV vs R (fread, 2 threads, + glm.fit) and pandas + statsmodels
#  2. the load alone (LogitTable.Read in-process) of the CSV and of the same table as Parquet
#  3. whole-process `evalstats journeys` on 1M journeys vs fread of the same file; peak memory at 5M journeys
set -euo pipefail
rounds=${1:-3}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
work=${WORK:-/tmp/evalstats-cross-tool}; mkdir -p "$work"
n=1000000; p=30
[ -f "$work/data.csv" ] && [ "$(cat "$work/shape" 2>/dev/null)" = "$n $p" ] || { /usr/bin/python3 "$here/make_data.py" "$work" "$n" "$p"; echo "$n $p" > "$work/shape"; }
for j in 1000000 5000000; do [ -f "$work/journeys-$j.csv" ] || /usr/bin/python3 "$here/make_journeys.py" "$root/tests/Evaluation.Stats.Tests/fixtures/demo" "$work" "$j"; done
dotnet build "$root/benchmarks/Evaluation.Stats.Benchmarks" -c Release -v q -nologo > /dev/null
# evalstats is timed as a user runs it: the tool packed and installed with `dotnet tool install` (install-tool.sh; on
# linux-x64 the Native AOT package), not the build output. EVALSTATS=path times another build instead.
tool=${EVALSTATS:-$(bash "$here/install-tool.sh" "$work")}
bench="$root/benchmarks/Evaluation.Stats.Benchmarks/bin/Release/net10.0/Evaluation.Stats.Benchmarks"
[ -f "$work/data.parquet" ] || "$bench" ingest to-parquet "$work/data.csv" "$work/data.parquet"

best() { sort -g | head -1; }
: > "$work/ingest.log"
for r in $(seq 1 "$rounds"); do
  /usr/bin/time -f "ev_logit %e %M" "$tool" logit --data "$work/data.csv" --outcome y --json > "$work/ev.json" 2>> "$work/ingest.log"
  echo "r_e2e $(Rscript "$here/e2e_fread_glm.R" "$work/data.csv" 1)" >> "$work/ingest.log"
  echo "py_e2e $(/usr/bin/python3 "$here/e2e_pandas_statsmodels.py" "$work/data.csv" 1)" >> "$work/ingest.log"
  echo "load_csv $("$bench" ingest load "$work/data.csv" 1)" >> "$work/ingest.log"
  echo "load_parquet $("$bench" ingest load "$work/data.parquet" 1)" >> "$work/ingest.log"
  [ "${INGEST_ONLY:-}" = logit ] && continue
  /usr/bin/time -f "ev_journeys %e %M" "$tool" journeys --journeys "$work/journeys-1000000.csv" --design "$work/design-plain.json" --json > /dev/null 2>> "$work/ingest.log"
  echo "fread_journeys $(Rscript "$here/fread_only.R" "$work/journeys-1000000.csv" 1)" >> "$work/ingest.log"
done
[ "${INGEST_ONLY:-}" = logit ] || /usr/bin/time -f "ev_journeys5m %e %M" "$tool" journeys --journeys "$work/journeys-5000000.csv" --design "$work/design-plain.json" --json > /dev/null 2>> "$work/ingest.log"

get() { grep "^$1 " "$work/ingest.log" | awk -v c="$2" '{print $c}' | best || true; }
ev=$(get ev_logit 2); r=$(get r_e2e 2); rread=$(get r_e2e 3); py=$(get py_e2e 2); pyread=$(get py_e2e 3)
lc=$(get load_csv 2); lp=$(get load_parquet 2); lcc=$(get load_csv 3); lpc=$(get load_parquet 3)
ej=$(get ev_journeys 2); fj=$(get fread_journeys 2); ej=${ej:-0}; fj=${fj:-1}
mem5=$(grep "^ev_journeys5m " "$work/ingest.log" | awk '{printf "%.0f", $3/1024}' || true); t5=$(grep "^ev_journeys5m " "$work/ingest.log" | awk '{print $2}' || true); mem5=${mem5:-0}; t5=${t5:-0}
evmem=$(grep "^ev_logit " "$work/ingest.log" | awk '{m = $3 > m ? $3 : m} END {printf "%.0f", m/1024}')
/usr/bin/python3 - "$ev" "$r" "$rread" "$py" "$pyread" "$lc" "$lp" "$ej" "$fj" "$mem5" "$t5" "$evmem" "$rounds" "$lcc" "$lpc" <<'PY'
import sys
ev, r, rread, py, pyread, lc, lp, ej, fj, mem5, t5, evmem, rounds, lcc, lpc = sys.argv[1:]
ev, r, rread, py, pyread, lc, lp, ej, fj, t5, lcc, lpc = map(float, (ev, r, rread, py, pyread, lc, lp, ej, fj, t5, lcc, lpc))
print(f"| measure (best of {rounds} rounds) | seconds | ratio | target |")
print("| --- | ---: | ---: | --- |")
print(f"| evalstats logit, whole process, 1M x 30 CSV (peak {evmem} MB) | {ev:.2f} | 1.0x | |")
print(f"| R: fread (2 threads) + glm.fit (read {rread:.2f} s) | {r:.2f} | evalstats {r/ev:.1f}x faster | >= 5x |")
print(f"| pandas.read_csv + statsmodels Logit (read {pyread:.2f} s) | {py:.2f} | evalstats {py/ev:.1f}x faster | >= 5x |")
print(f"| load alone: LogitTable.Read of the CSV (in-process; CPU {lcc:.2f} s) | {lc:.2f} | | <= 1.0 s |")
print(f"| load alone: the same table as Parquet (CPU {lpc:.2f} s) | {lp:.2f} | {lc/lp:.1f}x faster than the CSV (CPU {lcc/lpc:.1f}x) | >= 2x |")
if ej > 0:  # not run with INGEST_ONLY=logit
    print(f"| evalstats journeys, whole process, 1M journeys | {ej:.2f} | {ej/fj:.2f}x fread alone | <= 1.5x |")
    print(f"| R fread alone of the same file (2 threads) | {fj:.2f} | | |")
    print(f"| evalstats journeys, 5M journeys: peak RSS {mem5} MB | {t5:.2f} | | <= 1,536 MB |")
PY
