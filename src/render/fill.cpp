#include "render/fill.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/error.hpp"
#include "render/bilinear.hpp"
#include "render/warp.hpp"

namespace sw::render {

namespace {

// Widths in luma pixels, levels in 8-bit units (scaled to the frame's depth by Levels). Measured on
// the footage and the synthetic clips (docs/architecture.md, "Full frame"): a band of 8 gives a few
// thousand samples per frame for the match; a seam blended over 4 pixels no longer shows as a line;
// a static scene (compression noise, small misregistration) differs by 2-6 levels per tile, a
// person walking through the seam by 20 and more.
constexpr int kBand = 8;
constexpr int kFeather = 4;
constexpr int kTile = 32;
constexpr int kCell = 8;              // the ghost test compares kCell x kCell means
constexpr int kGhostLevel = 12;       // mean |difference| of the cell means in a tile
constexpr int kMinCellSamples = 8;    // fewer band pixels in a cell: left out
constexpr int kMinTileSamples = 32;   // fewer band pixels in a tile: no ghost decision
constexpr int kMinMatchSamples = 64;  // fewer in the frame: no photometric match
constexpr double kMinGain = 0.8, kMaxGain = 1.25;
constexpr int kMaxChromaOffset = 32;

// The 8-bit levels above at a depth of 8..12 bits: a level of L at 8 bits is L << (depth - 8),
// a variance (a squared level) grows by 4^(depth - 8). At 8 bits they are the constants as they
// are, so 8-bit output does not change.
struct Levels {
  explicit Levels(int depth)
      : shift(depth - 8),
        max((1 << depth) - 1),
        ghost(kGhostLevel << shift),
        chroma_offset(kMaxChromaOffset << shift),
        min_variance(double(1 << (2 * shift))) {}
  int shift, max, ghost, chroma_offset;
  double min_variance;  // below it (a flat band) the gain stays 1
  int clamp(long v) const { return static_cast<int>(std::clamp<long>(v, 0, max)); }
};

// Output pixels x of row y whose source coordinate (map) lies inside [0, w-1] x [0, h-1].
template <typename Interval>
Interval inside_interval(const InverseAffine& map, int y, int src_w, int src_h, int out_w) {
  double lo = 0, hi = out_w;
  const auto clip = [&](double slope, double at0, double limit) {
    if (slope == 0) {
      if (at0 < 0 || at0 > limit) hi = lo;
      return;
    }
    double a = -at0 / slope, b = (limit - at0) / slope;
    if (a > b) std::swap(a, b);
    lo = std::max(lo, std::ceil(a));
    hi = std::min(hi, std::floor(b) + 1);
  };
  const auto& m = map.m;
  clip(m[0], m[1] * y + m[2], src_w - 1);
  clip(m[3], m[4] * y + m[5], src_h - 1);
  hi = std::max(hi, lo);
  return {static_cast<int>(std::clamp(lo, 0.0, double(out_w))),
          static_cast<int>(std::clamp(hi, 0.0, double(out_w)))};
}

// Samples the source along output row y, pixels [first, last), into row[first, last).
template <typename T>
void warp_run(const PlaneView& src, const InverseAffine& map, int y, int first, int last, T* row) {
  InverseAffine run = map;
  run.m[2] = map.m[0] * first + map.m[1] * y + map.m[2];
  run.m[5] = map.m[3] * first + map.m[4] * y + map.m[5];
  run.m[1] = run.m[4] = 0;  // one row: y is always 0 in the run's own grid
  const MutablePlaneView dst{reinterpret_cast<std::uint8_t*>(row + first), 0, last - first, 1,
                             sizeof(T)};
  warp_plane_bilinear(src, dst, run, Border::replicate, 0);
}

// Row y of a plane of T samples (the stride is in bytes).
template <typename T>
const T* row_of(const MutablePlaneView& p, int y) {
  return reinterpret_cast<const T*>(p.data + static_cast<std::ptrdiff_t>(y) * p.stride);
}
template <typename T>
T* mutable_row_of(const MutablePlaneView& p, int y) {
  return reinterpret_cast<T*>(p.data + static_cast<std::ptrdiff_t>(y) * p.stride);
}

// Calls f(first, last) for every run of consecutive x in [begin, end) with want(x).
template <typename Want, typename F>
void for_runs(int begin, int end, Want want, F f) {
  int x = begin;
  while (x < end) {
    while (x < end && !want(x)) ++x;
    const int first = x;
    while (x < end && want(x)) ++x;
    if (x > first) f(first, x);
  }
}

void check_source(const FrameView& f, const MutableFrameView& out) {
  for (int k = 0; k < 3; ++k) {
    const int bytes = out.planes[k].bytes_per_sample;
    if (f.planes[k].data != nullptr &&
        (f.planes[k].bytes_per_sample != bytes || f.bit_depth != out.bit_depth)) {
      throw Error("render", "fill: expected neighbour planes of the output's " +
                                std::to_string(bytes) + "-byte samples of " +
                                std::to_string(out.bit_depth) + " bits, got " +
                                std::to_string(f.planes[k].bytes_per_sample) + "-byte samples of " +
                                std::to_string(f.bit_depth) + " bits");
    }
  }
  if (f.chroma_shift_x != out.chroma_shift_x || f.chroma_shift_y != out.chroma_shift_y) {
    throw Error("render", "fill: expected a neighbour with the output's chroma subsampling");
  }
}

}  // namespace

FillCounts Filler::fill(std::span<const FillSource> sources, MutableFrameView& out) {
  if (sources.empty() || sources[0].frame == nullptr) {
    throw Error("render", "fill: expected the current frame as the first source");
  }
  if (sources.size() > 254) throw Error("render", "fill: expected at most 253 neighbours");
  const bool deep = out.planes[0].bytes_per_sample == 2;
  if (deep ? out.bit_depth <= 8 || out.bit_depth > 12 : out.bit_depth != 8) {
    throw Error("render", "fill: expected 8-bit samples or 16-bit words of 9..12 bits, got " +
                              std::to_string(out.planes[0].bytes_per_sample) + "-byte samples of " +
                              std::to_string(out.bit_depth) + " bits");
  }
  check_source(*sources[0].frame, out);
  warp_frame(*sources[0].frame, sources[0].warp, WarpParams{Border::replicate, 0}, out);

  const MutablePlaneView& luma = out.planes[0];
  width_ = luma.width;
  height_ = luma.height;
  const auto pixels = static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_);
  labels_.assign(pixels, kLabelEmpty);
  distance_.resize(pixels);
  weight_.resize(pixels);
  band_.resize(pixels);
  scratch_.resize(pixels * static_cast<std::size_t>(out.planes[0].bytes_per_sample));
  inside_.resize(static_cast<std::size_t>(height_));

