// scan_frames: the frame index of a video file from its packets alone (demux, no decoding).
//
// The index defines frame numbering for indexed decoding (ReaderOptions::index) and the keyframes
// the segment plan may cut at, so every segment of every run numbers frames the same way,
// whatever frame its decoder started from.
#pragma once

#include <string>

#include "core/cancel.hpp"
#include "core/types.hpp"

namespace sw::io {

// Reads every packet of the video stream (the one VideoReader would choose) and returns its
// frames in presentation order. Rules, applied in this order:
//  - packets flagged for discard (e.g. before an MP4 edit list's start) are not frames: the
//    decoder drops their pictures too;
//  - a packet without pts takes its dts when the stream has no frame reordering (pts == dts
//    there), and is left out otherwise: a decoded frame whose pts is not in the index is
//    dropped by indexed decoding, so the two stay consistent;
//  - packets with the same pts count once (the first one's keyframe flag wins).
// keyframe[k] is AV_PKT_FLAG_KEY (a sync sample: decoding can start there).
// Throws sw::Error with the same messages as VideoReader for a missing or unreadable file or one
// without a video stream, and "no video packets" when the stream is empty. `stop` is checked
// between packets.
FrameIndex scan_frames(const std::string& path, StopToken stop = process_stop_token());

}  // namespace sw::io
