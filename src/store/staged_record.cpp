#include "store/staged_record.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "store/zarr_array.hpp"

namespace sw::store {
namespace {

constexpr std::uint64_t kColumns = 11;
constexpr std::uint64_t kColumnsBeforePictureDiff = 10;
constexpr std::uint64_t kColumnsBeforeSceneScore = 9;

bool is_count(double v) {
  return v >= 0 && v <= std::numeric_limits<std::int32_t>::max() && v == std::floor(v);
}

bool is_status(double v) {
  return v >= static_cast<int>(MotionStatus::ok) &&
         v <= static_cast<int>(MotionStatus::missing_frame) && v == std::floor(v);
}

}  // namespace

void write_staged_record(const std::shared_ptr<Backend>& backend, const std::string& path,
                         const StagedMotions& staged) {
  const std::uint64_t rows = std::max<std::size_t>(1, staged.motions.size());
  const Array array =
      Array::create(backend, path, ArrayMeta::make({rows, kColumns}, {rows, kColumns}, "<f8"));
  std::vector<double> values(rows * kColumns, 0.0);
  for (std::size_t i = 0; i < staged.motions.size(); ++i) {
    const Motion& m = staged.motions[i];
    const double row[kColumns] = {static_cast<double>(staged.first + static_cast<std::int64_t>(i)),
                                  m.dx,
                                  m.dy,
                                  m.da,
                                  m.scale,
                                  double(m.corners),
                                  double(m.tracked),
                                  double(m.inliers),
                                  double(static_cast<int>(m.status)),
                                  m.scene_score,
                                  m.picture_diff};
    std::copy(row, row + kColumns, values.begin() + static_cast<std::ptrdiff_t>(i * kColumns));
  }
  if (staged.motions.empty()) values[0] = -1;
  array.write_all<double>(values);
}

StagedMotions read_staged_record(const std::shared_ptr<Backend>& backend, const std::string& path,
                                 std::int64_t first, std::int64_t count) {
  const std::string subject = backend->describe(path);
  const auto refuse = [&](const std::string& problem) {
    throw Error(subject, "damaged staged record (" + problem + ")");
  };
  const Array array = Array::open(backend, path);
  const ArrayMeta& meta = array.meta();
  const std::uint64_t rows = std::max<std::int64_t>(1, count);
  if (meta.dtype != "<f8" || meta.shape.size() != 2 || meta.shape[0] != rows ||
      (meta.shape[1] != kColumns && meta.shape[1] != kColumnsBeforePictureDiff &&
       meta.shape[1] != kColumnsBeforeSceneScore)) {
    std::string shape;
    for (const auto d : meta.shape) shape += (shape.empty() ? "" : ", ") + std::to_string(d);
    refuse("expected shape (" + std::to_string(rows) + ", 11) of <f8, got (" + shape + ") of " +
           meta.dtype);
  }
  const std::size_t columns = static_cast<std::size_t>(meta.shape[1]);
  const std::vector<double> values = array.read_all<double>();
  StagedMotions staged;
  staged.first = first;
  if (count == 0) {
    if (values[0] != -1)
      refuse("expected the empty-segment mark -1, got " + std::to_string(values[0]));
    return staged;
  }
  staged.motions.resize(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < staged.motions.size(); ++i) {
    const double* r = &values[i * columns];
    const std::string row = "row " + std::to_string(i);
    if (r[0] != static_cast<double>(first + static_cast<std::int64_t>(i))) {
      refuse(row + ": expected frame " + std::to_string(first + static_cast<std::int64_t>(i)) +
             ", got " + std::to_string(r[0]));
    }
    if (!is_count(r[5]) || !is_count(r[6]) || !is_count(r[7])) {
      refuse(row + ": expected non-negative integer feature counts");
    }
    if (!is_status(r[8])) refuse(row + ": expected a status 0..5, got " + std::to_string(r[8]));
    Motion& m = staged.motions[i];
    m.dx = r[1], m.dy = r[2], m.da = r[3], m.scale = r[4];
    m.corners = static_cast<std::int32_t>(r[5]);
    m.tracked = static_cast<std::int32_t>(r[6]);
    m.inliers = static_cast<std::int32_t>(r[7]);
    m.status = static_cast<MotionStatus>(static_cast<int>(r[8]));
    if (m.valid() && !(std::isfinite(m.dx) && std::isfinite(m.dy) && std::isfinite(m.da) &&
                       std::isfinite(m.scale))) {
      refuse(row + ": expected a finite motion for a measured pair");
    }
    const double unknown = std::numeric_limits<double>::quiet_NaN();
    m.scene_score = columns > kColumnsBeforeSceneScore ? r[9] : unknown;
    if (!std::isnan(m.scene_score) && !(m.scene_score >= 0 && m.scene_score <= 1)) {
      refuse(row + ": expected a scene score in [0, 1], got " + std::to_string(m.scene_score));
    }
    m.picture_diff = columns > kColumnsBeforePictureDiff ? r[10] : unknown;
    if (!std::isnan(m.picture_diff) && !(m.picture_diff >= 0 && m.picture_diff <= 255)) {
      refuse(row + ": expected a picture difference in [0, 255], got " +
             std::to_string(m.picture_diff));
    }
  }
  return staged;
}

}  // namespace sw::store
