// Warping a YUV frame by a per-frame similarity transform (Transform2D), plane by plane:
// luma at full size, chroma at its subsampled size with the translation scaled by the
// subsampling (the rotation and zoom are the same), so no RGB round trip.
//
// Transform convention (see core/types.hpp): coordinates about the frame centre. The output
// pixel q samples the input at T^-1(q), bilinear. Pixels whose source falls outside the input
// are filled according to the border policy.
#pragma once

#include <span>

#include "core/frame.hpp"
#include "core/names.hpp"
#include "core/types.hpp"
#include "render/bilinear.hpp"

namespace sw::render {

enum class Border {
  black,      // Y=16, U=V=128 (limited range black)
  replicate,  // nearest edge pixel
  mirror,     // reflect about the edge
};
inline constexpr Named<Border> kBorderNames[] = {
    {Border::black, "black"}, {Border::replicate, "replicate"}, {Border::mirror, "mirror"}};
constexpr std::span<const Named<Border>> names_of(Border) {
  return kBorderNames;
}

struct WarpParams {
  Border border = Border::black;
  // Full frame (--crop fill): > 0 fills the pixels a frame's correction uncovers from the
  // frames up to this many frames before and after it (render/fill.hpp); 0 = no fill, the
  // border policy above fills them.
  int fill_radius = 0;
};
// The fill radius --crop fill takes unless given (--fill-radius).
inline constexpr int kDefaultFillRadius = 15;

// Throws sw::Error unless the transform is finite with zoom > 0 (what warp_frame accepts).
void check_transform(const Transform2D& transform);

// Warps `in` into `out`, writing straight into out's planes. `out` has the same subsampling and,
// per plane, the same size or one pixel less in a dimension (odd sizes encoded at even size;
// each plane's centre maps to the input plane's centre). Output samples are the input's: bytes,
// or 16-bit words of in.bit_depth (9..12) bits, warped at that depth. Throws sw::Error on
// mismatched sizes or sample sizes, or a non-finite transform / zoom <= 0.
// The inverse map (output pixel -> input pixel) of one plane, subsampled by 2^shift, of a frame
// warped by `transform` (see warp.cpp).
InverseAffine plane_map(const Transform2D& transform, int shift_x, int shift_y, const PlaneView& in,
                        const MutablePlaneView& out);

void warp_frame(const FrameView& in, const Transform2D& transform, const WarpParams& params,
                MutableFrameView& out);

}  // namespace sw::render
