// Caller frames: each worker asks the shared callback for its frames in order, one call at a
// time across workers (a mutex), into a buffer of its own, and turns them into luma there.
#include "exec/caller_frames_input.hpp"

#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "store/frame_array.hpp"
#include "store/frame_color.hpp"

namespace sw::exec {

namespace {

// The callback and the lock that serialises its calls, shared by the input and its sources
// (a source factory must not refer to the Input, exec/input.hpp).
struct SharedReader {
  CallerFrames frames;
  std::mutex mutex;

  void read(std::int64_t k, std::uint8_t* rgb) {
    const std::lock_guard lock(mutex);
    frames.read(k, rgb);
  }
};

std::size_t frame_bytes(const CallerFrames& f) {
  return static_cast<std::size_t>(f.width) * f.height * 3;
}

// Random access, like a Zarr frames array: "seeking" sets the next frame to read.
class CallerSource final : public SegmentSource {
 public:
  explicit CallerSource(std::shared_ptr<SharedReader> reader)
      : reader_(std::move(reader)),
        rgb_(frame_bytes(reader_->frames)),
        luma_(static_cast<std::size_t>(reader_->frames.width) * reader_->frames.height) {}

  void seek_to_frame(std::int64_t frame) override { next_ = frame; }

  bool next(FrameView& frame) override {
    const CallerFrames& f = reader_->frames;
    if (next_ >= f.frames) return false;
    reader_->read(next_, rgb_.data());
    const auto row = static_cast<std::size_t>(f.width) * 3;
    store::rgb_to_luma(rgb_.data(), row, f.width, f.height, luma_.data(),
                       static_cast<std::size_t>(f.width));
    frame = FrameView{};
    frame.planes[0] = {luma_.data(), f.width, f.width, f.height, 1};
    frame.bit_depth = 8;
    frame.index = next_;
    frame.pts = next_;
    ++next_;
    return true;
  }

 private:
  std::shared_ptr<SharedReader> reader_;
  std::vector<std::uint8_t> rgb_;
  std::vector<std::uint8_t> luma_;
  std::int64_t next_ = 0;
};

// The frames the fingerprint hashes: 5 spread evenly from the first to the last.
std::set<std::int64_t> sampled_frames(std::int64_t n) {
  std::set<std::int64_t> k;
  for (int i = 0; i < 5 && n > 0; ++i) k.insert((n - 1) * i / 4);
  return k;
}

class CallerFramesInput final : public Input {
 public:
  // `path`: frames.name, or the name the frames are registered under.
  CallerFramesInput(std::shared_ptr<SharedReader> reader, const std::string& path)
      : Input(path), fps_(store::frames_fps(reader->frames.fps)), reader_(std::move(reader)) {}

  std::string kind() const override { return kCallerFramesKind; }

  InputScan scan(StopToken) const override {
    const CallerFrames& f = reader_->frames;
    InputScan scan;
    scan.info.path = path();
    scan.info.width = f.width;
    scan.info.height = f.height;
    scan.info.pix_fmt = "rgb24";
    scan.info.codec = "none";
    scan.index.pts.resize(static_cast<std::size_t>(f.frames));
    for (std::int64_t k = 0; k < f.frames; ++k) scan.index.pts[static_cast<std::size_t>(k)] = k;
    scan.index.keyframe.assign(static_cast<std::size_t>(f.frames), 1);
    scan.index.time_base = {fps_.den, fps_.num};
    scan.info.time_base = scan.index.time_base;
    scan.info.avg_frame_rate = fps_;
    scan.info.frame_count = f.frames;
    scan.info.duration_s = static_cast<double>(f.frames) / fps_.value();
    return scan;
  }

  std::int64_t size() const override { return 0; }

  std::string fingerprint() const override {
    const std::lock_guard lock(fingerprint_mutex_);
    if (fingerprint_.empty()) fingerprint_ = compute_fingerprint();
    return fingerprint_;
  }

