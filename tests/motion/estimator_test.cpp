// MotionEstimator on synthetic frames with a known similarity between them. The scene is a
// seeded texture (blurred noise plus rectangles and ellipses, for strong corners) larger than
// the frame; frame 0 is its centre crop and frame 1 the same crop seen through the similarity
// about the frame centre, so the truth is exact and no border enters the frame.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "motion/estimator.hpp"

namespace sw::motion {
namespace {

constexpr double kMaxShiftError = 0.1;   // px, full resolution
constexpr double kMaxAngleError = 2e-4;  // rad
constexpr int kMargin = 96;              // scene pixels around the frame, > any test motion

cv::Mat make_scene(int width, int height, std::uint64_t seed) {
  cv::RNG rng(seed);
  cv::Mat noise(height, width, CV_32FC1);
  rng.fill(noise, cv::RNG::NORMAL, 0, 1);
  cv::GaussianBlur(noise, noise, cv::Size(), 2.0);
  cv::Mat scene;
  cv::normalize(noise, scene, 60, 190, cv::NORM_MINMAX, CV_8UC1);
  const int shapes = width * height / 4000;
  for (int i = 0; i < shapes; ++i) {
    const cv::Point centre(rng.uniform(0, width), rng.uniform(0, height));
    const cv::Size half(rng.uniform(6, 40), rng.uniform(6, 40));
    const cv::Scalar grey(rng.uniform(0, 256));
    if (i % 2 == 0) {
      cv::rectangle(scene, centre - cv::Point(half), centre + cv::Point(half), grey, cv::FILLED);
    } else {
      cv::ellipse(scene, centre, half, rng.uniform(0.0, 180.0), 0, 360, grey, cv::FILLED,
                  cv::LINE_AA);
    }
  }
  // Soften the hard edges slightly so that bilinear resampling is close to the continuous
  // scene (otherwise aliasing, not the estimator, would set the error floor).
  cv::GaussianBlur(scene, scene, cv::Size(), 0.7);
  return scene;
}

// A p-centred similarity p' = s R(da) p + (dx, dy), as in core/types.hpp.
struct Similarity {
  double dx = 0, dy = 0, da = 0, s = 1;
};

// Frame of size width x height that sees the scene through `t` (identity = the centre crop).
cv::Mat view_of(const cv::Mat& scene, int width, int height, const Similarity& t) {
  const double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
  const double ox = (scene.cols - width) / 2.0, oy = (scene.rows - height) / 2.0;
  // Inverse: frame-1 pixel q -> frame-0 centred point (1/s) R(-da) (q - c - t) -> scene pixel.
  const double c = std::cos(t.da) / t.s, sn = std::sin(t.da) / t.s;
  const double qx = cx + t.dx, qy = cy + t.dy;
  const cv::Matx23d inv(c, sn, cx + ox - (c * qx + sn * qy),  //
                        -sn, c, cy + oy - (-sn * qx + c * qy));
  cv::Mat frame;
  cv::warpAffine(scene, frame, inv, cv::Size(width, height), cv::WARP_INVERSE_MAP | cv::INTER_CUBIC,
                 cv::BORDER_REFLECT_101);
  return frame;
}

// Owns the planes a FrameView points into (4:2:0, chroma flat grey).
struct TestFrame {
  cv::Mat y, u, v;
  int bit_depth = 8;

  static TestFrame from_luma(const cv::Mat& luma, int bit_depth = 8) {
    TestFrame f;
    f.y = luma;
    f.bit_depth = bit_depth;
    const int depth = luma.depth();
    const cv::Scalar mid = cv::Scalar::all(128 << (bit_depth - 8));
    f.u = cv::Mat((luma.rows + 1) / 2, (luma.cols + 1) / 2, CV_MAKETYPE(depth, 1), mid);
    f.v = f.u.clone();
    return f;
  }

