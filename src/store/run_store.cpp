// Layout written here (see docs/store-format.md):
//   .zgroup, .zattrs                    the run description (input, analysis, path, version)
//   pts, time_s, keyframe               the frame index
//   motion, motion_scale, features, status, valid     analysis (pair i-1 -> i on row i)
//   trajectory, smoothed, lof, outlier, radius, correction   the path stage
//   _progress/analysis/<k>              segment k's staged motions (one chunk: atomic)
//   _progress/render/piece_<k>.mp4      segment k's encoded piece
// The backend is whatever open_backend() made of the location; nothing here knows which.
#include "store/run_store.hpp"

#include <cstdio>
#include <filesystem>
#include <limits>

#include "core/error.hpp"
#include "core/temporary.hpp"
#include "core/trace.hpp"
#include "store/open_backend.hpp"
#include "store/zarr_array.hpp"
#include "store/zarr_meta.hpp"

namespace sw::store {

namespace {

constexpr std::uint64_t kRowsPerChunk = 16384;
constexpr const char* kAnalysisProgress = "_progress/analysis";
constexpr const char* kRenderProgress = "_progress/render";

// One per-frame array: 1-D (columns empty) or 2-D (N, columns.size()).
struct Column {
  const char* name;
  const char* dtype;
  std::vector<std::string> columns;
  const char* description;
};

Array create_array(Backend& backend, const std::shared_ptr<Backend>& ptr,
                   const Compressor& compressor, const Column& c, std::uint64_t n,
                   const nlohmann::json& extra_attrs = nlohmann::json::object()) {
  std::vector<std::uint64_t> shape = {n},
                             chunks = {std::max<std::uint64_t>(1, std::min(n, kRowsPerChunk))};
  nlohmann::json attrs = {{"description", c.description}};
  attrs.update(extra_attrs);
  if (c.columns.empty()) {
    attrs["_ARRAY_DIMENSIONS"] = {"frame"};
  } else {
    shape.push_back(c.columns.size());
    chunks.push_back(c.columns.size());
    attrs["_ARRAY_DIMENSIONS"] = {"frame", "component"};
    attrs["columns"] = c.columns;
  }
  Array array = Array::create(ptr, c.name, ArrayMeta::make(shape, chunks, c.dtype, compressor));
  write_attrs(backend, c.name, attrs);
  return array;
}

// j[key] when j is an object that has it, else null: attributes come from disk, so neither
// their presence nor their type is assumed.
nlohmann::json field(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nlohmann::json() : *it;
}

// A string as it is, anything else as quoted JSON (both cut short for messages).
std::string text_of(const nlohmann::json& j) {
  return j.is_string() && j.get_ref<const std::string&>().size() <= 200 ? j.get<std::string>()
                                                                        : json_excerpt(j);
}

// The first top-level key whose value differs, for "analysis parameter X differs" messages.
std::string first_difference(const nlohmann::json& stored, const nlohmann::json& asked) {
  if (!stored.is_object()) return "analysis (not an object in the store)";
  for (const auto& [key, value] : asked.items()) {
    if (!stored.contains(key)) return key + " (not in the store)";
    if (stored[key] != value)
      return key + ": stored " + json_excerpt(stored[key]) + ", asked " + json_excerpt(value);
  }
  for (const auto& [key, value] : stored.items()) {
    if (!asked.contains(key)) return key + " (only in the store)";
  }
  return "";
}

std::string segment_key(std::int64_t segment) {
  char name[32];
  std::snprintf(name, sizeof name, "%06lld", static_cast<long long>(segment));
  return name;
}

std::string piece_key(std::int64_t segment) {
  return std::string(kRenderProgress) + "/piece_" + segment_key(segment) + ".mp4";
}

}  // namespace

RunStore::RunStore(std::string location, std::shared_ptr<Backend> backend)
    : location_(std::move(location)), backend_(std::move(backend)) {}

RunStore RunStore::open(const std::string& location, const RunDescription& run, Sharing sharing) {
  return open(open_backend(location), location, run, sharing);
}

RunStore RunStore::open_existing(const std::string& location) {
  RunStore store(location, open_backend(location));
  if (!is_group(*store.backend_, "")) {
    if (store.backend_->empty()) throw Error(location, "no such store");
    throw Error(location, "is not a stillwater store (no .zgroup)");
  }
  return store;
}

RunStore RunStore::open(std::shared_ptr<Backend> backend, std::string location,
                        const RunDescription& run, Sharing sharing) {
  RunStore store(location, std::move(backend));
  // Before anything is read: another run may be rewriting what we would read.
  store.lock_ = store.backend_->lock(sharing == Sharing::shard ? Backend::LockMode::shared
                                                               : Backend::LockMode::exclusive);
  store.compressor_ = run.compressor;
  Backend& b = *store.backend_;
  if (!is_group(b, "")) {
    if (!b.empty()) {
      throw Error(
          location,
          "is not a stillwater store (no .zgroup) and not empty; refusing to write into it");
    }
    create_group(b, "");
    store.write_description(run);
    return store;
  }
  const nlohmann::json attrs = read_attrs(b, "");
  // Another shard has just created the group and not yet described it (.zgroup comes first):
  // describe it too, with the same bytes.
  if (sharing == Sharing::shard && !attrs.contains("stillwater")) {
    store.write_description(run);
    return store;
  }
  const nlohmann::json version = field(field(attrs, "stillwater"), "format_version");
  if (version != kRunFormatVersion) {
    throw Error(location, "store format version " + json_excerpt(version) + ", expected " +
                              std::to_string(kRunFormatVersion) + "; use a new --store");
  }
  const nlohmann::json stored_input = field(attrs, "input");
  if (field(stored_input, "fingerprint") != run.input.value("fingerprint", "")) {
    throw Error(location,
                "store was made for another input (" + text_of(field(stored_input, "name")) + ", " +
                    text_of(field(stored_input, "fingerprint")) + "); use a new --store for " +
                    run.input.value("name", std::string("?")));
  }
  const std::string analysis_diff = first_difference(field(attrs, "analysis"), run.analysis);
  if (!analysis_diff.empty()) {
    throw Error(location, "store was made with other analysis parameters (" + analysis_diff +
                              "); use a new --store");
  }
  store.path_current_ =
      (run.path.is_null() || field(attrs, "path") == run.path) && store.is_complete("path");
  store.write_description(run);
  return store;
}

void RunStore::write_description(const RunDescription& run) {
  nlohmann::json attrs = read_attrs(*backend_, "");
  attrs["stillwater"] = {{"format_version", kRunFormatVersion},
                         {"about", "stillwater run store; see docs/store-format.md"}};
  attrs["input"] = run.input;
  attrs["analysis"] = run.analysis;
  if (!run.path.is_null()) {
    // Arrays planned with other path parameters are not the path these parameters describe.
    if (attrs.contains("path") && attrs["path"] != run.path && attrs.contains("complete") &&
        attrs["complete"].is_object()) {
      attrs["complete"]["path"] = false;
    }
    attrs["path"] = run.path;
  }
  write_root_attrs(attrs);
}

void RunStore::write_root_attrs(const nlohmann::json& attrs) {
  // Shards write at the same time: most of them find the bytes they would write already there.
  if (attrs != read_attrs(*backend_, "")) write_attrs(*backend_, "", attrs);
}

nlohmann::json RunStore::attrs() const {
  return read_attrs(*backend_, "");
}

void RunStore::set_attr(const std::string& key, const nlohmann::json& value) {
  nlohmann::json a = read_attrs(*backend_, "");
  if (a.contains(key) && a[key] == value) return;
  a[key] = value;
  write_attrs(*backend_, "", a);
}

// True when the store already holds this index, as this run would write it (shards: the first
// one wrote it). A value that cannot be read (being written right now) counts as not held.
bool RunStore::holds_index(const FrameIndex& index) const {
  try {
    if (!backend_->exists("keyframe/.zarray") || !backend_->exists("pts/.zarray")) return false;
    const nlohmann::json base = read_attrs(*backend_, "pts").value("time_base", nlohmann::json());
    const std::vector<std::uint8_t> key(index.keyframe.begin(), index.keyframe.end());
    const Array pts = Array::open(backend_, "pts");
    const Array keyframe = Array::open(backend_, "keyframe");
    return base == nlohmann::json{index.time_base.num, index.time_base.den} &&
           pts.meta().compressor == compressor_ && keyframe.meta().compressor == compressor_ &&
           pts.read_all<std::int64_t>() == index.pts && keyframe.read_all_bytes() == key;
  } catch (const Error&) {
    return false;
  }
}

void RunStore::write_index(const FrameIndex& index) {
  if (holds_index(index)) return;
  const auto n = static_cast<std::uint64_t>(index.size());
  std::vector<double> seconds(index.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    seconds[i] = static_cast<double>(index.pts[i]) * index.time_base.value();
  }
  std::vector<std::uint8_t> key(index.keyframe.begin(), index.keyframe.end());
  // The time base goes with pts's other attributes, in one write.
  create_array(*backend_, backend_, compressor_,
               {"pts",
                "<i8",
                {},
                "presentation timestamp on the video stream's time base (see .zattrs time_base)"},
               n, {{"time_base", {index.time_base.num, index.time_base.den}}})
      .write_all<std::int64_t>(index.pts);
  create_array(*backend_, backend_, compressor_,
               {"time_s", "<f8", {}, "presentation time in seconds"}, n)
      .write_all<double>(seconds);
  // keyframe last: holds_index() trusts an index whose keyframe array is there.
  create_array(*backend_, backend_, compressor_,
               {"keyframe", "|b1", {}, "decoding can start at this frame"}, n)
      .write_all_bytes(key.data());
}

// Progress recorded under another key is discarded; progress of this key never is, even when
// other processes of the same key (shards) reset, stage and publish at the same time:
//   1. the key recorded is ours: nothing to do;
//   2. list what is there, then read the key again: ours now means another process of our key
//      reset it meanwhile and may have staged since (its records are in the list): stop;
//   3. otherwise everything listed predates any process of our key (they stage only after the
//      key is ours), so remove it; the key is written last, so a run killed while removing
//      still finds the old key and removes the rest.
// A process of another key resetting at the same time as ours is two different runs on one
// store, which the lock (directories) or the user (S3) keeps apart.
void RunStore::reset_progress(const std::string& group, const std::string& key) {
  const auto recorded = [&] { return read_attrs(*backend_, group).value("key", std::string()); };
  if (recorded() == key) return;
  std::vector<std::string> stale = backend_->list(group + "/");
  if (recorded() == key) return;
  for (const auto& k : stale) {
    if (k != join_key(group, ".zattrs") && k != join_key(group, ".zgroup")) backend_->remove(k);
  }
  // Groups all the way down, so zarr-python can walk into the staged arrays too.
  create_group(*backend_, "_progress");
  create_group(*backend_, group);
  write_attrs(*backend_, group, {{"key", key}});
}

void RunStore::begin_analysis(const std::string& plan_key) {
  reset_progress(kAnalysisProgress, plan_key);
}

bool RunStore::analysis_staged(std::int64_t segment) const {
  return backend_->exists(join_key(kAnalysisProgress, segment_key(segment)) + "/0.0");
}

void RunStore::stage_analysis(std::int64_t segment, const StagedMotions& staged) {
  write_staged_record(backend_, join_key(kAnalysisProgress, segment_key(segment)), staged);
}

StagedMotions RunStore::load_staged(std::int64_t segment, std::int64_t first,
                                    std::int64_t count) const {
  return read_staged_record(backend_, join_key(kAnalysisProgress, segment_key(segment)), first,
                            count);
}

bool RunStore::is_complete(const std::string& arrays) const {
  const auto attrs = read_attrs(*backend_, "");
  const auto it = attrs.find("complete");
  return it != attrs.end() && it->is_object() && it->value(arrays, false) == true;
}

void RunStore::mark_complete(const std::string& arrays, bool complete) {
  nlohmann::json attrs = read_attrs(*backend_, "");
  if (!attrs["complete"].is_object()) attrs["complete"] = nlohmann::json::object();
  attrs["complete"][arrays] = complete;
  write_attrs(*backend_, "", attrs);
}

bool RunStore::has_motions() const {
  return is_complete("motions") && backend_->exists("status/.zarray");
}

void RunStore::write_motions(std::span<const Motion> motions) {
  const auto n = static_cast<std::uint64_t>(motions.size());
  std::vector<double> motion, scale, scene, picture;
  std::vector<std::int32_t> features;
  std::vector<std::uint8_t> status, valid;
  for (const Motion& m : motions) {
    motion.insert(motion.end(), {m.dx, m.dy, m.da});
    scale.push_back(m.scale);
    scene.push_back(m.scene_score);
    picture.push_back(m.picture_diff);
    features.insert(features.end(), {m.corners, m.tracked, m.inliers});
    status.push_back(static_cast<std::uint8_t>(m.status));
    valid.push_back(m.valid() ? 1 : 0);
  }
  auto& b = *backend_;
  mark_complete("motions", false);
  create_array(
      b, backend_, compressor_,
      {"motion",
       "<f8",
       {"dx", "dy", "da"},
       "motion of the pair (i-1 -> i): pixels about the frame centre, radians; row 0 is zero"},
      n)
      .write_all<double>(motion);
  create_array(
      b, backend_, compressor_,
      {"motion_scale", "<f8", {}, "scale of the fitted partial affine (measured, not used)"}, n)
      .write_all<double>(scale);
  create_array(b, backend_, compressor_,
               {"features",
                "<i4",
                {"corners", "tracked", "inliers"},
                "Shi-Tomasi corners in frame i-1, tracked into i, RANSAC inliers"},
               n)
      .write_all<std::int32_t>(features);
  create_array(
      b, backend_, compressor_,
      {"status",
       "|u1",
       {},
       "0 ok, 1 no_features, 2 too_few_tracks, 3 fit_failed, 4 first_frame, 5 missing_frame"},
      n)
      .write_all<std::uint8_t>(status);
  create_array(b, backend_, compressor_,
               {"valid", "|b1", {}, "the pair's motion was measured (status ok)"}, n)
      .write_all_bytes(valid.data());
  create_array(b, backend_, compressor_,
               {"scene_score",
                "<f8",
                {},
                "luma histogram distance of the pair (i-1, i) in [0, 1]; a hard cut scores high"},
               n)
      .write_all<double>(scene);
  create_array(b, backend_, compressor_,
               {"picture_diff",
                "<f8",
                {},
                "mean absolute luma difference of the pair (i-1, i) at analysis size, 8-bit "
                "levels; a repeated frame scores near 0"},
               n)
      .write_all<double>(picture);
  mark_complete("motions", true);
}

std::vector<Motion> RunStore::read_motions() const {
  const auto motion = Array::open(backend_, "motion").read_all<double>();
  const auto scale = Array::open(backend_, "motion_scale").read_all<double>();
  const auto features = Array::open(backend_, "features").read_all<std::int32_t>();
  const auto status = Array::open(backend_, "status").read_all<std::uint8_t>();
  std::vector<Motion> motions(status.size());
  if (motion.size() != 3 * status.size() || features.size() != 3 * status.size() ||
      scale.size() != status.size()) {
    throw Error(location_, "motion arrays disagree on the frame count");
  }
  for (std::size_t i = 0; i < motions.size(); ++i) {
    Motion& m = motions[i];
    m.dx = motion[3 * i], m.dy = motion[3 * i + 1], m.da = motion[3 * i + 2];
    m.scale = scale[i];
    m.corners = features[3 * i], m.tracked = features[3 * i + 1], m.inliers = features[3 * i + 2];
    m.status = static_cast<MotionStatus>(status[i]);
  }
  // Stores written before scene_score existed read as "unknown" (NaN: never a cut).
  if (backend_->exists("scene_score/.zarray")) {
    const auto scene = Array::open(backend_, "scene_score").read_all<double>();
    if (scene.size() != status.size())
      throw Error(location_, "scene_score disagrees with status on the frame count");
    for (std::size_t i = 0; i < motions.size(); ++i) motions[i].scene_score = scene[i];
  } else {
    for (Motion& m : motions) m.scene_score = std::numeric_limits<double>::quiet_NaN();
  }
  // Likewise picture_diff: unknown, so no frame counts as a repeat.
  if (backend_->exists("picture_diff/.zarray")) {
    const auto picture = Array::open(backend_, "picture_diff").read_all<double>();
    if (picture.size() != status.size())
      throw Error(location_, "picture_diff disagrees with status on the frame count");
    for (std::size_t i = 0; i < motions.size(); ++i) motions[i].picture_diff = picture[i];
  } else {
    for (Motion& m : motions) m.picture_diff = std::numeric_limits<double>::quiet_NaN();
  }
  return motions;
}

void RunStore::write_path(const path::PathResult& path) {
  const auto n = static_cast<std::uint64_t>(path.trajectory.size());
  auto rows3 = [](const std::vector<path::Vec3>& v) {
    std::vector<double> out;
    for (const auto& r : v) out.insert(out.end(), {r.x, r.y, r.a});
    return out;
  };
  std::vector<double> correction;
  for (const auto& c : path.correction)
    correction.insert(correction.end(), {c.dx, c.dy, c.da, c.zoom});
  std::vector<std::uint8_t> outlier(path.outlier.begin(), path.outlier.end());
  auto& b = *backend_;
  mark_complete("path", false);
  create_array(b, backend_, compressor_,
               {"trajectory",
                "<f8",
                {"x", "y", "a"},
                "raw camera path: the motions composed (pixels, radians)"},
               n)
      .write_all<double>(rows3(path.trajectory));
  create_array(b, backend_, compressor_,
               {"smoothed", "<f8", {"x", "y", "a"}, "smoothed camera path"}, n)
      .write_all<double>(rows3(path.smoothed));
  create_array(b, backend_, compressor_,
               {"lof", "<f8", {}, "Local Outlier Factor of the pair row (1 = inlier-like)"}, n)
      .write_all<double>(path.lof);
  create_array(b, backend_, compressor_, {"outlier", "|b1", {}, "LOF > threshold"}, n)
      .write_all_bytes(outlier.data());
  std::vector<std::uint8_t> repeat(path.repeat.begin(), path.repeat.end());
  repeat.resize(static_cast<std::size_t>(n), 0);
  create_array(b, backend_, compressor_,
               {"repeat", "|b1", {}, "the frame shows the previous frame's picture again"}, n)
      .write_all_bytes(repeat.data());
  std::vector<std::uint8_t> limited(path.limited.begin(), path.limited.end());
  limited.resize(static_cast<std::size_t>(n), 0);
  create_array(b, backend_, compressor_,
               {"limited", "|b1", {}, "the correction was shrunk to fit --max-zoom (not held)"}, n)
      .write_all_bytes(limited.data());
  create_array(b, backend_, compressor_, {"radius", "<i4", {}, "smoothing half width used, frames"},
               n)
      .write_all<std::int32_t>(std::vector<std::int32_t>(path.radius.begin(), path.radius.end()));
  create_array(b, backend_, compressor_, {"cut", "|u1", {}, "1 = the frame starts a new shot"}, n)
      .write_all_bytes(path.cut.data());
  create_array(b, backend_, compressor_,
               {"correction",
                "<f8",
                {"dx", "dy", "da", "zoom"},
                "per-frame warp render applies: p' = zoom R(da) p + (dx, dy), about the frame "
                "centre; may be edited by the user"},
               n)
      .write_all<double>(correction);
  mark_complete("path", true);
  path_current_ = true;
}

std::vector<Transform2D> RunStore::read_corrections(std::int64_t frames) const {
  if (!backend_->exists("correction/.zarray")) {
    throw Error(location_, "has no correction array (run `stillwater analyze` first)");
  }
  const Array array = Array::open(backend_, "correction");
  const auto& shape = array.meta().shape;
  if (shape.size() != 2 || shape[1] != 4 || static_cast<std::int64_t>(shape[0]) != frames) {
    std::string got;
    for (auto d : shape) got += (got.empty() ? "" : ", ") + std::to_string(d);
    throw Error(backend_->describe("correction"),
                "expected shape (" + std::to_string(frames) + ", 4), got (" + got + ")");
  }
  std::vector<double> values;
  if (array.meta().dtype == "<f4") {
    for (float f : array.read_all<float>()) values.push_back(f);
  } else {
    values = array.read_all<double>();
  }
  std::vector<Transform2D> corrections(static_cast<std::size_t>(frames));
  for (std::size_t i = 0; i < corrections.size(); ++i) {
    corrections[i] = {values[4 * i], values[4 * i + 1], values[4 * i + 2], values[4 * i + 3]};
  }
  return corrections;
}

std::vector<path::Vec3> RunStore::read_rows3(const char* name, std::int64_t frames) const {
  if (!backend_->exists(join_key(name, ".zarray"))) {
    throw Error(location_,
                std::string("has no ") + name + " array (run `stillwater analyze` first)");
  }
  const Array array = Array::open(backend_, name);
  const auto& shape = array.meta().shape;
  if (shape.size() != 2 || shape[1] != 3 || static_cast<std::int64_t>(shape[0]) != frames) {
    throw Error(backend_->describe(name), "expected shape (" + std::to_string(frames) + ", 3)");
  }
  const std::vector<double> values = array.read_all<double>();
  std::vector<path::Vec3> rows(static_cast<std::size_t>(frames));
  for (std::size_t i = 0; i < rows.size(); ++i)
    rows[i] = {values[3 * i], values[3 * i + 1], values[3 * i + 2]};
  return rows;
}

std::vector<double> RunStore::read_column(const char* name, std::int64_t frames) const {
  if (!backend_->exists(join_key(name, ".zarray"))) {
    throw Error(location_,
                std::string("has no ") + name + " array (run `stillwater analyze` first)");
  }
  const Array array = Array::open(backend_, name);
  const auto& shape = array.meta().shape;
  if (shape.size() != 1 || static_cast<std::int64_t>(shape[0]) != frames) {
    throw Error(backend_->describe(name), "expected shape (" + std::to_string(frames) + ")");
  }
  return array.read_all<double>();
}

std::vector<std::uint8_t> RunStore::read_flags(const char* name, std::int64_t frames) const {
  if (!backend_->exists(join_key(name, ".zarray"))) return {};
  const Array array = Array::open(backend_, name);
  const auto& shape = array.meta().shape;
  if (shape.size() != 1 || static_cast<std::int64_t>(shape[0]) != frames) {
    throw Error(backend_->describe(name), "expected shape (" + std::to_string(frames) + ")");
  }
  // Flags are |b1, codes |u1 (a user may have rewritten either as the other).
  if (array.meta().dtype == "|b1") {
    std::vector<std::uint8_t> out;
    for (bool v : array.read_all<bool>()) out.push_back(v ? 1 : 0);
    return out;
  }
  return array.read_all<std::uint8_t>();
}

std::vector<path::Vec3> RunStore::read_trajectory(std::int64_t frames) const {
  return read_rows3("trajectory", frames);
}

path::PathResult RunStore::read_path(std::int64_t frames) const {
  path::PathResult p;
  p.trajectory = read_rows3("trajectory", frames);
  p.smoothed = read_rows3("smoothed", frames);
  p.lof = read_column("lof", frames);
  p.outlier = read_flags("outlier", frames);
  if (p.outlier.empty()) {
    throw Error(location_, "has no outlier array (run `stillwater analyze` first)");
  }
  p.correction = read_corrections(frames);
  p.cut = read_flags("cut", frames);
  p.repeat = read_flags("repeat", frames);
  p.limited = read_flags("limited", frames);
  if (backend_->exists("radius/.zarray")) {
    const Array array = Array::open(backend_, "radius");
    if (array.meta().shape != std::vector<std::uint64_t>{static_cast<std::uint64_t>(frames)}) {
      throw Error(backend_->describe("radius"), "expected shape (" + std::to_string(frames) + ")");
    }
    for (std::int32_t r : array.read_all<std::int32_t>()) p.radius.push_back(r);
  }
  return p;
}

std::vector<std::uint8_t> RunStore::read_cuts(std::int64_t frames) const {
  std::vector<std::uint8_t> cut = read_flags("cut", frames);
  if (cut.empty()) cut.assign(static_cast<std::size_t>(frames), 0);
  return cut;
}

// A directory of this process's own, removed with everything in it when the last RunStore copy
// that shares it goes away (a run's end, or an error unwinding).
class RunStore::ScratchDir {
 public:
  ScratchDir() : path_(make_scratch_dir("pieces")) {}
  ~ScratchDir() {
    std::error_code ignored;  // a destructor must not throw; a leftover temp dir is harmless
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

void RunStore::begin_render(const std::string& render_key) {
  reset_progress(kRenderProgress, render_key);
  if (const auto dir = backend_->file_path(kRenderProgress)) {
    std::filesystem::create_directories(*dir);
  } else if (!piece_scratch_) {
    piece_scratch_ = std::make_shared<ScratchDir>();
  }
}

std::string RunStore::piece_scratch_path(std::int64_t segment) const {
  if (const auto file = backend_->file_path(piece_key(segment))) return file->string();
  if (!piece_scratch_) throw Error(location_, "render pieces asked for before begin_render");
  return (piece_scratch_->path() / ("piece_" + segment_key(segment) + ".mp4")).string();
}

void RunStore::publish_piece(std::int64_t segment) {
  if (backend_->file_path(piece_key(segment))) return;  // encoded in place
  trace::Span span("store", "upload piece " + std::to_string(segment));
  backend_->put_file(piece_key(segment), piece_scratch_path(segment));
}

bool RunStore::piece_done(std::int64_t segment) const {
  return backend_->exists(piece_key(segment));
}

std::string RunStore::fetch_piece(std::int64_t segment) const {
  const std::string path = piece_scratch_path(segment);
  std::error_code ec;
  if (!backend_->file_path(piece_key(segment)) && !std::filesystem::exists(path, ec)) {
    trace::Span span("store", "download piece " + std::to_string(segment));
    backend_->get_file(piece_key(segment), path);
  }
  return path;
}

}  // namespace sw::store
