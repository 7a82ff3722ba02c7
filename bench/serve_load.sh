#!/usr/bin/env bash
# serve_load.sh — what `nmt serve` sustains: requests/s and p50/p99 latency against the
# number of clients (each sending one line per request, one request after another), and
# lines/s with 16 such clients against `nmt translate -i --search.batch_size 16` on the
# same lines (as it runs by default, and with OMP_WAIT_POLICY=passive, threads asleep at once).
# Markdown tables for the README, with the machine, its load average and the commit.
#   bash bench/serve_load.sh MODEL LINES_FILE [NMT] [SERVE_CLIENT]
#   REQUESTS=50 CLIENTS="1 2 4 8 16" THREADS=2 SERVE_ARGS="--serve.max_wait_ms 1" bash bench/serve_load.sh ...
#   (SERVE_ARGS: more flags for nmt serve; SERVER_ENV="OMP_WAIT_POLICY=passive": the server's
#   environment, e.g. to compare its OpenMP wait with the short spin it sets itself)
# (after scripts/build.sh; the client is build/bench/serve_client). Run it alone on the
# machine: the figures are timings. Not run by ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:?usage: serve_load.sh MODEL LINES_FILE [NMT] [SERVE_CLIENT]}
lines=${2:?usage: serve_load.sh MODEL LINES_FILE [NMT] [SERVE_CLIENT]}
nmt=${3:-build/app/nmt}
client=${4:-build/bench/serve_client}
requests=${REQUESTS:-50}
client_counts=${CLIENTS:-1 2 4 8 16}
threads=${THREADS:-2}

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

env ${SERVER_ENV:-X=1} "$nmt" serve -m "$model" --port 0 --threads "$threads" --search.batch_size 16 --serve.http_threads 32 ${SERVE_ARGS:-} \
  2> "$work/serve.log" > /dev/null &
server=$!
until grep -q "listening on http://" "$work/serve.log"; do
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/serve.log" | head -1)

echo "| clients | requests | requests/s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- |"
for c in $client_counts; do
  "$client" "$port" "$c" "$requests" "$lines" > "$work/client.out"
  sed -n 's/^json: //p' "$work/client.out" | bash scripts/json_fields.sh clients,requests,requests_per_s,p50_ms,p99_ms
done
served=$(sed -n 's/^json: //p' "$work/client.out" | bash scripts/json_fields.sh lines_per_s | tr -d '| ')
isa=$(sed -n 's/^machine: oneDNN ISA //p' "$work/client.out")

count=$(wc -l < "$lines")
# Lines/s of `nmt translate -i` on LINES, run with the environment ENV... (X=1: none added).
translate_rate() {
  local start end
  start=$(date +%s.%N)
  env "$@" "$nmt" translate -m "$model" -i "$lines" -o "$work/translated.txt" --threads "$threads" \
    --search.batch_size 16 2> /dev/null
  end=$(date +%s.%N)
  awk -v n="$count" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", n / (e - s) }'
}
batch=$(translate_rate X=1)
# The server's OpenMP threads sleep soon after a batch (it sets GOMP_SPINCOUNT=10000); on a
# busy machine translate's long-spinning threads lose much more than they gain: both are shown.
passive=$(translate_rate OMP_WAIT_POLICY=passive)

echo
echo "| one-line requests, 16 clients | nmt translate -i, batch 16 | ratio | the same, OMP_WAIT_POLICY=passive | ratio |"
echo "| --- | --- | --- | --- | --- |"
awk -v a="$served" -v b="$batch" -v p="$passive" \
  'BEGIN { printf "| %.1f lines/s | %.1f lines/s | %.0f%% | %.1f lines/s | %.0f%% |\n", a, b, 100 * a / b, p, 100 * a / p }'
echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), oneDNN ISA $isa, $threads compute threads," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end;" \
     "commit $(git rev-parse --short HEAD); $requests requests per client; lines: $lines ($count)"
