#!/usr/bin/env bash
# mpi_scaling.sh — what data-parallel training costs and gains on this machine, and
# what it would on more (README "Training on several machines"):
#   1. target tokens/s of the Multi30k recipe: one process with 2 threads and
#      train.accumulate 2, against `mpirun -np 2` with 1 thread per rank and
#      accumulate 1 (the same updates, byte for byte), over STEPS updates;
#   2. the gradient reduction (bench_reduction) by message size on 2 ranks, and for
#      the recipe's gradient;
#   3. the projected efficiency on 2-64 machines at 10, 25 and 100 Gb/s
#      (bench/mpi_projection.py) from the measured step time and parameter count.
#   bash bench/mpi_scaling.sh [NMT] [BENCH_REDUCTION]      STEPS=40, BATCH_TOKENS=2000 by default
# (2,000 target tokens per rank and batch: the size the projection's goal names).
# After scripts/build.sh and data/prepare_multi30k.sh. Run it alone: the figures are timings.
set -euo pipefail
cd "$(dirname "$0")/.."
nmt=${1:-build/app/nmt}
reduction=${2:-build/bench/bench_reduction}
steps=${STEPS:-40}
batch_tokens=${BATCH_TOKENS:-2000}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# No validation or test: only training is timed (tokens/s of each log window).
common=(-c configs/multi30k-en-de.ini --data.dev "" --data.test "" --train.max_steps "$steps" --train.batch_tokens "$batch_tokens"
        --train.log_every 10 --train.max_minutes 0 --tokenizer.threads 2)
# The mean tokens/s of the log windows after the first (which holds the warm-up).
tokens_per_s() {
  python3 -c 'import json,sys
r=[json.loads(l) for l in open(sys.argv[1]) if "\"train\"" in l][1:]
print(round(sum(x["tokens_per_s"] for x in r)/len(r)))' "$1/metrics.jsonl"
}

"$nmt" train "${common[@]}" --train.threads 2 --train.accumulate 2 --train.run_dir "$work/one" 2> /dev/null
mpirun -np 2 --bind-to core "$nmt" train "${common[@]}" --train.threads 1 --train.accumulate 1 \
  --train.run_dir "$work/two" 2> /dev/null
one=$(tokens_per_s "$work/one")
two=$(tokens_per_s "$work/two")
same=$(python3 tests/mpi_compare.py "$work/one" "$work/two" > /dev/null && echo "byte-identical" || echo "DIFFERENT")
parameters=$(sed -n 's/.* \([0-9]*\) parameters$/\1/p' "$work/one/train.log" | head -1)
batch=$(sed -n 's/^batch_tokens = //p' "$work/one/config.ini")

echo "| Multi30k recipe, $steps updates of 2 × $batch target tokens | target tokens/s | ratio |"
echo "| --- | --- | --- |"
echo "| 1 process, 2 threads, accumulate 2 | $one | 1 |"
awk -v a="$two" -v b="$one" 'BEGIN { printf "| mpirun -np 2, 1 thread each, accumulate 1 | %d | %.2f |\n", a, a / b }'
echo
echo "The two runs' weights, moments and metrics: $same."
echo
mpirun -np 2 --bind-to core "$reduction" --repeats 20 > "$work/reduction.txt"
grep -v '^json: \|^machine: ' "$work/reduction.txt"
per_update=$(mpirun -np 2 --bind-to core "$reduction" --repeats 20 --bytes $((4 * parameters)) |
             sed -n 's/^json: .*"ms": \([0-9.]*\).*/\1/p')
echo
echo "The reduction of one update's gradient ($parameters parameters, 2 ranks): $per_update ms."

echo
# One rank's step on one machine: a batch of $batch target tokens at the 2-thread speed.
step_ms=$(awk -v t="$one" -v b="$batch" 'BEGIN { printf "%.1f", 1000 * b / t }')
python3 bench/mpi_projection.py --step-ms "$step_ms" --parameters "$parameters"
echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(sed -n 's/^machine: //p' "$work/reduction.txt");" \
     "commit $(git rev-parse --short HEAD)"
