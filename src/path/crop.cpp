// Crop zoom from the per-frame corrections; see crop.hpp for the geometry.
#include "path/crop.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace sw::path {
namespace {

// One plane's test: output corners at +-(ox, oy) must map into +-(ox - eps, oy - eps).
struct Rect {
  double ox, oy;
};

std::array<Rect, 2> rects(FrameSize frame) {
  const double hx = (frame.width - 1) / 2.0, hy = (frame.height - 1) / 2.0;
  return {Rect{hx, hy}, Rect{hx - 0.5, hy - 0.5}};  // luma; 4:2:0 chroma in luma pixels
}

}  // namespace

double min_zoom(const Transform2D& c, FrameSize frame) {
  const double cs = std::cos(c.da), sn = std::sin(c.da);
  // R(-da) v = (cs vx + sn vy, -sn vx + cs vy); source of corner o: s R(-da) o - R(-da) d.
  const double bx = -(cs * c.dx + sn * c.dy), by = -(-sn * c.dx + cs * c.dy);
  double s_max = 1.0;
  for (const Rect& r : rects(frame)) {
    for (const double ox : {-r.ox, r.ox}) {
      for (const double oy : {-r.oy, r.oy}) {
        const double ax = cs * ox + sn * oy, ay = -sn * ox + cs * oy;
        // |s a + b| <= h for s in (0, s_max]:  s <= (h - sign(a) b) / |a|.
        for (const auto& [a, b, h] :
             {std::array{ax, bx, r.ox - kEdgeEpsPx}, std::array{ay, by, r.oy - kEdgeEpsPx}}) {
          const double room = h - std::copysign(1.0, a) * b;
          if (room <= 0) return kMaxZoom;
          if (a != 0) s_max = std::min(s_max, room / std::abs(a));
        }
      }
    }
  }
  // One part in 1e9 above the exact bound, so that rounding never lands a corner outside.
  return std::clamp(1.0 / s_max * (1 + 1e-9), 1.0, kMaxZoom);
}

bool covers(const Transform2D& c, FrameSize frame) {
  const double cs = std::cos(c.da), sn = std::sin(c.da);
  for (const Rect& r : rects(frame)) {
    for (const double ox : {-r.ox, r.ox}) {
      for (const double oy : {-r.oy, r.oy}) {
        const double vx = (ox - c.dx) / c.zoom, vy = (oy - c.dy) / c.zoom;
        const double qx = cs * vx + sn * vy, qy = -sn * vx + cs * vy;
        if (std::abs(qx) > r.ox - kEdgeEpsPx || std::abs(qy) > r.oy - kEdgeEpsPx) return false;
      }
    }
  }
  return true;
}

double reachable_zoom(double max_zoom, FrameSize frame) {
  return std::max(max_zoom, min_zoom(Transform2D{0, 0, 0, 1}, frame));
}

std::vector<double> limit_corrections(std::span<Transform2D> corrections, FrameSize frame,
                                      double max_zoom, int radius) {
  const double bound = reachable_zoom(max_zoom, frame);
  const auto scaled = [](const Transform2D& c, double t) {
    return Transform2D{t * c.dx, t * c.dy, t * c.da, c.zoom};
  };
  const auto fits = [&](const Transform2D& c) { return min_zoom(c, frame) <= bound; };
  std::vector<double> keep(corrections.size(), 1.0);
  std::vector<double> given_up(corrections.size(), 0.0);
  bool any = false;
  for (std::size_t i = 0; i < corrections.size(); ++i) {
    if (fits(corrections[i])) continue;
    // t = 0 (the identity) fits by the choice of bound; 40 halvings leave 1e-12 of the range.
    double lo = 0, hi = 1;
    for (int k = 0; k < 40; ++k) {
      const double mid = 0.5 * (lo + hi);
      (fits(scaled(corrections[i], mid)) ? lo : hi) = mid;
    }
    keep[i] = lo;
    given_up[i] = 1 - lo;
    any = true;
  }
  if (!any) return keep;
  const std::vector<double> spread = adaptive_zoom(given_up, radius);
  for (std::size_t i = 0; i < corrections.size(); ++i) {
    const double t = std::clamp(1 - spread[i], 0.0, 1.0);
    if (t < keep[i] && fits(scaled(corrections[i], t))) keep[i] = t;
    corrections[i] = scaled(corrections[i], keep[i]);
  }
  return keep;
}

std::vector<double> adaptive_zoom(std::span<const double> minimum, int radius) {
  const auto n = static_cast<std::ptrdiff_t>(minimum.size());
  const std::ptrdiff_t r = std::max(1, radius);
  std::vector<double> peak(minimum.size());
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const auto b = minimum.begin() + std::max<std::ptrdiff_t>(0, i - r);
    const auto e = minimum.begin() + std::min(n, i + r + 1);
    peak[static_cast<std::size_t>(i)] = *std::max_element(b, e);
  }
  const double sigma = static_cast<double>(r) / 3;
  std::vector<double> out(minimum.size());
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    double sum = 0, total = 0;
    for (std::ptrdiff_t k = -r; k <= r; ++k) {
      const std::ptrdiff_t j = std::clamp<std::ptrdiff_t>(i + k, 0, n - 1);
      const double w = std::exp(-0.5 * (k / sigma) * (k / sigma));
      sum += w * peak[static_cast<std::size_t>(j)];
      total += w;
    }
    // The average of values >= minimum[i] is >= minimum[i] up to rounding; max() removes that.
    out[static_cast<std::size_t>(i)] = std::max(sum / total, minimum[static_cast<std::size_t>(i)]);
  }
  return out;
}

}  // namespace sw::path
