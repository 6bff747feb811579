// RAII for libav handles, and the one place where libav error codes become sw::Error.
//
// One deleter per libav type, each calling the matching *_free function, so that every handle
// is released on every path (including exceptions) without `goto end` ladders.
// Internal to src/io: nothing outside this folder includes libav headers.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

#include "core/error.hpp"

namespace sw::io {

// An input context from avformat_open_input(); closes it (and its AVIOContext).
struct InputFormatDeleter {
  void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
// An output context from avformat_alloc_output_context2(). Does NOT close ctx->pb: the muxer
// owns that separately because it must be closed before the rename.
struct OutputFormatDeleter {
  void operator()(AVFormatContext* ctx) const { avformat_free_context(ctx); }
};
// A codec context from avcodec_alloc_context3().
struct CodecContextDeleter {
  void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
// A frame from av_frame_alloc(); drops its buffer references too.
struct FrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
// A packet from av_packet_alloc(). Do not use with a packet that was not allocated that way.
struct PacketDeleter {
  void operator()(AVPacket* pkt) const { av_packet_free(&pkt); }
};
// Codec parameters from avcodec_parameters_alloc().
struct CodecParametersDeleter {
  void operator()(AVCodecParameters* par) const { avcodec_parameters_free(&par); }
};
// A scaler from sws_getContext()/sws_getCachedContext().
struct SwsDeleter {
  void operator()(SwsContext* ctx) const { sws_freeContext(ctx); }
};

using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using CodecParametersPtr = std::unique_ptr<AVCodecParameters, CodecParametersDeleter>;

// libav's text for an AVERROR code. (av_err2str() is a C compound literal and does not compile
// as C++, so this wraps av_strerror().)
inline std::string av_error_string(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof(buf));
  return buf;
}

// Throws sw::Error{path, "<what> failed (<libav reason>)"} when ret is a negative AVERROR.
inline int av_check(int ret, const char* what, const std::string& path) {
  if (ret < 0) throw Error(path, std::string(what) + " failed (" + av_error_string(ret) + ")");
  return ret;
}

// Allocation helpers that throw instead of returning null (libav reports out of memory as null).
inline FramePtr make_frame() {
  FramePtr f(av_frame_alloc());
  if (!f) throw Error("", "out of memory (av_frame_alloc)");
  return f;
}
inline PacketPtr make_packet() {
  PacketPtr p(av_packet_alloc());
  if (!p) throw Error("", "out of memory (av_packet_alloc)");
  return p;
}

}  // namespace sw::io
