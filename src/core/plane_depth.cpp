#include "core/plane_depth.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "core/error.hpp"

namespace sw {

PlaneView plane_to_8bit(const PlaneView& plane, int bit_depth, std::vector<std::uint8_t>& buffer,
                        const char* subject) {
  if (plane.bytes_per_sample == 1) return plane;
  if (plane.bytes_per_sample != 2 || bit_depth < 8 || bit_depth > 16) {
    throw Error(subject, "expected 8-bit samples or 16-bit words of 8..16 bits, got " +
                             std::to_string(plane.bytes_per_sample) + "-byte samples of " +
                             std::to_string(bit_depth) + " bits");
  }
  const auto width = static_cast<std::size_t>(plane.width);
  buffer.resize(width * static_cast<std::size_t>(plane.height));
  const int shift = bit_depth - 8;
  for (int y = 0; y < plane.height; ++y) {
    const std::uint8_t* row = plane.data + static_cast<std::ptrdiff_t>(y) * plane.stride;
    std::uint8_t* out = buffer.data() + static_cast<std::size_t>(y) * width;
    for (std::size_t x = 0; x < width; ++x) {
      std::uint16_t sample;  // memcpy: the row need not be 2-byte aligned
      std::memcpy(&sample, row + 2 * x, sizeof sample);
      out[x] = static_cast<std::uint8_t>(std::min(sample >> shift, 255));
    }
  }
  return {buffer.data(), plane.width, plane.width, plane.height, 1};
}

}  // namespace sw
