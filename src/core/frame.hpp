// Views of decoded picture planes, so that motion/ and render/ never see libav types.
//
// io/ owns the pixel memory (AVFrames); a view is valid until the owner's next call.
// Samples are 8-bit (bytes_per_sample == 1) or 16-bit little-endian words holding
// `bit_depth` significant bits (bytes_per_sample == 2), as libav's planar YUV formats store them.
#pragma once

#include <cstdint>

namespace sw {

struct PlaneView {
  const std::uint8_t* data = nullptr;
  int stride = 0;  // bytes between rows
  int width = 0;   // samples
  int height = 0;
  int bytes_per_sample = 1;
};

struct MutablePlaneView {
  std::uint8_t* data = nullptr;
  int stride = 0;
  int width = 0;
  int height = 0;
  int bytes_per_sample = 1;
};

// The size of a chroma plane along one axis: the luma size shifted down, rounded up (a
// 321-wide 4:2:0 frame has 161 chroma columns).
constexpr int chroma_extent(int luma, int shift) {
  return -((-luma) >> shift);
}

// One decoded frame of planar YUV: planes[0] is luma, planes[1..2] chroma at
// chroma_extent(width, chroma_shift_x) x chroma_extent(height, chroma_shift_y).
struct FrameView {
  PlaneView planes[3];
  int chroma_shift_x = 1;
  int chroma_shift_y = 1;
  int bit_depth = 8;
  std::int64_t index = 0;  // 0-based presentation order
  std::int64_t pts = 0;    // on the video stream's time base (best-effort timestamp)
};

// A frame to be filled for encoding: planar YUV with the given chroma shifts, 8-bit or 16-bit
// words holding `bit_depth` bits (the input's depth: the warp keeps it).
struct MutableFrameView {
  MutablePlaneView planes[3];
  int chroma_shift_x = 1;
  int chroma_shift_y = 1;
  int bit_depth = 8;
};

}  // namespace sw
