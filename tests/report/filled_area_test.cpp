// The filled area the report shows for full-frame runs: exactly the output pixels whose source
// lies outside the input frame, tinted in chroma only.
#include "report/filled_area.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace sw::report {
namespace {

struct Planes {
  std::vector<std::uint8_t> y, u, v;
  FrameView view;
  Planes(int w, int h)
      : y(std::size_t(w) * h, 100),
        u(std::size_t(w / 2) * (h / 2), 128),
        v(std::size_t(w / 2) * (h / 2), 128) {
    view.planes[0] = {y.data(), w, w, h, 1};
    view.planes[1] = {u.data(), w / 2, w / 2, h / 2, 1};
    view.planes[2] = {v.data(), w / 2, w / 2, h / 2, 1};
  }
};

TEST(FilledArea, IdentityUncoversNothing) {
  Planes f(64, 48);
  double share = -1;
  const OwnedFrame t = tint_uncovered(f.view, Transform2D{0, 0, 0, 1}, 64, 48, share);
  EXPECT_EQ(share, 0);
  EXPECT_EQ(t.planes[1], f.u);
  EXPECT_EQ(t.planes[0], f.y);
}

TEST(FilledArea, ShiftUncoversExactlyTheColumnsItMovedIn) {
  Planes f(64, 48);
  double share = -1;
  // Content moved 10 px right: output columns 0..9 sample left of the input.
  const OwnedFrame t = tint_uncovered(f.view, Transform2D{10, 0, 0, 1}, 64, 48, share);
  EXPECT_DOUBLE_EQ(share, 10.0 / 64);
  EXPECT_EQ(t.planes[0], f.y);  // luma kept
  for (int x = 0; x < 32; ++x) {
    // Chroma sample x covers luma 2x..2x+1, centre 2x + 0.5: uncovered iff that is below 10.
    const int want = 2 * x + 0.5 < 10 ? (128 + 240 + 1) / 2 : 128;
    EXPECT_EQ(t.planes[1][std::size_t(5 * 32 + x)], want) << x;
    EXPECT_EQ(t.planes[2][std::size_t(5 * 32 + x)], want) << x;
  }
}

TEST(FilledArea, ZoomCoversAShiftThatFitsAndRotationUncoversCorners) {
  // Zoom 1.5 about the centre leaves room for a 10 px shift on a 64 px frame.
  EXPECT_FALSE(uncovered(Transform2D{15, 0, 0, 1.5}, 64, 48, 64, 48, 0, 0));
  // A 10 degree roll at zoom 1 uncovers the corners but not the centre.
  const Transform2D roll{0, 0, 10 * 3.14159265358979 / 180, 1};
  EXPECT_TRUE(uncovered(roll, 64, 48, 64, 48, 0, 0));
  EXPECT_TRUE(uncovered(roll, 64, 48, 64, 48, 63, 47));
  EXPECT_FALSE(uncovered(roll, 64, 48, 64, 48, 31.5, 23.5));
}

}  // namespace
}  // namespace sw::report
