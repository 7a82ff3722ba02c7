#!/usr/bin/env bash
# onednn_profile.sh — where a training step spends its oneDNN time: every primitive
# execution of bench_model logged by ONEDNN_VERBOSE, summed per kind, implementation
# and shape, per step, largest first, then per kind (the figures in README.md, "Where
# the time goes now" and "bf16").
#   bash bench/onednn_profile.sh [ITERATIONS [BENCH_MODEL_ARGS...]]
#   e.g. bash bench/onednn_profile.sh 3 --threads 1 --batch-tokens 1000
#        bash bench/onednn_profile.sh 3 --precision bf16
# BENCH (environment) names the binary (default build/bench/bench_model); --threads 2 and
# --only training are passed first, so later arguments override them. Per-step times
# average the ITERATIONS + 2 steps bench_model runs; the GEMM-peak probes (2048x2048) are
# left out. The step line is bench_model's own median, which includes verbose logging.
set -euo pipefail
cd "$(dirname "$0")/.."
iterations=${1:-3}
shift || true
bench=${BENCH:-build/bench/bench_model}
ONEDNN_VERBOSE=1 "$bench" --threads 2 --only training --iterations "$iterations" "$@" |
  awk -F, -v steps="$((iterations + 2))" '
    /step \(forward/ { print }
    /^onednn_verbose,exec/ && $(NF-1) !~ /2048x2048/ {
      key = $4 "," $5 "," $6 "," $(NF-1); ms[key] += $NF; n[key]++; kind[$4] += $NF }
    END {
      for (k in ms) printf "%10.2f ms/step %7.1f calls/step  %s\n", ms[k] / steps, n[k] / steps, k | "sort -rn"
      close("sort -rn")
      for (k in kind) printf "total %-8s %8.1f ms/step\n", k, kind[k] / steps
    }'