  FrameView view() const {
    FrameView fv;
    const cv::Mat* planes[3] = {&y, &u, &v};
    for (int k = 0; k < 3; ++k) {
      fv.planes[k] =
          PlaneView{planes[k]->data, static_cast<int>(planes[k]->step[0]), planes[k]->cols,
                    planes[k]->rows, static_cast<int>(planes[k]->elemSize())};
    }
    fv.bit_depth = bit_depth;
    return fv;
  }
};

MotionParams params_with_width(int analysis_width) {
  MotionParams p;
  p.analysis_width = analysis_width;
  return p;
}

// Pushes the centre crop and then the crop moved by `truth`; returns the second Motion.
Motion estimate_pair(const cv::Mat& scene, int width, int height, const Similarity& truth,
                     const MotionParams& params) {
  MotionEstimator estimator(width, height, params);
  const TestFrame f0 = TestFrame::from_luma(view_of(scene, width, height, {}));
  const TestFrame f1 = TestFrame::from_luma(view_of(scene, width, height, truth));
  EXPECT_EQ(estimator.push(f0.view()).status, MotionStatus::first_frame);
  return estimator.push(f1.view());
}

void expect_recovers(const Motion& m, const Similarity& truth) {
  ASSERT_EQ(m.status, MotionStatus::ok) << to_string(m.status);
  EXPECT_NEAR(m.dx, truth.dx, kMaxShiftError);
  EXPECT_NEAR(m.dy, truth.dy, kMaxShiftError);
  EXPECT_NEAR(m.da, truth.da, kMaxAngleError);
  EXPECT_NEAR(m.scale, truth.s, 1e-3);
  EXPECT_GE(m.inliers, 50);
  EXPECT_LE(m.inliers, m.tracked);
  EXPECT_LE(m.tracked, m.corners);
}

void expect_no_motion(const Motion& m) {
  EXPECT_EQ(m.dx, 0.0);
  EXPECT_EQ(m.dy, 0.0);
  EXPECT_EQ(m.da, 0.0);
  EXPECT_EQ(m.scale, 1.0);
  EXPECT_FALSE(m.valid());
}

const std::vector<Similarity> kTruths = {
    {0, 0, 0, 1},          {3.3, -2.7, 0.004, 1},   {-12.6, 7.25, -0.01, 1},
    {0.4, 0.2, 0.0015, 1}, {25.5, -18.25, 0.02, 1}, {-1.7, 4.1, -0.003, 1.01},
};

class Landscape : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scene_ = new cv::Mat(make_scene(1280 + 2 * kMargin, 720 + 2 * kMargin, 7));
  }
  static void TearDownTestSuite() {
    delete scene_;
    scene_ = nullptr;
  }
  static cv::Mat* scene_;
};
cv::Mat* Landscape::scene_ = nullptr;

TEST_F(Landscape, RecoversSimilarityAtAnalysisWidth640) {
  for (const Similarity& t : kTruths) {
    SCOPED_TRACE(testing::Message() << "dx " << t.dx << " dy " << t.dy << " da " << t.da);
    expect_recovers(estimate_pair(*scene_, 1280, 720, t, params_with_width(640)), t);
  }
}

TEST_F(Landscape, RecoversSimilarityAtFullSize) {
  for (const Similarity& t : kTruths) {
    SCOPED_TRACE(testing::Message() << "dx " << t.dx << " dy " << t.dy << " da " << t.da);
    expect_recovers(estimate_pair(*scene_, 1280, 720, t, params_with_width(0)), t);
  }
}

TEST_F(Landscape, TenBitSamplesGiveTheSameMotion) {
  const Similarity truth{5.2, -3.4, 0.006, 1};
  const cv::Mat a = view_of(*scene_, 1280, 720, {});
  const cv::Mat b = view_of(*scene_, 1280, 720, truth);
  // 10-bit samples whose top 8 bits are the 8-bit frame; the low bits carry seeded noise that
  // the shift must discard.
  cv::RNG rng(3);
  auto ten_bit = [&rng](const cv::Mat& eight) {
    cv::Mat wide, low(eight.size(), CV_16UC1);
    eight.convertTo(wide, CV_16UC1, 4.0);
    rng.fill(low, cv::RNG::UNIFORM, 0, 4);
    return cv::Mat(wide + low);
  };
  const TestFrame a8 = TestFrame::from_luma(a), b8 = TestFrame::from_luma(b);
  const TestFrame a10 = TestFrame::from_luma(ten_bit(a), 10);
  const TestFrame b10 = TestFrame::from_luma(ten_bit(b), 10);

  MotionEstimator e8(1280, 720, params_with_width(640)), e10(1280, 720, params_with_width(640));
  e8.push(a8.view());
  e10.push(a10.view());
  const Motion m8 = e8.push(b8.view());
  const Motion m10 = e10.push(b10.view());
  expect_recovers(m10, truth);
  EXPECT_NEAR(m10.dx, m8.dx, 1e-9);
  EXPECT_NEAR(m10.dy, m8.dy, 1e-9);
  EXPECT_NEAR(m10.da, m8.da, 1e-12);
}

