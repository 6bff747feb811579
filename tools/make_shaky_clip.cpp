// make_shaky_clip: writes a synthetic shaky clip with known camera motion (and optionally its
// truth as CSV), for the README's sample and for trying stillwater by hand.
//
// One option table drives both --help and validation: every numeric option has a range, and a
// value outside it is rejected with a line naming the option, never clamped.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

extern "C" {
#include <libavutil/log.h>
}

#include "core/error.hpp"
#include "support/synthetic_clip.hpp"

namespace {

using sw::test::ClipSpec;

struct Settings {
  ClipSpec spec;
  std::string out;
  std::string truth_csv;
  bool verbose = false;
};

enum class Kind { integer, real, flag, text };

struct Option {
  const char* name;  // as typed, with the leading "--"
  Kind kind;
  const char* help;
  double min, max;  // numeric kinds only
  void (*apply)(Settings&, double number, const std::string& text);
  std::string (*show)(const Settings&);  // the current value, for --help's defaults
};

std::string num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", v);
  return text;
}

// Integer and real values are parsed as doubles and range-checked from the table; integer
// options additionally reject fractions.
const std::vector<Option>& options() {
  static const std::vector<Option> table = {
      {"--width", Kind::integer, "frame width in pixels", 16, 8192,
       [](Settings& s, double v, const std::string&) { s.spec.width = static_cast<int>(v); },
       [](const Settings& s) { return num(s.spec.width); }},
      {"--height", Kind::integer, "frame height in pixels", 16, 8192,
       [](Settings& s, double v, const std::string&) { s.spec.height = static_cast<int>(v); },
       [](const Settings& s) { return num(s.spec.height); }},
      {"--frames", Kind::integer, "number of frames", 1, 1e6,
       [](Settings& s, double v, const std::string&) { s.spec.frames = static_cast<int>(v); },
       [](const Settings& s) { return num(s.spec.frames); }},
      {"--fps", Kind::integer, "nominal frame rate (frames per second)", 1, 1000,
       [](Settings& s, double v, const std::string&) {
         s.spec.fps_num = static_cast<int>(v);
         s.spec.fps_den = 1;
       },
       [](const Settings& s) { return num(s.spec.fps_num); }},
      {"--shake", Kind::real, "std-dev of the AR(1) translation shake, px per axis", 0, 1000,
       [](Settings& s, double v, const std::string&) { s.spec.shake_px = v; },
       [](const Settings& s) { return num(s.spec.shake_px); }},
      {"--shake-deg", Kind::real, "std-dev of the AR(1) rotation shake, degrees", 0, 45,
       [](Settings& s, double v, const std::string&) { s.spec.shake_deg = v; },
       [](const Settings& s) { return num(s.spec.shake_deg); }},
      {"--pan", Kind::real, "steady pan, px per frame in x (a quarter of it in y)", -100, 100,
       [](Settings& s, double v, const std::string&) { s.spec.pan_px_per_frame = v; },
       [](const Settings& s) { return num(s.spec.pan_px_per_frame); }},
      {"--roll-drift", Kind::real, "steady roll from first to last frame, degrees", -90, 90,
       [](Settings& s, double v, const std::string&) { s.spec.roll_drift_deg = v; },
       [](const Settings& s) { return num(s.spec.roll_drift_deg); }},
      {"--seed", Kind::integer, "random seed (path, texture, timing)", 0, 9007199254740992.0,
       [](Settings& s, double v, const std::string&) {
         s.spec.seed = static_cast<std::uint64_t>(v);
       },
       [](const Settings& s) { return std::to_string(s.spec.seed); }},
      {"--audio", Kind::flag, "add an AAC mono 440 Hz sine track", 0, 0,
       [](Settings& s, double, const std::string&) { s.spec.audio = true; },
       [](const Settings&) { return std::string("off"); }},
      {"--rotation", Kind::integer, "display matrix rotation: 0, 90, 180, 270 or -90 (mp4/mov)",
       -270, 270,
       [](Settings& s, double v, const std::string& text) {
         if (static_cast<int>(v) % 90 != 0)
           throw sw::Error("--rotation", "expected a multiple of 90, got " + text);
         s.spec.rotation_deg = static_cast<int>(v);
       },
       [](const Settings& s) { return num(s.spec.rotation_deg); }},
      {"--vfr", Kind::flag, "variable frame rate: irregular timestamps on a 1/90000 clock", 0, 0,
       [](Settings& s, double, const std::string&) { s.spec.variable_frame_rate = true; },
       [](const Settings&) { return std::string("off"); }},
      {"--bit-depth", Kind::integer, "8 or 10 (yuv420p10le)", 8, 10,
       [](Settings& s, double v, const std::string& text) {
         if (v != 8 && v != 10) throw sw::Error("--bit-depth", "expected 8 or 10, got " + text);
         s.spec.bit_depth = static_cast<int>(v);
       },
       [](const Settings& s) { return num(s.spec.bit_depth); }},
      {"--codec", Kind::text, "libavcodec encoder name, e.g. ffv1 or mpeg4 for odd sizes", 0, 0,
       [](Settings& s, double, const std::string& text) { s.spec.codec = text; },
       [](const Settings& s) { return s.spec.codec; }},
      {"--gop", Kind::integer, "GOP length (keyframe interval)", 1, 10000,
       [](Settings& s, double v, const std::string&) { s.spec.gop = static_cast<int>(v); },
       [](const Settings& s) { return num(s.spec.gop); }},
      {"--bframes", Kind::integer, "maximum consecutive B-frames", 0, 16,
       [](Settings& s, double v, const std::string&) { s.spec.bframes = static_cast<int>(v); },
       [](const Settings& s) { return num(s.spec.bframes); }},
      {"--crf", Kind::integer, "libx264 constant rate factor", 0, 51,
       [](Settings& s, double v, const std::string&) { s.spec.crf = static_cast<int>(v); },
       [](const Settings& s) { return num(s.spec.crf); }},
      {"--cut-at", Kind::integer, "hard scene cut: other content from this frame on", 0, 1e6,
       [](Settings& s, double v, const std::string&) { s.spec.cut_at_frame = static_cast<int>(v); },
       [](const Settings&) { return std::string("none"); }},
      {"--verbose", Kind::flag, "show libav's log (encoder settings and statistics)", 0, 0,
       [](Settings& s, double, const std::string&) { s.verbose = true; },
       [](const Settings&) { return std::string("off"); }},
      {"--truth", Kind::text, "also write the per-frame camera truth CSV (frame,dx,dy,da)", 0, 0,
       [](Settings& s, double, const std::string& text) { s.truth_csv = text; },
       [](const Settings&) { return std::string("none"); }},
  };
  return table;
}

