// ReaderOptions as data (core/param_codec.hpp): the MPI job. The last two fields never travel:
// `stop` is this process's, `index` a pointer into its memory (the job carries the index).
#pragma once

#include "core/param_codec.hpp"
#include "io/video_reader.hpp"

namespace sw::io {

constexpr auto fields_of(const ReaderOptions*) {
  using P = ReaderOptions;
  return std::tuple{field("decoder_threads", &P::decoder_threads),
                    field("skip_loop_filter", &P::skip_loop_filter),
                    field("convert_to_8bit_yuv", &P::convert_to_8bit_yuv)};
}
static_assert(all_described<ReaderOptions>(2), "describe every ReaderOptions field here");

}  // namespace sw::io
