// What the render pass's encoder is asked for (io/encoder.hpp, io/segment_encoder.hpp,
// io/video_transcoder.hpp). Described as data in io/encode_options_json.hpp.
#pragma once

#include <string>

namespace sw::io {

// --encoder copy-codec: the encoder of the input's codec family (io/encoder.cpp).
inline constexpr const char* kCopyCodec = "copy-codec";

struct EncodeOptions {
  // Any libavcodec video encoder by name, or kCopyCodec. libx264 also for 10-bit output
  // (High 10): it is the default encoder's own high-bit-depth mode (this Debian build takes
  // yuv420p10le, 4:2:2 and 4:4:4 at 10 bits too), with the same presets, speed and the
  // determinism cap below; libx265 (--encoder libx265 or copy-codec on HEVC input) is what
  // HDR players and TVs decode in hardware, H.264 High 10 rarely is.
  std::string encoder = "libx264";
  int crf = 20;                     // libx264/libx265 quality; ignored by encoders without it
  std::string preset = "veryfast";  // libx264/libx265 preset
  // The encoder's own thread count. Fixed by default (never the machine's core count), because
  // x264's output bytes depend on its thread count: the same command gives the same bytes on
  // every machine.
  int encoder_threads = 2;
  // The encoder's pixel format by libav name ("yuv420p10le"); empty = planar YUV with the
  // input's chroma subsampling, 8-bit for 8-bit input and 10-bit for 10/12-bit input.
  std::string pix_fmt;
  int gop = 250;  // maximum keyframe interval, frames
  // libx264 only: cap x264's instruction set at AVX2 on CPUs with AVX-512 (x264-params
  // asm=AVX2), so that its bytes depend only on the frames and these options. With this x264
  // (0.164.3095) on AVX-512 (AMD EPYC here), the same encode repeated in one process gave
  // different bytes: 320x240 testsrc, 120 frames, veryfast, crf 20, 2 threads: 3 runs gave 3
  // different streams, and 2 of 3 pairs run at the same time on 2 threads differed. Capped at
  // AVX2, every repeated, interleaved and concurrent run was identical (as with no-mbtree or
  // bframes=0, which change the stream and cost quality). Segments are encoded by several
  // threads of one process, so without the cap the output would depend on scheduling.
  // Speed, 1080p (footage 01, 120 frames, veryfast, crf 20, 2 threads, 2 cores, 6 runs each):
  // auto 3.46 s (34.7 fps), AVX2 3.30 s (36.4 fps): no cost (AVX2 was ~5% faster).
  // No effect on CPUs without AVX-512; bytes differ from an uncapped encode.
  bool x264_deterministic_simd = true;
};

}  // namespace sw::io
