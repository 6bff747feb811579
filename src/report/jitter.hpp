// Residual jitter: how much high-frequency shake a camera path still has.
//
// Definition (the project's own metric, used by tests, `stabilize`'s summary and `metrics`):
// take the per-frame path (x, y in pixels, a in radians), subtract its own centred moving
// average of half width `radius` (edge padding), and report the RMS of what is left:
//   translation_px = sqrt(mean(ex^2 + ey^2)),  rotation_deg = RMS(ea) in degrees,
//   corner_px      = RMS displacement of the frame corners, sqrt(mean(ex^2 + ey^2 + (ea*r)^2))
//                    with r the half diagonal: what a viewer sees at the edges of the picture.
// A steady pan has zero jitter; white shake of std s per axis gives about s*sqrt(2) px.
#pragma once

#include <span>

#include "path/path.hpp"

namespace sw::report {

struct Jitter {
  double translation_px = 0;
  double rotation_deg = 0;
  double corner_px = 0;
};

// radius 15 = a 31-frame (about 1 s at 30 fps) reference window, as in footage/README.md.
constexpr int kJitterRadius = 15;

Jitter residual_jitter(std::span<const path::Vec3> path, int width, int height,
                       int radius = kJitterRadius);

}  // namespace sw::report
