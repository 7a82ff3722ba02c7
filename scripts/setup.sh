#!/usr/bin/env bash
# setup.sh — installs every Debian package nmt needs to build, test and run.
#
# Idempotent and non-interactive: packages already present are left alone, and
# `apt-get update` runs only when something is missing. Needs root (or sudo).
# `setup.sh --list` prints the package names and installs nothing.
set -euo pipefail

packages=(
  build-essential g++ cmake pkg-config
  libdnnl-dev ocl-icd-opencl-dev          # oneDNN; its CMake config needs OpenCL headers
  libsentencepiece-dev                    # tokenizer (pkg-config only)
  libboost-program-options-dev            # command line and INI config files
  libspdlog-dev libfmt-dev                # logging
  nlohmann-json3-dev                      # JSON: model-file headers, metrics lines, --json output
  libcpp-httplib-dev                      # HTTP server and client: nmt serve, its tests
  libgtest-dev                            # tests
  zlib1g-dev                              # .gz corpora
  libicu-dev                              # Unicode categories and lowercase for BLEU (--tokenize intl, --lowercase)
  libedit-dev                             # the prompt's line editing and history (BSD-licensed)
  tmux                                    # tests: the prompt driven at a real terminal
  clang-14 libfuzzer-14-dev libclang-rt-14-dev  # the fuzzers (scripts/fuzz.sh)
  curl ca-certificates                    # data/prepare_multi30k.sh --download
  help2man                                # manual pages from the --help texts (cmake --install)
  libopenmpi-dev openmpi-bin              # data-parallel training across processes and machines (mpirun nmt train)
  python3-dev pybind11-dev                # the Python module nmt (python/), for Debian's /usr/bin/python3
  chromium chromium-driver python3-selenium  # the page of nmt serve in a headless browser (tests/test_page.py)
)

if [ "${1:-}" = "--list" ]; then
  echo "${packages[*]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "[setup] all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "[setup] need root to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "[setup] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
