// Synthetic shaky clips whose true camera motion is known, for tests and the README's sample.
//
// A clip is a seeded procedural texture (blurred colour noise plus many sharp-cornered shapes),
// larger than the frame, seen through a camera that pans slowly and shakes. Every frame is the
// texture warped by that frame's camera transform (cv::warpAffine, bilinear), then converted to
// YUV with swscale, encoded with libavcodec and muxed with libavformat.
//
// Truth convention (the same as sw::Motion in src/core/types.hpp): pixel coordinates about the
// frame centre ((W-1)/2, (H-1)/2), y down, angles in radians with R(a) = [cos a, -sin a;
// sin a, cos a] (what cv::estimateAffinePartial2D reports as atan2(m10, m00)).
//   camera[i] = {dx, dy, da, 1}: a point p of the steady texture appears at R(da) p + (dx, dy)
//   in frame i. camera[i] holds both the pan and the shake.
// Hence the motion of the pair (i-1 -> i), a point q of frame i-1 mapping to R(da) q + (dx, dy)
// in frame i, is da = da_i - da_{i-1} and (dx, dy) = t_i - R(da) t_{i-1} (see truth_motion()).
//
// Shake model: translation and rotation offsets from the steady pan each follow an AR(1)
// process o_i = 0.5 o_{i-1} + sqrt(1 - 0.25) sigma n_i, started from its stationary law, so
// every o_i has std-dev sigma (shake_px per axis, shake_deg), and the frame-to-frame change
// o_i - o_{i-1} has std-dev sigma too. All randomness comes from std::mt19937_64 with
// hand-written uniform/normal transforms, so a seed gives the same clip on every platform's
// standard library (the encoded bytes are only guaranteed identical on the same machine and
// libav build).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/types.hpp"

