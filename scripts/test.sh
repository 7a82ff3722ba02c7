#!/usr/bin/env bash
# test.sh — sets up, builds and runs the whole test suite with ctest.
# With --sanitize, the same suite runs on the ASan + UBSan build.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh "$@"
build_dir=build
[ "${1:-}" = "--sanitize" ] && build_dir=build-sanitize
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan.supp}  # oneDNN's per-thread scratchpad
ctest --test-dir "$build_dir" --output-on-failure --no-tests=error -j "$(nproc)"