  SourceFactory segment_sources(const FrameIndex&, const io::ReaderOptions&) const override {
    return [reader = reader_](int) { return std::make_unique<CallerSource>(reader); };
  }

  std::string cannot_render() const override {
    return "are frames in memory (analysis only); render needs the video they came from";
  }
  std::string cannot_store_rgb() const override {
    return "are frames in memory; --store-frames rgb would copy what the caller already has";
  }

 private:
  std::string compute_fingerprint() const {
    const CallerFrames& f = reader_->frames;
    Sha256 hash;
    const std::int64_t shape[3] = {f.frames, f.height, f.width};
    hash.update(shape, sizeof shape);
    std::vector<std::uint8_t> rgb(frame_bytes(f));
    for (const std::int64_t k : sampled_frames(f.frames)) {
      reader_->read(k, rgb.data());
      hash.update(&k, sizeof k);
      hash.update(rgb.data(), rgb.size());
    }
    return "sha256:" + hash.hex();
  }

  Rational fps_;
  std::shared_ptr<SharedReader> reader_;
  mutable std::mutex fingerprint_mutex_;
  mutable std::string fingerprint_;
};

void check(const CallerFrames& f) {
  const auto fail = [&](const std::string& problem) { throw Error(f.name, problem); };
  if (f.frames < 0 || static_cast<std::uint64_t>(f.frames) > store::kMaxFrames) {
    fail("expected 0 to " + std::to_string(store::kMaxFrames) + " frames, got " +
         std::to_string(f.frames));
  }
  const auto side_ok = [](int side) {
    return side >= 1 && static_cast<std::uint64_t>(side) <= store::kMaxFrameSide;
  };
  if (!side_ok(f.width) || !side_ok(f.height)) {
    fail("expected frames from 1x1 to " + std::to_string(store::kMaxFrameSide) + "x" +
         std::to_string(store::kMaxFrameSide) + " pixels, got " + std::to_string(f.width) + "x" +
         std::to_string(f.height));
  }
  if (!(f.fps >= store::kMinFramesFps && f.fps <= store::kMaxFramesFps)) {
    fail("expected fps from 0.001 to 1000000, got " + std::to_string(f.fps));
  }
  if (!f.read) fail("expected a frame callback, got none");
}

std::shared_ptr<SharedReader> shared_reader(CallerFrames frames) {
  check(frames);
  auto reader = std::make_shared<SharedReader>();
  reader->frames = std::move(frames);
  return reader;
}

constexpr std::string_view kNamePrefix = "memory:";

// The registered frames by name, and the number the next name gets.
struct Registry {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<SharedReader>> frames;
  std::uint64_t next = 1;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

std::shared_ptr<Input> make_caller_frames_input(CallerFrames frames) {
  const std::string name = frames.name;
  return std::make_shared<CallerFramesInput>(shared_reader(std::move(frames)), name);
}

RegisteredFrames::RegisteredFrames(CallerFrames frames) {
  auto reader = shared_reader(std::move(frames));
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  name_ = std::string(kNamePrefix) + std::to_string(r.next++) + ":" + reader->frames.name;
  r.frames.emplace(name_, std::move(reader));
}

RegisteredFrames::~RegisteredFrames() {
  std::shared_ptr<SharedReader> gone;  // released after the lock: its callback may take a lock
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto it = r.frames.find(name_);
  gone = std::move(it->second);
  r.frames.erase(it);
}

bool is_caller_frames_name(const std::string& path) {
  return path.starts_with(kNamePrefix);
}

std::unique_ptr<Input> registered_frames_input(const std::string& path) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  const auto it = r.frames.find(path);
  if (it == r.frames.end()) {
    throw Error(path,
                "names frames in a caller's memory that this process does not hold (they are "
                "registered only while their analysis runs, in the process that has them; "
                "frames from memory are analysed only, never rendered)");
  }
  return std::make_unique<CallerFramesInput>(it->second, path);
}

}  // namespace sw::exec
