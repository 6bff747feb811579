// Value types exchanged between the stages. Plain data only: no behaviour beyond trivial helpers.
//
// Index convention used everywhere: frames are numbered 0..N-1 in presentation order.
// The motion of frame i (i >= 1) is the pair (i-1 -> i); frame 0 has no pair.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace sw {

// Why a pair's motion is (or is not) usable. Stored as uint8 in the run store.
enum class MotionStatus : std::uint8_t {
  ok = 0,
  no_features = 1,     // Shi-Tomasi found too few corners in frame i-1 (black water, fog, lens cap)
  too_few_tracks = 2,  // Lucas-Kanade lost too many of them in frame i
  fit_failed = 3,      // RANSAC found no consistent partial affine
  first_frame = 4,     // frame 0 (or a segment's first frame): there is no previous frame
  missing_frame = 5,   // frame i-1 or i could not be decoded, so the pair was not measured
};

const char* to_string(MotionStatus s);

// Rigid-ish motion of one pair (frame i-1 -> frame i), estimated as a partial affine
// (rotation + uniform scale + translation; the scale is measured but not used by the path).
// Coordinates: full-resolution pixels of the *coded* frame, origin at the frame centre, so
// that translation and rotation are decoupled for the cumulative trajectory.
// A point p in frame i-1 maps to R(da) * p + (dx, dy) in frame i.
struct Motion {
  double dx = 0;  // pixels
  double dy = 0;  // pixels
  double da = 0;  // radians, counter-clockwise in image coordinates (y down)
  double scale = 1;
  std::int32_t corners = 0;  // corners found in frame i-1
  std::int32_t tracked = 0;  // of those, tracked into frame i
  std::int32_t inliers = 0;  // RANSAC inliers
  MotionStatus status = MotionStatus::first_frame;
  // How different the two frames look, whatever the motion: half the L1 distance between the
  // normalised 32-bin luma histograms of the analysis images, in [0, 1] (0 = same histogram,
  // 1 = disjoint). The path stage splits the video at hard cuts with it. 0 for first_frame;
  // NaN when unknown (a store written before the field existed).
  double scene_score = 0;
  // How much the picture changed, whatever the cause: the mean absolute difference of the two
  // analysis lumas, pixel for pixel, in 8-bit levels (0 = the same picture). A repeated frame
  // (24 fps content stretched to 60 by showing frames again) differs only by the encoder's
  // noise; path/repeats.cpp finds them with it. NaN when unknown (first_frame, a Motion made
  // by hand, a store written before the field existed): such a pair is never a repeat.
  double picture_diff = std::numeric_limits<double>::quiet_NaN();

  bool valid() const { return status == MotionStatus::ok; }
};

// A per-frame 2D similarity about the frame centre: p' = zoom * R(da) * p + (dx, dy).
// The path stage produces one per frame (the correction); render applies it.
struct Transform2D {
  double dx = 0;
  double dy = 0;
  double da = 0;
  double zoom = 1;
};

// A rational number, same meaning as AVRational, without pulling libav headers into core.
struct Rational {
  int num = 0;
  int den = 1;
  double value() const { return den == 0 ? 0.0 : static_cast<double>(num) / den; }
};

// What the demuxer learns about the video stream before decoding.
struct VideoInfo {
  std::string path;
  int width = 0;  // coded size (before display rotation)
  int height = 0;
  int bit_depth = 8;
  std::string pix_fmt;            // libav's name, e.g. "yuv420p", "yuv420p10le"
  std::string codec;              // e.g. "h264", "vp9"
  Rational time_base;             // of the video stream
  Rational avg_frame_rate;        // may be 0/0 when unknown
  std::int64_t frame_count = -1;  // from the container when it knows, else -1
  double duration_s = 0;
  double rotation_deg = 0;  // display matrix rotation, counter-clockwise, as libav reports it
  bool variable_frame_rate = false;
};

// The frames of a video stream as a demux-only scan sees them (no decoding): frame k in
// presentation order has pts[k] (strictly increasing, on time_base) and keyframe[k] = 1 when
// decoding can start there. The frame numbering of every pass is defined by this index, so it
// never depends on where decoding started.
struct FrameIndex {
  std::vector<std::int64_t> pts;
  std::vector<std::uint8_t> keyframe;
  Rational time_base;
  std::size_t size() const { return pts.size(); }
};

}  // namespace sw
