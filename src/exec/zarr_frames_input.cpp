// A Zarr array of RGB frames (N, H, W, 3), as dask.array.to_zarr writes it: analysis input only
// (store/frame_array.hpp reads its luma).
#include <filesystem>

#include "exec/input_kind.hpp"
#include "store/fingerprint.hpp"
#include "store/frame_array.hpp"

namespace sw::exec {

namespace {

namespace fs = std::filesystem;

// Zarr frames are random access: "seeking" just sets the next frame to read.
class ZarrSource final : public SegmentSource {
 public:
  explicit ZarrSource(const std::string& path) : source_(fs::path(path)) {}
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

class ZarrFramesInput final : public Input {
 public:
  explicit ZarrFramesInput(const std::string& path) : Input(path) {}

  std::string kind() const override { return "zarr frames"; }

  InputScan scan(StopToken) const override {
    store::ZarrFrameSource frames{fs::path(path())};
    InputScan scan;
    scan.info.path = path();
    scan.info.width = frames.width();
    scan.info.height = frames.height();
    scan.info.pix_fmt = "rgb24";
    scan.info.codec = "zarr";
    scan.index = frames.frame_index();
    scan.info.time_base = scan.index.time_base;
    scan.info.avg_frame_rate = frames.fps();
    scan.info.frame_count = static_cast<std::int64_t>(scan.index.size());
    return scan;
  }

  std::int64_t size() const override { return 0; }
  std::string fingerprint() const override { return store::zarr_fingerprint(path()); }

  SourceFactory segment_sources(const FrameIndex&, const io::ReaderOptions&) const override {
    return [path = path()](int) { return std::make_unique<ZarrSource>(path); };
  }

  std::string cannot_render() const override {
    return "is a Zarr frames array (luma only here); render needs the video";
  }
  std::string cannot_store_rgb() const override {
    return "is already a frames array; --store-frames rgb would copy it";
  }
};

}  // namespace

bool is_zarr_frames(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(path) / ".zarray", ec);
}

std::unique_ptr<Input> make_zarr_frames_input(const std::string& path) {
  return std::make_unique<ZarrFramesInput>(path);
}

}  // namespace sw::exec
