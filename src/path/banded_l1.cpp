// Mehrotra's predictor-corrector interior-point method (Nocedal & Wright, "Numerical
// Optimization", 2nd ed., algorithm 14.3; Wright, "Primal-Dual Interior-Point Methods", ch. 10)
// on the LP of banded_l1.hpp written in inequality form (Boyd & Vandenberghe, "Convex
// Optimization", 11.7), z = (p, t):
//
//   minimise sum_i w_i t_i   subject to   a_i.p - t_i <= b_i,  -a_i.p - t_i <= -b_i   (rows A, B)
//                                          g_j.p <= hi_j,        -g_j.p <= -lo_j        (rows U, L)
//
// with slacks s >= 0 (F z + s = h) and multipliers lambda >= 0 (F^T lambda + f = 0). Each
// Newton step needs F^T diag(lambda / s) F dz = rhs. Each t_i appears only in its own two
// rows, so its block is 1x1 and is eliminated (a Schur complement of 4 dA dB / (dA + dB) on
// a_i a_i^T), leaving a system in p alone whose non-zeros lie within the rows' index spans: a
// band matrix, factored by a banded Cholesky in O(n band^2). The same factor serves the
// predictor and the corrector.
//
// The same idea is how Kim, Koh, Boyd and Gorinevsky solve L1 trend filtering ("l1 trend
// filtering", SIAM Review 2009), which is our problem without the crop window.
#include "path/banded_l1.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace sw::path {

double SparseRow::dot(std::span<const double> p) const {
  double s = 0;
  for (int k = 0; k < count; ++k)
    s += coef[static_cast<std::size_t>(k)] *
         p[static_cast<std::size_t>(index[static_cast<std::size_t>(k)])];
  return s;
}

namespace {

constexpr int kMaxIterations = 200;
constexpr double kGapTolerance = 1e-9;  // duality gap / (1 + |objective|)
// If the iterates stop improving (kStallIterations without a better one), the best is taken
// when its relative gap is below this; an objective within 1e-7 of the optimum is far closer
// than any difference the path can show.
constexpr double kAcceptableGap = 1e-7;
constexpr int kStallIterations = 8;
// Still creeping at the iteration limit (seen on footage with a strong --drift: the gap was
// 3e-7 after 200 iterations): the best iterate is taken up to this gap. An objective within
// 1e-5 of the optimum moves the path by far less than a pixel's hundredth.
constexpr double kLastResortGap = 1e-5;
constexpr double kPrimalTolerance = 1e-9;  // primal residuals / (1 + |right-hand sides|)
// Dual residuals / (1 + the largest weight). Looser: near the optimum the multipliers of the
// active rows over their slacks reach 1e12 and more, so the dual step is computed with
// cancellation and its residual stalls around 1e-6 of a weight while the gap and the primal
// residual keep falling. The primal iterate is what we use; tests/path/banded_l1_test.cpp
// checks its objective against CLP's optimum.
constexpr double kDualTolerance = 1e-5;
constexpr double kStepFraction = 0.995;  // of the step to the boundary

// A symmetric positive definite matrix with `band` sub-diagonals: entry (i, j), j <= i <= j +
// band, at i * (band + 1) + band - (i - j). Factored in place into its Cholesky factor.
class BandMatrix {
 public:
  BandMatrix(int n, int band)
      : n_(n), band_(band), a_(static_cast<std::size_t>(n) * static_cast<std::size_t>(band + 1)) {}

  void clear() { std::fill(a_.begin(), a_.end(), 0.0); }

  // += c * row row^T
  void add_outer(const SparseRow& row, double c) {
    for (int k = 0; k < row.count; ++k) {
      const auto uk = static_cast<std::size_t>(k);
      for (int l = 0; l < row.count; ++l) {
        const auto ul = static_cast<std::size_t>(l);
        if (row.index[ul] <= row.index[uk])
          at(row.index[uk], row.index[ul]) += c * row.coef[uk] * row.coef[ul];
      }
    }
  }

