#include "exec/rank_messages.hpp"

#include <cstring>
#include <type_traits>

#include "core/error.hpp"
#include "io/encode_options_json.hpp"
#include "io/reader_options_json.hpp"
#include "motion/motion_params_json.hpp"
#include "render/warp_params_json.hpp"

namespace sw::exec {

namespace {

using nlohmann::json;

// Deeper than any message stillwater sends (3 levels), far below what the stack holds.
constexpr int kMaxDepth = 16;

[[noreturn]] void malformed(const std::string& what, const std::string& problem) {
  throw Error("MPI", "malformed " + what + " from another rank: " + problem);
}

// nlohmann's DOM builder, refusing to open more than kMaxDepth arrays/objects: the CBOR reader
// recurses once per level and stops as soon as a callback says no.
class BoundedDom : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit BoundedDom(json& root) : json_sax_dom_parser(root, false) {}
  bool start_object(std::size_t n) { return enter() && json_sax_dom_parser::start_object(n); }
  bool start_array(std::size_t n) { return enter() && json_sax_dom_parser::start_array(n); }
  bool end_object() {
    --depth_;
    return json_sax_dom_parser::end_object();
  }
  bool end_array() {
    --depth_;
    return json_sax_dom_parser::end_array();
  }
  bool too_deep() const { return too_deep_; }

 private:
  bool enter() {
    if (++depth_ > kMaxDepth) too_deep_ = true;
    return !too_deep_;
  }
  int depth_ = 0;
  bool too_deep_ = false;
};

template <typename T>
json plain_bytes(const T* data, std::size_t count) {
  static_assert(std::is_trivially_copyable_v<T>);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);
  return json::binary(std::vector<std::uint8_t>(bytes, bytes + count * sizeof(T)));
}

// The records in a binary field, whose size must be a whole number of them.
template <typename T>
std::vector<T> from_plain_bytes(const json& value, const char* what) {
  if (!value.is_binary()) malformed("job", std::string(what) + " is not a byte string");
  const auto& bytes = value.get_binary();
  if (bytes.size() % sizeof(T) != 0) {
    malformed("job", std::string("expected whole ") + what + " records, got " +
                         std::to_string(bytes.size()) + " bytes");
  }
  std::vector<T> out(bytes.size() / sizeof(T));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

const json& field(const json& object, const char* name, const char* what) {
  if (!object.is_object()) malformed(what, "expected a map");
  const auto it = object.find(name);
  if (it == object.end()) malformed(what, std::string("no field '") + name + "'");
  return *it;
}

std::int64_t integer(const json& value, const char* what) {
  if (!value.is_number_integer()) malformed(what, "expected an integer");
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX)
    malformed(what, "integer out of range");
  return value.get<std::int64_t>();
}

std::int64_t integer(const json& object, const char* name, const char* what) {
  return integer(field(object, name, what), what);
}

std::int64_t integer_in(const json& object, const char* name, std::int64_t lo, std::int64_t hi,
                        const char* what) {
  const std::int64_t v = integer(object, name, what);
  if (v < lo || v > hi) {
    malformed(what, std::string(name) + " = " + std::to_string(v) + ", expected " +
                        std::to_string(lo) + ".." + std::to_string(hi));
  }
  return v;
}

std::string text(const json& object, const char* name, const char* what) {
  const json& v = field(object, name, what);
  if (!v.is_string()) malformed(what, std::string(name) + " is not a string");
  return v.get<std::string>();
}

const json& array(const json& object, const char* name, const char* what) {
  const json& v = field(object, name, what);
  if (!v.is_array()) malformed(what, std::string(name) + " is not an array");
  return v;
}

FrameIndex decode_index(const json& j) {
  FrameIndex index;
  const json& pts = array(j, "pts", "job");
  index.pts.reserve(pts.size());
  for (const json& p : pts) index.pts.push_back(integer(p, "job"));
  index.keyframe = from_plain_bytes<std::uint8_t>(field(j, "keyframe", "job"), "keyframe");
  if (index.keyframe.size() != index.pts.size()) {
    malformed("job", std::to_string(index.pts.size()) + " frames with " +
                         std::to_string(index.keyframe.size()) + " keyframe flags");
  }
  const json& tb = array(j, "time_base", "job");
  if (tb.size() != 2) malformed("job", "time_base is not a pair");
  const auto num = integer(tb[0], "job"), den = integer(tb[1], "job");
  if (num <= 0 || den <= 0 || num > INT32_MAX || den > INT32_MAX)
    malformed("job", "time_base out of range");
  index.time_base = {static_cast<int>(num), static_cast<int>(den)};
  return index;
}

