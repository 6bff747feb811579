#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer into
# build-fuzz/ (needs clang and libclang-rt-14-dev: scripts/install-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSW_FUZZ=ON -DSW_SANITIZE=address,undefined -DSW_BUILD_TESTS=OFF -DSW_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz --target fuzzers