  // L L^T. A pivot that rounding has made tiny or negative (a direction the active
  // constraints pin down almost exactly) is replaced by a huge one, so that the solution's
  // component along it is ~0: the standard safeguard of interior-point codes (Wright, ch. 11).
  void factor() {
    for (int i = 0; i < n_; ++i) {
      const int first = std::max(0, i - band_);
      for (int j = first; j <= i; ++j) {
        double s = at(i, j);
        for (int k = first; k < j; ++k) s -= at(i, k) * at(j, k);
        if (j < i) {
          at(i, j) = s / at(j, j);
        } else {
          const double diagonal = at(i, i);
          at(i, i) = s > 1e-14 * diagonal && s > 0 ? std::sqrt(s) : 1e64;
        }
      }
    }
  }

  // x = (L L^T)^-1 x
  void solve(std::vector<double>& x) const {
    for (int i = 0; i < n_; ++i) {
      double s = x[static_cast<std::size_t>(i)];
      for (int k = std::max(0, i - band_); k < i; ++k)
        s -= at(i, k) * x[static_cast<std::size_t>(k)];
      x[static_cast<std::size_t>(i)] = s / at(i, i);
    }
    for (int i = n_ - 1; i >= 0; --i) {
      double s = x[static_cast<std::size_t>(i)];
      for (int k = i + 1; k <= std::min(n_ - 1, i + band_); ++k)
        s -= at(k, i) * x[static_cast<std::size_t>(k)];
      x[static_cast<std::size_t>(i)] = s / at(i, i);
    }
  }

 private:
  double& at(int i, int j) {
    return a_[static_cast<std::size_t>(i) * static_cast<std::size_t>(band_ + 1) +
              static_cast<std::size_t>(band_ - (i - j))];
  }
  double at(int i, int j) const {
    return a_[static_cast<std::size_t>(i) * static_cast<std::size_t>(band_ + 1) +
              static_cast<std::size_t>(band_ - (i - j))];
  }

  int n_, band_;
  std::vector<double> a_;
};

int band_of(const BandedL1& lp) {
  int band = 0;
  const auto span_of = [&](const SparseRow& row) {
    if (row.count == 0) return;
    const auto [lo, hi] = std::minmax_element(row.index.begin(), row.index.begin() + row.count);
    if (*lo < 0 || *hi >= lp.variables) {
      throw Error("path", "expected the L1 program's rows to index its " +
                              std::to_string(lp.variables) + " variables, got index " +
                              std::to_string(*lo < 0 ? *lo : *hi));
    }
    band = std::max(band, *hi - *lo);
  };
  for (const AbsTerm& term : lp.terms) span_of(term.row);
  for (const RangeRow& range : lp.ranges) span_of(range.row);
  return band;
}

// One row pair's primal slack s and multiplier lambda, for the rows (A, B) of a term or
// (U, L) of a range.
struct Pair {
  double s1 = 0, s2 = 0, l1 = 0, l2 = 0;
};

// The iterate, the Newton direction and the residuals share this layout.
struct State {
  std::vector<double> p, t;
  std::vector<Pair> terms, ranges;
};

// v += c row
void add_scaled(std::vector<double>& v, const SparseRow& row, double c) {
  for (int k = 0; k < row.count; ++k) {
    const auto uk = static_cast<std::size_t>(k);
    v[static_cast<std::size_t>(row.index[uk])] += c * row.coef[uk];
  }
}

// Largest step in [0, 1] keeping v + step dv >= 0.
double max_step(double v, double dv, double step) {
  return dv < 0 ? std::min(step, -v / dv) : step;
}

}  // namespace

