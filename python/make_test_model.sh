#!/usr/bin/env bash
# make_test_model.sh — the Python module test's model: NMT CONFIG-trained into DIR/run.
#
#   make_test_model.sh NMT_BINARY DIR CONFIG
#
# Writes a small quickstart corpus into DIR/corpus (nmt generate) and trains CONFIG on it
# (nmt train), afresh each time: DIR/run/model.nmt is the model.
set -euo pipefail
nmt=$1 dir=$2 config=$3
rm -rf "$dir"
mkdir -p "$dir"
"$nmt" generate --out "$dir/corpus" --train-size 3000 --dev-size 10 --test-size 10 --log-level warn
"$nmt" train "$config" --data.train "$dir/corpus/train" --train.run_dir "$dir/run" --log-level warn
test -s "$dir/run/model.nmt"
