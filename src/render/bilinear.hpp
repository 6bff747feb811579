// Bilinear resampling of one plane (8-bit, or 16-bit words of up to 12 bits) through an affine
// map, in integer arithmetic.
//
// Why not cv::warpAffine: on a 1080p plane it spends about 4.5 ns a pixel (it builds a map of
// fixed-point coordinates block by block, then remaps), which made the warp of a 1080p frame
// cost as much as decoding it. A stabilizer's maps are near-identity similarities, and one
// output row reads one slanted band of the input, so a row can be walked with one 64-bit
// addition per coordinate and a pixel costs four loads and a few multiplies.
//
// Arithmetic (fixed, so the bytes are the same on every machine and vector width):
//  * each row's start and per-pixel step rounded from double to 32.32 fixed point; a pixel's
//    coordinate is exact at the start of its 8-pixel block, then 16.16 (error < 2^-13 px);
//  * weights are the coordinate's fraction rounded to 1/256 px; a sample is
//    ((p00 (256-wx) + p01 wx) (256-wy) + (p10 (256-wx) + p11 wx) wy + 2^15) >> 16;
//  * an exact integer map has weight 0 and copies samples unchanged.
// Taps outside the plane follow the border: a constant fill, the nearest edge sample
// (replicate), or a reflection about the edge sample (mirror: -1 -> 1, w -> w-2).
#pragma once

#include <cstdint>

#include "core/frame.hpp"

namespace sw::render {

enum class Border;

// src = (m[0] x + m[1] y + m[2], m[3] x + m[4] y + m[5]) for output pixel (x, y).
struct InverseAffine {
  double m[6];
};

// `src` and `dst` hold samples of the same size: bytes, or 16-bit words of at most 12
// significant bits (10/12-bit video; the sums stay in 32 bits); `dst` is written whole, `fill`
// is the constant border's sample. No size relation is required between them. `allow_simd` =
// false forces the scalar loops (the tests check that both give the same bytes); with true,
// AVX2 is used for 8-bit planes where the CPU has it. Throws sw::Error for other sample sizes.
void warp_plane_bilinear(const PlaneView& src, const MutablePlaneView& dst,
                         const InverseAffine& map, Border border, int fill, bool allow_simd = true);

}  // namespace sw::render
