// VideoStreamParams: what an encoder must know about the frames it is given and the input stream
// they came from, so that every encoder of a run (the transcoder's, or one per segment piece) is
// configured identically. Libav-free: colour properties are libav's enum values as ints.
#pragma once

#include "core/types.hpp"

namespace sw::io {

struct VideoStreamParams {
  // The size of the frames the reader delivers (before an encoder cuts odd 4:2:0 sizes to even).
  int width = 0;
  int height = 0;
  // Chroma subsampling of the delivered frames; the encoder's input is 8-bit YUV with the same.
  int chroma_shift_x = 1;
  int chroma_shift_y = 1;
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
};

}  // namespace sw::io
