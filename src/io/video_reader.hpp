// VideoReader: open a video file, pick its video stream, decode frames in presentation order.
//
// Used by the analysis pass (luma only, native bit depth) and, through VideoTranscoder, by the
// render pass. Both passes number frames identically: frame k is the k-th frame the decoder
// outputs, so per-frame numbers from analysis line up with the frames render sees.
//
// Bad input throws sw::Error with the path and a one-line problem ("not a video file",
// "no video stream", "no decodable frames", ...). A stream that ends early (truncated file) or
// has undecodable packets is decoded as far as possible; warnings() tells the caller.
//
// Indexed decoding (ReaderOptions::index, from scan_frames()): frame numbers come from the index
// instead of a running counter, so a reader that starts at a keyframe (seek_to_frame) numbers
// frames exactly as one that decoded from the start. This is what segments rely on.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/frame.hpp"
#include "core/types.hpp"
#include "io/stream_params.hpp"

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
  // Checked before each frame (core/cancel.hpp); by default the process's interrupt flag. A
  // run passes its own (exec: RunOptions::stop). This process's, so it never travels.
  StopToken stop = process_stop_token();
  // When set (it must outlive the reader and come from scan_frames() of the same file): a
  // decoded frame's index is the position of its pts in the index, and frames whose pts is not
  // in it are dropped (with a warning), frames are not renumbered. Required by seek_to_frame().
  const FrameIndex* index = nullptr;
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

  // Indexed readers only: positions decoding on the keyframe at or before frame k, so that the
  // following next() calls deliver that keyframe and the frames after it (frame k included)
  // with pixels bit-identical to a decode from the start. Uses the container's seek; when that
  // lands anywhere but on a keyframe at or before the wanted one (approximate seeking, no
  // index), decoding restarts from the beginning of the file instead: slower, never wrong.
  // Throws sw::Error without an index or for k outside [0, index size).
  void seek_to_frame(std::int64_t k);

  // How an encoder for this reader's frames must be set up (see SegmentEncoder).
  VideoStreamParams stream_params() const;

  // Human-readable warnings gathered while decoding (e.g. "stream ends early: truncated file?",
  // "3 packets could not be decoded"). Empty for a clean stream.
  std::vector<std::string> warnings() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sw::io
