#include "report/jitter.hpp"

#include <cmath>
#include <numbers>

namespace sw::report {

Jitter residual_jitter(std::span<const path::Vec3> path, int width, int height, int radius) {
  Jitter j;
  if (path.empty()) return j;
  const auto smooth = path::moving_average(path, radius);
  const double half_diagonal = 0.5 * std::hypot(width, height);
  double sum_t = 0, sum_a = 0, sum_c = 0;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const double ex = path[i].x - smooth[i].x;
    const double ey = path[i].y - smooth[i].y;
    const double ea = path[i].a - smooth[i].a;
    sum_t += ex * ex + ey * ey;
    sum_a += ea * ea;
    sum_c += ex * ex + ey * ey + (ea * half_diagonal) * (ea * half_diagonal);
  }
  const double n = static_cast<double>(path.size());
  j.translation_px = std::sqrt(sum_t / n);
  j.rotation_deg = std::sqrt(sum_a / n) * 180.0 / std::numbers::pi;
  j.corner_px = std::sqrt(sum_c / n);
  return j;
}

}  // namespace sw::report