namespace sw::test {

struct ClipSpec {
  int width = 320, height = 240, frames = 90;
  int fps_num = 30, fps_den = 1;
  double shake_px = 4;            // std-dev of the AR(1) translation offset, per axis
  double shake_deg = 1.0;         // std-dev of the AR(1) rotation offset
  double pan_px_per_frame = 0.5;  // steady pan: this in x, a quarter of it in y
  std::uint64_t seed = 1;
  bool audio = false;                // AAC mono 440 Hz sine, 48 kHz, same duration, native "aac"
  int rotation_deg = 0;              // display matrix rotation (0, 90, 180, 270, -90), mp4/mov only
  bool variable_frame_rate = false;  // irregular, strictly increasing pts on a 1/90000 clock
  int bit_depth = 8;                 // 8 or 10 (yuv420p / yuv420p10le, or the codec's nearest)
  std::string codec = "libx264";     // any libavcodec encoder name, e.g. "ffv1" for odd sizes
  int gop = 250;
  int bframes = 0;
  int crf = 16;           // libx264 only
  int cut_at_frame = -1;  // >= 0: frames from here on show a different texture
  // Content at 2/5 of the frame rate shown in a 2:3 pattern (24 fps film at 60): frame i shows
  // source frame floor(2 i / 5), whose camera is the shake model's camera[floor(2 i / 5)], so
  // frames 1, 2, 4, 6, 7, 9, ... repeat the picture before them (see repeats_truth()).
  bool pulldown = false;
  double noise = 0;             // std-dev of fresh Gaussian pixel noise in every frame, levels
  bool moving_subject = false;  // a grey square crossing the frame, 2 px a frame, camera aside
  // A steady roll: the camera turns by this much (degrees) from the first frame to the last,
  // linearly, on top of the pan and the shake (a horizon that drifts); part of steady_path().
  double roll_drift_deg = 0;
  // HDR10 labels: BT.2020 primaries and matrix, PQ transfer, and (libx265 only) the mastering
  // display and content light level SEI below. The pixels are what they are without it.
  bool hdr10 = false;
  // > 0: a textured block fixed on the screen over the bottom-right corner (x and y from 55 %
  // of the frame on, see overlay_rect()), its own texture scrolling left this many px a frame,
  // camera aside: a dashboard display or a HUD that drags a motion estimate.
  int overlay_scroll_px = 0;
};

// The HDR10 metadata of a clip with hdr10 (x265's notation: chromaticities in 0.00002,
// luminance in 0.0001 cd/m2): a P3 display of 1000 cd/m2, content at 1000/400 cd/m2.
inline constexpr const char* kHdr10MasterDisplay =
    "G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)";
inline constexpr unsigned kHdr10MaxCll = 1000;
inline constexpr unsigned kHdr10MaxFall = 400;

struct ClipTruth {
  std::vector<sw::Transform2D> camera;  // camera[i]: steady texture -> frame i, see above
  std::vector<std::int64_t> pts;        // pts[i] of frame i on time_base, as given to the muxer
  sw::Rational time_base;               // 1/90000 for VFR, fps_den/fps_num otherwise
};

// The source frame that frame i shows: i, or floor(2 i / 5) with pulldown.
int source_frame(const ClipSpec& spec, int i);

// repeat[i] = 1 iff frame i shows the same source frame as frame i-1 (pulldown only).
std::vector<std::uint8_t> repeats_truth(const ClipSpec& spec);

// The overlay's rectangle in every frame (overlay_scroll_px > 0).
cv::Rect overlay_rect(const ClipSpec& spec);

// Throws sw::Error{"clip spec", "expected ..., got ..."} for an unusable spec.
void validate(const ClipSpec& spec);

// The camera path and timestamps alone (cheap: nothing is rendered or encoded).
ClipTruth clip_truth(const ClipSpec& spec);

// The pan alone, i.e. camera[i] without the shake: what a perfect stabilizer keeps.
std::vector<sw::Transform2D> steady_path(const ClipSpec& spec);

// Motion of the pair (i-1 -> i), 1 <= i < frames, in sw::Motion's convention, status ok.
// Across a cut the camera motion is still this, but the content does not follow it.
sw::Motion truth_motion(const ClipTruth& truth, int i);

// Translation jitter of a path against the steady pan: sqrt(mean_i |t_i - s_i|^2), where t_i
// and s_i are the (dx, dy) of path[i] and steady_path(spec)[i] and |.| is the Euclidean norm
// (both axes together, so for a long clip it tends to sqrt(2) * shake_px). Rotation is not
// included. Works for any per-frame path in the camera convention, e.g. a stabilized one.
double jitter_px(const std::vector<sw::Transform2D>& path, const ClipSpec& spec);
double truth_jitter_px(const ClipTruth& truth, const ClipSpec& spec);

// Renders frames without encoding: the exact BGR images make_shaky_clip() encodes.
class ClipRenderer {
 public:
  explicit ClipRenderer(const ClipSpec& spec);

  const ClipTruth& truth() const { return truth_; }
  cv::Mat frame(int i) const;  // CV_8UC3 BGR, spec.width x spec.height
  // The first shot's texture seen through any camera (zoom included): frame(i) is
  // view(truth().camera[i]) before a cut, without the moving subject and the noise. The truth
  // of a full-frame output, whose pixels may lie outside every input frame.
  cv::Mat view(const sw::Transform2D& camera, bool after_cut = false) const;

 private:
  ClipSpec spec_;
  ClipTruth truth_;
  cv::Point2d origin_;  // texture pixel of the steady texture's point (0, 0)
  cv::Mat texture_;
  cv::Mat cut_texture_;      // shown from cut_at_frame on; empty without a cut
  cv::Mat overlay_texture_;  // scrolls through overlay_rect(); empty without an overlay
};

// Renders and encodes the clip to `path` (container from the extension: .mp4, .mkv, .mov, ...).
// Writes `path`.tmp and renames it on success, so a failure never leaves a partial clip.
// Deterministic: libx264 runs with threads 1 and bit-exact flags are set on codecs and muxer.
// Throws sw::Error{path, problem} on failure.
ClipTruth make_shaky_clip(const std::string& path, const ClipSpec& spec);

// CSV with header "frame,dx,dy,da" and one row per frame (camera[i], da in radians).
void write_truth_csv(const std::string& path, const ClipTruth& truth);

}  // namespace sw::test
