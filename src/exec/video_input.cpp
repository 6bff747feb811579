// A video file or s3:// object, decoded by io::VideoReader with the run's FrameIndex.
#include <filesystem>

#include "core/trace.hpp"
#include "exec/input_kind.hpp"
#include "io/fingerprint.hpp"
#include "io/frame_index.hpp"

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

class VideoInput final : public Input {
 public:
  explicit VideoInput(const std::string& path) : Input(path) {}

  std::string kind() const override { return "video"; }

  InputScan scan(StopToken stop) const override {
    // Opening a reader first gives the precise error for a bad file (and decodes frame 0).
    trace::Span span("demux", "scan " + std::filesystem::path(path()).filename().string());
    io::ReaderOptions probe_options;
    probe_options.stop = stop;
    const io::VideoReader probe(path(), probe_options);
    InputScan scan;
    scan.info = probe.info();
    scan.warnings = probe.warnings();
    scan.index = io::scan_frames(path(), stop);
    span.add_frames(static_cast<std::int64_t>(scan.index.size()));
    return scan;
  }

  std::int64_t size() const override { return io::input_size(path()); }
  std::string fingerprint() const override { return io::file_fingerprint(path()); }

  SourceFactory segment_sources(const FrameIndex& index,
                                const io::ReaderOptions& reader) const override {
    io::ReaderOptions with_index = reader;
    with_index.index = &index;
    return [path = path(), with_index](int decoder_threads) {
      io::ReaderOptions o = with_index;
      o.decoder_threads = decoder_threads;
      return std::make_unique<VideoSource>(path, o);
    };
  }
};

}  // namespace

std::unique_ptr<Input> make_video_input(const std::string& path) {
  return std::make_unique<VideoInput>(path);
}

}  // namespace sw::exec
