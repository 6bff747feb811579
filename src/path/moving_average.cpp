// Trajectory and box filter.
//
// The box filter reads any window [i - r, i + r] of the edge-padded path in O(1) from prefix
// sums. Plain prefix sums would lose precision on long clips: a pan reaching 1e5 px makes the
// prefix sums ~1e10 and their difference keeps only ~1e-6 px. So the prefix sums are kept
// double-double (Knuth's TwoSum: an exact running sum hi + lo, see Ogita, Rump, Oishi,
// "Accurate Sum and Dot Product", SIAM J. Sci. Comput. 2005), which makes each window sum
// accurate to about one rounding of the window sum itself, whatever the clip length. This
// matches NumPy's edge-padded convolution (the reference vectors) to ~1e-15 relative.
// Requires strict IEEE arithmetic (no -ffast-math), which the build does not enable.
#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "path/path.hpp"

namespace sw::path {
namespace {

// Exact prefix sums of one column: sum(v[0..i)) == hi[i] + lo[i] up to ~1e-32 relative.
struct PrefixSum {
  std::vector<double> hi, lo;

  template <class Get>
  PrefixSum(std::span<const Vec3> path, Get get) : hi(path.size() + 1), lo(path.size() + 1) {
    double h = 0.0;
    double l = 0.0;
    for (std::size_t i = 0; i < path.size(); ++i) {
      const double x = get(path[i]);
      const double s = h + x;
      const double bp = s - h;
      l += (h - (s - bp)) + (x - bp);  // TwoSum: the rounding error of h + x, exactly
      h = s;
      hi[i + 1] = h;
      lo[i + 1] = l;
    }
  }

  // Sum of v over [b, e), 0 <= b <= e <= n.
  double range(std::size_t b, std::size_t e) const { return (hi[e] - hi[b]) + (lo[e] - lo[b]); }
};

// Mean of the edge-padded column over [i - r, i + r]: the part of the window left of 0
// repeats v[0], the part right of n - 1 repeats v[n - 1].
template <class Get>
double window_mean(const PrefixSum& ps, std::span<const Vec3> path, Get get, std::size_t i,
                   std::size_t r) {
  const std::size_t n = path.size();
  const std::size_t left = r > i ? r - i : 0;
  const std::size_t right = i + r > n - 1 ? i + r - (n - 1) : 0;
  const std::size_t b = i - std::min(i, r);
  const std::size_t e = std::min(n - 1, i + r) + 1;
  double s = ps.range(b, e);
  if (left > 0) s += static_cast<double>(left) * get(path[0]);
  if (right > 0) s += static_cast<double>(right) * get(path[n - 1]);
  return s / static_cast<double>(2 * r + 1);
}

}  // namespace

std::vector<Vec3> cumulative(std::span<const Vec3> rows) {
  std::vector<Vec3> out(rows.size());
  Vec3 acc;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    acc.x += rows[i].x;
    acc.y += rows[i].y;
    acc.a += rows[i].a;
    out[i] = acc;
  }
  return out;
}

std::vector<Vec3> moving_average(std::span<const Vec3> path, std::span<const int> radii) {
  if (radii.size() != path.size()) {
    throw Error("path", "expected one radius per row (" + std::to_string(path.size()) + "), got " +
                            std::to_string(radii.size()));
  }
  for (const int r : radii) {
    if (r < 0) throw Error("path", "expected moving-average radius >= 0, got " + std::to_string(r));
  }
  const auto gx = [](const Vec3& v) { return v.x; };
  const auto gy = [](const Vec3& v) { return v.y; };
  const auto ga = [](const Vec3& v) { return v.a; };
  const PrefixSum px(path, gx), py(path, gy), pa(path, ga);
  std::vector<Vec3> out(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto r = static_cast<std::size_t>(radii[i]);
    out[i] = {window_mean(px, path, gx, i, r), window_mean(py, path, gy, i, r),
              window_mean(pa, path, ga, i, r)};
  }
  return out;
}

std::vector<Vec3> moving_average(std::span<const Vec3> path, int radius) {
  if (radius < 0) {
    throw Error("path", "expected moving-average radius >= 0, got " + std::to_string(radius));
  }
  const std::vector<int> radii(path.size(), radius);
  return moving_average(path, radii);
}

}  // namespace sw::path
