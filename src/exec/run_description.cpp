#include "exec/run_description.hpp"

#include <array>
#include <filesystem>
#include <string_view>

#include "core/build_id.hpp"
#include "core/error.hpp"
#include "motion/motion_params_json.hpp"
#include "path/path_params_json.hpp"

namespace sw::exec {

namespace {

namespace fs = std::filesystem;

struct NamedCompressor {
  std::string_view name;
  store::Compressor (*make)();
};

const std::array<NamedCompressor, 4> kCompressors = {{
    {"blosc-lz4", [] { return store::Compressor::blosc(); }},
    {"blosc-zstd", [] { return store::Compressor::blosc("zstd"); }},
    {"zstd", [] { return store::Compressor::zstd(); }},
    {"none", [] { return store::Compressor::none(); }},
}};

store::Compressor compressor_named(const std::string& name) {
  for (const auto& c : kCompressors)
    if (c.name == name) return c.make();
  throw Error("--store-compressor", "unknown compressor '" + name + "'", ExitCode::usage);
}

nlohmann::json input_description(const Prepared& run) {
  const VideoInfo& v = run.info;
  return {{"name", fs::path(run.input).filename().string()},
          {"path", run.input},
          {"size", run.source->size()},
          {"fingerprint", run.source->fingerprint()},
          {"kind", run.source->kind()},
          {"width", v.width},
          {"height", v.height},
          {"pix_fmt", v.pix_fmt},
          {"codec", v.codec},
          {"bit_depth", v.bit_depth},
          {"time_base", {run.index.time_base.num, run.index.time_base.den}},
          {"avg_frame_rate", {v.avg_frame_rate.num, v.avg_frame_rate.den}},
          {"frames", static_cast<std::int64_t>(run.index.size())},
          {"duration_s", v.duration_s},
          {"rotation_deg", v.rotation_deg},
          {"variable_frame_rate", v.variable_frame_rate},
          {"stillwater_version", SW_VERSION_STRING},
          {"stillwater_build", std::string(build_id())}};
}

}  // namespace

store::RunDescription run_description(const Prepared& run, const RunOptions& options) {
  nlohmann::json analysis = to_json_fields(options.motion);
  analysis["deblock"] = options.analysis_deblock;
  store::RunDescription description{
      input_description(run), analysis,
      options.keep_stored_path ? nlohmann::json() : to_json_fields(options.path)};
  description.compressor = compressor_named(options.store_compressor);
  return description;
}

std::vector<std::string> store_compressor_names() {
  std::vector<std::string> names;
  for (const auto& c : kCompressors) names.emplace_back(c.name);
  return names;
}

}  // namespace sw::exec
