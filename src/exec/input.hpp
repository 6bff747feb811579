// Input: what a run reads, whatever it is stored as. The pipeline, the store's description and
// the MPI job see only this interface; each kind (a video file or s3:// object, a Zarr frames
// array) is one file, and exec/input_kind.hpp chooses among them by what the path is. A new
// kind (an image sequence, a camera pipe) is one more file and one row in input_kind.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/types.hpp"
#include "exec/segment_source.hpp"
#include "io/video_reader.hpp"

namespace sw::exec {

// An input once probed and scanned.
struct InputScan {
  VideoInfo info;
  FrameIndex index;
  std::vector<std::string> warnings;
};

class Input {
 public:
  virtual ~Input() = default;

  // The kind's name: recorded in the store's description ("kind") and sent to other ranks,
  // whose input_of_kind() rebuilds the same input from it and the path.
  virtual std::string kind() const = 0;
  const std::string& path() const { return path_; }

  // Probes the input (the precise error for a bad one) and scans its frame index (until
  // `stop`). The only expensive call; ranks > 0 get the index from rank 0 instead.
  virtual InputScan scan(StopToken stop) const = 0;

  // What tells this input from another in a store's description: its size in bytes (0 when
  // the kind has none) and a content fingerprint.
  virtual std::int64_t size() const = 0;
  virtual std::string fingerprint() const = 0;

  // The analysis pass's segment sources over `index` (the scan's, or rank 0's); `index` must
  // outlive the sources. The factory does not refer to this Input.
  virtual SourceFactory segment_sources(const FrameIndex& index,
                                        const io::ReaderOptions& reader) const = 0;

  // Set when the render pass or --store-frames rgb cannot read this kind: why not.
  virtual std::string cannot_render() const { return {}; }
  virtual std::string cannot_store_rgb() const { return {}; }

 protected:
  explicit Input(std::string path) : path_(std::move(path)) {}

 private:
  std::string path_;
};

}  // namespace sw::exec
