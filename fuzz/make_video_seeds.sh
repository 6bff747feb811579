#!/usr/bin/env bash
# Regenerates the seed corpus of the video_input fuzz target: tiny clips (16x16, 3 frames, a
# keyframe every 2 frames so the seek is exercised) in the containers and codecs users bring.
# Each is a few hundred bytes to a few KB. Needs ffmpeg (Debian's).
set -euo pipefail
out="$(dirname "$0")/corpus/video_input"
mkdir -p "$out"
src="testsrc=size=16x16:rate=10,format=yuv420p"
gen() {  # gen NAME ARGS...: 3 frames of testsrc encoded with ARGS into NAME
  local name=$1
  shift
  ffmpeg -v error -y -f lavfi -i "$src" -frames:v 3 -g 2 -bf 0 -map_metadata -1 \
    -fflags +bitexact -flags:v +bitexact "$@" "$out/$name"
}
gen h264.mp4 -c:v libx264 -preset ultrafast -x264-params threads=1
gen h264.mkv -c:v libx264 -preset ultrafast -x264-params threads=1
gen h264_bframes.mp4 -c:v libx264 -preset ultrafast -x264-params threads=1:bframes=2 -bf 2
gen mpeg4.avi -c:v mpeg4
gen mpeg2.ts -c:v mpeg2video
gen vp8.webm -c:v libvpx -b:v 50k
gen ffv1.mkv -c:v ffv1
ls -l "$out"
