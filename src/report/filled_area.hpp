// The area of an output frame that `--crop fill` filled from other frames, shown on the report.
//
// Which output pixels the frame's own picture cannot provide is a matter of geometry alone: the
// correction maps output pixel o back to the source at p = R(-da) (o - d) / zoom (about the
// frame centre, as render/warp.hpp applies it), and p outside the source's sample area means
// the pixel came from a neighbouring frame or, where none covered it, from the replicated edge.
// The report tints that area on a copy of the output frame, so a viewer can judge the seams.
#pragma once

#include <cstdint>
#include <vector>

#include "core/frame.hpp"
#include "core/types.hpp"

namespace sw::report {

// An 8-bit frame that owns its planes (a copy of a decoded output frame).
struct OwnedFrame {
  std::vector<std::uint8_t> planes[3];
  FrameView view;  // points into `planes`
};

// True iff output luma pixel (x, y) of an out_w x out_h output, rendered from an in_w x in_h
// source through `correction`, samples outside the source (bilinear taps need |p| <= (n-1)/2).
bool uncovered(const Transform2D& correction, int in_w, int in_h, int out_w, int out_h, double x,
               double y);

// A copy of the 8-bit 4:2:0 (or other subsampled) frame `out` whose uncovered pixels are tinted
// magenta (chroma pulled halfway to U = V = 240; luma kept, so the picture stays readable).
// Returns the copy and sets `share` to the uncovered share of the luma pixels.
OwnedFrame tint_uncovered(const FrameView& out, const Transform2D& correction, int in_w, int in_h,
                          double& share);

}  // namespace sw::report