BandedL1Solution solve_banded_l1(const BandedL1& lp, std::span<const double> start) {
  const int n = lp.variables;
  if (static_cast<int>(start.size()) != n) {
    throw Error("path", "expected a start of " + std::to_string(n) +
                            " values for the L1 program, got " + std::to_string(start.size()));
  }
  // Before any row is evaluated: band_of() is also the check that every index is in range.
  const int band = band_of(lp);
  const std::size_t nt = lp.terms.size(), nr = lp.ranges.size();
  const double rows = 2.0 * static_cast<double>(nt + nr);
  BandedL1Solution out;
  out.p.assign(start.begin(), start.end());
  if (n == 0 || rows == 0) return out;

  // Scales for the stopping rule: the right-hand sides and the weights.
  double h_scale = 0, w_scale = 0;
  for (const AbsTerm& term : lp.terms) {
    h_scale = std::max(h_scale, std::abs(term.target));
    w_scale = std::max(w_scale, term.weight);
  }
  for (const RangeRow& range : lp.ranges)
    h_scale = std::max({h_scale, std::abs(range.lo), std::abs(range.hi)});

  // Start: p as given, each t_i 1 above its |residual| (slacks >= 1) with multipliers w_i / 2
  // (so t's dual rows hold exactly), and each range's multipliers at the terms' mean
  // complementarity over its slacks (centred; a slack below 1e-3, a start on or outside the
  // range, is lifted to 1e-3 and the primal residual carries the difference).
  State x;
  x.p = out.p;
  x.t.resize(nt);
  x.terms.resize(nt);
  x.ranges.resize(nr);
  double mu0 = 0;
  for (std::size_t i = 0; i < nt; ++i) {
    const AbsTerm& term = lp.terms[i];
    const double r = term.row.dot(x.p) - term.target;
    x.t[i] = std::abs(r) + 1;
    x.terms[i] = {x.t[i] - r, x.t[i] + r, term.weight / 2, term.weight / 2};
    mu0 += (x.terms[i].s1 + x.terms[i].s2) * term.weight / 2;
  }
  mu0 = nt > 0 ? mu0 / (2.0 * static_cast<double>(nt)) : 1.0;
  for (std::size_t j = 0; j < nr; ++j) {
    const RangeRow& range = lp.ranges[j];
    const double g = range.row.dot(x.p);
    const double su = std::max(1e-3, range.hi - g), sl = std::max(1e-3, g - range.lo);
    x.ranges[j] = {su, sl, mu0 / su, mu0 / sl};
  }

  BandMatrix matrix(n, band);
  State res, step, affine;  // residuals (r_p in the pairs' s, r_d in p and t), directions
  res.p.resize(static_cast<std::size_t>(n));
  res.t.resize(nt);
  res.terms.resize(nt);
  res.ranges.resize(nr);
  step = res;
  affine = res;
  std::vector<double> rhs(static_cast<std::size_t>(n));
  // Per row pair: e = (r_c + lambda r_p) / s and d = lambda / s (the part of the Newton system
  // that the predictor and the corrector do not share is r_c, the complementarity target).
  std::vector<Pair> e_terms(nt), e_ranges(nr);

  // Solves for the direction whose complementarity targets, per row pair, rc_term(i) and
  // rc_range(j) give; the matrix must be factored for the current iterate.
  const auto direction = [&](State& d, auto&& rc_term, auto&& rc_range) {
    std::fill(rhs.begin(), rhs.end(), 0.0);
    for (std::size_t i = 0; i < nt; ++i) {
      const Pair& v = x.terms[i];
      const Pair& r = res.terms[i];
      const auto [c1, c2] = rc_term(i);
      const double e1 = (c1 + v.l1 * r.s1) / v.s1, e2 = (c2 + v.l2 * r.s2) / v.s2;
      const double d1 = v.l1 / v.s1, d2 = v.l2 / v.s2;
      const double rho = -res.t[i] + e1 + e2;
      // p's right-hand side: -(e1 - e2) a - (d2 - d1) rho / (d1 + d2) a
      const double coef = -(e1 - e2) - (d2 - d1) * rho / (d1 + d2);
      const SparseRow& a = lp.terms[i].row;
      add_scaled(rhs, a, coef);
      e_terms[i] = {e1, e2, d1, d2};
    }
    for (std::size_t j = 0; j < nr; ++j) {
      const Pair& v = x.ranges[j];
      const Pair& r = res.ranges[j];
      const auto [c1, c2] = rc_range(j);
      const double e1 = (c1 + v.l1 * r.s1) / v.s1, e2 = (c2 + v.l2 * r.s2) / v.s2;
      const SparseRow& g = lp.ranges[j].row;
      add_scaled(rhs, g, -(e1 - e2));
      e_ranges[j] = {e1, e2, v.l1 / v.s1, v.l2 / v.s2};
    }
    for (int k = 0; k < n; ++k)
      rhs[static_cast<std::size_t>(k)] -= res.p[static_cast<std::size_t>(k)];
    matrix.solve(rhs);
    d.p = rhs;
    for (std::size_t i = 0; i < nt; ++i) {
      const auto [e1, e2, d1, d2] = e_terms[i];
      const double rho = -res.t[i] + e1 + e2;
      const double adp = lp.terms[i].row.dot(d.p);
      d.t[i] = (rho - (d2 - d1) * adp) / (d1 + d2);
      const double f1 = adp - d.t[i], f2 = -adp - d.t[i];  // F dz on rows A, B
      d.terms[i] = {-res.terms[i].s1 - f1, -res.terms[i].s2 - f2, e1 + d1 * f1, e2 + d2 * f2};
    }
    for (std::size_t j = 0; j < nr; ++j) {
      const auto [e1, e2, d1, d2] = e_ranges[j];
      const double gdp = lp.ranges[j].row.dot(d.p);
      d.ranges[j] = {-res.ranges[j].s1 - gdp, -res.ranges[j].s2 + gdp, e1 + d1 * gdp,
                     e2 - d2 * gdp};
    }
  };
  // The longest steps (primal, dual) along d that keep s and lambda non-negative.
  const auto steps = [&](const State& d) {
    double sp = 1, sd = 1;
    const auto visit = [&](const Pair& v, const Pair& dv) {
      sp = max_step(v.s1, dv.s1, max_step(v.s2, dv.s2, sp));
      sd = max_step(v.l1, dv.l1, max_step(v.l2, dv.l2, sd));
    };
    for (std::size_t i = 0; i < nt; ++i) visit(x.terms[i], d.terms[i]);
    for (std::size_t j = 0; j < nr; ++j) visit(x.ranges[j], d.ranges[j]);
    return std::pair{sp, sd};
  };

  double best_gap = std::numeric_limits<double>::infinity();
  int best_iteration = 0;
  for (int iteration = 0;; ++iteration) {
    // Residuals: r_d = f + F^T lambda (p and t parts), r_p = F z + s - h (per row).
    std::fill(res.p.begin(), res.p.end(), 0.0);
    double gap = 0, objective = 0, rp_max = 0, rd_max = 0;
    for (std::size_t i = 0; i < nt; ++i) {
      const AbsTerm& term = lp.terms[i];
      const Pair& v = x.terms[i];
      const SparseRow& a = term.row;
      add_scaled(res.p, a, v.l1 - v.l2);
      res.t[i] = term.weight - v.l1 - v.l2;
      const double ap = a.dot(x.p);
      res.terms[i] = {ap - x.t[i] + v.s1 - term.target, -ap - x.t[i] + v.s2 + term.target, 0, 0};
      gap += v.s1 * v.l1 + v.s2 * v.l2;
      objective += term.weight * x.t[i];
      rp_max = std::max({rp_max, std::abs(res.terms[i].s1), std::abs(res.terms[i].s2)});
      rd_max = std::max(rd_max, std::abs(res.t[i]));
    }
    for (std::size_t j = 0; j < nr; ++j) {
      const RangeRow& range = lp.ranges[j];
      const Pair& v = x.ranges[j];
      const SparseRow& g = range.row;
      add_scaled(res.p, g, v.l1 - v.l2);
      const double gp = g.dot(x.p);
      res.ranges[j] = {gp + v.s1 - range.hi, -gp + v.s2 + range.lo, 0, 0};
      gap += v.s1 * v.l1 + v.s2 * v.l2;
      rp_max = std::max({rp_max, std::abs(res.ranges[j].s1), std::abs(res.ranges[j].s2)});
    }
    for (const double r : res.p) rd_max = std::max(rd_max, std::abs(r));
    // The best iterate so far by relative gap, among those with small residuals: the answer
    // if the method stalls once the gap is already small (see kDualTolerance).
    const double relative_gap = gap / (1 + std::abs(objective));
    const bool residuals_small =
        rp_max <= kPrimalTolerance * (1 + h_scale) && rd_max <= kDualTolerance * (1 + w_scale);
    if (residuals_small && relative_gap < best_gap) {
      best_gap = relative_gap;
      best_iteration = iteration;
      out.p = x.p;
      out.iterations = iteration;
    }
    if (residuals_small && relative_gap <= kGapTolerance) break;
    const bool stalled =
        (best_gap <= kAcceptableGap && iteration - best_iteration >= kStallIterations) ||
        iteration == kMaxIterations || !std::isfinite(gap) || !std::isfinite(rd_max);
    if (stalled) {
      if (best_gap <= kAcceptableGap) break;
      if (iteration == kMaxIterations && best_gap <= kLastResortGap) break;
      char gap_text[32];
      std::snprintf(gap_text, sizeof gap_text, "%.3g", best_gap);
      throw Error("path",
                  std::string("expected the L1 path's linear program to converge, got a relative "
                              "duality gap of ") +
                      gap_text + " after " + std::to_string(iteration) + " iterations");
    }
    const double mu = gap / rows;

    matrix.clear();
    for (std::size_t i = 0; i < nt; ++i) {
      const Pair& v = x.terms[i];
      // 4 d1 d2 / (d1 + d2) with d = lambda / s, written so that neither side overflows.
      matrix.add_outer(lp.terms[i].row, 4 / (v.s1 / v.l1 + v.s2 / v.l2));
    }
    for (std::size_t j = 0; j < nr; ++j) {
      const Pair& v = x.ranges[j];
      matrix.add_outer(lp.ranges[j].row, v.l1 / v.s1 + v.l2 / v.s2);
    }
    matrix.factor();

    // Predictor: the affine-scaling direction (complementarity target 0).
    direction(
        affine,
        [&](std::size_t i) {
          return std::pair{-x.terms[i].s1 * x.terms[i].l1, -x.terms[i].s2 * x.terms[i].l2};
        },
        [&](std::size_t j) {
          return std::pair{-x.ranges[j].s1 * x.ranges[j].l1, -x.ranges[j].s2 * x.ranges[j].l2};
        });
    // Plain variables, not a structured binding: clang 14 cannot capture those in a lambda.
    const auto affine_steps = steps(affine);
    const double ap = affine_steps.first, ad = affine_steps.second;
    double mu_affine = 0;
    const auto affine_gap = [&](const Pair& v, const Pair& d) {
      mu_affine +=
          (v.s1 + ap * d.s1) * (v.l1 + ad * d.l1) + (v.s2 + ap * d.s2) * (v.l2 + ad * d.l2);
    };
    for (std::size_t i = 0; i < nt; ++i) affine_gap(x.terms[i], affine.terms[i]);
    for (std::size_t j = 0; j < nr; ++j) affine_gap(x.ranges[j], affine.ranges[j]);
    mu_affine /= rows;
    const double sigma_mu = std::pow(mu_affine / mu, 3) * mu;

    // Corrector: centre at sigma mu and cancel the predictor's second-order term.
    const auto target = [&](const Pair& v, const Pair& d) {
      return std::pair{sigma_mu - v.s1 * v.l1 - d.s1 * d.l1, sigma_mu - v.s2 * v.l2 - d.s2 * d.l2};
    };
    direction(
        step, [&](std::size_t i) { return target(x.terms[i], affine.terms[i]); },
        [&](std::size_t j) { return target(x.ranges[j], affine.ranges[j]); });
    const auto full_steps = steps(step);
    const double sp = std::min(1.0, kStepFraction * full_steps.first);
    const double sd = std::min(1.0, kStepFraction * full_steps.second);
    for (int k = 0; k < n; ++k)
      x.p[static_cast<std::size_t>(k)] += sp * step.p[static_cast<std::size_t>(k)];
    const auto move = [&](Pair& v, const Pair& d) {
      v.s1 += sp * d.s1;
      v.s2 += sp * d.s2;
      v.l1 += sd * d.l1;
      v.l2 += sd * d.l2;
    };
    for (std::size_t i = 0; i < nt; ++i) {
      x.t[i] += sp * step.t[i];
      move(x.terms[i], step.terms[i]);
    }
    for (std::size_t j = 0; j < nr; ++j) move(x.ranges[j], step.ranges[j]);
  }

  for (const AbsTerm& term : lp.terms)
    out.objective += term.weight * std::abs(term.row.dot(out.p) - term.target);
  return out;
}

}  // namespace sw::path
