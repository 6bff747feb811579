// Demuxer: opens an input file, chooses its video stream and describes it (VideoInfo).
// An input whose name a registered URL opener serves (s3://...) is read through it
// (io/byte_source.hpp), so every reader of inputs accepts such URLs.
//
// Internal to src/io. Errors are sw::Error{path, problem} with the one-line problems the
// reader promises ("no such file", "not a video file (...)", "no video stream", ...).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "io/av_ptr.hpp"
#include "io/url_input.hpp"

namespace sw::io {

// The largest picture read: far beyond any camera (8K is 33 megapixels, a 360-degree 11520x5760
// frame 66). A header claiming more is damaged or hostile, and decoding it would allocate
// gigabytes per frame; the decoders are told so too (max_pixels), so not even probing does.
constexpr int kMaxPictureSide = 16384;
constexpr long long kMaxPicturePixels = 1LL << 26;

class Demuxer {
 public:
  explicit Demuxer(const std::string& path);

  AVFormatContext* context() const { return ctx_.get(); }
  AVStream* video_stream() const { return ctx_->streams[video_index_]; }
  int video_index() const { return video_index_; }
  const std::string& path() const { return path_; }

  // Filled from the container at open; io fills the remaining fields after the first frame.
  VideoInfo& info() { return info_; }
  const VideoInfo& info() const { return info_; }

  enum class ReadResult { packet, end, error };
  // Reads the next packet of any stream into pkt (which must be blank). On `error`,
  // read_error() holds libav's reason; the caller treats it as an early end.
  ReadResult read(AVPacket* pkt);
  const std::string& read_error() const { return read_error_; }
  // After a seek: the stream goes on, so an earlier read error no longer ends it.
  void clear_read_error() { read_error_.clear(); }

 private:
  void open(const std::string& path);
  int choose_video_stream() const;
  void describe_video_stream();

  std::string path_;
  InputPtr ctx_;  // a local file, or a URL read through a custom AVIOContext
  int video_index_ = -1;
  VideoInfo info_;
  std::string read_error_;
  std::vector<std::pair<int, int>> header_sizes_;  // per stream, before probing
};

}  // namespace sw::io
