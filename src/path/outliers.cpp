// What the path stage does with rows that LOF flags: the recipe's replacement, and the
// adaptive policy's per-frame half widths.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "path/path.hpp"

namespace sw::path {

// As the original script: the mean is taken over the *original* rows (a replaced row never
// feeds another), summed in row order like NumPy's mean along axis 0.
std::vector<Vec3> recipe_replace(std::span<const Vec3> rows, std::span<const std::uint8_t> flagged,
                                 int half_window) {
  if (flagged.size() != rows.size()) {
    throw Error("path", "expected one flag per row (" + std::to_string(rows.size()) + "), got " +
                            std::to_string(flagged.size()));
  }
  if (half_window < 0) {
    throw Error("path", "expected recipe half window >= 0, got " + std::to_string(half_window));
  }
  std::vector<Vec3> out(rows.begin(), rows.end());
  const std::size_t n = rows.size();
  const auto h = static_cast<std::size_t>(half_window);
  for (std::size_t i = 0; i < n; ++i) {
    if (!flagged[i]) continue;
    const std::size_t b = i - std::min(i, h);
    const std::size_t e = std::min(n - 1, i + h);
    Vec3 s;
    for (std::size_t j = b; j <= e; ++j) {
      s.x += rows[j].x;
      s.y += rows[j].y;
      s.a += rows[j].a;
    }
    const auto count = static_cast<double>(e - b + 1);
    out[i] = {s.x / count, s.y / count, s.a / count};
  }
  return out;
}

// Every flagged frame j asks for a half width R_j that grows with its score, from
// adaptive_base at the threshold to adaptive_cap; the request decays by one frame per frame
// away from j (a tent), and each frame takes the largest request or the plain radius:
//   R_j = clamp(round(adaptive_base * lof_j / lof_threshold), adaptive_base, adaptive_cap)
//   r_i = max(radius, max_j (R_j - |i - j|))
// r is then 1-Lipschitz (|r_i - r_{i-1}| <= 1), so the window's ends move by at most one frame
// per frame and the smoothed path has no step where the window widens. The max over tents is
// a forward and a backward pass (a 1-D distance transform), O(N).
std::vector<int> adaptive_radii(std::span<const double> lof, std::span<const std::uint8_t> flagged,
                                const PathParams& params) {
  if (flagged.size() != lof.size()) {
    throw Error("path", "expected one flag per LOF (" + std::to_string(lof.size()) + "), got " +
                            std::to_string(flagged.size()));
  }
  const std::size_t n = lof.size();
  constexpr long long kNone = std::numeric_limits<int>::min();
  std::vector<long long> request(n, kNone);
  for (std::size_t j = 0; j < n; ++j) {
    if (!flagged[j]) continue;
    double want = std::round(params.adaptive_base * lof[j] / params.lof_threshold);
    if (!(want >= params.adaptive_base)) want = params.adaptive_base;  // also catches NaN
    want = std::min(want, static_cast<double>(params.adaptive_cap));
    request[j] = static_cast<long long>(want);
  }
  std::vector<long long> tent(request);
  for (std::size_t i = 1; i < n; ++i) tent[i] = std::max(tent[i], tent[i - 1] - 1);
  for (std::size_t i = n - 1; i-- > 0;) tent[i] = std::max(tent[i], tent[i + 1] - 1);
  std::vector<int> r(n);
  for (std::size_t i = 0; i < n; ++i) {
    r[i] = static_cast<int>(std::max<long long>(params.radius, tent[i]));
  }
  return r;
}

}  // namespace sw::path
