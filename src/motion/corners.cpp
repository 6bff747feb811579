#include "motion/corners.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <opencv2/imgproc.hpp>

#include "core/cpu.hpp"
#include "core/error.hpp"

#if SW_HAVE_AVX2
#include <immintrin.h>
#endif

namespace sw::motion {

namespace {

// Candidates taken into order at a time: a few times max_corners, since some of the strongest
// fall within min_distance of a stronger one.
constexpr std::size_t kMinChunk = 1024;

// OpenCV zeroes scores <= the threshold (in float), dilates with a 3x3 square and keeps the
// non-zero pixels equal to their dilation, in [1, w - 1) x [1, h - 1). For a score above the
// (positive) threshold that is: no neighbour scores higher. Below, row y's pixels [x, w - 1).
struct Rows {
  const float* above;
  const float* row;
  const float* below;
};

void local_maxima(const Rows& r, int y, int x, int w, float threshold,
                  std::vector<CornerDetector::Candidate>& out) {
  for (; x + 1 < w; ++x) {
    const float v = r.row[x];
    if (v > threshold && v >= r.row[x - 1] && v >= r.row[x + 1] && v >= r.above[x - 1] &&
        v >= r.above[x] && v >= r.above[x + 1] && v >= r.below[x - 1] && v >= r.below[x] &&
        v >= r.below[x + 1]) {
      out.push_back({v, y * w + x});
    }
  }
}

#if SW_HAVE_AVX2
// The same test 8 pixels at a time (on a textured frame half the pixels pass the threshold,
// so the scalar loop's branches mispredict); returns where the scalar loop takes over.
__attribute__((target("avx2"))) int local_maxima_avx2(const Rows& r, int y, int w, float threshold,
                                                      std::vector<CornerDetector::Candidate>& out) {
  const __m256 t = _mm256_set1_ps(threshold);
  int x = 1;
  for (; x + 8 + 1 <= w; x += 8) {
    const __m256 v = _mm256_loadu_ps(r.row + x);
    __m256 keep = _mm256_cmp_ps(v, t, _CMP_GT_OQ);
    for (const float* line : {r.above, r.row, r.below}) {
      for (const int dx : {-1, 0, 1}) {
        if (line == r.row && dx == 0) continue;
        keep = _mm256_and_ps(keep, _mm256_cmp_ps(v, _mm256_loadu_ps(line + x + dx), _CMP_GE_OQ));
      }
    }
    for (auto bits = static_cast<unsigned>(_mm256_movemask_ps(keep)); bits != 0; bits &= bits - 1) {
      const int i = x + __builtin_ctz(bits);
      out.push_back({r.row[i], y * w + i});
    }
  }
  return x;
}
#endif  // SW_HAVE_AVX2

}  // namespace

CornerDetector::CornerDetector(const CornerParams& params) : params_(params) {
  if (params.max_corners < 1 || !(params.quality > 0) || !(params.min_distance >= 1) ||
      params.block_size < 1) {
    throw Error("motion",
                "expected max_corners >= 1, quality > 0, min_distance >= 1 and "
                "block_size >= 1, got " +
                    std::to_string(params.max_corners) + ", " + std::to_string(params.quality) +
                    ", " + std::to_string(params.min_distance) + ", " +
                    std::to_string(params.block_size));
  }
}

void CornerDetector::detect(const cv::Mat& image, std::vector<cv::Point2f>& corners,
                            const cv::Mat& mask, [[maybe_unused]] bool allow_simd) {
  corners.clear();
  const int w = image.cols, h = image.rows;
  // The score (the smaller eigenvalue of the gradients' covariance over block_size^2, 3x3
  // Sobel), exactly as goodFeaturesToTrack computes it.
  cv::cornerMinEigenVal(image, score_, params_.block_size, 3);
  double max_score = 0;
  cv::minMaxLoc(score_, nullptr, &max_score, nullptr, nullptr, mask);
  if (!(max_score > 0)) return;  // flat image: OpenCV's threshold leaves nothing either
  const auto threshold = static_cast<float>(max_score * params_.quality);
  candidates_.clear();
  for (int y = 1; y + 1 < h; ++y) {
    const Rows rows{score_.ptr<float>(y - 1), score_.ptr<float>(y), score_.ptr<float>(y + 1)};
    int x = 1;
#if SW_HAVE_AVX2
    if (allow_simd && has_avx2()) x = local_maxima_avx2(rows, y, w, threshold, candidates_);
#endif
    local_maxima(rows, y, x, w, threshold, candidates_);
  }
  // As OpenCV: a masked-out pixel still counts as a neighbour in the local-maximum test above;
  // it only cannot be a corner itself.
  if (!mask.empty()) {
    std::erase_if(candidates_, [&](const Candidate& c) {
      return mask.data[mask.step[0] * (c.offset / w) + c.offset % w] == 0;
    });
  }

  // OpenCV's order: score descending, ties by position descending (its sort compares the
  // scores' addresses), a strict total order, so ordering chunk by chunk gives the same
  // sequence as one full sort.
  const auto stronger = [](const Candidate& a, const Candidate& b) {
    return a.score > b.score || (a.score == b.score && a.offset > b.offset);
  };
  const int cell = static_cast<int>(std::lround(params_.min_distance));
  const int grid_w = (w + cell - 1) / cell, grid_h = (h + cell - 1) / cell;
  grid_.resize(static_cast<std::size_t>(grid_w) * static_cast<std::size_t>(grid_h));
  for (auto& c : grid_) c.clear();
  const double min_distance_sq = params_.min_distance * params_.min_distance;
  const std::size_t chunk = std::max(kMinChunk, 4 * static_cast<std::size_t>(params_.max_corners));
  for (std::size_t done = 0; done < candidates_.size();) {
    const auto first = candidates_.begin() + static_cast<std::ptrdiff_t>(done);
    const std::size_t end = std::min(candidates_.size(), done + chunk);
    const auto last = candidates_.begin() + static_cast<std::ptrdiff_t>(end);
    if (last != candidates_.end()) std::nth_element(first, last, candidates_.end(), stronger);
    std::sort(first, last, stronger);
    for (auto c = first; c != last; ++c) {
      const int y = c->offset / w, x = c->offset % w;
      const int cx = x / cell, cy = y / cell;
      bool good = true;
      for (int gy = std::max(0, cy - 1); good && gy <= std::min(grid_h - 1, cy + 1); ++gy) {
        for (int gx = std::max(0, cx - 1); good && gx <= std::min(grid_w - 1, cx + 1); ++gx) {
          for (const cv::Point2f& m : grid_[static_cast<std::size_t>(gy * grid_w + gx)]) {
            // As OpenCV: float differences, their float sum against the double square.
            const float dx = static_cast<float>(x) - m.x, dy = static_cast<float>(y) - m.y;
            if (dx * dx + dy * dy < min_distance_sq) {
              good = false;
              break;
            }
          }
        }
      }
      if (!good) continue;
      const cv::Point2f p(static_cast<float>(x), static_cast<float>(y));
      grid_[static_cast<std::size_t>(cy * grid_w + cx)].push_back(p);
      corners.push_back(p);
      if (static_cast<int>(corners.size()) == params_.max_corners) return;
    }
    done = end;
  }
}

}  // namespace sw::motion
