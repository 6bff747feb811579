// The banded interior-point solver against CLP's simplex on LPs of the L1 path's shape: the
// same optimum (objective) and a feasible point, on random, tie-heavy and tightly constrained
// programs, plus the path built on it.
#include "path/banded_l1.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <vector>

#include "core/error.hpp"
#include "path/smoother.hpp"
#include "test_rng.hpp"

namespace sw::path {
namespace {

using testing::Rng;

// The optimum of `lp` by CLP: columns p (free) and e+, e- per term; rows a.p - e+ + e- = b
// and lo <= g.p <= hi.
double clp_optimum(const BandedL1& lp) {
  std::vector<int> rows, cols;
  std::vector<double> values, col_lo, col_hi, cost, row_lo, row_hi;
  for (int v = 0; v < lp.variables; ++v) {
    col_lo.push_back(-COIN_DBL_MAX);
    col_hi.push_back(COIN_DBL_MAX);
    cost.push_back(0);
  }
  const auto add_row = [&](const SparseRow& row, double lo, double hi) {
    const int r = static_cast<int>(row_lo.size());
    for (int k = 0; k < row.count; ++k) {
      rows.push_back(r);
      cols.push_back(row.index[static_cast<std::size_t>(k)]);
      values.push_back(row.coef[static_cast<std::size_t>(k)]);
    }
    row_lo.push_back(lo);
    row_hi.push_back(hi);
    return r;
  };
  for (const AbsTerm& term : lp.terms) {
    const int r = add_row(term.row, term.target, term.target);
    for (const double sign : {-1.0, 1.0}) {
      rows.push_back(r);
      cols.push_back(static_cast<int>(cost.size()));
      values.push_back(sign);
      col_lo.push_back(0);
      col_hi.push_back(COIN_DBL_MAX);
      cost.push_back(term.weight);
    }
  }
  for (const RangeRow& range : lp.ranges) add_row(range.row, range.lo, range.hi);
  const CoinPackedMatrix matrix(true, rows.data(), cols.data(), values.data(),
                                static_cast<CoinBigIndex>(values.size()));
  ClpSimplex model;
  model.setLogLevel(0);
  model.loadProblem(matrix, col_lo.data(), col_hi.data(), cost.data(), row_lo.data(),
                    row_hi.data());
  model.primal();
  EXPECT_TRUE(model.isProvenOptimal());
  return model.objectiveValue();
}

struct Shape {
  int frames = 100;
  double target_px = 2;          // spread of the D_k targets (the drift's roughness)
  double room_px = 40;           // half-width of the ranges
  bool integer_targets = false;  // targets in {-1, 0, 1}: many tied optima
};

// An LP laid out as l1_smoother.cpp lays out a window: x, y, a per frame; D1..D3 terms per
// channel, a proximity term per variable, and 4 two-variable ranges per frame around the start.
struct Program {
  BandedL1 lp;
  std::vector<double> start;
};

Program l1_shaped(const Shape& shape, std::uint64_t seed) {
  Rng rng(seed);
  Program out;
  out.lp.variables = 3 * shape.frames;
  for (int v = 0; v < out.lp.variables; ++v) out.start.push_back(100 * rng.gauss());
  const auto target = [&] {
    return shape.integer_targets ? std::floor(3 * rng.uniform()) - 1
                                 : shape.target_px * rng.gauss();
  };
  const std::vector<std::vector<double>> ops = {{-1, 1}, {1, -2, 1}, {-1, 3, -3, 1}};
  const double weights[] = {3, 1, 300};
  for (std::size_t k = 0; k < ops.size(); ++k) {
    const int len = static_cast<int>(ops[k].size());
    for (int t = 0; t + len <= shape.frames; ++t) {
      for (int c = 0; c < 3; ++c) {
        AbsTerm term{.row = {}, .target = target(), .weight = weights[k]};
        for (int j = 0; j < len; ++j)
          term.row.add(3 * (t + j) + c, ops[k][static_cast<std::size_t>(j)]);
        out.lp.terms.push_back(term);
      }
    }
  }
  for (int v = 0; v < out.lp.variables; ++v) {
    AbsTerm term{.row = {}, .target = out.start[static_cast<std::size_t>(v)], .weight = 0.01};
    term.row.add(v, 1);
    out.lp.terms.push_back(term);
  }
  for (int t = 0; t < shape.frames; ++t) {
    for (int k = 0; k < 4; ++k) {
      RangeRow range;
      range.row.add(3 * t + k % 2, -1);
      range.row.add(3 * t + 2, 1.2 * rng.uniform() - 0.6);
      const double mid = range.row.dot(out.start), half = shape.room_px * (0.5 + rng.uniform());
      range.lo = mid - half;
      range.hi = mid + half;
      out.lp.ranges.push_back(range);
    }
  }
  return out;
}

void expect_optimal(const Program& program, const std::string& what) {
  const BandedL1Solution ipm = solve_banded_l1(program.lp, program.start);
  const double clp = clp_optimum(program.lp);
  EXPECT_NEAR(ipm.objective, clp, 1e-6 * (1 + std::abs(clp))) << what;
  for (const RangeRow& range : program.lp.ranges) {
    const double v = range.row.dot(ipm.p), tolerance = 1e-7 * (range.hi - range.lo);
    ASSERT_GE(v, range.lo - tolerance) << what;
    ASSERT_LE(v, range.hi + tolerance) << what;
  }
}

TEST(BandedL1, ReachesClpsOptimumOnShakyPrograms) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const Shape shape{.frames = seed % 3 == 0 ? 300 : 20 + static_cast<int>(seed) * 7};
    expect_optimal(l1_shaped(shape, seed), "seed " + std::to_string(seed));
  }
}

