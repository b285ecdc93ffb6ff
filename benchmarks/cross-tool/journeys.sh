#!/usr/bin/env bash
# The journeys targets of issue 13 alone (ingest.sh runs them with the logit rows): run from the repository root:
# bash benchmarks/cross-tool/journeys.sh [rounds]. Each round runs `evalstats journeys` on 1M journeys (whole
# process) and R's fread (2 threads) of the same file, in turn; each figure is the best over the rounds. Then one
# run on 5M journeys for the peak RSS. Needs r-base-core and r-cran-data.table (Debian).
set -euo pipefail
rounds=${1:-3}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
work=${WORK:-/tmp/evalstats-cross-tool}; mkdir -p "$work"
for j in 1000000 5000000; do [ -f "$work/journeys-$j.csv" ] || /usr/bin/python3 "$here/make_journeys.py" "$root/tests/Evaluation.Stats.Tests/fixtures/demo" "$work" "$j"; done
# evalstats is timed as a user runs it, as in run.sh and ingest.sh: installed from its package (Native AOT on
# linux-x64) by install-tool.sh; EVALSTATS=path times another build instead.
tool=${EVALSTATS:-$(bash "$here/install-tool.sh" "$work")}
log="$work/journeys.log"; : > "$log"
for r in $(seq 1 "$rounds"); do
  /usr/bin/time -f "ev_journeys %e %M" "$tool" journeys --journeys "$work/journeys-1000000.csv" --design "$work/design-plain.json" --json > /dev/null 2>> "$log"
  echo "fread_journeys $(Rscript "$here/fread_only.R" "$work/journeys-1000000.csv" 1)" >> "$log"
done
/usr/bin/time -f "ev_journeys5m %e %M" "$tool" journeys --journeys "$work/journeys-5000000.csv" --design "$work/design-plain.json" --json > /dev/null 2>> "$log"
get() { grep "^$1 " "$log" | awk -v c="$2" '{print $c}' | sort -g | head -1; }
ej=$(get ev_journeys 2); ejm=$(get ev_journeys 3); fj=$(get fread_journeys 2)
t5=$(get ev_journeys5m 2); m5=$(get ev_journeys5m 3)
/usr/bin/python3 - "$ej" "$ejm" "$fj" "$t5" "$m5" "$rounds" <<'PY'
import sys
ej, ejm, fj, t5, m5, rounds = sys.argv[1:]
ej, fj, t5 = float(ej), float(fj), float(t5)
print(f"| measure (best of {rounds} rounds) | seconds | ratio | target |")
print("| --- | ---: | ---: | --- |")
print(f"| evalstats journeys, whole process, 1M journeys (peak {int(ejm) / 1024:.0f} MB) | {ej:.2f} | {ej / fj:.2f}x fread alone | <= 1.5x |")
print(f"| R fread alone of the same file (2 threads) | {fj:.2f} | | |")
print(f"| evalstats journeys, 5M journeys: peak RSS {int(m5) / 1024:.0f} MB | {t5:.2f} | | <= 1,536 MB |")
PY
