#!/usr/bin/env bash
# ablation.sh — one row of the README's ablation table: trains the shipped recipe
# (configs/multi30k-en-de.ini) with a budget in epochs instead of minutes and the given
# overrides, then scores the best model on the dev set (val), greedy and beam 5.
#
#   bash bench/ablation.sh NAME [--section.key value ...]
#   EPOCHS=8 THREADS=1 OUT=runs/ablations bash bench/ablation.sh vocab-4k --tokenizer.vocab_size 4000
#
# The run goes to $OUT/NAME; a line "NAME <tab> epochs <tab> dev BLEU greedy <tab> beam 5
# <tab> chrF beam 5 <tab> overrides" is appended to $OUT/results.tsv. The test set is not
# touched (tuning is on val only). With THREADS=1 two ablations can share a 2-core machine:
# the budget is in epochs, so their speed does not change their scores.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: bash bench/ablation.sh NAME [--section.key value ...]" >&2; exit 2; }
name=$1; shift
EPOCHS=${EPOCHS:-8}
THREADS=${THREADS:-1}
OUT=${OUT:-runs/ablations}
NMT=${NMT:-build/app/nmt}
run="$OUT/$name"
mkdir -p "$OUT"
[[ -e "$run/model.nmt" ]] && { echo "ablation.sh: $run/model.nmt exists; remove the run to redo it" >&2; exit 1; }

"$NMT" train -c configs/multi30k-en-de.ini --train.run_dir "$run" --data.test "" \
  --train.max_minutes 0 --train.max_epochs "$EPOCHS" --train.threads "$THREADS" "$@"

# The trainer's own last validation is greedy; beam 5 comes from evaluate on the same set.
greedy=$(grep '"type":"valid"' "$run/metrics.jsonl" |
  sed -n 's/.*"dev_bleu":\([0-9.]*\).*/\1/p' | sort -g | tail -1)
scores=$("$NMT" evaluate -m "$run/model.nmt" --src data/multi30k/val.en.gz data/multi30k/val.de.gz \
  --search.beam_size 5 --threads "$THREADS" -b -w 2)
beam=$(sed -n 1p <<<"$scores"); chrf=$(sed -n 2p <<<"$scores")
printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$EPOCHS" "$greedy" "$beam" "$chrf" "$*" | tee -a "$OUT/results.tsv"
