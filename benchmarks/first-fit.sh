#!/usr/bin/env bash
# First-fit latency (issue 14): a package user's first fit in a fresh process, with no warm-up, against the
# steady state of the same process. Runs the benchmarks' `firstfit` harness RUNS times (each a new process).
# Usage (from the repository root): bash benchmarks/first-fit.sh [n] [p] [runs]      (defaults 900000 24 5)
# Extra runtime settings can be tried through the environment, for example DOTNET_TieredCompilation=0.
set -euo pipefail
n=${1:-900000}; p=${2:-24}; runs=${3:-5}
dotnet build benchmarks/Evaluation.Stats.Benchmarks -c Release -v quiet -nologo > /dev/null
exe=benchmarks/Evaluation.Stats.Benchmarks/bin/Release/net10.0/Evaluation.Stats.Benchmarks
for ((k = 1; k <= runs; k++)); do "$exe" firstfit "$n" "$p" 4; done
