#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a stabilized video:
# installs the dependencies, builds, makes a shaky sample clip with sound, stabilizes it and
# measures both. Results in ./sample/.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
scripts/build.sh
mkdir -p sample
build/tools/make_shaky_clip sample/shaky.mp4 --width 1280 --height 720 --frames 300 \
  --shake 6 --shake-deg 0.8 --pan 1 --audio --seed 2026 --truth sample/truth.csv
build/src/cli/stillwater stabilize sample/shaky.mp4 -o sample/stable.mp4 -y
build/src/cli/stillwater metrics sample/shaky.mp4 sample/stable.mp4
echo "Done: compare sample/shaky.mp4 with sample/stable.mp4 (e.g. ffplay, mpv, vlc)."
