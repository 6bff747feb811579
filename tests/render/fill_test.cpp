// render::Filler on small frames of a known smooth picture moved by known shifts: the pixels
// the current frame leaves uncovered come from the neighbour that covers them, photometrically
// matched, a neighbour that disagrees at the seam is refused (ghosting), and what nobody
// covers is the replicated edge. Plus the ring that holds the frames, and the geometry.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "render/fill.hpp"
#include "render/frame_ring.hpp"
#include "render/similarity.hpp"

namespace sw::render {
namespace {

constexpr int W = 96, H = 64;

// The world: a smooth luma pattern, constant chroma.
double world(double x, double y) {
  return 128 + 50 * std::sin(x / 6.0) * std::cos(y / 5.0) + 0.3 * x;
}

// A 4:2:0 frame that sees the world through camera translation t (world p appears at p + t).
struct TestFrame {
  std::vector<std::uint8_t> planes[3];
  FrameView view;
  TestFrame(double tx, double ty, int luma_offset = 0) {
    planes[0].resize(W * H);
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        const double v = world(x - (W - 1) / 2.0 - tx, y - (H - 1) / 2.0 - ty) + luma_offset;
        planes[0][y * W + x] = static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 255.0)));
      }
    planes[1].assign(W * H / 4, 100);
    planes[2].assign(W * H / 4, 150);
    view.planes[0] = {planes[0].data(), W, W, H, 1};
    view.planes[1] = {planes[1].data(), W / 2, W / 2, H / 2, 1};
    view.planes[2] = {planes[2].data(), W / 2, W / 2, H / 2, 1};
  }
};

struct Output {
  std::vector<std::uint8_t> planes[3];
  MutableFrameView view;
  Output() {
    planes[0].resize(W * H);
    planes[1].resize(W * H / 4);
    planes[2].resize(W * H / 4);
    view.planes[0] = {planes[0].data(), W, W, H, 1};
    view.planes[1] = {planes[1].data(), W / 2, W / 2, H / 2, 1};
    view.planes[2] = {planes[2].data(), W / 2, W / 2, H / 2, 1};
  }
  int luma(int x, int y) const { return planes[0][y * W + x]; }
};

Transform2D shift(double dx, double dy) {
  return {dx, dy, 0, 1};
}

// The output keeps the world still (smoothed path = identity), so output pixel (x, y) should
// show world(x - cx, y - cy); frame j is warped by C_i o T_i o T_j^-1 = T_j^-1.
TEST(Filler, UncoveredBandComesFromTheNeighbourThatSeesIt) {
  const TestFrame current(6.5, 0.25), neighbour(-5, 0, /*luma_offset=*/12);
  const Transform2D correction = inverse(shift(6.5, 0.25));
  const Transform2D from_neighbour =
      compose(compose(correction, shift(6.5, 0.25)), inverse(shift(-5, 0)));
  EXPECT_NEAR(from_neighbour.dx, 5, 1e-12);
  Output out;
  Filler filler;
  const FillSource sources[] = {{&current.view, correction}, {&neighbour.view, from_neighbour}};
  const FillCounts counts = filler.fill(sources, out.view);

  EXPECT_EQ(counts.current + counts.neighbour + counts.fallback, W * H);
  // The current frame covers x <= W - 1 - 6.5 and y >= 0.25 (rows 1..H-1); the neighbour
  // covers x >= 5, so the uncovered band is the right 7 columns and row 0, and x < 5 of row 0
  // is nobody's.
  EXPECT_EQ(counts.current, (W - 7) * (H - 1));
  EXPECT_EQ(counts.fallback, 5);
  EXPECT_EQ(counts.ghost, 0);
  double err = 0;
  int n = 0;
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      const std::uint8_t label = filler.labels()[y * W + x];
      if (label != 1) continue;
      err += std::abs(out.luma(x, y) - world(x - (W - 1) / 2.0, y - (H - 1) / 2.0));
      ++n;
    }
  EXPECT_EQ(n, counts.neighbour);
  // The neighbour is 12 levels brighter: matched away (measured 0.5 level mean error).
  EXPECT_LT(err / n, 1.5);
  for (std::uint8_t c : out.planes[1]) ASSERT_EQ(c, 100);
  for (std::uint8_t c : out.planes[2]) ASSERT_EQ(c, 150);
}

TEST(Filler, WhatNoNeighbourCoversIsTheReplicatedEdge) {
  const TestFrame current(6, 0), neighbour(3, 0);  // the neighbour lacks the last 3 columns
  Output out;
  Filler filler;
  const FillSource sources[] = {{&current.view, shift(-6, 0)}, {&neighbour.view, shift(-3, 0)}};
  const FillCounts counts = filler.fill(sources, out.view);
  EXPECT_EQ(counts.neighbour, 3 * H);
  EXPECT_EQ(counts.fallback, 3 * H);
  for (int y = 0; y < H; ++y) {
    EXPECT_EQ(filler.labels()[y * W + W - 1], kLabelEmpty);
    EXPECT_EQ(out.luma(W - 1, y), current.planes[0][y * W + W - 1])
        << "row " << y << ": the current frame's edge, replicated";
  }
}