TEST_F(Landscape, TwoInstancesAreBitIdenticalWhateverTheThreadsAndGlobalRng) {
  const std::vector<Similarity> path = {
      {}, {2.5, 1.5, 0.003, 1}, {-4, 6, -0.002, 1}, {9, -3, 0.01, 1}};
  std::vector<TestFrame> frames;
  for (const Similarity& t : path)
    frames.push_back(TestFrame::from_luma(view_of(*scene_, 1280, 720, t)));

  const int threads = cv::getNumThreads();
  auto run = [&](int num_threads, std::uint64_t global_seed) {
    cv::setNumThreads(num_threads);
    cv::theRNG().state = global_seed;  // a hidden use of the global RNG would show up
    MotionEstimator estimator(1280, 720, params_with_width(640));
    std::vector<Motion> out;
    for (const TestFrame& f : frames) out.push_back(estimator.push(f.view()));
    return out;
  };
  const std::vector<Motion> a = run(1, 1);
  const std::vector<Motion> b = run(std::max(threads, 2), 0xdeadbeef);
  cv::setNumThreads(threads);

  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(a[i].status, b[i].status);
    EXPECT_EQ(a[i].dx, b[i].dx);  // exact: bit for bit
    EXPECT_EQ(a[i].dy, b[i].dy);
    EXPECT_EQ(a[i].da, b[i].da);
    EXPECT_EQ(a[i].scale, b[i].scale);
    EXPECT_EQ(a[i].corners, b[i].corners);
    EXPECT_EQ(a[i].tracked, b[i].tracked);
    EXPECT_EQ(a[i].inliers, b[i].inliers);
  }
  EXPECT_TRUE(a[1].valid() && a[2].valid() && a[3].valid());
}

TEST_F(Landscape, FirstPushIsFirstFrameAndResetForgetsThePreviousFrame) {
  const TestFrame f0 = TestFrame::from_luma(view_of(*scene_, 1280, 720, {}));
  const TestFrame f1 = TestFrame::from_luma(view_of(*scene_, 1280, 720, {4, 0, 0, 1}));
  MotionEstimator estimator(1280, 720, MotionParams{});
  const Motion first = estimator.push(f0.view());
  EXPECT_EQ(first.status, MotionStatus::first_frame);
  EXPECT_EQ(first.dx, 0.0);
  EXPECT_EQ(estimator.push(f1.view()).status, MotionStatus::ok);
  estimator.reset();
  EXPECT_EQ(estimator.push(f0.view()).status, MotionStatus::first_frame);
  // The pair is now (f0 -> f1) again, not (f1 -> f1).
  EXPECT_NEAR(estimator.push(f1.view()).dx, 4.0, kMaxShiftError);
}

TEST_F(Landscape, TexturedThenFlatHasNoMotion) {
  const TestFrame textured = TestFrame::from_luma(view_of(*scene_, 1280, 720, {}));
  const TestFrame flat = TestFrame::from_luma(cv::Mat(720, 1280, CV_8UC1, cv::Scalar(128)));
  MotionEstimator estimator(1280, 720, MotionParams{});
  estimator.push(textured.view());
  const Motion m = estimator.push(flat.view());
  EXPECT_TRUE(m.status == MotionStatus::too_few_tracks || m.status == MotionStatus::fit_failed)
      << to_string(m.status);
  EXPECT_GT(m.corners, 100);
  expect_no_motion(m);
}

