#include "report/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/error.hpp"
#include "io/video_reader.hpp"
#include "motion/estimator.hpp"
#include "report/frame_metrics.hpp"

namespace sw::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Grid for the planned border: enough samples that one percent of the frame is a few dozen
// points, cheap enough for every frame of a long video.
constexpr int kGridWidth = 96;

std::int64_t invalid_pairs(std::span<const Motion> motions) {
  std::int64_t n = 0;
  for (std::size_t i = 1; i < motions.size(); ++i) n += motions[i].valid() ? 0 : 1;
  return n;
}

// Mean and minimum over the finite values.
Spread spread(const std::vector<double>& v, std::int64_t& count) {
  Spread s;
  double sum = 0;
  count = 0;
  for (double x : v) {
    if (!std::isfinite(x)) continue;
    sum += x;
    s.worst = count == 0 ? x : std::min(s.worst, x);
    ++count;
  }
  if (count > 0) s.mean = sum / static_cast<double>(count);
  return s;
}

// Per frame, the output's border less the input frame's own (an empty `input`: none).
AddedBorder added_border(const std::vector<double>& output, const std::vector<double>& input) {
  AddedBorder a;
  for (std::size_t i = 0; i < output.size(); ++i) {
    const double added = output[i] - (i < input.size() ? input[i] : 0.0);
    a.max = std::max(a.max, added);
    if (added > kVisibleBorder) ++a.frames;
  }
  return a;
}

void border_stats(VideoSide& side, const std::vector<double>& per_frame) {
  double sum = 0;
  side.border_max = 0;
  for (double b : per_frame) {
    sum += b;
    side.border_max = std::max(side.border_max, b);
  }
  side.border_mean = per_frame.empty() ? 0 : sum / static_cast<double>(per_frame.size());
}

struct Similarity {
  double zoom = 1, a = 0, x = 0, y = 0;  // p -> zoom R(a) p + (x, y)
};

}  // namespace

Summary measure_videos(const std::string& input, const std::string& output,
                       const MeasureOptions& options, const FrameProgress& progress) {
  io::ReaderOptions ro;
  ro.decoder_threads = options.decoder_threads;
  ro.convert_to_8bit_yuv = true;  // the comparer and the border detector read 8-bit samples
  io::VideoReader in(input, ro), out(output, ro);
  const VideoInfo& ii = in.info();
  const VideoInfo& oi = out.info();
  motion::MotionParams mp;
  mp.analysis_width = options.analysis_width;
  motion::MotionEstimator in_motion(ii.width, ii.height, mp), out_motion(oi.width, oi.height, mp);
  FrameComparer comparer(ii.width, ii.height, oi.width, oi.height, options.analysis_width);

  Summary s;
  s.input.file = input;
  s.output.file = output;
  s.input.width = ii.width;
  s.input.height = ii.height;
  s.output.width = oi.width;
  s.output.height = oi.height;
  std::vector<Motion> in_motions, out_motions;
  std::vector<double> in_border;
  FrameView fi, fo;
  bool more_in = true, more_out = true;
  for (std::int64_t k = 0;; ++k) {
    more_in = in.next(fi);
    more_out = more_in && out.next(fo);
    if (!more_in || !more_out) break;
    in_motions.push_back(in_motion.push(fi));
    out_motions.push_back(out_motion.push(fo));
    const FrameFit fit = comparer.compare(fi.planes[0], fo.planes[0]);
    s.cropping_per_frame.push_back(fit.ok ? fit.cropping : kNaN);
    s.distortion_per_frame.push_back(fit.ok ? fit.distortion : kNaN);
    in_border.push_back(border_fraction(fi));
    s.border_per_frame.push_back(border_fraction(fo));
    if (progress) progress(k + 1);
  }
  // Whichever ran out first, see whether the other had frames left.
  if (more_in && !more_out) {
    s.warnings.push_back(output + " has fewer frames than " + input + "; compared " +
                         std::to_string(in_motions.size()));
  } else if (!more_in && out.next(fo)) {
    s.warnings.push_back(input + " has fewer frames than " + output + "; compared " +
                         std::to_string(in_motions.size()));
  }
  for (const auto& w : in.warnings()) s.warnings.push_back(input + ": " + w);
  for (const auto& w : out.warnings()) s.warnings.push_back(output + ": " + w);
  if (in_motions.empty()) throw Error(input, "no frames to compare");

  auto fill = [&](VideoSide& side, const std::vector<Motion>& motions) {
    side.frames = static_cast<std::int64_t>(motions.size());
    side.invalid_pairs = invalid_pairs(motions);
    side.stability = stability_score(
        motions, analysis_noise_floor(side.width, side.height, options.analysis_width));
    side.jitter = residual_jitter(path::measured_path(motions), side.width, side.height);
  };
  fill(s.input, in_motions);
  fill(s.output, out_motions);
  border_stats(s.input, in_border);
  border_stats(s.output, s.border_per_frame);
  s.border_added = added_border(s.border_per_frame, in_border);
  s.cropping = spread(s.cropping_per_frame, s.fitted_frames);
  s.distortion = spread(s.distortion_per_frame, s.fitted_frames);
  if (s.fitted_frames < s.input.frames) {
    s.warnings.push_back(std::to_string(s.input.frames - s.fitted_frames) + " of " +
                         std::to_string(s.input.frames) +
                         " frames could not be fitted input -> output (too little texture?); "
                         "cropping and distortion are over the others");
  }
  return s;
}

