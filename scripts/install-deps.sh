#!/usr/bin/env bash
# Installs everything stillwater needs to build, test and benchmark, from Debian 12's packages.
# Needs root (or sudo). Safe to run again.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# coinor-libclp-dev: CLP, the simplex LP solver the L1 path's own solver is tested against.
# clang, libclang-rt-14-dev: libFuzzer and the sanitizers for fuzz/build.sh.
# file, dpkg-dev: cpack's Debian package (dpkg-shlibdeps finds its Depends; docs/building.md).
# pybind11-dev, python3-pybind11, python3-dev: the Python module (python/); python3-pytest runs
# its tests, python3-distributed the Dask layer's.
# python3-sklearn: only to regenerate the committed reference vectors of tests/path/vectors
# (scripts/make_reference_vectors.py); the tests themselves never need it.
$SUDO apt-get install -y -qq --no-install-recommends \
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev ffmpeg \
  libopencv-dev libopenmpi-dev openmpi-bin libcurl4-openssl-dev libssl-dev libblosc-dev libzstd-dev \
  coinor-libclp-dev python3-sklearn \
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev \
  python3-zarr python3-dask python3-numcodecs python3-boto3 pkg-config cmake ninja-build g++ \
  pybind11-dev python3-pybind11 python3-dev python3-numpy python3-pytest python3-distributed \
  clang-format chromium clang libclang-rt-14-dev file dpkg-dev >/dev/null
# The S3 test server pinned in tests/s3/package-lock.json (s3rver); its tests are skipped without it.
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix "$(dirname "$0")/../tests/s3" --no-audit --no-fund >/dev/null
else
  echo "npm not found: skipping tests/s3 (s3rver); the S3 tests against it will be skipped" >&2
fi
# uPlot for the HTML report, pinned in src/report/web/package-lock.json; the build embeds it
# and stops with a message when it is missing (chromium above runs the report's browser test).
if command -v npm >/dev/null 2>&1; then
  npm ci --prefix "$(dirname "$0")/../src/report/web" --no-audit --no-fund >/dev/null
else
  echo "npm not found: src/report/web needs 'npm ci' (uPlot) before stillwater can be built" >&2
fi
