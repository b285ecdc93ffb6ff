#!/usr/bin/env bash
# Alternated whole-process runs of two (or more) evalstats builds on the ingest.sh data (same WORK), for a same-load
# comparison of start-up work: for each build, `logit` on the 1M x 30 CSV and `journeys` on 1M journeys, round by
# round in turn. Prints per build and command the median (and range) of wall seconds, CPU seconds (user + system,
# all threads), minor page faults, and for logit timing.loadSeconds and timing.fitSeconds.
# Usage (from the repository root, after ingest.sh has made the data):
#   bash benchmarks/cross-tool/startup-ab.sh ROUNDS NAME=PATH [NAME=PATH ...]
# e.g. NAME=PATH pairs for the installed package and an older install; ENV=... before a path runs it with that
# variable, e.g. avx2=env:DOTNET_EnableAVX512=0:/tmp/tool/evalstats.
set -euo pipefail
rounds=$1; shift
work=${WORK:-/tmp/evalstats-cross-tool}
log="$work/startup-ab.log"; : > "$log"
for r in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    name=${spec%%=*}; path=${spec#*=}; envs=()
    while [[ $path == env:* ]]; do path=${path#env:}; envs+=("${path%%:*}"); path=${path#*:}; done
    env "${envs[@]}" /usr/bin/time -f "%e %U %S %R" -o "$work/ab.time" "$path" logit --data "$work/data.csv" --outcome y --json > "$work/ab.json"
    t=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['timing']; print(d['loadSeconds'], d['fitSeconds'])" "$work/ab.json")
    echo "$name logit $(cat "$work/ab.time") $t" >> "$log"
    env "${envs[@]}" /usr/bin/time -f "%e %U %S %R" -o "$work/ab.time" "$path" journeys --journeys "$work/journeys-1000000.csv" --design "$work/design-plain.json" --json > /dev/null
    echo "$name journeys $(cat "$work/ab.time") 0 0" >> "$log"
  done
done
python3 - "$log" "$rounds" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1])]
print(f"| build | command | wall s (median of {sys.argv[2]}, range) | CPU s | minor faults | load s | fit s |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
for key in dict.fromkeys((r[0], r[1]) for r in rows):
    sel = [r for r in rows if (r[0], r[1]) == key]
    wall = [float(r[2]) for r in sel]; cpu = [float(r[3]) + float(r[4]) for r in sel]
    flt = [int(r[5]) for r in sel]; load = [float(r[6]) for r in sel]; fit = [float(r[7]) for r in sel]
    f = lambda v: f"{st.median(v):.2f} ({min(v):.2f}-{max(v):.2f})"
    print(f"| {key[0]} | {key[1]} | {f(wall)} | {f(cpu)} | {st.median(flt):,.0f} | " +
          (f"{f(load)} | {f(fit)} |" if key[1] == "logit" else "| |"))
PY
