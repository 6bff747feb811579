// Ignore regions: parsing --ignore, and the pixels a region covers (rounded outwards).
#include "motion/ignore.hpp"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>

#include "core/error.hpp"
#include "motion/estimator.hpp"
#include "motion/ignore_internal.hpp"

namespace sw::motion {
namespace {

TEST(Ignore, ParsesPixelsAndPercent) {
  const IgnoreRegion px = parse_ignore_region("10,20.5,30,40");
  EXPECT_FALSE(px.percent);
  EXPECT_EQ(px.x, 10);
  EXPECT_EQ(px.y, 20.5);
  EXPECT_EQ(px.w, 30);
  EXPECT_EQ(px.h, 40);
  const IgnoreRegion pc = parse_ignore_region("0,80%,100%,20%");
  EXPECT_TRUE(pc.percent);
  EXPECT_EQ(pc.y, 80);
  EXPECT_EQ(format_ignore_region(pc), "0%,80%,100%,20%");
  EXPECT_EQ(format_ignore_region(px), "10,20.5,30,40");
}

TEST(Ignore, RefusesBadRegionsNamingTheOption) {
  for (const char* bad :
       {"", "1,2,3", "1,2,3,4,5", "a,2,3,4", "1,2,3,4px", "-1,0,10,10", "0,-1,10,10", "0,0,0,10",
        "0,0,10,0", "10,50%,10%,10%", "50%,0,60%,10%", "0,0,10,nan"}) {
    try {
      parse_ignore_region(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.subject(), "--ignore") << bad;
      EXPECT_EQ(e.code(), ExitCode::usage) << bad;
    }
  }
}

TEST(Ignore, RegionsCoverEveryPixelTheyTouch) {
  MotionParams p;
  EXPECT_TRUE(measured_area(p, 100, 50).empty());
  p.ignore = {parse_ignore_region("10.5,0,10,5"), parse_ignore_region("0,90%,10%,10%")};
  const cv::Mat m = measured_area(p, 100, 50);
  ASSERT_EQ(m.size(), cv::Size(100, 50));
  // x in [10.5, 20.5) touches columns 10..20; rows 0..4.
  EXPECT_EQ(cv::countNonZero(m(cv::Rect(10, 0, 11, 5))), 0);
  EXPECT_EQ(m.at<unsigned char>(0, 9), 255);
  EXPECT_EQ(m.at<unsigned char>(0, 21), 255);
  EXPECT_EQ(m.at<unsigned char>(5, 15), 255);
  // 90 % of 50 rows = row 45 on; 10 % of 100 columns = columns 0..9.
  EXPECT_EQ(cv::countNonZero(m(cv::Rect(0, 45, 10, 5))), 0);
  EXPECT_EQ(cv::countNonZero(m), 100 * 50 - 11 * 5 - 10 * 5);
}

TEST(Ignore, ARegionOutsideTheFrameIsAUsageError) {
  MotionParams p;
  p.ignore = {parse_ignore_region("90,0,20,10")};
  try {
    check_ignore(p, 100, 50);
    ADD_FAILURE() << "accepted a region reaching x = 110 in a 100 px frame";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), "--ignore");
    EXPECT_EQ(e.code(), ExitCode::usage);
  }
  p.ignore = {parse_ignore_region("0,0,100%,100%")};
  EXPECT_NO_THROW(check_ignore(p, 100, 50));
}

}  // namespace
}  // namespace sw::motion
