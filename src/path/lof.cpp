// Local Outlier Factor, reproducing scikit-learn 1.2.1's LocalOutlierFactor.fit_predict
// (sklearn/neighbors/_lof.py) on rows (dx, dy, da); the definitions are Breunig et al. 2000,
// "LOF: Identifying Density-Based Local Outliers", sections 3-5:
//
//   N_k(p)         the k nearest rows of p, p itself excluded
//   k-distance(p)  distance from p to its k-th nearest row
//   reach(p, o)    max(k-distance(o), d(p, o))
//   lrd(p)         1 / (mean_{o in N_k(p)} reach(p, o) + 1e-10)   (sklearn's 1e-10 keeps
//                  duplicates finite: a point with k identical copies has lrd 1e10)
//   LOF(p)         mean_{o in N_k(p)} lrd(o) / lrd(p)
//
// Neighbours come from detail::KdTree (exact, ties to the lower row index). sklearn's
// algorithm="auto" uses its own kd_tree (or brute force when k >= n / 2), where ties follow
// the tree layout; ties only matter between distinct rows at exactly equal distance, because
// exact duplicates are interchangeable (same coordinates, same k-distance, same lrd). The
// `many_duplicates` vector (51 identical zero rows, k = 20) checks that.
//
// Self exclusion follows sklearn's KNeighborsMixin.kneighbors(X=None): ask for k + 1
// neighbours and drop the row itself; when more than k rows duplicate it, the row may not be
// among the k + 1 returned (here: when k + 1 of its duplicates have lower indices), and then
// sklearn drops the first one instead. The means use NumPy's pairwise summation (the order
// np.mean uses along a contiguous axis), so results agree with sklearn to the last bit or two.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "path/kd_tree.hpp"
#include "path/path.hpp"

namespace sw::path {
namespace {

// NumPy's pairwise_sum (numpy/core/src/umath/loops_utils.h.src, 1.24): sequential below 8
// values, eight interleaved partial sums up to 128, halving above. Reduction starts from 0.
double numpy_sum(const double* v, std::size_t n) {
  if (n < 8) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += v[i];
    return s;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = v[j];
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8) {
      for (int j = 0; j < 8; ++j) r[j] += v[i + j];
    }
    double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) s += v[i];
    return s;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return numpy_sum(v, half) + numpy_sum(v + half, n - half);
}

double numpy_mean(const std::vector<double>& v) {
  return numpy_sum(v.data(), v.size()) / static_cast<double>(v.size());
}

}  // namespace

std::vector<double> local_outlier_factor(std::span<const Vec3> rows, int k) {
  if (k < 1) throw Error("path", "expected lof n_neighbors >= 1, got " + std::to_string(k));
  const std::size_t n = rows.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3& r = rows[i];
    if (!std::isfinite(r.x) || !std::isfinite(r.y) || !std::isfinite(r.a)) {
      throw Error("path", "expected finite rows for LOF, got a non-finite value in row " +
                              std::to_string(i));
    }
  }
  if (n == 0) return {};
  if (n == 1) return {1.0};
  // sklearn: n_neighbors_ = max(1, min(n_neighbors, n_samples - 1)), with a warning.
  const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), n - 1);

  const detail::KdTree tree(rows);
  std::vector<std::uint32_t> nbr(n * kk);  // row i's neighbours, nearest first
  std::vector<double> dist(n * kk);
  std::vector<detail::Neighbor> found;
  for (const std::uint32_t i : tree.tree_order()) {
    tree.nearest(rows[i], kk + 1, found);
    std::size_t drop = 0;  // sklearn's corner case: not found -> drop the first
    for (std::size_t j = 0; j < found.size(); ++j) {
      if (found[j].index == i) {
        drop = j;
        break;
      }
    }
    std::size_t out = i * kk;
    for (std::size_t j = 0; j < found.size(); ++j) {
      if (j == drop) continue;
      nbr[out] = found[j].index;
      dist[out] = std::sqrt(found[j].d2);
      ++out;
    }
  }

  std::vector<double> k_distance(n);
  for (std::size_t i = 0; i < n; ++i) k_distance[i] = dist[i * kk + kk - 1];
  std::vector<double> lrd(n);
  std::vector<double> tmp(kk);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < kk; ++j) {
      tmp[j] = std::max(dist[i * kk + j], k_distance[nbr[i * kk + j]]);
    }
    lrd[i] = 1.0 / (numpy_mean(tmp) + 1e-10);
  }

  std::vector<double> lof(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < kk; ++j) tmp[j] = lrd[nbr[i * kk + j]] / lrd[i];
    lof[i] = numpy_mean(tmp);
  }
  return lof;
}

}  // namespace sw::path