Summary planned_summary(std::span<const Motion> motions, const path::PathResult& path, int width,
                        int height, int analysis_width) {
  Summary s;
  s.planned = true;
  const std::size_t n = motions.size();
  s.input.width = s.output.width = width;
  s.input.height = s.output.height = height;
  s.input.frames = s.output.frames = static_cast<std::int64_t>(n);
  s.input.invalid_pairs = invalid_pairs(motions);
  const NoiseFloor floor = analysis_noise_floor(width, height, analysis_width);
  s.input.stability = stability_score(motions, floor);
  s.input.jitter = residual_jitter(path::measured_path(motions), width, height);
  if (n == 0 || path.correction.size() != n || path.trajectory.size() != n) return s;

  // The output's camera: correction o raw camera (both similarities about the centre).
  std::vector<Similarity> cam(n);
  std::vector<path::Vec3> out_path(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& t = path.trajectory[i];
    const auto& c = path.correction[i];
    const double cs = std::cos(c.da), sn = std::sin(c.da);
    cam[i] = {c.zoom, t.a + c.da, c.zoom * (cs * t.x - sn * t.y) + c.dx,
              c.zoom * (sn * t.x + cs * t.y) + c.dy};
    out_path[i] = {cam[i].x, cam[i].y, cam[i].a};
  }
  // Its pairs, cam_i o cam_{i-1}^-1 = k R(da) q + t_i - k R(da) t_{i-1}, k = z_i / z_{i-1}.
  std::vector<Motion> out_motions(n);
  out_motions[0].status = MotionStatus::first_frame;
  for (std::size_t i = 1; i < n; ++i) {
    const double k = cam[i].zoom / cam[i - 1].zoom, da = cam[i].a - cam[i - 1].a;
    const double cs = std::cos(da), sn = std::sin(da);
    Motion& m = out_motions[i];
    m.status = MotionStatus::ok;
    m.da = da;
    m.dx = cam[i].x - k * (cs * cam[i - 1].x - sn * cam[i - 1].y);
    m.dy = cam[i].y - k * (sn * cam[i - 1].x + cs * cam[i - 1].y);
  }
  s.output.stability = stability_score(out_motions, floor);
  s.output.jitter = residual_jitter(out_path, width, height);

  const double cx = 0.5 * (width - 1), cy = 0.5 * (height - 1);
  const int gw = kGridWidth,
            gh = std::max(1,
                          static_cast<int>(std::lround(double(gw) * height / std::max(1, width))));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& c = path.correction[i];
    // Output -> input: p = R(-da) (p' - d) / zoom; its linear part is R(-da) / zoom.
    const double cs = std::cos(c.da), sn = std::sin(c.da), iz = 1.0 / c.zoom;
    const FrameFit fit = affine_scores(iz * cs, iz * sn, -iz * sn, iz * cs);
    s.cropping_per_frame.push_back(fit.cropping);
    s.distortion_per_frame.push_back(fit.distortion);
    int outside = 0;
    for (int gy = 0; gy < gh; ++gy) {
      for (int gx = 0; gx < gw; ++gx) {
        const double qx = (gx + 0.5) * width / gw - 0.5 - cx - c.dx;
        const double qy = (gy + 0.5) * height / gh - 0.5 - cy - c.dy;
        const double px = iz * (cs * qx + sn * qy), py = iz * (-sn * qx + cs * qy);
        outside += std::abs(px) > cx + 0.5 || std::abs(py) > cy + 0.5;
      }
    }
    s.border_per_frame.push_back(double(outside) / (double(gw) * gh));
  }
  border_stats(s.output, s.border_per_frame);
  s.border_added = added_border(s.border_per_frame, {});
  s.cropping = spread(s.cropping_per_frame, s.fitted_frames);
  s.distortion = spread(s.distortion_per_frame, s.fitted_frames);
  return s;
}

