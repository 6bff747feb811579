// Motion of one pair (frame i-1 -> frame i), the recipe step by step:
//
//  1. Luma of frame i as 8-bit: a cv::Mat header over the decoder's plane, or, for samples
//     deeper than 8 bits, the plane shifted right by (bit_depth - 8) into a reused buffer.
//  2. Downscale to the analysis geometry with INTER_AREA (skipped at full size).
//  3. Build frame i's LK pyramid (with derivatives) once; it is kept and serves as the
//     "previous" pyramid of the next pair, so no frame is ever pyramided twice.
//  4. Shi-Tomasi corners in frame i-1, found on level 0 of its pyramid (see find_corners()),
//     outside the ignore regions (MotionParams::ignore, see measured_area below).
//  5. Pyramidal Lucas-Kanade from pyramid i-1 to pyramid i; keep the points with status 1
//     that did not land in an ignore region.
//  6. Map both point lists to full-resolution coordinates about the frame centre, undoing the
//     area resampling exactly: x_full = (x_an + 0.5) / scale - 0.5 - (W - 1) / 2.
//  7. RANSAC partial affine (4 dof) with the threshold converted to full resolution, then
//     OpenCV's Levenberg-Marquardt refinement on the inliers. dx, dy = translation,
//     da = atan2(m10, m00), scale = hypot(m00, m10).
//
// Reference: J. Shi, C. Tomasi, "Good Features to Track", CVPR 1994; J.-Y. Bouguet, "Pyramidal
// Implementation of the Lucas Kanade Feature Tracker", Intel, 2000.
#include "motion/estimator.hpp"

#include "core/plane_depth.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include "core/error.hpp"
#include "motion/corners.hpp"
#include "motion/ignore_internal.hpp"

