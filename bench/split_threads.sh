#!/usr/bin/env bash
# split_threads.sh — does splitting a file over the cores (one single-threaded search per
# core) beat one search whose matrix products use every core? Translates LINES whole with
# --threads 2, then as two halves by two concurrent `nmt translate --threads 1`
# processes (the upper bound of splitting inside one process: no shared lock, no shared
# cache), greedy and beam 5, batches of 64, each way twice, alternated.
#
#   bash bench/split_threads.sh MODEL [LINES] [EXTRA_FLAGS...]
#   (LINES: default data/multi30k/test_2016_flickr.en.gz; EXTRA_FLAGS e.g. --precision int8)
#
# Needs build/app/nmt. Run it alone: the figures are timings of this run.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:?usage: split_threads.sh MODEL [LINES] [EXTRA_FLAGS...]}
lines=${2:-data/multi30k/test_2016_flickr.en.gz}
shift 2 || shift $#
nmt=build/app/nmt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case $lines in *.gz) gzip -dc "$lines" > "$work/all.txt" ;; *) cp "$lines" "$work/all.txt" ;; esac
count=$(wc -l < "$work/all.txt")
half=$(( (count + 1) / 2 ))
head -n "$half" "$work/all.txt" > "$work/a.txt"
tail -n +"$((half + 1))" "$work/all.txt" > "$work/b.txt"

now() { date +%s.%N; }
rate() { awk -v n="$count" -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", n / (e - s) }'; }
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; commit $(git rev-parse --short HEAD);" \
     "$count lines of $lines; flags: ${*:-none}"
echo "| beam | one process, --threads 2 (sentences/s) | two processes, --threads 1 each, halves (sentences/s) | ratio |"
echo "| --- | --- | --- | --- |"
for beam in 1 5; do
  for round in 1 2; do
    s=$(now)
    "$nmt" translate -m "$model" -i "$work/all.txt" -o "$work/whole.out" --threads 2 --search.beam_size $beam "$@" 2>/dev/null
    e=$(now); whole=$(rate "$s" "$e")
    s=$(now)
    "$nmt" translate -m "$model" -i "$work/a.txt" -o "$work/a.out" --threads 1 --search.beam_size $beam "$@" 2>/dev/null &
    first=$!
    "$nmt" translate -m "$model" -i "$work/b.txt" -o "$work/b.out" --threads 1 --search.beam_size $beam "$@" 2>/dev/null
    wait "$first"
    e=$(now); split=$(rate "$s" "$e")
    cat "$work/a.out" "$work/b.out" | cmp -s - "$work/whole.out" || echo "note: the halves' translations differ from the whole's"
    awk -v b="$beam" -v w="$whole" -v p="$split" 'BEGIN { printf "| %d | %.1f | %.1f | %.2f× |\n", b, w, p, p / w }'
  done
done
