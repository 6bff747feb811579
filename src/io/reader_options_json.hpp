// ReaderOptions as data (core/param_codec.hpp): the MPI job. `index`, the last field, is a
// pointer into this process's memory: it never travels (the job carries the index itself).
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
static_assert(all_described<ReaderOptions>(1), "describe every ReaderOptions field here");

}  // namespace sw::io
