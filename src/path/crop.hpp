// Crop: the zoom that keeps every output pixel inside the source frame.
//
// A correction C (Transform2D with zoom 1: q -> R(da) q + (dx, dy), about the frame centre) is
// rendered with a zoom z about the centre, so output pixel o samples the source at
// q = R(-da) (o / z - (dx, dy)). The output shows no border iff the four output corners'
// sources lie inside the source frame (the source of the whole output rectangle is the
// convex hull of the corners' sources, and the frame is convex). With s = 1/z each corner's
// source is affine in s, so the largest admissible s, i.e. the smallest zoom, has a closed
// form (min_zoom()).
//
// "Inside" is checked twice, both exactly: the luma output rectangle (corners at
// +-((W-1)/2, (H-1)/2)) must map into the luma sample area, and the 4:2:0 chroma output
// rectangle, whose corner samples sit half a luma pixel further in, into the chroma sample
// area (also half a pixel in; render/warp.cpp maps each plane's centre to the centre). Each
// area is shrunk by kEdgeEpsPx more, because OpenCV's warp rounds source coordinates to 1/32
// pixel and bilinear sampling at the very last pixel would otherwise read a sliver of border.
// The identity correction therefore needs a zoom of 1 + about 2 kEdgeEpsPx / W.
#pragma once

#include <span>
#include <vector>

#include "core/types.hpp"
#include "path/path.hpp"

namespace sw::path {

inline constexpr double kEdgeEpsPx = 1.0 / 16;
// The largest zoom there is (the upper bound of --zoom and --max-zoom); min_zoom() returns it
// for a correction no zoom can hide, and limit_corrections() then shrinks that correction.
inline constexpr double kMaxZoom = 4.0;

// The smallest zoom >= 1 at which the unzoomed correction `c` (c.zoom is ignored) shows no
// pixel from outside a `frame`-sized source; kMaxZoom when even that is not enough.
double min_zoom(const Transform2D& c, FrameSize frame);

// True iff rendering `c` (with its zoom) samples only inside the frame, as min_zoom() defines it.
bool covers(const Transform2D& c, FrameSize frame);

// The zoom bound a frame can actually keep: max_zoom, or the identity correction's own
// minimum (1 + about 0.2 / width, the edge epsilon above) when that is larger.
double reachable_zoom(double max_zoom, FrameSize frame);

// PathParams::max_zoom for the crop modes that show no border: each unzoomed correction
// whose min_zoom() exceeds the bound is shrunk towards the identity (the camera's own
// framing), c -> (t dx, t dy, t da) with the largest t in [0, 1] that fits, found by
// bisection. What is given up, 1 - t, is then spread in time like adaptive_zoom() spreads a
// zoom (running max over +-radius, Gaussian), so the output path bends towards the camera
// smoothly around the frames that need it instead of jumping there; a frame keeps its own
// t if the smoothed one does not fit. Returns t per frame (1 = untouched).
std::vector<double> limit_corrections(std::span<Transform2D> corrections, FrameSize frame,
                                      double max_zoom, int radius);

// Crop::adaptive: a zoom per frame that moves smoothly and is never below `minimum`:
// the running maximum over [i - r, i + r], then a Gaussian of sigma r / 3 truncated at r,
// which only averages values that are all >= minimum[i] (so it stays above it).
std::vector<double> adaptive_zoom(std::span<const double> minimum, int radius);

}  // namespace sw::path
