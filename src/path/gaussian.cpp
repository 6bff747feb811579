// Gaussian smoothing of a path with a per-row standard deviation, edge padding.
//
// Each output row is a direct weighted sum over at most 2 ceil(3 sigma) + 1 taps (sigma is a
// few tens of frames, so a direct sum is cheaper than anything clever). The sum is taken of
// the differences to the row itself, p_j - p_i, so a path that has travelled 1e5 px keeps
// its sub-pixel detail (the same concern as moving_average.cpp's exact prefix sums).
#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "path/path.hpp"

namespace sw::path {

std::vector<Vec3> gaussian(std::span<const Vec3> path, std::span<const double> sigmas) {
  if (sigmas.size() != path.size()) {
    throw Error("path", "expected one sigma per row (" + std::to_string(path.size()) + "), got " +
                            std::to_string(sigmas.size()));
  }
  const auto n = static_cast<std::ptrdiff_t>(path.size());
  std::vector<Vec3> out(path.begin(), path.end());
  std::vector<double> weights;
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const double sigma = sigmas[static_cast<std::size_t>(i)];
    if (!(sigma >= 0) || !std::isfinite(sigma)) {
      throw Error("path", "expected sigma >= 0, got " + std::to_string(sigma));
    }
    if (sigma == 0) continue;
    const auto r = static_cast<std::ptrdiff_t>(std::ceil(3 * sigma));
    weights.resize(static_cast<std::size_t>(r + 1));
    double total = 0;
    for (std::ptrdiff_t k = 0; k <= r; ++k) {
      weights[static_cast<std::size_t>(k)] = std::exp(-0.5 * (k / sigma) * (k / sigma));
      total += (k == 0 ? 1 : 2) * weights[static_cast<std::size_t>(k)];
    }
    const Vec3& c = path[static_cast<std::size_t>(i)];
    Vec3 sum;
    for (std::ptrdiff_t k = -r; k <= r; ++k) {
      const std::ptrdiff_t j = std::clamp<std::ptrdiff_t>(i + k, 0, n - 1);  // edge padding
      const double w = weights[static_cast<std::size_t>(k < 0 ? -k : k)];
      const Vec3& p = path[static_cast<std::size_t>(j)];
      sum.x += w * (p.x - c.x);
      sum.y += w * (p.y - c.y);
      sum.a += w * (p.a - c.a);
    }
    out[static_cast<std::size_t>(i)] = {c.x + sum.x / total, c.y + sum.y / total,
                                        c.a + sum.a / total};
  }
  return out;
}

}  // namespace sw::path
