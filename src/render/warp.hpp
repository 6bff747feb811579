// Warping a YUV frame by a per-frame similarity transform (Transform2D), plane by plane:
// luma at full size, chroma at its subsampled size with the translation scaled by the
// subsampling (the rotation and zoom are the same), so no RGB round trip.
//
// Transform convention (see core/types.hpp): coordinates about the frame centre. The output
// pixel q samples the input at T^-1(q), bilinear. Pixels whose source falls outside the input
// are filled according to the border policy.
#pragma once

#include "core/frame.hpp"
#include "core/types.hpp"

namespace sw::render {

enum class Border {
  black,      // Y=16, U=V=128 (limited range black)
  replicate,  // nearest edge pixel
  mirror,     // reflect about the edge
};

struct WarpParams {
  Border border = Border::black;
};

// Warps `in` into `out` (same size and subsampling; 8 or 16-bit input, 8-bit output).
void warp_frame(const FrameView& in, const Transform2D& transform, const WarpParams& params,
                MutableFrameView& out);

}  // namespace sw::render
