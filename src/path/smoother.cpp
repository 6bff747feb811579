// The smoother table and the two linear smoothers (ma, gauss); l1 lives in l1_smoother.cpp.
#include "path/smoother.hpp"

#include <array>

namespace sw::path {
namespace {

class MovingAverage final : public Smoother {
 public:
  explicit MovingAverage(MaParams p) : params_(p) {}
  // r_i already holds params_.radius wherever the outlier policy left the frame alone; a
  // shot without per-frame radii is smoothed with the plain radius.
  std::vector<Vec3> smooth(const Shot& shot) const override {
    if (shot.radius.empty()) return moving_average(shot.camera, params_.radius);
    return moving_average(shot.camera, shot.radius);
  }

 private:
  MaParams params_;
};

class Gauss final : public Smoother {
 public:
  explicit Gauss(GaussParams p) : params_(p) {}
  // The outlier policy widens a flagged frame's window from radius to r_i; the Gaussian
  // widens in proportion, so a jolt is spread as thinly as the moving average spreads it.
  std::vector<Vec3> smooth(const Shot& shot) const override {
    std::vector<double> sigmas(shot.camera.size(), params_.sigma);
    if (params_.radius > 0 && shot.radius.size() == sigmas.size()) {
      for (std::size_t i = 0; i < sigmas.size(); ++i)
        sigmas[i] = params_.sigma * shot.radius[i] / params_.radius;
    }
    return gaussian(shot.camera, sigmas);
  }

 private:
  GaussParams params_;
};

// The L1 smoother ignores the LOF flags: an isolated jolt is a step in the camera path, and
// an L1 objective does not average steps into its neighbours the way a box or Gaussian does;
// the LP keeps the smooth path and the crop constraint alone decides how much of the jolt
// must be followed (the paper's robustness argument, section 3). Down-weighting the
// differences around flagged frames would only let the path itself jump there.
class L1 final : public Smoother {
 public:
  L1(L1Params p, double crop_zoom, double max_zoom, double min_window)
      : params_(p), crop_zoom_(crop_zoom), max_zoom_(max_zoom), min_window_(min_window) {}
  std::vector<Vec3> smooth(const Shot& shot) const override {
    if (crop_zoom_ > 0) return l1_path(shot.camera, params_, shot.frame, crop_zoom_, shot.picture);
    return l1_auto_path(shot.camera, params_, shot.frame, max_zoom_, shot.picture, min_window_)
        .path;
  }

 private:
  L1Params params_;
  double crop_zoom_;
  double max_zoom_;
  double min_window_;
};

std::unique_ptr<Smoother> make_ma(const PathParams& p) {
  return std::make_unique<MovingAverage>(MaParams{p.radius});
}
std::unique_ptr<Smoother> make_gauss(const PathParams& p) {
  return std::make_unique<Gauss>(GaussParams{p.sigma, p.radius});
}
// With Crop::none the fixed zoom is the crop window the LP must keep inside the frames; the
// other modes use the L1 crop budget (0: chosen per shot) and then pick the zoom from the
// result.
std::unique_ptr<Smoother> make_l1(const PathParams& p) {
  return std::make_unique<L1>(p.l1, p.crop == Crop::none ? p.zoom : p.l1.crop_zoom, p.max_zoom,
                              p.crop == Crop::fill ? kFillMinWindow : 1.0);
}

// Each smoother's maker (its name is in path.hpp's table, beside the enum).
struct Entry {
  SmootherKind kind;
  std::unique_ptr<Smoother> (*make)(const PathParams&);
};

constexpr std::array<Entry, 3> kSmoothers = {{
    {SmootherKind::ma, &make_ma},
    {SmootherKind::gauss, &make_gauss},
    {SmootherKind::l1, &make_l1},
}};

}  // namespace

std::unique_ptr<Smoother> make_smoother(const PathParams& params) {
  for (const Entry& e : kSmoothers)
    if (e.kind == params.smoother) return e.make(params);
  return make_ma(params);
}

}  // namespace sw::path
