// The linear program behind the L1 path, in the one shape it has, and a solver made for it.
//
//   minimise  sum_i w_i |a_i . p - b_i|   subject to  lo_j <= g_j . p <= hi_j   (every j)
//
// Every a_i and g_j touches at most 4 entries of p, all within a few places of each other
// (a frame's own values and its neighbours'), so the interior-point method's Newton systems
// are banded: each iteration costs O(variables), and a 300-frame window takes ~40 of them.
// A general simplex solver takes ~27 pivots a frame on these LPs (CLP: ~1 s per 300 frames);
// this takes milliseconds. See banded_l1.cpp.
#pragma once

#include <array>
#include <span>
#include <vector>

namespace sw::path {

// Up to 4 (index, coefficient) pairs: one row of the LP.
struct SparseRow {
  std::array<int, 4> index{};
  std::array<double, 4> coef{};
  int count = 0;

  void add(int i, double c) {
    index[static_cast<std::size_t>(count)] = i;
    coef[static_cast<std::size_t>(count)] = c;
    ++count;
  }
  double dot(std::span<const double> p) const;
};

struct AbsTerm {  // weight |row . p - target|
  SparseRow row;
  double target = 0;
  double weight = 0;
};

struct RangeRow {  // lo <= row . p <= hi, lo < hi
  SparseRow row;
  double lo = 0;
  double hi = 0;
};

struct BandedL1 {
  int variables = 0;
  std::vector<AbsTerm> terms;
  std::vector<RangeRow> ranges;
};

struct BandedL1Solution {
  std::vector<double> p;
  double objective = 0;  // sum_i w_i |a_i . p - b_i| at p
  int iterations = 0;
};

// Solves `lp` starting from `start` (inside every range, ideally at their middles). The result
// is optimal to a relative duality gap of 1e-9 (1e-7 if the iterates stall first, which
// rounding can make them do near the optimum) and inside every range to rounding.
// Deterministic: a fixed sequence of floating-point operations, so the same problem gives the
// same bits on any thread. Throws sw::Error if the problem is infeasible or the method stalls.
BandedL1Solution solve_banded_l1(const BandedL1& lp, std::span<const double> start);

}  // namespace sw::path
