#!/usr/bin/env bash
# Builds stillwater and runs every test (GoogleTest through ctest).
# Needs the dependencies installed first (scripts/install-deps.sh, which quickstart.sh runs).
set -euo pipefail
cd "$(dirname "$0")"
scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
