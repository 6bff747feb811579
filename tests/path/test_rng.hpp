// Seeded, platform-independent random rows for the path tests (std::normal_distribution is
// implementation-defined, so the gaussian is a Box-Muller over mt19937_64's raw bits).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "path/path.hpp"

namespace sw::path::testing {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : g_(seed) {}
  // Uniform in (0, 1).
  double uniform() { return (static_cast<double>(g_() >> 11) + 0.5) * 0x1.0p-53; }
  double gauss() {
    return std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * std::numbers::pi * uniform());
  }

 private:
  std::mt19937_64 g_;
};

// Hand-held shake: gaussian rows with the given pixel and radian spread.
inline std::vector<Vec3> shake_rows(std::size_t n, std::uint64_t seed, double px = 1.0,
                                    double rad = 1e-3) {
  Rng rng(seed);
  std::vector<Vec3> rows(n);
  for (auto& r : rows) r = {px * rng.gauss(), px * rng.gauss(), rad * rng.gauss()};
  return rows;
}

// The pair motions a camera path implies, in compose()'s convention T_i = M_i o T_{i-1}: what
// the estimator would measure if it were exact. motions[0] is left default (frame 0 has no
// pair).
inline std::vector<Motion> pair_motions(const std::vector<Vec3>& camera) {
  std::vector<Motion> m(camera.size());
  for (std::size_t i = 1; i < camera.size(); ++i) {
    const double da = camera[i].a - camera[i - 1].a;
    const double c = std::cos(da), s = std::sin(da);
    m[i] = {.dx = camera[i].x - (c * camera[i - 1].x - s * camera[i - 1].y),
            .dy = camera[i].y - (s * camera[i - 1].x + c * camera[i - 1].y),
            .da = da,
            .status = MotionStatus::ok,
            .scene_score = 0.02};
  }
  return m;
}

}  // namespace sw::path::testing