TEST(MotionEstimator, FlatFrameHasNoFeatures) {
  const TestFrame flat = TestFrame::from_luma(cv::Mat(720, 1280, CV_8UC1, cv::Scalar(90)));
  MotionEstimator estimator(1280, 720, MotionParams{});
  estimator.push(flat.view());
  const Motion m = estimator.push(flat.view());
  EXPECT_EQ(m.status, MotionStatus::no_features);
  EXPECT_EQ(m.corners, 0);
  expect_no_motion(m);
}

TEST_F(Landscape, PictureDiffIsZeroForTheSamePictureAndTheMeanChangeOtherwise) {
  const TestFrame f0 = TestFrame::from_luma(view_of(*scene_, 1280, 720, {}));
  const TestFrame f1 = TestFrame::from_luma(view_of(*scene_, 1280, 720, {4, 0, 0, 1}));
  MotionEstimator estimator(1280, 720, MotionParams{});
  EXPECT_TRUE(std::isnan(estimator.push(f0.view()).picture_diff));  // no pair: unknown
  EXPECT_EQ(estimator.push(f0.view()).picture_diff, 0.0);
  EXPECT_GT(estimator.push(f1.view()).picture_diff, 5.0);
  // Flat frames 90 and 93 apart: 3 levels, wherever the analysis size puts the pixels.
  const TestFrame a = TestFrame::from_luma(cv::Mat(720, 1280, CV_8UC1, cv::Scalar(90)));
  const TestFrame b = TestFrame::from_luma(cv::Mat(720, 1280, CV_8UC1, cv::Scalar(93)));
  estimator.push(a.view());
  const Motion m = estimator.push(b.view());
  EXPECT_EQ(m.status, MotionStatus::no_features);
  EXPECT_EQ(m.picture_diff, 3.0);
}

TEST(MotionEstimator, PortraitWorks) {
  const cv::Mat scene = make_scene(720 + 2 * kMargin, 1280 + 2 * kMargin, 11);
  const Similarity truth{-6.4, 9.6, 0.005, 1};
  const Motion m = estimate_pair(scene, 720, 1280, truth, params_with_width(640));
  expect_recovers(m, truth);
}

TEST(MotionEstimator, WrongFrameSizeThrows) {
  const TestFrame small = TestFrame::from_luma(cv::Mat(360, 640, CV_8UC1, cv::Scalar(0)));
  MotionEstimator estimator(1280, 720, MotionParams{});
  try {
    estimator.push(small.view());
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "motion: expected a 1280x720 luma plane, got 640x360");
  }
}

TEST(MotionEstimator, BadParameterThrowsNamingIt) {
  MotionParams p;
  p.min_tracks = 1;
  try {
    MotionEstimator estimator(1280, 720, p);
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "motion.min_tracks: expected >= 2, got 1");
  }
}

TEST(AnalysisGeometry, DownscalesKeepingAspectWithEvenHeight) {
  const AnalysisGeometry g = analysis_geometry(1920, 1080, 640);
  EXPECT_EQ(g.width, 640);
  EXPECT_EQ(g.height, 360);
  EXPECT_DOUBLE_EQ(g.scale, 1.0 / 3);
  EXPECT_DOUBLE_EQ(g.scale_y, 1.0 / 3);

  const AnalysisGeometry portrait = analysis_geometry(720, 1280, 640);
  EXPECT_EQ(portrait.width, 640);
  EXPECT_EQ(portrait.height, 1138);  // 1137.8 rounded to even
  EXPECT_DOUBLE_EQ(portrait.scale_y, 1138.0 / 1280);

  const AnalysisGeometry odd = analysis_geometry(1001, 563, 640);
  EXPECT_EQ(odd.height % 2, 0);
  EXPECT_EQ(odd.height, 360);
}

TEST(AnalysisGeometry, NeverUpscalesAndZeroMeansFullSize) {
  for (const int w : {0, 1280, 4000}) {
    const AnalysisGeometry g = analysis_geometry(1280, 720, w);
    EXPECT_EQ(g.width, 1280);
    EXPECT_EQ(g.height, 720);
    EXPECT_EQ(g.scale, 1.0);
    EXPECT_EQ(g.scale_y, 1.0);
  }
  EXPECT_THROW(analysis_geometry(0, 720, 640), Error);
}

}  // namespace
}  // namespace sw::motion
