#!/usr/bin/env bash
# quickstart.sh — the main job on the embedded default: set up, build, generate the
# quickstart corpus (English -> German number words), train on it, translate examples.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
nmt=build/app/nmt
"$nmt" generate --out data/generated/quickstart
rm -rf runs/quickstart   # a fresh run each time (nmt train refuses a run directory with checkpoints)
"$nmt" train -c configs/quickstart.ini
printf '%s\n' "four hundred and twenty-one" "seventy-three thousand and eight" \
  "nine hundred and ninety-nine thousand nine hundred and ninety-nine" |
  "$nmt" translate -m runs/quickstart/model.nmt
