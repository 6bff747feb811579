// The synthetic frames the kernel benchmarks run on: seeded, so runs are comparable.
#pragma once

#include <cmath>
#include <cstdint>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace sw::bench {

// Blurred seeded noise with rectangles: plenty of corners, like a detailed real frame.
inline cv::Mat scene(int width, int height, std::uint64_t seed) {
  cv::RNG rng(seed);
  cv::Mat noise(height, width, CV_32FC1);
  rng.fill(noise, cv::RNG::NORMAL, 0, 1);
  cv::GaussianBlur(noise, noise, cv::Size(), 2.0);
  cv::Mat out;
  cv::normalize(noise, out, 40, 215, cv::NORM_MINMAX, CV_8UC1);
  for (int i = 0; i < 400; ++i) {
    const cv::Point p(rng.uniform(0, width), rng.uniform(0, height));
    cv::rectangle(out, p, p + cv::Point(rng.uniform(8, 60), rng.uniform(8, 60)),
                  cv::Scalar(rng.uniform(0, 256)), cv::FILLED);
  }
  return out;
}

// The same scene moved by 3.4 px, -1.2 px and 0.005 rad about the centre: a real pair.
inline cv::Mat moved(const cv::Mat& a) {
  const double c = std::cos(0.005), s = std::sin(0.005);
  const double cx = (a.cols - 1) / 2.0, cy = (a.rows - 1) / 2.0;
  const cv::Matx23d forward(c, -s, cx - (c * cx - s * cy) + 3.4,  //
                            s, c, cy - (s * cx + c * cy) - 1.2);
  cv::Mat b;
  cv::warpAffine(a, b, forward, a.size(), cv::INTER_LINEAR, cv::BORDER_REFLECT_101);
  return b;
}

}  // namespace sw::bench
