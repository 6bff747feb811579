// Build: split the node's box on its widest axis at the median, the median taken under the
// total order (coordinate, row index) so that even a node of identical points splits in
// half (depth stays O(log n)) and the tree is the same with any standard library.
// Query: depth first, nearer child first, keeping the k best so far in a sorted list; a node
// is visited only if it could hold something `closer` than the current k-th best.
// Pruning is exact in floating point: rounding is monotone, so the box distance computed
// here is never above the computed distance of any point inside the box.
#include "path/kd_tree.hpp"

#include <algorithm>
#include <limits>

#include "core/error.hpp"

namespace sw::path::detail {
namespace {

double coord(const Vec3& p, int axis) {
  return axis == 0 ? p.x : (axis == 1 ? p.y : p.a);
}

// Squared distance from q to the box [lo, hi], summed in the same order as squared_distance.
inline double box_distance(const Vec3& lo, const Vec3& hi, const Vec3& q) {
  auto gap = [](double l, double h, double v) { return v < l ? l - v : (v > h ? v - h : 0.0); };
  const double gx = gap(lo.x, hi.x, q.x);
  const double gy = gap(lo.y, hi.y, q.y);
  const double ga = gap(lo.a, hi.a, q.a);
  return gx * gx + gy * gy + ga * ga;
}

}  // namespace

KdTree::KdTree(std::span<const Vec3> points, std::uint32_t leaf_size) {
  if (points.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw Error("path", "expected fewer than 2^32 rows for the k-d tree, got " +
                            std::to_string(points.size()));
  }
  items_.resize(points.size());
  for (std::uint32_t i = 0; i < items_.size(); ++i) items_[i] = {points[i], i};
  if (points.empty()) return;
  nodes_.reserve(2 * (points.size() / std::max<std::uint32_t>(leaf_size, 1) + 1));
  build(0, static_cast<std::uint32_t>(points.size()), std::max<std::uint32_t>(leaf_size, 1));
}

std::int32_t KdTree::build(std::uint32_t begin, std::uint32_t end, std::uint32_t leaf_size) {
  Node node;
  node.begin = begin;
  node.end = end;
  node.lo = node.hi = items_[begin].p;
  node.min_index = items_[begin].index;
  for (std::uint32_t i = begin + 1; i < end; ++i) {
    const Vec3& p = items_[i].p;
    node.lo = {std::min(node.lo.x, p.x), std::min(node.lo.y, p.y), std::min(node.lo.a, p.a)};
    node.hi = {std::max(node.hi.x, p.x), std::max(node.hi.y, p.y), std::max(node.hi.a, p.a)};
    node.min_index = std::min(node.min_index, items_[i].index);
  }
  const auto id = static_cast<std::int32_t>(nodes_.size());
  nodes_.push_back(node);
  if (end - begin <= leaf_size) return id;

  const double spread[3] = {node.hi.x - node.lo.x, node.hi.y - node.lo.y, node.hi.a - node.lo.a};
  const int axis = static_cast<int>(std::max_element(spread, spread + 3) - spread);

  const std::uint32_t mid = (end - begin) / 2;
  std::nth_element(items_.begin() + begin, items_.begin() + begin + mid, items_.begin() + end,
                   [axis](const Item& l, const Item& r) {
                     const double cl = coord(l.p, axis);
                     const double cr = coord(r.p, axis);
                     return cl < cr || (cl == cr && l.index < r.index);
                   });

  const std::int32_t left = build(begin, begin + mid, leaf_size);
  const std::int32_t right = build(begin + mid, end, leaf_size);
  nodes_[id].left = left;
  nodes_[id].right = right;
  return id;
}

void KdTree::search(std::int32_t id, const Vec3& q, std::size_t k,
                    std::vector<Neighbor>& best) const {
  const Node& n = nodes_[id];
  if (n.left < 0) {
    for (std::uint32_t i = n.begin; i < n.end; ++i) {
      const Neighbor c{squared_distance(items_[i].p, q), items_[i].index};
      if (best.size() == k) {
        if (!closer(c, best.back())) continue;
        best.pop_back();
      }
      // Insertion into the sorted list: k is small (LOF uses ~20), so this beats a heap.
      best.push_back(c);
      for (std::size_t j = best.size() - 1; j > 0 && closer(c, best[j - 1]); --j) {
        std::swap(best[j], best[j - 1]);
      }
    }
    return;
  }
  std::int32_t first = n.left;
  std::int32_t second = n.right;
  double d_first = box_distance(nodes_[first].lo, nodes_[first].hi, q);
  double d_second = box_distance(nodes_[second].lo, nodes_[second].hi, q);
  if (d_second < d_first) {
    std::swap(first, second);
    std::swap(d_first, d_second);
  }
  // A child can only help if its best possible (box distance, smallest index) beats the k-th.
  auto worth = [&](std::int32_t child, double d) {
    return best.size() < k || closer(Neighbor{d, nodes_[child].min_index}, best.back());
  };
  if (worth(first, d_first)) search(first, q, k, best);
  if (worth(second, d_second)) search(second, q, k, best);
}

std::vector<std::uint32_t> KdTree::tree_order() const {
  std::vector<std::uint32_t> order(items_.size());
  for (std::size_t i = 0; i < items_.size(); ++i) order[i] = items_[i].index;
  return order;
}

void KdTree::nearest(const Vec3& q, std::size_t k, std::vector<Neighbor>& out) const {
  out.clear();
  if (k == 0 || nodes_.empty()) return;
  search(0, q, std::min(k, items_.size()), out);
}

}  // namespace sw::path::detail
