#include "exec/segment_job.hpp"

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "core/error.hpp"
#include "core/temporary.hpp"
#include "exec/video_source.hpp"

namespace sw::exec {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

template <typename T>
json plain_bytes(const T* data, std::size_t count) {
  static_assert(std::is_trivially_copyable_v<T>);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);
  return json::binary(std::vector<std::uint8_t>(bytes, bytes + count * sizeof(T)));
}

template <typename T>
std::vector<T> from_plain_bytes(const json& value, const char* what) {
  const auto& bytes = value.get_binary();
  if (bytes.size() % sizeof(T) != 0) {
    throw Error("job", std::string("expected whole ") + what + " records, got " +
                           std::to_string(bytes.size()) + " bytes");
  }
  std::vector<T> out(bytes.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

json common(const char* kind, const std::string& input, const FrameIndex& index,
            const SegmentPlan& plan, int threads) {
  json segments = json::array();
  for (const Segment& s : plan.segments) {
    segments.push_back({s.index, s.begin, s.end, s.decode_from, s.decode_to});
  }
  return {{"kind", kind},
          {"version", SW_VERSION_STRING},
          {"input", input},
          {"threads", threads},
          {"index",
           {{"pts", index.pts},
            {"keyframe", plain_bytes(index.keyframe.data(), index.keyframe.size())},
            {"time_base", {index.time_base.num, index.time_base.den}}}},
          {"plan",
           {{"frame_count", plan.frame_count}, {"target", plan.target}, {"segments", segments}}}};
}

std::string to_bytes(const json& j) {
  const std::vector<std::uint8_t> cbor = json::to_cbor(j);
  return {cbor.begin(), cbor.end()};
}

// The decoded job and everything the runs point into.
struct Decoded {
  json doc;
  FrameIndex index;
  SegmentPlan plan;
  std::vector<Transform2D> corrections;
};

Decoded decode(std::string_view bytes) {
  Decoded d;
  d.doc = json::from_cbor(bytes.begin(), bytes.end());
  const std::string version = d.doc.at("version").get<std::string>();
  if (version != SW_VERSION_STRING) {
    throw Error("job", "rank 0 runs stillwater " + version + ", this rank " + SW_VERSION_STRING +
                           "; every rank must run the same version");
  }
  const json& index = d.doc.at("index");
  d.index.pts = index.at("pts").get<std::vector<std::int64_t>>();
  d.index.keyframe = from_plain_bytes<std::uint8_t>(index.at("keyframe"), "keyframe");
  d.index.time_base = {index.at("time_base")[0].get<int>(), index.at("time_base")[1].get<int>()};
  const json& plan = d.doc.at("plan");
  d.plan.frame_count = plan.at("frame_count").get<std::int64_t>();
  d.plan.target = plan.at("target").get<std::int64_t>();
  for (const json& s : plan.at("segments")) {
    d.plan.segments.push_back({s[0].get<std::int64_t>(), s[1].get<std::int64_t>(),
                               s[2].get<std::int64_t>(), s[3].get<std::int64_t>(),
                               s[4].get<std::int64_t>()});
  }
  return d;
}

// A directory for the pieces this process renders before sending them; removed at the end.
// A TemporaryDir: created exclusively under an unpredictable name, never an existing one.
class ScratchDir {
 public:
  ScratchDir() : dir_(fs::temp_directory_path(), "rank-pieces") {}
  std::string piece(std::int64_t k) const { return dir_.file(std::to_string(k) + ".mp4").string(); }

 private:
  TemporaryDir dir_;
};

}  // namespace

std::string encode_job(const AnalysisRun& run, const SegmentPlan& plan) {
  if (!run.index) throw Error("job", "the analysis run has no frame index");
  json j = common("analysis", run.input, *run.index, plan, run.threads);
  j["zarr_frames"] = run.zarr_frames;
  j["width"] = run.width;
  j["height"] = run.height;
  j["motion"] = plain_bytes(&run.motion, 1);
  j["reader"] = plain_bytes(&run.reader, 1);
  return to_bytes(j);
}

std::string encode_job(const RenderRun& run, const SegmentPlan& plan) {
  if (!run.index) throw Error("job", "the render run has no frame index");
  json j = common("render", run.input, *run.index, plan, run.threads);
  j["corrections"] = plain_bytes(run.corrections.data(), run.corrections.size());
  j["warp"] = plain_bytes(&run.warp, 1);
  const io::EncodeOptions& e = run.encode;
  j["encode"] = {{"encoder", e.encoder}, {"crf", e.crf},
                 {"preset", e.preset},   {"encoder_threads", e.encoder_threads},
                 {"gop", e.gop},         {"x264_deterministic_simd", e.x264_deterministic_simd}};
  return to_bytes(j);
}

void serve_job(std::string_view bytes, SegmentQueue& queue) {
  Decoded d = decode(bytes);
  const json& j = d.doc;
  const std::string kind = j.at("kind").get<std::string>();
  const std::string input = j.at("input").get<std::string>();
  const int threads = j.at("threads").get<int>();
  if (kind == "analysis") {
    AnalysisRun run;
    run.input = input;
    run.zarr_frames = j.at("zarr_frames").get<bool>();
    run.index = &d.index;
    const auto reader = from_plain_bytes<io::ReaderOptions>(j.at("reader"), "reader options");
    const auto motion = from_plain_bytes<motion::MotionParams>(j.at("motion"), "motion options");
    if (reader.size() != 1 || motion.size() != 1) throw Error("job", "expected one option record");
    run.reader = reader[0];
    run.reader.index = nullptr;  // a pointer into rank 0's memory: the factory sets its own
    run.motion = motion[0];
    run.make_source = run.zarr_frames ? zarr_source_factory(input)
                                      : video_source_factory(input, d.index, run.reader);
    run.width = j.at("width").get<int>();
    run.height = j.at("height").get<int>();
    run.threads = threads;
    serve_analysis(run, d.plan, queue);
  } else if (kind == "render") {
    RenderRun run;
    run.input = input;
    run.index = &d.index;
    d.corrections = from_plain_bytes<Transform2D>(j.at("corrections"), "correction");
    run.corrections = d.corrections;
    const auto warp = from_plain_bytes<render::WarpParams>(j.at("warp"), "warp options");
    if (warp.size() != 1) throw Error("job", "expected one warp record");
    run.warp = warp[0];
    const json& e = j.at("encode");
    run.encode.encoder = e.at("encoder").get<std::string>();
    run.encode.crf = e.at("crf").get<int>();
    run.encode.preset = e.at("preset").get<std::string>();
    run.encode.encoder_threads = e.at("encoder_threads").get<int>();
    run.encode.gop = e.at("gop").get<int>();
    run.encode.x264_deterministic_simd = e.at("x264_deterministic_simd").get<bool>();
    run.threads = threads;
    ScratchDir scratch;
    run.piece_path = [&](std::int64_t k) { return scratch.piece(k); };
    serve_render(run, d.plan, queue);
  } else {
    throw Error("job", "unknown pass '" + kind + "'");
  }
}

}  // namespace sw::exec
