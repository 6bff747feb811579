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
// The largest zoom a crop mode will pick (the --zoom option's own upper bound). A frame
// that needs more (a correction moving by about half the frame) keeps some border.
inline constexpr double kMaxZoom = 4.0;

// The smallest zoom >= 1 at which the unzoomed correction `c` (c.zoom is ignored) shows no
// pixel from outside a `frame`-sized source; kMaxZoom when even that is not enough.
double min_zoom(const Transform2D& c, FrameSize frame);

// True iff rendering `c` (with its zoom) samples only inside the frame, as min_zoom() defines it.
bool covers(const Transform2D& c, FrameSize frame);

// Crop::adaptive: a zoom per frame that moves smoothly and is never below `minimum`:
// the running maximum over [i - r, i + r], then a Gaussian of sigma r / 3 truncated at r,
// which only averages values that are all >= minimum[i] (so it stays above it).
std::vector<double> adaptive_zoom(std::span<const double> minimum, int radius);

}  // namespace sw::path
