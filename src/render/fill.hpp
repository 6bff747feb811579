// Full frame (--crop fill): the pixels a frame's correction uncovers are filled from
// neighbouring frames instead of being cropped away.
//
// Geometry: with camera path T_j (frame 0 -> frame j) and frame i's correction C_i, output
// pixel o of frame i shows what frame j sees at T_j T_i^-1 C_i^-1 (o), so frame j is warped
// into output i by W_ij = C_i o T_i o T_j^-1 (render/similarity.hpp). The caller passes the
// sources with these warps; this file knows nothing of paths.
//
// Per output frame (luma decides, chroma follows the luma grid at its subsampled positions):
//  1. The current frame is warped with an edge-replicate border; the pixels whose source lies
//     inside it are labelled "current". The others are empty, and hold the replicated edge,
//     which is the fallback for whatever no neighbour fills.
//  2. Each neighbour in order (the caller's: nearest in time first) fills only what is still
//     empty and inside its own picture. It is warped only over those pixels and a band of
//     kBand pixels of already-filled ones next to them (per row, run by run: the cost follows
//     the empty area, not the frame). On that band:
//       - photometric match: a gain (ratio of standard deviations, clamped to [0.8, 1.25]) and
//         offset for luma, an offset for each chroma plane, so that a neighbour exposed
//         differently does not show as a step (estimated again without the ghosted tiles);
//       - ghosting: per 32x32 tile, the mean absolute difference between the 8x8 means of the
//         matched neighbour and of what is already there (means, so that fine texture one pixel
//         off does not count, a subject that is not there does); above kGhostLevel the neighbour
//         disagrees (a moving subject, a parallax edge) and the tile's empty pixels are left to the
//         fallback instead (and no later neighbour fills them either: farther frames would
//         disagree more);
//       - seams are feathered: filled pixels within kFeather of newly filled ones are blended
//         towards the neighbour (weight 1/2 at the seam, falling to 0).
//  3. Stops as soon as nothing is empty.
// All arithmetic on samples is integer (a table over the sample values per neighbour for the
// luma match), so the bytes depend only on the frames and the warps.
//
// Depth: the frames' own (8-bit bytes, or 16-bit words of 9..12 bits for 10/12-bit video), so
// the filled pixels and the blends keep the low bits. The levels (ghost threshold, chroma
// offset bound) are set in 8-bit units and scaled to the depth: L at 8 bits is L << (depth - 8).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/frame.hpp"
#include "core/types.hpp"

namespace sw::render {

// A frame that may fill output pixels, and its warp into the output (as warp_frame applies
// it: source pixel p lands at zoom R(da) p + (dx, dy), about the centres). Planes with the
// output's sample size, depth and chroma subsampling (render/frame_ring.hpp keeps frames so).
struct FillSource {
  const FrameView* frame = nullptr;
  Transform2D warp;
};

// What the pixels of one output frame show, counted on the luma grid.
struct FillCounts {
  std::int64_t current = 0;    // the frame itself
  std::int64_t neighbour = 0;  // a neighbouring frame
  std::int64_t fallback = 0;   // the replicated edge: no neighbour covered it, or ...
  std::int64_t ghost = 0;      // ... (a part of fallback) a neighbour did but disagreed
};

// Labels of Filler::labels(): 0 = the current frame, k = sources[k], or one of these.
inline constexpr std::uint8_t kLabelGhost = 0xFE;
inline constexpr std::uint8_t kLabelEmpty = 0xFF;  // the fallback

// Keeps its working planes between frames (one per worker): about 5 bytes a luma pixel
// (10 MB at 1080p; 6 bytes at 10/12 bits) besides the frames.
class Filler {
 public:
  // sources[0] is the current frame, then the neighbours in the order they are tried (at
  // most 253). `out` is written whole, at its depth (8 bits, or 16-bit words of 9..12 bits).
  // Throws sw::Error on frames whose size, depth or subsampling does not match `out`.
  FillCounts fill(std::span<const FillSource> sources, MutableFrameView& out);

  // The luma grid of the last fill(), row-major, out.planes[0].width wide.
  const std::vector<std::uint8_t>& labels() const { return labels_; }

 private:
  // T: the samples, std::uint8_t or std::uint16_t (out.bit_depth bits).
  template <typename T>
  std::int64_t add_source(std::uint8_t label, const FillSource& source, MutableFrameView& out);
  template <typename T>
  T* scratch() {
    return reinterpret_cast<T*>(scratch_.data());
  }

  int width_ = 0, height_ = 0;
  std::vector<std::uint8_t> labels_;
  std::vector<std::uint8_t> distance_;  // L1 distance to the new pixels, capped
  std::vector<std::uint8_t> weight_;    // blend weight of the neighbour (255 = replace)
  std::vector<std::uint8_t> band_;      // 1 = in the overlap band (photometric samples)
  std::vector<std::uint8_t> scratch_;   // the neighbour, warped over the wanted runs (T)
  std::vector<std::uint16_t> match_;    // the luma match per sample value
  struct Interval {
    int first = 0, last = 0;
  };
  std::vector<Interval> inside_;  // per luma row: where the source has a picture
  struct Cell {  // sums over the band pixels of a cell: s = the neighbour, o = what is there
    std::int64_t s = 0, o = 0, ss = 0, oo = 0, count = 0;
  };
  std::vector<Cell> cell_;
  std::vector<double> tile_sum_, tile_count_;
  std::vector<std::uint8_t> tile_ghost_;
  std::vector<std::uint8_t> has_new_, active_;     // per kTile tile
  std::vector<std::vector<Interval>> tile_spans_;  // per tile row: active columns
};

}  // namespace sw::render