namespace sw::motion {

namespace {

void require(bool ok, const char* name, const std::string& expected, double got) {
  if (!ok) {
    std::string value = std::to_string(got);
    value.erase(value.find_last_not_of('0') + 1);
    if (!value.empty() && value.back() == '.') value.pop_back();
    throw Error(std::string("motion.") + name, "expected " + expected + ", got " + value);
  }
}

void validate(const MotionParams& p) {
  require(p.analysis_width >= 0, "analysis_width", ">= 0 (0 = full size)", p.analysis_width);
  require(p.max_corners > 0, "max_corners", "> 0", p.max_corners);
  require(p.quality > 0 && p.quality <= 1, "quality", "a value in (0, 1]", p.quality);
  require(p.min_distance_1080p >= 0, "min_distance_1080p", ">= 0", p.min_distance_1080p);
  require(p.block_size >= 1, "block_size", ">= 1", p.block_size);
  require(p.lk_window_1080p >= 1, "lk_window_1080p", ">= 1", p.lk_window_1080p);
  require(p.lk_levels >= 0, "lk_levels", ">= 0", p.lk_levels);
  // The partial affine model needs two point pairs.
  require(p.min_tracks >= 2, "min_tracks", ">= 2", p.min_tracks);
  require(p.min_inliers >= 2, "min_inliers", ">= 2", p.min_inliers);
  require(p.ransac_threshold_px > 0, "ransac_threshold_px", "> 0", p.ransac_threshold_px);
}

// An 8-bit plane as a cv::Mat header (no copy; cv::Mat has no const header).
cv::Mat as_mat(const PlaneView& plane) {
  return cv::Mat(plane.height, plane.width, CV_8UC1, const_cast<std::uint8_t*>(plane.data),
                 static_cast<std::size_t>(plane.stride));
}

// Scene score (see Motion::scene_score): a 32-bin luma histogram per analysis image, counted
// in integers so the score is exact and the same on every machine; only the final division
// is floating point. A histogram ignores where things are, so camera shake barely moves it,
// while a cut to a different shot usually does (and when it does not, the pair's motion is
// usually unusable too; path/cuts.cpp combines the two).
constexpr int kSceneBins = 32;

void luma_histogram(const cv::Mat& image, std::array<std::int64_t, kSceneBins>& bins) {
  bins.fill(0);
  for (int y = 0; y < image.rows; ++y) {
    const std::uint8_t* row = image.ptr<std::uint8_t>(y);
    for (int x = 0; x < image.cols; ++x) ++bins[row[x] >> 3];
  }
}

double scene_score(const std::array<std::int64_t, kSceneBins>& a,
                   const std::array<std::int64_t, kSceneBins>& b) {
  std::int64_t ta = 0, tb = 0;
  for (int i = 0; i < kSceneBins; ++i) ta += a[i], tb += b[i];
  if (ta == 0 || tb == 0) return 0;
  // sum |a_i / ta - b_i / tb| / 2 with one rounding: the numerators are exact integers.
  std::int64_t diff = 0;
  for (int i = 0; i < kSceneBins; ++i) diff += std::abs(a[i] * tb - b[i] * ta);
  return static_cast<double>(diff) / (2.0 * static_cast<double>(ta) * static_cast<double>(tb));
}

// Picture difference (see Motion::picture_diff): the mean absolute difference of the two
// analysis images, summed in integers so it is exact and the same on every machine. Both are
// the whole analysis image (level 0 of the LK pyramids), so it costs one pass over pixels the
// histogram reads anyway.
double picture_diff(const cv::Mat& a, const cv::Mat& b) {
  std::int64_t sum = 0;
  for (int y = 0; y < a.rows; ++y) {
    const std::uint8_t* ra = a.ptr<std::uint8_t>(y);
    const std::uint8_t* rb = b.ptr<std::uint8_t>(y);
    int row = 0;
    for (int x = 0; x < a.cols; ++x) row += std::abs(int(ra[x]) - int(rb[x]));
    sum += row;
  }
  const std::int64_t count = std::int64_t(a.rows) * a.cols;
  return count == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(count);
}

// A pair without usable motion: the counters stay, the motion is the neutral one.
Motion invalid(Motion m, MotionStatus status) {
  m.dx = m.dy = m.da = 0;
  m.scale = 1;
  m.status = status;
  return m;
}

const MotionParams& validated(const MotionParams& p) {
  validate(p);
  return p;
}

// The measured area (motion/ignore_internal.hpp) at analysis size. An analysis pixel is
// measured only when every full-resolution pixel under it is, and the ignored part then grows
// by half the LK window: a corner just outside a region, whose window sees the region's moving
// pixels, would be tracked with them.
cv::Mat analysis_measured_area(const cv::Mat& full, const AnalysisGeometry& g, int lk_window) {
  if (full.empty()) return {};
  cv::Mat small;
  if (full.cols == g.width && full.rows == g.height) {
    small = full;
  } else {
    cv::resize(full, small, cv::Size(g.width, g.height), 0, 0, cv::INTER_AREA);
    cv::threshold(small, small, 254, 255, cv::THRESH_BINARY);
  }
  const int grow = lk_window / 2;
  cv::Mat measured;
  cv::erode(small, measured,
            cv::getStructuringElement(cv::MORPH_RECT, {2 * grow + 1, 2 * grow + 1}), {-1, -1}, 1,
            cv::BORDER_CONSTANT, cv::Scalar(255));
  return measured;
}

// True when an analysis point lies in the ignored area (points outside the image are left to
// the fit, as without ignore regions).
bool ignored(const cv::Mat& measured, cv::Point2f p) {
  const int x = static_cast<int>(std::lround(p.x)), y = static_cast<int>(std::lround(p.y));
  if (x < 0 || y < 0 || x >= measured.cols || y >= measured.rows) return false;
  return measured.at<std::uint8_t>(y, x) == 0;
}

// Pixel sizes given for 1080p (min distance, LK window) scale with the analysis image's
// shorter side.
double scale_to_1080p(const AnalysisGeometry& g) {
  return std::min(g.width, g.height) / 1080.0;
}

}  // namespace

AnalysisGeometry analysis_geometry(int width, int height, int analysis_width) {
  if (width <= 0 || height <= 0) {
    throw Error("motion", "expected a positive frame size, got " + std::to_string(width) + "x" +
                              std::to_string(height));
  }
  AnalysisGeometry g;
  if (analysis_width <= 0 || analysis_width >= width) {
    g.width = width;
    g.height = height;
    return g;
  }
  g.width = analysis_width;
  const double exact_height = static_cast<double>(height) * analysis_width / width;
  // Rounded to even; exact_height < height, so this never exceeds the coded height.
  g.height = std::clamp(2 * static_cast<int>(std::lround(exact_height / 2)), 2, height);
  g.scale = static_cast<double>(g.width) / width;
  g.scale_y = static_cast<double>(g.height) / height;
  return g;
}

struct MotionEstimator::Impl {
  Impl(int w, int h, const MotionParams& p)
      : width(w),
        height(h),
        params(validated(p)),
        geometry(analysis_geometry(w, h, p.analysis_width)),
        min_distance(std::max(3.0, p.min_distance_1080p * scale_to_1080p(geometry))),
        corner_detector({p.max_corners, p.quality, min_distance, p.block_size}) {
    const double s = scale_to_1080p(geometry);
    int window = std::max(9, static_cast<int>(std::lround(p.lk_window_1080p * s)));
    if (window % 2 == 0) ++window;
    lk_window = cv::Size(window, window);
    ransac_threshold_full = p.ransac_threshold_px / geometry.scale;
    measured = analysis_measured_area(measured_area(p, w, h), geometry, window);
    const std::size_t n = static_cast<std::size_t>(p.max_corners);
    corners.reserve(n);
    tracked.reserve(n);
    from.reserve(n);
    to.reserve(n);
  }