// The plan's segments tile [0, frame_count) in order, each decoded from a frame at or before
// its first and up to min(end, frame_count - 1): what plan_segments makes.
SegmentPlan decode_plan(const json& j, std::int64_t frames) {
  SegmentPlan plan;
  plan.frame_count = integer(j, "frame_count", "job");
  if (plan.frame_count != frames) {
    malformed("job", "a plan of " + std::to_string(plan.frame_count) + " frames for an index of " +
                         std::to_string(frames));
  }
  plan.target = integer(j, "target", "job");
  const json& segments = array(j, "segments", "job");
  if (segments.size() > static_cast<std::size_t>(frames))
    malformed("job", "more segments than frames");
  std::int64_t next = 0;
  for (const json& s : segments) {
    if (!s.is_array() || s.size() != 5) malformed("job", "a segment is not 5 integers");
    Segment seg{integer(s[0], "job"), integer(s[1], "job"), integer(s[2], "job"),
                integer(s[3], "job"), integer(s[4], "job")};
    const bool fits = seg.index == static_cast<std::int64_t>(plan.segments.size()) &&
                      seg.begin == next && seg.end > seg.begin && seg.end <= frames &&
                      seg.decode_from >= 0 && seg.decode_from <= seg.begin &&
                      seg.decode_to == std::min(seg.end, frames - 1);
    if (!fits)
      malformed("job", "segment " + std::to_string(plan.segments.size()) + " out of place");
    plan.segments.push_back(seg);
    next = seg.end;
  }
  if (next != frames) malformed("job", "the segments do not cover the frames");
  return plan;
}

}  // namespace

json parse_cbor(std::string_view bytes, const char* what) {
  json doc;
  BoundedDom dom(doc);
  bool ok = false;
  try {
    ok = json::sax_parse(bytes.begin(), bytes.end(), &dom, nlohmann::json::input_format_t::cbor);
  } catch (const json::exception& e) {
    // The DOM builder throws even when told not to, e.g. for an array whose declared size
    // exceeds what a vector can hold.
    malformed(what, e.what());
  }
  if (dom.too_deep()) malformed(what, "nested deeper than " + std::to_string(kMaxDepth));
  if (!ok || dom.is_errored()) malformed(what, "not CBOR");
  return doc;
}

std::string encode_job_message(const JobMessage& m) {
  json segments = json::array();
  for (const Segment& s : m.plan.segments) {
    segments.push_back({s.index, s.begin, s.end, s.decode_from, s.decode_to});
  }
  json j = {
      {"kind", m.kind},
      {"build", m.build},
      {"input", m.input},
      {"threads", m.threads},
      {"index",
       {{"pts", m.index.pts},
        {"keyframe", plain_bytes(m.index.keyframe.data(), m.index.keyframe.size())},
        {"time_base", {m.index.time_base.num, m.index.time_base.den}}}},
      {"plan",
       {{"frame_count", m.plan.frame_count}, {"target", m.plan.target}, {"segments", segments}}}};
  if (m.kind == "analysis") {
    j["input_kind"] = m.input_kind;
    j["width"] = m.width;
    j["height"] = m.height;
    j["motion"] = to_json_fields(m.motion);
    j["reader"] = to_json_fields(m.reader);
  } else {
    j["corrections"] = plain_bytes(m.corrections.data(), m.corrections.size());
    j["warp"] = to_json_fields(m.warp);
    j["camera"] = plain_bytes(m.camera.data(), m.camera.size());
    j["cut"] = plain_bytes(m.cut.data(), m.cut.size());
    j["encode"] = to_json_fields(m.encode);
  }
  const std::vector<std::uint8_t> cbor = json::to_cbor(j);
  return {cbor.begin(), cbor.end()};
}

