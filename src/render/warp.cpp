// Per plane, the luma-space similarity T(p) = A p + t (A = zoom * R(da), p about the frame
// centre) is rewritten in that plane's own pixel grid and handed to the bilinear sampler
// (render/bilinear.hpp) as an inverse map, writing straight into the output plane:
//
//  * A plane subsampled by D = diag(2^shift_x, 2^shift_y) sees u = D^-1 p, so its transform is
//    u' = (D^-1 A D) u + D^-1 t. For 4:2:0 and 4:4:4 (equal shifts) D^-1 A D = A: the same
//    rotation and zoom, the translation halved; for 4:2:2 the off-diagonal terms absorb the
//    non-square chroma grid.
//  * Centres: output pixel q (about the output plane's centre) samples input T^-1(q) (about the
//    input plane's centre). The two centres differ when the output is one pixel smaller than
//    the input (odd sizes encoded at even size); the centres still map onto each other.
//  * Sampling is bilinear in integer arithmetic (1/256-pixel weights), at the input's depth
//    (10/12-bit samples are warped as 16-bit words, never through 8 bits). An exact integer
//    shift has zero fractional part, so it copies samples unchanged.
#include "render/warp.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "render/bilinear.hpp"

namespace sw::render {

namespace {

std::string size_text(int w, int h) {
  return std::to_string(w) + "x" + std::to_string(h);
}

void check_sizes(const FrameView& in, const MutableFrameView& out) {
  if (out.chroma_shift_x != in.chroma_shift_x || out.chroma_shift_y != in.chroma_shift_y) {
    throw Error("render", "expected the output's chroma subsampling (shift " +
                              size_text(in.chroma_shift_x, in.chroma_shift_y) +
                              ") to match the input, got shift " +
                              size_text(out.chroma_shift_x, out.chroma_shift_y));
  }
  for (int k = 0; k < 3; ++k) {
    const PlaneView& a = in.planes[k];
    const MutablePlaneView& b = out.planes[k];
    const bool fits = (b.width == a.width || b.width == a.width - 1) &&
                      (b.height == a.height || b.height == a.height - 1);
    if (a.data != nullptr && a.data == b.data) {
      // The sampler reads around each output pixel, so it cannot work in place.
      throw Error("render", "plane " + std::to_string(k) +
                                ": expected distinct input and output memory, got the same");
    }
    if (!fits || (a.data == nullptr) != (b.data == nullptr) ||
        (a.data && b.bytes_per_sample != a.bytes_per_sample)) {
      throw Error("render", "plane " + std::to_string(k) + ": expected an output plane of " +
                                size_text(a.width, a.height) + " (or one pixel smaller) with " +
                                std::to_string(a.bytes_per_sample) + "-byte samples, got " +
                                size_text(b.width, b.height) + " with " +
                                std::to_string(b.bytes_per_sample) + "-byte samples");
    }
  }
}

}  // namespace

// Inverse map (output pixel -> input pixel) of one plane; see the file comment.
InverseAffine plane_map(const Transform2D& t, int shift_x, int shift_y, const PlaneView& in,
                        const MutablePlaneView& out) {
  const double fx = 1 << shift_x;
  const double fy = 1 << shift_y;
  const double c = t.zoom * std::cos(t.da);
  const double s = t.zoom * std::sin(t.da);
  // B = D^-1 A D = [c, -s fy/fx; s fx/fy, c]; det B = zoom^2.
  const double det = t.zoom * t.zoom;
  const double i00 = c / det, i01 = s * fy / fx / det;
  const double i10 = -s * fx / fy / det, i11 = c / det;
  const double in_cx = (in.width - 1) / 2.0, in_cy = (in.height - 1) / 2.0;
  // src = B^-1 (q - out_centre - t_plane) + in_centre, with q in output pixels.
  const double ox = (out.width - 1) / 2.0 + t.dx / fx;
  const double oy = (out.height - 1) / 2.0 + t.dy / fy;
  return {{i00, i01, in_cx - (i00 * ox + i01 * oy),  //
           i10, i11, in_cy - (i10 * ox + i11 * oy)}};
}

void check_transform(const Transform2D& transform) {
  if (!(transform.zoom > 0) || !std::isfinite(transform.zoom) || !std::isfinite(transform.da) ||
      !std::isfinite(transform.dx) || !std::isfinite(transform.dy)) {
    throw Error("render", "expected a finite transform with zoom > 0, got zoom " +
                              std::to_string(transform.zoom));
  }
}

void warp_frame(const FrameView& in, const Transform2D& transform, const WarpParams& params,
                MutableFrameView& out) {
  check_transform(transform);
  check_sizes(in, out);
  const bool deep = in.planes[0].bytes_per_sample == 2;
  if (deep ? in.bit_depth <= 8 || in.bit_depth > 12 : in.bit_depth != 8)
    throw Error("render", "expected 8-bit samples or 16-bit words of 9..12 bits, got " +
                              std::to_string(in.planes[0].bytes_per_sample) + "-byte samples of " +
                              std::to_string(in.bit_depth) + " bits");

  for (int k = 0; k < 3; ++k) {
    const PlaneView& src_plane = in.planes[k];
    MutablePlaneView& dst_plane = out.planes[k];
    if (src_plane.data == nullptr) continue;  // e.g. a grey-only frame
    const int shift_x = k == 0 ? 0 : in.chroma_shift_x;
    const int shift_y = k == 0 ? 0 : in.chroma_shift_y;
    // Limited-range black: Y 16, Cb/Cr 128, scaled to the depth (64 and 512 at 10 bits).
    const int black = (k == 0 ? 16 : 128) << (in.bit_depth - 8);
    warp_plane_bilinear(src_plane, dst_plane,
                        plane_map(transform, shift_x, shift_y, src_plane, dst_plane), params.border,
                        black);
  }
}

}  // namespace sw::render
