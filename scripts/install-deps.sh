#!/usr/bin/env bash
# Installs everything stillwater needs to build, test and benchmark, from Debian 12's packages.
# Needs root (or sudo). Safe to run again.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev ffmpeg \
  libopencv-dev libopenmpi-dev openmpi-bin libcurl4-openssl-dev libssl-dev libblosc-dev libzstd-dev \
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev \
  python3-zarr python3-dask python3-numcodecs python3-boto3 pkg-config cmake ninja-build g++ \
  clang-format >/dev/null