  const FrameView& current = *sources[0].frame;
  const InverseAffine map = plane_map(sources[0].warp, 0, 0, current.planes[0], luma);
  std::int64_t empty = 0;
  for (int y = 0; y < height_; ++y) {
    const auto in = inside_interval<Interval>(map, y, current.planes[0].width,
                                              current.planes[0].height, width_);
    std::uint8_t* row = labels_.data() + static_cast<std::ptrdiff_t>(y) * width_;
    std::fill(row + in.first, row + in.last, std::uint8_t{0});
    empty += width_ - (in.last - in.first);
  }
  for (std::size_t k = 1; k < sources.size() && empty > 0; ++k) {
    if (sources[k].frame == nullptr) continue;
    check_source(*sources[k].frame, out);
    const auto label = static_cast<std::uint8_t>(k);
    empty -= deep ? add_source<std::uint16_t>(label, sources[k], out)
                  : add_source<std::uint8_t>(label, sources[k], out);
  }

  FillCounts counts;
  for (const std::uint8_t label : labels_) {
    if (label == 0) {
      ++counts.current;
    } else if (label == kLabelGhost) {
      ++counts.ghost;
    } else if (label == kLabelEmpty) {
      ++counts.fallback;
    } else {
      ++counts.neighbour;
    }
  }
  counts.fallback += counts.ghost;
  return counts;
}

