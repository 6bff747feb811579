// VideoReader: open a video file, pick its video stream, decode frames in presentation order.
//
// Used by the analysis pass (luma only, native bit depth) and, through VideoTranscoder, by the
// render pass. Both passes number frames identically: frame k is the k-th frame the decoder
// outputs, so per-frame numbers from analysis line up with the frames render sees.
//
// Bad input throws sw::Error with the path and a one-line problem ("not a video file",
// "no video stream", "no decodable frames", ...). A stream that ends early (truncated file) or
// has undecodable packets is decoded as far as possible; warnings() tells the caller.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "core/types.hpp"

namespace sw::io {

struct ReaderOptions {
  // Decoder threads. Frame-threaded decoding gives identical pixels for any count.
  int decoder_threads = 1;
  // Skip the in-loop deblocking filter (H.264/HEVC): faster, used only where frames are
  // downscaled for analysis anyway. Deterministic for a given setting.
  bool skip_loop_filter = false;
  // Deliver every frame as 8-bit planar YUV (converting 10-bit or packed formats with swscale);
  // render needs this, analysis does not (it reads luma at native depth).
  bool convert_to_8bit_yuv = false;
};

class VideoReader {
 public:
  // Opens and probes `path`; throws sw::Error on a missing/unreadable/non-video file.
  VideoReader(const std::string& path, const ReaderOptions& options = {});
  ~VideoReader();
  VideoReader(const VideoReader&) = delete;
  VideoReader& operator=(const VideoReader&) = delete;

  const VideoInfo& info() const;

  // Decodes the next frame into `frame`. Returns false at the end of the stream.
  // The view stays valid until the next call to next() or the reader's destruction.
  bool next(FrameView& frame);

  // Number of frames delivered so far.
  std::int64_t frames_read() const;

  // Human-readable warnings gathered while decoding (e.g. "stream ends early: truncated file?",
  // "3 packets could not be decoded"). Empty for a clean stream.
  std::vector<std::string> warnings() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sw::io
