#include "render/frame_ring.hpp"

#include <cstring>
#include <string>

#include "core/error.hpp"

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
  for (int k = 0; k < 3; ++k) {
    const PlaneView& in = frame.planes[k];
    if (in.data == nullptr) {
      slot.view.planes[k] = {};
      continue;
    }
    if (in.bytes_per_sample != 1 && in.bytes_per_sample != 2) {
      throw Error("render", "frame ring: expected 1- or 2-byte samples, got " +
                                std::to_string(in.bytes_per_sample));
    }
    const int row_bytes = in.width * in.bytes_per_sample;
    auto& bytes = slot.planes[k];
    bytes.resize(static_cast<std::size_t>(row_bytes) * static_cast<std::size_t>(in.height));
    for (int y = 0; y < in.height; ++y) {
      std::memcpy(bytes.data() + static_cast<std::ptrdiff_t>(y) * row_bytes,
                  in.data + static_cast<std::ptrdiff_t>(y) * in.stride,
                  static_cast<std::size_t>(row_bytes));
    }
    slot.view.planes[k] = {bytes.data(), row_bytes, in.width, in.height, in.bytes_per_sample};
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
