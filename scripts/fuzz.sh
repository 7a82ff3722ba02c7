#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer targets (fuzz/, clang + ASan + UBSan, in build-fuzz/)
# and runs each for SECONDS (default 60), one per core at a time, starting from the seeds
# in fuzz/corpus/NAME.
#
#   bash scripts/fuzz.sh [SECONDS] [NAME ...]     (no NAME: every target)
#
# Prints one line per target (executions, coverage, corpus size, crashes) and exits 1
# if any target crashed or broke a property; the input that did is kept as
# build-fuzz/crashes/NAME-crash-* (add it to fuzz/corpus/NAME once fixed: the replay
# tests then run it in every build). New inputs found go to build-fuzz/found/NAME, never
# into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2; }
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(container model_metadata tokenizer_bytes config corpus_reader utf8 bleu translator_lines)
fi

bash scripts/setup.sh
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNMT_FUZZ=ON -DNMT_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null

# Scratch files of the targets (fuzz_support.hpp) in memory where possible.
scratch=$(mktemp -d "$( [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/nmt-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p build-fuzz/crashes build-fuzz/logs

# One target's run: its log, and its exit status and seconds in build-fuzz/logs/NAME.result.
fuzz_one() {
  local name=$1 found=build-fuzz/found/$1 log=build-fuzz/logs/$1.log status=0 started=$SECONDS
  mkdir -p "$found"
  local extra_seeds=()
  [ "$name" = config ] && extra_seeds=(configs)
  # Inputs of up to 1 kB still hold lines past the 250-piece cut; longer ones only slow it.
  local limits=()
  [ "$name" = translator_lines ] && limits=(-max_len=1024)
  build-fuzz/fuzz/fuzz_"$name" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 "${limits[@]}" \
    -artifact_prefix="build-fuzz/crashes/$name-" "$found" "fuzz/corpus/$name" "${extra_seeds[@]}" >"$log" 2>&1 ||
    status=$?
  echo "$status $((SECONDS - started))" >"build-fuzz/logs/$name.result"
}

# The targets run side by side, one per core (each fuzzer is one thread), reported in order.
jobs_at_once=$(nproc)
for name in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_at_once" ]; do wait -n || true; done
  rm -f "build-fuzz/logs/$name.result"
  fuzz_one "$name" &
done
wait

failed=0
for name in "${targets[@]}"; do
  found=build-fuzz/found/$name
  log=build-fuzz/logs/$name.log
  read -r status elapsed <"build-fuzz/logs/$name.result" || { status=1; elapsed=?; }
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  features=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
  corpus=$(find "$found" "fuzz/corpus/$name" -type f | wc -l)
  crashes=0
  if [ "$status" -ne 0 ]; then
    crashes=1
    failed=1
  fi
  printf 'fuzz %-17s %9s runs in %4s s, coverage %5s edges, %6s features, corpus %4s inputs, crashes %s\n' \
    "$name" "${runs:-?}" "$elapsed" "${coverage:-?}" "${features:-?}" "$corpus" "$crashes"
  if [ "$status" -ne 0 ]; then
    echo "  exit status $status; the log's end ($log):" >&2
    { grep -E 'ERROR|SUMMARY|property broken|Test unit written|terminate|what\(\)' "$log" || tail -5 "$log"; } |
      head -8 | sed 's/^/    /' >&2
  fi
done
exit "$failed"
