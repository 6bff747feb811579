#include "render/frame_ring.hpp"

#include <cstring>

#include "core/error.hpp"
#include "core/plane_depth.hpp"

namespace sw::render {

FrameRing::FrameRing(int capacity) {
  if (capacity < 1) throw Error("render", "expected a frame ring of at least 1 frame");
  slots_.resize(static_cast<std::size_t>(capacity));
}

void FrameRing::put(const FrameView& frame) {
  if (frame.index < 0) throw Error("render", "expected a frame number >= 0");
  Slot& slot =
      slots_[static_cast<std::size_t>(frame.index % static_cast<std::int64_t>(slots_.size()))];
  slot.index = frame.index;
  slot.view = frame;
  slot.view.bit_depth = 8;
  for (int k = 0; k < 3; ++k) {
    const PlaneView& in = frame.planes[k];
    if (in.data == nullptr) {
      slot.view.planes[k] = {};
      continue;
    }
    const PlaneView src = plane_to_8bit(in, frame.bit_depth, deep_, "render");
    auto& bytes = slot.planes[k];
    bytes.resize(static_cast<std::size_t>(src.width) * static_cast<std::size_t>(src.height));
    for (int y = 0; y < src.height; ++y) {
      std::memcpy(bytes.data() + static_cast<std::ptrdiff_t>(y) * src.width,
                  src.data + static_cast<std::ptrdiff_t>(y) * src.stride,
                  static_cast<std::size_t>(src.width));
    }
    slot.view.planes[k] = {bytes.data(), src.width, src.width, src.height, 1};
  }
}

void FrameRing::clear() {
  for (Slot& slot : slots_) slot.index = -1;
}

const FrameView* FrameRing::find(std::int64_t index) const {
  if (index < 0) return nullptr;
  const Slot& slot =
      slots_[static_cast<std::size_t>(index % static_cast<std::int64_t>(slots_.size()))];
  return slot.index == index ? &slot.view : nullptr;
}

}  // namespace sw::render