TEST(Filler, NeighbourThatDisagreesAtTheSeamIsRefused) {
  const TestFrame current(10, 0);
  TestFrame moving(-10, 0);
  // A bright subject in the neighbour straddling the seam (x = W - 11), rows 0..31.
  for (int y = 0; y < 32; ++y)
    for (int x = W - 24; x < W; ++x) moving.planes[0][y * W + x] = 250;
  Output out;
  Filler filler;
  const FillSource sources[] = {{&current.view, shift(-10, 0)}, {&moving.view, shift(10, 0)}};
  const FillCounts counts = filler.fill(sources, out.view);
  EXPECT_GT(counts.ghost, 0);
  EXPECT_EQ(filler.labels()[5 * W + W - 2], kLabelGhost) << "the subject's rows fall back";
  EXPECT_EQ(filler.labels()[50 * W + W - 2], 1) << "rows without it are filled";
  EXPECT_LT(out.luma(W - 2, 5), 240) << "no ghost of the subject";
}

// The same scenes at 10 bits (the 8-bit pictures times 4, plus a fine ramp in the two low
// bits): the fill decides the same (its levels scale with the depth), and what it fills keeps
// the low bits. A subject 9 levels off is below the ghost level of 12 (48 at 10 bits): a fill
// that compared 10-bit differences with the 8-bit level would refuse it.
struct DeepFrame {
  std::vector<std::uint16_t> planes[3];
  FrameView view;
  explicit DeepFrame(const TestFrame& f) {
    for (int k = 0; k < 3; ++k) {
      const int w = k == 0 ? W : W / 2;
      planes[k].resize(f.planes[k].size());
      for (std::size_t i = 0; i < planes[k].size(); ++i) {
        const int ramp = k == 0 ? static_cast<int>(i % static_cast<std::size_t>(w)) % 4 : 0;
        planes[k][i] = static_cast<std::uint16_t>(f.planes[k][i] * 4 + ramp);
      }
      view.planes[k] = {reinterpret_cast<const std::uint8_t*>(planes[k].data()), 2 * w, w,
                        k == 0 ? H : H / 2, 2};
    }
    view.bit_depth = 10;
  }
};

struct DeepOutput {
  std::vector<std::uint16_t> planes[3];
  MutableFrameView view;
  DeepOutput() {
    for (int k = 0; k < 3; ++k) {
      const int w = k == 0 ? W : W / 2, h = k == 0 ? H : H / 2;
      planes[k].resize(static_cast<std::size_t>(w * h));
      view.planes[k] = {reinterpret_cast<std::uint8_t*>(planes[k].data()), 2 * w, w, h, 2};
    }
    view.bit_depth = 10;
  }
};

TEST(Filler, TenBitFillsDecideAsEightBitAndKeepTheLowBits) {
  const TestFrame current(10, 0);
  TestFrame subject(-10, 0), neighbour(-10, 0, /*luma_offset=*/12);
  for (int y = 0; y < 32; ++y)
    for (int x = W - 24; x < W; ++x) subject.planes[0][y * W + x] += 9;
  for (const TestFrame* other : {&subject, &neighbour}) {
    const FillSource sources8[] = {{&current.view, shift(-10, 0)}, {&other->view, shift(10, 0)}};
    Output out8;
    Filler filler8;
    const FillCounts counts8 = filler8.fill(sources8, out8.view);

    const DeepFrame current10(current), other10(*other);
    const FillSource sources10[] = {{&current10.view, shift(-10, 0)},
                                    {&other10.view, shift(10, 0)}};
    DeepOutput out10;
    Filler filler10;
    const FillCounts counts10 = filler10.fill(sources10, out10.view);
    EXPECT_EQ(counts10.ghost, 0) << "a 9-level subject is no ghost at any depth";
    EXPECT_EQ(counts10.neighbour, counts8.neighbour);
    EXPECT_EQ(filler10.labels(), filler8.labels());

    int low_bits = 0, far = 0;
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        if (filler10.labels()[y * W + x] != 1) continue;
        const int v10 = out10.planes[0][y * W + x], v8 = out8.luma(x, y);
        low_bits += v10 % 4 != 0;
        far += std::abs(v10 - 4 * v8) > 8;  // within 2 levels of the 8-bit fill
      }
    }
    EXPECT_GT(low_bits, counts10.neighbour / 2) << "the filled pixels keep the low bits";
    EXPECT_EQ(far, 0);
  }
}

TEST(Filler, RefusesNeighboursOfAnotherDepth) {
  const TestFrame current(10, 0), neighbour(-10, 0);
  const DeepFrame current10(current);
  const FillSource sources[] = {{&current10.view, shift(-10, 0)}, {&neighbour.view, shift(10, 0)}};
  DeepOutput out;
  Filler filler;
  EXPECT_THROW(filler.fill(sources, out.view), Error);
}

TEST(FrameRing, KeepsTheLastFramesAtTheirDepth) {
  std::vector<std::uint16_t> deep(4 * 2, 1000);  // 10-bit samples
  FrameView f;
  f.planes[0] = {reinterpret_cast<const std::uint8_t*>(deep.data()), 8, 4, 2, 2};
  f.bit_depth = 10;
  FrameRing ring(3);
  for (std::int64_t i = 0; i < 5; ++i) {
    f.index = i;
    ring.put(f);
  }
  EXPECT_EQ(ring.find(1), nullptr);
  ASSERT_NE(ring.find(4), nullptr);
  const FrameView& kept = *ring.find(4);
  EXPECT_EQ(kept.bit_depth, 10);
  ASSERT_EQ(kept.planes[0].bytes_per_sample, 2);
  EXPECT_EQ(kept.planes[0].stride, 8);
  EXPECT_EQ(reinterpret_cast<const std::uint16_t*>(kept.planes[0].data)[7], 1000)
      << "the 10-bit word as it was, not shifted to 8 bits";
  ring.clear();
  EXPECT_EQ(ring.find(4), nullptr);
}

}  // namespace
}  // namespace sw::render