  // Shi-Tomasi on the previous frame. Level 0 of an OpenCV LK pyramid is a copy of the input
  // image inside a buffer whose margin was filled with BORDER_REFLECT_101, which is exactly the
  // border the corner detector's filters would synthesize themselves, so the corners are the
  // ones the frame itself gives, and the frame need not be kept separately.
  void find_corners(const cv::Mat& previous) {
    corner_detector.detect(previous, corners, measured);
  }

  // Analysis point -> full-resolution point about the frame centre (inverse of INTER_AREA's
  // pixel-centre mapping x_an = (x_full + 0.5) * scale - 0.5).
  cv::Point2f to_full(cv::Point2f p) const {
    const double x = (p.x + 0.5) / geometry.scale - 0.5 - (width - 1) / 2.0;
    const double y = (p.y + 0.5) / geometry.scale_y - 0.5 - (height - 1) / 2.0;
    return {static_cast<float>(x), static_cast<float>(y)};
  }

  Motion measure(const std::vector<cv::Mat>& previous, const std::vector<cv::Mat>& current) {
    Motion m;
    find_corners(previous[0]);
    m.corners = static_cast<std::int32_t>(corners.size());
    if (m.corners < params.min_tracks) return invalid(m, MotionStatus::no_features);

    cv::calcOpticalFlowPyrLK(previous, current, corners, tracked, status, track_error, lk_window,
                             params.lk_levels);
    from.clear();
    to.clear();
    for (std::size_t i = 0; i < corners.size(); ++i) {
      if (status[i] != 1) continue;
      if (!measured.empty() && ignored(measured, tracked[i])) continue;
      from.push_back(to_full(corners[i]));
      to.push_back(to_full(tracked[i]));
    }
    m.tracked = static_cast<std::int32_t>(from.size());
    if (m.tracked < params.min_tracks) return invalid(m, MotionStatus::too_few_tracks);

    // Note: estimateAffinePartial2D reorders `from`/`to` in place (inliers first) before its
    // refinement; they are rebuilt for every pair, so that is harmless.
    const cv::Mat model =
        cv::estimateAffinePartial2D(from, to, inlier_mask, cv::RANSAC, ransac_threshold_full);
    m.inliers = model.empty() ? 0 : cv::countNonZero(inlier_mask);
    if (model.empty() || m.inliers < params.min_inliers) {
      return invalid(m, MotionStatus::fit_failed);
    }
    const double m00 = model.at<double>(0, 0);
    const double m10 = model.at<double>(1, 0);
    m.dx = model.at<double>(0, 2);
    m.dy = model.at<double>(1, 2);
    m.da = std::atan2(m10, m00);
    m.scale = std::hypot(m00, m10);
    m.status = MotionStatus::ok;
    return m;
  }

