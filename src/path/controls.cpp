// Path controls: what the user asks of the path beyond "smooth" (issue 15). Each works on one
// shot's path after the smoother (plan_path() in path.cpp applies them in the order below);
// the corrections, max_zoom's limit and the crop are then computed from the result as for
// any path, so a control can ask for more than the crop allows and max_zoom still wins.
//
//   tripod        hold_still(): one constant per shot. The smoother is skipped: a constant
//                 is the limit of any of them (the L1 path with only |D1 P| and a large
//                 enough crop window), and the constant that needs the least crop is known
//                 in closed form per axis: the middle of the pictures' range, which makes the
//                 largest correction on that axis half the range (the smallest possible).
//   horizon lock  lock_horizon(): the angle is constant per shot, so the output's roll is
//                 too; the camera's accumulated roll is cancelled, not only its shake. The
//                 level is the shot's first frame (a cut breaks the measured roll: the next
//                 shot's first frame is level again), turned by horizon_deg. Convention
//                 (y down, R(a) turns +x towards +y, i.e. clockwise on screen): a first
//                 frame whose horizon rises to the right by D degrees (counter-clockwise)
//                 needs a clockwise turn of D, so the path's angle is first + D.
//   strength      apply_strength(): per axis, camera + s (path - camera): s = 1 keeps the
//                 planned path, 0 the camera's own motion on that axis.
#include <algorithm>
#include <numbers>

#include "path/path.hpp"

namespace sw::path {
namespace {

double mid_range(std::span<const Vec3> picture, double Vec3::*axis) {
  const auto [lo, hi] =
      std::minmax_element(picture.begin(), picture.end(),
                          [axis](const Vec3& a, const Vec3& b) { return a.*axis < b.*axis; });
  return 0.5 * ((*lo).*axis + (*hi).*axis);
}

}  // namespace

void hold_still(std::span<Vec3> path, std::span<const Vec3> picture) {
  if (picture.empty()) return;
  const Vec3 still{mid_range(picture, &Vec3::x), mid_range(picture, &Vec3::y),
                   mid_range(picture, &Vec3::a)};
  std::fill(path.begin(), path.end(), still);
}

void lock_horizon(std::span<Vec3> path, std::span<const Vec3> picture, double deg) {
  if (picture.empty()) return;
  const double level = picture.front().a + deg * std::numbers::pi / 180;
  for (Vec3& p : path) p.a = level;
}

void apply_strength(std::span<Vec3> path, std::span<const Vec3> camera, const Strength& s) {
  // An axis at full strength is left as it is: c + 1 (p - c) need not round back to p, and
  // the default must plan exactly the path it planned before the control existed.
  const auto blend = [](double& p, double c, double strength) {
    if (strength != 1) p = c + strength * (p - c);
  };
  for (std::size_t i = 0; i < path.size(); ++i) {
    blend(path[i].x, camera[i].x, s.x);
    blend(path[i].y, camera[i].y, s.y);
    blend(path[i].a, camera[i].a, s.a);
  }
}

std::int64_t count_flags(std::span<const std::uint8_t> flags) {
  return std::count_if(flags.begin(), flags.end(), [](std::uint8_t f) { return f != 0; });
}

}  // namespace sw::path