TEST(BandedL1, ReachesClpsOptimumWhenOptimaTie) {
  // Integer targets: D_k P can meet many of them exactly in more than one way (tied optima).
  for (std::uint64_t seed = 1; seed <= 6; ++seed)
    expect_optimal(l1_shaped({.frames = 120, .integer_targets = true}, seed),
                   "seed " + std::to_string(seed));
}

TEST(BandedL1, ReachesClpsOptimumWhenTheRangesBind) {
  // Rough targets in narrow ranges: most range rows end on a bound.
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const Program p = l1_shaped({.frames = 150, .target_px = 20, .room_px = 0.05}, seed);
    expect_optimal(p, "seed " + std::to_string(seed));
  }
}

TEST(BandedL1, IsDeterministic) {
  const Program p = l1_shaped({.frames = 200}, 7);
  const BandedL1Solution a = solve_banded_l1(p.lp, p.start), b = solve_banded_l1(p.lp, p.start);
  ASSERT_EQ(a.p.size(), b.p.size());
  for (std::size_t i = 0; i < a.p.size(); ++i) ASSERT_EQ(a.p[i], b.p[i]) << i;
  EXPECT_GT(a.iterations, 5);
  EXPECT_LT(a.iterations, 100);
}

TEST(BandedL1, RefusesAMalformedProgram) {
  Program p = l1_shaped({.frames = 10}, 1);
  EXPECT_THROW(solve_banded_l1(p.lp, std::vector<double>(5)), Error);
  p.lp.terms[0].row.index[0] = p.lp.variables;
  EXPECT_THROW(solve_banded_l1(p.lp, p.start), Error);
}

TEST(L1Path, WithNoRoomForTheCropWindowIsTheCamera) {
  const std::vector<Vec3> camera = cumulative(testing::shake_rows(80, 3, 4.0, 2e-3));
  const std::vector<Vec3> path = l1_path(camera, L1Params{}, FrameSize{640, 360}, 1.0);
  ASSERT_EQ(path.size(), camera.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    EXPECT_EQ(path[i].x, camera[i].x) << i;
    EXPECT_EQ(path[i].y, camera[i].y) << i;
    EXPECT_EQ(path[i].a, camera[i].a) << i;
  }
}

}  // namespace
}  // namespace sw::path
