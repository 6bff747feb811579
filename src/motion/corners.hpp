// Shi-Tomasi corners ("Good Features to Track", Shi & Tomasi, CVPR 1994): the same points,
// in the same order, as cv::goodFeaturesToTrack with the minimum-eigenvalue score (and the same
// mask, when one is given), found with less work.
//
// OpenCV thresholds the score image, dilates it, gathers every 3x3 local maximum above the
// threshold (tens of thousands on a textured frame) and sorts them all before it takes the
// strongest ones that keep the minimum distance. Here one pass finds the local maxima, and
// they are ordered a chunk at a time (nth_element, then a sort of the chunk) only until
// `max_corners` are taken: on textured 640x360 frames 2.3-3.0 ms become 1.6-1.9 ms, most of
// it the score image itself (cv::cornerMinEigenVal, kept). tests/motion/corners_test.cpp
// checks the output against OpenCV's, point for point.
#pragma once

#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

namespace sw::motion {

struct CornerParams {
  int max_corners = 200;
  double quality = 0.01;     // of the strongest score
  double min_distance = 30;  // pixels between corners (>= 1)
  int block_size = 3;        // covariance window
};

class CornerDetector {
 public:
  explicit CornerDetector(const CornerParams& params);

  // Corners of an 8-bit single-channel image, strongest first (integer coordinates). A
  // non-empty `mask` (8-bit, the image's size) keeps corners where it is non-zero, and the
  // quality threshold is taken from the strongest score there, as OpenCV's mask does.
  // allow_simd = false: the scalar loops only (the same result; for tests).
  void detect(const cv::Mat& image, std::vector<cv::Point2f>& corners, const cv::Mat& mask = {},
              bool allow_simd = true);

  struct Candidate {
    float score;
    std::int32_t offset;  // y * width + x
  };

 private:
  CornerParams params_;
  cv::Mat score_;                               // minimum eigenvalue per pixel
  std::vector<Candidate> candidates_;           // local maxima above the threshold
  std::vector<std::vector<cv::Point2f>> grid_;  // taken corners by min_distance cell
};

}  // namespace sw::motion
