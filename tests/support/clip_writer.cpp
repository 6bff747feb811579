// Encoding and muxing of synthetic clips with libavcodec/libavformat (see synthetic_clip.hpp).
//
// The loop follows FFmpeg's doc/examples (send/receive, flush with nullptr, packets rescaled
// from the encoder's to the stream's time base). Audio is produced in step with the video so
// that the muxer's interleaving queue stays short. Every libav handle is owned by a
// unique_ptr with a local deleter; the main code's io/ stage has its own, which tests must not
// depend on here (this generator has to stay independent of the code it tests).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <numbers>
#include <string>
#include <system_error>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include "core/error.hpp"
#include "support/synthetic_clip.hpp"

namespace sw::test {
namespace {

struct OutputFormatDeleter {  // closes the file (if open) and frees the context and its streams
  void operator()(AVFormatContext* c) const {
    if (c->pb && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};
struct DictDeleter {
  void operator()(AVDictionary* d) const { av_dict_free(&d); }
};
// Removes the file at scope exit unless kept: a failed run leaves no partial clip behind.
struct TempFile {
  std::string path;
  bool keep = false;
  explicit TempFile(std::string p) : path(std::move(p)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ignored;
    if (!keep) std::filesystem::remove(path, ignored);
  }
};

using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

// x264's SIMD level changes its output: its AVX/FMA kernels give other bytes than its SSE2 and
// C kernels, and with AVX-512 the output even varied between runs in one process (it depended
// on the heap: x264 r3095, Debian 12, on a Xeon with AVX-512). SSE2 exists on every x86-64, so
// pinning x264 to it makes a clip's bytes depend only on the seed and the libx264 build.
#if defined(__x86_64__)
constexpr const char* kX264Asm = "asm=MMX2,SSE2";
#else
constexpr const char* kX264Asm = "";
#endif

constexpr int kAudioRate = 48000;
constexpr int kSineHz = 440;

void check(int ret, const std::string& path, const std::string& what) {
  if (ret >= 0) return;
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(ret, text, sizeof text);
  throw sw::Error(path, what + ": " + text);
}

template <class T>
T* not_null(T* p, const std::string& path, const std::string& what) {
  if (!p) throw sw::Error(path, what + ": out of memory");
  return p;
}

// yuv420p / yuv420p10le when the codec takes it, else the codec's first planar YUV format of
// the requested depth (e.g. none for mpeg4 at 10 bits: that is an error, not a silent 8).
AVPixelFormat choose_pix_fmt(const AVCodec* codec, int depth, const std::string& path) {
  const AVPixelFormat want = depth == 10 ? AV_PIX_FMT_YUV420P10LE : AV_PIX_FMT_YUV420P;
  if (!codec->pix_fmts) return want;
  for (const AVPixelFormat* p = codec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p) {
    if (*p == want) return want;
  }
  for (const AVPixelFormat* p = codec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p) {
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(*p);
    const bool yuv = d->nb_components >= 3 && !(d->flags & AV_PIX_FMT_FLAG_RGB);
    if (yuv && (d->flags & AV_PIX_FMT_FLAG_PLANAR) && d->comp[0].depth == depth) return *p;
  }
  throw sw::Error(path, "expected codec " + std::string(codec->name) + " to support " +
                            std::to_string(depth) + "-bit planar YUV, got none");
}

class ClipWriter {
 public:
  ClipWriter(const std::string& path, const ClipSpec& spec, const ClipTruth& truth)
      : path_(path), tmp_{path + ".tmp"}, spec_(spec), truth_(truth) {
    not_null(packet_.get(), path, "packet");
    const AVOutputFormat* fmt = av_guess_format(nullptr, path.c_str(), nullptr);
    if (!fmt) throw sw::Error(path, "expected a container extension such as .mp4, .mkv or .mov");
    AVFormatContext* raw = nullptr;
    check(avformat_alloc_output_context2(&raw, fmt, nullptr, tmp_.path.c_str()), path,
          "cannot create the output context");
    fmt_.reset(raw);
    // Matroska writes random UIDs and mp4 the libav version unless told to be bit-exact.
    fmt_->flags |= AVFMT_FLAG_BITEXACT;
    open_video();
    if (spec.audio) open_audio();
    check(avio_open(&fmt_->pb, tmp_.path.c_str(), AVIO_FLAG_WRITE), tmp_.path,
          "cannot open for writing");
    check(avformat_write_header(fmt_.get(), nullptr), path, "cannot write the header");
  }

  ClipWriter(const ClipWriter&) = delete;
  ClipWriter& operator=(const ClipWriter&) = delete;

  void write_video(const cv::Mat& bgr, int i) {
    check(av_frame_make_writable(frame_.get()), path_, "video frame");
    const std::uint8_t* src[1] = {bgr.data};
    const int stride[1] = {static_cast<int>(bgr.step[0])};
    sws_scale(sws_.get(), src, stride, 0, bgr.rows, frame_->data, frame_->linesize);
    frame_->pts = truth_.pts[static_cast<std::size_t>(i)];
    encode(video_.get(), video_stream_, frame_.get());
    if (spec_.audio) audio_until(audio_samples_at(end_pts(i)));
  }

  void finish() {
    encode(video_.get(), video_stream_, nullptr);
    if (spec_.audio) {
      audio_until(audio_samples_at(end_pts(spec_.frames - 1)));
      encode(audio_.get(), audio_stream_, nullptr);
    }
    check(av_write_trailer(fmt_.get()), path_, "cannot write the trailer");
    check(avio_closep(&fmt_->pb), tmp_.path, "cannot close");
    std::error_code error;
    std::filesystem::rename(tmp_.path, path_, error);
    if (error) throw sw::Error(path_, "cannot rename " + tmp_.path + ": " + error.message());
    tmp_.keep = true;
  }

 private:
  // End of frame i (the next frame's pts, or one nominal frame later for the last one).
  std::int64_t end_pts(int i) const {
    if (i + 1 < spec_.frames) return truth_.pts[static_cast<std::size_t>(i) + 1];
    const std::int64_t nominal =
        av_rescale_q(1, AVRational{spec_.fps_den, spec_.fps_num},
                     AVRational{truth_.time_base.num, truth_.time_base.den});
    return truth_.pts.back() + std::max<std::int64_t>(nominal, 1);
  }

  std::int64_t audio_samples_at(std::int64_t video_pts) const {
    return av_rescale_q(video_pts, AVRational{truth_.time_base.num, truth_.time_base.den},
                        AVRational{1, kAudioRate});
  }

  CodecContextPtr new_encoder(const char* name, AVStream** stream) {
    const AVCodec* codec = avcodec_find_encoder_by_name(name);
    if (!codec)
      throw sw::Error(path_, std::string("expected an encoder named ") + name +
                                 " in this libavcodec, got none");
    CodecContextPtr ctx(not_null(avcodec_alloc_context3(codec), path_, "encoder"));
    *stream = not_null(avformat_new_stream(fmt_.get(), nullptr), path_, "stream");
    ctx->thread_count = 1;  // x264's output depends on its thread count
    ctx->flags |= AV_CODEC_FLAG_BITEXACT;
    if (fmt_->oformat->flags & AVFMT_GLOBALHEADER) ctx->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    return ctx;
  }

  void open_encoder(AVCodecContext* ctx, AVStream* stream, AVDictionary* options) {
    std::unique_ptr<AVDictionary, DictDeleter> owned(options);
    AVDictionary* opts = owned.release();
    const int ret = avcodec_open2(ctx, ctx->codec, &opts);  // leaves unused options in opts
    owned.reset(opts);
    check(ret, path_, std::string("cannot open encoder ") + ctx->codec->name);
    check(avcodec_parameters_from_context(stream->codecpar, ctx), path_, "stream parameters");
    stream->time_base = ctx->time_base;  // a hint; the muxer may choose another in write_header
  }

  void open_video() {
    video_ = new_encoder(spec_.codec.c_str(), &video_stream_);
    AVCodecContext* ctx = video_.get();
    ctx->width = spec_.width;
    ctx->height = spec_.height;
    ctx->pix_fmt = choose_pix_fmt(ctx->codec, spec_.bit_depth, path_);
    ctx->time_base = {truth_.time_base.num, truth_.time_base.den};
    ctx->framerate = {spec_.fps_num, spec_.fps_den};
    ctx->gop_size = spec_.gop;
    ctx->max_b_frames = spec_.bframes;
    ctx->color_range = AVCOL_RANGE_MPEG;  // what swscale's BGR -> YUV produces by default
    ctx->colorspace = AVCOL_SPC_SMPTE170M;
    if (spec_.hdr10) {
      ctx->color_primaries = AVCOL_PRI_BT2020;
      ctx->color_trc = AVCOL_TRC_SMPTE2084;
      ctx->colorspace = AVCOL_SPC_BT2020_NCL;
    }
    AVDictionary* options = nullptr;
    if (spec_.codec == "libx265") {
      av_dict_set(&options, "preset", "ultrafast", 0);
      av_dict_set(&options, "crf", std::to_string(spec_.crf).c_str(), 0);
      std::string params = "log-level=error:pools=1:frame-threads=1";
      if (spec_.hdr10)
        params += std::string(":master-display=") + kHdr10MasterDisplay +
                  ":max-cll=" + std::to_string(kHdr10MaxCll) + "," + std::to_string(kHdr10MaxFall);
      av_dict_set(&options, "x265-params", params.c_str(), 0);
    } else if (spec_.codec == "libx264") {
      av_dict_set(&options, "preset", "veryfast", 0);
      if (kX264Asm[0] != '\0') av_dict_set(&options, "x264-params", kX264Asm, 0);
      av_dict_set(&options, "crf", std::to_string(spec_.crf).c_str(), 0);
    } else {
      // A fixed quantiser keeps generic codecs (mpeg4, ...) sharp at any size; lossless ones
      // such as ffv1 ignore it.
      ctx->flags |= AV_CODEC_FLAG_QSCALE;
      ctx->global_quality = FF_QP2LAMBDA * 2;
    }
    open_encoder(ctx, video_stream_, options);
    video_stream_->avg_frame_rate = ctx->framerate;
    if (spec_.rotation_deg != 0) {
      auto* matrix = reinterpret_cast<std::int32_t*>(not_null(
          av_stream_new_side_data(video_stream_, AV_PKT_DATA_DISPLAYMATRIX, 9 * sizeof(int32_t)),
          path_, "display matrix"));
      // av_display_rotation_set() takes clockwise degrees, av_display_rotation_get() returns
      // counter-clockwise ones (FFmpeg 5.1 libavutil/display.h); the spec uses the latter.
      av_display_rotation_set(matrix, -spec_.rotation_deg);
    }

    frame_.reset(not_null(av_frame_alloc(), path_, "video frame"));
    frame_->format = ctx->pix_fmt;
    frame_->width = ctx->width;
    frame_->height = ctx->height;
    check(av_frame_get_buffer(frame_.get(), 0), path_, "video frame");
    sws_.reset(
        not_null(sws_getContext(ctx->width, ctx->height, AV_PIX_FMT_BGR24, ctx->width, ctx->height,
                                ctx->pix_fmt, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT,
                                nullptr, nullptr, nullptr),
                 path_, "swscale context"));
    for (std::size_t i = 0; i < truth_.pts.size(); ++i) {
      durations_[truth_.pts[i]] = end_pts(static_cast<int>(i)) - truth_.pts[i];
    }
  }

  void open_audio() {
    audio_ = new_encoder("aac", &audio_stream_);
    AVCodecContext* ctx = audio_.get();
    ctx->sample_fmt = AV_SAMPLE_FMT_FLTP;
    ctx->sample_rate = kAudioRate;
    av_channel_layout_default(&ctx->ch_layout, 1);
    ctx->bit_rate = 96000;
    ctx->time_base = {1, kAudioRate};
    open_encoder(ctx, audio_stream_, nullptr);
    audio_frame_.reset(not_null(av_frame_alloc(), path_, "audio frame"));
    audio_frame_->format = ctx->sample_fmt;
    audio_frame_->sample_rate = ctx->sample_rate;
    audio_frame_->nb_samples = ctx->frame_size;
    check(av_channel_layout_copy(&audio_frame_->ch_layout, &ctx->ch_layout), path_, "audio");
    check(av_frame_get_buffer(audio_frame_.get(), 0), path_, "audio frame");
  }

  // Encodes the sine up to sample `end`. Only full frames are sent, except the clip's last
  // (the native aac encoder accepts a short final frame), so the pts stay on a frame grid.
  void audio_until(std::int64_t end) {
    const int frame_size = audio_->frame_size;
    const bool last = end == audio_samples_at(end_pts(spec_.frames - 1));
    while (audio_sent_ < end && (last || audio_sent_ + frame_size <= end)) {
      const int n = static_cast<int>(std::min<std::int64_t>(frame_size, end - audio_sent_));
      check(av_frame_make_writable(audio_frame_.get()), path_, "audio frame");
      audio_frame_->nb_samples = n;
      auto* samples = reinterpret_cast<float*>(audio_frame_->data[0]);
      for (int k = 0; k < n; ++k) {
        // Phase from the exact integer (440 * t) mod rate, so it never loses precision.
        const std::int64_t t = audio_sent_ + k;
        const double phase = static_cast<double>((kSineHz * t) % kAudioRate) / kAudioRate;
        samples[k] = static_cast<float>(0.25 * std::sin(2 * std::numbers::pi * phase));
      }
      audio_frame_->pts = audio_sent_;
      encode(audio_.get(), audio_stream_, audio_frame_.get());
      audio_sent_ += n;
    }
  }

  // Sends one frame (nullptr flushes) and writes every packet the encoder has ready.
  void encode(AVCodecContext* ctx, AVStream* stream, AVFrame* frame) {
    check(avcodec_send_frame(ctx, frame), path_, "cannot encode");
    for (;;) {
      const int ret = avcodec_receive_packet(ctx, packet_.get());
      if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
      check(ret, path_, "cannot encode");
      if (ctx == video_.get()) {
        // The truth's timestamps define each frame's duration, including the last one's.
        const auto d = durations_.find(packet_->pts);
        if (d != durations_.end()) packet_->duration = d->second;
      }
      packet_->stream_index = stream->index;
      av_packet_rescale_ts(packet_.get(), ctx->time_base, stream->time_base);
      // Takes ownership of the packet's contents and leaves packet_ blank.
      check(av_interleaved_write_frame(fmt_.get(), packet_.get()), path_, "cannot write");
    }
  }

  std::string path_;
  TempFile tmp_;  // declared before fmt_, so the file is closed before it is removed
  const ClipSpec& spec_;
  const ClipTruth& truth_;
  std::unique_ptr<AVFormatContext, OutputFormatDeleter> fmt_;
  CodecContextPtr video_, audio_;
  AVStream* video_stream_ = nullptr;  // owned by fmt_
  AVStream* audio_stream_ = nullptr;
  FramePtr frame_, audio_frame_;
  std::unique_ptr<SwsContext, SwsDeleter> sws_;
  std::unique_ptr<AVPacket, PacketDeleter> packet_{av_packet_alloc()};
  std::map<std::int64_t, std::int64_t> durations_;  // video pts -> duration, encoder time base
  std::int64_t audio_sent_ = 0;
};

}  // namespace

ClipTruth make_shaky_clip(const std::string& path, const ClipSpec& spec) {
  const ClipRenderer renderer(spec);
  ClipWriter writer(path, spec, renderer.truth());
  for (int i = 0; i < spec.frames; ++i) writer.write_video(renderer.frame(i), i);
  writer.finish();
  return renderer.truth();
}

}  // namespace sw::test
