// LOF and its k-d tree against brute force, on data built to have ties and duplicates, plus
// the size corner cases and one clip-length run (108,000 rows: one hour at 30 fps).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "path/kd_tree.hpp"
#include "path/path.hpp"
#include "test_rng.hpp"

namespace sw::path {
namespace {

using detail::closer;
using detail::KdTree;
using detail::Neighbor;
using detail::squared_distance;

std::vector<Neighbor> brute_nearest(const std::vector<Vec3>& pts, const Vec3& q, std::size_t k) {
  std::vector<Neighbor> all;
  for (std::uint32_t i = 0; i < pts.size(); ++i) all.push_back({squared_distance(pts[i], q), i});
  std::sort(all.begin(), all.end(), closer);
  all.resize(std::min(k, all.size()));
  return all;
}

// Straight from the definitions (Breunig et al. 2000 / sklearn _lof.py), O(n^2), with the
// same tie rule (lower row index first) and sklearn's self-exclusion corner case.
std::vector<double> brute_lof(const std::vector<Vec3>& pts, int k_in) {
  const std::size_t n = pts.size();
  const std::size_t k = std::min<std::size_t>(k_in, n - 1);
  std::vector<std::vector<Neighbor>> nb(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto found = brute_nearest(pts, pts[i], k + 1);
    auto self =
        std::find_if(found.begin(), found.end(), [&](const Neighbor& m) { return m.index == i; });
    found.erase(self == found.end() ? found.begin() : self);
    nb[i] = found;
  }
  std::vector<double> lrd(n);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (const auto& m : nb[i]) s += std::max(std::sqrt(m.d2), std::sqrt(nb[m.index][k - 1].d2));
    lrd[i] = 1.0 / (s / k + 1e-10);
  }
  std::vector<double> lof(n);
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (const auto& m : nb[i]) s += lrd[m.index] / lrd[i];
    lof[i] = s / k;
  }
  return lof;
}

// Integer lattice points: many distinct rows at exactly equal distances, and duplicates.
std::vector<Vec3> lattice_rows(std::size_t n, std::uint64_t seed, int span) {
  testing::Rng rng(seed);
  std::vector<Vec3> rows(n);
  for (auto& r : rows) {
    r = {std::floor(rng.uniform() * span), std::floor(rng.uniform() * span),
         std::floor(rng.uniform() * span)};
  }
  return rows;
}

void expect_same_neighbours(const std::vector<Vec3>& pts, std::size_t k, std::uint32_t leaf) {
  const KdTree tree(pts, leaf);
  std::vector<Neighbor> got;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    tree.nearest(pts[i], k, got);
    const auto want = brute_nearest(pts, pts[i], k);
    ASSERT_EQ(got.size(), want.size()) << "row " << i;
    for (std::size_t j = 0; j < want.size(); ++j) {
      ASSERT_EQ(got[j].index, want[j].index) << "row " << i << " neighbour " << j;
      ASSERT_EQ(got[j].d2, want[j].d2) << "row " << i << " neighbour " << j;
    }
  }
}

TEST(PathKdTree, MatchesBruteForceOnGaussianRows) {
  expect_same_neighbours(testing::shake_rows(2000, 1), 21, 16);
}

TEST(PathKdTree, MatchesBruteForceWithTiesAndDuplicates) {
  // span 3: 27 distinct points for 1500 rows, so nearly every distance is tied.
  expect_same_neighbours(lattice_rows(1500, 2, 3), 21, 16);
  expect_same_neighbours(lattice_rows(1500, 3, 6), 8, 4);
  expect_same_neighbours(lattice_rows(300, 4, 2), 299, 1);
}

TEST(PathKdTree, AllIdenticalRowsGiveLowestIndices) {
  const std::vector<Vec3> pts(5000, Vec3{});
  const KdTree tree(pts);
  std::vector<Neighbor> got;
  tree.nearest(pts[4321], 21, got);
  ASSERT_EQ(got.size(), 21u);
  for (std::uint32_t j = 0; j < 21; ++j) EXPECT_EQ(got[j].index, j);
}

TEST(PathLof, MatchesBruteForceWithTies) {
  for (const int k : {1, 3, 20}) {
    const auto pts = lattice_rows(800, 5 + k, 5);
    const auto got = local_outlier_factor(pts, k);
    const auto want = brute_lof(pts, k);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_NEAR(got[i], want[i], 1e-12 * std::abs(want[i])) << "k " << k << " row " << i;
    }
  }
}

TEST(PathLof, DuplicatesOfAStaticCamera) {
  // 40 zero rows (no motion) and one jolt: the zeros have lrd 1e10 and LOF exactly 1; the
  // jolt's LOF is about 1e10 * its distance (sklearn's 1e-10 term, see many_duplicates).
  std::vector<Vec3> rows(40, Vec3{});
  rows.push_back({3, 4, 0});
  const auto lof = local_outlier_factor(rows, 20);
  for (std::size_t i = 0; i < 40; ++i) EXPECT_EQ(lof[i], 1.0) << "row " << i;
  EXPECT_NEAR(lof[40], 5e10, 1.0);
}

TEST(PathLof, FewRowsUseNMinusOneNeighbours) {
  const auto rows = testing::shake_rows(6, 7);
  const auto with_20 = local_outlier_factor(rows, 20);
  const auto with_5 = local_outlier_factor(rows, 5);
  EXPECT_EQ(with_20, with_5);
  const auto with_6 = local_outlier_factor(rows, 6);  // n == k: sklearn also uses n - 1
  EXPECT_EQ(with_6, with_5);
  EXPECT_TRUE(local_outlier_factor(std::vector<Vec3>{}, 20).empty());
  EXPECT_EQ(local_outlier_factor(std::vector<Vec3>{{1, 2, 3}}, 20), std::vector<double>{1.0});
  const auto two = local_outlier_factor(std::vector<Vec3>{{0, 0, 0}, {1, 0, 0}}, 20);
  EXPECT_EQ(two, (std::vector<double>{1.0, 1.0}));
}

TEST(PathLof, RejectsBadInput) {
  const auto rows = testing::shake_rows(10, 8);
  try {
    local_outlier_factor(rows, 0);
    FAIL() << "k = 0 accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.problem(), "expected lof n_neighbors >= 1, got 0");
  }
  auto bad = rows;
  bad[4].y = std::numeric_limits<double>::quiet_NaN();
  try {
    local_outlier_factor(bad, 3);
    FAIL() << "NaN accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.problem(), "expected finite rows for LOF, got a non-finite value in row 4");
  }
}

TEST(PathLof, OneHourOfRowsFindsThePlantedJolt) {
  constexpr std::size_t n = 108000;
  constexpr std::size_t planted = 54321;
  auto rows = testing::shake_rows(n, 9, 1.0, 1e-3);
  rows[planted] = {40.0, -25.0, 0.05};
  const auto lof = local_outlier_factor(rows, 20);
  ASSERT_EQ(lof.size(), n);
  EXPECT_GT(lof[planted], 1.5);
  EXPECT_EQ(std::max_element(lof.begin(), lof.end()) - lof.begin(),
            static_cast<std::ptrdiff_t>(planted));
}

}  // namespace
}  // namespace sw::path
