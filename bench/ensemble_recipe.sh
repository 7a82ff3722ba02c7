#!/usr/bin/env bash
# ensemble_recipe.sh — the ensemble recipe: trains MEMBERS models of one config with the
# seeds 1..MEMBERS, one after another (each uses the whole machine for its max_minutes),
# then scores each member on the dev set and the ensemble (log-probabilities averaged at
# each step) on the dev set and once on the test set, greedy and beam 5, BLEU and chrF.
#
#   bash bench/ensemble_recipe.sh [--section.key value ...]   # 3 × configs/multi30k-en-de.ini: 2 h 15 (Zen 3)
#   MEMBERS=2 CONFIG=configs/quickstart.ini OUT=runs/ensemble-qs \
#     DEV=data/generated/quickstart/dev TEST=data/generated/quickstart/test bash bench/ensemble_recipe.sh
#
# Arguments are passed to every member's `nmt train` (overrides of the config).
# A member whose training finished is kept; one stopped midway (its model.nmt is only the
# best so far) is continued from its last checkpoint with `nmt train --resume`, so a
# stopped recipe picks up where it was.
# The scores go to $OUT/scores.tsv: set, models, search, BLEU, chrF.
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${MEMBERS:-3}
CONFIG=${CONFIG:-configs/multi30k-en-de.ini}
OUT=${OUT:-runs/ensemble}
DEV=${DEV:-data/multi30k/val}
TEST=${TEST:-data/multi30k/test_2016_flickr}
THREADS=${THREADS:-2}
NMT=${NMT:-build/app/nmt}
config_value() { sed -n "s/^$1 *= *//p" "$CONFIG" | head -n 1; }
source_lang=$(config_value source_lang)
target_lang=$(config_value target_lang)
corpus_file() {  # corpus_file PREFIX LANG: PREFIX.LANG.gz or PREFIX.LANG, whichever exists
  if [ -e "$1.$2.gz" ]; then echo "$1.$2.gz"; else echo "$1.$2"; fi
}

train_member() {  # train_member RUN SEED [overrides]: keeps a finished member, resumes a stopped one
  local run=$1 seed=$2; shift 2
  grep -q '\[train\] finished at' "$run/train.log" 2>/dev/null && return 0
  if compgen -G "$run/checkpoints/*" >/dev/null; then
    "$NMT" train --resume "$run" --train.threads "$THREADS"
  else
    "$NMT" train -c "$CONFIG" --train.run_dir "$run" --train.seed "$seed" --train.threads "$THREADS" "$@"
  fi
}

score() {  # score SET_NAME PREFIX BEAM LABEL -m MODEL [-m MODEL ...]: one row of scores.tsv
  local set_name=$1 prefix=$2 beam=$3 label=$4 scores; shift 4
  scores=$("$NMT" evaluate "$@" --src "$(corpus_file "$prefix" "$source_lang")" \
    "$(corpus_file "$prefix" "$target_lang")" --search.beam_size "$beam" --threads "$THREADS" -b -w 2)
  printf '%s\t%s\t%s\t%s\t%s\n' "$set_name" "$label" "beam $beam" "$(sed -n 1p <<<"$scores")" \
    "$(sed -n 2p <<<"$scores")" | tee -a "$OUT/scores.tsv"
}

models=()
for seed in $(seq 1 "$MEMBERS"); do
  train_member "$OUT/seed-$seed" "$seed" "$@"
  models+=(-m "$OUT/seed-$seed/model.nmt")
done

printf 'set\tmodels\tsearch\tBLEU\tchrF\n' | tee -a "$OUT/scores.tsv"
for seed in $(seq 1 "$MEMBERS"); do  # the members alone: the seed spread, on dev only
  score dev "$DEV" 5 "seed $seed" -m "$OUT/seed-$seed/model.nmt"
done
for beam in 1 5; do score dev "$DEV" "$beam" "$MEMBERS members" "${models[@]}"; done
for beam in 1 5; do score test "$TEST" "$beam" "$MEMBERS members" "${models[@]}"; done
