#include "support/reference_motion.hpp"

#include <cmath>
#include <vector>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

namespace sw::test {

Motion reference_motion(const cv::Mat& gray_a, const cv::Mat& gray_b, int max_corners) {
  std::vector<cv::Point2f> pa, pb;
  cv::goodFeaturesToTrack(gray_a, pa, max_corners, 0.01, 8);
  std::vector<uchar> status;
  std::vector<float> error;
  cv::calcOpticalFlowPyrLK(gray_a, gray_b, pa, pb, status, error, cv::Size(21, 21), 3,
                           {cv::TermCriteria::COUNT | cv::TermCriteria::EPS, 50, 1e-5});
  const cv::Point2f centre((gray_a.cols - 1) / 2.0f, (gray_a.rows - 1) / 2.0f);
  std::vector<cv::Point2f> from, to;
  for (std::size_t k = 0; k < pa.size(); ++k) {
    if (!status[k]) continue;
    from.push_back(pa[k] - centre);
    to.push_back(pb[k] - centre);
  }
  Motion m;
  if (from.size() < 20) return m;
  const cv::Mat fit =
      cv::estimateAffinePartial2D(from, to, cv::noArray(), cv::RANSAC, 0.5, 2000, 0.99, 20);
  if (fit.empty()) return m;
  m.dx = fit.at<double>(0, 2);
  m.dy = fit.at<double>(1, 2);
  m.da = std::atan2(fit.at<double>(1, 0), fit.at<double>(0, 0));
  m.status = MotionStatus::ok;
  return m;
}

}  // namespace sw::test
