#include "io/encoder.hpp"

#include <algorithm>
#include <cstring>

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include "io/frame_convert.hpp"
#include "io/hdr_metadata.hpp"

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

// --encoder copy-codec: the input's codec family. AV1 prefers SVT-AV1 (several times faster
// than libaom at a similar quality) when this libavcodec has it.
std::string encoder_name(const EncodeOptions& options, const VideoStreamParams& params,
                         const std::string& path) {
  if (options.encoder != kCopyCodec) return options.encoder;
  const std::string& c = params.codec_name;
  if (c == "h264") return "libx264";
  if (c == "hevc") return "libx265";
  if (c == "vp9") return "libvpx-vp9";
  if (c == "av1") {
    for (const char* name : {"libsvtav1", "libaom-av1"})
      if (avcodec_find_encoder_by_name(name)) return name;
  }
  throw Error(path, std::string("--encoder ") + kCopyCodec +
                        ": no encoder for the input's codec '" + c +
                        "' (H.264, HEVC, VP9 and AV1 have one); choose one with --encoder");
}

std::string join_params(const std::string& a, const std::string& b) {
  return a.empty() ? b : b.empty() ? a : a + ":" + b;
}

}  // namespace

Encoder::Encoder(const EncodeOptions& options, const VideoStreamParams& params, bool global_header,
                 const std::string& output_path, std::vector<std::string>& warnings,
                 bool closed_gop)
    : path_(output_path), pkt_(make_packet()) {
  const std::string name = encoder_name(options, params, path_);
  const AVCodec* codec = avcodec_find_encoder_by_name(name.c_str());
  if (!codec) throw Error(path_, "unknown encoder '" + name + "'");
  if (codec->type != AVMEDIA_TYPE_VIDEO)
    throw Error(path_, "encoder '" + name + "' is not a video encoder");
  enc_.reset(avcodec_alloc_context3(codec));
  if (!enc_) throw Error(path_, "out of memory (encoder)");
  const bool x264 = name == "libx264", x265 = name == "libx265";
  const bool copy_codec = options.encoder == kCopyCodec;

  choose_format(codec, options, params, warnings);

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
  if (copy_codec && params.bit_rate > 0) {
    // The input's average bit rate (one-pass ABR), for every codec. A CRF picked from the
    // input's bits per pixel missed it by 2.7x (footage 06 as 10-bit HEVC: 1.18 Mbit/s in,
    // 3.2 Mbit/s out with x265 at the CRF that rule gave): what a CRF spends depends on the
    // content's noise and motion. Each segment piece's rate control aims at the same average,
    // so the whole output does too.
    enc_->bit_rate = params.bit_rate;
  } else {
    if (copy_codec)
      warnings.push_back("the input's bit rate is unknown: --encoder copy-codec uses --crf " +
                         std::to_string(options.crf));
    set_private_option(enc_.get(), "crf", std::to_string(options.crf), path_);
  }
  if (!copy_codec || x264 || x265) set_private_option(enc_.get(), "preset", options.preset, path_);
  // HDR10 metadata into the bitstream (SEI), as the camera wrote it: libavcodec 5.1's x264 and
  // x265 wrappers do not take it from frames or the context. The container gets it too
  // (Muxer, stream side data).
  const std::string hdr = hdr_encoder_params(params.hdr, x265);
  if (x264) {
    std::string p;
    if (options.x264_deterministic_simd) {
      if (const char* asm_flags = x264_deterministic_asm()) p = std::string("asm=") + asm_flags;
    }
    p = join_params(p, hdr);
    if (!p.empty()) set_private_option(enc_.get(), "x264-params", p, path_);
  } else if (x265) {
    // x265 sizes its thread pool from the machine's cores, and its frame threads (which change
    // the bytes) from the pool: both fixed, as for x264. Its info lines would clutter stderr.
    const std::string threads = std::to_string(options.encoder_threads);
    set_private_option(
        enc_.get(), "x265-params",
        join_params("log-level=error:pools=" + threads + ":frame-threads=" + threads, hdr), path_);
  }

  const int ret = avcodec_open2(enc_.get(), codec, nullptr);
  if (ret < 0)
    throw Error(path_, "cannot open encoder '" + name + "' (" + av_error_string(ret) + ")");

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
  fill_desc_step_ = fill_desc->comp[0].step;
  view_.bit_depth = fill_desc->comp[0].depth;
  view_.chroma_shift_x = fill_desc->log2_chroma_w;
  view_.chroma_shift_y = fill_desc->log2_chroma_h;
}

void Encoder::choose_format(const AVCodec* codec, const EncodeOptions& options,
                            const VideoStreamParams& params, std::vector<std::string>& warnings) {
  // The caller fills frames at the input's depth (the warp keeps it); swscale converts to the
  // encoder's format where that differs.
  fill_format_ = yuv_for_shifts(params.chroma_shift_x, params.chroma_shift_y, params.bit_depth);
  if (!options.pix_fmt.empty()) {
    enc_format_ = av_get_pix_fmt(options.pix_fmt.c_str());
    if (enc_format_ == AV_PIX_FMT_NONE)
      throw Error(path_, "unknown pixel format '" + options.pix_fmt + "'");
    if (!supports(codec, enc_format_))
      throw Error(path_, std::string("encoder '") + codec->name + "' does not take pixel format " +
                             options.pix_fmt);
    return;
  }
  // Default: the input's chroma, at 8 bits for 8-bit input and 10 bits for deeper input (10 is
  // what HDR10 and the players need; 12-bit input is rare and few decoders play 12-bit).
  const AVPixelFormat wanted =
      yuv_for_shifts(params.chroma_shift_x, params.chroma_shift_y, params.bit_depth > 8 ? 10 : 8);
  if (supports(codec, wanted)) {
    enc_format_ = wanted;
    return;
  }
  enc_format_ = avcodec_find_best_pix_fmt_of_list(codec->pix_fmts, wanted, 0, nullptr);
  warnings.push_back(std::string("encoder '") + codec->name + "' does not take " +
                     av_get_pix_fmt_name(wanted) + "; frames are converted to " +
                     av_get_pix_fmt_name(enc_format_));
}

MutableFrameView& Encoder::begin_frame() {
  av_check(av_frame_make_writable(fill_.get()), "allocating the output frame", path_);
  for (int p = 0; p < 3; ++p) {
    MutablePlaneView& pv = view_.planes[p];
    pv.data = fill_->data[p];
    pv.stride = fill_->linesize[p];
    pv.width = p == 0 ? fill_->width : chroma_extent(fill_->width, view_.chroma_shift_x);
    pv.height = p == 0 ? fill_->height : chroma_extent(fill_->height, view_.chroma_shift_y);
    pv.bytes_per_sample = fill_desc_step_;
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
