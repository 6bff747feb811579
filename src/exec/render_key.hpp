// The key a store's finished render pieces are kept under: a hash of everything a piece's
// bytes depend on besides the input (a store holds one input): the whole WarpParams and
// EncodeOptions (their canonical JSON, core/param_codec.hpp), the segment plan, the
// corrections, the full-frame path and the build. A resumed run reuses pieces only under the
// same key.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/types.hpp"
#include "exec/segment_plan.hpp"
#include "io/encode_options.hpp"
#include "render/warp.hpp"

namespace sw::exec {

// What full frame (warp.fill_radius > 0) renders from besides the corrections, one per frame:
// the camera path and the cuts (see RenderRun in exec/render_runner.hpp).
struct FillPath {
  std::span<const Transform2D> camera;
  std::span<const std::uint8_t> cut;
};

struct RenderKey {
  const render::WarpParams& warp;
  const io::EncodeOptions& encode;
  const SegmentPlan& plan;
  std::span<const Transform2D> corrections;
  FillPath fill;      // empty unless warp.fill_radius > 0
  std::string build;  // core/build_id.hpp
};

std::string render_key(const RenderKey& key);

}  // namespace sw::exec
