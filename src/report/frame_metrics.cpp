#include "report/frame_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>
#include <vector>

#include "core/error.hpp"
#include "motion/estimator.hpp"

namespace sw::report {

namespace {

constexpr int kMaxCorners = 400;
constexpr double kQuality = 0.01;
constexpr int kMinInliers = 12;
constexpr double kRansacPx = 1.0;  // at analysis scale

cv::Mat wrap(const PlaneView& p) {
  return cv::Mat(p.height, p.width, CV_8U, const_cast<std::uint8_t*>(p.data),
                 static_cast<std::size_t>(p.stride));
}

}  // namespace

FrameFit affine_scores(double a, double b, double c, double d) {
  FrameFit f;
  f.ok = true;
  f.cropping = std::sqrt(std::abs(a * d - b * c));
  // Singular values of a 2x2 matrix in closed form: A = rotation-like part (e, h) plus
  // reflection-like part (f, g); s_max = |(e, h)| + |(f, g)|, s_min = ||(e, h)| - |(f, g)||.
  const double e = 0.5 * (a + d), fh = 0.5 * (a - d), g = 0.5 * (c + b), h = 0.5 * (c - b);
  const double qq = std::hypot(e, h), rr = std::hypot(fh, g);
  const double s_max = qq + rr, s_min = std::abs(qq - rr);
  f.distortion = s_max > 0 ? s_min / s_max : 0;
  return f;
}

struct FrameComparer::Impl {
  motion::AnalysisGeometry in_geo, out_geo;
  double in_cx, in_cy, out_cx, out_cy;
  cv::Mat in_small, out_small;
  cv::Size window;
  double min_distance;
};

FrameComparer::FrameComparer(int in_width, int in_height, int out_width, int out_height,
                             int analysis_width)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.in_geo = motion::analysis_geometry(in_width, in_height, analysis_width);
  m.out_geo = motion::analysis_geometry(out_width, out_height, analysis_width);
  m.in_cx = 0.5 * (in_width - 1);
  m.in_cy = 0.5 * (in_height - 1);
  m.out_cx = 0.5 * (out_width - 1);
  m.out_cy = 0.5 * (out_height - 1);
  // The motion estimator's scale rule (distances meant at 1080p), with its floors.
  const double s = std::min(m.in_geo.width, m.in_geo.height) / 1080.0;
  int w = std::max(9, static_cast<int>(std::lround(21 * s)));
  if (w % 2 == 0) ++w;
  m.window = cv::Size(w, w);
  m.min_distance = std::max(3.0, 15 * s);
}

FrameComparer::~FrameComparer() = default;

FrameFit FrameComparer::compare(const PlaneView& in_luma, const PlaneView& out_luma) {
  Impl& m = *impl_;
  if (in_luma.bytes_per_sample != 1 || out_luma.bytes_per_sample != 1)
    throw Error("metrics", "frame comparison needs 8-bit luma");
  cv::resize(wrap(in_luma), m.in_small, cv::Size(m.in_geo.width, m.in_geo.height), 0, 0,
             cv::INTER_AREA);
  cv::resize(wrap(out_luma), m.out_small, cv::Size(m.out_geo.width, m.out_geo.height), 0, 0,
             cv::INTER_AREA);
  std::vector<cv::Point2f> corners;
  cv::goodFeaturesToTrack(m.in_small, corners, kMaxCorners, kQuality, m.min_distance);
  if (static_cast<int>(corners.size()) < kMinInliers) return {};
  std::vector<cv::Point2f> tracked;
  std::vector<unsigned char> status;
  std::vector<float> error;
  cv::calcOpticalFlowPyrLK(m.in_small, m.out_small, corners, tracked, status, error, m.window, 3);
  std::vector<cv::Point2d> from_out, to_in;
  for (std::size_t i = 0; i < corners.size(); ++i) {
    if (!status[i]) continue;
    from_out.emplace_back(tracked[i].x / m.out_geo.scale - m.out_cx,
                          tracked[i].y / m.out_geo.scale_y - m.out_cy);
    to_in.emplace_back(corners[i].x / m.in_geo.scale - m.in_cx,
                       corners[i].y / m.in_geo.scale_y - m.in_cy);
  }
  if (static_cast<int>(from_out.size()) < kMinInliers) return {};
  std::vector<unsigned char> inlier;
  const cv::Mat h = cv::findHomography(from_out, to_in, cv::RANSAC, kRansacPx / m.in_geo.scale,
                                       inlier, 2000, 0.995);
  if (h.empty() || std::abs(h.at<double>(2, 2)) < 1e-12) return {};
  const int inliers = cv::countNonZero(inlier);
  if (inliers < kMinInliers) return {};
  const double n = h.at<double>(2, 2);
  FrameFit f = affine_scores(h.at<double>(0, 0) / n, h.at<double>(0, 1) / n, h.at<double>(1, 0) / n,
                             h.at<double>(1, 1) / n);
  f.inliers = inliers;
  return f;
}

namespace {
// What counts as a stabilizer's black fill after a lossy encode. Luma up to 20: limited-range
// black (16, ours) plus the encoder's noise, and the full-range black (0) that other renderers
// write into limited-range video (vid.stab's crop=black: Y = 0..9 after x264 at crf 20 on
// footage 02, which a 16 +- 1 test missed entirely). Chroma within 4 of neutral: x264 left
// vid.stab's black at U 125..132, V 126..130.
constexpr int kFillLumaMax = 20;
constexpr int kFillChromaTolerance = 4;
}  // namespace

double border_fraction(const FrameView& frame) {
  const PlaneView& y = frame.planes[0];
  if (y.bytes_per_sample != 1) throw Error("metrics", "border detection needs 8-bit frames");
  if (y.width <= 0 || y.height <= 0) return 0;
  cv::Mat mask;
  cv::inRange(wrap(y), 0, kFillLumaMax, mask);
  cv::Mat u_ok, v_ok;
  cv::inRange(wrap(frame.planes[1]), 128 - kFillChromaTolerance, 128 + kFillChromaTolerance, u_ok);
  cv::inRange(wrap(frame.planes[2]), 128 - kFillChromaTolerance, 128 + kFillChromaTolerance, v_ok);
  cv::Mat chroma_ok = u_ok & v_ok, chroma_full;
  // Each chroma sample covers a 2^shift block of luma samples, as the renderer wrote it.
  cv::resize(chroma_ok, chroma_full, mask.size(), 0, 0, cv::INTER_NEAREST);
  mask &= chroma_full;
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 4, CV_32S);
  std::vector<char> edge(static_cast<std::size_t>(n), 0);
  const int w = y.width, h = y.height;
  for (int x = 0; x < w; ++x) {
    edge[static_cast<std::size_t>(labels.at<int>(0, x))] = 1;
    edge[static_cast<std::size_t>(labels.at<int>(h - 1, x))] = 1;
  }
  for (int r = 0; r < h; ++r) {
    edge[static_cast<std::size_t>(labels.at<int>(r, 0))] = 1;
    edge[static_cast<std::size_t>(labels.at<int>(r, w - 1))] = 1;
  }
  double filled = 0;
  for (int l = 1; l < n; ++l) {
    if (edge[static_cast<std::size_t>(l)]) filled += stats.at<int>(l, cv::CC_STAT_AREA);
  }
  return filled / (double(w) * double(h));
}

}  // namespace sw::report
