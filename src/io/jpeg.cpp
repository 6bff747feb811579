#include "io/jpeg.hpp"

#include <algorithm>
#include <cmath>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include "core/error.hpp"
#include "io/av_ptr.hpp"
#include "io/frame_convert.hpp"

namespace sw::io {

namespace {

// Image tools' 1..100 quality to MJPEG's quantiser scale 2..31 (lower = finer): 100 -> 2,
// about 82 -> 4, 50 -> 8, the steps libjpeg's quality curve takes around the usual settings.
int quantiser(int quality) {
  const int q = std::clamp(quality, 1, 100);
  const double scale = q < 50 ? 50.0 / q : 2.0 - q / 50.0;  // libjpeg's scaling factor
  return std::clamp(static_cast<int>(std::lround(2 + scale * 6)), 2, 31);
}

}  // namespace

std::string encode_jpeg(const FrameView& frame, int width, int quality) {
  const int w = frame.planes[0].width, h = frame.planes[0].height;
  const int out_w = width > 0 && width < w ? width : w;
  const int out_h = std::max(2, static_cast<int>(std::lround(double(h) * out_w / w)) & ~1);

  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
  if (codec == nullptr) throw Error("jpeg", "FFmpeg has no MJPEG encoder");
  CodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) throw Error("jpeg", "out of memory (avcodec_alloc_context3)");
  ctx->width = out_w & ~1;
  ctx->height = out_h;
  ctx->pix_fmt = AV_PIX_FMT_YUVJ420P;  // full-range 4:2:0, what baseline JPEG viewers expect
  ctx->time_base = AVRational{1, 25};
  ctx->flags |= AV_CODEC_FLAG_QSCALE;
  ctx->global_quality = FF_QP2LAMBDA * quantiser(quality);
  if (avcodec_open2(ctx.get(), codec, nullptr) < 0) throw Error("jpeg", "cannot open MJPEG");

  FramePtr picture = make_frame();
  picture->format = ctx->pix_fmt;
  picture->width = ctx->width;
  picture->height = ctx->height;
  picture->quality = ctx->global_quality;
  if (av_frame_get_buffer(picture.get(), 0) < 0) throw Error("jpeg", "out of memory");

  if (frame.bit_depth != 8) throw Error("jpeg", "expected an 8-bit frame");
  const AVPixelFormat from = yuv_for_shifts(frame.chroma_shift_x, frame.chroma_shift_y);
  SwsPtr sws(sws_getContext(w, h, from, ctx->width, ctx->height, ctx->pix_fmt, SWS_AREA, nullptr,
                            nullptr, nullptr));
  if (!sws) throw Error("jpeg", "cannot convert the frame");
  const std::uint8_t* src[4] = {frame.planes[0].data, frame.planes[1].data, frame.planes[2].data,
                                nullptr};
  const int src_stride[4] = {frame.planes[0].stride, frame.planes[1].stride, frame.planes[2].stride,
                             0};
  sws_scale(sws.get(), src, src_stride, 0, h, picture->data, picture->linesize);

  PacketPtr packet = make_packet();
  if (avcodec_send_frame(ctx.get(), picture.get()) < 0 ||
      avcodec_send_frame(ctx.get(), nullptr) < 0 ||
      avcodec_receive_packet(ctx.get(), packet.get()) < 0) {
    throw Error("jpeg", "MJPEG encoding failed");
  }
  return std::string(reinterpret_cast<const char*>(packet->data),
                     static_cast<std::size_t>(packet->size));
}

}  // namespace sw::io
