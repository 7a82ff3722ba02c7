#!/usr/bin/env bash
# onednn_profile.sh — where a training step spends its oneDNN time: every primitive
# execution of bench_model logged by ONEDNN_VERBOSE, summed per kind, implementation
# and shape, largest first (the figures in README.md, "Where the time goes now").
#   bash bench/onednn_profile.sh [ITERATIONS] [BENCH_BINARY]
# Totals cover ITERATIONS + 2 steps and the GEMM-peak measurement (the 2048x2048 rows);
# divide by the step count for per-step times.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-3}
bench=${2:-build/bench/bench_model}
ONEDNN_VERBOSE=1 "$bench" --threads 2 --iterations "$iterations" |
  awk -F, '/^onednn_verbose,exec/ { key = $4 "," $5 "," $6 "," $(NF-1); ms[key] += $NF; n[key]++ }
           END { for (k in ms) printf "%10.1f ms %5d calls  %s\n", ms[k], n[k], k }' |
  sort -rn
