// RunStore: stillwater's persistent state, a Zarr v2 group that zarr-python and Dask open
// without help. The layout is documented in docs/store-format.md (this file is authoritative
// for it): per-frame arrays chunked along frames, the run's description in the group's
// .zattrs, and progress under _progress/ so a killed run resumes where it stopped.
//
// Resume rules (checked by open()):
//   - another input (fingerprint) or another store format version: refused with one line;
//   - other analysis parameters: refused, naming the first parameter that differs (the
//     measurements would silently mix otherwise); use a new store;
//   - other path parameters: the path is recomputed from the stored motions (cheap);
//   - other render parameters or corrections: finished render pieces are discarded.
// Segment length and thread count never invalidate results: the arrays do not depend on them.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "path/path.hpp"
#include "store/backend.hpp"

namespace sw::store {

inline constexpr int kRunFormatVersion = 1;

// What identifies a run. Each part is a JSON object of every parameter that affects it.
struct RunDescription {
  nlohmann::json input;     // name, size, fingerprint, stream facts, stillwater version
  nlohmann::json analysis;  // motion parameters
  nlohmann::json path;      // path parameters
};

// A segment's measured pairs: motions of frames (first, first + count).
struct StagedMotions {
  std::int64_t first = 0;
  std::vector<Motion> motions;
};

class RunStore {
 public:
  // Opens (or creates) the store in directory `location` and checks it against `run` (see the
  // resume rules above). Throws sw::Error(location, ...) when refused.
  static RunStore open(const std::string& location, const RunDescription& run);

  const std::string& location() const { return location_; }
  Backend& backend() { return *backend_; }
  std::shared_ptr<Backend> backend_ptr() const { return backend_; }

  // The group's attributes, and one top-level attribute replaced (e.g. "exec").
  nlohmann::json attrs() const;
  void set_attr(const std::string& key, const nlohmann::json& value);

  // --- the frame index (written once per store) ---
  void write_index(const FrameIndex& index);

  // --- analysis progress, one staged record per segment; `plan_key` names the segment plan
  // (records of another plan are discarded) ---
  void begin_analysis(const std::string& plan_key);
  bool analysis_staged(std::int64_t segment) const;
  void stage_analysis(std::int64_t segment, const StagedMotions& staged);
  StagedMotions load_staged(std::int64_t segment) const;

  // --- final per-frame arrays ---
  bool has_motions() const;
  void write_motions(std::span<const Motion> motions);
  std::vector<Motion> read_motions() const;
  bool path_is_current() const { return path_current_; }
  void write_path(const path::PathResult& path);
  // The corrections render applies: as written by write_path, or as a user edited them in
  // Python (shape (N, 4): dx, dy, da, zoom). Throws when missing or of the wrong shape.
  std::vector<Transform2D> read_corrections(std::int64_t frames) const;

  // --- render progress: one encoded piece per segment. `render_key` hashes everything the
  // output bytes depend on (render parameters, corrections, segment plan); pieces of another
  // key are discarded. ---
  void begin_render(const std::string& render_key);
  std::string piece_path(std::int64_t segment) const;  // a local file path
  bool piece_done(std::int64_t segment) const;

 private:
  RunStore(std::string location, std::shared_ptr<Backend> backend);
  void write_description(const RunDescription& run);
  void reset_progress(const std::string& group, const std::string& key);

  std::string location_;
  std::shared_ptr<Backend> backend_;
  bool path_current_ = false;
};

// SHA-256 of bytes, hex; used for render keys.
std::string sha256_hex(std::span<const std::uint8_t> bytes);

}  // namespace sw::store
