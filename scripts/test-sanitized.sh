#!/usr/bin/env bash
# Builds the unit tests with AddressSanitizer and UndefinedBehaviorSanitizer into build-asan/
# and runs them (ctest label "unit", which includes replaying the fuzz corpora). Any sanitizer
# report aborts its test. The whole-program tests (labels e2e, mpi, s3, browser) stay in the
# normal build: under ASan they would take most of CI's time and add little (FFmpeg's and
# OpenCV's libraries are not instrumented); so only the target unit_tests is built here (the
# unit test binaries and the fuzz replays: not the stillwater binary, bench or tools).
#
# This is also CI's build without SIMD (-DSW_SIMD=OFF): the scalar loops alone, as on an
# architecture without the vector versions, must pass every unit test (the identity tests
# compare them with the SIMD loops where both exist; here they check the scalar ones alone).
set -euo pipefail
cd "$(dirname "$0")/.."
# -O1: sanitized code at -O2 takes longer to compile for little gain in test time. GCC 12's
# -Wmaybe-uninitialized fires inside libstdc++'s <regex> when ASan instruments it (false
# positives; the normal build, where the warning is on, is clean).
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_CXX_FLAGS="-O1 -g1 -Wno-maybe-uninitialized" -DCMAKE_C_FLAGS="-O1 -g1" \
  -DSW_SANITIZE=address,undefined -DSW_SIMD=OFF -DSW_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan --target unit_tests
# OpenMPI and OpenCV keep allocations for the life of the process; LeakSanitizer would report
# them as leaks of ours, so leak checking is off here (the fuzz runs keep it on).
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan -L unit --output-on-failure -j "$(nproc)"
