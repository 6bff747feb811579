// VideoStreamParams: what an encoder must know about the frames it is given and the input stream
// they came from, so that every encoder of a run (the transcoder's, or one per segment piece) is
// configured identically. Libav-free: colour properties are libav's enum values as ints.
#pragma once

#include <optional>
#include <string>

#include "core/types.hpp"

namespace sw::io {

// SMPTE ST 2086 mastering display colour volume, as libav's AVMasteringDisplayMetadata holds it.
struct MasteringDisplay {
  Rational primaries[3][2];  // CIE 1931 xy of red, green, blue (libav's order)
  Rational white_point[2];
  Rational min_luminance;  // cd/m2
  Rational max_luminance;
  bool has_primaries = false;
  bool has_luminance = false;
};

// CTA-861.3 content light level, as libav's AVContentLightMetadata holds it.
struct ContentLight {
  unsigned max_cll = 0;   // cd/m2, brightest pixel of the stream
  unsigned max_fall = 0;  // cd/m2, brightest frame average
};

// HDR10 static metadata of a stream (both absent for SDR).
struct HdrMetadata {
  std::optional<MasteringDisplay> mastering_display;
  std::optional<ContentLight> content_light;
};

struct VideoStreamParams {
  // The size of the frames the reader delivers (before an encoder cuts odd 4:2:0 sizes to even).
  int width = 0;
  int height = 0;
  // Chroma subsampling and depth of the delivered frames (8, 10 or 12 bits: deeper samples are
  // 16-bit words). The encoder is filled with planar YUV of the same.
  int chroma_shift_x = 1;
  int chroma_shift_y = 1;
  int bit_depth = 8;
  Rational time_base;            // of the input video stream: output pts are input pts
  Rational frame_rate;           // avg_frame_rate, else r_frame_rate
  Rational sample_aspect_ratio;  // 0/1 when unknown
  // AVColorSpace, AVColorRange, AVColorPrimaries, AVColorTransferCharacteristic,
  // AVChromaLocation. RGB/gray inputs are delivered as BT.601 limited range, and say so here.
  int color_space = 2;  // unspecified
  int color_range = 0;
  int color_primaries = 2;
  int color_trc = 2;
  int chroma_location = 0;
  // From the input stream's side data, else from its first frame's (HEVC/H.264 SEI).
  HdrMetadata hdr;
  // The input's codec (libav's name: "h264", "hevc", ...) and bit rate in bit/s (0 unknown),
  // for --encoder copy-codec.
  std::string codec_name;
  std::int64_t bit_rate = 0;
};

}  // namespace sw::io
