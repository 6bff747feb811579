#include "core/types.hpp"

namespace sw {

const char* to_string(MotionStatus s) {
  switch (s) {
    case MotionStatus::ok:
      return "ok";
    case MotionStatus::no_features:
      return "no_features";
    case MotionStatus::too_few_tracks:
      return "too_few_tracks";
    case MotionStatus::fit_failed:
      return "fit_failed";
    case MotionStatus::first_frame:
      return "first_frame";
    case MotionStatus::missing_frame:
      return "missing_frame";
  }
  return "unknown";
}

}  // namespace sw
