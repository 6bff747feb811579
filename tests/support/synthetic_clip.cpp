// Camera path, procedural texture and frame rendering of synthetic clips (see the header for
// the conventions). Encoding lives in clip_writer.cpp.
//
// Outline:
//   1. clip_truth(): steady pan + AR(1) shake per frame, and the timestamps.
//   2. ClipRenderer: bound the texture region every frame sees (frame corners mapped back
//      through the inverse camera), make a texture that covers it plus a margin, and render
//      frame i as warpAffine(texture, inverse camera) with WARP_INVERSE_MAP.
#include "support/synthetic_clip.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <numbers>
#include <random>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace sw::test {
namespace {

// Independent substreams of one seed, so that e.g. adding VFR does not change the shake.
enum class Stream : std::uint64_t {
  path = 1,
  texture = 2,
  cut_texture = 3,
  timing = 4,
  noise = 5,
  overlay = 6
};

// splitmix64 (Steele, Lea, Flood 2014): decorrelates nearby seeds before seeding mt19937_64.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// std's distributions are implementation-defined; these transforms are not.
class Rng {
 public:
  Rng(std::uint64_t seed, Stream s) : gen_(mix(seed ^ mix(static_cast<std::uint64_t>(s)))) {}
  double uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int integer(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); }
  double normal() {  // Box-Muller; 1 - u keeps the log argument in (0, 1]
    const double r = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return r * std::cos(2 * std::numbers::pi * uniform());
  }

 private:
  std::mt19937_64 gen_;
};

constexpr double kAr1 = 0.5;         // AR(1) coefficient of the shake
constexpr double kPanYRatio = 0.25;  // y pan as a fraction of the x pan
constexpr int kTextureMargin = 8;    // beyond the region any frame samples (bicubic needs 2)

double deg_to_rad(double d) {
  return d * std::numbers::pi / 180.0;
}

cv::Vec3b random_colour(Rng& rng) {
  // One strong channel and two random ones: saturated enough to differ in chroma too.
  cv::Vec3b c(static_cast<uchar>(rng.integer(0, 255)), static_cast<uchar>(rng.integer(0, 255)),
              static_cast<uchar>(rng.integer(0, 255)));
  c[rng.integer(0, 2)] = static_cast<uchar>(rng.integer(0, 1) ? 235 : 20);
  return c;
}

// Blurred colour noise at two scales plus one shape per ~1500 px^2 (filled polygons and
// circles drawn without anti-aliasing, so their corners are strong), band-limited at the end
// so that resampling and LK see a smooth signal.
cv::Mat make_texture(int width, int height, Rng rng) {
  cv::Mat coarse(height / 32 + 2, width / 32 + 2, CV_8UC3);
  for (int y = 0; y < coarse.rows; ++y) {
    for (int x = 0; x < coarse.cols; ++x) {
      for (int c = 0; c < 3; ++c) coarse.at<cv::Vec3b>(y, x)[c] = rng.integer(50, 205);
    }
  }
  cv::Mat texture;
  cv::resize(coarse, texture, cv::Size(width, height), 0, 0, cv::INTER_CUBIC);

  cv::Mat fine(height, width, CV_32F);
  for (int y = 0; y < height; ++y) {
    auto* row = fine.ptr<float>(y);
    for (int x = 0; x < width; ++x) row[x] = static_cast<float>(rng.normal());
  }
  cv::GaussianBlur(fine, fine, cv::Size(0, 0), 1.5);
  cv::Mat fine8;
  fine.convertTo(fine8, CV_8U, 60.0, 128.0);  // blurred unit noise has std-dev ~0.19
  cv::Mat fine3;
  cv::cvtColor(fine8, fine3, cv::COLOR_GRAY2BGR);
  cv::addWeighted(texture, 1.0, fine3, 1.0, -128.0, texture);

  const int shapes = width * height / 1500;
  for (int s = 0; s < shapes; ++s) {
    const cv::Point2d centre(rng.uniform(0, width), rng.uniform(0, height));
    const double size = rng.uniform(5, 24);
    const cv::Vec3b colour = random_colour(rng);
    const cv::Scalar scalar(colour[0], colour[1], colour[2]);
    const int kind = rng.integer(0, 3);
    if (kind == 3) {
      cv::circle(texture, centre, static_cast<int>(size * 0.7), scalar, cv::FILLED, cv::LINE_8);
      continue;
    }
    // Triangle, quadrilateral or pentagon with jittered vertices: irregular, sharp corners.
    const int vertices = 3 + kind;
    const double phase = rng.uniform(0, 2 * std::numbers::pi);
    std::vector<cv::Point> poly;
    for (int v = 0; v < vertices; ++v) {
      const double a = phase + 2 * std::numbers::pi * (v + rng.uniform(-0.2, 0.2)) / vertices;
      const double r = size * rng.uniform(0.6, 1.0);
      poly.emplace_back(static_cast<int>(std::lround(centre.x + r * std::cos(a))),
                        static_cast<int>(std::lround(centre.y + r * std::sin(a))));
    }
    cv::fillConvexPoly(texture, poly, scalar, cv::LINE_8);
  }
  cv::GaussianBlur(texture, texture, cv::Size(0, 0), 0.8);
  return texture;
}

