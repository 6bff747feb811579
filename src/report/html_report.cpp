#include "report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <span>
#include <string_view>

#include "core/error.hpp"
#include "core/markup.hpp"
#include "core/temporary.hpp"
#include "io/jpeg.hpp"
#include "io/video_reader.hpp"
#include "report/filled_area.hpp"
#include "report/web_assets.hpp"
#include "store/frame_array.hpp"
#include "store/run_store.hpp"

namespace sw::report {

namespace {

constexpr int kJpegQuality = 82;

std::string asset(const unsigned char* data, std::size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  // A literal "</script" would end the <script> element early; "<\/" means the same in JS.
  for (std::size_t p = s.find("</script"); p != std::string::npos; p = s.find("</script", p))
    s.replace(p, 2, "<\\/");
  return s;
}

// JSON text that is inert inside a <script> element: '<', '>' and '&' (which could close the
// element or start markup: "</script>", "<!--") and U+2028/U+2029 (line ends to older JS
// parsers) become \u escapes. They can only occur inside JSON strings, where the escape
// means the same character, so JSON.parse gives back exactly the same data.
std::string script_safe_json(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string base64(std::span<const unsigned char> bytes) {
  static constexpr char kTable[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    out += kTable[v >> 18 & 63];
    out += kTable[v >> 12 & 63];
    out += kTable[v >> 6 & 63];
    out += kTable[v & 63];
  }
  if (i < bytes.size()) {
    const unsigned v = bytes[i] << 16 | (i + 1 < bytes.size() ? bytes[i + 1] << 8 : 0);
    out += kTable[v >> 18 & 63];
    out += kTable[v >> 12 & 63];
    out += i + 1 < bytes.size() ? kTable[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

std::string jpeg_b64(const FrameView& frame, int width) {
  const std::string jpeg = io::encode_jpeg(frame, width, kJpegQuality);
  return base64(std::span(reinterpret_cast<const unsigned char*>(jpeg.data()), jpeg.size()));
}

nlohmann::json vec3_json(const std::vector<path::Vec3>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) out.push_back({r.x, r.y, r.a});
  return out;
}

}  // namespace

RunData run_data(const std::string& input, int width, int height, int analysis_width,
                 double lof_threshold, std::span<const Motion> motions,
                 const path::PathResult& path) {
  RunData run;
  run.input = input;
  run.attrs = {{"input", {{"path", input}, {"width", width}, {"height", height}}}};
  run.width = width;
  run.height = height;
  run.analysis_width = analysis_width;
  run.lof_threshold = lof_threshold;
  run.motions.assign(motions.begin(), motions.end());
  run.path = path;
  return run;
}

RunData load_run(const std::string& location) {
  store::RunStore store = store::RunStore::open_existing(location);
  RunData run;
  run.attrs = store.attrs();
  const auto& input = run.attrs.value("input", nlohmann::json::object());
  run.input = input.value("path", std::string());
  const auto side_of = [](const nlohmann::json& j, const char* key, std::int64_t absent) {
    const auto it = j.find(key);
    if (it == j.end()) return absent;
    return it->is_number_integer() ? it->get<std::int64_t>() : std::int64_t{0};
  };
  const std::int64_t width = side_of(input, "width", 0), height = side_of(input, "height", 0);
  const std::int64_t analysis_width =
      side_of(run.attrs.value("analysis", nlohmann::json::object()), "analysis_width", 640);
  // The picture size sizes the report's work; refuse one no video has.
  const auto side = static_cast<int>(store::kMaxFrameSide);
  if (width < 1 || width > side || height < 1 || height > side || analysis_width < 1 ||
      analysis_width > side) {
    throw Error(store.backend().describe(".zattrs"),
                "invalid picture size (expected width, height and analysis_width from 1 to " +
                    std::to_string(side) + ", got " + std::to_string(width) + "x" +
                    std::to_string(height) + ", " + std::to_string(analysis_width) + ")");
  }
  run.width = static_cast<int>(width);
  run.height = static_cast<int>(height);
  run.analysis_width = static_cast<int>(analysis_width);
  const auto path_attrs = run.attrs.value("path", nlohmann::json::object());
  run.lof_threshold = path_attrs.value("lof_threshold", 1.5);
  run.full_frame = path_attrs.value("crop", std::string()) == "fill";

  run.motions = store.read_motions();
  const auto n = static_cast<std::int64_t>(run.motions.size());
  path::PathResult& p = run.path;
  p = store.read_path(n);
  // Scene cuts: the path stage's own array when the store has one, else found again from the
  // stored scene scores with the run's thresholds.
  if (p.cut.empty()) {
    path::PathParams params;
    params.cut_threshold = path_attrs.value("cut_threshold", params.cut_threshold);
    params.cut_threshold_invalid =
        path_attrs.value("cut_threshold_invalid", params.cut_threshold_invalid);
    p.cut = path::detect_cuts(run.motions, params);
  }
  for (std::int64_t i = 1; i < n; ++i) p.invalid_pairs += run.motions[i].valid() ? 0 : 1;
  return run;
}

std::vector<std::int64_t> snapshot_frames(const RunData& run, int count) {
  const auto n = static_cast<std::int64_t>(run.motions.size());
  std::vector<std::int64_t> frames;
  if (n == 0 || count <= 0) return frames;
  for (int k = 0; k < count; ++k) frames.push_back((2 * k + 1) * n / (2 * count));
  const auto& lof = run.path.lof;
  if (!lof.empty()) {
    const auto worst = std::max_element(lof.begin(), lof.end()) - lof.begin();
    if (run.path.outlier.size() == lof.size() && run.path.outlier[worst]) frames.push_back(worst);
  }
  std::sort(frames.begin(), frames.end());
  frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
  return frames;
}

std::vector<Snapshot> take_snapshots(const RunData& run, const std::string& output,
                                     const std::vector<std::int64_t>& frames, int width) {
  const std::string& input = run.input;
  const std::vector<std::uint8_t>& outlier = run.path.outlier;
  std::vector<Snapshot> shots;
  if (frames.empty()) return shots;
  io::ReaderOptions ro;
  ro.convert_to_8bit_yuv = true;
  io::VideoReader in(input, ro), out(output, ro);
  FrameView fi, fo;
  std::size_t next = 0;
  for (std::int64_t k = 0; next < frames.size(); ++k) {
    if (!in.next(fi) || !out.next(fo)) break;
    if (k != frames[next]) continue;
    Snapshot s;
    s.frame = k;
    s.outlier = static_cast<std::size_t>(k) < outlier.size() && outlier[k];
    s.before_b64 = jpeg_b64(fi, width);
    s.after_b64 = jpeg_b64(fo, width);
    if (run.full_frame && static_cast<std::size_t>(k) < run.path.correction.size()) {
      const OwnedFrame tinted = tint_uncovered(fo, run.path.correction[static_cast<std::size_t>(k)],
                                               run.width, run.height, s.filled_share);
      s.filled_b64 = jpeg_b64(tinted.view, width);
    }
    shots.push_back(std::move(s));
    ++next;
  }
  return shots;
}

std::string render_html(const RunData& run, const Summary& planned,
                        const std::optional<Summary>& measured,
                        const std::vector<Snapshot>& snapshots, const std::string& snapshot_note) {
  const path::PathResult& p = run.path;
  const std::size_t n = run.motions.size();
  nlohmann::json d;
  d["frames"] = n;
  d["input"] = run.input;
  d["trajectory"] = vec3_json(p.trajectory);
  d["smoothed"] = vec3_json(p.smoothed);
  d["lof"] = p.lof;
  d["lof_threshold"] = run.lof_threshold;
  std::vector<int> outlier(n, 0), invalid(n, 0);
  std::vector<std::int64_t> cuts;
  std::vector<double> zoom(n, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    outlier[i] = i < p.outlier.size() && p.outlier[i];
    invalid[i] = i > 0 && !run.motions[i].valid();
    if (i < p.cut.size() && p.cut[i]) cuts.push_back(static_cast<std::int64_t>(i));
    if (i < p.correction.size()) zoom[i] = p.correction[i].zoom;
  }
  d["outlier"] = outlier;
  d["invalid"] = invalid;
  d["cuts"] = cuts;
  d["zoom"] = zoom;
  d["planned"] = to_json(planned);
  d["planned_cropping"] = planned.cropping_per_frame;
  d["planned_border"] = planned.border_per_frame;
  d["measured"] = nullptr;
  if (measured) {
    d["measured"] = to_json(*measured);
    d["measured_cropping"] = measured->cropping_per_frame;
    d["measured_border"] = measured->border_per_frame;
  }
  d["snapshots"] = nlohmann::json::array();
  for (const auto& s : snapshots) {
    d["snapshots"].push_back({{"frame", s.frame},
                              {"outlier", s.outlier},
                              {"before", s.before_b64},
                              {"after", s.after_b64},
                              {"filled", s.filled_b64},
                              {"filled_share", s.filled_share}});
  }
  d["snapshot_note"] = snapshot_note;
  d["run"] = run.attrs;
  // NaN (frames that could not be fitted) becomes null.
  const std::string json =
      script_safe_json(d.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));

  const std::string name =
      run.input.empty() ? std::string("run") : std::filesystem::path(run.input).filename().string();
  std::string facts = std::to_string(run.width) + "×" + std::to_string(run.height) + " · " +
                      std::to_string(n) + " frames · " + std::to_string(cuts.size()) +
                      " scene cuts · " + std::to_string(p.invalid_pairs) + " invalid pairs";
  std::string h;
  h.reserve(json.size() + 80000);
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>stillwater report: " + escape_markup(name) + "</title>\n<style>\n";
  h += asset(assets::kUplotCss, sizeof assets::kUplotCss);
  h += "\n</style>\n<style>\n";
  h += asset(assets::kReportCss, sizeof assets::kReportCss);
  h += "\n</style>\n</head>\n<body data-ok=\"0\">\n<header>\n<h1>stillwater report: ";
  h += escape_markup(name) + "</h1>\n<p>" + escape_markup(facts) + "</p>\n</header>\n<main>\n";
  h += "<section><h2>Metrics</h2><p class=\"note\">Stability score: low-frequency share of the "
       "frame-to-frame motion's spectrum (Liu et al., SIGGRAPH 2013), 1 = smooth. Residual "
       "jitter: the path minus its own 31-frame moving average, RMS. Cropping ratio: output → "
       "input scale; distortion: anisotropy of that map (1 = none). <em>planned</em> is what "
       "the corrections do; <em>measured</em> is from the decoded output video.</p>"
       "<table id=\"metrics\" class=\"metrics\"></table></section>\n";
  h += "<section><h2>Camera path, outliers and crop</h2><p class=\"note\">Drag to zoom, "
       "double-click to reset; the cursor is shared by all charts. Red dots: LOF outliers; "
       "orange: pairs that could not be measured; dashed purple lines: scene cuts.</p>"
       "<div id=\"charts\" class=\"charts\"></div></section>\n";
  h += "<section><h2>Before and after</h2><div id=\"frames\" class=\"frames\"></div></section>\n";
  h += "<pre id=\"sw-errors\"></pre>\n</main>\n";
  h += "<script id=\"sw-data\" type=\"application/json\">" + json + "</script>\n<script>\n";
  h += asset(assets::kUplotJs, sizeof assets::kUplotJs);
  h += "\n</script>\n<script>\n";
  h += asset(assets::kReportJs, sizeof assets::kReportJs);
  h += "\n</script>\n</body>\n</html>\n";
  return h;
}

std::vector<std::string> write_report(const std::string& html_file, const RunData& run,
                                      const ReportOptions& options) {
  std::vector<std::string> warnings;
  const Summary planned =
      planned_summary(run.motions, run.path, run.width, run.height, run.analysis_width);
  std::optional<Summary> measured;
  std::vector<Snapshot> shots;
  std::string note;
  if (run.input.empty() || !std::filesystem::exists(run.input)) {
    note = "The input video (" + (run.input.empty() ? std::string("unknown") : run.input) +
           ") is not available, so no frames are shown.";
  } else if (options.output_video.empty()) {
    note = "No stabilized video was given (--video OUT), so no frames are shown.";
  } else {
    if (options.measure) {
      measured = measure_videos(run.input, options.output_video, {options.analysis_width, 1});
      for (const auto& w : measured->warnings) warnings.push_back(w);
    }
    shots = take_snapshots(run, options.output_video, snapshot_frames(run, options.snapshots),
                           options.snapshot_width);
  }
  if (!note.empty()) warnings.push_back(note);
  const std::string html = render_html(run, planned, measured, shots, note);
  write_file_atomically(html_file, html);
  return warnings;
}

}  // namespace sw::report
