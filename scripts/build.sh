#!/usr/bin/env bash
# build.sh — configures and builds nmt (Release in build/, or with --sanitize an
# AddressSanitizer + UndefinedBehaviorSanitizer build in build-sanitize/).
# Installs missing Debian packages first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=Release)
if [ "${1:-}" = "--sanitize" ]; then
  build_dir=build-sanitize
  cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DNMT_SANITIZE=ON)
fi

bash scripts/setup.sh
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
