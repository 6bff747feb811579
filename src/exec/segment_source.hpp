// SegmentSource: what a worker decodes a segment from. One per worker (each has its own
// decoder); frames carry their index in the run's FrameIndex, whatever decoding started from.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "core/types.hpp"

namespace sw::exec {

class SegmentSource {
 public:
  virtual ~SegmentSource() = default;
  // Positions the source so that next() delivers frames from a keyframe at or before `frame`.
  virtual void seek_to_frame(std::int64_t frame) = 0;
  // The next frame in presentation order; false at the end. Valid until the next call.
  virtual bool next(FrameView& frame) = 0;
  virtual std::vector<std::string> warnings() const { return {}; }
};

// Makes one worker's source; `decoder_threads` is that worker's share of the cores (frame-threaded
// decoding gives the same pixels whatever the count).
using SourceFactory = std::function<std::unique_ptr<SegmentSource>(int decoder_threads)>;

}  // namespace sw::exec