void print_help() {
  std::printf(
      "usage: make_shaky_clip OUT.mp4 [options]\n"
      "Writes a synthetic shaky clip whose camera motion is known. The container comes from\n"
      "OUT's extension (.mp4, .mkv, .mov). Truth: camera[i] = {dx, dy, da} maps the steady\n"
      "texture into frame i, pixels about the frame centre, y down, radians.\n\noptions:\n");
  const Settings defaults;
  for (const Option& o : options()) {
    const char* arg = o.kind == Kind::flag ? "" : o.kind == Kind::text ? " S" : " N";
    std::string line = std::string("  ") + o.name + arg;
    line.resize(std::max<std::size_t>(line.size() + 1, 18), ' ');
    std::printf("%s%s (default %s)\n", line.c_str(), o.help, o.show(defaults).c_str());
  }
  std::printf("  --help          this text\n");
}

double parse_number(const Option& o, const std::string& text) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  const bool integral =
      o.kind != Kind::integer || v == static_cast<double>(static_cast<long long>(v));
  if (ec != std::errc() || ptr != end || !integral || v < o.min || v > o.max) {
    throw sw::Error(o.name, std::string("expected ") +
                                (o.kind == Kind::integer ? "an integer" : "a number") + " in [" +
                                num(o.min) + ", " + num(o.max) + "], got '" + text + "'");
  }
  return v;
}

// Returns false when --help was given.
bool parse(int argc, char** argv, Settings& s) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return false;
    if (arg.rfind("-", 0) != 0) {
      if (!s.out.empty())
        throw sw::Error(arg, "expected one output file, got a second (" + s.out + " first)");
      s.out = arg;
      continue;
    }
    const Option* o = nullptr;
    for (const Option& candidate : options()) {
      if (arg == candidate.name) o = &candidate;
    }
    if (!o) throw sw::Error(arg, "unknown option (see --help)");
    if (o->kind == Kind::flag) {
      o->apply(s, 0, "");
      continue;
    }
    if (i + 1 >= argc) throw sw::Error(arg, "expected a value, got none");
    const std::string value = argv[++i];
    const bool numeric = o->kind == Kind::integer || o->kind == Kind::real;
    o->apply(s, numeric ? parse_number(*o, value) : 0, value);
  }
  if (s.out.empty()) throw sw::Error("", "expected an output file OUT.mp4 (see --help)");
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Settings settings;
    if (!parse(argc, argv, settings)) {
      print_help();
      return 0;
    }
    // Errors reach the user as one line (below); libav's own log is opt-in.
    av_log_set_level(settings.verbose ? AV_LOG_INFO : AV_LOG_QUIET);
    const sw::test::ClipTruth truth = sw::test::make_shaky_clip(settings.out, settings.spec);
    if (!settings.truth_csv.empty()) sw::test::write_truth_csv(settings.truth_csv, truth);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_shaky_clip: %s\n", e.what());
    return 1;
  }
}
