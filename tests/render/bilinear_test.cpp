// The integer bilinear sampler against a double-precision reference (every pixel, every border
// policy, random sizes and near-identity similarities), and its AVX2 loop against its scalar
// loops byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "render/bilinear.hpp"
#include "render/warp.hpp"

namespace sw::render {
namespace {

struct Case {
  int width, height, out_width, out_height;
  InverseAffine map;
  Border border;
};

Case random_case(std::mt19937& rng, int t) {
  std::uniform_int_distribution<int> size(1, 160);
  std::uniform_real_distribution<double> angle(-0.1, 0.1), zoom(0.8, 1.25), shift(-12, 12);
  Case c{size(rng) + 8, size(rng) + 1, size(rng), size(rng), {}, static_cast<Border>(t % 3)};
  const double a = angle(rng), z = zoom(rng);
  c.map = {{std::cos(a) / z, -std::sin(a) / z, shift(rng), std::sin(a) / z, std::cos(a) / z,
            shift(rng)}};
  if (t % 5 == 0) c.map = {{1, 0, std::round(c.map.m[2]), 0, 1, std::round(c.map.m[5])}};
  return c;
}

int reference_index(int i, int size, Border border) {
  if (i >= 0 && i < size) return i;
  if (border == Border::replicate) return std::clamp(i, 0, size - 1);
  if (border == Border::mirror) {
    while (i < 0 || i >= size) i = i < 0 ? -i : 2 * (size - 1) - i;  // reflect about the edges
    return i;
  }
  return -1;
}

double reference(const std::vector<std::uint8_t>& s, int w, int h, double x, double y,
                 Border border, int fill) {
  const int ix = static_cast<int>(std::floor(x)), iy = static_cast<int>(std::floor(y));
  const double fx = x - ix, fy = y - iy;
  const auto p = [&](int i, int j) {
    const int a = reference_index(i, w, border), b = reference_index(j, h, border);
    return a < 0 || b < 0 ? double(fill) : double(s[static_cast<std::size_t>(b * w + a)]);
  };
  return (p(ix, iy) * (1 - fx) + p(ix + 1, iy) * fx) * (1 - fy) +
         (p(ix, iy + 1) * (1 - fx) + p(ix + 1, iy + 1) * fx) * fy;
}

std::vector<std::uint8_t> warp(const std::vector<std::uint8_t>& s, const Case& c, bool simd) {
  std::vector<std::uint8_t> out(static_cast<std::size_t>(c.out_width * c.out_height));
  const PlaneView src{s.data(), c.width, c.width, c.height, 1};
  const MutablePlaneView dst{out.data(), c.out_width, c.out_width, c.out_height, 1};
  warp_plane_bilinear(src, dst, c.map, c.border, 16, simd);
  return out;
}

TEST(Bilinear, WithinOneLevelOfTheExactInterpolationEverywhere) {
  std::mt19937 rng(11);
  for (int t = 0; t < 200; ++t) {
    const Case c = random_case(rng, t);
    std::vector<std::uint8_t> s(static_cast<std::size_t>(c.width * c.height));
    for (auto& v : s) v = static_cast<std::uint8_t>(rng() % 256);  // noise: the hardest case
    const auto out = warp(s, c, true);
    int worst = 0;
    for (int y = 0; y < c.out_height; ++y) {
      for (int x = 0; x < c.out_width; ++x) {
        const auto& m = c.map.m;
        const double r = reference(s, c.width, c.height, m[0] * x + m[1] * y + m[2],
                                   m[3] * x + m[4] * y + m[5], c.border, 16);
        worst = std::max(worst, std::abs(static_cast<int>(std::lround(r)) -
                                         out[static_cast<std::size_t>(y * c.out_width + x)]));
      }
    }
    ASSERT_LE(worst, 1) << "case " << t << " border " << static_cast<int>(c.border);
  }
}

TEST(Bilinear, VectorLoopGivesTheScalarBytes) {
  std::mt19937 rng(12);
  for (int t = 0; t < 200; ++t) {
    Case c = random_case(rng, t);
    c.width += 300;  // long rows, so that the vector loop runs
    c.out_width += 300;
    std::vector<std::uint8_t> s(static_cast<std::size_t>(c.width * c.height));
    for (auto& v : s) v = static_cast<std::uint8_t>(rng() % 256);
    ASSERT_EQ(warp(s, c, true), warp(s, c, false)) << "case " << t;
  }
}

TEST(Bilinear, IntegerShiftCopiesAndFillsTheRest) {
  std::vector<std::uint8_t> s(64 * 32);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<std::uint8_t>(i * 37);
  const Case c{64, 32, 64, 32, {{1, 0, -3, 0, 1, 2}}, Border::black};
  const auto out = warp(s, c, true);
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 64; ++x) {
      const int sx = x - 3, sy = y + 2;
      const int expected = sx < 0 || sy >= 32 ? 16 : s[static_cast<std::size_t>(sy * 64 + sx)];
      ASSERT_EQ(out[static_cast<std::size_t>(y * 64 + x)], expected) << x << "," << y;
    }
  }
}

// A plane of zeros between rows of 255 that are not part of it: any output above 0 means a
// tap read outside the plane. Maps with a tiny rotation put the source rows within 1/65536 px
// of the top and bottom edges, where the per-block fixed point rounds by one unit.
TEST(Bilinear, NeverReadsOutsideThePlane) {
  const int w = 700, h = 40;
  std::vector<std::uint8_t> buffer(static_cast<std::size_t>(w * (h + 2)), 0);
  std::fill(buffer.begin(), buffer.begin() + w, 255);
  std::fill(buffer.end() - w, buffer.end(), 255);
  const PlaneView src{buffer.data() + w, w, w, h, 1};
  std::vector<std::uint8_t> out(static_cast<std::size_t>(w * 4));
  const MutablePlaneView dst{out.data(), w, w, 4, 1};
  for (const bool simd : {true, false}) {
    for (const double slope : {-3e-7, -1e-7, 1e-7, 3e-7}) {
      for (int e = -40; e <= 40; ++e) {
        for (const double edge : {0.0, double(h - 1)}) {
          // Row y of the output starts at source row edge - 1/512 + e / 2^20 (the sampler adds
          // half a 1/256 step before truncating).
          const double y0 = edge - 1.0 / 512 + e / 1048576.0;
          const InverseAffine map{{1, 0, 0.25, slope, 0, y0}};
          warp_plane_bilinear(src, dst, map, Border::black, 0, simd);
          for (const std::uint8_t v : out) ASSERT_EQ(v, 0) << simd << " " << slope << " " << e;
        }
      }
    }
  }
}

}  // namespace
}  // namespace sw::render
