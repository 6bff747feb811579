#include "io/output_format.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

namespace sw::io {

bool container_takes_encoder(const std::string& file_name, const std::string& encoder) {
  const AVOutputFormat* format = av_guess_format(nullptr, file_name.c_str(), nullptr);
  if (!format) return false;
  const AVCodec* codec = avcodec_find_encoder_by_name(encoder.c_str());
  const AVCodecID id = codec ? codec->id : AV_CODEC_ID_H264;
  // 1: it can, 0: it cannot, < 0: the format does not say (a format without a codec list).
  return avformat_query_codec(format, id, FF_COMPLIANCE_NORMAL) != 0;
}

}  // namespace sw::io
