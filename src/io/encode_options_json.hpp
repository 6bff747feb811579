// EncodeOptions as data (core/param_codec.hpp): the render key, the MPI job.
#pragma once

#include "core/param_codec.hpp"
#include "io/encode_options.hpp"

namespace sw::io {

constexpr auto fields_of(const EncodeOptions*) {
  using P = EncodeOptions;
  return std::tuple{field("encoder", &P::encoder),
                    field("crf", &P::crf),
                    field("preset", &P::preset),
                    field("encoder_threads", &P::encoder_threads),
                    field("pix_fmt", &P::pix_fmt),
                    field("gop", &P::gop),
                    field("x264_deterministic_simd", &P::x264_deterministic_simd)};
}
static_assert(all_described<EncodeOptions>(), "describe every EncodeOptions field here");

}  // namespace sw::io
