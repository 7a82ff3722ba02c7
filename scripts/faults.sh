#!/usr/bin/env bash
# faults.sh — the fault scripts of CI's release pass, one after the other:
# scripts/fault_kill_storm.sh (SIGKILL storm on `nmt train`, resume bit-exact) and
# scripts/fault_full_disk.sh (a full disk under checkpoint, model and -o writes).
#
#   bash scripts/faults.sh [--seed N] [BUILD_DIR]    (BUILD_DIR: build/, a Release build)
#
# --seed goes to the kill storm (default 1). Each script's lines are passed through; the
# last line sums them up. Exit status 1 if either script failed (2 on a usage error of
# either). Not meant for sanitizer builds: the storm's timing assumes an optimised binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

usage() { echo "usage: bash scripts/faults.sh [--seed N] [BUILD_DIR]" >&2; exit 2; }
storm_args=()
build_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seed) [ $# -ge 2 ] || usage; storm_args+=(--seed "$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) usage ;;
    *) [ -z "$build_dir" ] || usage; build_dir=$1; shift ;;
  esac
done
[ -z "$build_dir" ] || storm_args+=("$build_dir")
disk_args=()
[ -z "$build_dir" ] || disk_args+=("$build_dir")

start=$SECONDS
worst=0
summaries=()
# run NAME SCRIPT ARGS...: runs one script, keeps its last line, its worst status.
run() {
  local name=$1 status=0 out
  shift
  out=$(mktemp)
  bash "$@" | tee "$out" || status=$?
  summaries+=("$name: $(tail -n 1 "$out")")
  rm -f "$out"
  [ "$status" -le "$worst" ] || worst=$status
}
run "kill storm" "$here/fault_kill_storm.sh" "${storm_args[@]}"
run "full disk" "$here/fault_full_disk.sh" "${disk_args[@]}"

echo "# faults.sh:"
for line in "${summaries[@]}"; do echo "#   $line"; done
verdict=PASS
[ "$worst" -eq 0 ] || verdict=FAIL
echo "$verdict faults: 2 scripts, $((SECONDS - start)) s"
[ "$worst" -eq 0 ] || exit $((worst == 2 ? 2 : 1))
