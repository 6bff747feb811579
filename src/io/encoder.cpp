#include "io/encoder.hpp"

#include <algorithm>
#include <cstring>

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include "io/frame_convert.hpp"

namespace sw::io {
namespace {

bool supports(const AVCodec* codec, AVPixelFormat fmt) {
  if (!codec->pix_fmts) return true;  // the encoder does not say: assume it does
  for (const AVPixelFormat* p = codec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p)
    if (*p == fmt) return true;
  return false;
}

// Sets a private encoder option if the encoder has it ("crf" means nothing to ffv1).
void set_private_option(AVCodecContext* enc, const char* name, const std::string& value,
                        const std::string& path) {
  if (!enc->priv_data) return;
  const int ret = av_opt_set(enc->priv_data, name, value.c_str(), 0);
  if (ret == AVERROR_OPTION_NOT_FOUND) return;
  if (ret < 0)
    throw Error(path, std::string("encoder option ") + name + "=" + value + " rejected (" +
                          av_error_string(ret) + ")");
}

AVRational to_av(Rational r) {
  return AVRational{r.num, r.den};
}

// The x264 instruction-set ceiling that keeps its output a function of its input alone, or null
// where no ceiling is needed. See EncodeOptions::x264_deterministic_simd for the measurements.
const char* x264_deterministic_asm() {
#if defined(__x86_64__) || defined(__i386__)
  // x264 enables its AVX-512 code only with all of F, CD, BW, DQ and VL; any CPU that has them
  // has the AVX2/FMA3/BMI2 set that "AVX2" names, so the ceiling never asks for more than the
  // CPU has.
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512cd"))
    return "AVX2";
#endif
  return nullptr;
}

}  // namespace

Encoder::Encoder(const EncodeOptions& options, const VideoStreamParams& params, bool global_header,
                 const std::string& output_path, std::vector<std::string>& warnings,
                 bool closed_gop)
    : path_(output_path), pkt_(make_packet()) {
  const AVCodec* codec = avcodec_find_encoder_by_name(options.encoder.c_str());
  if (!codec) throw Error(path_, "unknown encoder '" + options.encoder + "'");
  if (codec->type != AVMEDIA_TYPE_VIDEO)
    throw Error(path_, "encoder '" + options.encoder + "' is not a video encoder");
  enc_.reset(avcodec_alloc_context3(codec));
  if (!enc_) throw Error(path_, "out of memory (encoder)");

  choose_format(codec, params, warnings);

  const AVPixFmtDescriptor* fill_desc = av_pix_fmt_desc_get(fill_format_);
  const AVPixFmtDescriptor* enc_desc = av_pix_fmt_desc_get(enc_format_);
  // 4:2:0 needs even width and height, 4:2:2 an even width: drop the last column/row.
  const int sx = std::max(fill_desc->log2_chroma_w, enc_desc->log2_chroma_w);
  const int sy = std::max(fill_desc->log2_chroma_h, enc_desc->log2_chroma_h);
  const int width = (params.width >> sx) << sx;
  const int height = (params.height >> sy) << sy;
  if (width != params.width || height != params.height)
    warnings.push_back("odd size " + std::to_string(params.width) + "x" +
                       std::to_string(params.height) + " cannot be encoded with " +
                       av_get_pix_fmt_name(enc_format_) + "; output is " + std::to_string(width) +
                       "x" + std::to_string(height));

  enc_->width = width;
  enc_->height = height;
  enc_->pix_fmt = enc_format_;
  enc_->time_base = to_av(params.time_base);
  enc_->framerate = to_av(params.frame_rate);
  enc_->sample_aspect_ratio = to_av(params.sample_aspect_ratio);
  enc_->colorspace = static_cast<AVColorSpace>(params.color_space);
  enc_->color_range = static_cast<AVColorRange>(params.color_range);
  enc_->color_primaries = static_cast<AVColorPrimaries>(params.color_primaries);
  enc_->color_trc = static_cast<AVColorTransferCharacteristic>(params.color_trc);
  enc_->chroma_sample_location = static_cast<AVChromaLocation>(params.chroma_location);
  // A fixed number, never the machine's core count: x264's bytes depend on it.
  enc_->thread_count = options.encoder_threads;
  enc_->gop_size = options.gop;
  if (closed_gop) enc_->flags |= AV_CODEC_FLAG_CLOSED_GOP;
  if (global_header) enc_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  set_private_option(enc_.get(), "crf", std::to_string(options.crf), path_);
  set_private_option(enc_.get(), "preset", options.preset, path_);
  if (options.encoder == "libx264" && options.x264_deterministic_simd) {
    if (const char* asm_flags = x264_deterministic_asm())
      set_private_option(enc_.get(), "x264-params", std::string("asm=") + asm_flags, path_);
  }

  const int ret = avcodec_open2(enc_.get(), codec, nullptr);
  if (ret < 0)
    throw Error(path_,
                "cannot open encoder '" + options.encoder + "' (" + av_error_string(ret) + ")");

  fill_ = make_frame();
  fill_->format = fill_format_;
  fill_->width = width;
  fill_->height = height;
  av_check(av_frame_get_buffer(fill_.get(), 0), "allocating the output frame", path_);
  // SIMD encoders read whole aligned rows: keep the padding defined.
  for (AVBufferRef* b : fill_->buf)
    if (b) std::memset(b->data, 0, b->size);
  if (enc_format_ != fill_format_) {
    converted_ = make_frame();
    converted_->format = enc_format_;
    converted_->width = width;
    converted_->height = height;
    av_check(av_frame_get_buffer(converted_.get(), 0), "allocating the output frame", path_);
    sws_.reset(sws_getContext(width, height, fill_format_, width, height, enc_format_,
                              SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT, nullptr, nullptr,
                              nullptr));
    if (!sws_) throw Error(path_, "cannot convert frames for the encoder");
  }
  view_.chroma_shift_x = fill_desc->log2_chroma_w;
  view_.chroma_shift_y = fill_desc->log2_chroma_h;
}

void Encoder::choose_format(const AVCodec* codec, const VideoStreamParams& params,
                            std::vector<std::string>& warnings) {
  fill_format_ = yuv_for_shifts(params.chroma_shift_x, params.chroma_shift_y);
  if (supports(codec, fill_format_)) {
    enc_format_ = fill_format_;
    return;
  }
  enc_format_ = avcodec_find_best_pix_fmt_of_list(codec->pix_fmts, fill_format_, 0, nullptr);
  warnings.push_back(std::string("encoder '") + codec->name + "' does not take " +
                     av_get_pix_fmt_name(fill_format_) + "; frames are converted to " +
                     av_get_pix_fmt_name(enc_format_));
}

MutableFrameView& Encoder::begin_frame() {
  av_check(av_frame_make_writable(fill_.get()), "allocating the output frame", path_);
  for (int p = 0; p < 3; ++p) {
    MutablePlaneView& pv = view_.planes[p];
    pv.data = fill_->data[p];
    pv.stride = fill_->linesize[p];
    pv.width = p == 0 ? fill_->width : -((-fill_->width) >> view_.chroma_shift_x);
    pv.height = p == 0 ? fill_->height : -((-fill_->height) >> view_.chroma_shift_y);
    pv.bytes_per_sample = 1;
  }
  return view_;
}

void Encoder::encode(std::int64_t pts, std::int64_t duration, const PacketSink& sink) {
  AVFrame* frame = fill_.get();
  if (converted_) {
    av_check(av_frame_make_writable(converted_.get()), "allocating the output frame", path_);
    sws_scale(sws_.get(), fill_->data, fill_->linesize, 0, fill_->height, converted_->data,
              converted_->linesize);
    frame = converted_.get();
  }
  frame->pts = pts;
  frame->pict_type = AV_PICTURE_TYPE_NONE;  // let the encoder choose frame types
  durations_[pts] = duration;
  av_check(avcodec_send_frame(enc_.get(), frame), "encoding a frame", path_);
  drain(sink);
}

void Encoder::flush(const PacketSink& sink) {
  const int ret = avcodec_send_frame(enc_.get(), nullptr);  // enter draining mode
  if (ret != AVERROR_EOF) av_check(ret, "flushing the encoder", path_);
  drain(sink);
}

void Encoder::drain(const PacketSink& sink) {
  for (;;) {
    const int ret = avcodec_receive_packet(enc_.get(), pkt_.get());
    if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
    av_check(ret, "encoding a frame", path_);
    // Packets leave in decode order, so look the duration up by this packet's own pts.
    const auto it = durations_.find(pkt_->pts);
    if (it != durations_.end()) {
      if (pkt_->duration <= 0) pkt_->duration = it->second;
      durations_.erase(it);
    }
    sink(pkt_.get());
    av_packet_unref(pkt_.get());
  }
}

}  // namespace sw::io