JobMessage decode_job_message(std::string_view bytes) {
  const json j = parse_cbor(bytes, "job");
  JobMessage m;
  m.kind = text(j, "kind", "job");
  if (m.kind != "analysis" && m.kind != "render") malformed("job", "unknown pass '" + m.kind + "'");
  m.build = text(j, "build", "job");
  m.input = text(j, "input", "job");
  m.threads = static_cast<int>(integer_in(j, "threads", 1, 1024, "job"));
  m.index = decode_index(field(j, "index", "job"));
  m.plan = decode_plan(field(j, "plan", "job"), static_cast<std::int64_t>(m.index.size()));
  try {
    if (m.kind == "analysis") {
      m.input_kind = text(j, "input_kind", "job");
      m.width = static_cast<int>(integer_in(j, "width", 1, 65536, "job"));
      m.height = static_cast<int>(integer_in(j, "height", 1, 65536, "job"));
      m.motion = from_json_fields<motion::MotionParams>(field(j, "motion", "job"), "job");
      m.reader = from_json_fields<io::ReaderOptions>(field(j, "reader", "job"), "job");
    } else {
      m.corrections = from_plain_bytes<Transform2D>(field(j, "corrections", "job"), "correction");
      if (m.corrections.size() != m.index.size()) {
        malformed("job", std::to_string(m.corrections.size()) + " corrections for " +
                             std::to_string(m.index.size()) + " frames");
      }
      m.warp = from_json_fields<render::WarpParams>(field(j, "warp", "job"), "job");
      m.camera = from_plain_bytes<Transform2D>(field(j, "camera", "job"), "camera");
      m.cut = from_plain_bytes<std::uint8_t>(field(j, "cut", "job"), "cut");
      const std::size_t fill_rows = m.warp.fill_radius > 0 ? m.index.size() : 0;
      if (m.warp.fill_radius < 0 || m.warp.fill_radius > 1000 || m.camera.size() != fill_rows ||
          m.cut.size() != fill_rows) {
        malformed("job", "fill radius " + std::to_string(m.warp.fill_radius) + " with " +
                             std::to_string(m.camera.size()) + " camera rows and " +
                             std::to_string(m.cut.size()) + " cuts for " +
                             std::to_string(m.index.size()) + " frames");
      }
      m.encode = from_json_fields<io::EncodeOptions>(field(j, "encode", "job"), "job");
    }
  } catch (const Error& e) {
    if (e.subject() == "MPI") throw;
    malformed("job", e.problem());
  }
  return m;
}

std::string encode_request(Request type, std::int64_t value, std::string_view payload) {
  const std::int64_t header[2] = {static_cast<std::int64_t>(type), value};
  std::string message(sizeof header + payload.size(), '\0');
  std::memcpy(message.data(), header, sizeof header);
  if (!payload.empty()) std::memcpy(message.data() + sizeof header, payload.data(), payload.size());
  return message;
}

RequestMessage decode_request(std::string_view bytes) {
  std::int64_t header[2];
  if (bytes.size() < sizeof header) malformed("request", "shorter than its header");
  std::memcpy(header, bytes.data(), sizeof header);
  if (header[0] < static_cast<std::int64_t>(Request::segment) ||
      header[0] > static_cast<std::int64_t>(Request::fail)) {
    malformed("request", "unknown type " + std::to_string(header[0]));
  }
  RequestMessage m;
  m.type = static_cast<Request>(header[0]);
  m.value = header[1];
  m.payload = bytes.substr(sizeof header);
  if (m.type == Request::segment && m.value < -1) malformed("request", "negative segment");
  return m;
}

std::string encode_int64(std::int64_t value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof value);
}

