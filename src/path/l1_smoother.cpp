// The L1-optimal camera path: Grundmann, Kwatra, Essa, "Auto-Directed Video Stabilization
// with Robust L1 Optimal Camera Paths", CVPR 2011.
//
// Section 3 of the paper: a path built from constant pieces (a static camera), linear pieces
// (a constant pan) and parabolic transitions looks like a professionally moved camera. Their
// objective, eq. (6), is w1 |D1 P|_1 + w2 |D2 P|_1 + w3 |D3 P|_1 (weights 10, 1, 100), solved
// as a linear program with slack variables e_k >= |D_k P| (section 3.1), subject to keeping
// a crop window inside every frame (section 3.2, "inclusion constraint").
//
// Our variables are the smoothed path P_t = (x_t, y_t, a_t) in the composed-path
// representation (path.hpp compose()), the same thing ma and gauss produce; the paper
// optimises the update transform B_t instead, which is the same degrees of freedom. The
// angle is optimised in pixels, a' = a * r with r the frame's half diagonal (how far the
// corners move), so that one weight fits x, y and a alike, as report/jitter.hpp's corner_px
// does.
//
// Inclusion constraint. Output pixel o (zoom z, so the crop window is o/z for o on the output
// frame) samples the source at q = T_t + R(-d)(o/z - P_t) with d = a_t - theta_t, where
// (T_t, theta_t) is the camera path (correction_to()). The paper linearises the rotation for
// its similarity model (section 3.2: "we use ... linear constraints ... on the four corners"):
// R(-d) ~ I - d J with J = [0 -1; 1 0], and drops d (P_t - T_t) (second order: both are
// small), giving, with w = o/z - T_t,
//   q_x ~ o_x/z - (x_t - T_x) + (a_t - theta_t) w_y,  q_y ~ o_y/z - (y_t - T_y) - (a_t - theta_t)
//   w_x,
// linear in P_t. Each of the 4 corners must satisfy |q| <= (W-1)/2 - margins per axis: 8
// rows per frame. The dropped terms are absorbed by L1Params::margin_px; plan_path then
// picks the zoom from the exact geometry (crop.hpp), so no border can slip through anyway.
//
// Drift (our addition, L1Params::drift_fraction). The paper's objective makes the path hold
// still against any camera motion the crop window can absorb, including the slow drift of a
// hand-held shot over many seconds; the output then shows the drift's turnarounds as corners.
// We count the roughness of P - drift instead, drift = the camera path under a Gaussian of
// std-dev drift_fraction x the shot's frames (at least kMinDriftSigma): the constant, linear and
// parabolic pieces are laid over the drift, so the path follows the shot's slowest motion and
// removes the rest. Only the D_k rows' right-hand sides change (D_k drift); the inclusion
// constraints still compare P with the camera, so the crop guarantee is the same.
//
// Repeated frames (path/repeats.cpp): `camera` is the path in camera time, each repeat
// interpolated between the distinct frames around it, and `picture` where each frame's
// picture really is (a repeat's is its distinct frame's). The objective follows the camera;
// the inclusion constraints hold the crop window inside the pictures.
//
// Windows (bounded memory on long videos, the paper's section 3.3 does the same): frames
// [s, s + window) are solved at once; the next window starts `overlap` frames before this
// one ends and pins its first 3 frames to this window's solution, so D1..D3 across the join
// are part of the next LP and the joined path is as smooth as an unsplit one. Each frame
// takes the value of the last window that solved it; memory is O(window).
//
// Solver: banded_l1.cpp, an interior-point method that uses the LP's banded shape (each row
// touches one frame and its 3 neighbours): about 60 us a frame, where CLP's simplex took 2 ms
// (its ~27 pivots a frame cost O(window) each). CLP remains the reference its tests compare
// the optimum with.
#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "path/banded_l1.hpp"
#include "path/crop.hpp"
#include "path/smoother.hpp"

