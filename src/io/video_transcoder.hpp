// VideoTranscoder: the render pass's I/O. Decodes the input's video (same frame numbering as
// VideoReader), lets the caller fill each output frame, encodes it, and muxes it together with
// every other stream of the input copied packet for packet (audio, data/telemetry, timecode),
// keeping timestamps (variable frame rate stays variable), container and stream metadata
// (creation time, language, handler) and the display matrix (rotation).
//
// The output is written to a temporary file beside `output_path` and renamed onto it by
// finish(); if the transcoder is destroyed without finish() (error, interruption), the
// temporary file is removed. Nothing partial is ever left at `output_path`.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "core/types.hpp"
#include "io/encode_options.hpp"

namespace sw::io {

class VideoTranscoder {
 public:
  // Opens the input and creates the temporary output. Throws sw::Error on failure.
  VideoTranscoder(const std::string& input_path, const std::string& output_path,
                  const EncodeOptions& encode, int decoder_threads = 1);
  ~VideoTranscoder();
  VideoTranscoder(const VideoTranscoder&) = delete;
  VideoTranscoder& operator=(const VideoTranscoder&) = delete;

  const VideoInfo& info() const;

  // Called once per decoded frame, in order: fill `out` (8-bit YUV, same size and chroma
  // subsampling as the input, at most 4:2:0/4:2:2/4:4:4) from `in`.
  using FrameFn = std::function<void(const FrameView& in, MutableFrameView& out)>;

  // Decodes, processes, encodes and muxes the whole input. Returns the number of frames written.
  std::int64_t run(const FrameFn& process);

  // Flushes, closes and renames the temporary file onto output_path.
  void finish();

  std::vector<std::string> warnings() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sw::io
