#!/usr/bin/env bash
# Compares two commits' fit timing on this machine, whose speed drifts by up to 30% within an hour: builds the
# benchmarks at BASE and at the working tree, then alternates their `timing N P THREADS FITS` runs for ROUNDS rounds, so
# both sides meet the same minutes. Extra environment (DOTNET_EnableAVX512=0, EVALSTATS_SIMD_BITS=128, ...) is passed
# through to both. Usage (from the repository root): bash benchmarks/ab-timing.sh BASE [rounds] [n] [p] [threads] [fits]
set -euo pipefail
base=$1; rounds=${2:-3}; n=${3:-1000000}; p=${4:-30}; threads=${5:-2}; fits=${6:-10}
work=$(mktemp -d); trap 'git worktree remove --force "$work/base" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q "$work/base" "$base"
(cd "$work/base" && dotnet build benchmarks/Evaluation.Stats.Benchmarks -c Release -v quiet -nologo -o "$work/A" > /dev/null)
dotnet build benchmarks/Evaluation.Stats.Benchmarks -c Release -v quiet -nologo -o "$work/B" > /dev/null
for ((r = 1; r <= rounds; r++)); do
  for side in A B; do
    label=$([ "$side" = A ] && echo "$base" || echo "working tree")
    echo "$label: $(dotnet "$work/$side/Evaluation.Stats.Benchmarks.dll" timing "$n" "$p" "$threads" "$fits" | grep 'fits:')"
  done
done
