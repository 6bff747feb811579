// A small exact k-d tree over 3-D points, for the k-nearest-neighbour queries of LOF.
//
// "Exact" means the answer does not depend on the tree's shape: the k nearest are the k
// smallest (squared distance, row index) pairs, compared lexicographically, so ties at equal
// distance go to the lower row index. That makes the result identical to a brute-force scan
// (tests compare the two), independent of the standard library's nth_element, and keeps
// clips with many identical rows (a static camera: thousands of exact zeros) O(log n) per
// query, because a subtree whose smallest row index is above the current k-th is pruned.
// Internal to the path stage.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "path/path.hpp"

namespace sw::path::detail {

struct Neighbor {
  double d2 = 0;  // squared Euclidean distance, summed x, y, a in that order (as sklearn)
  std::uint32_t index = 0;
};

// Strict total order used for every neighbour decision (a function object, so that the
// heap operations inline it).
struct Closer {
  bool operator()(const Neighbor& l, const Neighbor& r) const {
    return l.d2 < r.d2 || (l.d2 == r.d2 && l.index < r.index);
  }
};
inline constexpr Closer closer{};

// Squared distance as sklearn's DistanceMetric computes it: ((0 + dx^2) + dy^2) + da^2.
inline double squared_distance(const Vec3& p, const Vec3& q) {
  const double dx = p.x - q.x;
  const double dy = p.y - q.y;
  const double da = p.a - q.a;
  return dx * dx + dy * dy + da * da;
}

class KdTree {
 public:
  // Keeps a reordered copy of the points. Throws sw::Error for 2^32 - 1 points or more.
  explicit KdTree(std::span<const Vec3> points, std::uint32_t leaf_size = 16);

  // The k nearest points to q (q's own row included, if q is a row), ascending by `closer`.
  // `out` is reused between calls to avoid allocation; k <= size().
  void nearest(const Vec3& q, std::size_t k, std::vector<Neighbor>& out) const;

  std::size_t size() const { return items_.size(); }

  // Row indices in tree order: querying in this order keeps the nodes a query touches in
  // cache (neighbouring queries touch the same nodes). The answers do not depend on it.
  std::vector<std::uint32_t> tree_order() const;

 private:
  struct Node {
    Vec3 lo, hi;              // bounding box of the node's points
    std::uint32_t begin = 0;  // items_[begin, end)
    std::uint32_t end = 0;
    std::uint32_t min_index = 0;  // smallest original row index below this node
    std::int32_t left = -1;       // children, -1 for a leaf
    std::int32_t right = -1;
  };

  std::int32_t build(std::uint32_t begin, std::uint32_t end, std::uint32_t leaf_size);
  void search(std::int32_t node, const Vec3& q, std::size_t k, std::vector<Neighbor>& heap) const;

  struct Item {
    Vec3 p;
    std::uint32_t index = 0;  // original row
  };
  std::vector<Item> items_;  // the points, in tree order
  std::vector<Node> nodes_;
};

}  // namespace sw::path::detail