namespace sw::path {
namespace {

// Difference operators D1, D2, D3 (forward differences of order k).
constexpr double kD1[] = {-1, 1};
constexpr double kD2[] = {1, -2, 1};
constexpr double kD3[] = {-1, 3, -3, 1};
constexpr int kPinned = 3;  // frames a window takes from the previous one (D3 spans 4)
// The drift of a short shot is still no faster than this std-dev (frames, half a second at
// 30 fps): quicker motion is shake to remove, however short the shot. On footage 08 (164
// frames) it halved the residual jitter at the same stability score.
constexpr double kMinDriftSigma = 15;
// ... and no slower than this (frames; 10 s at 30 fps): a slower drift is held still like the
// paper's path would. It also keeps the Gaussian's cost linear in the shot's length (its taps
// grow with sigma): an hour-long shot at 0.05 x its frames would have 16,000 taps a row.
constexpr double kMaxDriftSigma = 300;
// Less room than this (pixels) for the crop window to move is none.
constexpr double kNoRoomPx = 1e-6;

// Channel c of v as the LP sees it: x, y, or the angle in pixels.
double component(const Vec3& v, int c, double r) {
  return c == 0 ? v.x : c == 1 ? v.y : v.a * r;
}

// Solves frames [0, m) of `camera` (a window); frames [0, pinned) are fixed to `out`'s values.
void solve_window(std::span<const Vec3> camera, std::span<const Vec3> picture,
                  std::span<const Vec3> drift, std::span<Vec3> out, int pinned, const L1Params& p,
                  FrameSize frame, double zoom, double r) {
  const int m = static_cast<int>(camera.size());
  // Variables: x, y, a' = a r of the frames [pinned, m), 3 each; a pinned frame's values are
  // constants moved to the right-hand sides.
  const auto variable = [&](int t, int c) { return 3 * (t - pinned) + c; };
  const auto value = [&](int t, int c) {
    return component(out[static_cast<std::size_t>(t)], c, r);
  };
  const double ohx = (frame.width - 1) / 2.0, ohy = (frame.height - 1) / 2.0;
  // The chroma rectangle's half pixel and the edge epsilon of crop.hpp, plus the slack for
  // the linearisation; the zero correction (P = camera) stays inside whatever the margins,
  // since the crop window itself is inside the frame for zoom >= 1.
  const double inset = 0.5 + kEdgeEpsPx + p.margin_px;
  const double room_x = std::max(ohx - inset, ohx / zoom) - ohx / zoom;
  const double room_y = std::max(ohy - inset, ohy / zoom) - ohy / zoom;
  // No room (a crop window as large as the frame): the inclusion rows pin every frame to the
  // camera, so that is the path.
  if (room_x < kNoRoomPx || room_y < kNoRoomPx) {
    std::copy(picture.begin() + pinned, picture.end(), out.begin() + pinned);
    return;
  }
  BandedL1 lp;
  lp.variables = 3 * (m - pinned);
  // w_k |D_k P - D_k drift| per channel: the roughness counted is that of P - drift.
  const std::span<const double> ops[3] = {kD1, kD2, kD3};
  const double weights[3] = {p.w1, p.w2, p.w3};
  for (int k = 0; k < 3; ++k) {
    const int len = static_cast<int>(ops[k].size());
    for (int t = std::max(0, pinned - len + 1); t + len <= m; ++t) {
      for (int c = 0; c < 3; ++c) {
        AbsTerm term{.row = {}, .target = 0, .weight = weights[k]};
        for (int j = 0; j < len; ++j) {
          const int f = t + j;
          const double op = ops[k][static_cast<std::size_t>(j)];
          if (!drift.empty())
            term.target += op * component(drift[static_cast<std::size_t>(f)], c, r);
          if (f < pinned)
            term.target -= op * value(f, c);
          else
            term.row.add(variable(f, c), op);
        }
        lp.terms.push_back(term);
      }
    }
  }
  // Proximity: w0 |P_t - camera_t|. The smoothness terms do not change when the whole path
  // shifts, so without it any constant offset the crop allows is optimal (a correction of
  // tens of pixels for nothing, or an offset where a shot starts). The paper keeps B_t near
  // the identity with proximity bounds (section 3.2); a tiny L1 pull towards the camera does
  // the same and also makes the crop that auto picks smaller. Pinned frames need none.
  std::vector<double> start(static_cast<std::size_t>(lp.variables));
  for (int t = pinned; t < m; ++t) {
    for (int c = 0; c < 3; ++c) {
      const double cam = component(camera[static_cast<std::size_t>(t)], c, r);
      // The pictures' own positions (no correction) are inside every range.
      start[static_cast<std::size_t>(variable(t, c))] =
          component(picture[static_cast<std::size_t>(t)], c, r);
      if (p.w0 <= 0) continue;
      AbsTerm term{.row = {}, .target = cam, .weight = p.w0};
      term.row.add(variable(t, c), 1.0);
      lp.terms.push_back(term);
    }
  }
  // Inclusion constraints (section 3.2), linearised as in the file comment. Each axis's bound
  // for one corner is a range on one linear expression, and the two corners on the same
  // horizontal (for x) or vertical (for y) edge share that expression (q_x's rotation term
  // depends on the corner's y only), so the 8 corner rows are 4 ranges, each the
  // intersection of two corners' ranges.
  for (int t = pinned; t < m; ++t) {
    const Vec3& cam = picture[static_cast<std::size_t>(t)];
    const int cx = variable(t, 0), cy = cx + 1, ca = cx + 2;
    for (const double side : {-1.0, 1.0}) {
      // q_x = vx + cam.x - x + (a - theta) wy in [-bx, bx] for both vx = +-ohx / zoom.
      const double wy = side * ohy / zoom - cam.y;
      const double mid_x = -cam.x + cam.a * wy;
      RangeRow qx{.row = {}, .lo = mid_x - room_x, .hi = mid_x + room_x};
      qx.row.add(cx, -1.0);
      qx.row.add(ca, wy / r);
      lp.ranges.push_back(qx);
      // q_y = vy + cam.y - y - (a - theta) wx in [-by, by] for both vy = +-ohy / zoom.
      const double wx = side * ohx / zoom - cam.x;
      const double mid_y = -cam.y - cam.a * wx;
      RangeRow qy{.row = {}, .lo = mid_y - room_y, .hi = mid_y + room_y};
      qy.row.add(cy, -1.0);
      qy.row.add(ca, -wx / r);
      lp.ranges.push_back(qy);
    }
  }
  const BandedL1Solution solution = solve_banded_l1(lp, start);
  for (int t = pinned; t < m; ++t) {
    const auto i = static_cast<std::size_t>(variable(t, 0));
    out[static_cast<std::size_t>(t)] = {solution.p[i], solution.p[i + 1], solution.p[i + 2] / r};
  }
}

}  // namespace

std::vector<Vec3> l1_path(std::span<const Vec3> camera, const L1Params& p, FrameSize frame,
                          double crop_zoom, std::span<const Vec3> picture) {
  if (p.window < 10 || p.overlap < kPinned || p.overlap > p.window / 2) {
    throw Error("path", "expected l1 window >= 10 and overlap in [3, window / 2], got window " +
                            std::to_string(p.window) + ", overlap " + std::to_string(p.overlap));
  }
  if (frame.width < 2 || frame.height < 2) {
    throw Error("path", "expected a frame size for the l1 smoother, got " +
                            std::to_string(frame.width) + "x" + std::to_string(frame.height));
  }
  if (picture.empty()) picture = camera;
  if (picture.size() != camera.size()) {
    throw Error("path", "expected as many picture positions as camera positions, got " +
                            std::to_string(picture.size()) + " for " +
                            std::to_string(camera.size()));
  }
  std::vector<Vec3> out(camera.begin(), camera.end());
  const auto n = static_cast<std::ptrdiff_t>(camera.size());
  if (n < 2) return out;
  const double r = std::hypot(frame.width, frame.height) / 2;
  std::vector<Vec3> drift;  // empty = the paper's objective
  const double sigma = p.drift_fraction > 0 ? std::clamp(p.drift_fraction * static_cast<double>(n),
                                                         kMinDriftSigma, kMaxDriftSigma)
                                            : 0.0;
  if (sigma > 0) drift = gaussian(camera, std::vector<double>(camera.size(), sigma));
  const std::span<const Vec3> drift_span(drift);
  std::ptrdiff_t s = 0;
  while (true) {
    const std::ptrdiff_t e = std::min(n, s + p.window);
    const int pinned = s == 0 ? 0 : kPinned;
    const auto b = static_cast<std::size_t>(s), len = static_cast<std::size_t>(e - s);
    solve_window(camera.subspan(b, len), picture.subspan(b, len),
                 drift.empty() ? drift_span : drift_span.subspan(b, len),
                 std::span<Vec3>(out).subspan(b, len), pinned, p, frame, crop_zoom, r);
    if (e == n) break;
    s = e - p.overlap;
  }
  return out;
}

}  // namespace sw::path