cv::Point2d apply_inverse(const sw::Transform2D& cam, cv::Point2d q) {
  // p = R(-da) (q - t): the steady-texture point that frame pixel q shows.
  const double c = std::cos(cam.da), s = std::sin(cam.da);
  const double x = q.x - cam.dx, y = q.y - cam.dy;
  return {c * x + s * y, -s * x + c * y};
}

}  // namespace

void validate(const ClipSpec& spec) {
  auto fail = [](const std::string& what) { throw sw::Error("clip spec", what); };
  auto got = [](auto v) { return ", got " + std::to_string(v); };
  if (spec.width < 16 || spec.width > 8192) fail("expected width in [16, 8192]" + got(spec.width));
  if (spec.height < 16 || spec.height > 8192)
    fail("expected height in [16, 8192]" + got(spec.height));
  if (spec.frames < 1) fail("expected frames >= 1" + got(spec.frames));
  if (spec.fps_num < 1 || spec.fps_den < 1)
    fail("expected a positive frame rate, got " + std::to_string(spec.fps_num) + "/" +
         std::to_string(spec.fps_den));
  if (!(spec.shake_px >= 0) || !(spec.shake_deg >= 0)) fail("expected shake_px and shake_deg >= 0");
  if (!std::isfinite(spec.pan_px_per_frame) || std::abs(spec.pan_px_per_frame) > 100)
    fail("expected |pan_px_per_frame| <= 100");
  if (spec.rotation_deg % 90 != 0 || std::abs(spec.rotation_deg) > 270)
    fail("expected rotation_deg in {0, 90, 180, 270, -90, -180, -270}" + got(spec.rotation_deg));
  if (spec.bit_depth != 8 && spec.bit_depth != 10)
    fail("expected bit_depth 8 or 10" + got(spec.bit_depth));
  if (spec.gop < 1) fail("expected gop >= 1" + got(spec.gop));
  if (spec.bframes < 0 || spec.bframes > 16)
    fail("expected bframes in [0, 16]" + got(spec.bframes));
  if (spec.crf < 0 || spec.crf > 51) fail("expected crf in [0, 51]" + got(spec.crf));
  if (spec.cut_at_frame >= spec.frames)
    fail("expected cut_at_frame < frames (" + std::to_string(spec.frames) + ")" +
         got(spec.cut_at_frame));
  if (!(spec.noise >= 0 && spec.noise <= 64)) fail("expected noise in [0, 64]");
  if (!(std::abs(spec.roll_drift_deg) <= 90)) fail("expected roll_drift_deg in [-90, 90]");
  if (spec.codec == "libx264" && (spec.width % 2 || spec.height % 2))
    fail("expected an even size for libx264 4:2:0, got " + std::to_string(spec.width) + "x" +
         std::to_string(spec.height) + " (use e.g. codec ffv1 for odd sizes)");
}

std::vector<sw::Transform2D> steady_path(const ClipSpec& spec) {
  std::vector<sw::Transform2D> path(static_cast<std::size_t>(std::max(spec.frames, 0)));
  for (std::size_t i = 0; i < path.size(); ++i) {
    path[i].dx = spec.pan_px_per_frame * static_cast<double>(i);
    path[i].dy = kPanYRatio * spec.pan_px_per_frame * static_cast<double>(i);
    if (path.size() > 1)
      path[i].da = deg_to_rad(spec.roll_drift_deg) * static_cast<double>(i) /
                   static_cast<double>(path.size() - 1);
  }
  return path;
}

int source_frame(const ClipSpec& spec, int i) {
  return spec.pulldown ? 2 * i / 5 : i;
}

std::vector<std::uint8_t> repeats_truth(const ClipSpec& spec) {
  std::vector<std::uint8_t> repeat(static_cast<std::size_t>(std::max(spec.frames, 0)), 0);
  for (int i = 1; i < spec.frames; ++i)
    repeat[static_cast<std::size_t>(i)] = source_frame(spec, i) == source_frame(spec, i - 1);
  return repeat;
}

