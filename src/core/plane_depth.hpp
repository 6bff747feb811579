// Bringing a plane of deeper-than-8-bit samples to 8 bits, the depth the recipe's analysis and
// the full-frame fill work at (the plain warp keeps the input's depth). Shared by motion/ and
// render/; free of OpenCV and libav.
#pragma once

#include <cstdint>
#include <vector>

#include "core/frame.hpp"

namespace sw {

// An 8-bit view of `plane`: the plane itself when its samples are 8-bit (no copy); otherwise
// its 16-bit words shifted right by (bit_depth - 8) into `buffer`, samples above the declared
// depth saturating instead of wrapping. Throws sw::Error(subject, ...) for other layouts.
PlaneView plane_to_8bit(const PlaneView& plane, int bit_depth, std::vector<std::uint8_t>& buffer,
                        const char* subject);

}  // namespace sw