// Fills what is still empty from one neighbour; returns how many pixels left the empty state
// (filled, or given up as ghosted). Works only in the kTile x kTile tiles that hold new pixels
// and the tiles around them (kBand < kTile), so a thin uncovered border costs in proportion
// to its area, not the frame's.
template <typename T>
std::int64_t Filler::add_source(std::uint8_t label, const FillSource& source,
                                MutableFrameView& out) {
  const Levels levels(out.bit_depth);
  const FrameView& frame = *source.frame;
  const MutablePlaneView& luma = out.planes[0];
  const InverseAffine map = plane_map(source.warp, 0, 0, frame.planes[0], luma);
  const auto at = [&](int y) { return static_cast<std::ptrdiff_t>(y) * width_; };

  // The tiles with new pixels (empty and inside this source).
  const int tiles_w = (width_ + kTile - 1) / kTile, tiles_h = (height_ + kTile - 1) / kTile;
  const auto tile_at = [&](int ty, int tx) { return static_cast<std::size_t>(ty * tiles_w + tx); };
  has_new_.assign(static_cast<std::size_t>(tiles_w * tiles_h), 0);
  bool any = false;
  for (int y = 0; y < height_; ++y) {
    Interval& in = inside_[static_cast<std::size_t>(y)];
    in = inside_interval<Interval>(map, y, frame.planes[0].width, frame.planes[0].height, width_);
    const std::uint8_t* row = labels_.data() + at(y);
    int x = in.first;
    while (x < in.last) {
      const void* hit = std::memchr(row + x, kLabelEmpty, static_cast<std::size_t>(in.last - x));
      if (!hit) break;
      const int tx = static_cast<int>(static_cast<const std::uint8_t*>(hit) - row) / kTile;
      has_new_[tile_at(y / kTile, tx)] = 1;
      any = true;
      x = (tx + 1) * kTile;
    }
  }
  if (!any) return 0;
  // Grown by one tile: every pixel within kBand of a new pixel is in an active tile.
  active_.assign(has_new_.size(), 0);
  for (int ty = 0; ty < tiles_h; ++ty) {
    for (int tx = 0; tx < tiles_w; ++tx) {
      if (!has_new_[tile_at(ty, tx)]) continue;
      for (int v = std::max(0, ty - 1); v <= std::min(tiles_h - 1, ty + 1); ++v)
        for (int u = std::max(0, tx - 1); u <= std::min(tiles_w - 1, tx + 1); ++u)
          active_[tile_at(v, u)] = 1;
    }
  }
  // Per tile row, the active columns as merged pixel spans; the rows they cover.
  tile_spans_.assign(static_cast<std::size_t>(tiles_h), {});
  int r0 = height_, r1 = 0;
  for (int ty = 0; ty < tiles_h; ++ty) {
    auto& spans = tile_spans_[static_cast<std::size_t>(ty)];
    for (int tx = 0; tx < tiles_w; ++tx) {
      if (!active_[tile_at(ty, tx)]) continue;
      const int first = tx * kTile, last = std::min(width_, (tx + 1) * kTile);
      if (!spans.empty() && spans.back().last == first) {
        spans.back().last = last;
      } else {
        spans.push_back({first, last});
      }
    }
    if (!spans.empty()) {
      r0 = std::min(r0, ty * kTile);
      r1 = std::max(r1, std::min(height_, (ty + 1) * kTile));
    }
  }
  const auto spans_of = [&](int y) -> const std::vector<Interval>& {
    return tile_spans_[static_cast<std::size_t>(y / kTile)];
  };
  const auto active = [&](int y, int x) { return active_[tile_at(y / kTile, x / kTile)] != 0; };
  // Calls f(first, last) for each active span of row y cut to the source's picture.
  const auto for_inside = [&](int y, auto f) {
    const Interval& in = inside_[static_cast<std::size_t>(y)];
    for (const Interval& sp : spans_of(y)) {
      const int first = std::max(sp.first, in.first), last = std::min(sp.last, in.last);
      if (first < last) f(first, last);
    }
  };
  const auto is_new = [&](int y, int x) {
    const Interval& in = inside_[static_cast<std::size_t>(y)];
    return x >= in.first && x < in.last && labels_[at(y) + x] == kLabelEmpty;
  };

  // L1 distance to the nearest new pixel, capped at kBand + 1, in the active tiles (two
  // chamfer passes; outside them counts as far, which is exact up to kBand: such paths stay
  // inside the active tiles).
  constexpr std::uint8_t far = kBand + 1;
  for (int y = r0; y < r1; ++y) {
    std::uint8_t* d = distance_.data() + at(y);
    for (const Interval& sp : spans_of(y)) {
      for (int x = sp.first; x < sp.last; ++x) {
        int v = is_new(y, x) ? 0 : far;
        if (x > sp.first) v = std::min(v, d[x - 1] + 1);
        if (y > 0 && active(y - 1, x)) v = std::min(v, d[x - width_] + 1);
        d[x] = static_cast<std::uint8_t>(std::min<int>(v, far));
      }
    }
  }
  for (int y = r1 - 1; y >= r0; --y) {
    std::uint8_t* d = distance_.data() + at(y);
    for (const Interval& sp : spans_of(y)) {
      for (int x = sp.last - 1; x >= sp.first; --x) {
        int v = d[x];
        if (x + 1 < sp.last) v = std::min(v, d[x + 1] + 1);
        if (y + 1 < height_ && active(y + 1, x)) v = std::min(v, d[x + width_] + 1);
        d[x] = static_cast<std::uint8_t>(v);
      }
    }
  }

  // The band (filled pixels within kBand of new ones, inside this source) and the new pixels
  // are what this source is sampled at. The band's samples are summed per kCell x kCell cell.
  const PlaneView& src = frame.planes[0];
  const int cells_x = (width_ + kCell - 1) / kCell;
  const int cell_y0 = r0 / kCell, cell_y1 = (r1 + kCell - 1) / kCell;
  cell_.assign(static_cast<std::size_t>(cells_x * (cell_y1 - cell_y0)), Cell{});
  const auto cell = [&](int y, int x) -> Cell& {
    return cell_[static_cast<std::size_t>((y / kCell - cell_y0) * cells_x + x / kCell)];
  };
  for (int y = r0; y < r1; ++y) {
    const std::uint8_t* labels = labels_.data() + at(y);
    const std::uint8_t* d = distance_.data() + at(y);
    std::uint8_t* band = band_.data() + at(y);
    for (const Interval& sp : spans_of(y))
      std::memset(band + sp.first, 0, static_cast<std::size_t>(sp.last - sp.first));
    T* s = scratch<T>() + at(y);
    const T* o = row_of<T>(luma, y);
    for_inside(y, [&](int first, int last) {
      for (int x = first; x < last; ++x)
        band[x] = d[x] > 0 && d[x] <= kBand && labels[x] < kLabelGhost;
      for_runs(
          first, last, [&](int x) { return d[x] == 0 || band[x]; },
          [&](int a, int b) { warp_run(src, map, y, a, b, s); });
      for (int x = first; x < last; ++x) {
        if (!band[x]) continue;
        Cell& c = cell(y, x);
        c.s += s[x];
        c.o += o[x];
        c.ss += std::int64_t{s[x]} * s[x];
        c.oo += std::int64_t{o[x]} * o[x];
        ++c.count;
      }
    });
  }

  // Photometric match (equal means and standard deviations over the band) and the ghost test
  // per tile (the mean |difference| of the matched cell means), in two rounds: the second
  // match leaves out the tiles the first round found ghosted, so that a subject in the band
  // does not bend the match of the rest.
  constexpr int kCellsPerTile = kTile / kCell;
  const int tiles_x = (cells_x + kCellsPerTile - 1) / kCellsPerTile;
  const int tile_y0 = cell_y0 / kCellsPerTile;
  const int tile_y1 = (cell_y1 + kCellsPerTile - 1) / kCellsPerTile;
  tile_ghost_.assign(static_cast<std::size_t>(tiles_x * (tile_y1 - tile_y0)), 0);
  const auto tile_of_cell = [&](int cy, int cx) {
    return static_cast<std::size_t>((cy / kCellsPerTile - tile_y0) * tiles_x + cx / kCellsPerTile);
  };
  double gain = 1, offset = 0;
  for (int round = 0; round < 2; ++round) {
    std::int64_t n = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
    for (int cy = cell_y0; cy < cell_y1; ++cy) {
      for (int cx = 0; cx < cells_x; ++cx) {
        const Cell& c = cell_[static_cast<std::size_t>((cy - cell_y0) * cells_x + cx)];
        if (c.count == 0 || tile_ghost_[tile_of_cell(cy, cx)]) continue;
        n += c.count, sx += c.s, sy += c.o, sxx += c.ss, syy += c.oo;
      }
    }
    gain = 1, offset = 0;
    if (n >= kMinMatchSamples) {
      const double mx = double(sx) / double(n), my = double(sy) / double(n);
      const double vx = double(sxx) / double(n) - mx * mx, vy = double(syy) / double(n) - my * my;
      if (vx > levels.min_variance && vy > levels.min_variance)
        gain = std::clamp(std::sqrt(vy / vx), kMinGain, kMaxGain);
      offset = my - gain * mx;
    }
    tile_sum_.assign(tile_ghost_.size(), 0);
    tile_count_.assign(tile_ghost_.size(), 0);
    for (int cy = cell_y0; cy < cell_y1; ++cy) {
      for (int cx = 0; cx < cells_x; ++cx) {
        const Cell& c = cell_[static_cast<std::size_t>((cy - cell_y0) * cells_x + cx)];
        if (c.count < kMinCellSamples) continue;
        // Weighted by the samples: |mean difference| * count = |sum difference|.
        const std::size_t t = tile_of_cell(cy, cx);
        tile_sum_[t] += std::abs(gain * double(c.s) + offset * double(c.count) - double(c.o));
        tile_count_[t] += double(c.count);
      }
    }
    for (std::size_t t = 0; t < tile_ghost_.size(); ++t) {
      tile_ghost_[t] =
          tile_count_[t] >= kMinTileSamples && tile_sum_[t] > levels.ghost * tile_count_[t];
    }
  }
  // The match as a table over every sample value (256 entries at 8 bits, 1024 at 10).
  match_.resize(static_cast<std::size_t>(levels.max) + 1);
  for (int v = 0; v <= levels.max; ++v)
    match_[static_cast<std::size_t>(v)] =
        static_cast<std::uint16_t>(levels.clamp(std::lround(gain * v + offset)));
  // Words above the depth (a malformed stream) take the top entry.
  const auto match = [&](T v) { return static_cast<T>(match_[std::min<int>(v, levels.max)]); };
  const auto ghosted = [&](int y, int x) {
    return tile_ghost_[static_cast<std::size_t>((y / kTile - tile_y0) * tiles_x + x / kTile)] != 0;
  };

  // Luma: new pixels replaced (or given up), the seam feathered; the weights for chroma.
  std::int64_t resolved = 0;
  for (int y = r0; y < r1; ++y) {
    std::uint8_t* labels = labels_.data() + at(y);
    const std::uint8_t* d = distance_.data() + at(y);
    const std::uint8_t* band = band_.data() + at(y);
    const T* s = scratch<T>() + at(y);
    std::uint8_t* w = weight_.data() + at(y);
    T* o = mutable_row_of<T>(luma, y);
    for (const Interval& sp : spans_of(y))
      std::memset(w + sp.first, 0, static_cast<std::size_t>(sp.last - sp.first));
    for_inside(y, [&](int first, int last) {
      for (int x = first; x < last; ++x) {
        if (d[x] == 0) {
          ++resolved;
          if (ghosted(y, x)) {
            labels[x] = kLabelGhost;
          } else {
            labels[x] = label;
            o[x] = match(s[x]);
            w[x] = 255;
          }
        } else if (band[x] && d[x] <= kFeather && !ghosted(y, x)) {
          const int weight = 128 * (kFeather + 1 - d[x]) / (kFeather + 1);
          o[x] = static_cast<T>((o[x] * (256 - weight) + match(s[x]) * weight + 128) >> 8);
          w[x] = static_cast<std::uint8_t>(weight);
        }
      }
    });
  }

  // Chroma: the same pixels at the subsampled positions (a chroma sample follows the luma
  // pixel at its top-left), matched by an offset.
  for (int k = 1; k < 3; ++k) {
    const MutablePlaneView& plane = out.planes[k];
    if (plane.data == nullptr || frame.planes[k].data == nullptr) continue;
    const int shift_x = out.chroma_shift_x, shift_y = out.chroma_shift_y;
    const InverseAffine cmap = plane_map(source.warp, shift_x, shift_y, frame.planes[k], plane);
    // Chroma rows and columns whose luma position lies in an active span.
    const int c0 = (r0 + (1 << shift_y) - 1) >> shift_y;
    const int c1 = std::min(plane.height, ((r1 - 1) >> shift_y) + 1);
    const auto lx = [&](int cx) { return cx << shift_x; };
    const auto for_chroma = [&](int cy, auto f) {
      for (const Interval& sp : spans_of(cy << shift_y)) {
        const int e0 = (sp.first + (1 << shift_x) - 1) >> shift_x;
        const int e1 = std::min(plane.width, ((sp.last - 1) >> shift_x) + 1);
        if (e0 < e1) f(e0, e1);
      }
    };
    std::int64_t sum = 0, count = 0;
    for (int cy = c0; cy < c1; ++cy) {
      const int y = cy << shift_y;
      const std::uint8_t* w = weight_.data() + at(y);
      const std::uint8_t* band = band_.data() + at(y);
      T* s = scratch<T>() + at(cy);  // a chroma row fits in a luma row
      const T* o = row_of<T>(plane, cy);
      for_chroma(cy, [&](int e0, int e1) {
        for_runs(
            e0, e1, [&](int cx) { return w[lx(cx)] > 0 || band[lx(cx)]; },
            [&](int first, int last) { warp_run(frame.planes[k], cmap, cy, first, last, s); });
        for (int cx = e0; cx < e1; ++cx) {
          if (band[lx(cx)]) {
            sum += int(o[cx]) - int(s[cx]);
            ++count;
          }
        }
      });
    }
    const long shift = count >= kMinMatchSamples
                           ? std::clamp<long>(std::lround(double(sum) / double(count)),
                                              -levels.chroma_offset, levels.chroma_offset)
                           : 0;
    for (int cy = c0; cy < c1; ++cy) {
      const std::uint8_t* w = weight_.data() + at(cy << shift_y);
      const T* s = scratch<T>() + at(cy);
      T* o = mutable_row_of<T>(plane, cy);
      for_chroma(cy, [&](int e0, int e1) {
        for (int cx = e0; cx < e1; ++cx) {
          const int weight = w[lx(cx)];
          if (weight == 0) continue;
          const int v = levels.clamp(s[cx] + shift);
          o[cx] = weight == 255 ? static_cast<T>(v)
                                : static_cast<T>((o[cx] * (256 - weight) + v * weight + 128) >> 8);
        }
      });
    }
  }
  return resolved;
}

}  // namespace sw::render