ClipTruth clip_truth(const ClipSpec& spec) {
  validate(spec);
  ClipTruth truth;
  truth.camera = steady_path(spec);
  Rng rng(spec.seed, Stream::path);
  const double innovation = std::sqrt(1 - kAr1 * kAr1);
  const double sigma[3] = {spec.shake_px, spec.shake_px, deg_to_rad(spec.shake_deg)};
  double offset[3] = {};
  for (std::size_t i = 0; i < truth.camera.size(); ++i) {
    for (int k = 0; k < 3; ++k) {
      const double n = rng.normal();
      offset[k] = i == 0 ? sigma[k] * n : kAr1 * offset[k] + innovation * sigma[k] * n;
    }
    truth.camera[i].dx += offset[0];
    truth.camera[i].dy += offset[1];
    truth.camera[i].da += offset[2];
  }
  if (spec.pulldown) {
    // Frame i shows source frame floor(2 i / 5) <= i: its camera, and its picture.
    const std::vector<sw::Transform2D> source = truth.camera;
    for (int i = 0; i < spec.frames; ++i)
      truth.camera[static_cast<std::size_t>(i)] =
          source[static_cast<std::size_t>(source_frame(spec, i))];
  }

  truth.pts.resize(truth.camera.size());
  if (!spec.variable_frame_rate) {
    truth.time_base = {spec.fps_den, spec.fps_num};
    for (std::size_t i = 0; i < truth.pts.size(); ++i) truth.pts[i] = static_cast<std::int64_t>(i);
  } else {
    // Gaps uniform in [0.5, 1.5) nominal frame durations: irregular, strictly increasing, and
    // on average the nominal rate.
    truth.time_base = {1, 90000};
    const double nominal = 90000.0 * spec.fps_den / spec.fps_num;
    Rng timing(spec.seed, Stream::timing);
    std::int64_t t = 0;
    for (auto& pts : truth.pts) {
      pts = t;
      t += std::max<std::int64_t>(1, std::llround(nominal * timing.uniform(0.5, 1.5)));
    }
  }
  return truth;
}

cv::Rect overlay_rect(const ClipSpec& spec) {
  const int x = spec.width * 55 / 100, y = spec.height * 55 / 100;
  return {x, y, spec.width - x, spec.height - y};
}

sw::Motion truth_motion(const ClipTruth& truth, int i) {
  if (i < 1 || i >= static_cast<int>(truth.camera.size()))
    throw sw::Error("truth_motion", "expected a pair index in [1, " +
                                        std::to_string(truth.camera.size()) + "), got " +
                                        std::to_string(i));
  const auto& a = truth.camera[i - 1];
  const auto& b = truth.camera[i];
  sw::Motion m;
  m.da = b.da - a.da;
  const double c = std::cos(m.da), s = std::sin(m.da);
  m.dx = b.dx - (c * a.dx - s * a.dy);
  m.dy = b.dy - (s * a.dx + c * a.dy);
  m.status = sw::MotionStatus::ok;
  return m;
}

double jitter_px(const std::vector<sw::Transform2D>& path, const ClipSpec& spec) {
  const auto steady = steady_path(spec);
  if (path.size() != steady.size() || path.empty())
    throw sw::Error("jitter_px", "expected a path of " + std::to_string(steady.size()) +
                                     " frames, got " + std::to_string(path.size()));
  double sum = 0;  // in frame order, so the result does not depend on anything but the inputs
  for (std::size_t i = 0; i < path.size(); ++i) {
    const double ex = path[i].dx - steady[i].dx, ey = path[i].dy - steady[i].dy;
    sum += ex * ex + ey * ey;
  }
  return std::sqrt(sum / static_cast<double>(path.size()));
}

double truth_jitter_px(const ClipTruth& truth, const ClipSpec& spec) {
  return jitter_px(truth.camera, spec);
}

ClipRenderer::ClipRenderer(const ClipSpec& spec) : spec_(spec), truth_(clip_truth(spec)) {
  const double hx = (spec.width - 1) / 2.0, hy = (spec.height - 1) / 2.0;
  double lo_x = std::numeric_limits<double>::max(), lo_y = lo_x;
  double hi_x = std::numeric_limits<double>::lowest(), hi_y = hi_x;
  for (const auto& cam : truth_.camera) {
    for (const cv::Point2d q :
         {cv::Point2d(-hx, -hy), cv::Point2d(hx, -hy), cv::Point2d(-hx, hy), cv::Point2d(hx, hy)}) {
      const cv::Point2d p = apply_inverse(cam, q);
      lo_x = std::min(lo_x, p.x), hi_x = std::max(hi_x, p.x);
      lo_y = std::min(lo_y, p.y), hi_y = std::max(hi_y, p.y);
    }
  }
  origin_ = {std::ceil(-lo_x) + kTextureMargin, std::ceil(-lo_y) + kTextureMargin};
  const int tw = static_cast<int>(std::ceil(origin_.x + hi_x)) + kTextureMargin + 1;
  const int th = static_cast<int>(std::ceil(origin_.y + hi_y)) + kTextureMargin + 1;
  texture_ = make_texture(tw, th, Rng(spec.seed, Stream::texture));
  if (spec.overlay_scroll_px > 0) {
    const cv::Rect r = overlay_rect(spec);
    overlay_texture_ = make_texture(r.width + spec.overlay_scroll_px * spec.frames, r.height,
                                    Rng(spec.seed, Stream::overlay));
  }
  if (spec.cut_at_frame >= 0) {
    // Another shot: other content and, as between real shots, another exposure (darker, less
    // contrast), so its luma statistics differ from the first shot's.
    cut_texture_ = make_texture(tw, th, Rng(spec.seed, Stream::cut_texture));
    cut_texture_.convertTo(cut_texture_, -1, 0.55, 10);
  }
}