  Motion push(const FrameView& frame) {
    const PlaneView& luma = frame.planes[0];
    if (luma.width != width || luma.height != height || luma.data == nullptr) {
      throw Error("motion", "expected a " + std::to_string(width) + "x" + std::to_string(height) +
                                " luma plane, got " + std::to_string(luma.width) + "x" +
                                std::to_string(luma.height) +
                                (luma.data == nullptr ? " without data" : ""));
    }
    const cv::Mat full = as_mat(plane_to_8bit(luma, frame.bit_depth, deep_buffer, "motion"));
    const cv::Mat* analysis = &full;
    if (geometry.width != width) {
      cv::resize(full, small, cv::Size(geometry.width, geometry.height), 0, 0, cv::INTER_AREA);
      analysis = &small;
    }
    last_analysis = *analysis;
    std::vector<cv::Mat>& current = pyramids[next];
    cv::buildOpticalFlowPyramid(*analysis, current, lk_window, params.lk_levels, true);

    Motion m;  // status first_frame
    std::array<std::int64_t, kSceneBins>& histogram = histograms[next];
    luma_histogram(*analysis, histogram);
    if (has_previous) {
      m = measure(pyramids[1 - next], current);
      m.scene_score = scene_score(histograms[1 - next], histogram);
      m.picture_diff = picture_diff(pyramids[1 - next][0], current[0]);
    }
    has_previous = true;
    next = 1 - next;
    return m;
  }

  const int width;
  const int height;
  const MotionParams params;
  const AnalysisGeometry geometry;
  const double min_distance;
  CornerDetector corner_detector;
  cv::Size lk_window;
  double ransac_threshold_full = 0;
  cv::Mat measured;  // analysis size, 0 = ignored; empty = everything measured

  // Reused between frames so that the steady state allocates (almost) nothing of its own.
  std::vector<std::uint8_t> deep_buffer;  // 8-bit copy of a deeper-than-8-bit luma plane
  cv::Mat small;                          // the analysis image of the current frame
  cv::Mat last_analysis;                  // header of the last pushed frame's analysis image
  std::vector<cv::Mat> pyramids[2];       // pyramids[next] receives the current frame
  std::array<std::int64_t, kSceneBins> histograms[2];  // luma histograms, indexed like pyramids
  int next = 0;
  bool has_previous = false;
  std::vector<cv::Point2f> corners, tracked, from, to;
  std::vector<unsigned char> status;
  std::vector<float> track_error;
  cv::Mat inlier_mask;
};

MotionEstimator::MotionEstimator(int width, int height, const MotionParams& params)
    : impl_(std::make_unique<Impl>(width, height, params)) {}

MotionEstimator::~MotionEstimator() = default;

Motion MotionEstimator::push(const FrameView& frame) {
  return impl_->push(frame);
}

void MotionEstimator::reset() {
  impl_->has_previous = false;
}

PlaneView MotionEstimator::analysis_luma() const {
  const cv::Mat& m = impl_->last_analysis;
  return {m.data, static_cast<int>(m.step[0]), m.cols, m.rows, 1};
}

const AnalysisGeometry& MotionEstimator::geometry() const {
  return impl_->geometry;
}

}  // namespace sw::motion
