#!/usr/bin/env bash
# time_to_quality.sh — test BLEU of a training run's checkpoints against the wall-clock
# minute each was written at: how long the recipe takes to reach a given quality.
#   bash bench/time_to_quality.sh RUN_DIR [TEST_PREFIX] [NMT_BINARY]
# TEST_PREFIX defaults to data/multi30k/test_2016_flickr (files PREFIX.en.gz, PREFIX.de.gz,
# languages read from the run's config). Keep enough checkpoints to see the curve: train
# with e.g. `--train.keep_checkpoints 60`. Prints a Markdown table: step, minutes,
# greedy BLEU, beam-5 BLEU. Evaluation runs after training, so it does not slow the run.
# THREADS (environment, default 2) sets the evaluation's compute threads.
set -euo pipefail
cd "$(dirname "$0")/.."
run_dir=${1:?usage: time_to_quality.sh RUN_DIR [TEST_PREFIX] [NMT_BINARY]}
test_prefix=${2:-data/multi30k/test_2016_flickr}
nmt=${3:-build/app/nmt}
threads=${THREADS:-2}

config_value() {  # config_value KEY: the value of KEY in the run's resolved config
  sed -n "s/^$1 *= *//p" "$run_dir/config.ini" | head -n 1
}
source_lang=$(config_value source_lang)
target_lang=$(config_value target_lang)
corpus_file() {  # corpus_file LANG: PREFIX.LANG.gz or PREFIX.LANG, whichever exists
  if [ -e "$test_prefix.$1.gz" ]; then echo "$test_prefix.$1.gz"; else echo "$test_prefix.$1"; fi
}
src=$(corpus_file "$source_lang")
ref=$(corpus_file "$target_lang")
[ -e "$src" ] && [ -e "$ref" ] || { echo "time_to_quality.sh: no test set at $test_prefix.{$source_lang,$target_lang}[.gz]" >&2; exit 2; }

bleu() {  # bleu CHECKPOINT BEAM: the BLEU score alone, two decimals (sacreBLEU's -b -w 2)
  "$nmt" evaluate -m "$1" --src "$src" --ref "$ref" --search.beam_size "$2" --threads "$threads" \
    --metrics bleu --score-only --width 2
}

echo "| step | minutes | test BLEU greedy | test BLEU beam 5 |"
echo "| --- | --- | --- | --- |"
shopt -s nullglob
for checkpoint in "$run_dir"/checkpoints/step-*.ckpt; do
  info=$("$nmt" info "$checkpoint")
  step=$(sed -n 's/^ *train\.step  *//p' <<<"$info")
  minutes=$(sed -n 's/^ *train\.elapsed_seconds  *//p' <<<"$info" | awk '{ printf "%.1f", $1 / 60 }')
  echo "| $step | $minutes | $(bleu "$checkpoint" 1) | $(bleu "$checkpoint" 5) |"
done