cv::Mat ClipRenderer::frame(int i) const {
  if (i < 0 || i >= spec_.frames)
    throw sw::Error("ClipRenderer", "expected a frame index in [0, " +
                                        std::to_string(spec_.frames) + "), got " +
                                        std::to_string(i));
  cv::Mat out = view(truth_.camera[static_cast<std::size_t>(i)],
                     spec_.cut_at_frame >= 0 && i >= spec_.cut_at_frame);
  if (spec_.moving_subject) {
    // Something that moves while the camera does not: 2 px a frame to the right, wrapping.
    const int side = std::max(4, spec_.height / 6);
    const int x = (2 * source_frame(spec_, i)) % std::max(1, spec_.width - side);
    cv::rectangle(out, cv::Rect(x, spec_.height / 3, side, side), cv::Scalar(128, 128, 128),
                  cv::FILLED);
  }
  if (spec_.overlay_scroll_px > 0) {
    const cv::Rect r = overlay_rect(spec_);
    const int x = spec_.overlay_scroll_px * source_frame(spec_, i);
    overlay_texture_(cv::Rect(x, 0, r.width, r.height)).copyTo(out(r));
  }
  if (spec_.noise > 0) {
    // Fresh noise per source frame (a repeat shows the same picture, noise and all).
    Rng rng(spec_.seed ^ static_cast<std::uint64_t>(source_frame(spec_, i)), Stream::noise);
    for (int r = 0; r < out.rows; ++r) {
      auto* row = out.ptr<cv::Vec3b>(r);
      for (int c = 0; c < out.cols; ++c) {
        const double n = spec_.noise * rng.normal();
        for (int k = 0; k < 3; ++k)
          row[c][k] = cv::saturate_cast<uchar>(static_cast<double>(row[c][k]) + n);
      }
    }
  }
  return out;
}

cv::Mat ClipRenderer::view(const sw::Transform2D& cam, bool after_cut) const {
  // WARP_INVERSE_MAP: dst(x, y) = texture(M (x, y, 1)), with M the absolute-pixel form of
  // p = R(-da) (q - t) / zoom, q = (x, y) - frame centre, texture pixel = p + origin.
  const double c = std::cos(cam.da) / cam.zoom, s = std::sin(cam.da) / cam.zoom;
  const double hx = (spec_.width - 1) / 2.0, hy = (spec_.height - 1) / 2.0;
  const double qx = -hx - cam.dx, qy = -hy - cam.dy;      // offset added to (x, y) before rotating
  const cv::Matx23d m(c, s, c * qx + s * qy + origin_.x,  //
                      -s, c, -s * qx + c * qy + origin_.y);
  // Bilinear, not bicubic: 3x faster at 720p, and LK (itself bilinear) then recovers the truth
  // more closely (max error over 20 pairs at 640x480: 0.006 px / 2e-5 rad vs 0.03 px / 1e-4 rad).
  cv::Mat out;
  cv::warpAffine(after_cut ? cut_texture_ : texture_, out, m, cv::Size(spec_.width, spec_.height),
                 cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REFLECT_101);
  return out;
}

void write_truth_csv(const std::string& path, const ClipTruth& truth) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "w"),
                                                          &std::fclose);
  if (!f) throw sw::Error(path, "cannot open for writing");
  std::fprintf(f.get(), "frame,dx,dy,da\n");
  for (std::size_t i = 0; i < truth.camera.size(); ++i) {
    const auto& c = truth.camera[i];
    // %.17g round-trips a double exactly.
    std::fprintf(f.get(), "%zu,%.17g,%.17g,%.17g\n", i, c.dx, c.dy, c.da);
  }
  if (std::fflush(f.get()) != 0 || std::ferror(f.get())) throw sw::Error(path, "write failed");
}

}  // namespace sw::test