std::string format_summary(const Summary& s) {
  std::string text;
  char line[512];
  const char* how = s.planned ? " (planned)" : "";
  std::snprintf(line, sizeof line, "%-22s %12s %12s\n", "", "input",
                s.planned ? "planned" : "output");
  text += line;
  auto row = [&](const char* name, double a, double b, const char* fmt) {
    char cells[160];
    std::snprintf(cells, sizeof cells, fmt, a, b);
    std::snprintf(line, sizeof line, "%-22s %s\n", name, cells);
    text += line;
  };
  row("stability", s.input.stability.overall, s.output.stability.overall, "%12.3f %12.3f");
  row("  translation", s.input.stability.translation, s.output.stability.translation,
      "%12.3f %12.3f");
  row("  rotation", s.input.stability.rotation, s.output.stability.rotation, "%12.3f %12.3f");
  row("jitter corner_px", s.input.jitter.corner_px, s.output.jitter.corner_px, "%12.3f %12.3f");
  row("jitter translation_px", s.input.jitter.translation_px, s.output.jitter.translation_px,
      "%12.3f %12.3f");
  row("jitter rotation_deg", s.input.jitter.rotation_deg, s.output.jitter.rotation_deg,
      "%12.4f %12.4f");
  row("border (mean, max)", s.input.border_mean, s.output.border_mean, "%12.4f %12.4f");
  std::snprintf(line, sizeof line, "%-22s %12s %12.4f\n", "", "", s.output.border_max);
  text += line;
  std::snprintf(line, sizeof line, "border added%s %.4f max, on %lld frames\n", how,
                s.border_added.max, static_cast<long long>(s.border_added.frames));
  text += line;
  std::snprintf(line, sizeof line,
                "cropping%s %.4f mean, %.4f worst; distortion %.4f mean, %.4f worst "
                "(%lld of %lld frames fitted)\n",
                how, s.cropping.mean, s.cropping.worst, s.distortion.mean, s.distortion.worst,
                static_cast<long long>(s.fitted_frames), static_cast<long long>(s.output.frames));
  text += line;
  return text;
}

nlohmann::json to_json(const VideoSide& v) {
  return {{"file", v.file},
          {"width", v.width},
          {"height", v.height},
          {"frames", v.frames},
          {"invalid_pairs", v.invalid_pairs},
          {"stability",
           {{"translation", v.stability.translation},
            {"rotation", v.stability.rotation},
            {"overall", v.stability.overall}}},
          {"jitter",
           {{"translation_px", v.jitter.translation_px},
            {"rotation_deg", v.jitter.rotation_deg},
            {"corner_px", v.jitter.corner_px}}},
          {"border_fraction", {{"mean", v.border_mean}, {"max", v.border_max}}}};
}

nlohmann::json to_json(const Summary& s) {
  return {{"planned", s.planned},
          {"input", to_json(s.input)},
          {"output", to_json(s.output)},
          {"fitted_frames", s.fitted_frames},
          {"border_added", {{"max", s.border_added.max}, {"frames", s.border_added.frames}}},
          {"cropping", {{"mean", s.cropping.mean}, {"worst", s.cropping.worst}}},
          {"distortion", {{"mean", s.distortion.mean}, {"worst", s.distortion.worst}}},
          {"warnings", s.warnings}};
}

}  // namespace sw::report
