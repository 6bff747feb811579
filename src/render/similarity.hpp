// Composing and inverting the per-frame similarities of core/types.hpp (Transform2D:
// p' = zoom R(da) p + (dx, dy), about the frame centre), so that render can chain a frame's
// correction with the camera path without knowing the path stage's types.
#pragma once

#include <cmath>

#include "core/types.hpp"

namespace sw::render {

// (a o b)(p) = a(b(p)).
inline Transform2D compose(const Transform2D& a, const Transform2D& b) {
  const double c = a.zoom * std::cos(a.da), s = a.zoom * std::sin(a.da);
  return {c * b.dx - s * b.dy + a.dx, s * b.dx + c * b.dy + a.dy, a.da + b.da, a.zoom * b.zoom};
}

// t^-1, so that compose(t, inverse(t)) is the identity (zoom > 0).
inline Transform2D inverse(const Transform2D& t) {
  const double c = std::cos(-t.da) / t.zoom, s = std::sin(-t.da) / t.zoom;
  return {-(c * t.dx - s * t.dy), -(s * t.dx + c * t.dy), -t.da, 1 / t.zoom};
}

}  // namespace sw::render
