#!/usr/bin/env bash
# train_quickstart_model.sh — the quickstart recipe trained for 600 steps into DIR, once
# for the suite (a ctest fixture: tests/test_quickstart_model.cpp reads DIR/run), its
# shortlist small enough (T = 6, F = 20 of about 100 pieces) that each sentence's list
# leaves pieces out. Run from the project root.
#
#   bash tests/train_quickstart_model.sh NMT DIR
set -euo pipefail
nmt=$1
dir=$2
rm -rf "$dir"
mkdir -p "$dir"
"$nmt" generate --out "$dir/corpus" > "$dir/generate.log" 2>&1 || { cat "$dir/generate.log" >&2; exit 1; }
"$nmt" train -c configs/quickstart.ini --train.run_dir "$dir/run" \
  --data.train "$dir/corpus/train" --data.dev "$dir/corpus/dev" --data.test "$dir/corpus/test" \
  --train.max_steps 600 --train.valid_every 300 --shortlist.per_source 6 --shortlist.frequent 20 \
  > "$dir/train.out" 2>&1 || { cat "$dir/train.out" >&2; exit 1; }
