// FrameConverter: turns decoded AVFrames into FrameViews of one fixed format and size.
//
// The format is chosen from the first frame: planar YUV at 8/10/12 bits with 4:2:0, 4:2:2 or
// 4:4:4 chroma is delivered as is (the view points into the AVFrame, no copy); everything
// else is converted with swscale to 8-bit planar YUV (same subsampling for YUV sources,
// yuv420p for RGB/gray/semi-planar). With `force_8bit`, high bit depths are converted too.
// A later frame whose size or format differs is scaled to the first frame's.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "core/frame.hpp"
#include "io/av_ptr.hpp"

namespace sw::io {

// The planar YUV format of a FrameView's chroma shifts: 4:4:4 (0, 0), 4:2:2 (1, 0), else 4:2:0
// (the converter below delivers no other subsampling), at 8, 10 or 12 bits (little-endian).
AVPixelFormat yuv_for_shifts(int shift_x, int shift_y, int bit_depth = 8);

class FrameConverter {
 public:
  FrameConverter(bool force_8bit, std::string path)
      : force_8bit_(force_8bit), path_(std::move(path)) {}

  // Fixes the delivered format and size from the first decoded frame.
  void configure(const AVFrame& first);

  // Fills `view` for `frame`. The planes point into `frame` or into this converter's own
  // buffer; both stay valid until the next call or until `frame` is unreferenced.
  void to_view(const AVFrame& frame, FrameView& view);

  AVPixelFormat format() const { return format_; }
  int width() const { return width_; }
  int height() const { return height_; }
  // The source was RGB (or gray): the delivered YUV uses swscale's BT.601 limited range,
  // not the colour description of the input.
  bool from_rgb() const { return from_rgb_; }
  // Frames that had to be scaled because their size or format changed mid-stream.
  std::int64_t reshaped_frames() const { return reshaped_; }
  const std::string& first_reshape() const { return first_reshape_; }

 private:
  const AVFrame& convert(const AVFrame& frame);

  bool force_8bit_;
  std::string path_;  // for error messages
  AVPixelFormat source_format_ = AV_PIX_FMT_NONE;
  AVPixelFormat format_ = AV_PIX_FMT_NONE;
  int width_ = 0;
  int height_ = 0;
  bool from_rgb_ = false;
  SwsPtr sws_;
  FramePtr converted_;
  std::int64_t reshaped_ = 0;
  std::string first_reshape_;
};

}  // namespace sw::io
