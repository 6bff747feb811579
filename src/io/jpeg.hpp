// A still JPEG of a decoded frame, for the HTML report's before/after pictures. libavcodec's
// MJPEG encoder (with swscale for the size and the full-range YUV JPEG wants), so the report
// needs no image library beyond FFmpeg.
#pragma once

#include <string>

#include "core/frame.hpp"

namespace sw::io {

// `frame` is 8-bit planar YUV (4:2:0, 4:2:2 or 4:4:4, limited range, as the readers deliver
// it). Scaled to `width` pixels wide (keeping the aspect; 0 or wider than the frame = its own
// width). `quality` 1..100 as image tools count it. Returns the JPEG file's bytes; throws
// sw::Error if the encoder is missing or fails.
std::string encode_jpeg(const FrameView& frame, int width, int quality);

}  // namespace sw::io
