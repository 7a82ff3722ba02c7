#!/usr/bin/env bash
# scaling.sh — how training cost grows: bench_model's training figures against batch size
# (target tokens), hidden size and sentence length, as Markdown tables for the README.
#   bash bench/scaling.sh [BENCH_BINARY]     (after scripts/build.sh; takes a few minutes)
# Run it alone on the machine: the figures are timings.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=${1:-build/bench/bench_model}
fields=batch_target_tokens,hidden,length,train_step_ms,train_target_tokens_per_s,train_gflops,gemm_peak_gflops,mfu,train_peak_rss_mb

echo "| target tokens | D | length | step ms | target tokens/s | GFLOP/s | GEMM peak GFLOP/s | MFU | peak RSS MB |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
run() { "$bench" --threads 2 --iterations 5 "$@" | sed -n 's/^json: //p' | bash scripts/json_fields.sh "$fields"; }
for tokens in 500 1000 2000 4000 8000; do run --batch-tokens "$tokens"; done
for hidden in 256 1024; do run --hidden "$hidden"; done
for length in 7 28 56; do run --length "$length"; done
