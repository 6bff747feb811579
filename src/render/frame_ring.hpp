// A fixed number of decoded frames, kept by absolute frame number as copies at their own
// depth, for the full-frame fill (render/fill.hpp): frame i is filled from frames i-K .. i+K,
// so a worker holds 2K+1 frames (at 1080p 4:2:0, 3.1 MB each at 8 bits, 6.2 MB at 10/12 bits:
// K = 15 holds 31 frames, 96 MB or 192 MB).
// Frame f replaces frame f - capacity in its slot; a frame the decoder skipped is simply not
// found.
#pragma once

#include <cstdint>
#include <vector>

#include "core/frame.hpp"

namespace sw::render {

class FrameRing {
 public:
  explicit FrameRing(int capacity);

  // Copies `frame` (8-bit planes or 16-bit words, kept as they are) into the slot of
  // frame.index.
  void put(const FrameView& frame);
  // The frame with this index, or null when the ring does not hold it. Valid until the next
  // put() into the same slot.
  const FrameView* find(std::int64_t index) const;
  // Forgets every frame (keeps the memory).
  void clear();

 private:
  struct Slot {
    std::int64_t index = -1;
    std::vector<std::uint8_t> planes[3];
    FrameView view;
  };
  std::vector<Slot> slots_;
};

}  // namespace sw::render