std::int64_t decode_int64(std::string_view bytes) {
  std::int64_t value = 0;
  if (bytes.size() != sizeof value) malformed("reply", "expected 8 bytes");
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

std::string encode_failure(const FailureMessage& failure) {
  const auto cbor = json::to_cbor({{"subject", failure.subject}, {"problem", failure.problem}});
  return {cbor.begin(), cbor.end()};
}

FailureMessage decode_failure(std::string_view bytes) {
  const json j = parse_cbor(bytes, "failure");
  return {text(j, "subject", "failure"), text(j, "problem", "failure")};
}

std::string encode_warnings(const std::vector<std::string>& warnings) {
  const auto cbor = json::to_cbor(json(warnings));
  return {cbor.begin(), cbor.end()};
}

std::vector<std::string> decode_warnings(std::string_view bytes) {
  const json j = parse_cbor(bytes, "warnings");
  if (!j.is_array()) malformed("warnings", "expected an array");
  std::vector<std::string> out;
  for (const json& w : j) {
    if (!w.is_string()) malformed("warnings", "expected text");
    out.push_back(w.get<std::string>());
  }
  return out;
}

// Motion is plain data, copied byte for byte, so a rank's measurements arrive exactly as
// measured.
std::string encode_analysis_result(std::int64_t decoded, const store::StagedMotions& staged) {
  static_assert(std::is_trivially_copyable_v<Motion>);
  const std::int64_t header[3] = {decoded, staged.first,
                                  static_cast<std::int64_t>(staged.motions.size())};
  std::string bytes(sizeof header + staged.motions.size() * sizeof(Motion), '\0');
  std::memcpy(bytes.data(), header, sizeof header);
  if (!staged.motions.empty()) {
    std::memcpy(bytes.data() + sizeof header, staged.motions.data(),
                staged.motions.size() * sizeof(Motion));
  }
  return bytes;
}

store::StagedMotions decode_analysis_result(std::string_view bytes, const Segment& s,
                                            std::int64_t& decoded) {
  std::int64_t header[3];
  if (bytes.size() < sizeof header) malformed("segment result", "shorter than its header");
  std::memcpy(header, bytes.data(), sizeof header);
  // Compared before multiplying: a count from the message times sizeof(Motion) may wrap.
  const std::size_t room = (bytes.size() - sizeof header) / sizeof(Motion);
  if (header[2] < 0 || static_cast<std::uint64_t>(header[2]) != room ||
      (bytes.size() - sizeof header) % sizeof(Motion) != 0) {
    malformed("segment result", "expected " + std::to_string(header[2]) + " motions, got " +
                                    std::to_string(bytes.size()) + " bytes");
  }
  if (header[1] != s.begin + 1 || header[2] != s.decode_to - s.begin) {
    malformed("segment result", "pairs from frame " + std::to_string(header[1]) + " (" +
                                    std::to_string(header[2]) + ") for segment " +
                                    std::to_string(s.index));
  }
  if (header[0] < 0) malformed("segment result", "negative frame count");
  decoded = header[0];
  store::StagedMotions staged;
  staged.first = header[1];
  staged.motions.resize(room);
  if (room > 0)
    std::memcpy(staged.motions.data(), bytes.data() + sizeof header, room * sizeof(Motion));
  for (const Motion& m : staged.motions) {
    if (static_cast<int>(m.status) > static_cast<int>(MotionStatus::missing_frame))
      malformed("segment result", "unknown motion status");
  }
  return staged;
}

std::string encode_trace_message(const TraceMessage& t) {
  json events = json::array();
  for (const auto& e : t.events) {
    events.push_back(
        {e.stage, e.name, e.rank, e.thread, e.start_us, e.wall_us, e.cpu_us, e.frames});
  }
  json totals = json::array();
  for (const auto& s : t.totals)
    totals.push_back({s.stage, s.wall_us, s.cpu_us, s.frames, s.spans});
  const json doc = {{"sync_us", t.sync_us},
                    {"wall_s", t.wall_s},
                    {"host", t.host},
                    {"events", events},
                    {"totals", totals}};
  const auto cbor = json::to_cbor(doc);
  return {cbor.begin(), cbor.end()};
}

TraceMessage decode_trace_message(std::string_view bytes) {
  const json doc = parse_cbor(bytes, "trace");
  TraceMessage t;
  t.sync_us = integer(doc, "sync_us", "trace");
  const json& wall = field(doc, "wall_s", "trace");
  if (!wall.is_number()) malformed("trace", "wall_s is not a number");
  t.wall_s = wall.get<double>();
  t.host = text(doc, "host", "trace");
  auto string_at = [](const json& row, std::size_t i) {
    if (!row[i].is_string()) malformed("trace", "expected a name");
    return row[i].get<std::string>();
  };
  for (const json& e : array(doc, "events", "trace")) {
    if (!e.is_array() || e.size() != 8) malformed("trace", "an event is not 8 fields");
    t.events.push_back({string_at(e, 0), string_at(e, 1), static_cast<int>(integer(e[2], "trace")),
                        static_cast<int>(integer(e[3], "trace")), integer(e[4], "trace"),
                        integer(e[5], "trace"), integer(e[6], "trace"), integer(e[7], "trace")});
  }
  for (const json& s : array(doc, "totals", "trace")) {
    if (!s.is_array() || s.size() != 5) malformed("trace", "a total is not 5 fields");
    t.totals.push_back({string_at(s, 0), integer(s[1], "trace"), integer(s[2], "trace"),
                        integer(s[3], "trace"), integer(s[4], "trace")});
  }
  return t;
}

}  // namespace sw::exec
