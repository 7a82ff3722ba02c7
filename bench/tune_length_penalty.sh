#!/usr/bin/env bash
# tune_length_penalty.sh — dev BLEU (val, beam 5) of one model or an ensemble for several
# length penalties alpha (hypotheses ranked by score / length^alpha), to pick
# search.length_penalty on the dev set; the test set is not touched.
#
#   bash bench/tune_length_penalty.sh MODEL[,MODEL...] [ALPHA ...]   (default 0.6 0.8 1.0 1.2 1.5)
#   THREADS=1 BEAM=5 bash bench/tune_length_penalty.sh runs/multi30k-en-de/model.nmt
#   bash bench/tune_length_penalty.sh runs/ensemble/seed-1/model.nmt,runs/ensemble/seed-2/model.nmt
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -ge 1 ]] || { echo "usage: bash bench/tune_length_penalty.sh MODEL[,MODEL...] [ALPHA ...]" >&2; exit 2; }
models=()  # -m A [-m B ...]: a comma-separated list is an ensemble
IFS=, read -r -a paths <<<"$1"; shift
for path in "${paths[@]}"; do models+=(-m "$path"); done
alphas=("$@"); [[ ${#alphas[@]} -gt 0 ]] || alphas=(0.6 0.8 1.0 1.2 1.5)
NMT=${NMT:-build/app/nmt}
printf 'alpha\tdev BLEU\tdev chrF\n'
for alpha in "${alphas[@]}"; do
  scores=$("$NMT" evaluate "${models[@]}" --src data/multi30k/val.en.gz data/multi30k/val.de.gz \
    --search.beam_size "${BEAM:-5}" --search.length_penalty "$alpha" --threads "${THREADS:-1}" -b -w 2)
  printf '%s\t%s\t%s\n' "$alpha" "$(sed -n 1p <<<"$scores")" "$(sed -n 2p <<<"$scores")"
done
