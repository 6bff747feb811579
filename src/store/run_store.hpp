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
//
// Completeness: a set of arrays (the motions, the path) is trusted only when the group's
// .zattrs "complete" names it. The mark is removed before the arrays are (re)written and set
// after their last chunk, so a run killed in between (a .zarray present, its chunk not yet)
// measures or plans again instead of reading missing chunks as fill values.
// Concurrency: a store is locked for the lifetime of the RunStore when its backend can lock
// (a directory: store_lock.hpp; S3 cannot): exclusively, or shared by the shards of a job
// array (Sharing::shard, exec/shard.hpp). Shards may start in any order, at the same time, on
// machines that share only the store, so everything a shard writes is a key of its own (a
// staged segment, a piece) or the same bytes from every shard (the description, the index,
// the progress keys), and an attribute is written only when it changes; begin_analysis and
// begin_render never discard what another process staged under the same key (see
// reset_progress in run_store.cpp).
//
// The store works on any Backend (store/backend.hpp); which one a location names is decided
// in one place, store/open_backend.hpp.
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
#include "store/codec.hpp"
#include "store/staged_record.hpp"

namespace sw::store {

inline constexpr int kRunFormatVersion = 1;

// Whether the opening process works on the store alone, or as one of the shards of a job
// array that work on it at the same time (store_lock.hpp).
enum class Sharing { alone, shard };

// What identifies a run. Each part is a JSON object of every parameter that affects it.
struct RunDescription {
  nlohmann::json input;     // name, size, fingerprint, stream facts, stillwater version
  nlohmann::json analysis;  // motion parameters
  nlohmann::json path;      // path parameters; null: keep the stored ones (render without
                            // --replan applies the stored path, which they describe)
  // Compressor of the per-frame arrays (Blosc lz4 by default, as zarr-python's default).
  Compressor compressor = Compressor::blosc();
};

class RunStore {
 public:
  // Opens (or creates) the store at `location`, a directory or "s3://BUCKET/PREFIX" (see
  // open_backend.hpp), and checks it against `run` (see the resume rules above). Throws
  // sw::Error(location, ...) when refused.
  static RunStore open(const std::string& location, const RunDescription& run,
                       Sharing sharing = Sharing::alone);
  // The same on a given backend; `location` names it in messages.
  static RunStore open(std::shared_ptr<Backend> backend, std::string location,
                       const RunDescription& run, Sharing sharing = Sharing::alone);
  // Opens an existing store to read it (the report): no lock, nothing written, no resume
  // check. Throws sw::Error(location, ...) when there is no stillwater store there.
  static RunStore open_existing(const std::string& location);

  const std::string& location() const { return location_; }
  const Compressor& compressor() const { return compressor_; }
  Backend& backend() { return *backend_; }
  std::shared_ptr<Backend> backend_ptr() const { return backend_; }

  // The group's attributes, and one top-level attribute replaced (e.g. "exec"; written only
  // when it changes).
  nlohmann::json attrs() const;
  void set_attr(const std::string& key, const nlohmann::json& value);

  // --- the frame index (written once per store; not again when the store holds it) ---
  void write_index(const FrameIndex& index);

  // --- analysis progress, one staged record per segment; `plan_key` names the segment plan
  // (records of another plan are discarded) ---
  void begin_analysis(const std::string& plan_key);
  bool analysis_staged(std::int64_t segment) const;
  void stage_analysis(std::int64_t segment, const StagedMotions& staged);
  // The staged motions of frames [first, first + count), as the segment plan expects them;
  // throws sw::Error when the record does not fit (see store/staged_record.hpp).
  StagedMotions load_staged(std::int64_t segment, std::int64_t first, std::int64_t count) const;

  // --- final per-frame arrays ---
  bool has_motions() const;
  void write_motions(std::span<const Motion> motions);
  std::vector<Motion> read_motions() const;
  bool path_is_current() const { return path_current_; }
  void write_path(const path::PathResult& path);
  // The corrections render applies: as written by write_path, or as a user edited them in
  // Python (shape (N, 4): dx, dy, da, zoom). Throws when missing or of the wrong shape.
  std::vector<Transform2D> read_corrections(std::int64_t frames) const;
  // What full frame (--crop fill) needs besides the corrections: the camera path, and the cut
  // flags (all 0 from a store written before the cut array existed). Throws when the
  // trajectory is missing or of the wrong shape.
  std::vector<path::Vec3> read_trajectory(std::int64_t frames) const;
  std::vector<std::uint8_t> read_cuts(std::int64_t frames) const;
  // The path stage's arrays for `frames` frames as write_path wrote them: trajectory, smoothed,
  // lof, outlier and correction (required), cut, radius and repeat (empty when the store has
  // no such array). invalid_pairs is left 0. Throws sw::Error naming the store when a required
  // array is missing or any array has another frame count.
  path::PathResult read_path(std::int64_t frames) const;

  // --- render progress: one encoded piece per segment. `render_key` hashes everything the
  // output bytes depend on (render parameters, corrections, segment plan); pieces of another
  // key are discarded. A piece is encoded into a local file, piece_scratch_path(k), and
  // publish_piece(k) makes it part of the store as _progress/render/piece_<k>.mp4: when the
  // backend keeps values as files (Backend::file_path, a directory) the scratch path is the
  // piece's place in the store (nothing to do); otherwise it is a file in a scratch directory
  // (system temp dir, removed with the last copy of the RunStore) that put_file stores.
  // fetch_piece(k) gives a local file with the piece's bytes for assembly, fetching a piece a
  // previous run published. ---
  void begin_render(const std::string& render_key);
  std::string piece_scratch_path(std::int64_t segment) const;
  void publish_piece(std::int64_t segment);
  bool piece_done(std::int64_t segment) const;
  std::string fetch_piece(std::int64_t segment) const;

 private:
  class ScratchDir;
  RunStore(std::string location, std::shared_ptr<Backend> backend);
  void write_description(const RunDescription& run);
  void write_root_attrs(const nlohmann::json& attrs);
  bool holds_index(const FrameIndex& index) const;
  void reset_progress(const std::string& group, const std::string& key);
  bool is_complete(const std::string& arrays) const;
  std::vector<path::Vec3> read_rows3(const char* name, std::int64_t frames) const;
  std::vector<double> read_column(const char* name, std::int64_t frames) const;
  std::vector<std::uint8_t> read_flags(const char* name, std::int64_t frames) const;
  void mark_complete(const std::string& arrays, bool complete);

  std::string location_;
  std::shared_ptr<Backend> backend_;
  std::shared_ptr<void> lock_;                 // Backend::lock(): held while any copy lives
  std::shared_ptr<ScratchDir> piece_scratch_;  // backends without files: where pieces are encoded
  bool path_current_ = false;
  Compressor compressor_ = Compressor::blosc();
};

}  // namespace sw::store
