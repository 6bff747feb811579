// VideoReader is a thin facade over FrameSource (see frame_source.hpp), which it shares with
// VideoTranscoder so that analysis and render number frames identically.
#include "io/video_reader.hpp"

#include "io/frame_source.hpp"

namespace sw::io {

struct VideoReader::Impl {
  Impl(const std::string& path, const ReaderOptions& options) : source(path, options, false) {}
  FrameSource source;
};

VideoReader::VideoReader(const std::string& path, const ReaderOptions& options)
    : impl_(std::make_unique<Impl>(path, options)) {}

VideoReader::~VideoReader() = default;

const VideoInfo& VideoReader::info() const {
  return impl_->source.info();
}

bool VideoReader::next(FrameView& frame) {
  return impl_->source.next(frame);
}

std::int64_t VideoReader::frames_read() const {
  return impl_->source.frames_read();
}

void VideoReader::seek_to_frame(std::int64_t k) {
  impl_->source.seek_to_frame(k);
}

VideoStreamParams VideoReader::stream_params() const {
  return impl_->source.stream_params();
}

std::vector<std::string> VideoReader::warnings() const {
  return impl_->source.warnings();
}

}  // namespace sw::io
