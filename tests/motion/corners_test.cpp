// CornerDetector against cv::goodFeaturesToTrack (minimum eigenvalue, with and without a mask): the
// same points in the same order, on textures with many candidates, with ties, with few corners and
// with none, across the parameters the estimator uses and around them.
#include "motion/corners.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace sw::motion {
namespace {

// Blurred noise: a texture with corners at every scale, like a textured frame at 640 px.
cv::Mat texture(int width, int height, double sigma, std::uint64_t seed) {
  cv::RNG rng(seed);
  cv::Mat noise(height, width, CV_32FC1);
  rng.fill(noise, cv::RNG::NORMAL, 0, 1);
  if (sigma > 0) cv::GaussianBlur(noise, noise, cv::Size(), sigma);
  cv::Mat out;
  cv::normalize(noise, noise, 0, 255, cv::NORM_MINMAX);
  noise.convertTo(out, CV_8U);
  return out;
}

// Squares: scores repeat exactly, so the order of ties decides which corners are taken.
cv::Mat checkerboard(int width, int height, int square) {
  cv::Mat out(height, width, CV_8U);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      out.at<std::uint8_t>(y, x) = ((x / square + y / square) % 2) ? 200 : 40;
  return out;
}

void expect_as_opencv(const cv::Mat& image, const CornerParams& p, const std::string& what,
                      const cv::Mat& mask = {}) {
  std::vector<cv::Point2f> expected, got;
  cv::goodFeaturesToTrack(image, expected, p.max_corners, p.quality, p.min_distance, mask,
                          p.block_size, false);
  CornerDetector detector(p);
  for (const bool simd : {true, false}) {
    detector.detect(image, got, mask, simd);
    ASSERT_EQ(got.size(), expected.size()) << what << (simd ? "" : ", scalar");
    for (std::size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].x, expected[i].x) << what << " corner " << i;
      ASSERT_EQ(got[i].y, expected[i].y) << what << " corner " << i;
    }
  }
}

TEST(Corners, AsOpenCvOnTextures) {
  std::uint64_t seed = 1;
  for (const double sigma : {0.0, 1.0, 2.5, 6.0}) {
    const cv::Mat image = texture(640, 360, sigma, seed++);
    for (const CornerParams& p : {CornerParams{200, 0.01, 10, 3}, CornerParams{200, 0.01, 30, 3},
                                  CornerParams{50, 0.1, 3, 3}, CornerParams{2000, 0.001, 1, 5},
                                  CornerParams{200, 0.05, 10.4, 7}}) {
      expect_as_opencv(image, p,
                       "sigma " + std::to_string(sigma) + " max " + std::to_string(p.max_corners) +
                           " distance " + std::to_string(p.min_distance));
    }
  }
}

TEST(Corners, AsOpenCvWhenScoresTie) {
  for (const int square : {4, 7, 16}) {
    expect_as_opencv(checkerboard(320, 200, square), {200, 0.01, 10, 3},
                     "square " + std::to_string(square));
    expect_as_opencv(checkerboard(320, 200, square), {500, 0.01, 1, 3},
                     "square " + std::to_string(square) + ", distance 1");
  }
}

TEST(Corners, AsOpenCvOnOddSizesAndFewCorners) {
  cv::Mat image(101, 77, CV_8U, cv::Scalar(90));
  cv::rectangle(image, {10, 12}, {40, 50}, cv::Scalar(200), cv::FILLED);
  cv::circle(image, {60, 80}, 9, cv::Scalar(10), cv::FILLED);
  expect_as_opencv(image, {200, 0.01, 10, 3}, "shapes");
  expect_as_opencv(texture(33, 17, 1.0, 9), {200, 0.01, 3, 3}, "tiny");
}

// Ignore regions (motion/ignore.hpp) reach the detector as a mask: the same corners as OpenCV's
// with that mask, and none inside the masked-out part.
TEST(Corners, AsOpenCvWithAMask) {
  const cv::Mat image = texture(640, 360, 1.0, 11);
  cv::Mat mask(360, 640, CV_8U, cv::Scalar(255));
  // The strongest corner overall is masked out, so the threshold must come from the rest.
  cv::Mat score;
  cv::cornerMinEigenVal(image, score, 3, 3);
  cv::Point strongest;
  cv::minMaxLoc(score, nullptr, nullptr, nullptr, &strongest);
  cv::rectangle(mask,
                cv::Rect(std::max(0, strongest.x - 60), std::max(0, strongest.y - 40), 120, 80),
                cv::Scalar(0), cv::FILLED);
  cv::rectangle(mask, cv::Rect(0, 270, 640, 90), cv::Scalar(0), cv::FILLED);
  for (const CornerParams& p : {CornerParams{200, 0.01, 10, 3}, CornerParams{50, 0.2, 3, 3}})
    expect_as_opencv(image, p, "masked, quality " + std::to_string(p.quality), mask);
  std::vector<cv::Point2f> got;
  CornerDetector({200, 0.01, 10, 3}).detect(image, got, mask);
  ASSERT_GT(got.size(), 50u);
  for (const auto& c : got) EXPECT_NE(mask.at<std::uint8_t>(cv::Point(c)), 0) << c;
}

TEST(Corners, NoneOnAFlatImage) {
  const cv::Mat flat(90, 160, CV_8U, cv::Scalar(128));
  std::vector<cv::Point2f> got{{1, 1}};
  CornerDetector({200, 0.01, 10, 3}).detect(flat, got);
  EXPECT_TRUE(got.empty());
  expect_as_opencv(flat, {200, 0.01, 10, 3}, "flat");
}

TEST(Corners, RefusesBadParameters) {
  EXPECT_THROW(CornerDetector({0, 0.01, 10, 3}), Error);
  EXPECT_THROW(CornerDetector({200, 0, 10, 3}), Error);
  EXPECT_THROW(CornerDetector({200, 0.01, 0.5, 3}), Error);
}

}  // namespace
}  // namespace sw::motion
