#include "io/encoder.hpp"

#include <algorithm>
#include <cstring>

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

namespace sw::io {
namespace {

AVPixelFormat yuv_for_shifts(int sx, int sy) {
  if (sx == 0 && sy == 0) return AV_PIX_FMT_YUV444P;
  if (sx == 1 && sy == 0) return AV_PIX_FMT_YUV422P;
  return AV_PIX_FMT_YUV420P;
}

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

}  // namespace

Encoder::Encoder(const EncodeOptions& options, FrameSource& source, bool global_header,
                 const std::string& output_path, std::vector<std::string>& warnings)
    : path_(output_path), pkt_(make_packet()) {
  const AVCodec* codec = avcodec_find_encoder_by_name(options.encoder.c_str());
  if (!codec) throw Error(path_, "unknown encoder '" + options.encoder + "'");
  if (codec->type != AVMEDIA_TYPE_VIDEO)
    throw Error(path_, "encoder '" + options.encoder + "' is not a video encoder");
  enc_.reset(avcodec_alloc_context3(codec));
  if (!enc_) throw Error(path_, "out of memory (encoder)");

  choose_format(codec, source, warnings);

  const AVStream* in = source.demuxer().video_stream();
  const AVCodecContext& dec = source.decoder();
  const FrameConverter& conv = source.converter();
  const AVPixFmtDescriptor* fill_desc = av_pix_fmt_desc_get(fill_format_);
  const AVPixFmtDescriptor* enc_desc = av_pix_fmt_desc_get(enc_format_);
  // 4:2:0 needs even width and height, 4:2:2 an even width: drop the last column/row.
  const int sx = std::max(fill_desc->log2_chroma_w, enc_desc->log2_chroma_w);
  const int sy = std::max(fill_desc->log2_chroma_h, enc_desc->log2_chroma_h);
  const int width = (conv.width() >> sx) << sx;
  const int height = (conv.height() >> sy) << sy;
  if (width != conv.width() || height != conv.height())
    warnings.push_back("odd size " + std::to_string(conv.width()) + "x" +
                       std::to_string(conv.height()) + " cannot be encoded with " +
                       av_get_pix_fmt_name(enc_format_) + "; output is " + std::to_string(width) +
                       "x" + std::to_string(height));

  enc_->width = width;
  enc_->height = height;
  enc_->pix_fmt = enc_format_;
  enc_->time_base = in->time_base;
  enc_->framerate = in->avg_frame_rate.num > 0 ? in->avg_frame_rate : in->r_frame_rate;
  enc_->sample_aspect_ratio =
      av_guess_sample_aspect_ratio(source.demuxer().context(), const_cast<AVStream*>(in), nullptr);
  if (conv.from_rgb()) {
    // swscale made BT.601 limited-range YUV out of RGB/gray; say so instead of copying "RGB".
    enc_->colorspace = AVCOL_SPC_SMPTE170M;
    enc_->color_range = AVCOL_RANGE_MPEG;
  } else {
    enc_->colorspace = dec.colorspace;
    const bool jpeg_format = dec.pix_fmt == AV_PIX_FMT_YUVJ420P ||
                             dec.pix_fmt == AV_PIX_FMT_YUVJ422P ||
                             dec.pix_fmt == AV_PIX_FMT_YUVJ444P;
    enc_->color_range = jpeg_format ? AVCOL_RANGE_JPEG : dec.color_range;
  }
  enc_->color_primaries = dec.color_primaries;
  enc_->color_trc = dec.color_trc;
  enc_->chroma_sample_location = dec.chroma_sample_location;
  // A fixed number, never the machine's core count: x264's bytes depend on it.
  enc_->thread_count = options.encoder_threads;
  enc_->gop_size = options.gop;
  if (global_header) enc_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  set_private_option(enc_.get(), "crf", std::to_string(options.crf), path_);
  set_private_option(enc_.get(), "preset", options.preset, path_);

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

void Encoder::choose_format(const AVCodec* codec, const FrameSource& source,
                            std::vector<std::string>& warnings) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(source.converter().format());
  fill_format_ = yuv_for_shifts(d->log2_chroma_w, d->log2_chroma_h);
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
