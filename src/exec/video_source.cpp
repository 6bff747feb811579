#include "exec/video_source.hpp"

#include <filesystem>

#include "store/frame_array.hpp"

namespace sw::exec {

namespace {

class VideoSource final : public SegmentSource {
 public:
  VideoSource(const std::string& path, const io::ReaderOptions& options) : reader_(path, options) {}
  void seek_to_frame(std::int64_t frame) override { reader_.seek_to_frame(frame); }
  bool next(FrameView& frame) override { return reader_.next(frame); }
  std::vector<std::string> warnings() const override { return reader_.warnings(); }

 private:
  io::VideoReader reader_;
};

// Zarr frames are random access: "seeking" just sets the next frame to read.
class ZarrSource final : public SegmentSource {
 public:
  explicit ZarrSource(const std::string& path) : source_(std::filesystem::path(path)) {}
  void seek_to_frame(std::int64_t frame) override { next_ = frame; }
  bool next(FrameView& frame) override {
    if (next_ >= source_.frame_count()) return false;
    source_.read(next_, frame);
    frame.index = next_;
    frame.pts = next_;
    ++next_;
    return true;
  }

 private:
  store::ZarrFrameSource source_;
  std::int64_t next_ = 0;
};

}  // namespace

SourceFactory video_source_factory(const std::string& path, const FrameIndex& index,
                                   const io::ReaderOptions& options) {
  io::ReaderOptions with_index = options;
  with_index.index = &index;
  return [path, with_index](int decoder_threads) {
    io::ReaderOptions o = with_index;
    o.decoder_threads = decoder_threads;
    return std::make_unique<VideoSource>(path, o);
  };
}

bool is_zarr_frames(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(path) / ".zarray", ec);
}

SourceFactory zarr_source_factory(const std::string& path) {
  return [path](int) { return std::make_unique<ZarrSource>(path); };
}

}  // namespace sw::exec
